"""Smith's learning-rate range test: one short run with a rising rate, and the smoothing that reads it.

Defined here, taught in :chapter:`02_training/learning_rate`.
"""
from __future__ import annotations

import math

import numpy as np

from optlib import _checks
from optlib.data import minibatches

from .sgd import SGD

__all__ = ["lr_range_test", "smooth_losses"]


def lr_range_test(value_and_grad_fn, params, data, batch_size, low=1e-3, high=10.0, steps=120,
                  rng=0, optimizer=None):
    r"""Train briefly while the learning rate rises geometrically, and record the mini-batch losses.

    Parameters
    ----------
    value_and_grad_fn : callable
        ``(params, X_batch, y_batch) -> (loss, grads)``, e.g.
        ``optlib.autodiff.value_and_grad(loss)`` of a loss written with these
        three arguments.
    params : pytree
        The starting weights (not modified).
    data : (X, y)
        The training set; its mini-batches come from
        :func:`optlib.data.minibatches`, a fresh epoch whenever one is used up.
    batch_size : int
    low, high : float, default 1e-3 and 10
        The first and the last learning rate, ``0 < low < high``.
    steps : int, default 120
        Updates to make, >= 2.
    rng : Generator or int, default 0
        Draws the order of the batches.
    optimizer : callable, optional
        ``optimizer(schedule)`` builds the optimizer from the schedule
        ``t -> eta_t``; default ``lambda lr: SGD(lr=lr)``, plain SGD.

    Returns
    -------
    rates : ndarray, shape (m,)
        :math:`\eta_t`, the learning rate of update :math:`t`.
    losses : ndarray, shape (m,)
        The loss of the mini-batch of update :math:`t`, at the weights before
        that update. ``m = steps``, unless a loss was not finite (the run
        diverged): then the run stops there and that loss is the last entry.

    Notes
    -----
    The rate of update :math:`t = 0, \dots, T - 1` is

    .. math::

        \eta_t = \eta_{\text{low}} \left( \eta_{\text{high}} / \eta_{\text{low}} \right)^{t / (T - 1)},

    evenly spread over the decades. The loss first barely moves (the rate is
    too small), then falls, then turns up and explodes (too large); the rate at
    which the smoothed loss (:func:`smooth_losses`) is lowest marks the upper
    end of the useful range. Smith raises the rate linearly over a few epochs
    and reads the accuracy; the geometric sweep of the loss is the common
    variant.

    Taught in :chapter:`02_training/learning_rate`.

    References
    ----------
    :cite:`smith2017`
    """
    _checks.function("value_and_grad_fn", value_and_grad_fn, "a function (params, X_batch, y_batch)")
    low = _checks.positive("low", low)
    high = _checks.positive("high", high)
    if not low < high:
        raise ValueError(f"low must be below high, got low={low!r} and high={high!r}")
    steps = _checks.integer("steps", steps, minimum=2)
    rng = _checks.rng(rng)
    try:
        X, y = data
    except (TypeError, ValueError):
        raise ValueError("data must be a pair (X, y) of arrays with one row per example") from None
    rates = low * (high / low) ** (np.arange(steps) / (steps - 1))
    def schedule(t):
        return rates[t]

    opt = SGD(lr=schedule) if optimizer is None else _checks.function("optimizer", optimizer)(schedule)
    state, losses = opt.init(params), []
    while len(losses) < steps:
        for X_batch, y_batch in minibatches(X, y, batch_size, rng):
            loss, grads = value_and_grad_fn(params, X_batch, y_batch)
            losses.append(_checks.real("the loss", loss, finite=False))
            if not math.isfinite(losses[-1]) or len(losses) == steps:
                return rates[:len(losses)], np.array(losses)
            params, state = opt.update(params, grads, state)
    raise AssertionError("unreachable")  # pragma: no cover


def smooth_losses(values, beta=0.8):
    r"""The bias-corrected exponential moving average of a sequence of (noisy) losses.

    Parameters
    ----------
    values : array_like, shape (n,)
    beta : float in [0, 1), default 0.8
        The weight of the past; about :math:`1 / (1 - \beta)` values are averaged.

    Returns
    -------
    ndarray, shape (n,)

    Notes
    -----
    With :math:`a_0 = 0`, :math:`a_k = \beta a_{k-1} + (1 - \beta) x_k` and the
    smoothed value :math:`a_k / (1 - \beta^k)` for :math:`k = 1, \dots, n`: the
    division undoes the pull towards the start :math:`a_0 = 0` (as in Adam's
    bias correction), so a constant sequence stays constant.

    Taught in :chapter:`02_training/learning_rate`.
    """
    values = _checks.real_array("values", values, ndim=1)
    beta = _checks.probability("beta", beta, open_right=True)
    average, out = 0.0, np.empty_like(values)
    for k, value in enumerate(values, start=1):
        average = beta * average + (1 - beta) * value
        out[k - 1] = average / (1 - beta**k)
    return out
