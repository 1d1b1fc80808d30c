"""Differentiable functions that NumPy lacks (as in scipy.special): sigmoid, logsumexp, softmax
and log_softmax.

Taught in :chapter:`01_differentiation/automatic_differentiation`; used by the loss
functions of :mod:`optlib.nn`. Each is one entry of the rule table, with a
numerically stable implementation, and works on plain arrays too:

>>> import numpy as np
>>> softmax(np.array([0.0, np.log(3.0)]))
array([0.25, 0.75])
>>> float(logsumexp(np.array([1000.0, 1000.0])))   # 1000 + log 2, where exp(1000) overflows
1000.6931471805599
"""
from __future__ import annotations

from optlib.autodiff.core import bind, shape_of
from optlib.autodiff.rules import LOG_SOFTMAX, LOGSUMEXP, SIGMOID, SOFTMAX, _normalize_axis

__all__ = ["sigmoid", "logsumexp", "softmax", "log_softmax"]


def sigmoid(x):
    """The logistic function :math:`\\sigma(x) = 1 / (1 + e^{-x})`, without overflow.

    Notes
    -----
    :math:`\\sigma'(x) = \\sigma(x)\\,(1 - \\sigma(x))`.
    """
    return bind(SIGMOID, (x,))


def logsumexp(x, axis=None, keepdims=False):
    """:math:`\\log \\sum_i e^{x_i}` over ``axis``, computed as :math:`m + \\log \\sum_i e^{x_i - m}`.

    ``m`` is the maximum along ``axis``, so nothing overflows; the derivative is
    the softmax of ``x`` along ``axis``.
    """
    return bind(LOGSUMEXP, (x,), {"axis": _normalize_axis(axis, len(shape_of(x))),
                                  "keepdims": bool(keepdims)})


def softmax(x, axis=-1):
    """:math:`e^{x_i} / \\sum_j e^{x_j}` along ``axis`` (stable: the maximum is subtracted first).

    Notes
    -----
    The Jacobian is :math:`\\operatorname{diag}(s) - s s^\\top`; its vector product
    is :math:`s \\odot (g - \\langle g, s \\rangle)`.
    """
    (axis,) = _normalize_axis(axis, len(shape_of(x)))
    return bind(SOFTMAX, (x,), {"axis": axis})


def log_softmax(x, axis=-1):
    """:math:`x_i - \\log \\sum_j e^{x_j}` along ``axis``: the logarithm of :func:`softmax`, stably.

    Notes
    -----
    With :math:`s` the softmax, the vector-Jacobian product is
    :math:`g - s \\sum_j g_j`. The cross-entropy of a classifier is a weighted
    sum of these values (:func:`optlib.nn.softmax_cross_entropy`).
    """
    (axis,) = _normalize_axis(axis, len(shape_of(x)))
    return bind(LOG_SOFTMAX, (x,), {"axis": axis})
