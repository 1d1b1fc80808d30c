"""The subgradient method.

Taught in :chapter:`04_first_order/subgradient_method`.
"""
import numpy as np

from optlib import _checks
from optlib.second_order.problem import Run
from optlib.second_order.status import MAXITER, NOT_FINITE, SUCCESS


def subgradient(problem, x0, callback=None, maxiter=1000, step_size=1.0):
    r"""The subgradient method with diminishing step lengths; keeps the best point seen.

    Parameters
    ----------
    problem, x0, callback, maxiter
        As in every method (see :func:`optlib.minimize`). There is no stopping
        test other than a zero subgradient, so a run normally ends at
        ``maxiter``, with ``success=False``.
    step_size : float
        :math:`a > 0` in the step lengths :math:`a / \sqrt{k + 1}`.

    Notes
    -----
    With :math:`g_k` a subgradient of :math:`f` at :math:`x_k` (what
    :func:`optlib.autodiff.grad` returns at a kink, e.g. 0 for
    :math:`\lvert x\rvert` at 0, is one),

    .. math::

        x_{k+1} = x_k - \frac{a}{\sqrt{k + 1}} \frac{g_k}{\lVert g_k \rVert}, \qquad
        f^{\text{best}}_k = \min_{j \le k} f(x_j).

    The steps have length :math:`a/\sqrt{k+1}`: nonsummable but tending to 0,
    so :math:`f^{\text{best}}_k \to f^\star` for a convex Lipschitz
    :math:`f`, at the rate :math:`O(1/\sqrt{k})` up to a log factor. It is not a
    descent method: :math:`f(x_k)` may go up, which is why ``x`` and ``fun``
    report the best point and ``path`` every iterate.

    References
    ----------
    :cite:`shor1985`; :cite:`boyd2003`.
    """
    step_size = _checks.positive("step_size", step_size)
    run = Run(problem, x0, callback, maxiter)
    x = x0
    f, g = problem.value_and_grad(x)
    if not np.all(np.isfinite(g)):
        return run.result(x, f, g, NOT_FINITE, "The subgradient at x0 is not finite.")
    best_x, best_f, best_g = x, f, g
    status = MAXITER
    message = (f"Maximum number of iterations ({maxiter}) reached; the subgradient method has no "
               f"stopping test, x is the best point seen.")
    for k in range(maxiter):
        norm = np.linalg.norm(g)
        if norm == 0.0:
            status, message = SUCCESS, "A zero subgradient was found: x is a minimizer (f convex)."
            break
        x = x - step_size / np.sqrt(k + 1.0) * g / norm
        f, g = problem.value_and_grad(x)
        run.record(x)
        if not (np.isfinite(f) and np.all(np.isfinite(g))):
            status, message = NOT_FINITE, f"f or its subgradient is not finite at iteration {k + 1}."
            break
        if f < best_f:
            best_x, best_f, best_g = x, f, g
    return run.result(best_x, best_f, best_g, status, message)
