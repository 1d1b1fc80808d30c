"""AdamW: Adam with the weight decay taken out of the gradient and applied to the parameters directly.

Defined here, taught in :chapter:`04_first_order/adam`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .adam import Adam


@dataclass(frozen=True)
class AdamW(Adam):
    r"""AdamW (decoupled weight decay), as ``torch.optim.AdamW``.

    Parameters
    ----------
    lr, betas, eps, amsgrad, check_finite
        As in :class:`~optlib.optim.Adam`.
    weight_decay : float, default 1e-2
        Decoupled decay :math:`\lambda \ge 0`: each step shrinks the
        parameters by the factor :math:`1 - \gamma \lambda`.

    Notes
    -----
    Each step first shrinks the parameters, then takes Adam's step, with
    :math:`m_t, v_t, \hat m_t, \hat v_t` as in Adam (AMSGrad included):

    .. math::

        \theta_{t-1} &\leftarrow (1 - \gamma \lambda)\, \theta_{t-1} \\
        \theta_t &\leftarrow \theta_{t-1} - \gamma \, \hat m_t / (\sqrt{\hat v_t} + \epsilon)

    Unlike Adam's L2 ``weight_decay``, the decay never enters :math:`m` and
    :math:`v`, so it is not rescaled by :math:`1 / \sqrt{\hat v_t}`. As in
    PyTorch the decay is multiplied by the learning rate (also when the
    learning rate follows a schedule). The state holds ``step``, ``m``, ``v``
    and, with AMSGrad, ``v_max``.

    References
    ----------
    :cite:`loshchilov2019`; Adam :cite:`kingma2015`; AMSGrad :cite:`reddi2018`.
    """

    weight_decay: float = 1e-2
    decoupled_weight_decay: bool = field(default=True, init=False)
