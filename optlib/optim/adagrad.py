"""Adagrad: per-coordinate step sizes from the sum of all squared gradients so far.

Defined here, taught in :chapter:`04_first_order/adagrad`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from optlib import _checks

from . import _base


@dataclass(frozen=True)
class Adagrad:
    r"""Adagrad, as ``torch.optim.Adagrad``.

    Parameters
    ----------
    lr : float or callable, default 1e-2
        Learning rate :math:`\gamma`, or a schedule ``step -> lr``.
    lr_decay : float, default 0
        Decay :math:`\eta \ge 0`, applied on top of the (scheduled) learning rate.
    weight_decay : float, default 0
        L2 penalty :math:`\lambda \ge 0` added to the gradient.
    initial_accumulator_value : float, default 0
        Starting value :math:`s_0 \ge 0` of the sum of squared gradients.
    eps : float, default 1e-10
        :math:`\epsilon \ge 0`, added to the square root.
    check_finite : bool, default False
        Raise ``ValueError`` (naming the step and the leaf) on a nan or inf gradient.

    Notes
    -----
    With gradient :math:`g_t = \nabla f(\theta_{t-1})` at update
    :math:`t = 1, 2, \dots` and :math:`\gamma` the learning rate of that update:

    .. math::

        \tilde\gamma &\leftarrow \gamma / (1 + (t - 1) \eta) \\
        g_t &\leftarrow g_t + \lambda \theta_{t-1} \\
        s_t &\leftarrow s_{t-1} + g_t^2 \\
        \theta_t &\leftarrow \theta_{t-1} - \tilde\gamma \, \frac{g_t}{\sqrt{s_t} + \epsilon}

    All operations are element-wise. The state holds ``step`` and the sum ``s``
    (PyTorch's ``state_sum``).

    References
    ----------
    :cite:`duchi2011`
    """

    lr: float | Callable[[int], float] = 1e-2
    lr_decay: float = 0.0
    weight_decay: float = 0.0
    initial_accumulator_value: float = 0.0
    eps: float = 1e-10
    check_finite: bool = False

    def __post_init__(self):
        _base.check_lr(self.lr)
        _checks.non_negative("lr_decay", self.lr_decay)
        _checks.non_negative("weight_decay", self.weight_decay)
        _checks.non_negative("initial_accumulator_value", self.initial_accumulator_value)
        _checks.non_negative("eps", self.eps)
        _checks.flag("check_finite", self.check_finite)

    def init(self, params) -> dict:
        """State for ``params``: the step count and the sum ``s`` filled with ``initial_accumulator_value``."""
        _base.check_params(params)
        return {"step": 0, "s": _base.full_like(params, fill=self.initial_accumulator_value)}

    def next_lr(self, state) -> float:
        """The learning rate of the next update, before ``lr_decay``: ``lr`` or ``lr(state["step"])``."""
        return _base.scheduled_lr(self.lr, _base.check_state(state, (), "Adagrad"))

    def update(self, params, grads, state):
        """One step: returns ``(params, state)``, both new (the inputs are not modified)."""
        t = _base.check_state(state, ("s",), "Adagrad") + 1
        gamma = _base.scheduled_lr(self.lr, t - 1)
        eta, lambda_, eps = self.lr_decay, self.weight_decay, self.eps
        gamma_tilde = gamma / (1 + (t - 1) * eta)

        def rule(theta, g, s):
            if lambda_ != 0:
                g = g + lambda_ * theta
            s = s + g * g
            theta = theta - gamma_tilde * (g / (np.sqrt(s) + eps))
            return theta, {"s": s}

        params, new = _base.leafwise(rule, params, grads, {"s": state["s"]}, t - 1, self.check_finite)
        return params, {"step": t, **new}
