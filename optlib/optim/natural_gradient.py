"""Natural gradient descent: precondition the gradient with the (damped) Fisher information matrix.

Defined here, taught in the chapter *Natural gradient* (``chapters/05_second_order/natural_gradient``).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from optlib.second_order.linear_cg import conjugate_gradient
from optlib.tree import ravel

from . import _base


def _solve_cg(matvec, b, tol, maxiter):
    """Conjugate gradient for ``matvec(x) = b`` with a symmetric positive-definite operator."""
    x, info = conjugate_gradient(matvec, b, rtol=tol, maxiter=maxiter)
    if info.status == 2:
        raise ValueError(f"the damped Fisher matrix is not positive definite along a conjugate-gradient "
                         f"direction ({info.message}); increase damping")
    return x


@dataclass(frozen=True)
class NaturalGradient:
    r"""Natural gradient descent with Tikhonov damping.

    Parameters
    ----------
    lr : float or callable
        Learning rate :math:`\gamma`, or a schedule ``step -> lr``.
    damping : float
        :math:`\delta \ge 0` added to the diagonal of the Fisher matrix.
    cg_tol : float, default 1e-10
        Relative residual at which conjugate gradient stops (Fisher-vector products only).
    cg_maxiter : int, optional
        Conjugate-gradient iterations at most (default: the number of parameters).
    check_finite : bool, default False
        Raise ``ValueError`` (naming the step and the leaf) on a nan or inf gradient.

    Notes
    -----
    With gradient :math:`g_t = \nabla f(\theta_{t-1})` and Fisher information
    matrix :math:`F_t = F(\theta_{t-1})` at update :math:`t = 1, 2, \dots`:

    .. math::

        d_t &\leftarrow (F_t + \delta I)^{-1} g_t \\
        \theta_t &\leftarrow \theta_{t-1} - \gamma d_t

    ``update(params, grads, state, fisher)`` takes the Fisher matrix as a
    dense array of shape ``(n, n)`` over the raveled parameters
    (:func:`optlib.tree.ravel` order), solved directly, or as a function
    ``v -> F v`` mapping a pytree shaped like ``params`` to another one, in
    which case :math:`d_t` comes from conjugate gradient and :math:`F` is never
    formed. The state holds ``step``.

    For a model with predictive distribution :math:`p(y \mid x, \theta)` the
    Fisher matrix is :math:`F = \mathbb{E}\bigl[\nabla_\theta \log p\,
    \nabla_\theta \log p^\top\bigr]`; for logistic regression it is
    :math:`\frac1n X^\top \operatorname{diag}(p_i(1 - p_i)) X` (equal to the
    Hessian of the mean log-loss), for a Gaussian with mean :math:`\mu` and scale
    :math:`\sigma` it is :math:`\operatorname{diag}(1/\sigma^2, 2/\sigma^2)`, or
    :math:`\operatorname{diag}(1/\sigma^2, 2)` in :math:`(\mu, \log\sigma)`.
    Because :math:`F` transforms like a metric, small natural-gradient steps
    follow the same path in any parametrisation (up to :math:`O(\gamma)`),
    which plain gradient descent does not.

    References
    ----------
    :cite:`amari1998`; damping and Fisher-vector products :cite:`martens2020`.
    """

    lr: float | Callable[[int], float]
    damping: float
    cg_tol: float = 1e-10
    cg_maxiter: int | None = None
    check_finite: bool = False

    def __post_init__(self):
        _base.check_lr(self.lr)
        _base.non_negative("damping", self.damping)
        _base.non_negative("cg_tol", self.cg_tol)
        if self.cg_maxiter is not None and not (isinstance(self.cg_maxiter, int) and self.cg_maxiter > 0):
            raise ValueError(f"cg_maxiter must be a positive int or None, got {self.cg_maxiter!r}")
        _base.check_flag("check_finite", self.check_finite)

    def init(self, params) -> dict:
        """State for ``params``: the step count."""
        _base.check_params(params)
        return {"step": 0}

    def update(self, params, grads, state, fisher):
        """One step: returns ``(params, state)``, both new (the inputs are not modified).

        Parameters
        ----------
        params, grads : pytree
        state : dict
        fisher : ndarray of shape (n, n) or callable
            The Fisher matrix at ``params``, or its product with a pytree ``v``.
        """
        _base.check_state(state, (), "NaturalGradient")
        t = state["step"] + 1
        gamma = _base.scheduled_lr(self.lr, t - 1)
        _base.check_grads(params, grads, t - 1, self.check_finite)
        theta, unravel = ravel(params)
        g, _ = ravel(grads)
        delta, n = self.damping, theta.size
        if callable(fisher):
            def damped_fisher(v):
                Fv, _ = ravel(fisher(unravel(v)))
                if Fv.shape != v.shape:
                    raise ValueError(f"fisher(v) must have the shape of params ({n} numbers), got {Fv.size}")
                return Fv + delta * v

            d = _solve_cg(damped_fisher, g, self.cg_tol, self.cg_maxiter or max(n, 1))
        else:
            F = np.asarray(fisher, dtype=np.float64)
            if F.shape != (n, n):
                raise ValueError(f"fisher must have shape ({n}, {n}) for {n} parameters, got {F.shape}")
            d = np.linalg.solve(F + delta * np.eye(n), g)
        theta = theta - gamma * d
        return unravel(theta), {"step": t}
