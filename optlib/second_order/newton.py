"""Newton's method, for minimisation and for equations.

Taught in the chapter *Newton's method* (``chapters/05_second_order/newtons_method``).
"""
import numpy as np
from scipy import linalg
from scipy.optimize import OptimizeResult

from optlib import autodiff
from optlib import line_search as ls
from optlib.second_order.problem import (LINE_SEARCH_FAILED, MAXITER, NOT_FINITE, SUCCESS,
                                         gradient_small, line_search_failure, report)


def modified_newton_direction(hessian, gradient, beta=1e-3):
    r"""Solve :math:`(H + \tau I)\, p = -g` with the smallest tried :math:`\tau \ge 0` that makes it positive definite.

    Returns ``(p, tau)``. Cholesky with an added multiple of the identity,
    Algorithm 3.3 of :cite:`nocedal2006`: :math:`\tau_0 = 0` if every
    diagonal entry is positive, else :math:`\beta - \min_i H_{ii}`; then
    :math:`\tau \leftarrow \max(2\tau, \beta)` until the Cholesky factorisation exists.
    """
    smallest_diagonal = np.min(np.diag(hessian))
    tau = 0.0 if smallest_diagonal > 0 else beta - smallest_diagonal
    identity = np.eye(len(gradient))
    for _ in range(100):
        try:
            factor = linalg.cho_factor(hessian + tau * identity)
            return linalg.cho_solve(factor, -gradient), tau
        except linalg.LinAlgError:
            tau = max(2.0 * tau, beta)
    raise linalg.LinAlgError("no positive definite shift of the Hessian found")


def newton(problem, x0, callback=None, gtol=1e-5, maxiter=None, c1=1e-4):
    r"""Newton's method with the exact Hessian, modified to be positive definite, and Armijo backtracking.

    Parameters
    ----------
    problem, x0, callback
        The counted objective, the flat start and the per-iteration callback,
        as :func:`optlib.minimize` passes them; the rest are its ``options``.
    gtol : float
        Stop when :math:`\lVert \nabla f(x_k) \rVert_\infty \le` gtol.
    maxiter : int
        Iterations allowed (default ``200 n``).
    c1 : float
        The sufficient decrease constant of the backtracking line search.

    Notes
    -----
    .. math::

        (\nabla^2 f(x_k) + \tau_k I)\, p_k = -\nabla f(x_k), \qquad
        x_{k+1} = x_k + \alpha_k p_k,

    with :math:`\tau_k = 0` whenever the Hessian is positive definite (then
    :math:`p_k` is the pure Newton step) and otherwise the smallest shift found
    by :func:`modified_newton_direction` that makes it so, so that
    :math:`p_k` is always a descent direction. The step :math:`\alpha_k`
    comes from Armijo backtracking starting at 1. On a convex quadratic the
    first step lands on the minimizer; near a minimizer with positive definite
    Hessian the full step is accepted and convergence is quadratic,
    :math:`\lVert x_{k+1} - x^\star\rVert \le C \lVert x_k - x^\star\rVert^2`.

    References
    ----------
    :cite:`nocedal2006`, sections 3.3 and 3.4 (Algorithm 3.3); :cite:`boyd2004`, section 9.5.
    """
    maxiter = 200 * x0.size if maxiter is None else maxiter
    x = x0
    f, g = problem.value_and_grad(x)
    path = [x]
    for _ in range(maxiter):
        if gradient_small(g, gtol):
            return report(x, f, g, path, SUCCESS)
        hessian = problem.hessian(x)
        if not np.all(np.isfinite(hessian)):
            return report(x, f, g, path, NOT_FINITE, "The Hessian is not finite.")
        direction, _ = modified_newton_direction(0.5 * (hessian + hessian.T), g)
        result = ls.backtracking(problem.value, x, direction, f, g, c1=c1, step=1.0)
        if not result.success:
            return report(x, f, g, path, LINE_SEARCH_FAILED, line_search_failure(result))
        x = result.x
        f, g = problem.value_and_grad(x)
        path.append(x)
        if callback is not None:
            callback(problem.shaped(x))
    status = SUCCESS if gradient_small(g, gtol) else MAXITER
    return report(x, f, g, path, status)


def newton_root(f, x0, fprime=None, tol=1e-10, maxiter=50):
    r"""Solve :math:`F(x) = 0` by Newton's method, for a scalar or a vector equation.

    Parameters
    ----------
    f : callable
        ``f(x)``, a scalar for scalar ``x`` or an array of ``x``'s shape.
    x0 : float or array_like
        The starting point.
    fprime : callable, optional
        The derivative or Jacobian ``fprime(x)``; from :func:`optlib.autodiff.jacfwd` when None.
    tol : float
        Stop when :math:`\lVert F(x_k)\rVert_\infty \le` tol, or when the step is
        below tol relative to :math:`1 + \lVert x_k\rVert_\infty`.
    maxiter : int
        Iterations allowed.

    Returns
    -------
    scipy.optimize.OptimizeResult
        ``x`` (x0's shape), ``fun`` (:math:`F(x)`), ``jac``, ``nit``, ``nfev``,
        ``njev``, ``success``, ``status``, ``message`` and ``path``, the iterates as
        an array of shape ``(nit + 1, x0.size)``.

    Raises
    ------
    ValueError
        If ``F(x0)`` is not finite or its shape differs from x0's.

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
    x = np.array(x0, dtype=float)
    shape = x.shape
    if not np.all(np.isfinite(x)):
        raise ValueError(f"x0 must be finite, got {x0!r}")
    n = x.size

    def residual(x):
        value = np.asarray(f(x.reshape(shape)), dtype=float)
        if value.size != n:
            raise ValueError(f"f(x) must have x's shape {shape}, got shape {value.shape}")
        return value.reshape(-1)

    def jacobian(x):
        if fprime is not None:
            J = fprime(x.reshape(shape))
        else:
            J = autodiff.jacfwd(lambda z: f(z))(x.reshape(shape))
        return np.asarray(J, dtype=float).reshape(n, n)

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
        try:
            delta = np.linalg.solve(J, -F)
        except np.linalg.LinAlgError:
            status, message = LINE_SEARCH_FAILED, "The Jacobian is singular; Newton's step is undefined."
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
