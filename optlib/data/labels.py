"""Label noise: replace a chosen fraction of the class labels by wrong ones.

Defined here, taught in :chapter:`02_training/learning_rate`, where a network memorizes
the wrong labels more slowly at a larger learning rate.
"""
from __future__ import annotations

import numpy as np

from optlib import _checks

__all__ = ["corrupt_labels"]


def corrupt_labels(y, fraction, rng=0, n_classes=None):
    r"""A copy of the labels ``y`` in which a given fraction is replaced by wrong labels.

    Parameters
    ----------
    y : array of int, shape (n,)
        Class labels :math:`0, \dots, K - 1` (not modified).
    fraction : float in [0, 1]
        Share of the examples to corrupt: exactly ``round(fraction * n)`` of them,
        chosen at random without replacement.
    rng : Generator or int, default 0
    n_classes : int, optional
        The number of classes :math:`K \ge 2`; default ``y.max() + 1``.

    Returns
    -------
    ndarray of int64, shape (n,)
        The new labels: the chosen examples carry a label different from their
        own, drawn uniformly from the other :math:`K - 1` classes; every other
        example keeps its label.

    Notes
    -----
    For a chosen example with label :math:`y_i`, the new label is
    :math:`(y_i + s_i) \bmod K` with :math:`s_i` uniform on
    :math:`\{1, \dots, K - 1\}`: never the true class, every wrong class equally
    likely ("symmetric" label noise). A network that reaches training accuracy
    above :math:`1 - \text{fraction}` has memorized wrong labels.

    Taught in :chapter:`02_training/learning_rate`.
    """
    labels = np.asarray(y)
    if labels.dtype.kind not in "iu":
        raise TypeError(f"y must be an array of integer class labels, got dtype {labels.dtype}")
    if labels.ndim != 1 or labels.size == 0:
        raise ValueError(f"y must be a non-empty 1-D array of labels, got shape {labels.shape}")
    fraction = _checks.probability("fraction", fraction)
    rng = _checks.rng(rng)
    if n_classes is None:
        n_classes = int(labels.max()) + 1
    n_classes = _checks.integer("n_classes", n_classes, minimum=2)
    if labels.min() < 0 or labels.max() >= n_classes:
        raise ValueError(f"y must hold labels in 0 .. {n_classes - 1} (n_classes = {n_classes}), got "
                         f"labels from {labels.min()} to {labels.max()}")
    noisy = labels.astype(np.int64)           # a copy
    count = round(fraction * len(noisy))
    wrong = rng.choice(len(noisy), size=count, replace=False)
    noisy[wrong] = (noisy[wrong] + rng.integers(1, n_classes, size=count)) % n_classes
    return noisy
