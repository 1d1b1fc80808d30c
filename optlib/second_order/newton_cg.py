"""Truncated Newton (Newton-CG, Hessian-free optimisation).

Taught in the chapters *Conjugate gradient* and *Krylov subspace descent* (``chapters/05_second_order``).
"""
import numpy as np

from optlib import line_search as ls
from optlib.second_order.linear_cg import conjugate_gradient
from optlib.second_order.problem import (LINE_SEARCH_FAILED, MAXITER, SUCCESS, gradient_small,
                                         line_search_failure, report)


def newton_cg(problem, x0, callback=None, gtol=1e-5, maxiter=None, cg_maxiter=None, c1=1e-4, c2=0.9):
    r"""Newton-CG: Newton steps solved inexactly by conjugate gradient on Hessian-vector products.

    Parameters
    ----------
    problem, x0, callback
        The counted objective, the flat start and the per-iteration callback,
        as :func:`optlib.minimize` passes them; the rest are its ``options``.
    gtol : float
        Stop when :math:`\lVert \nabla f(x_k) \rVert_\infty \le` gtol.
    maxiter : int
        Outer iterations allowed (default ``200 n``, as SciPy).
    cg_maxiter : int
        Inner CG iterations allowed per step (default ``20 n``, as SciPy).
    c1, c2 : float
        Strong Wolfe constants of the line search.

    Notes
    -----
    The Hessian appears only through products :math:`\nabla^2 f(x_k)\, v`
    (:func:`optlib.autodiff.hvp`, forward over reverse, about the cost of two
    gradients), so memory stays :math:`O(n)`. Each outer iteration runs
    :func:`~optlib.second_order.linear_cg.conjugate_gradient` on

    .. math::

        \nabla^2 f(x_k)\, p = -\nabla f(x_k)

    from :math:`p = 0` until the residual falls below
    :math:`\eta_k \lVert\nabla f_k\rVert` with the forcing term
    :math:`\eta_k = \min(0.5, \sqrt{\lVert \nabla f_k\rVert})` (superlinear
    convergence), or until a direction of non-positive curvature appears:
    then the last iterate is used, or :math:`-\nabla f_k` if that happens at
    once. A strong Wolfe line search starting at :math:`\alpha = 1` sets the step.

    References
    ----------
    :cite:`nocedal2006`, Algorithm 7.1; :cite:`martens2010`.
    """
    n = x0.size
    maxiter = 200 * n if maxiter is None else maxiter
    cg_maxiter = 20 * n if cg_maxiter is None else cg_maxiter
    x = x0
    f, g = problem.value_and_grad(x)
    path = [x]
    for _ in range(maxiter):
        if gradient_small(g, gtol):
            return report(x, f, g, path, SUCCESS)
        forcing = min(0.5, np.sqrt(np.linalg.norm(g)))
        direction, info = conjugate_gradient(lambda v: problem.hessp(x, v), -g, rtol=forcing,
                                             maxiter=cg_maxiter)
        if info.status == 2 and info.nit == 0:
            direction = -g
        result = ls.wolfe(problem.value_and_grad, x, direction, f, g, c1=c1, c2=c2, step=1.0)
        if not result.success:
            return report(x, f, g, path, LINE_SEARCH_FAILED, line_search_failure(result))
        x, f, g = result.x, result.fun, result.jac
        path.append(x)
        if callback is not None:
            callback(problem.shaped(x))
    status = SUCCESS if gradient_small(g, gtol) else MAXITER
    return report(x, f, g, path, status)
