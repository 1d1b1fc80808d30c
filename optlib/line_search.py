r"""Line searches: how far to go along a search direction.

Given a point :math:`x`, a descent direction :math:`p` (one with
:math:`\nabla f(x)^\top p < 0`) and the one-dimensional restriction

.. math::

    \phi(\alpha) = f(x + \alpha p), \qquad \phi'(\alpha) = \nabla f(x + \alpha p)^\top p,

a line search picks a step :math:`\alpha > 0` that decreases :math:`f`
enough without being needlessly short. Two classical rules:

- :func:`wolfe` finds a step satisfying the **strong Wolfe conditions**, the
  rule behind BFGS, L-BFGS and nonlinear conjugate gradient (it guarantees
  :math:`s^\top y > 0`, so quasi-Newton updates stay positive definite);
- :func:`backtracking` shrinks a trial step until the **Armijo condition**
  holds, the rule for Newton's method and steepest descent.

Both return a :class:`LineSearchResult` and never raise on numerical trouble:
``success=False`` and ``message`` say what went wrong. The constants are
SciPy's defaults (:math:`c_1 = 10^{-4}`, :math:`c_2 = 0.9`).

Used in the chapters *Newton's method* and *BFGS* (``chapters/05_second_order``); used by :func:`optlib.minimize`.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["LineSearchResult", "wolfe", "backtracking"]


@dataclass(frozen=True)
class LineSearchResult:
    """The outcome of a line search.

    Attributes
    ----------
    step : float
        The accepted step :math:`\\alpha` (0 when the search failed).
    x : ndarray
        The accepted point :math:`x + \\alpha p` (``x`` itself on failure).
    fun : float
        :math:`f` at the accepted point.
    jac : ndarray or None
        The gradient there (:func:`wolfe` only; None for :func:`backtracking`).
    nfev : int
        How many times the function was evaluated (each :func:`wolfe` trial
        also evaluates the gradient once).
    success : bool
    message : str
    """

    step: float
    x: np.ndarray
    fun: float
    jac: np.ndarray | None
    nfev: int
    success: bool
    message: str


def _check_constants(c1, c2=None):
    if not 0.0 < c1 < 1.0:
        raise ValueError(f"c1 must lie in (0, 1), got {c1!r}")
    if c2 is not None and not c1 < c2 < 1.0:
        raise ValueError(f"c2 must lie in (c1, 1) = ({c1}, 1), got {c2!r}")


def _cubic_minimizer(a, fa, dfa, b, fb, dfb):
    """Minimizer of the cubic matching value and slope at ``a`` and ``b`` (None if it has none)."""
    with np.errstate(all="ignore"):
        d1 = dfa + dfb - 3.0 * (fa - fb) / (a - b)
        radicand = d1 * d1 - dfa * dfb
        if not radicand >= 0.0:
            return None
        d2 = np.sign(b - a) * np.sqrt(radicand)
        t = b - (b - a) * (dfb + d2 - d1) / (dfb - dfa + 2.0 * d2)
    return float(t) if np.isfinite(t) else None


def wolfe(fun, x, direction, value=None, gradient=None, c1=1e-4, c2=0.9, step=1.0,
          max_step=1e10, maxiter=30):
    r"""A step satisfying the strong Wolfe conditions, by bracketing and zoom.

    Parameters
    ----------
    fun : callable
        ``fun(x) -> (value, gradient)``: one pass gives both.
    x : ndarray of shape (n,)
        The current point.
    direction : ndarray of shape (n,)
        A descent direction :math:`p`.
    value, gradient : float and ndarray, optional
        :math:`f(x)` and :math:`\nabla f(x)` if already known (otherwise
        computed, counting one evaluation).
    c1, c2 : float
        Sufficient decrease and curvature constants, :math:`0 < c_1 < c_2 < 1`.
        Quasi-Newton methods use :math:`c_2 = 0.9`; nonlinear conjugate
        gradient wants a more exact search, :math:`c_2 < 1/2`.
    step : float
        The first trial step :math:`\alpha_1` (1 for Newton-like directions).
    max_step : float
        The largest step tried.
    maxiter : int
        Evaluations allowed in the search.

    Returns
    -------
    LineSearchResult

    Notes
    -----
    The strong Wolfe conditions on :math:`\alpha` are

    .. math::

        \phi(\alpha) \le \phi(0) + c_1 \alpha \phi'(0)
        \quad\text{(sufficient decrease)}, \qquad
        \lvert\phi'(\alpha)\rvert \le c_2 \lvert\phi'(0)\rvert
        \quad\text{(curvature)}.

    Algorithm 3.5 of :cite:`nocedal2006`: trial steps grow until one of them
    violates sufficient decrease, or is no lower than the previous one, or has
    :math:`\phi' \ge 0`; then an interval :math:`[\alpha_{lo}, \alpha_{hi}]`
    is known to contain acceptable steps and *zoom* (Algorithm 3.6) shrinks it.
    Each trial inside it is the minimizer of the cubic that matches
    :math:`\phi` and :math:`\phi'` at both ends (bisection if that falls
    within 10% of an end). A non-finite value counts as "too far". New trial
    steps while bracketing are the cubic's minimizer kept within
    :math:`[1.1\alpha, 10\alpha]` (:math:`2\alpha` when the cubic has no minimizer).

    References
    ----------
    :cite:`nocedal2006`, section 3.5.
    """
    _check_constants(c1, c2)
    x = np.asarray(x, dtype=float)
    direction = np.asarray(direction, dtype=float)
    nfev = 0
    if value is None or gradient is None:
        value, gradient = fun(x)
        nfev += 1
    phi0, dphi0 = float(value), float(gradient @ direction)
    failed = dict(step=0.0, x=x, fun=phi0, jac=gradient, success=False)
    if not dphi0 < 0.0:
        return LineSearchResult(nfev=nfev, message=f"not a descent direction (slope {dphi0:.3g} >= 0)",
                                **failed)

    def phi(alpha):
        nonlocal nfev
        nfev += 1
        f, g = fun(x + alpha * direction)
        f = float(f)
        if not np.isfinite(f):
            return np.inf, np.nan, g
        return f, float(g @ direction), g

    def accept(alpha, f, g):
        return LineSearchResult(step=alpha, x=x + alpha * direction, fun=f, jac=g, nfev=nfev,
                                success=True, message="strong Wolfe conditions hold")

    def zoom(lo, f_lo, df_lo, g_lo, hi, f_hi, df_hi):
        while nfev < maxiter:
            width = hi - lo
            trial = None
            if np.isfinite(f_hi) and np.isfinite(df_hi):
                trial = _cubic_minimizer(lo, f_lo, df_lo, hi, f_hi, df_hi)
            low_end, high_end = min(lo, hi), max(lo, hi)
            margin = 0.1 * abs(width)
            if trial is None or not low_end + margin <= trial <= high_end - margin:
                trial = lo + 0.5 * width
            if abs(width) <= 1e-14 * max(1.0, abs(lo)):
                break
            f, df, g = phi(trial)
            if f > phi0 + c1 * trial * dphi0 or f >= f_lo:
                hi, f_hi, df_hi = trial, f, df
            else:
                if abs(df) <= -c2 * dphi0:
                    return accept(trial, f, g)
                if df * (hi - lo) >= 0:
                    hi, f_hi, df_hi = lo, f_lo, df_lo
                lo, f_lo, df_lo, g_lo = trial, f, df, g
        return LineSearchResult(
            step=lo, x=x + lo * direction, fun=f_lo, jac=g_lo, nfev=nfev, success=False,
            message=f"line search failed: no step satisfying the strong Wolfe conditions found in "
                    f"{nfev} evaluations (best step {lo:.3g})")

    previous, f_previous, df_previous, g_previous = 0.0, phi0, dphi0, gradient
    alpha = min(float(step), max_step)
    while nfev < maxiter:
        f, df, g = phi(alpha)
        if f > phi0 + c1 * alpha * dphi0 or (previous > 0 and f >= f_previous):
            return zoom(previous, f_previous, df_previous, g_previous, alpha, f, df)
        if abs(df) <= -c2 * dphi0:
            return accept(alpha, f, g)
        if df >= 0:
            return zoom(alpha, f, df, g, previous, f_previous, df_previous)
        if alpha >= max_step:
            return LineSearchResult(step=alpha, x=x + alpha * direction, fun=f, jac=g, nfev=nfev,
                                    success=False, message=f"line search reached the largest step "
                                                           f"{max_step:g} (is f bounded below?)")
        guess = _cubic_minimizer(previous, f_previous, df_previous, alpha, f, df)
        following = 2.0 * alpha if guess is None else min(max(guess, 1.1 * alpha), 10.0 * alpha)
        previous, f_previous, df_previous, g_previous = alpha, f, df, g
        alpha = min(following, max_step)
    return LineSearchResult(step=previous, x=x + previous * direction, fun=f_previous, jac=g_previous,
                            nfev=nfev, success=False,
                            message=f"line search failed: no bracket found in {nfev} evaluations")


def backtracking(fun, x, direction, value=None, gradient=None, c1=1e-4, step=1.0, maxiter=50):
    r"""A step satisfying the Armijo (sufficient decrease) condition, by backtracking.

    Parameters
    ----------
    fun : callable
        ``fun(x) -> value``; no gradient is needed after the start.
    x, direction : ndarray of shape (n,)
        The point and a descent direction :math:`p`.
    value : float, optional
        :math:`f(x)` if already known.
    gradient : ndarray of shape (n,)
        :math:`\nabla f(x)` (required: it gives the slope :math:`\phi'(0)`).
    c1 : float
        The sufficient decrease constant, :math:`0 < c_1 < 1`.
    step : float
        The first trial step (1 for Newton's method).
    maxiter : int
        Evaluations allowed.

    Returns
    -------
    LineSearchResult
        ``jac`` is None.

    Notes
    -----
    Starting from :math:`\alpha = \alpha_0`, accept the first step with

    .. math::

        \phi(\alpha) \le \phi(0) + c_1 \alpha \phi'(0),

    otherwise replace :math:`\alpha` by the minimizer of the quadratic through
    :math:`\phi(0)`, :math:`\phi'(0)` and :math:`\phi(\alpha)`, kept within
    :math:`[0.1\alpha, 0.5\alpha]` (plain halving when :math:`\phi(\alpha)` is
    not finite). Far from a minimum this shrinks fast; a Newton step on a
    nearly quadratic function is accepted at once.

    References
    ----------
    :cite:`nocedal2006`, section 3.1 and Algorithm 3.1 (interpolation: section 3.5).
    """
    _check_constants(c1)
    if gradient is None:
        raise ValueError("backtracking needs the gradient at x (for the slope along the direction)")
    x = np.asarray(x, dtype=float)
    direction = np.asarray(direction, dtype=float)
    nfev = 0
    if value is None:
        value = fun(x)
        nfev += 1
    phi0, dphi0 = float(value), float(np.asarray(gradient) @ direction)
    if not dphi0 < 0.0:
        return LineSearchResult(step=0.0, x=x, fun=phi0, jac=None, nfev=nfev, success=False,
                                message=f"not a descent direction (slope {dphi0:.3g} >= 0)")
    alpha = float(step)
    while nfev < maxiter:
        f = float(fun(x + alpha * direction))
        nfev += 1
        if f <= phi0 + c1 * alpha * dphi0:
            return LineSearchResult(step=alpha, x=x + alpha * direction, fun=f, jac=None, nfev=nfev,
                                    success=True, message="Armijo condition holds")
        if np.isfinite(f):
            quadratic = -dphi0 * alpha ** 2 / (2.0 * (f - phi0 - dphi0 * alpha))
            alpha = min(max(quadratic, 0.1 * alpha), 0.5 * alpha)
        else:
            alpha = 0.5 * alpha
    return LineSearchResult(step=0.0, x=x, fun=phi0, jac=None, nfev=nfev, success=False,
                            message=f"line search failed: no step satisfying the Armijo condition in "
                                    f"{nfev} evaluations (last step tried {alpha:.3g})")
