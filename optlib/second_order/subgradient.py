"""The subgradient method.

Taught in the chapter *Subgradient method* (``chapters/04_first_order/subgradient_method``).
"""
import numpy as np

from optlib.second_order.problem import MAXITER, NOT_FINITE, SUCCESS, report


def subgradient(problem, x0, callback=None, maxiter=1000, step_size=1.0):
    r"""The subgradient method with diminishing step lengths; keeps the best point seen.

    Parameters
    ----------
    problem, x0, callback
        The counted objective, the flat start and the per-iteration callback,
        as :func:`optlib.minimize` passes them; the rest are its ``options``.
    maxiter : int
        Iterations allowed. There is no stopping test other than a zero
        subgradient, so a run normally ends here, with ``success=False``.
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
    if not (np.isfinite(step_size) and step_size > 0):
        raise ValueError(f"step_size must be a positive finite number, got {step_size!r}")
    x = x0
    f, g = problem.value_and_grad(x)
    best_x, best_f, best_g = x, f, g
    path = [x]
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
        path.append(x)
        if callback is not None:
            callback(problem.shaped(x))
        if not (np.isfinite(f) and np.all(np.isfinite(g))):
            status, message = NOT_FINITE, f"f or its subgradient is not finite at iteration {k + 1}."
            break
        if f < best_f:
            best_x, best_f, best_g = x, f, g
    return report(best_x, best_f, best_g, path, status, message)
