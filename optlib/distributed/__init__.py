"""Data-parallel SGD on Dask distributed: synchronous rounds, a parameter server, and their simulators.

Real runs use a local cluster of worker processes (:func:`local_client`) or any
running Dask cluster whose ``Client`` the caller passes; the simulators compute
the same mathematics on a simulated clock, deterministically, for figures and
checked outputs. Every run returns a :class:`DistributedResult`.

Common arguments: ``grad_fn(params, X_batch, y_batch) -> (loss, grads)`` (a
module-level function, so Dask can ship it to the workers; ``grads`` has the
structure of ``params``); ``data = (X, y)``; ``optimizer`` any
:mod:`optlib.optim` optimizer, the server's update rule; ``batch_size`` the
global mini-batch of one update; ``seed`` fixes every random draw. The
mini-batches are those of :func:`batch_indices`, whatever the worker count.

Taught in :chapter:`06_distributed/distributed_training`,
:chapter:`06_distributed/synchronous_sgd` and :chapter:`06_distributed/asynchronous_sgd`.
"""
from .asynchronous import ParameterServer, async_sgd, simulate_async
from .batches import batch_indices, batches_per_epoch
from .cluster import local_client
from .result import DistributedResult
from .simulation import default_compute_time
from .synchronous import simulate_sync, sync_sgd

__all__ = ["local_client", "sync_sgd", "async_sgd", "simulate_sync", "simulate_async",
           "DistributedResult", "ParameterServer", "batch_indices", "batches_per_epoch",
           "default_compute_time"]
