"""The computation graph of one evaluation, for inspection and drawing.

Taught in :chapter:`01_differentiation/backpropagation`, which counts edges and paths to show
why reverse mode costs one pass while summing over paths would cost
exponentially many terms. :mod:`optlib.viz` draws a :class:`Graph`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from optlib.autodiff.core import ReverseTrace, Tracer
from optlib.autodiff.transforms import _box_arguments, _evaluate, _flatten

__all__ = ["Node", "Graph", "trace", "count_edges", "count_paths"]


@dataclass(frozen=True)
class Node:
    """One value of the evaluation: ``id`` (position on the tape), ``op`` (the
    operation that produced it, ``"input"`` for arguments) and its ``shape``."""

    id: int
    op: str
    shape: tuple


@dataclass
class Graph:
    """A computation graph as plain data.

    Attributes
    ----------
    nodes : list of Node
        In order of evaluation (a topological order).
    edges : list of (int, int)
        ``(src, dst)``: the value ``src`` is an argument of the operation that
        produced ``dst``. An operation that uses a value twice (``x * x``) has
        two edges from it, one per term of the chain rule.
    inputs : list of int
        Ids of the argument leaves, in order.
    outputs : list of int
        Ids of the returned values (leaves of the output pytree that depend on
        an input).
    """

    nodes: list = field(default_factory=list)
    edges: list = field(default_factory=list)
    inputs: list = field(default_factory=list)
    outputs: list = field(default_factory=list)

    def num_edges(self):
        return count_edges(self)

    def num_paths(self):
        return count_paths(self)


def trace(f, *args):
    """Evaluate ``f(*args)`` once and return its computation :class:`Graph`.

    Every leaf of every argument is an input node; constants created inside
    ``f`` are not nodes.

    Examples
    --------
    >>> import numpy as np
    >>> g = trace(lambda x: np.sum(np.sin(x) * x), np.ones(3))
    >>> [n.op for n in g.nodes], g.edges
    (['input', 'sin', 'multiply', 'sum'], [(0, 1), (1, 2), (0, 2), (2, 3)])
    """
    tr = ReverseTrace()
    boxed_args, info = _box_arguments(tr, args, range(len(args)))
    out = _evaluate(tr, f, boxed_args)
    graph = Graph()
    for index, (rule, _, _, parents, _, shape) in enumerate(tr.tape):
        graph.nodes.append(Node(index, rule.name if rule is not None else "input", tuple(shape)))
        for _, parent in parents:
            graph.edges.append((parent, index))
    graph.inputs = [x.index for _, _, boxed in info for x in boxed]
    out_leaves, _ = _flatten(out)
    graph.outputs = [leaf.index for leaf in out_leaves
                     if isinstance(leaf, Tracer) and leaf.trace is tr]
    return graph


def count_edges(graph):
    """Number of edges: the number of local derivatives backpropagation multiplies."""
    return len(graph.edges)


def count_paths(graph):
    """Number of distinct input-to-output paths (summed over all input/output pairs).

    The chain rule written as a sum over paths has this many terms; it can grow
    exponentially with depth while the number of edges grows linearly. Counted
    by dynamic programming in topological order (paths to a node = sum over
    its incoming edges of the paths to the edge's source).
    """
    paths = {node.id: 0 for node in graph.nodes}
    for i in graph.inputs:
        paths[i] = 1
    incoming = {node.id: [] for node in graph.nodes}
    for src, dst in graph.edges:
        incoming[dst].append(src)
    for node in graph.nodes:
        if incoming[node.id]:
            paths[node.id] += sum(paths[src] for src in incoming[node.id])
    return sum(paths[o] for o in graph.outputs)
