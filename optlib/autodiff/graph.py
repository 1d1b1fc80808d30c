"""The computation graph of one evaluation, for inspection, counting and drawing.

Taught in :chapter:`01_differentiation/backpropagation`, which counts edges and paths to show
why reverse mode costs one pass while summing over paths would cost
exponentially many terms, and in :chapter:`01_differentiation/automatic_differentiation`,
which counts the operations of one evaluation, one JVP and one VJP on traces
(:func:`operations`, :func:`pass_costs`). :func:`dense_graph` and
:func:`graph_from_edges` build graphs of units by hand, which the same functions
count. :func:`optlib.viz.draw_graph` draws a :class:`Graph`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from optlib import _checks
from optlib import tree as _tree
from optlib.autodiff.core import ReverseTrace, Tracer
from optlib.autodiff.transforms import _box_arguments, _evaluate, _flatten, jvp, vjp

__all__ = ["Node", "Graph", "trace", "count_edges", "count_paths", "operations", "pass_costs",
           "dense_graph", "graph_from_edges", "REARRANGING_OPS"]

#: Operations that only move, copy or select numbers: :func:`operations` leaves them out.
REARRANGING_OPS = frozenset({"input", "reshape", "transpose", "broadcast_to", "getitem", "stack",
                             "concatenate"})


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
    ``f`` are not nodes. Taught in :chapter:`01_differentiation/backpropagation`
    (paths and edges) and :chapter:`01_differentiation/automatic_differentiation`
    (the cost of each mode, counted with :func:`operations`).

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
    """Number of edges: the number of local derivatives backpropagation multiplies.

    Taught in :chapter:`01_differentiation/backpropagation`.
    """
    return len(graph.edges)


def count_paths(graph):
    """Number of distinct input-to-output paths (summed over all input/output pairs).

    The chain rule written as a sum over paths has this many terms; it can grow
    exponentially with depth while the number of edges grows linearly. Counted
    by dynamic programming in topological order (paths to a node = sum over
    its incoming edges of the paths to the edge's source).
    Taught in :chapter:`01_differentiation/backpropagation`.
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


def operations(graph):
    """Number of nodes of ``graph`` that compute numbers.

    Inputs and the operations that only rearrange numbers (:data:`REARRANGING_OPS`:
    reshape, transpose, broadcast_to, indexing, stack, concatenate) are left
    out, so the count does not depend on how a program shapes its arrays.
    Taught in :chapter:`01_differentiation/automatic_differentiation`.

    Examples
    --------
    >>> import numpy as np
    >>> operations(trace(lambda x: np.sum(np.tanh(x.T) * 2.0), np.ones((2, 3))))
    3
    """
    if not isinstance(graph, Graph):
        raise TypeError(f"graph must be an optlib.autodiff.Graph (from trace), got "
                        f"{type(graph).__name__}")
    return sum(node.op not in REARRANGING_OPS for node in graph.nodes)


def pass_costs(f, x):
    r"""Operations of one evaluation, one JVP and one VJP of ``f`` at ``x``: ``(C_f, C_JVP, C_VJP)``.

    Each pass is traced (:func:`trace`) and counted with :func:`operations`. The
    JVP is traced with its tangent :math:`\dot x` as a second input, and the VJP
    with its cotangent :math:`\bar y`, so the operations on the seeds are counted
    too (the seeds are arrays of ones). :math:`C_{\text{VJP}}` includes the
    evaluation that the reverse sweep needs, so the sweep alone costs
    :math:`C_{\text{VJP}} - C_f`, and a whole Jacobian of :math:`m` rows and
    :math:`n` columns costs :math:`n\,C_{\text{JVP}}` by forward mode and
    :math:`C_f + m\,(C_{\text{VJP}} - C_f)` by reverse mode.
    Taught in :chapter:`01_differentiation/automatic_differentiation`.

    Parameters
    ----------
    f : callable
        A plain NumPy function of one argument (an array or a pytree of arrays).
    x : array or pytree
        The point.

    Returns
    -------
    (int, int, int)

    Examples
    --------
    >>> import numpy as np
    >>> pass_costs(lambda x: np.sin(x) * x, np.ones(3))
    (2, 7, 7)
    """
    _checks.function("f", f)
    seed_in = _tree.tree_map(np.ones_like, x)
    seed_out = np.ones(np.shape(f(x)))
    c_f = operations(trace(f, x))
    c_jvp = operations(trace(lambda x, t: jvp(f, (x,), (t,))[1], x, seed_in))
    c_vjp = operations(trace(lambda x, u: vjp(f, x)[1](u)[0], x, seed_out))
    return c_f, c_jvp, c_vjp


def graph_from_edges(edges, inputs, outputs, op="unit"):
    """A :class:`Graph` built by hand from its edges, for counting and drawing.

    Parameters
    ----------
    edges : sequence of (int, int) or (int, int, anything)
        ``(src, dst)``, in an order in which every node comes after its
        parents when nodes are numbered 0, 1, ...; anything after the two ids
        (say, the local derivative of the edge) is dropped.
    inputs, outputs : sequence of int
        The input and output node ids.
    op : str, default "unit"
        The ``op`` of every node that is not an input.

    Returns
    -------
    Graph
        Nodes ``0 .. N - 1`` with N one more than the largest id, shape ``()``.
        Taught in :chapter:`01_differentiation/backpropagation`, which records a
        network of units with each edge's local derivative and counts its
        paths and edges with :func:`count_paths` and :func:`count_edges`.

    Examples
    --------
    >>> g = graph_from_edges([(0, 1, 0.5), (0, 2, 2.0), (1, 3, 1.0), (2, 3, 1.0)], [0], [3])
    >>> g.edges, count_paths(g)
    ([(0, 1), (0, 2), (1, 3), (2, 3)], 2)
    """
    pairs = []
    for edge in edges:
        if len(edge) < 2:
            raise ValueError(f"every edge must start with (src, dst), got {edge!r}")
        src = _checks.integer("edge source", edge[0], minimum=0)
        dst = _checks.integer("edge target", edge[1], minimum=0)
        if src >= dst:
            raise ValueError(f"edges must point from an earlier node to a later one, got "
                             f"({src}, {dst})")
        pairs.append((src, dst))
    inputs = [_checks.integer("input id", i, minimum=0) for i in inputs]
    outputs = [_checks.integer("output id", i, minimum=0) for i in outputs]
    n_nodes = 1 + max([i for pair in pairs for i in pair] + inputs + outputs, default=-1)
    is_input = set(inputs)
    nodes = [Node(i, "input" if i in is_input else op, ()) for i in range(n_nodes)]
    return Graph(nodes, pairs, inputs=inputs, outputs=outputs)


def dense_graph(sizes):
    r"""The :class:`Graph` of a fully connected network of units with layer widths ``sizes``.

    Every unit of a layer feeds every unit of the next. With widths
    :math:`n_0, \dots, n_L` the graph has :math:`n_0 n_1 + \dots + n_{L-1} n_L`
    edges and :math:`n_0 n_1 \cdots n_L` input-to-output paths.
    Taught in :chapter:`01_differentiation/backpropagation`.

    Parameters
    ----------
    sizes : sequence of int
        At least two positive widths; the first layer are the inputs, the last
        the outputs. Units are numbered layer by layer from 0.

    Examples
    --------
    >>> g = dense_graph((2, 3, 1))
    >>> count_edges(g), count_paths(g)
    (9, 6)
    """
    sizes = [_checks.integer("layer width", s, minimum=1) for s in sizes]
    if len(sizes) < 2:
        raise ValueError(f"sizes must hold at least two layer widths, got {sizes}")
    starts = np.concatenate([[0], np.cumsum(sizes)])
    layers = [range(int(a), int(b)) for a, b in zip(starts[:-1], starts[1:])]
    edges = [(i, j) for a, b in zip(layers, layers[1:]) for i in a for j in b]
    return graph_from_edges(edges, list(layers[0]), list(layers[-1]))
