"""Gradient functions for the tests of optlib.distributed, importable by the worker processes."""
import os
import time

import numpy as np


def least_squares(w, X, y):
    """Mean squared error / 2 of a linear model and its gradient."""
    r = X @ w - y
    return 0.5 * np.mean(r ** 2), X.T @ r / len(y)


def two_layer(params, X, y):
    """A pytree of parameters: {"W": matrix, "b": [vector]} with a squared loss."""
    r = X @ params["W"] + params["b"][0] - y[:, None]
    n = len(y)
    return 0.5 * np.mean(np.sum(r ** 2, axis=1)), {"W": X.T @ r / n, "b": [r.sum(axis=0) / n]}


def slow_least_squares(w, X, y):
    """least_squares taking 20 ms: a worker's compute time is then far above the cluster's latencies."""
    time.sleep(0.02)
    return least_squares(w, X, y)


def wrong_structure(w, X, y):
    loss, g = least_squares(w, X, y)
    return loss, {"w": g}


def wrong_shape(w, X, y):
    loss, g = least_squares(w, X, y)
    return loss, g[:-1]


def nan_loss(w, X, y):
    loss, g = least_squares(w, X, y)
    return float("nan"), g


def _hosts_an_actor():
    from distributed import get_worker
    return bool(get_worker().state.actors)


_calls = 0


def _die_once(after_calls):
    """Kill this worker process on its call number ``after_calls``, if no other worker died yet.

    The worker that dies takes the marker file by renaming it, so exactly one
    dies; a worker that holds an actor (the parameter server) never does.
    """
    global _calls
    _calls += 1
    marker = os.environ.get("OPTLIB_TEST_KILL_MARKER", "")
    if _calls >= after_calls and marker and os.path.exists(marker) and not _hosts_an_actor():
        try:
            os.rename(marker, marker + ".taken")
        except FileNotFoundError:
            pass
        else:
            os._exit(1)


def dies_mid_run(w, X, y):
    """slow_least_squares; one worker process kills itself on its fifth gradient."""
    _die_once(after_calls=5)
    return slow_least_squares(w, X, y)


def dies_before_its_first_push(w, X, y):
    """slow_least_squares; one worker without the server kills itself on its first gradient.

    In an asynchronous run the other workers have pushed meanwhile, so the run
    is under way; the batch the dying worker had out is never received.
    """
    _die_once(after_calls=1)
    return slow_least_squares(w, X, y)


def dies_always(w, X, y):
    """Kills its worker process on every call while the marker file exists."""
    marker = os.environ.get("OPTLIB_TEST_KILL_MARKER", "")
    if marker and os.path.exists(marker):
        os._exit(1)
    return least_squares(w, X, y)
