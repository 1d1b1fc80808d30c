"""Drawing a computation graph (:func:`optlib.autodiff.trace`).

Used in :chapter:`01_differentiation/backpropagation`.

Nodes are placed in layers by their depth, the length of the longest path
from an input, so every edge points to the right: the forward pass reads left
to right and the backward pass right to left.
"""
import matplotlib.pyplot as plt

from optlib.viz.style import PALETTE, SMALLEST_FONT

NODE_COLORS = {"input": "#CDE7F7", "output": "#FBE3C0", "operation": "#FFFFFF"}


def graph_layout(graph):
    """``{node id: (x, y)}``: x is the node's depth, nodes of one depth spread evenly around y = 0."""
    parents = {node.id: [] for node in graph.nodes}
    for src, dst in graph.edges:
        parents[dst].append(src)
    depth = {}
    for node in graph.nodes:                       # nodes come in evaluation (topological) order
        depth[node.id] = 1 + max((depth[p] for p in parents[node.id]), default=-1)
    layers = {}
    for node in graph.nodes:
        layers.setdefault(depth[node.id], []).append(node.id)
    return {node_id: (float(x), (len(ids) - 1) / 2 - i)
            for x, ids in layers.items() for i, node_id in enumerate(ids)}


def draw_graph(graph, ax=None, labels=None, title=None):
    """Draw a computation graph: one box per value (operation and shape), one arrow per edge.

    Parameters
    ----------
    graph : optlib.autodiff.Graph
        From ``optlib.autodiff.trace(f, *args)``.
    ax : matplotlib Axes, optional
        Where to draw; defaults to the current axes.
    labels : dict, optional
        ``{node id: text}`` replacing the default label (e.g. names of the inputs).
    title : str, optional
        Axes title.

    Notes
    -----
    Inputs are blue, outputs orange. An operation that uses a value twice
    (``x * x``) gets two arrows from it, bent apart, because each is one term of
    the chain rule.
    """
    ax = plt.gca() if ax is None else ax
    labels = labels or {}
    position = graph_layout(graph)
    seen = {}
    for src, dst in graph.edges:
        repeat = seen[(src, dst)] = seen.get((src, dst), -1) + 1
        ax.annotate("", xy=position[dst], xytext=position[src],
                    arrowprops=dict(arrowstyle="-|>", color=PALETTE[0], lw=1.0, shrinkA=18, shrinkB=18,
                                    connectionstyle=f"arc3,rad={0.25 * repeat}"))
    for node in graph.nodes:
        kind = "input" if node.id in graph.inputs else "output" if node.id in graph.outputs else "operation"
        text = labels.get(node.id, f"{node.op}\n{node.shape}")
        ax.text(*position[node.id], text, ha="center", va="center", fontsize=SMALLEST_FONT,
                bbox=dict(boxstyle="round,pad=0.35", facecolor=NODE_COLORS[kind], edgecolor=PALETTE[0]))
    xs = [x for x, _ in position.values()] or [0.0]
    ys = [y for _, y in position.values()] or [0.0]
    ax.set_xlim(min(xs) - 0.6, max(xs) + 0.6)
    ax.set_ylim(min(ys) - 0.8, max(ys) + 0.8)
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    return ax
