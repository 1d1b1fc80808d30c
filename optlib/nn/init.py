"""Weight initialisations: small normal, Xavier / Glorot, He and orthogonal.

Defined here, taught in :chapter:`03_landscape/saturation`,
:chapter:`03_landscape/vanishing_gradients` and :chapter:`03_landscape/depth`.

Every initialiser has the signature ``init(rng, shape, scale)`` and returns a
new float64 array; ``shape = (fan_in, fan_out)`` for a weight matrix used as
``x @ W``. All random numbers come from the ``rng`` passed in
(``np.random.default_rng(seed)``), so a seed fixes the network.
"""
from __future__ import annotations

import numpy as np

from optlib import _checks

__all__ = ["normal", "xavier", "he", "orthogonal", "zeros", "get", "INITIALISERS"]


def _fans(shape):
    """``shape`` as a pair of ints ``(fan_in, fan_out)``, both >= 1."""
    if isinstance(shape, (str, bytes)) or not hasattr(shape, "__len__"):
        raise TypeError(f"weight shape must be a pair (fan_in, fan_out), got {shape!r}")
    if len(shape) != 2:
        raise ValueError(f"weight shape must be (fan_in, fan_out) with both >= 1, got {tuple(shape)}")
    fans = tuple(_checks.integer(name, n) for name, n in zip(("fan_in", "fan_out"), shape))
    if min(fans) < 1:
        raise ValueError(f"weight shape must be (fan_in, fan_out) with both >= 1, got {fans}")
    return fans


def normal(rng, shape, scale=0.01):
    r"""Independent :math:`\mathcal N(0, \sigma^2)` entries, :math:`\sigma` = ``scale``.

    Parameters
    ----------
    rng : numpy.random.Generator or int
        Source of the random numbers (an int is used as a seed).
    shape : (int, int)
        ``(fan_in, fan_out)``.
    scale : float, default 0.01
        Standard deviation :math:`\sigma \ge 0`. Too small and the signal dies
        out layer by layer; too large and sigmoid / tanh units saturate.

    Returns
    -------
    ndarray of shape ``shape``

    References
    ----------
    :cite:`lecun1998`
    """
    shape = _fans(shape)
    return _checks.non_negative("scale", scale) * _checks.rng(rng).standard_normal(shape)


def xavier(rng, shape, scale=1.0):
    r"""Glorot and Bengio's "normalized initialization": uniform with variance :math:`2 / (n_\text{in} + n_\text{out})`.

    Notes
    -----
    .. math::

        W_{ij} \sim \mathcal U\!\left[-a, a\right], \qquad
        a = \text{scale} \cdot \sqrt{\frac{6}{n_\text{in} + n_\text{out}}},

    so that :math:`\operatorname{Var} W_{ij} = \text{scale}^2 \cdot 2 / (n_\text{in} + n_\text{out})`:
    the compromise between keeping the variance of the activations (forward)
    and of the gradients (backward) constant across layers of linear-regime
    tanh units. ``"glorot"`` is an alias.

    References
    ----------
    :cite:`glorot2010`
    """
    n_in, n_out = _fans(shape)
    a = _checks.non_negative("scale", scale) * np.sqrt(6.0 / (n_in + n_out))
    return _checks.rng(rng).uniform(-a, a, size=(n_in, n_out))


def he(rng, shape, scale=1.0):
    r"""He et al.'s initialisation for ReLU layers: normal with variance :math:`2 / n_\text{in}`.

    Notes
    -----
    :math:`W_{ij} \sim \mathcal N(0, \text{scale}^2 \cdot 2 / n_\text{in})`. A ReLU zeroes
    half of its inputs on average, halving the second moment; the factor 2
    restores it, so activations keep their scale through any depth.

    References
    ----------
    :cite:`he2015`
    """
    n_in, n_out = _fans(shape)
    std = _checks.non_negative("scale", scale) * np.sqrt(2.0 / n_in)
    return std * _checks.rng(rng).standard_normal((n_in, n_out))


def orthogonal(rng, shape, scale=1.0):
    r"""A random orthogonal matrix (orthonormal columns or rows) times the gain ``scale``.

    Notes
    -----
    Draw :math:`A \in \mathbb R^{m \times k}` with standard normal entries,
    :math:`m = \max(n_\text{in}, n_\text{out})`, :math:`k = \min(n_\text{in}, n_\text{out})`,
    factor :math:`A = QR` and flip the sign of each column of :math:`Q` so that
    :math:`\operatorname{diag} R > 0` (this makes :math:`Q` uniformly distributed
    over the orthogonal matrices). Then :math:`W = \text{scale} \cdot Q`
    (transposed when :math:`n_\text{in} < n_\text{out}`), so
    :math:`W^\top W = \text{scale}^2 I` or :math:`W W^\top = \text{scale}^2 I`: every
    singular value equals ``scale``. In a deep linear network (and in the
    recurrent matrix of an RNN) the signal is then neither amplified nor
    damped along any direction.

    References
    ----------
    :cite:`saxe2014`
    """
    n_in, n_out = _fans(shape)
    gain = _checks.non_negative("scale", scale)
    m, k = max(n_in, n_out), min(n_in, n_out)
    q, r = np.linalg.qr(_checks.rng(rng).standard_normal((m, k)))
    q = q * np.where(np.diag(r) < 0, -1.0, 1.0)
    w = q if n_in >= n_out else q.T
    return gain * w


def zeros(rng, shape, scale=0.0):
    """All zeros (``rng`` and ``scale`` are ignored; the signature matches the others)."""
    return np.zeros(_fans(shape))


#: name -> initialiser; ``"glorot"`` is an alias of ``"xavier"``.
INITIALISERS = {"normal": normal, "xavier": xavier, "glorot": xavier, "he": he,
                "orthogonal": orthogonal, "zeros": zeros}

#: the default ``scale`` of each initialiser
DEFAULT_SCALE = {"normal": 0.01, "xavier": 1.0, "glorot": 1.0, "he": 1.0, "orthogonal": 1.0,
                 "zeros": 0.0}


def get(name):
    """The initialiser called ``name``; ValueError listing the valid names otherwise."""
    return INITIALISERS[_checks.choice("initialisation", name, tuple(INITIALISERS))]
