"""Averaged SGD: SGD with a slowly decaying step size, plus the running average of its iterates.

Defined here, taught in :chapter:`04_first_order/asgd`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from optlib import _checks
from optlib.tree import tree_copy

from . import _base


@dataclass(frozen=True)
class ASGD:
    r"""Averaged stochastic gradient descent, as ``torch.optim.ASGD``.

    Taught in :chapter:`04_first_order/asgd`.

    Parameters
    ----------
    lr : float or callable, default 1e-2
        Learning rate :math:`\gamma`, or a schedule ``step -> lr``.
    lambd : float, default 1e-4
        Decay term :math:`\lambda \ge 0` (both of the step size and of the parameters).
    alpha : float, default 0.75
        Decay exponent :math:`\alpha \ge 0` of the step size.
    t0 : float, default 1e6
        Number of updates :math:`t_0 \ge 0` after which averaging starts.
    weight_decay : float, default 0
        L2 penalty :math:`w \ge 0` added to the gradient.
    check_finite : bool, default False
        Raise ``ValueError`` (naming the step and the leaf) on a nan or inf gradient.

    Notes
    -----
    With gradient :math:`g_t = \nabla f(\theta_{t-1})` at update
    :math:`t = 1, 2, \dots`, step size and averaging weight

    .. math::

        \eta_t = \frac{\gamma}{(1 + \lambda \gamma (t - 1))^{\alpha}}, \qquad
        \mu_t = \frac{1}{\max(1, t - 1 - t_0)},

    the update is

    .. math::

        g_t &\leftarrow g_t + w \theta_{t-1} \\
        \theta_t &\leftarrow \theta_{t-1} (1 - \lambda \eta_t) \\
        \theta_t &\leftarrow \theta_t - \eta_t g_t \\
        \bar\theta_t &\leftarrow \bar\theta_{t-1} + \mu_t (\theta_t - \bar\theta_{t-1})

    (with :math:`\mu_t = 1`, simply :math:`\bar\theta_t \leftarrow \theta_t`).
    This is PyTorch's schedule: :math:`\eta` and :math:`\mu` of update
    :math:`t` are those PyTorch computes at the end of update :math:`t - 1`.
    :math:`\mu_t = 1` up to update :math:`t_0 + 2`, so for integer
    :math:`t_0` the average :math:`\bar\theta_t` is the mean of the iterates
    :math:`\theta_{t_0+2}, \dots, \theta_t`. :meth:`averaged` returns it.
    With a learning-rate schedule, :math:`\gamma` in :math:`\eta_t` is the
    scheduled value of update :math:`t` (PyTorch would use the previous one).
    The state holds ``step`` and ``theta_bar`` (PyTorch's ``ax``), which starts
    as a copy of the initial parameters.

    References
    ----------
    :cite:`polyak1992`; the step-size schedule :cite:`bottou2012`.
    """

    lr: float | Callable[[int], float] = 1e-2
    lambd: float = 1e-4
    alpha: float = 0.75
    t0: float = 1e6
    weight_decay: float = 0.0
    check_finite: bool = False

    def __post_init__(self):
        _base.check_lr(self.lr)
        _checks.non_negative("lambd", self.lambd)
        _checks.non_negative("alpha", self.alpha)
        _checks.non_negative("t0", self.t0)
        _checks.non_negative("weight_decay", self.weight_decay)
        _checks.flag("check_finite", self.check_finite)

    def init(self, params) -> dict:
        """State for ``params``: the step count and the average ``theta_bar`` (a copy of ``params``)."""
        _base.check_params(params)
        return {"step": 0, "theta_bar": tree_copy(params, dtype=np.float64)}

    def averaged(self, state):
        """The averaged parameters :math:`\\bar\\theta_t` (a copy)."""
        _base.check_state(state, ("theta_bar",), "ASGD")
        return tree_copy(state["theta_bar"])

    def next_lr(self, state) -> float:
        """The learning rate of the next update (before the decay to :math:`\\eta_t`): ``lr`` or ``lr(t)``."""
        return _base.scheduled_lr(self.lr, _base.check_state(state, (), "ASGD"))

    def update(self, params, grads, state):
        """One step: returns ``(params, state)``, both new (the inputs are not modified)."""
        t = _base.check_state(state, ("theta_bar",), "ASGD") + 1
        gamma = _base.scheduled_lr(self.lr, t - 1)
        lambda_, w = self.lambd, self.weight_decay
        eta = gamma / ((1 + lambda_ * gamma * (t - 1)) ** self.alpha)
        mu = 1 / max(1, t - 1 - self.t0)

        def rule(theta, g, theta_bar):
            if w != 0:
                g = g + w * theta
            theta = theta * (1 - lambda_ * eta)
            theta = theta - eta * g
            theta_bar = theta_bar + mu * (theta - theta_bar) if mu != 1 else np.copy(theta)
            return theta, {"theta_bar": theta_bar}

        params, new = _base.leafwise(rule, params, grads, {"theta_bar": state["theta_bar"]}, t - 1,
                                     self.check_finite)
        return params, {"step": t, **new}
