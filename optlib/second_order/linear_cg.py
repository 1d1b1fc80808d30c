r"""The (linear) conjugate gradient method for symmetric positive-definite systems.

Taught in the chapter *Conjugate gradient* (``chapters/05_second_order/conjugate_gradient``);
also the inner solver of Newton-CG (Hessian-free optimisation) in :func:`optlib.minimize`.
"""
from __future__ import annotations

import numpy as np
from scipy.optimize import OptimizeResult

__all__ = ["conjugate_gradient"]


def _as_operator(A, name, n):
    """A matrix-vector product ``v -> A v`` from an array or a callable."""
    if callable(A):
        return A
    matrix = np.asarray(A, dtype=float)
    if matrix.shape != (n, n):
        raise ValueError(f"{name} must have shape ({n}, {n}) to match b of length {n}, got {matrix.shape}")
    return lambda v: matrix @ v


def conjugate_gradient(A, b, x0=None, rtol=1e-10, maxiter=None, M=None, atol=0.0):
    r"""Solve :math:`A x = b` for symmetric positive-definite :math:`A` by conjugate gradient.

    Parameters
    ----------
    A : array_like of shape (n, n) or callable
        The matrix, or a function ``v -> A v`` (then :math:`A` is never formed).
    b : array_like of shape (n,)
        The right-hand side.
    x0 : array_like of shape (n,), optional
        The starting guess (zero by default).
    rtol : float
        Stop when :math:`\lVert r_k \rVert \le \max(\mathrm{rtol}\,\lVert b \rVert, \mathrm{atol})`,
        the test of :func:`scipy.sparse.linalg.cg`.
    maxiter : int, optional
        Iterations allowed (default ``10 n``, as SciPy).
    M : array_like of shape (n, n) or callable, optional
        A preconditioner given, as in SciPy, by its action ``r -> M r`` with
        :math:`M \approx A^{-1}` symmetric positive definite.
    atol : float
        Absolute residual tolerance.

    Returns
    -------
    x : ndarray of shape (n,)
        The last iterate. When non-positive curvature stops the method, the
        iterate before that direction was taken.
    info : scipy.optimize.OptimizeResult
        ``residuals`` (:math:`\lVert r_k \rVert` for :math:`k = 0, \dots, \mathrm{nit}`),
        ``nit``, ``success``, ``status`` (0 converged, 1 maxiter,
        2 non-positive curvature), ``message``, and ``curvature_direction``
        (the offending direction :math:`p` with :math:`p^\top A p \le 0`, or None).

    Raises
    ------
    ValueError
        On shapes that do not match, non-finite input, or negative tolerances.

    Notes
    -----
    Preconditioned CG (:cite:`hestenes1952`; Algorithm 5.3 of
    :cite:`nocedal2006`). With :math:`r_0 = b - A x_0`, :math:`z_0 = M r_0`,
    :math:`p_0 = z_0`, for :math:`k = 0, 1, \dots`:

    .. math::

        \alpha_k &= \frac{r_k^\top z_k}{p_k^\top A p_k}, \qquad
        x_{k+1} = x_k + \alpha_k p_k, \qquad
        r_{k+1} = r_k - \alpha_k A p_k, \\
        z_{k+1} &= M r_{k+1}, \qquad
        \beta_{k+1} = \frac{r_{k+1}^\top z_{k+1}}{r_k^\top z_k}, \qquad
        p_{k+1} = z_{k+1} + \beta_{k+1} p_k .

    The directions are :math:`A`-conjugate, so in exact arithmetic the method
    ends after at most :math:`n` steps (as many as :math:`A` has distinct
    eigenvalues), and the error in the :math:`A`-norm shrinks at least like
    :math:`2\bigl((\sqrt\kappa - 1)/(\sqrt\kappa + 1)\bigr)^k`. If some
    :math:`p_k^\top A p_k \le 0`, :math:`A` is not positive definite: the
    method stops there and says so, instead of stepping to a meaningless
    point (Newton-CG relies on this to detect negative curvature).
    """
    b = np.asarray(b, dtype=float)
    if b.ndim != 1:
        raise ValueError(f"b must be a 1-D array, got shape {b.shape}")
    n = b.size
    if not np.all(np.isfinite(b)):
        raise ValueError("b must hold finite values only")
    if not (np.isfinite(rtol) and rtol >= 0):
        raise ValueError(f"rtol must be a non-negative finite number, got {rtol!r}")
    if not (np.isfinite(atol) and atol >= 0):
        raise ValueError(f"atol must be a non-negative finite number, got {atol!r}")
    maxiter = 10 * n if maxiter is None else maxiter
    if isinstance(maxiter, bool) or not isinstance(maxiter, (int, np.integer)) or maxiter < 0:
        raise ValueError(f"maxiter must be a non-negative integer, got {maxiter!r}")
    matvec = _as_operator(A, "A", n)
    precondition = (lambda r: r) if M is None else _as_operator(M, "M", n)
    x = np.zeros(n) if x0 is None else np.array(x0, dtype=float).reshape(-1)
    if x.size != n:
        raise ValueError(f"x0 must have shape ({n},) to match b, got {np.shape(x0)}")

    def product(v):
        Av = np.asarray(matvec(v), dtype=float).reshape(-1)
        if Av.size != n:
            raise ValueError(f"A(v) must return a vector of length {n}, got {Av.size}")
        return Av

    tolerance = max(rtol * np.linalg.norm(b), atol)
    r = b - product(x) if np.any(x) else b.copy()
    z = precondition(r)
    p = z.copy()
    rz = r @ z
    residuals = [float(np.linalg.norm(r))]
    status, message, bad_direction = 1, f"maximum number of iterations ({maxiter}) reached", None
    k = 0
    while True:
        if residuals[-1] <= tolerance:
            status, message = 0, "converged: residual norm below the tolerance"
            break
        if k >= maxiter:
            break
        Ap = product(p)
        curvature = p @ Ap
        if not curvature > 0:
            status, bad_direction = 2, p
            message = (f"non-positive curvature p^T A p = {curvature:.3g} at iteration {k}: "
                       f"A is not positive definite")
            break
        alpha = rz / curvature
        x = x + alpha * p
        r = r - alpha * Ap
        z = precondition(r)
        rz_next = r @ z
        p = z + (rz_next / rz) * p
        rz = rz_next
        k += 1
        residuals.append(float(np.linalg.norm(r)))
    info = OptimizeResult(residuals=np.array(residuals), nit=k, success=status == 0, status=status,
                          message=message, curvature_direction=bad_direction)
    return x, info
