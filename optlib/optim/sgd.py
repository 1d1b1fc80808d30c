"""Stochastic gradient descent, with momentum, dampening, Nesterov momentum and weight decay.

Defined here, taught in :chapter:`02_training/learning_rate`, :chapter:`04_first_order/optimizers`,
:chapter:`02_training/momentum` and :chapter:`04_first_order/nesterov`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from optlib import _checks

from . import _base


@dataclass(frozen=True)
class SGD:
    r"""Stochastic gradient descent, as ``torch.optim.SGD``.

    Parameters
    ----------
    lr : float or callable, default 1e-3
        Learning rate :math:`\gamma`, or a schedule ``step -> lr`` (the update
        counted ``t`` from 0 uses ``lr(t)``).
    momentum : float, default 0
        Momentum factor :math:`\mu \ge 0`.
    dampening : float, default 0
        Dampening :math:`\tau \in [0, 1]` of the gradient added to the momentum buffer.
    nesterov : bool, default False
        Use Nesterov momentum (needs ``momentum > 0`` and ``dampening == 0``).
    weight_decay : float, default 0
        L2 penalty :math:`\lambda \ge 0` added to the gradient.
    check_finite : bool, default False
        Raise ``ValueError`` (naming the step and the leaf) on a nan or inf gradient.

    Notes
    -----
    With gradient :math:`g_t = \nabla f(\theta_{t-1})` at update
    :math:`t = 1, 2, \dots`:

    .. math::

        g_t &\leftarrow g_t + \lambda \theta_{t-1} \\
        b_t &\leftarrow \begin{cases} g_t & t = 1 \\
                 \mu b_{t-1} + (1 - \tau) g_t & t > 1 \end{cases} \\
        g_t &\leftarrow \begin{cases} g_t + \mu b_t & \text{Nesterov} \\
                 b_t & \text{otherwise} \end{cases} \\
        \theta_t &\leftarrow \theta_{t-1} - \gamma g_t

    The momentum lines apply only when :math:`\mu \ne 0`. The Nesterov form is
    the one of PyTorch, an algebraic rearrangement of Sutskever et al.'s
    look-ahead step. The state holds ``step`` (updates done)
    and, with momentum, the buffer ``b``.

    References
    ----------
    :cite:`robbins1951` (stochastic gradient descent), :cite:`polyak1964`
    (momentum), :cite:`sutskever2013` (Nesterov momentum in this form).

    Examples
    --------
    >>> opt = SGD(lr=0.1, momentum=0.9)
    >>> state = opt.init(np.array([1.0]))
    >>> params, state = opt.update(np.array([1.0]), np.array([2.0]), state)
    >>> params
    array([0.8])
    """

    lr: float | Callable[[int], float] = 1e-3
    momentum: float = 0.0
    dampening: float = 0.0
    nesterov: bool = False
    weight_decay: float = 0.0
    check_finite: bool = False

    def __post_init__(self):
        _base.check_lr(self.lr)
        _checks.non_negative("momentum", self.momentum)
        _checks.in_interval("dampening", self.dampening, 0.0, 1.0)
        _checks.non_negative("weight_decay", self.weight_decay)
        if _checks.flag("nesterov", self.nesterov) and (self.momentum <= 0 or self.dampening != 0):
            raise ValueError(
                "nesterov=True needs momentum > 0 and dampening = 0, got "
                f"momentum={self.momentum!r}, dampening={self.dampening!r}"
            )
        _checks.flag("check_finite", self.check_finite)

    def init(self, params) -> dict:
        """State for ``params``: the step count and, with momentum, a zero buffer ``b``."""
        _base.check_params(params)
        state = {"step": 0}
        if self.momentum != 0:
            state["b"] = _base.full_like(params)
        return state

    def next_lr(self, state) -> float:
        """The learning rate of the next update: ``lr``, or ``lr(state["step"])`` for a schedule."""
        return _base.scheduled_lr(self.lr, _base.check_state(state, (), "SGD"))

    def update(self, params, grads, state):
        """One step: returns ``(params, state)``, both new (the inputs are not modified)."""
        buffers = ("b",) if self.momentum != 0 else ()
        t = _base.check_state(state, buffers, "SGD") + 1
        gamma = _base.scheduled_lr(self.lr, t - 1)
        mu, tau, lambda_ = self.momentum, self.dampening, self.weight_decay

        def rule(theta, g, b=None):
            if lambda_ != 0:
                g = g + lambda_ * theta
            if mu != 0:
                b = np.copy(g) if t == 1 else mu * b + (1 - tau) * g
                g = g + mu * b if self.nesterov else b
            theta = theta - gamma * g
            return theta, {"b": b}

        params, new = _base.leafwise(rule, params, grads, {k: state[k] for k in buffers}, t - 1,
                                     self.check_finite)
        return params, {"step": t, **new}
