"""Contour plots with optimizer paths, 3-D error surfaces and loss curves.

The objectives are 2-D functions written with the coordinate axis first
(see :mod:`optlib.functions`): ``f(np.stack([X, Y]))`` evaluates a whole grid
in one call. First used in :chapter:`03_landscape/error_surface`, then by every
chapter that draws an optimizer's path.
"""
import numpy as np
import matplotlib.pyplot as plt
from matplotlib.ticker import MaxNLocator

from optlib import _checks
from optlib.viz.style import OPTIMIZER_COLORS


def evaluate_grid(f, bounds, resolution=150):
    """Evaluate a 2-D function on a regular grid.

    Parameters
    ----------
    f : callable
        ``f(x)`` with ``x`` of shape ``(2, ...)`` (coordinate axis first).
    bounds : ((x_min, x_max), (y_min, y_max))
        The window to cover.
    resolution : int
        Grid points per axis.

    Returns
    -------
    X, Y, Z : ndarray of shape (resolution, resolution)
    """
    _checks.function("f", f, "a function of x with shape (2, ...)")
    (x_lo, x_hi), (y_lo, y_hi) = _check_bounds(bounds)
    resolution = _checks.integer("resolution", resolution, minimum=2)
    X, Y = np.meshgrid(np.linspace(x_lo, x_hi, resolution), np.linspace(y_lo, y_hi, resolution))
    Z = np.asarray(f(np.stack([X, Y])), dtype=float)
    if Z.shape != X.shape:
        raise ValueError(
            f"f must map a grid of shape (2, {resolution}, {resolution}) to shape {X.shape}, "
            f"got shape {Z.shape}; write it with the coordinate axis first (x[0], x[1])")
    return X, Y, Z


def contour(f, bounds=None, ax=None, levels=12, resolution=150, filled=True, mark_minima=True,
            spacing="linear", colorbar=True, label="loss"):
    r"""Draw the level sets of a 2-D function, with a colour bar that gives their values.

    Parameters
    ----------
    f : callable or optlib.functions.Objective
        The function; an ``Objective`` also supplies ``bounds`` and its minimizers.
    bounds : ((x_min, x_max), (y_min, y_max)), optional
        The window; defaults to ``f.bounds``.
    ax : matplotlib Axes, optional
        Where to draw; defaults to the current axes.
    levels : int or sequence of float
        The number of levels, spread over the values on the grid as
        ``spacing`` says, or the levels themselves (increasing).
    resolution : int
        Grid points per axis.
    filled : bool
        Shade between the levels as well as drawing the lines.
    mark_minima : bool
        Mark ``f.minimizers`` with stars when ``f`` has them.
    spacing : {"linear", "log"}
        How an int ``levels`` is spread from the lowest value :math:`f_0` on the
        grid to the highest, :math:`f_0 + s`. ``"linear"``: evenly,
        :math:`f_0 + s\,k/(m-1)`, so contours crowd where the function is steep
        and the spacing can be read as steepness. ``"log"``: :math:`f_0` and then
        :math:`f_0 + s\,r^k` for a constant ratio :math:`r`, from the 2nd
        percentile of :math:`f - f_0` up to :math:`s`, for functions whose
        values span orders of magnitude (Rosenbrock's span six); the spacing
        then says nothing about steepness, only the colour bar's values do.
    colorbar : bool
        Add a colour bar beside the axes, labelled ``label``, that names the
        levels' values (and says which spacing they have).
    label : str
        What the function is, for the colour bar.

    Returns
    -------
    matplotlib.contour.QuadContourSet
        The contour lines.

    Raises
    ------
    ValueError
        When ``f`` has no finite value on the grid, or is constant there (it
        has no level sets to draw).
    """
    bounds = _bounds_of(f, bounds)
    ax = plt.gca() if ax is None else ax
    filled = _checks.flag("filled", filled)
    spacing = _checks.choice("spacing", spacing, ("linear", "log"))
    X, Y, Z = evaluate_grid(f, bounds, resolution)
    finite = Z[np.isfinite(Z)]
    if finite.size == 0:
        raise ValueError(f"f has no finite value on the grid over {bounds}: every value is NaN or "
                         f"infinite, so there are no level sets to draw")
    low, span = finite.min(), finite.max() - finite.min()
    if span == 0:
        raise ValueError(f"f is constant on the grid over {bounds} (every value is {low:g}), "
                         f"so there are no level sets to draw")
    levels, spread = _levels(levels, spacing, finite - low, low, span)
    shading = ax.contourf(X, Y, Z, levels=levels, cmap="viridis", alpha=0.35) if filled else None
    lines = ax.contour(X, Y, Z, levels=levels, cmap="viridis", linewidths=0.8)
    for point in getattr(f, "minimizers", ()) if mark_minima else ():
        ax.plot(point[0], point[1], marker="*", markersize=12, color="white",
                markeredgecolor="black", linestyle="none", zorder=5)
    if _checks.flag("colorbar", colorbar):
        bar = ax.figure.colorbar(shading or lines, ax=ax, shrink=0.9)
        bar.set_label(f"{label} ({spread})" if spread else label)
    ax.grid(False)                      # the level sets are the grid
    ax.set_xlim(bounds[0])
    ax.set_ylim(bounds[1])
    ax.set_xlabel(r"$\theta_1$")
    ax.set_ylabel(r"$\theta_2$")
    return lines


def add_path(ax, path, label=None, color=None, marker="o", markersize=3):
    """Draw an optimizer's iterates on a contour plot.

    Parameters
    ----------
    ax : matplotlib Axes
    path : array_like of shape (steps + 1, 2)
        The iterates, starting point first.
    label : str, optional
        Legend entry; when it names a method known to :func:`color_for`
        (``"adam"``, ``"momentum"``, ...), that colour is used.
    color : str, optional
        Overrides the colour.
    """
    path = _checks.real_array("path", path)
    if path.ndim != 2 or path.shape[1] != 2:
        raise ValueError(f"path must have shape (steps + 1, 2), got {path.shape}")
    if color is None:
        color = _method_color(label)
    (line,) = ax.plot(path[:, 0], path[:, 1], marker=marker, markersize=markersize,
                      color=color, label=label, linewidth=1.4)
    ax.plot(path[0, 0], path[0, 1], marker="s", markersize=6, color=line.get_color(),
            linestyle="none")
    return line


def contour_with_path(f, path, bounds=None, ax=None, label=None, color=None, levels=10,
                      resolution=60, colorbar=False, xlabel=None, ylabel=None, equal_aspect=True,
                      **contour_options):
    r"""Draw an optimizer's path on a contour plot of its objective: :func:`contour`, then :func:`add_path`.

    The figure of a method's iterates :math:`\theta_0, \theta_1, \dots` over
    the level sets of :math:`f`, which chapters draw once for a figure and
    again for every frame of a widget.

    Parameters
    ----------
    f : callable or optlib.functions.Objective
        The 2-D objective (coordinate axis first), as for :func:`contour`.
    path : array_like of shape (steps + 1, 2)
        The iterates, starting point first (drawn with a square).
    bounds : ((x_min, x_max), (y_min, y_max)), optional
        The window; defaults to ``f.bounds``. Iterates outside it are clipped
        by the axes, so a divergent path leaves the plot.
    ax : matplotlib Axes, optional
        Defaults to the current axes.
    label, color : str, optional
        For the path, as in :func:`add_path` (a method's name gives its colour).
    levels, resolution, colorbar : as in :func:`contour`
        Defaults suited to a small panel: 10 levels, 60 grid points per axis,
        no colour bar.
    xlabel, ylabel : str, optional
        Axis labels; default :math:`\theta_1` and :math:`\theta_2`.
    equal_aspect : bool, default True
        One unit is as long on both axes, so that the level sets keep their
        true shape (an elongated bowl looks elongated).
    **contour_options
        Passed on to :func:`contour` (``spacing``, ``filled``, ``mark_minima``, ``label``).

    Returns
    -------
    matplotlib Line2D
        The path's line.

    Notes
    -----
    Taught in :chapter:`02_training/learning_rate`.
    """
    ax = plt.gca() if ax is None else ax
    contour(f, bounds=bounds, ax=ax, levels=levels, resolution=resolution, colorbar=colorbar,
            **contour_options)
    line = add_path(ax, path, label=label, color=color)
    if xlabel is not None:
        ax.set_xlabel(xlabel)
    if ylabel is not None:
        ax.set_ylabel(ylabel)
    if _checks.flag("equal_aspect", equal_aspect):
        ax.set_aspect("equal")
    return line


def surface(f, bounds=None, ax=None, resolution=80, zlabel="loss"):
    """Draw a 2-D function as a 3-D surface.

    ``ax`` must be a 3-D axes (``fig.add_subplot(projection="3d")``); by default
    one is added to the current figure.
    """
    bounds = _bounds_of(f, bounds)
    if ax is None:
        ax = plt.gcf().add_subplot(projection="3d")
    X, Y, Z = evaluate_grid(f, bounds, resolution)
    ax.plot_surface(X, Y, Z, cmap="viridis", linewidth=0, antialiased=True, alpha=0.9)
    ax.set_xlabel(r"$\theta_1$")
    ax.set_ylabel(r"$\theta_2$")
    ax.set_zlabel(zlabel)
    # a smaller box leaves room for the axis labels inside the figure, which
    # the layout engine does not make for 3-D axes
    ax.set_box_aspect(None, zoom=0.8)
    return ax


def loss_curves(ax, curves, log=True, xlabel="step", ylabel="loss"):
    """Draw one loss curve per method.

    Parameters
    ----------
    ax : matplotlib Axes
    curves : dict
        ``{label: sequence of losses}``; labels naming a known method get its colour.
    log : bool
        Logarithmic loss axis (most losses fall over orders of magnitude).
    """
    for label, values in curves.items():
        ax.plot(np.arange(len(values)), values, label=label, color=_method_color(label))
    if log:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if len(curves) > 1:
        ax.legend()
    return ax


def _levels(levels, spacing, rise, low, span):
    """The contour levels and how they are spread (None for levels the caller gave).

    Round values, so that the colour bar's labels are short: evenly spaced
    multiples of 1, 2 or 5 times a power of ten, or log-spaced values rounded
    to two significant digits.
    """
    if np.ndim(levels) == 0:
        count = _checks.integer("levels", levels, minimum=2)
        if spacing == "linear":
            spaced = MaxNLocator(nbins=count - 1).tick_values(low, low + span)
            return spaced, "evenly spaced levels"
        # from the 2nd percentile of the rise above the minimum up to the highest value
        first = max(np.quantile(rise[rise > 0], 0.02), span * 1e-9)
        rounded = np.unique([float(f"{v:.2g}") for v in np.geomspace(first, span, count - 1)])
        return low + np.concatenate([[0.0], rounded]), "log-spaced levels"
    given = _checks.real_array("levels", levels, ndim=1, finite=True)
    if given.size < 2 or np.any(np.diff(given) <= 0):
        raise ValueError(f"levels must be at least two increasing values, got {levels!r}")
    return given, None


def _method_color(label):
    """The book colour of a method's label, or None (matplotlib's cycle) for other labels."""
    return OPTIMIZER_COLORS.get(label.lower()) if isinstance(label, str) else None


def _bounds_of(f, bounds):
    if bounds is None:
        bounds = getattr(f, "bounds", None)
        if bounds is None:
            raise ValueError("bounds are required when f is a plain function (f has no .bounds)")
    return _check_bounds(bounds)


def _check_bounds(bounds):
    try:
        (x_lo, x_hi), (y_lo, y_hi) = bounds
    except (TypeError, ValueError):
        raise ValueError(f"bounds must be ((x_min, x_max), (y_min, y_max)), got {bounds!r}") from None
    x_lo, x_hi, y_lo, y_hi = (_checks.real("bounds", v) for v in (x_lo, x_hi, y_lo, y_hi))
    if not (x_lo < x_hi and y_lo < y_hi):
        raise ValueError(f"bounds must have min < max on each axis, got {bounds!r}")
    return (x_lo, x_hi), (y_lo, y_hi)
