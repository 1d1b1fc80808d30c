"""optlib.distributed: synchronous and asynchronous SGD on a real local Dask cluster, and the simulators.

The references are written out here: single-process SGD over the batches of
batch_indices, the update rules applied by hand.
"""
import os
import time

import numpy as np
import psutil
import pytest

import dist_problems as problems
from optlib import distributed as dist
from optlib import optim

RNG = np.random.default_rng(0)
X = RNG.normal(size=(120, 4))
Y = X @ np.array([1.0, -2.0, 0.5, 3.0]) + 0.1 * RNG.normal(size=120)
DATA = (X, Y)
W0 = np.zeros(4)


def sgd_reference(grad_fn, params, lr, steps, batch_size, seed=0, lrs=None):
    """Plain single-process SGD on batch_indices' batches, written out."""
    for k in range(steps):
        idx = dist.batch_indices(len(X), batch_size, seed, k)
        _, g = grad_fn(params, X[idx], Y[idx])
        step = lr if lrs is None else lrs[k]
        params = (params - step * g if isinstance(params, np.ndarray)
                  else {"W": params["W"] - step * g["W"], "b": [params["b"][0] - step * g["b"][0]]})
    return params


def replay_async(result, lr):
    """The asynchronous run's iterates rebuilt: each update an SGD step, ``lr(staleness)`` long,
    with the gradient of its batch at the version it was computed at."""
    path = [W0]
    for tau, k in zip(result.staleness, result.batch):
        idx = dist.batch_indices(len(X), 10, 0, k)
        g = problems.least_squares(path[len(path) - 1 - tau], X[idx], Y[idx])[1]
        path.append(path[-1] - lr(tau) * g)
    return path[-1]


@pytest.fixture
def kill_marker(tmp_path, monkeypatch):
    """A marker file, named in the workers' environment, that lets dist_problems kill a worker."""
    marker = str(tmp_path / "kill")
    open(marker, "w").close()
    monkeypatch.setenv("OPTLIB_TEST_KILL_MARKER", marker)
    return marker


@pytest.fixture(scope="module")
def client():
    with dist.local_client(n_workers=3) as c:
        # a first task makes every worker import optlib: no worker starts late
        c.run(lambda: __import__("optlib.distributed"))
        yield c


def missed_updates(result):
    """For each update, the updates of other workers since its worker's previous one (or the start).

    A worker's push and its next pull are one call to the server, so this is
    exactly the staleness the server must record."""
    last = {}
    missed = []
    for i, w in enumerate(result.worker):
        start = last.get(w, 0)
        missed.append(sum(1 for j in range(start, i) if result.worker[j] != w))
        last[w] = i + 1
    return np.array(missed)


# --------------------------------------------------------------------------- batches


def test_every_epoch_visits_each_example_once_in_full_batches():
    n, b = 23, 5
    m = dist.batches_per_epoch(n, b)
    assert m == 4
    for epoch in range(3):
        seen = np.concatenate([dist.batch_indices(n, b, 7, epoch * m + j) for j in range(m)])
        assert len(seen) == len(set(seen.tolist())) == m * b     # no repeat, n mod b left out
    first = [dist.batch_indices(n, b, 7, j).tolist() for j in range(m)]
    second = [dist.batch_indices(n, b, 7, m + j).tolist() for j in range(m)]
    assert first != second                                        # a fresh order each epoch
    assert dist.batch_indices(n, b, 7, 5).tolist() == dist.batch_indices(n, b, 7, 5).tolist()
    assert dist.batch_indices(n, b, 8, 0).tolist() != dist.batch_indices(n, b, 7, 0).tolist()


# --------------------------------------------------------------------------- local_client


def child_processes():
    """This process's children, less multiprocessing's resource tracker: one helper per
    interpreter, started with the first spawned process and kept until the interpreter exits."""
    return {p.pid for p in psutil.Process().children(recursive=True)
            if "multiprocessing.resource_tracker" not in " ".join(p.cmdline())}


def test_local_client_leaves_no_process_behind_also_when_the_body_raises():
    before = child_processes()
    with pytest.raises(KeyError):
        with dist.local_client(n_workers=2) as c:
            assert len(c.scheduler_info()["workers"]) == 2
            during = child_processes() - before
            assert len(during) >= 2
            raise KeyError("the body fails")
    deadline = time.time() + 10
    while time.time() < deadline and child_processes() - before:
        time.sleep(0.1)
    assert not child_processes() - before
    assert not any(psutil.pid_exists(pid) for pid in during)


# --------------------------------------------------------------------------- synchronous SGD


@pytest.mark.parametrize("n_workers", [1, 2, 3])
def test_sync_sgd_equals_single_process_sgd_for_any_worker_count(client, n_workers):
    result = dist.sync_sgd(problems.least_squares, W0, DATA, optimizer=optim.SGD(lr=0.1), steps=25,
                           batch_size=16, n_workers=n_workers, client=client)
    np.testing.assert_allclose(result.params, sgd_reference(problems.least_squares, W0, 0.1, 25, 16),
                               rtol=1e-12, atol=1e-12)
    simulated = dist.simulate_sync(problems.least_squares, W0, DATA, optimizer=optim.SGD(lr=0.1),
                                   steps=25, batch_size=16, n_workers=n_workers)
    np.testing.assert_allclose(result.params, simulated.params, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(result.losses, simulated.losses, rtol=1e-12)
    assert result.applied == result.pushed == 25
    assert np.all(result.staleness == 0) and np.all(result.worker == -1)
    assert result.batch.tolist() == list(range(25))
    assert np.all(np.diff(result.times) > 0) and result.updates_per_second > 0


def test_sync_sgd_averages_uneven_shards_by_size_on_a_pytree(client):
    params = {"W": np.zeros((4, 2)), "b": [np.zeros(2)]}
    # 17 examples over 3 workers: shards of 6, 6 and 5; an unweighted mean would differ
    result = dist.sync_sgd(problems.two_layer, params, DATA, optimizer=optim.SGD(lr=0.05), steps=10,
                           batch_size=17, n_workers=3, client=client)
    expected = sgd_reference(problems.two_layer, params, 0.05, 10, 17)
    np.testing.assert_allclose(result.params["W"], expected["W"], rtol=1e-12, atol=1e-13)
    np.testing.assert_allclose(result.params["b"][0], expected["b"][0], rtol=1e-12, atol=1e-13)
    idx = dist.batch_indices(len(X), 17, 0, 0)
    assert np.isclose(result.losses[0], problems.two_layer(params, X[idx], Y[idx])[0], rtol=1e-12)


def test_sync_sgd_with_adam_applies_the_optimizers_rule_to_the_mean_gradient(client):
    opt = optim.Adam(lr=0.05)
    result = dist.sync_sgd(problems.least_squares, W0, DATA, optimizer=opt, steps=8, batch_size=12,
                           n_workers=2, client=client)
    w, state = W0, opt.init(W0)
    for k in range(8):
        idx = dist.batch_indices(len(X), 12, 0, k)
        w, state = opt.update(w, problems.least_squares(w, X[idx], Y[idx])[1], state)
    np.testing.assert_allclose(result.params, w, rtol=1e-12)


# --------------------------------------------------------------------------- asynchronous SGD


def test_async_sgd_with_one_worker_is_single_process_sgd(client):
    result = dist.async_sgd(problems.least_squares, W0, DATA, optimizer=optim.SGD(lr=0.1), updates=30,
                            batch_size=10, n_workers=1, client=client)
    assert np.all(result.staleness == 0) and np.all(result.worker == 0)
    np.testing.assert_allclose(result.params, sgd_reference(problems.least_squares, W0, 0.1, 30, 10),
                               rtol=1e-12, atol=1e-12)
    simulated = dist.simulate_async(problems.least_squares, W0, DATA, optimizer=optim.SGD(lr=0.1),
                                    updates=30, batch_size=10, n_workers=1)
    assert np.all(simulated.staleness == 0)
    np.testing.assert_allclose(simulated.params, result.params, rtol=1e-12, atol=1e-12)


def test_async_sgd_applies_each_gradient_exactly_once_and_records_it(client):
    result = dist.async_sgd(problems.slow_least_squares, W0, DATA, optimizer=optim.SGD(lr=0.05),
                            updates=40, batch_size=10, n_workers=3, client=client)
    assert result.applied == result.pushed == 40 == len(result.losses)
    assert sorted(result.batch.tolist()) == list(range(40))        # none twice, none skipped
    assert set(result.worker.tolist()) == {0, 1, 2}
    assert np.all(result.staleness >= 0) and result.staleness.max() > 0
    np.testing.assert_array_equal(result.staleness, missed_updates(result))
    assert np.all(np.diff(result.times) >= 0)
    np.testing.assert_allclose(result.params, replay_async(result, lambda tau: 0.05), rtol=1e-12,
                               atol=1e-12)


def test_the_staleness_learning_rate_is_applied_as_documented(client):
    def halve_per_update_missed(lr, staleness):
        return lr / (1 + staleness)

    result = dist.async_sgd(problems.slow_least_squares, W0, DATA, optimizer=optim.SGD(lr=0.1),
                            updates=30, batch_size=10, n_workers=2, client=client,
                            staleness_lr=halve_per_update_missed)
    assert result.staleness.max() > 0
    np.testing.assert_allclose(result.params, replay_async(result, lambda tau: 0.1 / (1 + tau)),
                               rtol=1e-12, atol=1e-12)


# The mean staleness of W workers that keep pushing is (W - 1) - sum_w a_w / U
# (module docstring of optlib.distributed.asynchronous): at most W - 1, and below
# it only by the pushes that fall outside some worker's span from its first pull
# to its last push. With 20 ms gradients and U = 40 updates, a start-up or
# wind-down lag of up to 3 pushes per worker stays within 0.1 W (W - 1).
@pytest.mark.parametrize("n_workers", [2, 3])
def test_simulator_and_dask_agree_on_the_staleness_of_equal_speed_workers(client, n_workers):
    U = 40
    real = dist.async_sgd(problems.slow_least_squares, W0, DATA, optimizer=optim.SGD(lr=0.01), updates=U,
                          batch_size=10, n_workers=n_workers, client=client)
    simulated = dist.simulate_async(problems.least_squares, W0, DATA, optimizer=optim.SGD(lr=0.01),
                                    updates=U, batch_size=10, n_workers=n_workers)
    tolerance = 3 * n_workers * (n_workers - 1) / U
    for result in (real, simulated):
        assert n_workers - 1 - tolerance <= result.staleness.mean() <= n_workers - 1
    assert abs(real.staleness.mean() - simulated.staleness.mean()) <= tolerance


# --------------------------------------------------------------------------- simulators


def test_simulated_mean_staleness_grows_with_the_number_of_workers():
    means = [dist.simulate_async(problems.least_squares, W0, DATA, optimizer=optim.SGD(lr=0.01),
                                 updates=200, batch_size=10, n_workers=w).staleness.mean()
             for w in (1, 2, 4, 8)]
    assert means[0] == 0 and all(a < b for a, b in zip(means, means[1:]))
    for w, mean in zip((2, 4, 8), means[1:]):
        assert w - 1 - w * (w - 1) / 200 * 3 <= mean <= w - 1


def test_simulators_are_deterministic_for_a_seed_and_differ_across_seeds():
    kwargs = dict(optimizer=optim.SGD(lr=0.05), updates=50, batch_size=10, n_workers=3,
                  straggler=(0.2, 5.0))
    a = dist.simulate_async(problems.least_squares, W0, DATA, seed=3, **kwargs)
    b = dist.simulate_async(problems.least_squares, W0, DATA, seed=3, **kwargs)
    c = dist.simulate_async(problems.least_squares, W0, DATA, seed=4, **kwargs)
    np.testing.assert_array_equal(a.params, b.params)
    np.testing.assert_array_equal(a.times, b.times)
    np.testing.assert_array_equal(a.staleness, b.staleness)
    assert not np.array_equal(a.times, c.times)


def test_a_simulated_synchronous_round_lasts_as_long_as_its_slowest_worker():
    def by_examples(rng, examples):
        return float(examples)            # a worker's time is its shard's size

    result = dist.simulate_sync(problems.least_squares, W0, DATA, optimizer=optim.SGD(lr=0.1), steps=6,
                                batch_size=17, n_workers=3, compute_time=by_examples)
    np.testing.assert_allclose(np.diff(result.times, prepend=0.0), 6.0)   # shards 6, 6, 5
    slow = dist.simulate_sync(problems.least_squares, W0, DATA, optimizer=optim.SGD(lr=0.1), steps=200,
                              batch_size=12, n_workers=4, compute_time=1.0, straggler=(0.1, 10.0))
    rounds = np.diff(slow.times, prepend=0.0)
    assert set(np.round(rounds, 12).tolist()) <= {1.0, 10.0}
    # a round is slow when any of its 4 workers straggles: probability 1 - 0.9^4 = 0.34
    assert abs(np.mean(rounds == 10.0) - (1 - 0.9 ** 4)) < 0.1


def test_simulated_async_with_a_straggler_gives_the_straggler_fewer_and_staler_updates():
    def worker_speed(rng, examples):
        return 1.0

    result = dist.simulate_async(problems.least_squares, W0, DATA, optimizer=optim.SGD(lr=0.05),
                                 updates=300, batch_size=10, n_workers=4, compute_time=worker_speed,
                                 straggler=(0.25, 4.0))
    assert result.applied == result.pushed == 300
    slow = result.staleness[result.times > 0]
    assert slow.max() > 3          # a slowed gradient misses more than one update of each other worker


# --------------------------------------------------------------------------- faults


def test_sync_sgd_recomputes_a_killed_workers_shard(kill_marker):
    with dist.local_client(n_workers=2) as c:
        result = dist.sync_sgd(problems.dies_mid_run, W0, DATA, optimizer=optim.SGD(lr=0.1), steps=40,
                               batch_size=16, n_workers=2, client=c)
    assert os.path.exists(kill_marker + ".taken"), "no worker was killed during the run"
    np.testing.assert_allclose(result.params, sgd_reference(problems.least_squares, W0, 0.1, 40, 16),
                               rtol=1e-12, atol=1e-12)
    assert result.applied == 40


def test_sync_sgd_raises_when_a_lost_shard_cannot_be_recomputed(kill_marker):
    import dask

    with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
        with dist.local_client(n_workers=2) as c:
            with pytest.raises(RuntimeError, match="round 0: a worker died .* was not applied"):
                dist.sync_sgd(problems.dies_always, W0, DATA, optimizer=optim.SGD(lr=0.1), steps=5,
                              batch_size=16, n_workers=2, client=c)


def test_async_sgd_goes_on_when_a_computing_worker_is_killed(kill_marker):
    with dist.local_client(n_workers=3) as c:
        # a first task makes every worker import optlib: no worker starts late
        c.run(lambda: __import__("optlib.distributed"))
        result = dist.async_sgd(problems.dies_before_its_first_push, W0, DATA,
                                optimizer=optim.SGD(lr=0.05), updates=60, batch_size=10, n_workers=3,
                                client=c)
    assert os.path.exists(kill_marker + ".taken"), \
        f"no worker was killed during the run; updates per worker {np.bincount(result.worker)}"
    assert result.applied == result.pushed == 60
    batches = result.batch.tolist()
    assert len(set(batches)) == 60                      # none applied twice
    # the killed worker's batch was handed out but never received: one number is skipped
    assert max(batches) == 60 and len(set(range(61)) - set(batches)) == 1
    np.testing.assert_allclose(result.params, replay_async(result, lambda tau: 0.05), rtol=1e-12,
                               atol=1e-12)


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("run", ["simulate_sync", "simulate_async"])
@pytest.mark.parametrize("grad_fn, message", [
    (problems.wrong_structure, r"structure \{'w': \*\}, but the parameters have \*"),
    (problems.wrong_shape, r"shape \(3,\) for a parameter of shape \(4,\)"),
    (problems.nan_loss, r"non-finite loss nan for batch \d"),
])
def test_a_bad_gradient_function_is_named(run, grad_fn, message):
    count = {"simulate_sync": "steps", "simulate_async": "updates"}[run]
    with pytest.raises(ValueError, match=message):
        getattr(dist, run)(grad_fn, W0, DATA, optimizer=optim.SGD(lr=0.1), batch_size=10,
                           **{count: 3})


def test_a_bad_gradient_function_is_named_by_the_dask_runs_too(client):
    with pytest.raises(ValueError, match=r"structure \{'w': \*\}"):
        dist.sync_sgd(problems.wrong_structure, W0, DATA, optimizer=optim.SGD(lr=0.1), steps=2,
                      batch_size=10, client=client)
    with pytest.raises(ValueError, match="non-finite loss nan"):
        dist.async_sgd(problems.nan_loss, W0, DATA, optimizer=optim.SGD(lr=0.1), updates=4,
                       batch_size=10, client=client)


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(batch_size=121), ValueError,
     "batch_size must be at most the 120 examples of the data set, got 121"),
    (dict(batch_size=0), ValueError, "batch_size must be an integer >= 1, got 0"),
    (dict(n_workers=0), ValueError, "n_workers must be an integer >= 1, got 0"),
    (dict(n_workers=2.0), TypeError, "n_workers must be an integer"),
    (dict(batch_size=2, n_workers=3), ValueError, "batch_size must be at least n_workers = 3"),
    (dict(compute_time=-1.0), ValueError, "compute_time must be a positive finite number, got -1.0"),
    (dict(straggler=(1.5, 2.0)), ValueError, "straggler probability must lie in"),
    (dict(straggler=(0.5, 0.5)), ValueError, "straggler slowdown must lie in"),
    (dict(data=(X, Y[:-1])), ValueError, "same number of examples"),
    (dict(optimizer="sgd"), TypeError, "optimizer must be an optlib.optim optimizer"),
])
def test_bad_arguments_are_named(kwargs, error, message):
    args = dict(data=DATA, optimizer=optim.SGD(lr=0.1), steps=3, batch_size=10) | kwargs
    data_ = args.pop("data")
    with pytest.raises(error, match=message.replace("(", r"\(").replace(")", r"\)")):
        dist.simulate_sync(problems.least_squares, W0, data_, **args)


def test_async_needs_a_thread_per_worker(client):
    with pytest.raises(ValueError, match="n_workers = 5 needs as many worker threads, but the cluster has 3"):
        dist.async_sgd(problems.least_squares, W0, DATA, optimizer=optim.SGD(lr=0.1), updates=3,
                       batch_size=10, n_workers=5, client=client)
