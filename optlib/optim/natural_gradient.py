"""Natural gradient descent: precondition the gradient with the (damped) Fisher information matrix.

Defined here, taught in :chapter:`05_second_order/natural_gradient`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from optlib import _checks
from optlib.tree import ravel

from . import _base, _fisher


@dataclass(frozen=True)
class NaturalGradient:
    r"""Natural gradient descent with Tikhonov damping.

    Taught in :chapter:`05_second_order/natural_gradient`.

    Parameters
    ----------
    lr : float or callable
        Learning rate :math:`\gamma`, or a schedule ``step -> lr``.
    damping : float
        :math:`\delta \ge 0` added to the diagonal of the Fisher matrix.
    cg_tol : float, default 1e-10
        Relative residual at which conjugate gradient stops (Fisher-vector products only).
    cg_maxiter : int, optional
        Conjugate-gradient iterations at most (default: the number of parameters);
        if they do not reach ``cg_tol``, :meth:`update` raises instead of
        taking an inexact step.
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

    :meth:`update` never returns a step it cannot vouch for. A dense
    :math:`F + \delta I` must be symmetric positive definite: an indefinite
    one (whose step could go uphill) raises ValueError naming the smallest
    eigenvalue of :math:`F`, a singular one (:math:`F` singular and
    :math:`\delta = 0`) ValueError too. Conjugate gradient must reach the
    relative residual ``cg_tol`` within ``cg_maxiter`` iterations, else
    ``numpy.linalg.LinAlgError`` (a ValueError) names the residual reached and
    the limit, to raise with ``cg_maxiter`` (or to lower by more damping, which
    improves the conditioning); meeting non-positive curvature raises
    ValueError. The state is then unchanged, so the update can be retried.

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
        _checks.non_negative("damping", self.damping)
        _checks.non_negative("cg_tol", self.cg_tol)
        if self.cg_maxiter is not None:
            _checks.integer("cg_maxiter", self.cg_maxiter, minimum=1)
        _checks.flag("check_finite", self.check_finite)

    def init(self, params) -> dict:
        """State for ``params``: the step count."""
        _base.check_params(params)
        return {"step": 0}

    def next_lr(self, state) -> float:
        """The learning rate of the next update: ``lr``, or ``lr(state["step"])`` for a schedule."""
        return _base.scheduled_lr(self.lr, _base.check_state(state, (), "NaturalGradient"))

    def update(self, params, grads, state, fisher):
        """One step: returns ``(params, state)``, both new (the inputs are not modified).

        Parameters
        ----------
        params, grads : pytree
        state : dict
        fisher : ndarray of shape (n, n) or callable
            The Fisher matrix at ``params``, or its product with a pytree ``v``.

        Raises
        ------
        ValueError
            For a damped Fisher matrix that is not positive definite, or
            ``numpy.linalg.LinAlgError`` (a ValueError) when conjugate gradient
            does not reach ``cg_tol`` within ``cg_maxiter`` iterations (see Notes).
        """
        t = _base.check_state(state, (), "NaturalGradient") + 1
        gamma = _base.scheduled_lr(self.lr, t - 1)
        _base.check_grads(params, grads, t - 1, self.check_finite)
        theta, unravel = ravel(params)
        g, _ = ravel(grads)
        if callable(fisher):
            maxiter = self.cg_maxiter or max(g.size, 1)
            d = _fisher.solve_cg(fisher, g, unravel, self.damping, self.cg_tol, maxiter)
        else:
            d = _fisher.solve_dense(fisher, g, self.damping)
        return unravel(theta - gamma * d), {"step": t}
