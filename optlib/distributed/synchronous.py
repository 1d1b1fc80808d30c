r"""Synchronous data-parallel SGD: every round, all workers compute a shard of one batch; one update.

Round :math:`k` takes the global batch :math:`\mathcal B_k` of :math:`B`
examples, splits it into shards :math:`\mathcal B_{k,1}, \dots, \mathcal B_{k,W}`
(one per worker, sizes :math:`b_j` differing by at most one), and each worker
:math:`j` returns its shard's mean gradient :math:`g_{k,j}`. The server applies

.. math::

    g_k = \sum_{j=1}^{W} \frac{b_j}{B}\, g_{k,j}
        = \frac{1}{B} \sum_{i \in \mathcal B_k} \nabla \ell_i(\theta_k),

the mean gradient of the whole batch: the iterates are those of single-process
SGD on the same batches, whatever :math:`W` (to rounding). A round lasts as
long as its slowest worker.

Taught in :chapter:`06_distributed/synchronous_sgd`.
"""
from __future__ import annotations

import contextlib
import time

import numpy as np

from . import result as _result
from .batches import batch_indices
from .cluster import local_client, worker_addresses
from .simulation import compute_time_model

__all__ = ["sync_sgd", "simulate_sync", "shard_gradient"]


def shard_gradient(grad_fn, params, data, shard):
    """One worker's part of a round: ``(loss, grads, examples)`` of grad_fn on the examples ``shard``."""
    X, y = data
    loss, grads = grad_fn(params, X[shard], y[shard])
    return loss, grads, len(shard)


def _apply_round(optimizer, params, state, parts, k):
    """Average the shards' ``(loss, grads, examples)`` by size and apply one update."""
    checked = [_result.check_gradient(loss, grads, params, k) + (n,) for loss, grads, n in parts]
    sizes = [n for _, _, n in checked]
    loss = _result.weighted_mean([c[0] for c in checked], sizes)
    grads = _result.weighted_mean([c[1] for c in checked], sizes)
    params, state = optimizer.update(params, grads, state)
    return params, state, loss


def sync_sgd(grad_fn, params, data, *, optimizer, steps, batch_size, n_workers=2, client=None, seed=0):
    """Synchronous SGD on a Dask cluster: ``steps`` rounds of one update each.

    Parameters
    ----------
    grad_fn : callable
        ``grad_fn(params, X_batch, y_batch) -> (loss, grads)``: the mean loss
        of the batch and its gradient, a pytree shaped as ``params``. A
        module-level function, so that Dask can ship it.
    params : pytree
        The starting parameters.
    data : (X, y)
        Arrays whose first axis indexes the examples; sent to every worker once.
    optimizer : optlib.optim optimizer
        The update rule the server applies to the averaged gradient.
    steps : int
        Number of rounds (updates).
    batch_size : int
        The global batch :math:`B` of one round, split over the workers; at
        least ``n_workers`` and at most the number of examples.
    n_workers : int, default 2
        Shards per round :math:`W`: one per worker.
    client : dask.distributed.Client, optional
        A running cluster; by default a :func:`local_client` of ``n_workers``
        processes is started for the run and closed after it.
    seed : int, default 0
        Fixes the batches (:func:`batch_indices`).

    Returns
    -------
    DistributedResult
        ``staleness`` zero and ``worker`` -1 throughout.

    Raises
    ------
    RuntimeError
        When a worker dies and Dask cannot recompute its shard on another one
        (it recomputes a lost shard by itself, on the remaining workers): the
        round is not applied, never averaged over fewer shards.

    Examples
    --------
    The entry point of a script that starts a cluster is guarded, because the
    worker processes import the script::

        if __name__ == "__main__":
            result = sync_sgd(grad_fn, w0, (X, y), optimizer=SGD(lr=0.1),
                              steps=100, batch_size=32, n_workers=2)

    References
    ----------
    Synchronous data parallelism :cite:`dean2012`; with stragglers and backup
    workers :cite:`chen2016`.
    """
    X, y, batch_size, n_workers, seed, steps = _result.check_run(
        grad_fn, params, data, optimizer, batch_size, n_workers, seed, "steps", steps)
    if batch_size < n_workers:
        raise ValueError(f"batch_size must be at least n_workers = {n_workers}, so that every worker "
                         f"has an example, got {batch_size}")
    with contextlib.ExitStack() as stack:
        if client is None:
            client = stack.enter_context(local_client(n_workers))
        return _sync_rounds(client, grad_fn, params, (X, y), optimizer, steps, batch_size, n_workers, seed)


def _sync_rounds(client, grad_fn, params, data, optimizer, steps, batch_size, n_workers, seed):
    from distributed.scheduler import KilledWorker

    workers = worker_addresses(client)
    [data_on_workers] = client.scatter([data], broadcast=True, hash=False)
    state = optimizer.init(params)
    records = []
    start = time.perf_counter()
    for k in range(steps):
        shards = np.array_split(batch_indices(len(data[0]), batch_size, seed, k), n_workers)
        futures = [client.submit(shard_gradient, grad_fn, params, data_on_workers, shard, pure=False,
                                 workers=[workers[j % len(workers)]], allow_other_workers=True)
                   for j, shard in enumerate(shards)]
        try:
            parts = client.gather(futures)
        except KilledWorker as error:
            raise RuntimeError(f"round {k}: a worker died and Dask could not recompute its shard on "
                               f"another worker ({error}); round {k} was not applied, after "
                               f"{k} complete rounds") from error
        params, state, loss = _apply_round(optimizer, params, state, parts, k)
        records.append((loss, 0, -1, k, time.perf_counter() - start))
    client.cancel([data_on_workers])
    return _result.make_result(params, records, steps, time.perf_counter() - start)


def simulate_sync(grad_fn, params, data, *, optimizer, steps, batch_size, n_workers=2, seed=0,
                  compute_time=None, straggler=None):
    r"""The synchronous scheme on a simulated clock, in this process.

    The iterates are those of :func:`sync_sgd` (the same shards, averaged the
    same way). Worker :math:`j`'s time for its shard of :math:`b_j` examples is
    drawn by ``compute_time`` (see :func:`~optlib.distributed.simulation.compute_time_model`;
    by default :func:`default_compute_time`), slowed by the straggler option,
    and a round lasts :math:`\max_j` of its workers' times: the slowest worker
    sets the pace. ``times`` are the rounds' cumulative end times. The
    parameters not listed here are those of :func:`sync_sgd`; the same
    ``seed`` gives the same result.

    Parameters
    ----------
    compute_time : None, float or callable
        None for the default model, a fixed time per gradient, or a function
        ``compute_time(rng, examples)`` that draws one.
    straggler : None or (probability, slowdown)
        Each worker's computation is, with that probability, ``slowdown``
        times longer.

    References
    ----------
    Stragglers in synchronous SGD :cite:`chen2016`.
    """
    X, y, batch_size, n_workers, seed, steps = _result.check_run(
        grad_fn, params, data, optimizer, batch_size, n_workers, seed, "steps", steps)
    if batch_size < n_workers:
        raise ValueError(f"batch_size must be at least n_workers = {n_workers}, so that every worker "
                         f"has an example, got {batch_size}")
    duration = compute_time_model(compute_time, straggler)
    clock_rng = np.random.default_rng([seed, 1])   # apart from the batches' draws
    state = optimizer.init(params)
    records, now = [], 0.0
    for k in range(steps):
        shards = np.array_split(batch_indices(len(X), batch_size, seed, k), n_workers)
        parts = [shard_gradient(grad_fn, params, (X, y), shard) for shard in shards]
        params, state, loss = _apply_round(optimizer, params, state, parts, k)
        now += max(duration(clock_rng, len(shard)) for shard in shards)
        records.append((loss, 0, -1, k, now))
    return _result.make_result(params, records, steps, now)
