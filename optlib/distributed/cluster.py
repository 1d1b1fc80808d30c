"""A local Dask cluster of worker processes, started and closed around a block of code.

Taught in :chapter:`06_distributed/distributed_training`.
"""
from __future__ import annotations

import contextlib
import logging

from optlib import _checks

__all__ = ["local_client", "worker_addresses"]


@contextlib.contextmanager
def local_client(n_workers=2, threads_per_worker=1):
    """Start a ``LocalCluster`` of ``n_workers`` processes and yield its ``Client``.

    Both are closed on leaving the block, also when the block raises, and no
    worker process is left behind. The scheduler's web server takes a free
    port (two clusters never compete for Dask's default 8787) and the cluster
    logs only errors.

    The workers are spawned processes that import the main module: a script
    that starts a cluster guards its entry point with
    ``if __name__ == "__main__":``. To use an existing cluster instead, create
    ``Client("tcp://scheduler:8786")`` and pass it to the runs as ``client``.

    Examples
    --------
    ::

        with local_client(n_workers=2) as client:
            result = sync_sgd(grad_fn, w0, (X, y), optimizer=SGD(lr=0.1),
                              steps=100, batch_size=32, client=client)

    References
    ----------
    Dask :cite:`rocklin2015`.
    """
    n_workers = _checks.integer("n_workers", n_workers, minimum=1)
    threads_per_worker = _checks.integer("threads_per_worker", threads_per_worker, minimum=1)
    from distributed import Client, LocalCluster   # Dask is imported only by the runs that need it

    with LocalCluster(n_workers=n_workers, threads_per_worker=threads_per_worker, processes=True,
                      dashboard_address=":0", silence_logs=logging.ERROR) as cluster:
        with Client(cluster) as client:
            yield client


def worker_addresses(client) -> list:
    """The addresses of the cluster's workers, sorted (the order in which runs place their work)."""
    workers = sorted(client.scheduler_info()["workers"])
    if not workers:
        raise RuntimeError("the Dask cluster has no workers")
    return workers
