"""Activation functions: sigmoid, tanh, ReLU, leaky ReLU, and their derivatives.

Defined here, taught in :chapter:`03_landscape/saturation` and
:chapter:`03_landscape/vanishing_gradients`.

Each activation is plain NumPy, so ``optlib.autodiff`` differentiates it. The
derivatives (:func:`derivative`) are given too, for the chapters that draw them
and for the diagnostics, which evaluate them on plain arrays.
"""
from __future__ import annotations

import numpy as np

from optlib import _checks
from optlib.autodiff import sigmoid as _sigmoid

__all__ = ["sigmoid", "tanh", "relu", "leaky_relu", "identity", "get", "derivative",
           "ACTIVATIONS", "LEAKY_SLOPE"]

#: the slope of the leaky ReLU for negative inputs
LEAKY_SLOPE = 0.01


def sigmoid(z):
    r""":math:`\sigma(z) = 1 / (1 + e^{-z})`, with :math:`\sigma' = \sigma (1 - \sigma) \le 1/4`.

    Saturates for large :math:`|z|`, where :math:`\sigma'` is nearly zero.

    References
    ----------
    :cite:`lecun1998`
    """
    return _sigmoid(z)


def tanh(z):
    r""":math:`\tanh z`, with :math:`\tanh' = 1 - \tanh^2 \le 1`; zero-centred, saturates like the sigmoid.

    References
    ----------
    :cite:`lecun1998`
    """
    return np.tanh(z)


def relu(z):
    r""":math:`\max(z, 0)`, written :math:`z \cdot [z > 0]`: derivative 1 for :math:`z > 0`, else 0 (0 at 0).

    A unit whose pre-activation is negative on every input gets no gradient at
    all: a *dead* ReLU.

    References
    ----------
    :cite:`nair2010`
    """
    return z * (z > 0)


def leaky_relu(z, slope=LEAKY_SLOPE):
    r""":math:`z` for :math:`z > 0`, else :math:`a z` (:math:`a` = ``slope``, default 0.01): never dead.

    References
    ----------
    :cite:`maas2013`
    """
    return z * np.where(z > 0, 1.0, slope)


def identity(z):
    """:math:`z` unchanged (a linear layer)."""
    return z


#: name -> activation function
ACTIVATIONS = {"sigmoid": sigmoid, "tanh": tanh, "relu": relu, "leaky_relu": leaky_relu,
               "identity": identity}


def get(name):
    """The activation called ``name``; ValueError listing the valid names otherwise."""
    return ACTIVATIONS[_checks.choice("activation", name, tuple(ACTIVATIONS))]


def derivative(name, z):
    r"""The derivative :math:`\phi'(z)` of the activation ``name``, on plain arrays.

    >>> import numpy as np
    >>> float(derivative("sigmoid", np.array(0.0)))
    0.25
    """
    name = _checks.choice("activation", name, tuple(ACTIVATIONS))
    z = np.asarray(z, dtype=np.float64)
    if name == "sigmoid":
        s = _sigmoid(z)
        return s * (1.0 - s)
    if name == "tanh":
        return 1.0 - np.tanh(z) ** 2
    if name == "relu":
        return (z > 0).astype(np.float64)
    if name == "leaky_relu":
        return np.where(z > 0, 1.0, LEAKY_SLOPE)
    return np.ones_like(z)
