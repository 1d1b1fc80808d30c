"""BFGS: the quasi-Newton method.

Taught in :chapter:`05_second_order/bfgs`.
"""
import numpy as np

from optlib import line_search as ls
from optlib.second_order.problem import Run, interpolated_first_step, line_search_failure, should_stop
from optlib.second_order.status import LINE_SEARCH_FAILED


def bfgs(problem, x0, callback=None, gtol=1e-5, maxiter=None, c1=1e-4, c2=0.9):
    r"""BFGS: Newton-like steps with an inverse Hessian learnt from gradient differences.

    Parameters
    ----------
    problem, x0, callback, gtol, maxiter
        As in every method (see :func:`optlib.minimize`); ``maxiter`` defaults
        to ``200 n``, as in SciPy.
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

    When the line search finds no step along :math:`p_k`, the approximation
    may be to blame (rounding spoils it on badly scaled problems): it is
    replaced by :math:`I` and the search tried once more along
    :math:`-\nabla f_k`, its first trial the step that would repeat the last
    decrease of :math:`f`; only if that fails too does the run end with
    ``LINE_SEARCH_FAILED``. (Of the Moré-Garbow-Hillstrom problems this rescues
    Meyer's, which SciPy's BFGS solves.)

    References
    ----------
    :cite:`nocedal2006`, Algorithm 6.1; :cite:`broyden1970`; :cite:`fletcher1970`;
    :cite:`goldfarb1970`; :cite:`shanno1970`.
    """
    n = x0.size
    maxiter = 200 * n if maxiter is None else maxiter
    identity = np.eye(n)
    inverse_hessian_approx = identity.copy()
    run = Run(problem, x0, callback, maxiter)
    x = x0
    f, g = problem.value_and_grad(x)
    previous_f = f + np.linalg.norm(g) / 2
    fresh = True                    # H is the identity: size the first step, scale H at the first update
    for _ in range(maxiter):
        if should_stop(g, gtol):
            break
        search_direction = -inverse_hessian_approx @ g
        step = interpolated_first_step(f, previous_f, g @ search_direction) if fresh else 1.0
        result = ls.wolfe(problem.value_and_grad, x, search_direction, f, g, c1=c1, c2=c2, step=step)
        if not result.success and not fresh:
            # the approximation may be what failed: forget it, and search along -g once more
            inverse_hessian_approx, fresh = identity.copy(), True
            result = ls.wolfe(problem.value_and_grad, x, -g, f, g, c1=c1, c2=c2,
                              step=interpolated_first_step(f, previous_f, -(g @ g)))
        if not result.success:
            return run.result(x, f, g, LINE_SEARCH_FAILED, line_search_failure(result),
                              hess_inv=inverse_hessian_approx)
        s, y = result.x - x, result.jac - g
        previous_f, x, f, g = f, result.x, result.fun, result.jac
        run.record(x)
        curvature = y @ s
        if curvature > 1e-10 * np.linalg.norm(s) * np.linalg.norm(y):
            if fresh:
                inverse_hessian_approx, fresh = (curvature / (y @ y)) * identity, False
            rho = 1.0 / curvature
            left = identity - rho * np.outer(s, y)
            inverse_hessian_approx = left @ inverse_hessian_approx @ left.T + rho * np.outer(s, s)
    return run.finish(x, f, g, gtol, hess_inv=inverse_hessian_approx)
