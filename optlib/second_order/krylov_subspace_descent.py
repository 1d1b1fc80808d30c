"""Krylov subspace descent (Vinyals & Povey).

Taught in :chapter:`05_second_order/krylov_subspace_descent`.
"""
import reprlib

import numpy as np

from optlib import _checks
from optlib.second_order.bfgs import bfgs
from optlib.second_order.problem import Run, should_stop
from optlib.second_order.status import NOT_FINITE


class _Subspace:
    """The objective restricted to ``x + V a``, as a function of the coefficients ``a``.

    Its evaluations are evaluations of the full problem, counted there.
    """

    def __init__(self, problem, x, basis, args):
        self.problem, self.x, self.basis, self.args = problem, x, basis, args

    def value_and_grad(self, a):
        f, g = self.problem.value_and_grad(self.x + self.basis @ a, self.args)
        return f, self.basis.T @ g


def _subsets(name, value):
    """``value`` as a list of args tuples (None stays None): one tuple, or a non-empty list of tuples."""
    if value is None:
        return None
    if isinstance(value, tuple):
        return [value]
    if not isinstance(value, list) or not all(isinstance(entry, tuple) for entry in value):
        raise TypeError(f"{name} must be a tuple of extra arguments of fun or a list of such tuples, "
                        f"got {reprlib.repr(value)} ({type(value).__name__})")
    if not value:
        raise ValueError(f"{name} must hold at least one tuple of extra arguments, got an empty list")
    return value


def krylov_basis(gradient, curvature_product, dimension, previous_step=None):
    r"""An orthonormal basis of :math:`\operatorname{span}\{g, Bg, \dots, B^{K-1}g, d_{k-1}\}`.

    Modified Gram-Schmidt as the vectors are made (Arnoldi); a vector that is
    numerically in the span of the others is dropped. Returns ``V`` of shape
    ``(n, K')``, ``K' <= K + 1``.
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
    while len(columns) < dimension:
        if not add(curvature_product(columns[-1])):
            break
    if previous_step is not None:
        add(previous_step)
    return np.stack(columns, axis=1)


def krylov_subspace_descent(problem, x0, callback=None, gtol=1e-5, maxiter=100, subspace_dim=10,
                            inner_maxiter=None, curvature_args=None, subspace_args=None,
                            curvature_product=None):
    r"""Krylov subspace descent: optimise over a small Krylov subspace at every step.

    Parameters
    ----------
    problem, x0, callback, gtol, maxiter
        As in every method (see :func:`optlib.minimize`); ``maxiter`` counts
        outer iterations, and the gradient test uses the full-data gradient.
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
    subspace_dim = _checks.integer("subspace_dim", subspace_dim, minimum=1)
    inner_maxiter = 2 * subspace_dim if inner_maxiter is None else _checks.integer("inner_maxiter",
                                                                                   inner_maxiter, minimum=1)
    curvature_subsets = _subsets("curvature_args", curvature_args) or [problem.args]
    subspace_subsets = _subsets("subspace_args", subspace_args) or [problem.args]
    if curvature_product is not None:
        _checks.function("curvature_product", curvature_product)
    run = Run(problem, x0, callback, maxiter)
    x = x0
    f, g = problem.value_and_grad(x)
    previous_step = None
    for k in range(maxiter):
        if should_stop(g, gtol):
            break
        curvature_data = curvature_subsets[k % len(curvature_subsets)]
        subspace_data = subspace_subsets[k % len(subspace_subsets)]
        basis = krylov_basis(g, lambda v: problem.hessp(x, v, curvature_data, product=curvature_product),
                             subspace_dim, previous_step)
        inner = bfgs(_Subspace(problem, x, basis, subspace_data), np.zeros(basis.shape[1]),
                     gtol=0.0, maxiter=inner_maxiter)
        step = basis @ inner["x"]
        x = x + step
        previous_step = step if np.any(step) else None
        f, g = problem.value_and_grad(x)
        run.record(x)
        if not np.isfinite(f):
            return run.result(x, f, g, NOT_FINITE, f"f is not finite at iteration {k + 1}.")
    return run.finish(x, f, g, gtol)
