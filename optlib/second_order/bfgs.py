"""BFGS: the quasi-Newton method.

Taught in the chapter *BFGS* (``chapters/05_second_order/bfgs``).
"""
import numpy as np

from optlib import line_search as ls
from optlib.second_order.problem import (LINE_SEARCH_FAILED, MAXITER, SUCCESS, gradient_small,
                                         interpolated_first_step, line_search_failure, report)


def bfgs(problem, x0, callback=None, gtol=1e-5, maxiter=None, c1=1e-4, c2=0.9):
    r"""BFGS: Newton-like steps with an inverse Hessian learnt from gradient differences.

    Parameters
    ----------
    problem, x0, callback
        The counted objective, the flat start and the per-iteration callback,
        as :func:`optlib.minimize` passes them; the rest are its ``options``.
    gtol : float
        Stop when :math:`\lVert \nabla f(x_k) \rVert_\infty \le` gtol.
    maxiter : int
        Iterations allowed (default ``200 n``, as SciPy).
    c1, c2 : float
        Strong Wolfe constants of the line search.

    Returns
    -------
    dict
        With ``hess_inv``, the final inverse Hessian approximation :math:`H_k`.

    Notes
    -----
    With :math:`H_0 = I`, :math:`p_k = -H_k \nabla f_k`, a strong Wolfe step
    :math:`x_{k+1} = x_k + \alpha_k p_k` and the curvature pair
    :math:`s_k = x_{k+1} - x_k`, :math:`y_k = \nabla f_{k+1} - \nabla f_k`,

    .. math::

        H_{k+1} = \bigl(I - \rho_k s_k y_k^\top\bigr) H_k \bigl(I - \rho_k y_k s_k^\top\bigr)
                  + \rho_k s_k s_k^\top, \qquad \rho_k = \frac{1}{y_k^\top s_k},

    the update closest to :math:`H_k` (in a weighted Frobenius norm) that is
    symmetric and satisfies the secant equation :math:`H_{k+1} y_k = s_k`
    :cite:`broyden1970,fletcher1970,goldfarb1970,shanno1970`. Just before the
    first update, :math:`H_0` is rescaled to
    :math:`(y_0^\top s_0 / y_0^\top y_0)\, I` (:cite:`nocedal2006`, eq. 6.20), so
    that later steps of length 1 are well sized. The Wolfe conditions give
    :math:`y_k^\top s_k > 0`, which keeps :math:`H_{k+1}` positive definite;
    as a guard, a pair with :math:`y_k^\top s_k \le 10^{-10} \lVert s_k\rVert \lVert y_k\rVert`
    is skipped. The first trial step is
    :math:`\min(1, 1.01/\lVert \nabla f_0 \rVert)`, then 1.

    References
    ----------
    :cite:`nocedal2006`, Algorithm 6.1; :cite:`broyden1970`; :cite:`fletcher1970`;
    :cite:`goldfarb1970`; :cite:`shanno1970`.
    """
    n = x0.size
    maxiter = 200 * n if maxiter is None else maxiter
    identity = np.eye(n)
    inverse_hessian_approx = identity.copy()
    x = x0
    f, g = problem.value_and_grad(x)
    previous_f = f + np.linalg.norm(g) / 2
    path = [x]
    for k in range(maxiter):
        if gradient_small(g, gtol):
            break
        search_direction = -inverse_hessian_approx @ g
        step = interpolated_first_step(f, previous_f, g @ search_direction) if k == 0 else 1.0
        result = ls.wolfe(problem.value_and_grad, x, search_direction, f, g, c1=c1, c2=c2, step=step)
        if not result.success:
            return report(x, f, g, path, LINE_SEARCH_FAILED, line_search_failure(result),
                          hess_inv=inverse_hessian_approx)
        s, y = result.x - x, result.jac - g
        previous_f, x, f, g = f, result.x, result.fun, result.jac
        path.append(x)
        if callback is not None:
            callback(problem.shaped(x))
        curvature = y @ s
        if curvature > 1e-10 * np.linalg.norm(s) * np.linalg.norm(y):
            if k == 0:
                inverse_hessian_approx = (curvature / (y @ y)) * identity
            rho = 1.0 / curvature
            left = identity - rho * np.outer(s, y)
            inverse_hessian_approx = left @ inverse_hessian_approx @ left.T + rho * np.outer(s, s)
    status = SUCCESS if gradient_small(g, gtol) else MAXITER
    return report(x, f, g, path, status, hess_inv=inverse_hessian_approx)
