"""Nonlinear conjugate gradient.

Taught in :chapter:`05_second_order/conjugate_gradient`.
"""
import numpy as np

from optlib import _checks
from optlib import line_search as ls
from optlib.second_order.problem import Run, interpolated_first_step, line_search_failure, should_stop
from optlib.second_order.status import LINE_SEARCH_FAILED

FORMULAS = ("polak-ribiere", "fletcher-reeves")


def nonlinear_cg(problem, x0, callback=None, gtol=1e-5, maxiter=None, beta="polak-ribiere",
                 restart=None, c1=1e-4, c2=0.2):
    r"""Nonlinear conjugate gradient, Polak-Ribière+ (default) or Fletcher-Reeves.

    Parameters
    ----------
    problem, x0, callback, gtol, maxiter
        As in every method (see :func:`optlib.minimize`); ``maxiter`` defaults
        to ``200 n``, as in SciPy.
    beta : {"polak-ribiere", "fletcher-reeves"}
        The formula for :math:`\beta_{k+1}` (``"pr+"`` / ``"fr"`` also accepted).
    restart : int, optional
        Restart with steepest descent every ``restart`` iterations (default:
        only when the formula or the descent test asks for it, see Notes).
    c1, c2 : float
        Strong Wolfe constants; :math:`c_2 < 1/2` makes every Fletcher-Reeves
        direction a descent direction (SciPy's CG uses 0.4, see Notes).

    Notes
    -----
    .. math::

        p_0 = -g_0, \qquad x_{k+1} = x_k + \alpha_k p_k, \qquad
        p_{k+1} = -g_{k+1} + \beta_{k+1} p_k,

    .. math::

        \beta^{FR}_{k+1} = \frac{g_{k+1}^\top g_{k+1}}{g_k^\top g_k}, \qquad
        \beta^{PR+}_{k+1} = \max\Bigl(0, \frac{g_{k+1}^\top (g_{k+1} - g_k)}{g_k^\top g_k}\Bigr).

    On a quadratic with exact line searches both reduce to linear conjugate
    gradient. Restarts (:math:`\beta = 0`): when :math:`p_{k+1}` is not a
    descent direction, for Fletcher-Reeves when consecutive gradients are far
    from orthogonal, :math:`\lvert g_{k+1}^\top g_k\rvert \ge 0.2\, g_{k+1}^\top g_{k+1}`
    (Powell's test), and every ``restart`` iterations if that is set.
    :math:`\max(0, \cdot)` makes PR+ restart by itself when progress stalls.

    The defaults were chosen on the Moré-Garbow-Hillstrom problems of
    ``benchmarks/minimize.py`` (the set they are measured on): restarting every
    :math:`n` iterations, the textbook rule, costs progress on these small
    problems (:math:`n \le 12`) and leaves Osborne 1 unsolved; :math:`c_2` from
    0.15 to 0.25 solves every problem SciPy's CG solves, 0.1 and 0.3 to 0.4
    (SciPy's value) do not.

    References
    ----------
    :cite:`fletcher1964`; :cite:`polak1969`; :cite:`nocedal2006`, section 5.2.
    """
    aliases = {"pr+": "polak-ribiere", "pr": "polak-ribiere", "fr": "fletcher-reeves"}
    if isinstance(beta, str):
        beta = aliases.get(beta.lower(), beta)
    beta = _checks.choice("beta", beta, FORMULAS)
    n = x0.size
    maxiter = 200 * n if maxiter is None else maxiter
    restart = None if restart is None else _checks.integer("restart", restart, minimum=1)
    run = Run(problem, x0, callback, maxiter)
    x = x0
    f, g = problem.value_and_grad(x)
    previous_f = f + np.linalg.norm(g) / 2
    direction = -g
    for k in range(maxiter):
        if should_stop(g, gtol):
            break
        step = interpolated_first_step(f, previous_f, g @ direction)
        result = ls.wolfe(problem.value_and_grad, x, direction, f, g, c1=c1, c2=c2, step=step)
        if not result.success:
            return run.result(x, f, g, LINE_SEARCH_FAILED, line_search_failure(result))
        g_new = result.jac
        if beta == "fletcher-reeves":
            b = (g_new @ g_new) / (g @ g)
            if abs(g_new @ g) >= 0.2 * (g_new @ g_new):
                b = 0.0
        else:
            b = max(0.0, g_new @ (g_new - g) / (g @ g))
        if restart is not None and (k + 1) % restart == 0:
            b = 0.0
        direction = -g_new + b * direction
        if not g_new @ direction < 0:
            direction = -g_new
        previous_f, x, f, g = f, result.x, result.fun, g_new
        run.record(x)
    return run.finish(x, f, g, gtol)
