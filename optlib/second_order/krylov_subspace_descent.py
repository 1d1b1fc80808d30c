"""Krylov subspace descent (Vinyals & Povey).

Taught in the chapter *Krylov subspace descent* (``chapters/05_second_order/krylov_subspace_descent``).
"""
import numpy as np

from optlib.second_order.bfgs import bfgs
from optlib.second_order.problem import MAXITER, NOT_FINITE, SUCCESS, gradient_small, report


class _Subspace:
    """The objective restricted to ``x + V a``, as a function of the coefficients ``a``.

    Evaluations are counted in the full problem's counters.
    """

    def __init__(self, problem, x, basis, args):
        self.problem, self.x, self.basis, self.args = problem, x, basis, args
        self.size = basis.shape[1]

    def value_and_grad(self, a):
        f, g = self.problem.value_and_grad(self.x + self.basis @ a, self.args)
        return f, self.basis.T @ g

    def shaped(self, a):
        return np.array(a)


def _pick(subsets, k, default):
    """The data subset for outer iteration ``k``: ``subsets`` is one args tuple or a list of them, cycled."""
    if subsets is None:
        return default
    if isinstance(subsets, list):
        return tuple(subsets[k % len(subsets)])
    return tuple(subsets)


def krylov_basis(gradient, curvature_product, dimension, previous_step=None):
    r"""An orthonormal basis of :math:`\operatorname{span}\{g, Bg, \dots, B^{K-1}g, d_{k-1}\}`.

    Modified Gram-Schmidt as the vectors are made (Arnoldi); a vector that is
    numerically in the span of the others is dropped. Returns ``(V, products)``
    with ``V`` of shape ``(n, K')``, ``K' <= K + 1``.
    """
    columns = []

    def add(v):
        norm = np.linalg.norm(v)
        for q in columns:
            v = v - (q @ v) * q
        if np.linalg.norm(v) > 1e-10 * norm and np.all(np.isfinite(v)):
            columns.append(v / np.linalg.norm(v))
            return True
        return False

    add(gradient)
    products = 0
    while len(columns) < dimension:
        v = curvature_product(columns[-1])
        products += 1
        if not add(v):
            break
    if previous_step is not None:
        add(previous_step)
    return np.stack(columns, axis=1), products


def krylov_subspace_descent(problem, x0, callback=None, gtol=1e-5, maxiter=100, subspace_dim=10,
                            inner_maxiter=None, curvature_args=None, subspace_args=None,
                            curvature_product=None):
    r"""Krylov subspace descent: optimise over a small Krylov subspace at every step.

    Parameters
    ----------
    problem, x0, callback
        The counted objective, the flat start and the per-iteration callback,
        as :func:`optlib.minimize` passes them; the rest are its ``options``.
    gtol : float
        Stop when the full-data gradient has :math:`\lVert \nabla f(x_k) \rVert_\infty \le` gtol.
    maxiter : int
        Outer iterations allowed.
    subspace_dim : int
        :math:`K`: the gradient and :math:`K - 1` curvature products span the
        subspace (plus the previous step).
    inner_maxiter : int
        BFGS iterations over the coefficients per outer iteration (default :math:`2K`).
    curvature_args : tuple or list of tuples, optional
        The extra arguments of ``fun`` (in place of ``args``, typically a
        subset of the data) for the curvature products; a list is cycled, one
        entry per outer iteration. Default: ``args``.
    subspace_args : tuple or list of tuples, optional
        Likewise for the BFGS over the subspace (another data subset).
    curvature_product : callable, optional
        ``curvature_product(x, v, *curvature_args) -> B v`` with a positive
        semi-definite curvature matrix :math:`B`, e.g. the Gauss-Newton
        matrix. Default: the Hessian, through Hessian-vector products.

    Notes
    -----
    At outer iteration :math:`k`, with the full-data gradient :math:`g_k`, the
    curvature matrix :math:`B_k` on the curvature subset and the previous step
    :math:`d_{k-1}`:

    .. math::

        V_k &= \operatorname{orth}\bigl[g_k,\ B_k g_k,\ \dots,\ B_k^{K-1} g_k,\ d_{k-1}\bigr]
              \in \mathbb{R}^{n \times (K+1)}, \\
        a_k &\approx \operatorname*{arg\,min}_{a \in \mathbb{R}^{K+1}} f_{\text{subset}}(x_k + V_k a)
              \quad\text{(BFGS from } a = 0\text{)}, \\
        d_k &= V_k a_k, \qquad x_{k+1} = x_k + d_k .

    Unlike Hessian-free optimisation, no damping and no truncated CG run are
    needed: the curvature only chooses the subspace, and BFGS on the
    :math:`K + 1` coefficients, gradient :math:`V_k^\top \nabla f`, finds the step.
    Vinyals and Povey use the Gauss-Newton matrix, :math:`K = 20`, the full
    gradient, and separate data subsets for the curvature products and for
    BFGS (here ``curvature_args`` and ``subspace_args``).

    References
    ----------
    :cite:`vinyals2012`; :cite:`martens2010`.
    """
    if isinstance(subspace_dim, bool) or not isinstance(subspace_dim, (int, np.integer)) or subspace_dim < 1:
        raise ValueError(f"subspace_dim must be a positive integer, got {subspace_dim!r}")
    inner_maxiter = 2 * subspace_dim if inner_maxiter is None else inner_maxiter
    x = x0
    f, g = problem.value_and_grad(x)
    path = [x]
    previous_step = None
    for k in range(maxiter):
        if gradient_small(g, gtol):
            return report(x, f, g, path, SUCCESS)
        curvature_data = _pick(curvature_args, k, problem.args)
        subspace_data = _pick(subspace_args, k, problem.args)
        if curvature_product is None:
            def product(v):
                return problem.hessp(x, v, curvature_data)
        else:
            def product(v):
                problem.nhev += 1
                Bv = curvature_product(problem.shaped(x), problem.shaped(v), *curvature_data)
                return np.asarray(Bv, dtype=float).reshape(-1)
        basis, _ = krylov_basis(g, product, subspace_dim, previous_step)
        inner = bfgs(_Subspace(problem, x, basis, subspace_data), np.zeros(basis.shape[1]),
                     gtol=0.0, maxiter=inner_maxiter)
        step = basis @ inner["x"]
        x = x + step
        previous_step = step if np.any(step) else None
        f, g = problem.value_and_grad(x)
        path.append(x)
        if callback is not None:
            callback(problem.shaped(x))
        if not (np.isfinite(f) and np.all(np.isfinite(g))):
            return report(x, f, g, path, NOT_FINITE, "f or its gradient is not finite.")
    status = SUCCESS if gradient_small(g, gtol) else MAXITER
    return report(x, f, g, path, status)
