"""Nonlinear conjugate gradient.

Taught in the chapter *Conjugate gradient* (``chapters/05_second_order/conjugate_gradient``).
"""
import numpy as np

from optlib import line_search as ls
from optlib.second_order.problem import (LINE_SEARCH_FAILED, MAXITER, SUCCESS, gradient_small,
                                         interpolated_first_step, line_search_failure, report)

FORMULAS = ("polak-ribiere", "fletcher-reeves")


def nonlinear_cg(problem, x0, callback=None, gtol=1e-5, maxiter=None, beta="polak-ribiere",
                 restart=None, c1=1e-4, c2=0.4):
    r"""Nonlinear conjugate gradient, Polak-Ribière+ (default) or Fletcher-Reeves.

    Parameters
    ----------
    problem, x0, callback
        The counted objective, the flat start and the per-iteration callback,
        as :func:`optlib.minimize` passes them; the rest are its ``options``.
    gtol : float
        Stop when :math:`\lVert \nabla f(x_k) \rVert_\infty \le` gtol.
    maxiter : int
        Iterations allowed (default ``200 n``, as SciPy).
    beta : {"polak-ribiere", "fletcher-reeves"}
        The formula for :math:`\beta_{k+1}` (``"pr+"`` / ``"fr"`` also accepted).
    restart : int
        Restart with steepest descent every ``restart`` iterations (default ``n``).
    c1, c2 : float
        Strong Wolfe constants; :math:`c_2 < 1/2` makes every Fletcher-Reeves
        direction a descent direction.

    Notes
    -----
    .. math::

        p_0 = -g_0, \qquad x_{k+1} = x_k + \alpha_k p_k, \qquad
        p_{k+1} = -g_{k+1} + \beta_{k+1} p_k,

    .. math::

        \beta^{FR}_{k+1} = \frac{g_{k+1}^\top g_{k+1}}{g_k^\top g_k}, \qquad
        \beta^{PR+}_{k+1} = \max\Bigl(0, \frac{g_{k+1}^\top (g_{k+1} - g_k)}{g_k^\top g_k}\Bigr).

    On a quadratic with exact line searches both reduce to linear conjugate
    gradient. Restarts (:math:`\beta = 0`): every ``restart`` iterations, when
    :math:`p_{k+1}` is not a descent direction, and, for Fletcher-Reeves, when
    consecutive gradients are far from orthogonal,
    :math:`\lvert g_{k+1}^\top g_k\rvert \ge 0.2\, g_{k+1}^\top g_{k+1}` (Powell's test).
    :math:`\max(0, \cdot)` makes PR+ restart by itself when progress stalls.

    References
    ----------
    :cite:`fletcher1964`; :cite:`polak1969`; :cite:`nocedal2006`, section 5.2.
    """
    aliases = {"pr+": "polak-ribiere", "pr": "polak-ribiere", "fr": "fletcher-reeves"}
    beta = aliases.get(str(beta).lower(), str(beta).lower())
    if beta not in FORMULAS:
        raise ValueError(f"beta must be one of {FORMULAS}, got {beta!r}")
    n = x0.size
    maxiter = 200 * n if maxiter is None else maxiter
    restart = n if restart is None else restart
    x = x0
    f, g = problem.value_and_grad(x)
    previous_f = f + np.linalg.norm(g) / 2
    direction = -g
    path = [x]
    for k in range(maxiter):
        if gradient_small(g, gtol):
            return report(x, f, g, path, SUCCESS)
        step = interpolated_first_step(f, previous_f, g @ direction)
        result = ls.wolfe(problem.value_and_grad, x, direction, f, g, c1=c1, c2=c2, step=step)
        if not result.success:
            return report(x, f, g, path, LINE_SEARCH_FAILED, line_search_failure(result))
        g_new = result.jac
        if beta == "fletcher-reeves":
            b = (g_new @ g_new) / (g @ g)
            if abs(g_new @ g) >= 0.2 * (g_new @ g_new):
                b = 0.0
        else:
            b = max(0.0, g_new @ (g_new - g) / (g @ g))
        if (k + 1) % restart == 0:
            b = 0.0
        direction = -g_new + b * direction
        if not g_new @ direction < 0:
            direction = -g_new
        previous_f, x, f, g = f, result.x, result.fun, g_new
        path.append(x)
        if callback is not None:
            callback(problem.shaped(x))
    status = SUCCESS if gradient_small(g, gtol) else MAXITER
    return report(x, f, g, path, status)
