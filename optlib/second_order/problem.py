"""The objective as every method sees it, and the bookkeeping every method shares.

:func:`optlib.minimize` wraps the caller's ``fun`` (with ``args``, ``jac``,
``hess``, ``hessp``) into one :class:`Problem`, so that the methods work on
flat float vectors, count evaluations the way SciPy does and never care where
the derivatives come from. A :class:`Run` keeps the path of iterates, calls
the callback after each one and builds the result at the end, so that every
method reports in the same way (status codes from
:mod:`optlib.second_order.status`).
"""
from __future__ import annotations

import numpy as np

from optlib import _checks, autodiff
from optlib.second_order.status import MAXITER, NOT_FINITE, STATUS, SUCCESS


class Problem:
    """A counted view of ``fun(x, *args)`` over flat vectors ``x`` of length ``n``.

    Counting follows SciPy: every value counts 1 in ``nfev``, every gradient 1
    in ``njev``, every Hessian or Hessian-vector product 1 in ``nhev``; one
    value-and-gradient pass counts 1 in each. The first value computed is
    checked: a non-finite ``f(x0)`` raises ``ValueError``, and so does a
    complex value or gradient at any point (its imaginary part would be lost).
    """

    def __init__(self, fun, shape, args=(), jac=None, hess=None, hessp=None):
        _checks.function("fun", fun)
        for name, value in (("hess", hess), ("hessp", hessp)):
            if value is not None:
                _checks.function(name, value, "None or a function")
        if not (jac is None or jac is True or callable(jac)):
            raise TypeError(f"jac must be None, True or a callable, got {jac!r}")
        self.fun, self.shape, self.args = fun, tuple(shape), tuple(args)
        self._jac, self._hess, self._hessp = jac, hess, hessp
        self.size = int(np.prod(self.shape))
        self.nfev = self.njev = self.nhev = 0
        self._checked_start = False

    # ---- conversions ----------------------------------------------------------------------

    def _shaped(self, x):
        return np.asarray(x, dtype=float).reshape(self.shape)

    def _value(self, f):
        value = _checks.real_array("fun(x)", f, copy=False)
        if value.size != 1:
            raise ValueError(f"fun must return a scalar, got an array of shape {value.shape}")
        value = float(value.reshape(()))
        if not self._checked_start:
            self._checked_start = True
            if not np.isfinite(value):
                raise ValueError(f"fun(x0) must be finite, got {value}")
        return value

    def _vector(self, name, v):
        v = _checks.real_array(name, v, copy=False)
        if v.size != self.size:
            raise ValueError(f"{name} must have {self.size} entries (the shape of x0, {self.shape}), "
                             f"got shape {v.shape}")
        return v.reshape(-1)

    # ---- evaluations ----------------------------------------------------------------------

    def value(self, x, args=None):
        """f(x): counts 1 in nfev."""
        args = self.args if args is None else args
        self.nfev += 1
        if self._jac is True:
            return self._value(self.fun(self._shaped(x), *args)[0])
        return self._value(self.fun(self._shaped(x), *args))

    def value_and_grad(self, x, args=None):
        """(f(x), grad f(x)): counts 1 in nfev and 1 in njev."""
        args = self.args if args is None else args
        self.nfev += 1
        self.njev += 1
        xs = self._shaped(x)
        if self._jac is True:
            f, g = self.fun(xs, *args)
        elif callable(self._jac):
            f, g = self.fun(xs, *args), self._jac(xs, *args)
        else:
            f, g = autodiff.value_and_grad(self.fun)(xs, *args)
        return self._value(f), self._vector("the gradient", g)

    def hessian(self, x, args=None):
        """The dense Hessian, shape (n, n): counts 1 in nhev."""
        args = self.args if args is None else args
        self.nhev += 1
        xs = self._shaped(x)
        if self._hess is not None:
            H = self._hess(xs, *args)
        else:
            H = autodiff.hessian(self._scalar(args))(xs)
        H = _checks.real_array("the Hessian", H, copy=False)
        if H.size != self.size ** 2:
            raise ValueError(f"the Hessian must have {self.size}x{self.size} entries, got shape {H.shape}")
        return H.reshape(self.size, self.size)

    def hessp(self, x, v, args=None, product=None):
        """The Hessian-vector product H(x) v without forming H (unless only ``hess`` was given): 1 in nhev.

        ``product(x, v, *args)``, when given, replaces the Hessian by another
        curvature matrix (Krylov subspace descent's Gauss-Newton matrix) and is
        counted the same way.
        """
        args = self.args if args is None else args
        self.nhev += 1
        xs, vs = self._shaped(x), self._shaped(v)
        if product is not None:
            Hv = product(xs, vs, *args)
        elif self._hessp is not None:
            Hv = self._hessp(xs, vs, *args)
        elif self._hess is not None:
            Hv = np.asarray(self._hess(xs, *args), dtype=float).reshape(self.size, self.size) @ vs.reshape(-1)
        else:
            Hv = autodiff.hvp(self._scalar(args), xs, vs)
        return self._vector("the Hessian-vector product", Hv)

    def _scalar(self, args):
        """The value alone, as a function of x, for autodiff (``fun`` may return the gradient too)."""
        if self._jac is True:
            return lambda z: self.fun(z, *args)[0]
        return lambda z: self.fun(z, *args)

    def shaped(self, x):
        """x (flat) in the caller's shape, as a new array."""
        return np.array(x, dtype=float).reshape(self.shape)


# ---- what every method reports ---------------------------------------------------------------

class Run:
    """The bookkeeping of one run: the path of iterates, the callback after each, the result at the end.

    ``record(x)`` after every iteration; ``finish(...)`` when the loop ends,
    ``result(...)`` to end with a given status (a failed line search, say).
    """

    def __init__(self, problem, x0, callback=None, maxiter=None):
        self.problem, self.callback, self.maxiter = problem, callback, maxiter
        self.path = [x0]

    def record(self, x):
        """Append the new iterate to the path and show it to the callback (in x0's shape)."""
        self.path.append(x)
        if self.callback is not None:
            self.callback(self.problem.shaped(x))

    def result(self, x, fun, jac, status, message=None, **extra):
        """The fields a method hands back to :func:`optlib.minimize` (which adds the counts)."""
        return dict(x=x, fun=float(fun), jac=jac, nit=len(self.path) - 1, path=np.array(self.path),
                    status=status, success=status == SUCCESS, message=message or STATUS[status][1], **extra)

    def finish(self, x, fun, jac, gtol, **extra):
        """The result when the loop is over: converged, stopped by a non-finite gradient, or out of iterations."""
        if not np.all(np.isfinite(jac)):
            return self.result(x, fun, jac, NOT_FINITE, f"The gradient is not finite at iteration "
                                                        f"{len(self.path) - 1}: {_first_bad(jac)}.", **extra)
        if gradient_small(jac, gtol):
            return self.result(x, fun, jac, SUCCESS, **extra)
        return self.result(x, fun, jac, MAXITER, f"Maximum number of iterations ({self.maxiter}) has been "
                                                 f"exceeded.", **extra)


def _first_bad(vector):
    index = int(np.flatnonzero(~np.isfinite(vector))[0])
    return f"entry {index} is {vector[index]}"


def should_stop(gradient, gtol):
    """The test at the top of every iteration: the gradient is small, or not finite (nothing can follow)."""
    return gradient_small(gradient, gtol) or not np.all(np.isfinite(gradient))


def gradient_small(gradient, gtol):
    """SciPy's test: the largest gradient entry is at most gtol."""
    return float(np.max(np.abs(gradient), initial=0.0)) <= gtol


def line_search_failure(result):
    """The message of a run that ends because its line search failed."""
    return f"Line search failed: {result.message}."


def interpolated_first_step(value, previous_value, slope):
    r"""First trial step :math:`\min(1, 2.02\,(f_k - f_{k-1}) / \phi'(0))`: expect the last decrease again.

    :cite:`nocedal2006`, eq. (3.60), with SciPy's factor 1.01. Before the first
    iteration SciPy sets :math:`f_{-1} = f_0 + \lVert g_0 \rVert / 2`, which makes the first
    step move about one unit.
    """
    step = 1.01 * 2.0 * (value - previous_value) / slope
    return min(1.0, step) if np.isfinite(step) and step > 0 else 1.0
