"""Limited-memory BFGS.

Taught in the chapter *BFGS* (``chapters/05_second_order/bfgs``).
"""
from collections import deque

import numpy as np

from optlib import line_search as ls
from optlib.second_order.problem import (LINE_SEARCH_FAILED, MAXITER, SUCCESS, gradient_small,
                                         line_search_failure, report)


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
    problem, x0, callback
        The counted objective, the flat start and the per-iteration callback,
        as :func:`optlib.minimize` passes them; the rest are its ``options``.
    gtol : float
        Stop when :math:`\lVert \nabla f(x_k) \rVert_\infty \le` gtol.
    ftol : float
        Also stop when :math:`(f_k - f_{k+1}) / \max(\lvert f_k\rvert, \lvert f_{k+1}\rvert, 1) \le`
        ftol, SciPy's L-BFGS-B test (its default ``factr = 1e7`` times machine epsilon).
    maxiter : int
        Iterations allowed (SciPy's default, 15000).
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
    if isinstance(m, bool) or not isinstance(m, (int, np.integer)) or m < 1:
        raise ValueError(f"m (the L-BFGS memory) must be a positive integer, got {m!r}")
    curvature_pairs = deque(maxlen=int(m))
    x = x0
    f, g = problem.value_and_grad(x)
    path = [x]
    for k in range(maxiter):
        if gradient_small(g, gtol):
            return report(x, f, g, path, SUCCESS)
        search_direction = -two_loop_recursion(g, list(curvature_pairs))
        step = min(1.0, 1.0 / np.linalg.norm(g)) if k == 0 else 1.0
        result = ls.wolfe(problem.value_and_grad, x, search_direction, f, g, c1=c1, c2=c2, step=step)
        if not result.success:
            return report(x, f, g, path, LINE_SEARCH_FAILED, line_search_failure(result))
        s, y = result.x - x, result.jac - g
        previous_f, x, f, g = f, result.x, result.fun, result.jac
        path.append(x)
        if callback is not None:
            callback(problem.shaped(x))
        if y @ s > 1e-10 * np.linalg.norm(s) * np.linalg.norm(y):
            curvature_pairs.append((s, y))
        if (previous_f - f) <= ftol * max(abs(previous_f), abs(f), 1.0):
            return report(x, f, g, path, SUCCESS, "Optimization terminated successfully: the relative "
                                                  "reduction of f is below ftol.")
    status = SUCCESS if gradient_small(g, gtol) else MAXITER
    return report(x, f, g, path, status)
