"""Steepest descent with a line search.

The first-order baseline of :chapter:`05_second_order/newtons_method` and :chapter:`05_second_order/bfgs`.
"""
import numpy as np

from optlib import _checks
from optlib import line_search as ls
from optlib.second_order.problem import Run, interpolated_first_step, line_search_failure, should_stop
from optlib.second_order.status import LINE_SEARCH_FAILED


def gradient_descent(problem, x0, callback=None, gtol=1e-5, maxiter=None, line_search="wolfe"):
    r"""Steepest descent: step along the negative gradient, step size from a line search.

    Parameters
    ----------
    problem, x0, callback, gtol, maxiter
        As in every method (see :func:`optlib.minimize`); ``maxiter`` defaults to ``200 n``.
    line_search : {"wolfe", "armijo"}
        Strong Wolfe (:func:`optlib.line_search.wolfe`) or Armijo backtracking
        (:func:`optlib.line_search.backtracking`).

    Notes
    -----
    .. math::

        p_k = -\nabla f(x_k), \qquad x_{k+1} = x_k + \alpha_k p_k,

    with :math:`\alpha_k` from the line search, its first trial
    :math:`\min(1, 2.02\,(f_k - f_{k-1}) / \nabla f_k^\top p_k)`. On a quadratic
    with condition number :math:`\kappa` the error shrinks by about
    :math:`((\kappa - 1)/(\kappa + 1))^2` per step.

    References
    ----------
    :cite:`nocedal2006`, sections 3.1 and 3.3.
    """
    line_search = _checks.choice("line_search", line_search, ("wolfe", "armijo"))
    maxiter = 200 * x0.size if maxiter is None else maxiter
    run = Run(problem, x0, callback, maxiter)
    x = x0
    f, g = problem.value_and_grad(x)
    previous_f = f + np.linalg.norm(g) / 2
    for _ in range(maxiter):
        if should_stop(g, gtol):
            break
        direction = -g
        step = interpolated_first_step(f, previous_f, g @ direction)
        if line_search == "wolfe":
            result = ls.wolfe(problem.value_and_grad, x, direction, f, g, step=step)
        else:
            result = ls.backtracking(problem.value, x, direction, f, g, step=step)
        if not result.success:
            return run.result(x, f, g, LINE_SEARCH_FAILED, line_search_failure(result))
        previous_f, x = f, result.x
        f, g = (result.fun, result.jac) if line_search == "wolfe" else problem.value_and_grad(x)
        run.record(x)
    return run.finish(x, f, g, gtol)
