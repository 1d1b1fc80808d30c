r"""The natural-gradient direction: solving :math:`(F + \delta I)\, d = g`, densely or by conjugate gradient.

Both solvers refuse to return a step they cannot vouch for: a damped Fisher
matrix that is not positive definite (the step could go uphill), a singular
one (the step is undefined), or a conjugate-gradient solve that stopped short
of its tolerance (the step would be inexact).
"""
from __future__ import annotations

import numpy as np

from optlib import _checks
from optlib.second_order.linear_cg import conjugate_gradient
from optlib.tree import ravel


def solve_dense(fisher, g: np.ndarray, damping: float) -> np.ndarray:
    r""":math:`d = (F + \delta I)^{-1} g` from the eigendecomposition :math:`F = V \Lambda V^\top`.

    With :math:`n` parameters, ``fisher`` must be a finite symmetric (n, n)
    array, and :math:`F + \delta I` positive definite: its smallest eigenvalue
    :math:`\lambda_{\min} + \delta` must exceed :math:`n \varepsilon
    \max_i |\lambda_i + \delta|` (the rank tolerance of
    ``numpy.linalg.matrix_rank``). Below minus that, the matrix is indefinite
    and ValueError names :math:`\lambda_{\min}`; in between, it is singular
    (ValueError too). Then :math:`d = V (V^\top g / (\Lambda + \delta))`.
    """
    n = g.size
    F = _checks.real_array("fisher", fisher, finite=True, copy=False)
    if F.shape != (n, n):
        raise ValueError(f"fisher must have shape ({n}, {n}) for {n} parameters, got {F.shape}")
    if n == 0:
        return np.zeros(0)
    scale = np.max(np.abs(F))
    asymmetry = np.max(np.abs(F - F.T))
    if asymmetry > 1e-8 * scale:
        raise ValueError(f"fisher must be symmetric, as a Fisher matrix is: |F - F^T| reaches "
                         f"{asymmetry:.3g}, with entries up to {scale:.3g}")
    eigenvalues, eigenvectors = np.linalg.eigh((F + F.T) / 2)
    damped = eigenvalues + damping
    tolerance = n * np.finfo(np.float64).eps * np.max(np.abs(damped))
    smallest = eigenvalues[0]
    if damped[0] < -tolerance:
        raise ValueError(
            f"fisher + damping * I is not positive definite: the smallest eigenvalue of fisher is "
            f"{smallest:.6g} and damping is {damping:g}, so the step could go uphill. A Fisher matrix "
            f"is positive semi-definite; pass one, or a damping above {-smallest:.3g}")
    if damped[0] <= tolerance:
        raise ValueError(
            f"fisher + damping * I is singular: the smallest eigenvalue of fisher is {smallest:.3g} "
            f"(the largest {eigenvalues[-1]:.3g}) and damping is {damping:g}, so the natural-gradient "
            "step is undefined; use damping > 0 (a small fraction of the largest eigenvalue)")
    return eigenvectors @ ((eigenvectors.T @ g) / damped)


def solve_cg(fisher_vector_product, g: np.ndarray, unravel, damping: float, tol: float,
             maxiter: int) -> np.ndarray:
    r""":math:`d` with :math:`(F + \delta I) d = g` by conjugate gradient, using only ``v -> F v``.

    ``fisher_vector_product`` maps a pytree shaped like the parameters to
    another one (``unravel`` rebuilds the pytree from a vector). The solve must
    reach the relative residual :math:`\lVert (F + \delta I) d - g \rVert \le`
    ``tol`` :math:`\lVert g \rVert` within ``maxiter`` iterations, else
    ``numpy.linalg.LinAlgError`` (a ValueError) names the residual reached and
    the limit. Conjugate gradient meeting non-positive curvature raises
    ValueError: the operator is not positive definite. (When it succeeds, the
    operator is positive definite on the Krylov space that holds :math:`d`, so
    :math:`g^\top d > 0`: the step goes downhill.)
    """
    n = g.size

    def damped_fisher(v):
        Fv, _ = ravel(fisher_vector_product(unravel(v)))
        if Fv.shape != v.shape:
            raise ValueError(f"fisher(v) must have the shape of params ({n} numbers), got {Fv.size}")
        return Fv + damping * v

    d, info = conjugate_gradient(damped_fisher, g, rtol=tol, maxiter=maxiter)
    if not info.success and info.nit >= maxiter:  # it ran out of iterations
        relative = info.residuals[-1] / np.linalg.norm(g)
        raise np.linalg.LinAlgError(
            f"conjugate gradient did not solve (F + damping I) d = g to cg_tol={tol:g}: after "
            f"{info.nit} iterations, the limit cg_maxiter={maxiter}, the relative residual is "
            f"{relative:.3g}, so the step would be inexact. Raise cg_maxiter, or increase damping "
            "(a better conditioned system converges in fewer iterations)")
    if not info.success:
        raise ValueError(f"conjugate gradient could not solve (F + damping I) d = g: {info.message}. "
                         "A Fisher matrix is positive semi-definite: check fisher(v), or increase damping")
    return d
