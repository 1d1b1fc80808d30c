"""RMSprop: divide the gradient by a running root-mean-square of recent gradients.

Defined here, taught in :chapter:`04_first_order/rmsprop`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from optlib import _checks

from . import _base


@dataclass(frozen=True)
class RMSprop:
    r"""RMSprop, as ``torch.optim.RMSprop``.

    Parameters
    ----------
    lr : float or callable, default 1e-2
        Learning rate :math:`\gamma`, or a schedule ``step -> lr``.
    alpha : float, default 0.99
        Smoothing constant :math:`\alpha \in [0, 1)` of the running averages.
    eps : float, default 1e-8
        :math:`\epsilon \ge 0`, added to the root mean square.
    weight_decay : float, default 0
        L2 penalty :math:`\lambda \ge 0` added to the gradient.
    momentum : float, default 0
        Momentum factor :math:`\mu \ge 0` of the buffer :math:`b`.
    centered : bool, default False
        Divide by an estimate of the gradient's standard deviation instead of
        its root mean square (Graves' variant).
    check_finite : bool, default False
        Raise ``ValueError`` (naming the step and the leaf) on a nan or inf gradient.

    Notes
    -----
    With gradient :math:`g_t = \nabla f(\theta_{t-1})` at update
    :math:`t = 1, 2, \dots`, and :math:`v_0 = \bar g_0 = b_0 = 0`:

    .. math::

        g_t &\leftarrow g_t + \lambda \theta_{t-1} \\
        v_t &\leftarrow \alpha v_{t-1} + (1 - \alpha) g_t^2 \\
        \tilde v_t &\leftarrow \begin{cases} v_t - \bar g_t^2,
            \quad \bar g_t \leftarrow \alpha \bar g_{t-1} + (1 - \alpha) g_t & \text{centered} \\
            v_t & \text{otherwise} \end{cases} \\
        b_t &\leftarrow \mu b_{t-1} + g_t / (\sqrt{\tilde v_t} + \epsilon) \\
        \theta_t &\leftarrow \theta_{t-1} - \gamma b_t

    Without momentum (:math:`\mu = 0`) the last two lines are
    :math:`\theta_t \leftarrow \theta_{t-1} - \gamma g_t / (\sqrt{\tilde v_t} + \epsilon)`.
    All operations are element-wise. The state holds ``step``, ``v`` (PyTorch's
    ``square_avg``) and, when used, ``g_bar`` (``grad_avg``) and ``b``
    (``momentum_buffer``).

    References
    ----------
    :cite:`tieleman2012`; the centered variant :cite:`graves2013`.
    """

    lr: float | Callable[[int], float] = 1e-2
    alpha: float = 0.99
    eps: float = 1e-8
    weight_decay: float = 0.0
    momentum: float = 0.0
    centered: bool = False
    check_finite: bool = False

    def __post_init__(self):
        _base.check_lr(self.lr)
        _base.decay("alpha", self.alpha)
        _checks.non_negative("eps", self.eps)
        _checks.non_negative("weight_decay", self.weight_decay)
        _checks.non_negative("momentum", self.momentum)
        _checks.flag("centered", self.centered)
        _checks.flag("check_finite", self.check_finite)

    def _buffers(self) -> tuple:
        return ("v",) + (("g_bar",) if self.centered else ()) + (("b",) if self.momentum > 0 else ())

    def init(self, params) -> dict:
        """State for ``params``: the step count and zero buffers (``v``, and ``g_bar``, ``b`` when used)."""
        _base.check_params(params)
        return {"step": 0, **{name: _base.full_like(params) for name in self._buffers()}}

    def next_lr(self, state) -> float:
        """The learning rate of the next update: ``lr``, or ``lr(state["step"])`` for a schedule."""
        return _base.scheduled_lr(self.lr, _base.check_state(state, (), "RMSprop"))

    def update(self, params, grads, state):
        """One step: returns ``(params, state)``, both new (the inputs are not modified)."""
        t = _base.check_state(state, self._buffers(), "RMSprop") + 1
        gamma = _base.scheduled_lr(self.lr, t - 1)
        alpha, eps, lambda_, mu = self.alpha, self.eps, self.weight_decay, self.momentum

        def rule(theta, g, v, g_bar=None, b=None):
            if lambda_ != 0:
                g = g + lambda_ * theta
            v = alpha * v + (1 - alpha) * g * g
            if self.centered:
                g_bar = alpha * g_bar + (1 - alpha) * g
                denominator = np.sqrt(v - g_bar * g_bar) + eps
            else:
                denominator = np.sqrt(v) + eps
            if mu > 0:
                b = mu * b + g / denominator
                theta = theta - gamma * b
            else:
                theta = theta - gamma * (g / denominator)
            return theta, {"v": v, "g_bar": g_bar, "b": b}

        params, new = _base.leafwise(rule, params, grads, {k: state[k] for k in self._buffers()}, t - 1,
                                     self.check_finite)
        return params, {"step": t, **new}
