"""The objective as every method sees it: flat vectors in, counted evaluations, derivatives from autodiff.

:func:`optlib.minimize` wraps the caller's ``fun`` (with ``args``, ``jac``,
``hess``, ``hessp``) into one :class:`Problem`, so that the methods work on
flat float vectors, count evaluations the way SciPy does and never care where
the derivatives come from.
"""
from __future__ import annotations

import numpy as np

from optlib import autodiff


class Problem:
    """A counted view of ``fun(x, *args)`` over flat vectors ``x`` of length ``n``.

    Counting follows SciPy: every value counts 1 in ``nfev``, every gradient 1
    in ``njev``, every Hessian or Hessian-vector product 1 in ``nhev``; one
    value-and-gradient pass counts 1 in each. The first value computed is
    checked: a non-finite ``f(x0)`` raises ``ValueError``.
    """

    def __init__(self, fun, shape, args=(), jac=None, hess=None, hessp=None):
        if not callable(fun):
            raise TypeError(f"fun must be callable, got {fun!r}")
        for name, value in (("hess", hess), ("hessp", hessp)):
            if value is not None and not callable(value):
                raise TypeError(f"{name} must be callable or None, got {value!r}")
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
        value = np.asarray(f, dtype=float)
        if value.size != 1:
            raise ValueError(f"fun must return a scalar, got an array of shape {value.shape}")
        value = float(value.reshape(()))
        if not self._checked_start:
            self._checked_start = True
            if not np.isfinite(value):
                raise ValueError(f"fun(x0) must be finite, got {value}")
        return value

    def _gradient(self, g):
        g = np.asarray(g, dtype=float)
        if g.size != self.size:
            raise ValueError(f"the gradient must have {self.size} entries (the shape of x0, "
                             f"{self.shape}), got shape {g.shape}")
        return g.reshape(-1)

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
        return self._value(f), self._gradient(g)

    def grad(self, x, args=None):
        """grad f(x) alone: counts 1 in njev (and 1 in nfev when it comes from a combined pass)."""
        if callable(self._jac):
            self.njev += 1
            return self._gradient(self._jac(self._shaped(x), *(self.args if args is None else args)))
        return self.value_and_grad(x, args)[1]

    def hessian(self, x, args=None):
        """The dense Hessian, shape (n, n): counts 1 in nhev."""
        args = self.args if args is None else args
        self.nhev += 1
        xs = self._shaped(x)
        if self._hess is not None:
            H = np.asarray(self._hess(xs, *args), dtype=float)
        else:
            H = np.asarray(autodiff.hessian(self._scalar(args))(xs), dtype=float)
        if H.size != self.size ** 2:
            raise ValueError(f"the Hessian must have {self.size}x{self.size} entries, got shape {H.shape}")
        return H.reshape(self.size, self.size)

    def hessp(self, x, v, args=None):
        """The Hessian-vector product H(x) v without forming H (unless only ``hess`` was given): 1 in nhev."""
        args = self.args if args is None else args
        self.nhev += 1
        xs, vs = self._shaped(x), self._shaped(v)
        if self._hessp is not None:
            Hv = self._hessp(xs, vs, *args)
        elif self._hess is not None:
            Hv = np.asarray(self._hess(xs, *args), dtype=float).reshape(self.size, self.size) @ vs.reshape(-1)
        else:
            Hv = autodiff.hvp(self._scalar(args), xs, vs)
        return self._gradient(Hv)

    def _scalar(self, args):
        """The value alone, as a function of x, for autodiff (``fun`` may return the gradient too)."""
        if self._jac is True:
            return lambda z: self.fun(z, *args)[0]
        return lambda z: self.fun(z, *args)

    def shaped(self, x):
        """x (flat) in the caller's shape, as a new array."""
        return np.array(x, dtype=float).reshape(self.shape)


# ---- what every method reports ---------------------------------------------------------------

SUCCESS, MAXITER, LINE_SEARCH_FAILED, NOT_FINITE = 0, 1, 2, 3

MESSAGES = {
    SUCCESS: "Optimization terminated successfully.",
    MAXITER: "Maximum number of iterations has been exceeded.",
}


def report(x, fun, jac, path, status, message=None, **extra):
    """The fields a method hands back to :func:`optlib.minimize` (which adds the counts)."""
    return dict(x=x, fun=float(fun), jac=jac, nit=len(path) - 1, path=np.array(path), status=status,
                success=status == SUCCESS, message=message or MESSAGES[status], **extra)


def gradient_small(gradient, gtol):
    """SciPy's test: the largest gradient entry is at most gtol."""
    return float(np.max(np.abs(gradient), initial=0.0)) <= gtol


def line_search_failure(result):
    """The message for a failed line search."""
    return f"Line search failed: {result.message}."


def interpolated_first_step(value, previous_value, slope):
    r"""First trial step :math:`\min(1, 2.02\,(f_k - f_{k-1}) / \phi'(0))`: expect the last decrease again.

    :cite:`nocedal2006`, eq. (3.60), with SciPy's factor 1.01. Before the first
    iteration SciPy sets :math:`f_{-1} = f_0 + \lVert g_0 \rVert / 2`, which makes the first
    step move about one unit.
    """
    step = 1.01 * 2.0 * (value - previous_value) / slope
    return min(1.0, step) if np.isfinite(step) and step > 0 else 1.0
