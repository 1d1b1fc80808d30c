"""Splitting a data set and iterating over it in mini-batches.

Defined here, taught in :chapter:`02_training/epoch` and :chapter:`02_training/batch_size`.
"""
from __future__ import annotations

import numpy as np

from optlib import _checks

__all__ = ["train_val_test_split", "minibatches", "n_batches"]


def _examples(X, y):
    """``(X, y)`` as arrays, after checking that they hold the same, non-zero number of examples (rows).

    The one check of a data set that :mod:`optlib._checks` has no function for.
    """
    X, y = np.asarray(X), np.asarray(y)
    if X.ndim == 0 or y.ndim == 0:
        raise ValueError(f"X and y must be arrays with one row per example, got shapes {X.shape} and "
                         f"{y.shape}")
    if len(X) != len(y):
        raise ValueError(f"X and y must have the same number of examples, got len(X) = {len(X)} "
                         f"and len(y) = {len(y)}")
    if len(X) == 0:
        raise ValueError("X and y hold no examples")
    return X, y


def _strata(y):
    """One index array per class: each distinct value of ``y``, or distinct row of a 2-D ``y`` (one-hot)."""
    rows = y.reshape(len(y), -1)
    if rows.dtype.kind in "fc":
        missing = np.flatnonzero(np.isnan(rows).any(axis=1))
        if missing.size:  # a NaN equals no class: those examples would be lost
            raise ValueError(f"stratify=True needs a class label for every example, but y is NaN in "
                             f"{missing.size} rows (the first: {missing[:5].tolist()}); drop them, or "
                             "split without stratify")
    if y.ndim == 1:
        _, classes = np.unique(y, return_inverse=True)
    else:
        _, classes = np.unique(rows, axis=0, return_inverse=True)
    classes = classes.reshape(-1)
    return [np.flatnonzero(classes == c) for c in range(classes.max() + 1)]


def train_val_test_split(X, y, val=0.2, test=0.2, rng=0, stratify=False):
    """Shuffle and split into training, validation and test sets.

    Parameters
    ----------
    X, y : arrays with the same number of rows
    val, test : float
        Fractions of the examples for validation and test (each in [0, 1),
        together below 1); the rest is for training.
    rng : Generator or int
    stratify : bool, default False
        Split every class in the same proportions, so that the three sets have
        the class frequencies of the whole. A class is a value of ``y``, or for
        a 2-D ``y`` (one-hot labels, say) a distinct row. NaN labels raise
        ValueError: every example must have a class, none is left out.

    Returns
    -------
    (X_train, y_train), (X_val, y_val), (X_test, y_test)
        Copies; the sizes are ``round(val * n)`` and ``round(test * n)`` (per
        class with ``stratify``), the training set takes the rest.

    Notes
    -----
    The test set is looked at once, at the end; choices (learning rate,
    number of epochs, early stopping) are made on the validation set.

    References
    ----------
    :cite:`goodfellow2016`
    """
    X, y = _examples(X, y)
    val = _checks.probability("val", val, open_right=True)
    test = _checks.probability("test", test, open_right=True)
    if val + test >= 1:
        raise ValueError(f"val + test must be below 1 so that some examples are left for training, "
                         f"got val={val}, test={test}")
    rng = _checks.rng(rng)
    groups = _strata(y) if _checks.flag("stratify", stratify) else [np.arange(len(y))]
    parts = ([], [], [])
    for idx in groups:
        idx = rng.permutation(idx)
        n_val, n_test = round(val * len(idx)), round(test * len(idx))
        parts[1].append(idx[:n_val])
        parts[2].append(idx[n_val:n_val + n_test])
        parts[0].append(idx[n_val + n_test:])
    out = []
    for chunks in parts:
        idx = np.concatenate(chunks)
        if stratify:
            idx = rng.permutation(idx)
        out.append((X[idx], y[idx]))
    if len(out[0][1]) == 0:
        raise ValueError(f"the training set would be empty with {len(y)} examples, val={val}, test={test}")
    return tuple(out)


def minibatches(X, y, batch_size, rng, shuffle=True, drop_last=False):
    r"""One epoch of mini-batches ``(X_batch, y_batch)``: every example exactly once.

    Parameters
    ----------
    X, y : arrays with the same number of rows :math:`n`
    batch_size : int
        Between 1 and :math:`n`.
    rng : Generator or int, or None
        Draws the order of the examples; may be None only with ``shuffle=False``.
        Pass one Generator to every epoch, so that each epoch gets a fresh
        order: an int seed gives the same order at every call.
    shuffle : bool, default True
        Visit the examples in a fresh random order (sampling without
        replacement); False keeps the stored order.
    drop_last : bool, default False
        Leave out the last, smaller batch when ``batch_size`` does not divide :math:`n`.

    Returns
    -------
    iterator of (X_batch, y_batch)
        :math:`\lceil n / B \rceil` batches (:math:`\lfloor n / B \rfloor` with
        ``drop_last``). The arguments are checked when it is created, before
        the first batch.

    Notes
    -----
    One pass over the batches is one *epoch*; an epoch makes :math:`\lceil n/B \rceil`
    parameter updates, each from the gradient on :math:`B` examples, an unbiased
    estimate of the full gradient whose variance falls like :math:`1/B`.

    References
    ----------
    :cite:`bottou2018`
    """
    X, y = _examples(X, y)
    n = len(y)
    batch_size = _checks.integer("batch_size", batch_size, minimum=1)
    if batch_size > n:
        raise ValueError(f"batch_size must be between 1 and the number of examples ({n}), "
                         f"got {batch_size}")
    drop_last = _checks.flag("drop_last", drop_last)
    if _checks.flag("shuffle", shuffle):
        if rng is None:
            raise ValueError("minibatches(..., shuffle=True) needs rng, e.g. "
                             "np.random.default_rng(0), to draw the order of the examples")
        order = _checks.rng(rng).permutation(n)
    else:
        order = None
    stop = n - n % batch_size if drop_last else n
    return _batches(X, y, order, batch_size, stop)


def _batches(X, y, order, batch_size, stop):
    for start in range(0, stop, batch_size):
        if order is None:
            yield X[start:start + batch_size], y[start:start + batch_size]
        else:
            idx = order[start:start + batch_size]
            yield X[idx], y[idx]


def n_batches(n, batch_size, drop_last=False):
    """Number of mini-batches in one epoch of ``n`` examples: :math:`\\lceil n / B \\rceil`, or
    :math:`\\lfloor n / B \\rfloor` with ``drop_last``.

    >>> n_batches(10, 3), n_batches(10, 3, drop_last=True)
    (4, 3)
    """
    n = _checks.integer("n", n, minimum=0)
    batch_size = _checks.integer("batch_size", batch_size, minimum=1)
    return n // batch_size if _checks.flag("drop_last", drop_last) else (n + batch_size - 1) // batch_size
