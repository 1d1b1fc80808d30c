"""Coordinate descent.

Taught in :chapter:`04_first_order/coordinate_descent`.
"""
import numpy as np

from optlib import _checks
from optlib import line_search as ls
from optlib.second_order.problem import Run, should_stop


def coordinate_descent(problem, x0, callback=None, gtol=1e-5, maxiter=1000, order="cyclic", seed=0):
    r"""Coordinate descent: minimise along one coordinate at a time.

    Parameters
    ----------
    problem, x0, callback, gtol, maxiter
        As in every method (see :func:`optlib.minimize`); one iteration is one
        sweep over all coordinates, and the gradient test is made after each sweep.
    order : {"cyclic", "random"}
        Coordinates in the order :math:`1, \dots, n`, or in a fresh random
        permutation at every sweep.
    seed : int
        Seed of the random permutations.

    Notes
    -----
    For coordinate :math:`i` with partial derivative :math:`g_i` and
    curvature :math:`h_{ii} = e_i^\top \nabla^2 f(x)\, e_i` (one
    Hessian-vector product), the step is the one-dimensional Newton step

    .. math::

        x \leftarrow x - \alpha \frac{g_i}{h_{ii}} e_i
        \quad (h_{ii} > 0), \qquad\text{else}\quad x \leftarrow x - \alpha\, g_i e_i,

    with :math:`\alpha` from Armijo backtracking starting at 1. When :math:`f`
    is quadratic along the coordinate, the Newton step is its exact minimizer
    and is accepted at once: on a quadratic this is exact coordinate
    minimisation, that is Gauss-Seidel on :math:`A x = b`.

    References
    ----------
    :cite:`wright2015`.
    """
    order = _checks.choice("order", order, ("cyclic", "random"))
    rng = _checks.rng(seed, "seed")
    n = x0.size
    run = Run(problem, x0, callback, maxiter)
    x = x0
    f, g = problem.value_and_grad(x)
    for _ in range(maxiter):
        if should_stop(g, gtol):
            break
        for i in (range(n) if order == "cyclic" else rng.permutation(n)):
            if g[i] == 0.0:
                continue
            unit = np.zeros(n)
            unit[i] = 1.0
            curvature = problem.hessp(x, unit)[i]
            newton_step = -g[i] / curvature if curvature > 0 else -g[i]
            result = ls.backtracking(problem.value, x, newton_step * unit, f, g)
            if result.success:
                x = result.x
                f, g = problem.value_and_grad(x)
                if not np.all(np.isfinite(g)):
                    break                       # the sweep cannot go on; finish reports it
        run.record(x)
    return run.finish(x, f, g, gtol)
