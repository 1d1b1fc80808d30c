"""What every distributed run returns, and the checks its inputs and gradients go through.

Taught in :chapter:`06_distributed/distributed_training`.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from optlib import _checks
from optlib.data.batching import _examples
from optlib.tree import tree_flatten, tree_leaves, tree_map

__all__ = ["DistributedResult"]


@dataclass
class DistributedResult:
    """The record of a distributed run, one entry per applied update.

    Attributes
    ----------
    params : pytree
        The final parameters.
    losses : ndarray
        ``losses[i]``: the loss of the batch whose gradient made update ``i``,
        at the parameters that gradient was computed at.
    staleness : ndarray of int
        Server version when update ``i`` was applied minus the version its
        gradient was computed at (the number of updates it missed); zeros for
        the synchronous scheme.
    worker : ndarray of int
        Which worker (0 to ``n_workers - 1``) produced update ``i``; -1 for a
        synchronous round, which all workers share.
    batch : ndarray of int
        The mini-batch number (:func:`~optlib.distributed.batch_indices`) of
        update ``i``.
    pushed, applied : int
        Gradients the server received, and updates it applied: equal, since
        every received gradient is applied exactly once (a synchronous round
        counts as one).
    times : ndarray
        Seconds since the start of the run (simulated time units for the
        simulators) at which update ``i`` was applied.
    updates_per_second : float
        ``applied`` divided by the run's duration (wall clock, or simulated).
    """

    params: Any
    losses: np.ndarray
    staleness: np.ndarray
    worker: np.ndarray
    batch: np.ndarray
    pushed: int
    applied: int
    times: np.ndarray
    updates_per_second: float


def make_result(params, records, pushed, duration) -> DistributedResult:
    """A :class:`DistributedResult` from ``records``.

    One ``(loss, staleness, worker, batch, time)`` per update.
    """
    columns = list(zip(*records)) if records else [(), (), (), (), ()]
    applied = len(records)
    return DistributedResult(
        params=params,
        losses=np.array(columns[0], dtype=float),
        staleness=np.array(columns[1], dtype=int),
        worker=np.array(columns[2], dtype=int),
        batch=np.array(columns[3], dtype=int),
        pushed=int(pushed), applied=applied,
        times=np.array(columns[4], dtype=float),
        updates_per_second=applied / duration if duration > 0 else math.inf)


def check_run(grad_fn, params, data, optimizer, batch_size, n_workers, seed, count_name, count):
    """Check the common arguments of the four runs; returns ``(X, y, batch_size, n_workers, seed, count)``."""
    _checks.function("grad_fn", grad_fn, "a function (params, X_batch, y_batch) -> (loss, grads)")
    if not (isinstance(data, (tuple, list)) and len(data) == 2):
        raise TypeError(f"data must be a pair (X, y) of arrays, got {type(data).__name__}")
    X, y = _examples(*data)
    for method in ("init", "update"):
        if not callable(getattr(optimizer, method, None)):
            raise TypeError(f"optimizer must be an optlib.optim optimizer (with init and update), "
                            f"got {optimizer!r}")
    batch_size = _checks.integer("batch_size", batch_size, minimum=1)
    if batch_size > len(X):
        raise ValueError(f"batch_size must be at most the {len(X)} examples of the data set, "
                         f"got {batch_size}")
    n_workers = _checks.integer("n_workers", n_workers, minimum=1)
    seed = _checks.integer("seed", seed, minimum=0)
    count = _checks.integer(count_name, count, minimum=0)
    optimizer.init(params)  # checks the parameters
    return X, y, batch_size, n_workers, seed, count


def check_gradient(loss, grads, params, batch: int, worker: int | None = None):
    """``(loss, grads)`` as grad_fn should return them: a finite loss, gradients shaped as the parameters."""
    where = f"batch {batch}" + ("" if worker is None or worker < 0 else f" (worker {worker})")
    try:
        loss = float(loss)
    except (TypeError, ValueError):
        raise TypeError(f"grad_fn must return (loss, grads) with a number as loss, got a loss of "
                        f"type {type(loss).__name__} for {where}") from None
    if not math.isfinite(loss):
        raise ValueError(f"grad_fn returned the non-finite loss {loss} for {where}: the run stops "
                         "rather than apply its gradient (lower the learning rate?)")
    expected, got = tree_flatten(params)[1], tree_flatten(grads)[1]
    if expected != got:
        raise ValueError(f"grad_fn's gradients have the structure {got!r}, but the parameters have "
                         f"{expected!r} ({where})")
    for g, p in zip(tree_leaves(grads), tree_leaves(params)):
        if np.shape(g) != np.shape(p):
            raise ValueError(f"grad_fn returned a gradient of shape {np.shape(g)} for a parameter of "
                             f"shape {np.shape(p)} ({where})")
    return loss, grads


def weighted_mean(values, weights):
    """:math:`\\sum_i w_i v_i / \\sum_i w_i` of numbers or of pytrees of the same structure."""
    total = float(sum(weights))
    if isinstance(values[0], float):
        return sum(w * v for w, v in zip(weights, values)) / total
    return tree_map(lambda *leaves: sum(w * leaf for w, leaf in zip(weights, leaves)) / total, *values)
