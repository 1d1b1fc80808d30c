"""Checking derivatives against central finite differences.

Taught in :chapter:`01_differentiation/automatic_differentiation`; readers use it in
the exercises to test rules and models they write themselves:

>>> import numpy as np
>>> check_grads(lambda x: np.tanh(x) * x, (np.array([0.3, -1.2]),))   # silent: they agree
"""
from __future__ import annotations

import numpy as np

from optlib.autodiff.core import strip
from optlib.autodiff.transforms import _flatten, _unflatten, jvp, vjp

__all__ = ["check_grads"]


def _flat(out):
    """The leaves of a pytree output as one 1-D vector (built with traced operations)."""
    leaves, _ = _flatten(out)
    parts = [np.reshape(leaf, (-1,)) for leaf in leaves]
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


def _random_like(tree, rng):
    leaves, treedef = _flatten(tree)
    return _unflatten(treedef, [rng.standard_normal(np.shape(strip(leaf))) for leaf in leaves])


def _axpy(a, x, y):
    """a * x + y on pytrees of arrays."""
    xs, treedef = _flatten(x)
    ys, _ = _flatten(y)
    return _unflatten(treedef, [a * xi + yi for xi, yi in zip(xs, ys)])


def _vdot(x, y):
    xs, _ = _flatten(x)
    ys, _ = _flatten(y)
    return sum(float(np.sum(strip(a) * strip(b))) for a, b in zip(xs, ys))


def _numeric_directional(f, args, directions, eps):
    """(f(x + eps v) - f(x - eps v)) / (2 eps): the central difference, error O(eps^2)."""
    plus = f(*[_axpy(eps, v, x) for x, v in zip(args, directions)])
    minus = f(*[_axpy(-eps, v, x) for x, v in zip(args, directions)])
    return (np.asarray(strip(plus)) - np.asarray(strip(minus))) / (2 * eps)


def _report(mode, order, max_order, autodiff, numeric, error, tolerance, what, eps, name):
    def show(v):
        v = np.atleast_1d(np.asarray(v, dtype=float)).ravel()
        head = np.array2string(v[:6], precision=10, separator=", ")
        return head + (f" ... ({v.size} values)" if v.size > 6 else "")
    mode_name = {"fwd": "forward-mode (jvp)", "rev": "reverse-mode (vjp)"}[mode]
    lines = [
        f"check_grads: the {mode_name} derivative of order {order} of {name} disagrees with "
        f"central finite differences.",
        f"  compared:           {what}",
        f"  autodiff:           {show(autodiff)}",
        f"  finite differences: {show(numeric)}",
        f"  largest error {error:.3e} > tolerance {tolerance:.3e} (eps={eps:g})",
    ]
    if order > 1:
        lines.append(f"  (order {order} of {max_order}: the derivative of a derivative; the lower "
                     f"orders agreed)")
    lines.append("  Likely causes: a wrong derivative rule; a kink (abs, maximum, clip, relu) "
                 "within eps of the point; a function that is not smooth here.")
    return "\n".join(lines)


def check_grads(f, args, modes=("fwd", "rev"), order=2, eps=1e-6, rtol=1e-5, atol=1e-6, seed=0):
    """Compare f's derivatives with central finite differences; AssertionError if they disagree.

    Parameters
    ----------
    f : callable
        Function of ``len(args)`` arguments returning an array (or pytree).
    args : tuple
        The point (a single array is taken as a one-argument tuple). Pytrees allowed.
    modes : sequence of {"fwd", "rev"}
        Forward mode compares ``jvp(f, args, v)`` with the finite difference
        along a random direction ``v``; reverse mode compares
        :math:`\\langle \\mathrm{vjp}(u), v \\rangle` with
        :math:`\\langle u, \\text{finite difference along } v \\rangle` for random ``u``.
    order : int
        Highest order checked: order 2 applies the same checks to the
        first-order derivative maps themselves (as functions of ``args``).
    eps, rtol, atol : float
        Step of the central difference and the tolerance
        ``|autodiff - numeric| <= atol + rtol * max(|autodiff|, |numeric|)``.
    seed : int
        Seed of the random directions.

    Raises
    ------
    AssertionError
        With a report of both values, the error and the likely causes.
    """
    if not isinstance(args, (tuple, list)):
        args = (args,)
    args = tuple(args)
    for mode in modes:
        if mode not in ("fwd", "rev"):
            raise ValueError(f"check_grads: modes must contain 'fwd' and/or 'rev', got {mode!r}")
    if not (isinstance(order, int) and order >= 1):
        raise ValueError(f"check_grads: order must be a positive integer, got {order!r}")
    name = getattr(f, "__name__", "f")
    flat_f = lambda *a: _flat(f(*a))   # noqa: E731
    _check(flat_f, args, tuple(modes), 1, order, eps, rtol, atol, np.random.default_rng(seed), name)


def _compare(mode, level, max_order, autodiff, numeric, eps, rtol, atol, what, name):
    autodiff = np.asarray(strip(autodiff), dtype=float)
    numeric = np.asarray(numeric, dtype=float)
    error = np.abs(autodiff - numeric)
    tolerance = atol + rtol * np.maximum(np.abs(autodiff), np.abs(numeric))
    if not np.all(error <= tolerance):          # NaN compares False: it fails too
        worst = int(np.argmax(error - tolerance)) if error.size else 0
        raise AssertionError(_report(mode, level, max_order, autodiff, numeric,
                                     float(np.ravel(error)[worst]) if error.size else float("nan"),
                                     float(np.ravel(tolerance)[worst]) if error.size else 0.0,
                                     what, eps, name))


def _check(f, args, modes, level, max_order, eps, rtol, atol, rng, name):
    directions = tuple(_random_like(a, rng) for a in args)
    numeric = _numeric_directional(f, args, directions, eps)
    if "fwd" in modes:
        _, tangent = jvp(f, args, directions)
        _compare("fwd", level, max_order, tangent, numeric, eps, rtol, atol,
                 "J v, for a random direction v", name)
        if level < max_order:
            _check(lambda *a: jvp(f, a, directions)[1], args, modes, level + 1, max_order,
                   eps, rtol, atol, rng, name)
    if "rev" in modes:
        out, pullback = vjp(f, *args)
        u = rng.standard_normal(np.shape(strip(out)))
        cotangents = pullback(u)
        autodiff = sum(_vdot(c, v) for c, v in zip(cotangents, directions))
        _compare("rev", level, max_order, autodiff, float(np.sum(u * numeric)), eps, rtol, atol,
                 "<u, J v> = <J^T u, v>, for random u and v", name)
        if level < max_order:
            _check(lambda *a: _flat(vjp(f, *a)[1](u)), args, modes, level + 1, max_order,
                   eps, rtol, atol, rng, name)
