"""Loss functions and accuracy: mean squared error, logistic loss, softmax cross-entropy.

Defined here, used from :chapter:`02_training/epoch` on.

The losses are written in plain NumPy (so ``optlib.autodiff`` differentiates
them) and averaged over the examples; the two classification losses take
*logits* (unnormalised scores), never probabilities, and are computed in a form
that cannot overflow. Labels and targets are constants: they are never
differentiated.
"""
from __future__ import annotations

import numpy as np

from optlib import _checks
from optlib.autodiff import log_softmax, stop_gradient

__all__ = ["mse", "logistic", "softmax_cross_entropy", "accuracy", "one_hot"]


def _labels(labels, n_examples, what):
    labels = labels if type(labels) is np.ndarray else np.asarray(stop_gradient(labels))
    if labels.ndim != 1 or labels.shape[0] != n_examples:
        raise ValueError(f"{what}: expected {n_examples} labels in a 1-D array (one per row of the "
                         f"scores), got shape {labels.shape}")
    return labels


def one_hot(labels, n_classes):
    """Rows of the identity: ``one_hot([2, 0], 3) = [[0, 0, 1], [1, 0, 0]]``.

    Raises TypeError for labels that are not numbers (strings, bools), ValueError
    for a label that is not an integer in ``0 .. n_classes - 1``.
    """
    labels = np.asarray(labels)
    n_classes = _checks.integer("n_classes", n_classes, minimum=1)
    if labels.dtype.kind not in "iuf":
        raise TypeError(f"labels must be integers, got dtype {labels.dtype}")
    if labels.dtype.kind == "f":
        if not np.all(labels == np.round(labels)):
            raise ValueError("labels must be integers, got fractional values")
        labels = labels.astype(np.int64)
    hits = labels[..., None] == np.arange(n_classes)
    if np.count_nonzero(hits) != labels.size:   # a label outside 0 .. n_classes - 1 hits no class
        raise ValueError(f"labels must lie in 0 .. {n_classes - 1}, got values from "
                         f"{labels.min()} to {labels.max()}")
    return hits.astype(np.float64)


def mse(predictions, targets):
    r"""Mean squared error :math:`\frac{1}{n} \sum_i \lVert \hat y_i - y_i \rVert^2`.

    Parameters
    ----------
    predictions : array of shape (n,) or (n, k)
    targets : array of the same shape (or (n,) for predictions of shape (n, 1))

    Notes
    -----
    The mean is over examples (rows); with ``k`` outputs the squared errors of
    one example are summed. There is no factor 1/2.

    References
    ----------
    :cite:`goodfellow2016`
    """
    targets = np.asarray(stop_gradient(targets), dtype=np.float64)
    if np.shape(predictions) == targets.shape + (1,) and targets.ndim == 1:
        targets = targets[:, None]            # one output per example: (n, 1) against (n,)
    if np.shape(predictions) != targets.shape:
        raise ValueError(f"mse: predictions have shape {np.shape(predictions)} but targets have "
                         f"shape {targets.shape}; they must match")
    n = targets.shape[0] if targets.ndim else 1
    residual = predictions - targets
    return np.sum(residual * residual) / n


def logistic(logits, labels):
    r"""Mean logistic (binary cross-entropy) loss of logits :math:`z_i` and labels :math:`y_i \in \{0, 1\}`.

    Notes
    -----
    .. math::

        \ell(z, y) = -y \log \sigma(z) - (1 - y) \log(1 - \sigma(z))
                   = \max(z, 0) - y z + \log\!\left(1 + e^{-|z|}\right),

    the right-hand form never overflows. Its derivative is
    :math:`\sigma(z) - y`.

    Parameters
    ----------
    logits : array of shape (n,) (or (n, 1))
    labels : array of shape (n,) with entries 0 or 1

    References
    ----------
    :cite:`goodfellow2016`
    """
    shape = np.shape(logits)
    if len(shape) == 2 and shape[1] == 1:
        logits = np.reshape(logits, (shape[0],))
    elif len(shape) != 1:
        raise ValueError(f"logistic: logits must have shape (n,) or (n, 1), got {shape}")
    y = _labels(labels, shape[0], "logistic").astype(np.float64)
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("logistic: labels must be 0 or 1")
    return np.mean(np.maximum(logits, 0.0) - y * logits + np.log1p(np.exp(-np.abs(logits))))


def softmax_cross_entropy(logits, labels):
    r"""Mean cross-entropy of the softmax of ``logits`` against integer class labels.

    Parameters
    ----------
    logits : array of shape (n, k)
        Unnormalised class scores :math:`z_{ic}`.
    labels : array of shape (n,)
        Classes :math:`y_i \in \{0, \dots, k - 1\}`.

    Notes
    -----
    .. math::

        L = \frac{1}{n} \sum_i \Big( \log \sum_c e^{z_{ic}} - z_{i y_i} \Big),

    with the log-sum-exp computed stably (the row maximum subtracted first).
    Its gradient with respect to the logits is
    :math:`(\operatorname{softmax}(z_i) - e_{y_i}) / n`.

    References
    ----------
    :cite:`goodfellow2016`
    """
    shape = logits.shape if hasattr(logits, "shape") else np.shape(logits)
    if len(shape) != 2:
        raise ValueError(f"softmax_cross_entropy: logits must have shape (n, k), got {shape}")
    n = shape[0]
    weights = one_hot(_labels(labels, n, "softmax_cross_entropy"), shape[1])
    weights /= -n
    # sum_i sum_c w_ic log softmax(z_i)_c with w = -one-hot / n: three traced operations in all
    return np.sum(weights * log_softmax(logits, axis=1))


def accuracy(scores, labels):
    """Fraction of correct predictions (a plain float, never differentiated).

    ``scores`` of shape (n, k) predict the class ``argmax``; of shape (n,) or
    (n, 1) they are logits of a binary classifier and predict 1 where > 0.
    """
    scores = np.asarray(stop_gradient(scores))
    if scores.ndim == 2 and scores.shape[1] > 1:
        predicted = np.argmax(scores, axis=1)
    elif scores.ndim in (1, 2):
        scores = scores.reshape(scores.shape[0])
        predicted = (scores > 0).astype(np.int64)
    else:
        raise ValueError(f"accuracy: scores must have shape (n,) or (n, k), got {scores.shape}")
    labels = _labels(labels, scores.shape[0], "accuracy")
    return float(np.mean(predicted == labels))
