"""Contour plots with optimizer paths, 3-D error surfaces and loss curves.

The objectives are 2-D functions written with the coordinate axis first
(see :mod:`optlib.functions`): ``f(np.stack([X, Y]))`` evaluates a whole grid
in one call. First used in the chapter *Error surface*
(``chapters/03_landscape/error_surface``), then by every chapter that draws an
optimizer's path.
"""
import numpy as np
import matplotlib.pyplot as plt

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
    (x_lo, x_hi), (y_lo, y_hi) = _check_bounds(bounds)
    if int(resolution) < 2:
        raise ValueError(f"resolution must be an integer >= 2, got {resolution!r}")
    X, Y = np.meshgrid(np.linspace(x_lo, x_hi, resolution), np.linspace(y_lo, y_hi, resolution))
    Z = np.asarray(f(np.stack([X, Y])), dtype=float)
    if Z.shape != X.shape:
        raise ValueError(
            f"f must map a grid of shape (2, {resolution}, {resolution}) to shape {X.shape}, "
            f"got shape {Z.shape}; write it with the coordinate axis first (x[0], x[1])")
    return X, Y, Z


def contour(f, bounds=None, ax=None, levels=20, resolution=150, filled=True, mark_minima=True):
    """Draw the level sets of a 2-D function.

    Parameters
    ----------
    f : callable or optlib.functions.Objective
        The function; an ``Objective`` also supplies ``bounds`` and its minimizers.
    bounds : ((x_min, x_max), (y_min, y_max)), optional
        The window; defaults to ``f.bounds``.
    ax : matplotlib Axes, optional
        Where to draw; defaults to the current axes.
    levels : int or sequence of float
        With an int, the levels are quantiles of the values on the grid, packed
        towards the low values, so that a valley shows however steep its walls
        (Rosenbrock's values span six orders of magnitude).
    filled : bool
        Shade between the levels as well as drawing the lines.
    mark_minima : bool
        Mark ``f.minimizers`` with stars when ``f`` has them.

    Returns
    -------
    matplotlib.contour.QuadContourSet
    """
    bounds = _bounds_of(f, bounds)
    ax = plt.gca() if ax is None else ax
    X, Y, Z = evaluate_grid(f, bounds, resolution)
    if np.ndim(levels) == 0:
        finite = Z[np.isfinite(Z)]
        levels = np.unique(np.quantile(finite, np.linspace(0.0, 1.0, int(levels)) ** 2))
    if filled:
        ax.contourf(X, Y, Z, levels=levels, cmap="viridis", alpha=0.35)
    lines = ax.contour(X, Y, Z, levels=levels, cmap="viridis", linewidths=0.8)
    for point in getattr(f, "minimizers", ()) if mark_minima else ():
        ax.plot(point[0], point[1], marker="*", markersize=12, color="white",
                markeredgecolor="black", linestyle="none", zorder=5)
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
    path = np.asarray(path, dtype=float)
    if path.ndim != 2 or path.shape[1] != 2:
        raise ValueError(f"path must have shape (steps + 1, 2), got {path.shape}")
    if color is None:
        color = _method_color(label)
    (line,) = ax.plot(path[:, 0], path[:, 1], marker=marker, markersize=markersize,
                      color=color, label=label, linewidth=1.4)
    ax.plot(path[0, 0], path[0, 1], marker="s", markersize=6, color=line.get_color(),
            linestyle="none")
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
    if not (np.isfinite([x_lo, x_hi, y_lo, y_hi]).all() and x_lo < x_hi and y_lo < y_hi):
        raise ValueError(f"bounds must be finite with min < max on each axis, got {bounds!r}")
    return (float(x_lo), float(x_hi)), (float(y_lo), float(y_hi))
