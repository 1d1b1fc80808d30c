r"""The objective container, :class:`Objective`, and the helpers every constructor shares.

The helpers check arguments (through :mod:`optlib._checks`), build plotting
windows and locate critical points to full precision by Newton's method
(:func:`optlib.newton_root` on the gradient).
"""
from dataclasses import dataclass
from functools import lru_cache
import numbers
from typing import Callable

import numpy as np

from optlib import _checks

__all__ = ["Objective"]


@dataclass(frozen=True, eq=False)
class Objective:
    r"""A test objective together with its known minimizers, start and plotting window.

    Calling the objective evaluates it: ``objective(x)`` is ``objective.fun(x)``,
    with ``x`` of shape ``(dim,)`` (a scalar comes back) or ``(dim, ...)`` (an
    array of shape ``...`` comes back). The objective is immutable, and every
    array it holds is a read-only copy.

    Attributes
    ----------
    name : str
        A readable name, used in plot titles and legends.
    fun : callable
        The function, written in plain NumPy with the coordinate axis first.
    dim : int
        The number of coordinates.
    minimizers : tuple of ndarray of shape (dim,)
        Every global minimizer. Empty when there is none (the function is
        unbounded below), when the minimizers are not isolated points (a whole
        line or polytope of them), or when they are not known.
    minimum : float
        The global minimum value; ``-inf`` when the function is unbounded
        below, ``nan`` when it is not known.
    bounds : tuple of (float, float)
        A plotting window, one ``(low, high)`` pair per coordinate, that
        contains the minimizers, the start and the stationary points with a
        margin.
    start : ndarray of shape (dim,)
        The standard starting point (from the literature where one exists).
    stationary_points : tuple of ndarray of shape (dim,)
        Other notable critical points: saddles, local maxima, local minima.
    kinks : bool
        True when the function is not differentiable everywhere (for example
        an absolute value or a hinge), so that gradients exist only almost
        everywhere and subgradient methods are the right tool.
    """

    name: str
    fun: Callable
    dim: int
    minimizers: tuple
    minimum: float
    bounds: tuple
    start: np.ndarray
    stationary_points: tuple = ()
    kinks: bool = False

    def __post_init__(self):
        if not isinstance(self.name, str):
            raise TypeError(f"name must be a string, got {self.name!r} ({type(self.name).__name__})")
        _checks.function("fun", self.fun)
        dim = _checks.integer("dim", self.dim, minimum=1)
        minimum = _checks.real("minimum", self.minimum, finite=False)
        minimizers = tuple(_frozen_point(f"minimizers[{k}]", point, dim)
                           for k, point in enumerate(_as_sequence("minimizers", self.minimizers)))
        stationary = tuple(_frozen_point(f"stationary_points[{k}]", point, dim)
                           for k, point in enumerate(_as_sequence("stationary_points",
                                                                  self.stationary_points)))
        if minimum == -np.inf and minimizers:
            raise ValueError("an objective that is unbounded below (minimum = -inf) has no minimizers, "
                             f"got {len(minimizers)}")
        object.__setattr__(self, "dim", dim)
        object.__setattr__(self, "minimum", minimum)
        object.__setattr__(self, "minimizers", minimizers)
        object.__setattr__(self, "stationary_points", stationary)
        object.__setattr__(self, "start", _frozen_point("start", self.start, dim))
        object.__setattr__(self, "bounds", _check_bounds(self.bounds, dim))
        object.__setattr__(self, "kinks", _checks.flag("kinks", self.kinks))

    def __call__(self, x):
        """Evaluate the objective at ``x`` of shape ``(dim,)`` or ``(dim, ...)``."""
        if isinstance(x, (list, tuple, numbers.Number)):
            x = np.asarray(x, dtype=float)
        shape = getattr(x, "shape", None)   # traced values from optlib.autodiff carry a shape too
        if shape is not None and (len(shape) == 0 or shape[0] != self.dim):
            raise ValueError(
                f"x must have shape ({self.dim},) or ({self.dim}, ...) for {self.name!r} "
                f"(coordinate axis first), got shape {tuple(shape)}")
        return self.fun(x)

    def __repr__(self):
        return f"Objective({self.name!r}, dim={self.dim}, minimum={self.minimum!r})"


# ---------------------------------------------------------------------------
# Argument checks that optlib._checks does not have
# ---------------------------------------------------------------------------

def _vector(name, value, size=None, what=""):
    """``value`` as a finite float64 vector (a copy), of length ``size`` when given.

    ``what`` explains where the length comes from, e.g. ``"to match X of shape (5, 2)"``.
    """
    vector = _checks.real_array(name, value)
    if vector.ndim != 1 or (size is not None and vector.size != size):
        expected = f"shape ({size},)" if size is not None else "a 1-D shape"
        suffix = f" {what}" if what else ""
        raise ValueError(f"{name} must have {expected}{suffix}, got shape {vector.shape}")
    return _checks.real_array(name, vector, finite=True, copy=False)


def _as_sequence(name, points):
    if isinstance(points, np.ndarray) and points.ndim == 1:
        raise ValueError(f"{name} must be a sequence of points, got a single array of shape {points.shape}; "
                         f"wrap it in a tuple")
    return tuple(points)


def _frozen_point(name, point, dim):
    array = _checks.real_array(name, point, shape=(dim,), finite=True)
    array.setflags(write=False)
    return array


def _check_bounds(bounds, dim):
    try:
        pairs = tuple((float(low), float(high)) for low, high in bounds)
    except (TypeError, ValueError) as error:
        raise ValueError(f"bounds must be a sequence of (low, high) pairs, got {bounds!r}") from error
    if len(pairs) != dim:
        raise ValueError(f"bounds must have one (low, high) pair per coordinate ({dim}), got {len(pairs)}")
    for low, high in pairs:
        if not (np.isfinite(low) and np.isfinite(high) and low < high):
            raise ValueError(f"bounds must be finite pairs with low < high, got {(low, high)}")
    return pairs


# ---------------------------------------------------------------------------
# Plotting windows
# ---------------------------------------------------------------------------

def _level_set_half_width(hessian, level, margin=1.25):
    r"""Half-width of a cube around the minimizer that holds the level set ``f <= f* + level``.

    For :math:`f = f^\star + \tfrac12 d^\top H d` the level set reaches
    :math:`\sqrt{2\,\ell\,(H^{-1})_{ii}}` along coordinate :math:`i`; the widest
    reach, times ``margin``, is used on every axis (1 when the level is 0).
    """
    reach = np.sqrt(2.0 * max(level, 0.0) * np.diag(np.linalg.inv(hessian)))
    half_width = margin * float(np.max(reach))
    return half_width if half_width > 0 else 1.0


def _square_window(center, half_width):
    """The cube ``center +- half_width``, as one ``(low, high)`` pair per coordinate."""
    return tuple((float(c - half_width), float(c + half_width)) for c in center)


def _window(*points):
    """A plotting window holding the points with a margin of a quarter of their span (at least 1)."""
    stacked = np.array(points, dtype=float)
    low, high = stacked.min(axis=0), stacked.max(axis=0)
    margin = np.maximum(0.25 * (high - low), 1.0)
    return tuple((float(a), float(b)) for a, b in zip(low - margin, high + margin))


# ---------------------------------------------------------------------------
# Critical points to full precision
# ---------------------------------------------------------------------------

@lru_cache(maxsize=None)
def _critical_point(fun, guess):
    r"""The critical point of ``fun`` near ``guess``, to full precision; read-only.

    Newton's method on the gradient, :math:`\nabla^2 f(x_k)\,(x_{k+1} - x_k) = -\nabla f(x_k)`,
    by :func:`optlib.newton_root` with exact derivatives from
    :mod:`optlib.autodiff`. From a guess good to a few digits it converges
    quadratically to the nearest zero of the gradient (a minimizer, a saddle
    or a maximum alike). Once rounding errors dominate, the iterates wander
    at the level of the rounding error, so the iterate with the smallest
    gradient is returned. ``fun`` must be a module-level function (the
    answer is cached per function and guess, a tuple of floats).
    """
    # imported here: optlib.second_order and optlib.autodiff are sibling packages of this one
    from optlib import autodiff
    from optlib.second_order import newton_root

    gradient = autodiff.grad(fun)
    result = newton_root(gradient, np.array(guess, dtype=float), fprime=autodiff.hessian(fun),
                         tol=1e-14, maxiter=50)
    sizes = [np.max(np.abs(gradient(point))) for point in result.path]
    best = np.array(result.path[int(np.argmin(sizes))])
    best.setflags(write=False)
    return best


def _column(data, x):
    """``data`` (one entry per residual) shaped to broadcast against ``x[0]`` of shape ``(...)``."""
    return np.reshape(data, (-1,) + (1,) * (len(x.shape) - 1))


def _mgh_objective(name, fun, dim, start, minimizers=(), minimum=0.0, stationary_points=(), bounds=None):
    """An Objective for a Moré-Garbow-Hillstrom problem; the window holds every listed point unless given."""
    if bounds is None:
        bounds = _window(start, *minimizers, *stationary_points)
    return Objective(name=name, fun=fun, dim=dim, minimizers=minimizers, minimum=minimum, bounds=bounds,
                     start=start, stationary_points=stationary_points)
