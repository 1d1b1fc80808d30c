"""Adadelta: steps whose units match the parameters', from running averages of squared gradients and steps.

Defined here, taught in :chapter:`04_first_order/adadelta`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from optlib import _checks

from . import _base


@dataclass(frozen=True)
class Adadelta:
    r"""Adadelta, as ``torch.optim.Adadelta``.

    Parameters
    ----------
    lr : float or callable, default 1.0
        Learning rate :math:`\gamma` scaling the step, or a schedule ``step -> lr``.
    rho : float, default 0.9
        Decay :math:`\rho \in [0, 1)` of both running averages.
    eps : float, default 1e-6
        :math:`\epsilon \ge 0`, added inside both square roots.
    weight_decay : float, default 0
        L2 penalty :math:`\lambda \ge 0` added to the gradient.
    check_finite : bool, default False
        Raise ``ValueError`` (naming the step and the leaf) on a nan or inf gradient.

    Notes
    -----
    With gradient :math:`g_t = \nabla f(\theta_{t-1})` at update
    :math:`t = 1, 2, \dots`, and :math:`v_0 = u_0 = 0`:

    .. math::

        g_t &\leftarrow g_t + \lambda \theta_{t-1} \\
        v_t &\leftarrow \rho v_{t-1} + (1 - \rho) g_t^2 \\
        \Delta x_t &\leftarrow \frac{\sqrt{u_{t-1} + \epsilon}}{\sqrt{v_t + \epsilon}} \, g_t \\
        u_t &\leftarrow \rho u_{t-1} + (1 - \rho) \Delta x_t^2 \\
        \theta_t &\leftarrow \theta_{t-1} - \gamma \Delta x_t

    All operations are element-wise. :math:`v` averages squared gradients
    (PyTorch's ``square_avg``), :math:`u` squared steps (``acc_delta``). The
    state holds ``step``, ``v`` and ``u``.

    References
    ----------
    :cite:`zeiler2012`
    """

    lr: float | Callable[[int], float] = 1.0
    rho: float = 0.9
    eps: float = 1e-6
    weight_decay: float = 0.0
    check_finite: bool = False

    def __post_init__(self):
        _base.check_lr(self.lr)
        _base.decay("rho", self.rho)
        _checks.non_negative("eps", self.eps)
        _checks.non_negative("weight_decay", self.weight_decay)
        _checks.flag("check_finite", self.check_finite)

    def init(self, params) -> dict:
        """State for ``params``: the step count and zero averages ``v`` and ``u``."""
        _base.check_params(params)
        return {"step": 0, "v": _base.full_like(params), "u": _base.full_like(params)}

    def next_lr(self, state) -> float:
        """The learning rate of the next update: ``lr``, or ``lr(state["step"])`` for a schedule."""
        return _base.scheduled_lr(self.lr, _base.check_state(state, (), "Adadelta"))

    def update(self, params, grads, state):
        """One step: returns ``(params, state)``, both new (the inputs are not modified)."""
        t = _base.check_state(state, ("v", "u"), "Adadelta") + 1
        gamma = _base.scheduled_lr(self.lr, t - 1)
        rho, eps, lambda_ = self.rho, self.eps, self.weight_decay

        def rule(theta, g, v, u):
            if lambda_ != 0:
                g = g + lambda_ * theta
            v = rho * v + (1 - rho) * g * g
            delta_x = np.sqrt(u + eps) / np.sqrt(v + eps) * g
            u = rho * u + (1 - rho) * delta_x * delta_x
            theta = theta - gamma * delta_x
            return theta, {"v": v, "u": u}

        params, new = _base.leafwise(rule, params, grads, {"v": state["v"], "u": state["u"]}, t - 1,
                                     self.check_finite)
        return params, {"step": t, **new}
