r"""Line searches: how far to go along a search direction.

Given a point :math:`x`, a descent direction :math:`p` (one with
:math:`\nabla f(x)^\top p < 0`) and the one-dimensional restriction

.. math::

    \phi(\alpha) = f(x + \alpha p), \qquad \phi'(\alpha) = \nabla f(x + \alpha p)^\top p,

a line search picks a step :math:`\alpha > 0` that decreases :math:`f`
enough without being needlessly short. Two classical rules:

- :func:`wolfe` finds a step satisfying the **strong Wolfe conditions**, the
  rule behind BFGS, L-BFGS, nonlinear conjugate gradient and Newton-CG (it
  guarantees :math:`s^\top y > 0`, so quasi-Newton updates stay positive
  definite); its second phase is :func:`zoom`;
- :func:`backtracking` shrinks a trial step until the **Armijo condition**
  holds, the rule for steepest descent and coordinate descent.

Both return a :class:`LineSearchResult` and never raise on numerical trouble:
``success=False`` and ``message`` say what went wrong. Bad arguments raise:
``TypeError`` for a wrong type, ``ValueError`` for a bad value. The constants
are SciPy's defaults (:math:`c_1 = 10^{-4}`, :math:`c_2 = 0.9`).

Taught in :chapter:`05_second_order/newtons_method` and :chapter:`05_second_order/bfgs`; used by
:func:`optlib.minimize`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from optlib import _checks

__all__ = ["LineSearchResult", "Trial", "wolfe", "zoom", "backtracking"]


@dataclass(frozen=True)
class LineSearchResult:
    """The outcome of a line search.

    Attributes
    ----------
    step : float
        The accepted step :math:`\\alpha` (on failure, the best step seen, or 0).
    x : ndarray
        The point :math:`x + \\alpha p` for that step.
    fun : float
        :math:`f` there.
    jac : ndarray or None
        The gradient there (:func:`wolfe` only; None for :func:`backtracking`).
    nfev : int
        How many times the function was evaluated (each :func:`wolfe` trial
        also evaluates the gradient once).
    success : bool
    message : str
        What happened, e.g. ``"strong Wolfe conditions hold"`` or why no step
        was found (a method that gives up prefixes it with "Line search failed").
    """

    step: float
    x: np.ndarray
    fun: float
    jac: np.ndarray | None
    nfev: int
    success: bool
    message: str


class Trial(NamedTuple):
    r"""One evaluated step: :math:`\alpha`, :math:`\phi(\alpha)`, :math:`\phi'(\alpha)` and :math:`\nabla f(x + \alpha p)`."""

    step: float
    value: float
    slope: float
    gradient: np.ndarray


class _Restriction:
    r""":math:`\phi(\alpha)` and :math:`\phi'(\alpha)` from one pass of ``fun``, counting the passes.

    A step where the value or the slope is not finite counts as "too far": its
    value is :math:`+\infty`, so sufficient decrease fails there.
    """

    def __init__(self, fun, x, direction):
        self.fun, self.x, self.direction = fun, x, direction
        self.nfev = 0

    def __call__(self, step):
        self.nfev += 1
        value, gradient = self.fun(self.x + step * self.direction)
        value, slope = float(value), float(gradient @ self.direction)
        if not (np.isfinite(value) and np.isfinite(slope)):
            return Trial(step, np.inf, np.nan, gradient)
        return Trial(step, value, slope, gradient)


def _cubic_minimizer(a, b):
    r"""Minimizer of the cubic matching :math:`\phi` and :math:`\phi'` at the trials ``a`` and ``b`` (None if none).

    :cite:`nocedal2006`, eq. (3.59).
    """
    with np.errstate(all="ignore"):
        d1 = a.slope + b.slope - 3.0 * (a.value - b.value) / (a.step - b.step)
        radicand = d1 * d1 - a.slope * b.slope
        if not radicand >= 0.0:
            return None
        d2 = np.sign(b.step - a.step) * np.sqrt(radicand)
        t = b.step - (b.step - a.step) * (b.slope + d2 - d1) / (b.slope - a.slope + 2.0 * d2)
    return float(t) if np.isfinite(t) else None


def _sufficient_decrease(trial, origin, c1):
    return trial.value <= origin.value + c1 * trial.step * origin.slope


def _curvature_condition(trial, origin, c2):
    return abs(trial.slope) <= -c2 * origin.slope


def _check_line(x, direction):
    x = _checks.real_array("x", x, ndim=1, copy=False)
    return x, _checks.real_array("direction", direction, shape=x.shape, copy=False)


def wolfe(fun, x, direction, value=None, gradient=None, c1=1e-4, c2=0.9, step=1.0,
          max_step=1e10, maxiter=30):
    r"""A step satisfying the strong Wolfe conditions, by bracketing and :func:`zoom`.

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
        The first trial step :math:`\alpha_1 > 0` (1 for Newton-like directions).
    max_step : float
        The largest step tried, :math:`\alpha_{\max} > 0`.
    maxiter : int
        Evaluations allowed in the search (at least 1).

    Returns
    -------
    LineSearchResult

    Raises
    ------
    TypeError, ValueError
        For an argument of the wrong type or out of range, e.g. ``step=0``.

    Notes
    -----
    The strong Wolfe conditions on :math:`\alpha` are

    .. math::

        \phi(\alpha) \le \phi(0) + c_1 \alpha \phi'(0)
        \quad\text{(sufficient decrease)}, \qquad
        \lvert\phi'(\alpha)\rvert \le c_2 \lvert\phi'(0)\rvert
        \quad\text{(curvature)}.

    This is Algorithm 3.5 of :cite:`nocedal2006`, line for line: trial steps
    :math:`\alpha_1 < \alpha_2 < \dots` grow until one of them violates
    sufficient decrease or is no lower than the previous one (then
    :math:`[\alpha_{i-1}, \alpha_i]` brackets acceptable steps), satisfies
    both conditions (accepted), or has :math:`\phi'(\alpha_i) \ge 0` (then
    :math:`[\alpha_i, \alpha_{i-1}]` does); a bracket goes to :func:`zoom`.
    A step where :math:`f` or its gradient is not finite counts as too far.
    The next trial step is the minimizer of the cubic matching :math:`\phi` and
    :math:`\phi'` at the last two steps, kept within
    :math:`[1.1\alpha_i, 10\alpha_i]` (:math:`2\alpha_i` when the cubic has no
    minimizer).

    How the tuning was chosen: these factors, the safeguard inside
    :func:`zoom` and the first trial step of each method were chosen on the 35
    Moré-Garbow-Hillstrom problems of
    :func:`optlib.functions.more_garbow_hillstrom` from their standard starts
    (``benchmarks/minimize.py``), which is also the set the tests measure them
    on: there is no separate validation set, so expect less on other problems.

    References
    ----------
    :cite:`nocedal2006`, section 3.5, Algorithms 3.5 and 3.6.
    """
    c1 = _checks.in_interval("c1", c1, 0.0, 1.0, closed="neither")
    c2 = _checks.in_interval("c2", c2, c1, 1.0, closed="neither", meaning="(from c1 to 1)")
    step = _checks.positive("step", step)
    max_step = _checks.positive("max_step", max_step)
    maxiter = _checks.integer("maxiter", maxiter, minimum=1)
    x, direction = _check_line(x, direction)
    phi = _Restriction(fun, x, direction)
    if value is None or gradient is None:
        value, gradient = fun(x)
        phi.nfev += 1
    origin = Trial(0.0, float(value), float(gradient @ direction), gradient)
    if not origin.slope < 0.0:
        return _result(x, direction, origin, phi.nfev, False,
                       f"not a descent direction (slope {origin.slope:.3g} >= 0)")

    previous, alpha = origin, min(step, max_step)
    while phi.nfev < maxiter:
        trial = phi(alpha)
        if not _sufficient_decrease(trial, origin, c1) or (previous is not origin
                                                           and trial.value >= previous.value):
            return _zoomed(x, direction, phi, origin, previous, trial, c1, c2, maxiter)
        if _curvature_condition(trial, origin, c2):
            return _result(x, direction, trial, phi.nfev, True, "strong Wolfe conditions hold")
        if trial.slope >= 0.0:
            return _zoomed(x, direction, phi, origin, trial, previous, c1, c2, maxiter)
        if alpha >= max_step:
            return _result(x, direction, trial, phi.nfev, False,
                           f"the largest step {max_step:g} was reached (is f bounded below?)")
        guess = _cubic_minimizer(previous, trial)
        alpha = min(2.0 * alpha if guess is None else min(max(guess, 1.1 * alpha), 10.0 * alpha), max_step)
        previous = trial
    return _result(x, direction, previous, phi.nfev, False,
                   f"no bracket of acceptable steps found in {phi.nfev} evaluations; f still decreases at "
                   f"step {previous.step:.3g} (is f bounded below?)")


def zoom(phi, origin, lo, hi, c1, c2, maxiter):
    r"""Algorithm 3.6 of :cite:`nocedal2006`: shrink a bracket until a step satisfies the strong Wolfe conditions.

    Parameters
    ----------
    phi : callable
        ``phi(alpha) -> Trial``, the restriction of :math:`f` to the line, with
        a count ``phi.nfev`` of its evaluations.
    origin : Trial
        :math:`\alpha = 0`, with :math:`\phi(0)` and :math:`\phi'(0) < 0`.
    lo, hi : Trial
        The bracket's ends: :math:`\alpha_{lo}` satisfies sufficient decrease
        and has the lowest value seen, and
        :math:`\phi'(\alpha_{lo})(\alpha_{hi} - \alpha_{lo}) < 0`, so an
        acceptable step lies between them (:math:`\alpha_{hi}` may be smaller).
    c1, c2 : float
        The Wolfe constants.
    maxiter : int
        Stop when ``phi.nfev`` reaches it.

    Returns
    -------
    (Trial, bool)
        The accepted trial and True; or, when the evaluations run out or the
        bracket shrinks to rounding level, :math:`\alpha_{lo}` and False.

    Notes
    -----
    Each trial step is the minimizer of the cubic matching :math:`\phi` and
    :math:`\phi'` at both ends, kept between 1/10 and 1/2 of the way from
    :math:`\alpha_{lo}` to :math:`\alpha_{hi}` (the sectioning safeguard of
    :cite:`fletcher1987`). Then::

        if phi(trial) > phi(0) + c1 trial phi'(0)  or  phi(trial) >= phi(lo):
            hi = trial                              # trial is too far
        else:
            if |phi'(trial)| <= -c2 phi'(0): accept trial
            if phi'(trial) (hi - lo) >= 0:  hi = lo # the minimum lies behind trial
            lo = trial
    """
    while phi.nfev < maxiter and abs(hi.step - lo.step) > 1e-14 * max(1.0, lo.step):
        trial = phi(_interpolate(lo, hi))
        if not _sufficient_decrease(trial, origin, c1) or trial.value >= lo.value:
            hi = trial
        else:
            if _curvature_condition(trial, origin, c2):
                return trial, True
            if trial.slope * (hi.step - lo.step) >= 0.0:
                hi = lo
            lo = trial
    return lo, False


def _interpolate(lo, hi):
    r"""The trial step inside the bracket, from the cubic through both ends, safeguarded.

    The cubic's minimizer is kept between 1/10 and 1/2 of the way from
    :math:`\alpha_{lo}` (the better end) to :math:`\alpha_{hi}`, Fletcher's
    safeguard (:math:`\tau_2 = 0.1`, :math:`\tau_3 = 0.5`): the bracket shrinks
    by at least half, and fast when :math:`\phi(\alpha_{hi})` is huge. When
    :math:`\phi(\alpha_{hi})` is not finite the trial is 1/10 of the way; when the
    cubic has no minimizer, the midpoint.
    """
    width = hi.step - lo.step
    if not np.isfinite(hi.value):
        return lo.step + 0.1 * width
    cubic = _cubic_minimizer(lo, hi)
    if cubic is None:
        return lo.step + 0.5 * width
    return lo.step + min(max((cubic - lo.step) / width, 0.1), 0.5) * width


def _zoomed(x, direction, phi, origin, lo, hi, c1, c2, maxiter):
    trial, found = zoom(phi, origin, lo, hi, c1, c2, maxiter)
    if found:
        return _result(x, direction, trial, phi.nfev, True, "strong Wolfe conditions hold")
    return _result(x, direction, trial, phi.nfev, False,
                   f"no step satisfying the strong Wolfe conditions found in {phi.nfev} evaluations "
                   f"(best step {trial.step:.3g})")


def _result(x, direction, trial, nfev, success, message):
    return LineSearchResult(step=trial.step, x=x + trial.step * direction, fun=trial.value, jac=trial.gradient,
                            nfev=nfev, success=success, message=message)


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
        The first trial step :math:`\alpha_0 > 0` (1 for Newton's method).
    maxiter : int
        Evaluations allowed (at least 1).

    Returns
    -------
    LineSearchResult
        ``jac`` is None.

    Raises
    ------
    TypeError, ValueError
        For an argument of the wrong type (``gradient=None``) or out of range (``step <= 0``).

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
    c1 = _checks.in_interval("c1", c1, 0.0, 1.0, closed="neither")
    step = _checks.positive("step", step)
    maxiter = _checks.integer("maxiter", maxiter, minimum=1)
    if gradient is None:
        raise TypeError("gradient must be the gradient at x (an array, for the slope along the direction), "
                        "got None")
    x, direction = _check_line(x, direction)
    gradient = _checks.real_array("gradient", gradient, shape=x.shape, copy=False)
    nfev = 0
    if value is None:
        value = fun(x)
        nfev += 1
    phi0, dphi0 = float(value), float(gradient @ direction)
    if not dphi0 < 0.0:
        return LineSearchResult(step=0.0, x=x, fun=phi0, jac=None, nfev=nfev, success=False,
                                message=f"not a descent direction (slope {dphi0:.3g} >= 0)")
    alpha = step
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
                            message=f"no step satisfying the Armijo condition in {nfev} evaluations "
                                    f"(last step tried {alpha:.3g})")
