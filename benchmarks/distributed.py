"""Benchmark of optlib.distributed: updates per second of both schemes against single-process SGD.

Run with ``python benchmarks/distributed.py`` (``--quick`` for shorter runs).

The problem: a one-hidden-layer tanh network (64 inputs, 1024 hidden units, 10
outputs, squared loss) on 16384 random examples, global batch 2048, plain SGD.
Its gradient (written out in NumPy, about 30 ms at one BLAS thread) is what a
worker computes. On one local cluster of 4 worker processes, one thread each,
the benchmark times

1. single-process SGD in this process (the baseline);
2. ``sync_sgd`` with 1, 2 and 4 workers: each round one shard per worker;
3. ``async_sgd`` with 1, 2 and 4 workers: each push is one update of a
   2048-example batch, so its updates are worth as much as the baseline's;

and prints each run's updates per second and its ratio to the baseline. Then
it breaks a round down into its parts, each timed on its own: the gradient
itself, the scheduler's round trip for one task (submit and gather of a task
that does nothing), and one call of an actor from a worker (what a pull or a
push costs besides the data).

The machine's cores bound the speed-up: with 2 cores, 4 workers compete for
them. All timings run in this one session, side by side.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

# This file has the name of the Dask package, and Python puts its folder first on the
# path: take the folder off, so that "import distributed" finds Dask.
sys.path = [p for p in sys.path if os.path.abspath(p or ".") != os.path.dirname(os.path.abspath(__file__))]
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")   # before NumPy: one thread per worker
os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np   # noqa: E402

from optlib import distributed as dist, optim   # noqa: E402

N, D_IN, HIDDEN, D_OUT, BATCH = 16384, 64, 1024, 10, 2048


def mlp_grad(params, X, Y):
    """Mean squared loss / 2 of a tanh network and its gradient, written out."""
    H = np.tanh(X @ params["W1"] + params["b1"])
    R = H @ params["W2"] + params["b2"] - Y
    n = len(X)
    dH = (R @ params["W2"].T) * (1 - H ** 2)
    grads = {"W2": H.T @ R / n, "b2": R.sum(axis=0) / n, "W1": X.T @ dH / n, "b1": dH.sum(axis=0) / n}
    return 0.5 * np.sum(R ** 2) / n, grads


def problem(seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(N, D_IN))
    Y = np.tanh(X @ rng.normal(size=(D_IN, D_OUT)) / 8)
    params = {"W1": rng.normal(size=(D_IN, HIDDEN)) / 8, "b1": np.zeros(HIDDEN),
              "W2": rng.normal(size=(HIDDEN, D_OUT)) / 16, "b2": np.zeros(D_OUT)}
    return (X, Y), params


def single_process(data, params, updates):
    X, Y = data
    opt = optim.SGD(lr=0.05)
    state = opt.init(params)
    start = time.perf_counter()
    for k in range(updates):
        idx = dist.batch_indices(N, BATCH, 0, k)
        _, g = mlp_grad(params, X[idx], Y[idx])
        params, state = opt.update(params, g, state)
    return updates / (time.perf_counter() - start)


def noop(x=None):
    return x


class Counter:
    """An actor that does nothing but count: its call time is the cost of a pull or push without data."""

    def __init__(self):
        self.n = 0

    def touch(self):
        self.n += 1
        return self.n


def call_actor(actor, calls):
    start = time.perf_counter()
    for _ in range(calls):
        actor.touch().result()
    return (time.perf_counter() - start) / calls


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="shorter runs")
    args = parser.parse_args()
    updates = 60 if args.quick else 200
    data, params = problem()
    X, Y = data

    idx = dist.batch_indices(N, BATCH, 0, 0)
    grad_ms = 1e3 * statistics.median(
        [(lambda t: (mlp_grad(params, X[idx], Y[idx]), time.perf_counter() - t)[1])(time.perf_counter())
         for _ in range(20)])
    baseline = single_process(data, params, updates)
    rows = [("single process", 1, baseline)]
    with dist.local_client(n_workers=4) as client:
        dist.sync_sgd(mlp_grad, params, data, optimizer=optim.SGD(lr=0.05), steps=3,
                      batch_size=BATCH, n_workers=4, client=client)            # warm up the workers
        for scheme, run, count in (("sync_sgd", dist.sync_sgd, "steps"),
                                   ("async_sgd", dist.async_sgd, "updates")):
            for workers in (1, 2, 4):
                result = run(mlp_grad, params, data, optimizer=optim.SGD(lr=0.05), batch_size=BATCH,
                             n_workers=workers, client=client, **{count: updates})
                rows.append((scheme, workers, result.updates_per_second))
        task_ms = 1e3 * statistics.median(
            [(lambda t: (client.submit(noop, pure=False).result(), time.perf_counter() - t)[1])(
                time.perf_counter()) for _ in range(30)])
        actor = client.submit(Counter, actor=True).result()
        workers = sorted(client.scheduler_info()["workers"])
        actor_ms = 1e3 * client.submit(call_actor, actor, 50, workers=[workers[-1]], pure=False).result()

    print(f"{os.cpu_count()} cores; {updates} updates of a {BATCH}-example batch; "
          f"network {D_IN}-{HIDDEN}-{D_OUT}")
    print(f"{'run':16s} {'workers':>7s} {'updates/s':>10s} {'ratio':>7s}")
    for name, workers, ups in rows:
        print(f"{name:16s} {workers:7d} {ups:10.1f} {ups / baseline:7.2f}")
    print("\none round, broken down (medians):")
    print(f"  gradient of one {BATCH}-example batch in this process: {grad_ms:6.2f} ms")
    print(f"  scheduler round trip of one empty task (submit + gather): {task_ms:6.2f} ms")
    print(f"  one actor call from a worker (a pull or push without data): {actor_ms:6.2f} ms")
    sync4 = 1e3 / dict(((n, w), u) for n, w, u in rows)[("sync_sgd", 4)]
    print(f"  a synchronous round with 4 workers: {sync4:6.2f} ms for 4 shards of "
          f"{BATCH // 4} examples ({grad_ms / 4:.2f} ms of gradient each)")


if __name__ == "__main__":
    main()
