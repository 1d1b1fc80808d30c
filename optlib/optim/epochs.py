"""Mini-batch training by epochs, with a measurement after every epoch.

Defined here, taught in :chapter:`02_training/learning_rate`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from optlib import _checks
from optlib.data import minibatches

__all__ = ["EpochHistory", "run_epochs"]


@dataclass
class EpochHistory:
    """What :func:`run_epochs` recorded.

    Attributes
    ----------
    params : pytree
        The weights after the last update.
    state : dict
        The optimizer state after the last update.
    metrics : list
        What ``metrics(params, steps)`` returned after each epoch, one entry per
        epoch (empty without ``metrics``).
    steps : int
        The number of updates made.
    """

    params: Any
    state: dict
    metrics: list = field(default_factory=list)
    steps: int = 0


def run_epochs(opt, grad_fn, params, data, batch_size, epochs, rng=0, metrics=None):
    r"""Train with ``opt`` on mini-batches for a number of epochs, measuring after each one.

    Parameters
    ----------
    opt : optimizer
        Any optimizer of :mod:`optlib.optim` (``init`` and ``update``).
    grad_fn : callable
        ``(params, X_batch, y_batch) -> grads``, e.g. ``optlib.autodiff.grad(loss)``
        of a loss written with these three arguments.
    params : pytree
        The starting weights (not modified).
    data : (X, y)
        The training set. Each epoch is one pass of :func:`optlib.data.minibatches`
        over it: the examples in a fresh random order, every one exactly once.
    batch_size : int
    epochs : int
        Passes over the data, >= 0.
    rng : Generator or int, default 0
        Draws the order of the examples in every epoch; pass the Generator that
        drew the initial weights to make one seed fix the whole run.
    metrics : callable, optional
        ``metrics(params, steps)`` is called after each epoch with the weights
        and the number of updates made so far; whatever it returns is kept in
        :attr:`EpochHistory.metrics` (e.g. a tuple of accuracies).

    Returns
    -------
    EpochHistory

    Notes
    -----
    An epoch of :math:`n` examples makes :math:`\lceil n / B \rceil` updates
    :math:`\theta \leftarrow \theta - \eta\, g_{\mathcal B}` (for SGD), each with
    the gradient :math:`g_{\mathcal B}` of one mini-batch :math:`\mathcal B`. At
    a learning rate :math:`\eta`, :math:`\eta \times` steps is the time along the
    gradient flow that the run has covered, the clock by which runs at different
    small rates compare.

    Taught in :chapter:`02_training/learning_rate`.
    """
    _checks.function("grad_fn", grad_fn, "a function (params, X_batch, y_batch)")
    epochs = _checks.integer("epochs", epochs, minimum=0)
    rng = _checks.rng(rng)
    if metrics is not None:
        _checks.function("metrics", metrics, "a function (params, steps)")
    try:
        X, y = data
    except (TypeError, ValueError):
        raise ValueError("data must be a pair (X, y) of arrays with one row per example") from None
    state, record, steps = opt.init(params), [], 0
    for _ in range(epochs):
        for X_batch, y_batch in minibatches(X, y, batch_size, rng):
            params, state = opt.update(params, grad_fn(params, X_batch, y_batch), state)
            steps += 1
        if metrics is not None:
            record.append(metrics(params, steps))
    return EpochHistory(params=params, state=state, metrics=record, steps=steps)
