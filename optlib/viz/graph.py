"""Drawing computation graphs: a traced :class:`optlib.autodiff.Graph`, and a recurrent network unrolled in time.

Used in :chapter:`01_differentiation/automatic_differentiation` (the two modes on the graph of a small
function), :chapter:`01_differentiation/backpropagation` (graphs of units and of a network's loss) and
:chapter:`01_differentiation/bptt` (:func:`draw_unrolled`, :func:`draw_time_steps`).

Operations are placed in columns by their depth, the length of the longest
path from an input, and each input one column before its first use, so every
edge points to the right: the forward pass reads left to right and the
backward pass right to left.
"""
import matplotlib.pyplot as plt

from optlib.viz.style import PALETTE, SMALLEST_FONT

NODE_COLORS = {"input": "#CDE7F7", "output": "#FBE3C0", "operation": "#FFFFFF"}
HIGHLIGHT = PALETTE[6]          # vermillion
BACKWARD = PALETTE[6]


def graph_layout(graph):
    """``{node id: (x, y)}`` for drawing ``graph`` from left to right.

    An operation's x is its depth (1 + the largest depth of its arguments; inputs
    count 0 for this). An input's x is one less than the smallest x of the
    operations that use it, so a parameter used late in a chain sits next to
    its use, not in column 0. In each column the operations are spread evenly
    around y = 0, in order of evaluation; the inputs of a column that also holds
    operations are stacked above them, and a column of inputs only is spread
    around y = 0.
    """
    parents = {node.id: [] for node in graph.nodes}
    children = {node.id: [] for node in graph.nodes}
    for src, dst in graph.edges:
        parents[dst].append(src)
        children[src].append(dst)
    inputs = set(graph.inputs)
    depth = {}
    for node in graph.nodes:                       # nodes come in evaluation (topological) order
        depth[node.id] = 0 if node.id in inputs else 1 + max(
            (depth[p] for p in parents[node.id]), default=-1)
    for i in inputs:
        if children[i]:
            depth[i] = min(depth[c] for c in children[i]) - 1
    columns = {}
    for node in graph.nodes:
        columns.setdefault(depth[node.id], []).append(node.id)
    position = {}
    for x, ids in columns.items():
        ops = [i for i in ids if i not in inputs]
        ins = [i for i in ids if i in inputs]
        if not ops:
            ops, ins = ins, []
        top = (len(ops) - 1) / 2
        for k, node_id in enumerate(ops):
            position[node_id] = (float(x), top - k)
        for k, node_id in enumerate(reversed(ins)):
            position[node_id] = (float(x), top + 1 + k)
    return position


def _box(ax, xy, text, kind, **kwargs):
    """A node: ``text`` in a rounded box coloured by ``kind`` ("input", "output" or "operation")."""
    return ax.text(*xy, text, ha="center", va="center", fontsize=SMALLEST_FONT, zorder=2,
                   bbox=dict(boxstyle="round,pad=0.35", facecolor=NODE_COLORS[kind],
                             edgecolor=PALETTE[0]), **kwargs)


def _arrow(ax, start, end, color=PALETTE[0], lw=1.0, dashed=False, rad=0.0):
    """An arrow from box ``start`` to box ``end`` (two Text boxes) that ends on their borders."""
    return ax.annotate("", xy=(0.5, 0.5), xycoords=end, xytext=(0.5, 0.5), textcoords=start,
                       zorder=3, arrowprops=dict(
                           arrowstyle="-|>", color=color, lw=lw, shrinkA=1, shrinkB=1,
                           linestyle="--" if dashed else "-",
                           patchA=start.get_bbox_patch(), patchB=end.get_bbox_patch(),
                           connectionstyle=f"arc3,rad={rad}"))


def draw_graph(graph, ax=None, labels=None, title=None, highlight=None):
    """Draw a computation graph: one box per value (operation and shape), one arrow per edge.

    Parameters
    ----------
    graph : optlib.autodiff.Graph
        From ``optlib.autodiff.trace(f, *args)``, or built by
        :func:`optlib.autodiff.graph_from_edges` / :func:`optlib.autodiff.dense_graph`.
    ax : matplotlib Axes, optional
        Where to draw; defaults to the current axes.
    labels : dict, optional
        ``{node id: text}`` replacing the default label (e.g. names of the inputs).
    title : str, optional
        Axes title.
    highlight : iterable of (int, int), optional
        Edges ``(src, dst)`` drawn thicker, in the highlight colour (vermillion),
        e.g. one path of the sum over paths.

    Returns
    -------
    matplotlib Axes

    Notes
    -----
    Inputs are blue, outputs orange; the layout is :func:`graph_layout`. Arrows
    run from the border of one box to the border of the next. An operation that
    uses a value twice (``x * x``) gets two arrows from it, bent apart, because
    each is one term of the chain rule.
    """
    ax = plt.gca() if ax is None else ax
    labels = labels or {}
    highlight = {tuple(edge) for edge in (highlight or ())}
    unknown = highlight - set(graph.edges)
    if unknown:
        raise ValueError(f"highlight must list edges of the graph, got {sorted(unknown)}")
    position = graph_layout(graph)
    boxes = {}
    for node in graph.nodes:
        kind = "input" if node.id in graph.inputs else "output" if node.id in graph.outputs else "operation"
        boxes[node.id] = _box(ax, position[node.id], labels.get(node.id, f"{node.op}\n{node.shape}"), kind)
    seen = {}
    for src, dst in graph.edges:
        repeat = seen[(src, dst)] = seen.get((src, dst), -1) + 1
        marked = (src, dst) in highlight and repeat == 0
        _arrow(ax, boxes[src], boxes[dst], color=HIGHLIGHT if marked else PALETTE[0],
               lw=2.2 if marked else 1.0, rad=0.25 * repeat)
    xs = [x for x, _ in position.values()] or [0.0]
    ys = [y for _, y in position.values()] or [0.0]
    ax.set_xlim(min(xs) - 0.6, max(xs) + 0.6)
    ax.set_ylim(min(ys) - 0.8, max(ys) + 0.8)
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    return ax


def draw_unrolled(steps=4, ax=None, backward=True, title=None):
    r"""Draw a recurrent network unrolled in time: inputs, states and losses, one column per step.

    Column :math:`t = 1, \dots, T` holds the input :math:`x_t` (bottom), the state
    :math:`h_t` and the loss :math:`\ell_t` (top); column 0 holds :math:`h_0`.
    Forward arrows (black) go :math:`x_t \to h_t`, :math:`h_{t-1} \to h_t` (labelled
    :math:`W_{hh}`, the same weights at every step) and :math:`h_t \to \ell_t`.
    With ``backward=True``, dashed vermillion arrows carry the errors back:
    :math:`\ell_t \to h_t` and :math:`h_t \to h_{t-1}`, through the Jacobian
    :math:`J_t`.

    Parameters
    ----------
    steps : int, default 4
        Number of time steps :math:`T \ge 1`.
    ax : matplotlib Axes, optional
    backward : bool, default True
    title : str, optional

    Returns
    -------
    matplotlib Axes

    Used in :chapter:`01_differentiation/bptt`.
    """
    from optlib import _checks
    steps = _checks.integer("steps", steps, minimum=1)
    backward = _checks.flag("backward", backward)
    ax = plt.gca() if ax is None else ax
    h = {0: _box(ax, (0, 0), "$h_0$", "operation")}
    for t in range(1, steps + 1):
        h[t] = _box(ax, (t, 0), f"$h_{{{t}}}$", "operation")
        x = _box(ax, (t, -1), f"$x_{{{t}}}$", "input")
        loss = _box(ax, (t, 1), rf"$\ell_{{{t}}}$", "output")
        _arrow(ax, x, h[t], lw=1.4)
        _arrow(ax, h[t], loss, lw=1.4, rad=-0.3 if backward else 0.0)
        _arrow(ax, h[t - 1], h[t], lw=1.4, rad=-0.3 if backward else 0.0)
        ax.text(t - 0.5, 0.22, "$W_{hh}$", ha="center", va="bottom")
        if backward:
            _arrow(ax, loss, h[t], color=BACKWARD, lw=1.4, dashed=True, rad=-0.3)
            _arrow(ax, h[t], h[t - 1], color=BACKWARD, lw=1.4, dashed=True, rad=-0.3)
            ax.text(t - 0.5, -0.22, f"$J_{{{t}}}$", ha="center", va="top", color=BACKWARD)
    ax.set(xlim=(-0.5, steps + 0.5), ylim=(-1.35, 1.3))
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    return ax


def draw_time_steps(steps, ax=None, read=None, write=None, window=None, labels=None, room=None):
    """Draw a strip of time steps, one box per step, with the read and write steps and a window marked.

    Parameters
    ----------
    steps : int
        Number of steps T; the boxes are at x = 1, ..., T, labelled with their number.
    ax : matplotlib Axes, optional
    read, write : int, optional
        A step that reads an input (drawn blue, "read" below it) and one that
        writes an answer (orange, "write" below it).
    window : (int, int), optional
        First and last step of a window (shaded), e.g. the steps a loss is
        backpropagated through.
    labels : dict, optional
        ``{step: text}`` replacing the numbers.
    room : int, optional
        Make the axis wide enough for this many steps (at least ``steps``), so
        strips of different lengths share one scale.

    Returns
    -------
    matplotlib Axes

    Used in :chapter:`01_differentiation/bptt`, where the window is the truncation of TBPTT.
    """
    from optlib import _checks
    steps = _checks.integer("steps", steps, minimum=1)
    ax = plt.gca() if ax is None else ax
    labels = labels or {}
    for t in range(1, steps + 1):
        kind = "input" if t == read else "output" if t == write else "operation"
        _box(ax, (t, 0), labels.get(t, str(t)), kind)
    for t, word in ((read, "read"), (write, "write")):
        if t is not None:
            ax.text(t, -0.45, word, ha="center", va="top")
    if window is not None:
        first, last = window
        ax.axvspan(first - 0.5, last + 0.5, color="grey", alpha=0.25, lw=0)
    room = steps if room is None else max(steps, _checks.integer("room", room, minimum=1))
    ax.set(xlim=(0.4, room + 0.6), ylim=(-1.1, 0.5), xticks=[], yticks=[])
    for side in ax.spines.values():
        side.set_visible(False)
    return ax
