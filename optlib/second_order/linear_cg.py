r"""The (linear) conjugate gradient method for symmetric positive-definite systems.

Taught in :chapter:`05_second_order/conjugate_gradient`; also the inner solver of Newton-CG
(Hessian-free optimisation) in :func:`optlib.minimize` and of :class:`optlib.optim.NaturalGradient`.
"""
from __future__ import annotations

import numpy as np
from scipy.optimize import OptimizeResult

from optlib import _checks
from optlib.second_order.status import MAXITER, NON_POSITIVE_CURVATURE, NOT_FINITE, SUCCESS

__all__ = ["conjugate_gradient"]


def _as_operator(name, A, n):
    """The product ``v -> A v`` as a float vector of length n, from a checked matrix or a callable."""
    if not callable(A):
        matrix = _checks.real_array(name, A, shape=(n, n), finite=True)
        return lambda v: matrix @ v

    def product(v):
        Av = _checks.real_array(f"{name}(v)", A(v), copy=False).reshape(-1)
        if Av.size != n:
            raise ValueError(f"{name}(v) must return a vector of length {n} (the length of b), got {Av.size}")
        return Av
    return product


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
        ``nit``, ``success``, ``status`` (from :mod:`optlib.second_order.status`:
        ``SUCCESS`` 0, ``MAXITER`` 1, ``NOT_FINITE`` 3 when a product
        :math:`Ap` is not finite, ``NON_POSITIVE_CURVATURE`` 4), ``message``,
        and ``curvature_direction`` (the offending direction :math:`p` with
        :math:`p^\top A p \le 0`, or None).

    Raises
    ------
    TypeError
        For an argument of the wrong type (``rtol=None``, a string).
    ValueError
        For shapes that do not match, complex or non-finite entries in ``A``,
        ``b``, ``x0`` or ``M``, negative tolerances or ``maxiter``.

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
    b = _checks.real_array("b", b, ndim=1, finite=True)
    n = b.size
    rtol = _checks.non_negative("rtol", rtol)
    atol = _checks.non_negative("atol", atol)
    maxiter = 10 * n if maxiter is None else _checks.integer("maxiter", maxiter, minimum=0)
    matvec = _as_operator("A", A, n)
    precondition = (lambda r: r) if M is None else _as_operator("M", M, n)
    x = np.zeros(n) if x0 is None else _checks.real_array("x0", x0, shape=(n,), finite=True)

    tolerance = max(rtol * np.linalg.norm(b), atol)
    r = b - matvec(x) if np.any(x) else b.copy()
    z = precondition(r)
    p = z.copy()
    rz = r @ z
    residuals = [float(np.linalg.norm(r))]
    status, message, bad_direction = MAXITER, f"maximum number of iterations ({maxiter}) reached", None
    k = 0
    while True:
        if residuals[-1] <= tolerance:
            status, message = SUCCESS, "converged: residual norm below the tolerance"
            break
        if k >= maxiter:
            break
        Ap = matvec(p)
        curvature = p @ Ap
        if not np.isfinite(curvature):
            status, message = NOT_FINITE, f"A p is not finite (p^T A p = {curvature} at iteration {k})"
            break
        if not curvature > 0:
            status, bad_direction = NON_POSITIVE_CURVATURE, p
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
    info = OptimizeResult(residuals=np.array(residuals), nit=k, success=status == SUCCESS, status=status,
                          message=message, curvature_direction=bad_direction)
    return x, info
