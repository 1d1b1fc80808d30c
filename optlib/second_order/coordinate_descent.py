"""Coordinate descent.

Taught in the chapter *Coordinate descent* (``chapters/04_first_order/coordinate_descent``).
"""
import numpy as np

from optlib import line_search as ls
from optlib.second_order.problem import MAXITER, SUCCESS, gradient_small, report


def coordinate_descent(problem, x0, callback=None, gtol=1e-5, maxiter=1000, order="cyclic", seed=0):
    r"""Coordinate descent: minimise along one coordinate at a time.

    Parameters
    ----------
    problem, x0, callback
        The counted objective, the flat start and the per-iteration callback,
        as :func:`optlib.minimize` passes them; the rest are its ``options``.
    gtol : float
        Stop when :math:`\lVert \nabla f(x_k) \rVert_\infty \le` gtol (checked after each sweep).
    maxiter : int
        Sweeps allowed; one iteration is one sweep over all coordinates.
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
    if order not in ("cyclic", "random"):
        raise ValueError(f"order must be 'cyclic' or 'random', got {order!r}")
    rng = np.random.default_rng(seed)
    n = x0.size
    x = x0
    f, g = problem.value_and_grad(x)
    path = [x]
    for _ in range(maxiter):
        if gradient_small(g, gtol):
            return report(x, f, g, path, SUCCESS)
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
        path.append(x)
        if callback is not None:
            callback(problem.shaped(x))
    status = SUCCESS if gradient_small(g, gtol) else MAXITER
    return report(x, f, g, path, status)
