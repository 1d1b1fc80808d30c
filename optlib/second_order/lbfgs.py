"""Limited-memory BFGS.

Taught in :chapter:`05_second_order/bfgs`.
"""
from collections import deque

import numpy as np

from optlib import _checks
from optlib import line_search as ls
from optlib.second_order.problem import Run, line_search_failure, should_stop
from optlib.second_order.status import LINE_SEARCH_FAILED, SUCCESS


def two_loop_recursion(gradient, curvature_pairs):
    r"""The product :math:`H_k \nabla f_k` of the L-BFGS inverse Hessian with a vector, in :math:`O(mn)`.

    ``curvature_pairs`` holds the last :math:`m` pairs :math:`(s_i, y_i)`, oldest first.
    """
    q = gradient.copy()
    alphas = []
    for s, y in reversed(curvature_pairs):
        alpha = (s @ q) / (y @ s)
        q = q - alpha * y
        alphas.append(alpha)
    if curvature_pairs:
        s, y = curvature_pairs[-1]
        q = (s @ y) / (y @ y) * q                       # H_k^0 = gamma_k I
    for (s, y), alpha in zip(curvature_pairs, reversed(alphas)):
        beta = (y @ q) / (y @ s)
        q = q + (alpha - beta) * s
    return q


def lbfgs(problem, x0, callback=None, gtol=1e-5, ftol=2.2204460492503131e-09, maxiter=15000, m=10,
          c1=1e-4, c2=0.9):
    r"""L-BFGS: BFGS that keeps only the last ``m`` curvature pairs.

    Parameters
    ----------
    problem, x0, callback, gtol, maxiter
        As in every method (see :func:`optlib.minimize`); ``maxiter`` defaults
        to 15000, as in SciPy.
    ftol : float
        Also stop when :math:`(f_k - f_{k+1}) / \max(\lvert f_k\rvert, \lvert f_{k+1}\rvert, 1) \le`
        ftol, SciPy's L-BFGS-B test (its default ``factr = 1e7`` times machine epsilon).
    m : int
        The memory: how many pairs :math:`(s_i, y_i)` are kept.
    c1, c2 : float
        Strong Wolfe constants of the line search.

    Notes
    -----
    The direction is :math:`p_k = -H_k \nabla f_k`, where :math:`H_k` is the
    BFGS inverse Hessian obtained by applying the last :math:`m` updates to
    :math:`H_k^0 = \gamma_k I`, :math:`\gamma_k = s_{k-1}^\top y_{k-1} / y_{k-1}^\top y_{k-1}`.
    :math:`H_k` is never formed: the two-loop recursion computes the product
    in :math:`4mn` operations,

    .. math::

        q &\leftarrow \nabla f_k;\quad
        \text{for } i = k-1, \dots, k-m:\ \ \alpha_i = \rho_i s_i^\top q,\ \ q \leftarrow q - \alpha_i y_i; \\
        r &\leftarrow \gamma_k q;\quad
        \text{for } i = k-m, \dots, k-1:\ \ \beta = \rho_i y_i^\top r,\ \ r \leftarrow r + (\alpha_i - \beta) s_i;

    then :math:`p_k = -r`. Steps come from a strong Wolfe line search (first
    trial :math:`1/\lVert \nabla f_0\rVert` at the start, as L-BFGS-B does,
    then 1); pairs with :math:`y^\top s \le 10^{-10} \lVert s\rVert\lVert y\rVert`
    are not stored.

    References
    ----------
    :cite:`liu1989`; :cite:`nocedal2006`, Algorithms 7.4 and 7.5.
    """
    m = _checks.integer("m (the L-BFGS memory)", m, minimum=1)
    ftol = _checks.non_negative("ftol", ftol)
    curvature_pairs = deque(maxlen=m)
    run = Run(problem, x0, callback, maxiter)
    x = x0
    f, g = problem.value_and_grad(x)
    for k in range(maxiter):
        if should_stop(g, gtol):
            break
        search_direction = -two_loop_recursion(g, list(curvature_pairs))
        step = min(1.0, 1.0 / np.linalg.norm(g)) if k == 0 else 1.0
        result = ls.wolfe(problem.value_and_grad, x, search_direction, f, g, c1=c1, c2=c2, step=step)
        if not result.success:
            return run.result(x, f, g, LINE_SEARCH_FAILED, line_search_failure(result))
        s, y = result.x - x, result.jac - g
        previous_f, x, f, g = f, result.x, result.fun, result.jac
        run.record(x)
        if y @ s > 1e-10 * np.linalg.norm(s) * np.linalg.norm(y):
            curvature_pairs.append((s, y))
        if (previous_f - f) <= ftol * max(abs(previous_f), abs(f), 1.0):
            return run.result(x, f, g, SUCCESS, "Optimization terminated successfully: the relative "
                                                "reduction of f is below ftol.")
    return run.finish(x, f, g, gtol)
