"""Adam: momentum on the gradient, RMSprop-style scaling, and bias correction of both averages.

Defined here, taught in :chapter:`04_first_order/adam`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from optlib import _checks

from . import _base


@dataclass(frozen=True)
class Adam:
    r"""Adam (and AMSGrad), as ``torch.optim.Adam``.

    Parameters
    ----------
    lr : float or callable, default 1e-3
        Learning rate :math:`\gamma`, or a schedule ``step -> lr``.
    betas : (float, float), default (0.9, 0.999)
        Decays :math:`\beta_1, \beta_2 \in [0, 1)` of the first and second moment averages.
    eps : float, default 1e-8
        :math:`\epsilon \ge 0`, added to :math:`\sqrt{\hat v_t}`.
    weight_decay : float, default 0
        Weight decay :math:`\lambda \ge 0`: an L2 penalty added to the gradient,
        or with ``decoupled_weight_decay`` a shrinking of the parameters.
    amsgrad : bool, default False
        Use the running maximum of :math:`v` (AMSGrad).
    decoupled_weight_decay : bool, default False
        Shrink the parameters by :math:`1 - \gamma\lambda` before the step instead
        of adding :math:`\lambda\theta` to the gradient: AdamW
        (:class:`~optlib.optim.AdamW` sets it).
    check_finite : bool, default False
        Raise ``ValueError`` (naming the step and the leaf) on a nan or inf gradient.

    Notes
    -----
    With gradient :math:`g_t = \nabla f(\theta_{t-1})` at update
    :math:`t = 1, 2, \dots`, and :math:`m_0 = v_0 = v^{\max}_0 = 0`:

    .. math::

        g_t &\leftarrow g_t + \lambda \theta_{t-1}
            \quad\text{or, decoupled,}\quad
            \theta_{t-1} \leftarrow (1 - \gamma\lambda)\, \theta_{t-1} \\
        m_t &\leftarrow \beta_1 m_{t-1} + (1 - \beta_1) g_t \\
        v_t &\leftarrow \beta_2 v_{t-1} + (1 - \beta_2) g_t^2 \\
        \hat m_t &\leftarrow m_t / (1 - \beta_1^t) \\
        \hat v_t &\leftarrow \begin{cases}
            v^{\max}_t / (1 - \beta_2^t), \quad v^{\max}_t \leftarrow \max(v^{\max}_{t-1}, v_t)
            & \text{AMSGrad} \\
            v_t / (1 - \beta_2^t) & \text{otherwise} \end{cases} \\
        \theta_t &\leftarrow \theta_{t-1} - \gamma \, \hat m_t / (\sqrt{\hat v_t} + \epsilon)

    All operations are element-wise. At :math:`t = 1`, :math:`\hat m_1 = g_1`
    and :math:`\sqrt{\hat v_1} = |g_1|`, so every coordinate moves by about
    :math:`\gamma`. The state holds ``step``, ``m``, ``v`` and, with AMSGrad,
    ``v_max``.

    References
    ----------
    :cite:`kingma2015`; AMSGrad :cite:`reddi2018`.
    """

    lr: float | Callable[[int], float] = 1e-3
    betas: tuple = (0.9, 0.999)
    eps: float = 1e-8
    weight_decay: float = 0.0
    amsgrad: bool = False
    check_finite: bool = False
    decoupled_weight_decay: bool = False

    def __post_init__(self):
        _base.check_lr(self.lr)
        object.__setattr__(self, "betas", _base.check_betas(self.betas))
        _checks.non_negative("eps", self.eps)
        _checks.non_negative("weight_decay", self.weight_decay)
        _checks.flag("amsgrad", self.amsgrad)
        _checks.flag("check_finite", self.check_finite)
        _checks.flag("decoupled_weight_decay", self.decoupled_weight_decay)

    def _buffers(self) -> tuple:
        return ("m", "v", "v_max") if self.amsgrad else ("m", "v")

    def init(self, params) -> dict:
        """State for ``params``: the step count and zero moments ``m``, ``v`` (and ``v_max``)."""
        _base.check_params(params)
        return {"step": 0, **{name: _base.full_like(params) for name in self._buffers()}}

    def next_lr(self, state) -> float:
        """The learning rate of the next update: ``lr``, or ``lr(state["step"])`` for a schedule."""
        return _base.scheduled_lr(self.lr, _base.check_state(state, (), type(self).__name__))

    def update(self, params, grads, state):
        """One step: returns ``(params, state)``, both new (the inputs are not modified)."""
        t = _base.check_state(state, self._buffers(), type(self).__name__) + 1
        gamma = _base.scheduled_lr(self.lr, t - 1)
        (beta1, beta2), eps, lambda_ = self.betas, self.eps, self.weight_decay

        def rule(theta, g, m, v, v_max=None):
            if lambda_ != 0 and self.decoupled_weight_decay:
                theta = theta * (1 - gamma * lambda_)
            elif lambda_ != 0:
                g = g + lambda_ * theta
            m = beta1 * m + (1 - beta1) * g
            v = beta2 * v + (1 - beta2) * g * g
            m_hat = m / (1 - beta1**t)
            if self.amsgrad:
                v_max = np.maximum(v_max, v)
                v_hat = v_max / (1 - beta2**t)
            else:
                v_hat = v / (1 - beta2**t)
            theta = theta - gamma * m_hat / (np.sqrt(v_hat) + eps)
            return theta, {"m": m, "v": v, "v_max": v_max}

        params, new = _base.leafwise(rule, params, grads, {k: state[k] for k in self._buffers()}, t - 1,
                                     self.check_finite)
        return params, {"step": t, **new}
