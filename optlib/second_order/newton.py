"""Newton's method, for minimisation (safeguarded by a trust region) and for equations.

Taught in :chapter:`05_second_order/newtons_method`.
"""
import numpy as np
from scipy.optimize import OptimizeResult

from optlib import _checks, autodiff
from optlib.second_order.problem import Run, should_stop
from optlib.second_order.status import (MAXITER, NOT_FINITE, SINGULAR_JACOBIAN, STATUS, SUCCESS,
                                        TRUST_REGION_COLLAPSED)


def trust_region_step(hessian, gradient, radius):
    r"""The exact minimizer of Newton's quadratic model inside a ball: Moré and Sorensen's step.

    Parameters
    ----------
    hessian : ndarray of shape (n, n)
        :math:`H`, symmetric (not necessarily positive definite).
    gradient : ndarray of shape (n,)
        :math:`g`.
    radius : float
        :math:`\Delta > 0`.

    Returns
    -------
    step : ndarray of shape (n,)
        :math:`p^\star = \arg\min_{\lVert p\rVert \le \Delta} m(p)`,
        :math:`m(p) = g^\top p + \tfrac12 p^\top H p`.
    on_boundary : bool
        Whether :math:`\lVert p^\star \rVert = \Delta` (False for the pure Newton step).

    Notes
    -----
    :math:`p^\star` solves the sub-problem exactly when, for some
    :math:`\lambda \ge 0` (:cite:`nocedal2006`, Theorem 4.1),

    .. math::

        (H + \lambda I)\, p^\star = -g, \qquad H + \lambda I \succeq 0, \qquad
        \lambda\,(\Delta - \lVert p^\star\rVert) = 0 .

    With the eigendecomposition :math:`H = Q \Lambda Q^\top`,
    :math:`\lambda_1 \le \dots \le \lambda_n`, and :math:`c = Q^\top g`,

    .. math::

        p(\lambda) = -\sum_i \frac{c_i}{\lambda_i + \lambda}\, q_i, \qquad
        \lVert p(\lambda)\rVert^2 = \sum_i \frac{c_i^2}{(\lambda_i + \lambda)^2} .

    If :math:`H` is positive definite and the Newton step :math:`p(0)` lies in
    the ball, it is the answer. Otherwise :math:`\lambda > \max(0, -\lambda_1)`
    solves the secular equation :math:`1/\Delta - 1/\lVert p(\lambda)\rVert = 0`,
    found by Newton's method in :math:`\lambda`,

    .. math::

        \lambda \leftarrow \lambda + \Bigl(\frac{\lVert p\rVert}{\lVert q\rVert}\Bigr)^2
        \frac{\lVert p\rVert - \Delta}{\Delta}, \qquad
        \lVert q\rVert^2 = \sum_i \frac{c_i^2}{(\lambda_i + \lambda)^3},

    which, started left of the root, increases monotonically to it (the
    function is concave). In the *hard case* (:math:`g` has no component along
    the lowest eigenvector :math:`q_1` and :math:`\lVert p(-\lambda_1)\rVert < \Delta`)
    no such :math:`\lambda` exists; then
    :math:`p^\star = p(-\lambda_1) + \tau q_1` with :math:`\tau` chosen so that
    :math:`\lVert p^\star\rVert = \Delta` and :math:`m` is lower.

    References
    ----------
    :cite:`nocedal2006`, section 4.3 (Algorithm 4.3, here with the eigendecomposition), after
    :cite:`more1983`.
    """
    eigenvalues, Q = np.linalg.eigh(hessian)
    c = Q.T @ gradient

    def step(shift):
        return -Q @ (c / (eigenvalues + shift))

    if eigenvalues[0] > 0:
        newton_step = step(0.0)
        if np.linalg.norm(newton_step) <= radius:
            return newton_step, False
        shift = 0.0
    else:                                     # just right of the pole at -lambda_1
        shift = -eigenvalues[0] + 1e-10 * max(1.0, np.max(np.abs(eigenvalues)))
    p = step(shift)
    if np.linalg.norm(p) < radius:            # the hard case: no root right of the pole
        q = Q[:, 0]
        along = q @ p
        tau = np.sqrt(along ** 2 + radius ** 2 - p @ p)
        candidates = [p + (tau - along) * q, p - (tau + along) * q]
        return min(candidates, key=lambda s: gradient @ s + 0.5 * s @ hessian @ s), True
    for _ in range(100):
        norm = np.linalg.norm(p)
        if abs(norm - radius) <= 1e-10 * radius:
            break
        q_norm_squared = np.sum(c ** 2 / (eigenvalues + shift) ** 3)
        next_shift = shift + (norm ** 2 / q_norm_squared) * (norm - radius) / radius
        if not next_shift > shift:            # rounding level: no further progress
            break
        shift = next_shift
        p = step(shift)
    return p, True


def newton(problem, x0, callback=None, gtol=1e-5, maxiter=None, initial_radius=None, max_radius=1e10,
           eta=0.15):
    r"""Newton's method with the exact Hessian, safeguarded by a trust region.

    Parameters
    ----------
    problem, x0, callback, gtol, maxiter
        As in every method (see :func:`optlib.minimize`); ``maxiter`` defaults
        to ``200 n``. An iteration whose step is rejected counts too (as in
        SciPy), and ``path`` then repeats the iterate.
    initial_radius : float, optional
        :math:`\Delta_0`. Default: the length of the first Newton step when
        the Hessian at ``x0`` is positive definite (so that a convex quadratic
        is solved in one step), else of the Cauchy step (the model's minimizer
        along :math:`-\nabla f(x_0)`), or 1 when the model is not convex along
        it; at most ``max_radius``.
    max_radius : float
        :math:`\Delta_{\max}`, the largest trust radius (the largest step of
        :func:`optlib.line_search.wolfe`; SciPy's trust-region methods use 1000).
    eta : float
        :math:`\eta \in [0, 1/4)`: a step is accepted when it achieves more
        than this fraction of the decrease the model predicts (SciPy's 0.15).

    Notes
    -----
    At :math:`x_k`, with :math:`g_k = \nabla f(x_k)`, :math:`H_k = \nabla^2 f(x_k)`
    and the radius :math:`\Delta_k`, the step minimises Newton's quadratic model
    in the ball (:func:`trust_region_step`),

    .. math::

        p_k = \operatorname*{arg\,min}_{\lVert p\rVert \le \Delta_k}
              g_k^\top p + \tfrac12 p^\top H_k p, \qquad
        \rho_k = \frac{f(x_k) - f(x_k + p_k)}{-(g_k^\top p_k + \tfrac12 p_k^\top H_k p_k)} .

    Algorithm 4.1 of :cite:`nocedal2006`: if :math:`\rho_k < 1/4` the radius
    shrinks to :math:`\lVert p_k\rVert / 4` (which is :math:`\Delta_k / 4` on the
    boundary); if :math:`\rho_k > 3/4` and the step
    reached the boundary it doubles (up to :math:`\Delta_{\max}`); the step is
    taken when :math:`\rho_k > \eta`, otherwise :math:`x_{k+1} = x_k`. A step
    where :math:`f` or its gradient is not finite is rejected.

    When :math:`H_k` is positive definite and the Newton step
    :math:`-H_k^{-1} g_k` fits in the ball, that is the step: near a
    minimizer with positive definite Hessian every step is the pure Newton
    step and convergence is quadratic,
    :math:`\lVert x_{k+1} - x^\star\rVert \le C \lVert x_k - x^\star\rVert^2`.
    Where :math:`H_k` is indefinite the model is still minimised over the
    ball, so the step follows negative curvature out of saddle points instead
    of being attracted to them. The run ends with ``TRUST_REGION_COLLAPSED``
    when the radius falls below rounding level of :math:`x`.

    The defaults of :math:`\Delta_0` and :math:`\Delta_{\max}` were chosen on
    the Moré-Garbow-Hillstrom problems of ``benchmarks/minimize.py`` (the set
    they are measured on): with SciPy's :math:`\Delta_0 = 1`, the run from the
    standard start of Biggs EXP6 drifts into a flat region at
    :math:`f \approx 0.243` instead of reaching the minimum 0, and with
    :math:`\Delta_{\max} = 1000` Brown's badly scaled problem (minimizer
    :math:`10^6` away) runs out of iterations.

    References
    ----------
    :cite:`nocedal2006`, chapter 4 (Algorithms 4.1 and 4.3); :cite:`boyd2004`, section 9.5.
    """
    maxiter = 200 * x0.size if maxiter is None else maxiter
    max_radius = _checks.positive("max_radius", max_radius)
    if initial_radius is not None:
        initial_radius = _checks.positive("initial_radius", initial_radius)
    eta = _checks.in_interval("eta", eta, 0.0, 0.25, closed="left")
    run = Run(problem, x0, callback, maxiter)
    x = x0
    f, g = problem.value_and_grad(x)
    hessian, radius = None, initial_radius
    for _ in range(maxiter):
        if should_stop(g, gtol):
            break
        if hessian is None:                   # a new iterate: one Hessian per accepted step
            hessian = problem.hessian(x)
            if not np.all(np.isfinite(hessian)):
                return run.result(x, f, g, NOT_FINITE, f"The Hessian is not finite at iteration "
                                                       f"{len(run.path) - 1}.")
            hessian = 0.5 * (hessian + hessian.T)
            if radius is None:
                radius = min(_initial_radius(hessian, g), max_radius)
        step, on_boundary = trust_region_step(hessian, g, radius)
        predicted = -(g @ step + 0.5 * step @ hessian @ step)
        f_trial, g_trial = problem.value_and_grad(x + step)
        finite = np.isfinite(f_trial) and np.all(np.isfinite(g_trial))
        rho = (f - f_trial) / predicted if finite and predicted > 0 else -np.inf
        if rho < 0.25:
            radius = 0.25 * np.linalg.norm(step)      # below the step even when it was inside the ball
        elif rho > 0.75 and on_boundary:
            radius = min(2.0 * radius, max_radius)
        if rho > eta:
            x, f, g, hessian = x + step, f_trial, g_trial, None
        run.record(x)
        if radius <= np.finfo(float).eps * max(1.0, np.linalg.norm(x)):
            return run.result(x, f, g, TRUST_REGION_COLLAPSED, f"The trust radius shrank to rounding level "
                                                               f"({radius:.3g}) without an acceptable step.")
    return run.finish(x, f, g, gtol)


def _initial_radius(hessian, gradient):
    r"""The length of the Newton step if the Hessian is positive definite, else of the Cauchy step.

    The Cauchy step minimises the model along :math:`-g`: its length is
    :math:`\lVert g\rVert^3 / g^\top H g` when :math:`g^\top H g > 0`; otherwise 1.
    """
    eigenvalues, Q = np.linalg.eigh(hessian)
    if eigenvalues[0] > 0:
        return np.linalg.norm((Q.T @ gradient) / eigenvalues)
    curvature = gradient @ hessian @ gradient
    return np.linalg.norm(gradient) ** 3 / curvature if curvature > 0 else 1.0


def newton_root(f, x0, fprime=None, tol=1e-10, maxiter=50):
    r"""Solve :math:`F(x) = 0` by Newton's method, for a scalar or a vector equation.

    Parameters
    ----------
    f : callable
        ``f(x)``, a scalar for scalar ``x`` or an array of ``x``'s shape.
    x0 : float or array_like
        The starting point (real).
    fprime : callable, optional
        The derivative or Jacobian ``fprime(x)``, of shape ``x.shape + x.shape``
        (or ``(n, n)``); from :func:`optlib.autodiff.jacfwd` when None.
    tol : float
        :math:`> 0`. Stop when :math:`\lVert F(x_k)\rVert_\infty \le` tol, or when the step is
        below tol relative to :math:`1 + \lVert x_k\rVert_\infty`.
    maxiter : int
        Iterations allowed (:math:`\ge 0`).

    Returns
    -------
    scipy.optimize.OptimizeResult
        ``x`` (x0's shape), ``fun`` (:math:`F(x)`), ``jac``, ``nit``, ``nfev``,
        ``njev``, ``success``, ``status`` (from :mod:`optlib.second_order.status`:
        ``SUCCESS``, ``MAXITER``, ``NOT_FINITE`` or ``SINGULAR_JACOBIAN``),
        ``message`` and ``path``, the iterates as an array of shape ``(nit + 1, x0.size)``.

    Raises
    ------
    TypeError
        If ``f`` or ``fprime`` is not callable, ``tol`` is not a real number or
        ``maxiter`` not an integer.
    ValueError
        If ``x0`` or ``F(x)`` is complex, ``F(x0)`` is not finite, ``F(x)`` or
        ``fprime(x)`` has the wrong shape, ``tol <= 0`` or ``maxiter < 0``.

    Notes
    -----
    .. math::

        J(x_k)\, \Delta_k = -F(x_k), \qquad x_{k+1} = x_k + \Delta_k,

    which for one variable is :math:`x_{k+1} = x_k - F(x_k)/F'(x_k)`. Near a root
    with an invertible Jacobian the number of correct digits doubles at every
    step. A singular Jacobian ends the run with ``success=False``.

    References
    ----------
    :cite:`nocedal2006`, section 11.1.
    """
    _checks.function("f", f)
    if fprime is not None:
        _checks.function("fprime", fprime, "None or a function")
    tol = _checks.positive("tol", tol)
    maxiter = _checks.integer("maxiter", maxiter, minimum=0)
    x = _checks.real_array("x0", x0, finite=True)
    shape = x.shape
    n = x.size

    def residual(x):
        value = _checks.real_array("f(x)", f(x.reshape(shape)), copy=False)
        if value.size != n:
            raise ValueError(f"f(x) must have x's shape {shape}, got shape {value.shape}")
        return value.reshape(-1)

    def jacobian(x):
        if fprime is not None:
            J = _checks.real_array("fprime(x)", fprime(x.reshape(shape)), copy=False)
            if J.shape not in (shape + shape, (n, n)) and not (n == 1 and J.size == 1):
                raise ValueError(f"fprime(x) must have shape {shape + shape} (the Jacobian of f at x), "
                                 f"got shape {J.shape}")
        else:
            J = np.asarray(autodiff.jacfwd(f)(x.reshape(shape)), dtype=float)
        return J.reshape(n, n)

    x = x.reshape(-1)
    F = residual(x)
    nfev, njev = 1, 0
    if not np.all(np.isfinite(F)):
        raise ValueError(f"f(x0) must be finite, got {F.reshape(shape)}")
    path = [x]
    status, message, J = MAXITER, f"Maximum number of iterations ({maxiter}) reached.", None
    for _ in range(maxiter):
        if np.max(np.abs(F)) <= tol:
            status, message = SUCCESS, "Converged: |f(x)| <= tol."
            break
        J = jacobian(x)
        njev += 1
        if not np.all(np.isfinite(J)):
            status, message = NOT_FINITE, f"The Jacobian is not finite at iteration {len(path) - 1}."
            break
        try:
            delta = np.linalg.solve(J, -F)
        except np.linalg.LinAlgError:
            status, message = SINGULAR_JACOBIAN, STATUS[SINGULAR_JACOBIAN][1]
            break
        if not np.all(np.isfinite(delta)):
            status, message = NOT_FINITE, "Newton's step is not finite (the Jacobian is nearly singular)."
            break
        x = x + delta
        F = residual(x)
        nfev += 1
        path.append(x)
        if not np.all(np.isfinite(F)):
            status, message = NOT_FINITE, "f(x) is not finite at the new iterate."
            break
        if np.max(np.abs(F)) <= tol or np.max(np.abs(delta)) <= tol * (1.0 + np.max(np.abs(x))):
            status, message = SUCCESS, "Converged: |f(x)| <= tol or the step is below tol."
            break
    jacobian = None if J is None else J.reshape(shape + shape)
    return OptimizeResult(x=x.reshape(shape), fun=F.reshape(shape), jac=jacobian, nit=len(path) - 1,
                          nfev=nfev, njev=njev, success=status == SUCCESS, status=status,
                          message=message, path=np.array(path))
