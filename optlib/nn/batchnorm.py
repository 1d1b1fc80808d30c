"""Batch normalisation, with its running statistics kept in a separate state.

Defined here, taught in :chapter:`03_landscape/depth` and
:chapter:`03_landscape/vanishing_gradients`.

The trainable scale and shift (``gamma``, ``beta``) are parameters; the running
mean and variance are *state*: they are not differentiated, and the functions
here return a new state instead of changing the old one.
"""
from __future__ import annotations

import numpy as np

from optlib.autodiff import stop_gradient

__all__ = ["init", "init_state", "apply", "EPS", "MOMENTUM"]

#: added to the variance before the square root
EPS = 1e-5
#: weight of the current batch in the running averages (as ``torch.nn.BatchNorm1d``)
MOMENTUM = 0.1


def init(width):
    """Parameters of a batch-norm layer over ``width`` features: ``gamma = 1``, ``beta = 0``."""
    return {"gamma": np.ones(width), "beta": np.zeros(width)}


def init_state(width):
    """Running statistics before any batch: mean 0, variance 1."""
    return {"mean": np.zeros(width), "var": np.ones(width)}


def apply(params, z, state, train, momentum=MOMENTUM, eps=EPS):
    r"""Normalise each feature of ``z`` (shape (batch, width)), then scale and shift.

    Parameters
    ----------
    params : dict
        ``{"gamma": (width,), "beta": (width,)}``.
    z : array of shape (batch, width)
    state : dict
        ``{"mean": (width,), "var": (width,)}``, the running statistics.
    train : bool
        True: normalise with the statistics of this batch and return the
        updated running statistics. False (evaluation): normalise with the
        running statistics, so that a prediction does not depend on the other
        examples in the batch.

    Returns
    -------
    (out, new_state)
        ``new_state`` is ``state`` itself in evaluation mode.

    Notes
    -----
    Training mode, over a batch of :math:`m` rows:

    .. math::

        \mu_B = \frac1m \sum_i z_i, \quad
        \sigma_B^2 = \frac1m \sum_i (z_i - \mu_B)^2, \quad
        \hat z_i = \frac{z_i - \mu_B}{\sqrt{\sigma_B^2 + \epsilon}}, \quad
        \text{out}_i = \gamma \odot \hat z_i + \beta,

    and the running statistics move towards the batch's, with momentum
    :math:`\rho` (unbiased variance, as in PyTorch):

    .. math::

        \mu \leftarrow (1 - \rho)\mu + \rho\,\mu_B, \qquad
        \sigma^2 \leftarrow (1 - \rho)\sigma^2 + \rho\,\tfrac{m}{m-1}\sigma_B^2.

    Evaluation mode uses :math:`\mu, \sigma^2` in place of :math:`\mu_B, \sigma_B^2`.
    The gradient flows through :math:`\mu_B` and :math:`\sigma_B^2` in training mode.

    References
    ----------
    :cite:`ioffe2015`
    """
    if not train:
        return (z - state["mean"]) / np.sqrt(state["var"] + eps) * params["gamma"] + params["beta"], state
    m = np.shape(z)[0]
    if m < 2:
        raise ValueError(f"batch normalisation in training mode needs at least 2 examples per batch, "
                         f"got {m}")
    mu = np.mean(z, axis=0)
    centred = z - mu
    var = np.mean(centred * centred, axis=0)
    out = centred / np.sqrt(var + eps) * params["gamma"] + params["beta"]
    mu_plain, var_plain = stop_gradient(mu), stop_gradient(var)
    new_state = {"mean": (1 - momentum) * state["mean"] + momentum * mu_plain,
                 "var": (1 - momentum) * state["var"] + momentum * var_plain * (m / (m - 1))}
    return out, new_state
