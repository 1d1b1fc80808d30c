r"""Asynchronous SGD with a parameter server: workers pull, compute and push, each at its own pace.

The server holds the parameters :math:`\theta` and a version counter :math:`v`
(the number of updates applied). A worker pulls :math:`(\theta, v)` and a batch
number, computes the gradient of that batch and pushes it; meanwhile the other
workers' gradients have been applied, so when the server applies it at version
:math:`v'` it is :math:`\tau = v' - v` updates old (its *staleness*):

.. math::

    \theta_{v'+1} = \theta_{v'} - \eta(\tau)\, g(\theta_{v' - \tau}).

(shown for plain SGD; any :mod:`optlib.optim` rule takes the stale gradient).
``staleness_lr(lr, tau)``, when given, sets the learning rate of that one
update, e.g. ``lambda lr, tau: lr / (1 + tau)``.

A worker's push and its next pull are one call to the server, so every
update is missed by exactly one gradient of each other worker still running:
the one it is computing. With :math:`W` workers that all start at version 0,
the mean staleness is therefore :math:`W - 1` less an end effect, exactly
:math:`(W - 1) - \sum_w a_w / U`, where :math:`U` is the number of updates
and :math:`a_w` the pushes of the others after worker :math:`w`'s last one.
That holds whatever the workers' speeds.

Taught in :chapter:`06_distributed/asynchronous_sgd`.
"""
from __future__ import annotations

import contextlib
import dataclasses
import heapq
import time

import numpy as np

from optlib import _checks
from optlib.tree import tree_copy

from . import result as _result
from .batches import batch_indices
from .cluster import local_client, worker_addresses
from .simulation import compute_time_model

__all__ = ["ParameterServer", "async_sgd", "simulate_async"]


class ParameterServer:
    """The server of asynchronous SGD: parameters, version, and the record of every update.

    In :func:`async_sgd` it is a Dask actor: one object on one worker whose
    methods run one at a time, called by the workers. :func:`simulate_async`
    uses it as a plain object. Batches are handed out in order, as long as
    the updates applied and the batches out at workers stay within
    ``updates``. A worker pulls once, when it starts; after that each push
    applies its gradient and hands the worker its next batch in the same
    call, so no other update comes between a worker's push and its next pull.
    A pull by a worker that had a batch out gives that batch up: the worker
    restarted after its process died, and that gradient was never received.
    A gradient is applied exactly once, as it arrives.
    """

    def __init__(self, optimizer, params, updates, staleness_lr=None):
        self.optimizer, self.params = optimizer, params
        self.state = optimizer.init(params)
        self.updates, self.staleness_lr = updates, staleness_lr
        self.version = 0
        self.next_batch = 0
        self.out = {}          # worker -> (version, batch) it is computing
        self.records = []      # (loss, staleness, worker, batch, time) per applied update
        self.pushed = 0
        self.lost = 0
        self.start = time.perf_counter()

    def pull(self, worker):
        """``(params, version, batch)`` for ``worker`` to compute, or None when no work is left."""
        if self.out.pop(worker, None) is not None:
            self.lost += 1
        if self.version + len(self.out) >= self.updates:
            return None
        batch = self.next_batch
        self.next_batch += 1
        self.out[worker] = (self.version, batch)
        return self.params, self.version, batch

    def push(self, worker, loss, grads, version, batch, now=None):
        """Apply ``worker``'s gradient, computed at ``version`` for ``batch``; returns its next work.

        The next work is what :meth:`pull` returns: ``(params, version,
        batch)``, or None when no work is left.
        """
        self.pushed += 1
        if self.out.get(worker) != (version, batch):
            raise RuntimeError(f"worker {worker} pushed batch {batch} of version {version}, which the "
                               "server did not hand it: a gradient is applied only once")
        del self.out[worker]
        loss, grads = _result.check_gradient(loss, grads, self.params, batch, worker)
        staleness = self.version - version
        optimizer = self.optimizer
        if self.staleness_lr is not None:
            lr = self.staleness_lr(optimizer.next_lr(self.state), staleness)
            optimizer = dataclasses.replace(optimizer, lr=_checks.non_negative(
                f"staleness_lr(lr, {staleness})", lr))
        self.params, self.state = optimizer.update(self.params, grads, self.state)
        self.version += 1
        when = time.perf_counter() - self.start if now is None else now
        self.records.append((loss, staleness, worker, batch, when))
        return self.pull(worker)

    def summary(self):
        """``(params, records, pushed, lost)``: what the run returns."""
        return self.params, self.records, self.pushed, self.lost


def _worker_loop(server, grad_fn, data, worker, batch_size, seed):
    """One worker of :func:`async_sgd`: pull, compute, push, until the server has no work left."""
    X, y = data
    work = server.pull(worker).result()
    while work is not None:
        params, version, batch = work
        idx = batch_indices(len(X), batch_size, seed, batch)
        loss, grads = grad_fn(params, X[idx], y[idx])
        work = server.push(worker, loss, grads, version, batch).result()
    return worker


def _check_async(grad_fn, params, data, optimizer, updates, batch_size, n_workers, seed, staleness_lr):
    checked = _result.check_run(grad_fn, params, data, optimizer, batch_size, n_workers, seed,
                                "updates", updates)
    if staleness_lr is not None:
        _checks.function("staleness_lr", staleness_lr, "None or a function (lr, staleness) -> lr")
        if not (dataclasses.is_dataclass(optimizer) and hasattr(optimizer, "next_lr")):
            raise TypeError("staleness_lr needs an optlib.optim optimizer with a learning rate lr")
    return checked


def async_sgd(grad_fn, params, data, *, optimizer, updates, batch_size, n_workers=2, client=None, seed=0,
              staleness_lr=None):
    """Asynchronous SGD on a Dask cluster, with the server a Dask actor.

    The parameters not listed here are those of :func:`~optlib.distributed.sync_sgd`.

    Parameters
    ----------
    updates : int
        The run stops when the server has applied this many gradients.
    batch_size : int
        The examples of each worker's gradient (each push is one update).
    n_workers : int, default 2
        Workers pulling and pushing at once; the cluster needs a thread for each.
    staleness_lr : callable, optional
        ``staleness_lr(lr, staleness)`` is the learning rate of an update whose
        gradient is ``staleness`` updates old, from the optimizer's own
        (scheduled) ``lr``.

    Returns
    -------
    DistributedResult
        ``pushed`` equals ``applied`` equals ``updates``.

    Raises
    ------
    RuntimeError
        When the parameter server's worker dies (its state is lost), or no
        worker is left to finish the run. A dead *computing* worker is no
        fault: Dask restarts its loop on another worker, the batch it had out
        is given up (never received, so not lost) and training goes on.

    References
    ----------
    The parameter server :cite:`dean2012,li2014`; lock-free asynchronous SGD
    :cite:`recht2011`; a learning rate divided by the staleness :cite:`zhang2016`.
    """
    X, y, batch_size, n_workers, seed, updates = _check_async(
        grad_fn, params, data, optimizer, updates, batch_size, n_workers, seed, staleness_lr)
    with contextlib.ExitStack() as stack:
        if client is None:
            client = stack.enter_context(local_client(n_workers))
        threads = sum(client.nthreads().values())
        if threads < n_workers:
            raise ValueError(f"n_workers = {n_workers} needs as many worker threads, but the cluster "
                             f"has {threads}")
        return _async_run(client, grad_fn, params, (X, y), optimizer, updates, batch_size, n_workers,
                          seed, staleness_lr)


def _async_run(client, grad_fn, params, data, optimizer, updates, batch_size, n_workers, seed,
               staleness_lr):
    import importlib

    from distributed import wait

    workers = worker_addresses(client)
    # every worker imports optlib now, so that no worker starts its loop late
    client.run(importlib.import_module, "optlib.distributed")
    [data_on_workers] = client.scatter([data], broadcast=True, hash=False)
    server_future = client.submit(ParameterServer, optimizer, params, updates, staleness_lr,
                                  actor=True, workers=[workers[0]])
    server = server_future.result()
    start = time.perf_counter()
    loops = [client.submit(_worker_loop, server, grad_fn, data_on_workers, w, batch_size, seed,
                           pure=False, workers=[workers[w % len(workers)]], allow_other_workers=True)
             for w in range(n_workers)]
    try:
        wait(loops)
        duration = time.perf_counter() - start
        failed = [f for f in loops if f.status == "error"]
        if failed:
            error = failed[0].exception()
            if isinstance(error, (ValueError, TypeError)):
                raise error
            raise RuntimeError(f"asynchronous SGD failed: {error!r}") from error
        try:
            params, records, pushed, lost = server.summary().result()
        except Exception as error:
            raise RuntimeError(f"the parameter server was lost with its worker ({error!r})") from error
    finally:
        client.cancel(loops + [server_future, data_on_workers])
    if len(records) != updates:
        raise RuntimeError(f"the workers stopped after {len(records)} of {updates} updates")
    return _result.make_result(params, records, pushed, duration)


def simulate_async(grad_fn, params, data, *, optimizer, updates, batch_size, n_workers=2, seed=0,
                   compute_time=None, straggler=None, staleness_lr=None):
    """The asynchronous scheme on a simulated clock, in this process.

    At time 0 every worker pulls (worker 0 first). Each gradient takes a time
    drawn by ``compute_time`` and the straggler option (as in
    :func:`~optlib.distributed.simulate_sync`); when it is done the worker
    pushes and pulls again at once. Pushes are applied in the order of their
    simulated finishing times (ties by worker number), so staleness emerges
    from the workers' speeds. With one worker the iterates are those of
    single-process SGD. The same ``seed`` gives the same result.

    Parameters are those of :func:`async_sgd` and :func:`~optlib.distributed.simulate_sync`.

    References
    ----------
    Staleness in asynchronous SGD :cite:`zhang2016,mitliagkas2016`.
    """
    X, y, batch_size, n_workers, seed, updates = _check_async(
        grad_fn, params, data, optimizer, updates, batch_size, n_workers, seed, staleness_lr)
    duration = compute_time_model(compute_time, straggler)
    clock_rng = np.random.default_rng([seed, 1])
    server = ParameterServer(optimizer, params, updates, staleness_lr)
    events = []   # (finish time, worker, the work it pulled)

    def start(worker, work, now):
        if work is not None:
            heapq.heappush(events, (now + duration(clock_rng, batch_size), worker,
                                    (tree_copy(work[0]),) + work[1:]))

    for worker in range(n_workers):
        start(worker, server.pull(worker), 0.0)
    now = 0.0
    while events:
        now, worker, (pulled, version, batch) = heapq.heappop(events)
        idx = batch_indices(len(X), batch_size, seed, batch)
        loss, grads = grad_fn(pulled, X[idx], y[idx])
        start(worker, server.push(worker, loss, grads, version, batch, now=now), now)
    params, records, pushed, _ = server.summary()
    return _result.make_result(params, records, pushed, now)
