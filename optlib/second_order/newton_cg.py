"""Truncated Newton (Newton-CG, Hessian-free optimisation).

Taught in :chapter:`05_second_order/conjugate_gradient` and :chapter:`05_second_order/krylov_subspace_descent`.
"""
import numpy as np

from optlib import _checks
from optlib import line_search as ls
from optlib.second_order.linear_cg import conjugate_gradient
from optlib.second_order.problem import Run, line_search_failure, should_stop
from optlib.second_order.status import LINE_SEARCH_FAILED, NON_POSITIVE_CURVATURE


def newton_cg(problem, x0, callback=None, gtol=1e-5, maxiter=None, cg_maxiter=None, c1=1e-4, c2=0.9):
    r"""Newton-CG: Newton steps solved inexactly by conjugate gradient on Hessian-vector products.

    Parameters
    ----------
    problem, x0, callback, gtol, maxiter
        As in every method (see :func:`optlib.minimize`); ``maxiter`` counts
        outer iterations and defaults to ``200 n``, as in SciPy.
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
    cg_maxiter = 20 * n if cg_maxiter is None else _checks.integer("cg_maxiter", cg_maxiter, minimum=1)
    run = Run(problem, x0, callback, maxiter)
    x = x0
    f, g = problem.value_and_grad(x)
    for _ in range(maxiter):
        if should_stop(g, gtol):
            break
        forcing = min(0.5, np.sqrt(np.linalg.norm(g)))
        direction, info = conjugate_gradient(lambda v: problem.hessp(x, v), -g, rtol=forcing,
                                             maxiter=cg_maxiter)
        if info.status == NON_POSITIVE_CURVATURE and info.nit == 0:
            direction = -g
        result = ls.wolfe(problem.value_and_grad, x, direction, f, g, c1=c1, c2=c2, step=1.0)
        if not result.success:
            return run.result(x, f, g, LINE_SEARCH_FAILED, line_search_failure(result))
        x, f, g = result.x, result.fun, result.jac
        run.record(x)
    return run.finish(x, f, g, gtol)
