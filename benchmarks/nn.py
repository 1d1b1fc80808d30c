"""Benchmark of optlib.nn: one training epoch against the same network written out by hand.

Run with ``python benchmarks/nn.py`` (``--quick`` for fewer repetitions).

Two networks, each trained for one epoch of plain SGD over the same
mini-batches (in the same order):

1. the digits MLP 64-128-128-10 (ReLU, softmax cross-entropy), batch 64, over
   the 1078 training images of ``train_val_test_split(load_digits(), rng=0)``
   (17 batches); target: ratio <= 1.5;
2. the tanh RNN with 64 hidden units on the adding problem, sequences of 50
   steps, batch 32, 512 sequences (16 batches); target: ratio <= 2.5.

The optlib side is what a chapter writes: ``optlib.data.minibatches``, a model
from ``optlib.nn`` and its loss, ``optlib.autodiff.value_and_grad``. The hand
side is a NumPy forward pass that keeps what its backward pass needs and the
backward pass written out, layer by layer and step by step. Both apply the same
inline SGD update, so the difference is the cost of tracing and of the generic
backward pass. The two gradients are checked to agree before timing.

Timings alternate between the two (interleaved, each going first in every
other round), and the medians are reported, at the default number of BLAS
threads and at one thread. Finally cProfile shows where the time of one optlib
epoch goes.
"""
from __future__ import annotations

import argparse
import cProfile
import ctypes
import os
import platform
import pstats
import statistics
import time

import numpy as np

from optlib import data, nn
from optlib.autodiff import value_and_grad

LR = 0.05


# ---- the digits MLP, by hand ---------------------------------------------------------------------

def mlp_loss_and_grads_by_hand(params, X, y):
    """Mean softmax cross-entropy of a ReLU MLP and its gradient, backward pass written out."""
    layers = params["layers"]
    hs, masks = [X], []
    h = X
    for layer in layers[:-1]:
        z = h @ layer["W"] + layer["b"]
        mask = z > 0
        h = z * mask
        masks.append(mask)
        hs.append(h)
    logits = h @ layers[-1]["W"] + layers[-1]["b"]
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_norm = np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    n = len(y)
    rows = np.arange(n)
    loss = np.mean(log_norm[:, 0] - shifted[rows, y])
    delta = np.exp(shifted - log_norm)              # softmax
    delta[rows, y] -= 1.0
    delta /= n                                      # dL/dlogits
    grads = [None] * len(layers)
    for l in range(len(layers) - 1, -1, -1):
        grads[l] = {"W": hs[l].T @ delta, "b": delta.sum(axis=0)}
        if l > 0:
            delta = (delta @ layers[l]["W"].T) * masks[l - 1]
    return loss, {"layers": grads}


# ---- the tanh RNN on the adding problem, by hand -------------------------------------------------

def rnn_loss_and_grads_by_hand(params, X, y):
    """Mean squared error of a tanh RNN read out after the last step, with BPTT written out."""
    c, o = params["cell"], params["out"]
    n, T, _ = X.shape
    hs = [np.zeros((n, c["W_hh"].shape[0]))]
    for t in range(T):
        hs.append(np.tanh(X[:, t] @ c["W_xh"] + hs[-1] @ c["W_hh"] + c["b_h"]))
    out = hs[-1] @ o["W"] + o["b"]
    residual = out - y[:, None]
    loss = np.sum(residual * residual) / n
    d_out = 2.0 * residual / n
    grads_out = {"W": hs[-1].T @ d_out, "b": d_out.sum(axis=0)}
    dW_xh, dW_hh, db_h = np.zeros_like(c["W_xh"]), np.zeros_like(c["W_hh"]), np.zeros_like(c["b_h"])
    dh = d_out @ o["W"].T
    for t in range(T, 0, -1):
        da = dh * (1.0 - hs[t] * hs[t])
        dW_xh += X[:, t - 1].T @ da
        dW_hh += hs[t - 1].T @ da
        db_h += da.sum(axis=0)
        dh = da @ c["W_hh"].T
    return loss, {"cell": {"W_xh": dW_xh, "W_hh": dW_hh, "b_h": db_h}, "out": grads_out}


# ---- one epoch, either way -----------------------------------------------------------------------

def sgd(params, grads):
    """The same inline update for both sides: p - lr * g on every leaf of a dict / list tree."""
    if isinstance(params, dict):
        return {k: sgd(params[k], grads[k]) for k in params}
    if isinstance(params, list):
        return [sgd(p, g) for p, g in zip(params, grads)]
    return params - LR * grads


def epoch(loss_and_grads, params, X, y, batch_size, seed):
    for Xb, yb in data.minibatches(X, y, batch_size, np.random.default_rng(seed)):
        _, grads = loss_and_grads(params, Xb, yb)
        params = sgd(params, grads)
    return params


# ---- measurement helpers -------------------------------------------------------------------------

def interleaved_medians(functions, repeats):
    """Median seconds per call of each function, calls alternating between them."""
    times = {name: [] for name in functions}
    for fn in functions.values():          # warm-up
        fn()
    for r in range(repeats):
        order = list(functions.items())
        if r % 2:
            order.reverse()
        for name, fn in order:
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(t) for name, t in times.items()}


def blas_thread_setter():
    """(get, set) for the number of OpenBLAS threads at run time, or (None, None)."""
    try:
        with open("/proc/self/maps") as f:
            libraries = sorted({line.split()[-1] for line in f if "openblas" in line.lower()
                                and line.split()[-1].startswith("/")})
    except OSError:
        return None, None
    for path in libraries:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for prefix, suffix in (("scipy_openblas", "64_"), ("openblas", "64_"), ("openblas", "")):
            get, put = f"{prefix}_get_num_threads{suffix}", f"{prefix}_set_num_threads{suffix}"
            if hasattr(lib, get) and hasattr(lib, put):
                setter = getattr(lib, put)
                setter.argtypes = [ctypes.c_int]
                return getattr(lib, get), setter
    return None, None


def where_the_time_goes(fn, top=12):
    """cProfile of fn(): own time grouped by source file, and the costliest functions."""
    profiler = cProfile.Profile()
    profiler.enable()
    fn()
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = sum(v[2] for v in stats.stats.values())
    by_group = {}
    rows = []
    for (path, line, name), (_, ncalls, tottime, _, _) in stats.stats.items():
        if "optlib" in path:
            group = "optlib/" + path.split("optlib/")[-1]
        elif path == "~":
            group = "built-in and C calls"
        elif "numpy" in path:
            group = "numpy (Python-level wrappers)"
        else:
            group = "other (benchmark loop, data slicing)"
        by_group[group] = by_group.get(group, 0.0) + tottime
        rows.append((tottime, ncalls, f"{os.path.basename(path)}:{line}({name})"))
    print(f"    own time by source (total {total * 1e3:.1f} ms under the profiler; NumPy kernels count "
          f"towards the Python function that calls them):")
    for group, t in sorted(by_group.items(), key=lambda kv: -kv[1]):
        print(f"      {100 * t / total:5.1f}%  {group}")
    print("    costliest functions (own time):")
    for tottime, ncalls, where in sorted(rows, reverse=True)[:top]:
        print(f"      {100 * tottime / total:5.1f}%  {ncalls:6d} calls  {where}")


# ---- main ----------------------------------------------------------------------------------------

def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--no-profile", action="store_true", help="skip the cProfile breakdown")
    options = parser.parse_args(argv)
    repeats = 11 if options.quick else 41
    get_threads, set_threads = blas_thread_setter()
    default_threads = int(get_threads()) if get_threads else None
    print(f"NumPy {np.__version__}, Python {platform.python_version()}, {os.cpu_count()} CPUs, "
          f"BLAS threads {default_threads}, "
          f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}, "
          f"load average {os.getloadavg()[0]:.2f}")

    # the digits MLP
    X, y = data.load_digits()
    (X_train, y_train), _, _ = data.train_val_test_split(X, y, rng=0)
    mlp = nn.MLP((64, 128, 128, 10), activation="relu", weight_init="he")
    mlp_params = mlp.init(0)
    mlp_step = value_and_grad(lambda p, Xb, yb: nn.softmax_cross_entropy(mlp.apply(p, Xb), yb))

    # the tanh RNN on the adding problem
    X_seq, y_seq = data.adding_problem(512, length=50, rng=0)
    rnn = nn.RNN(2, 64, 1, output="last")
    rnn_params = rnn.init(0)
    rnn_step = value_and_grad(lambda p, Xb, yb: nn.mse(rnn.apply(p, Xb), yb))

    cases = [
        ("digits MLP 64-128-128-10, ReLU, batch 64, one epoch (17 batches)", 1.5,
         mlp_step, mlp_loss_and_grads_by_hand, mlp_params, X_train, y_train, 64),
        ("tanh RNN, 64 hidden, adding problem T=50, batch 32, one epoch (16 batches)", 2.5,
         rnn_step, rnn_loss_and_grads_by_hand, rnn_params, X_seq, y_seq, 32),
    ]
    for title, target, step, by_hand, params, Xd, yd, batch in cases:
        Xb, yb = Xd[:batch], yd[:batch]
        (loss_a, g_a), (loss_h, g_h) = step(params, Xb, yb), by_hand(params, Xb, yb)
        worst = max(float(np.max(np.abs(a - h))) for a, h in zip(_leaves(g_a), _leaves(g_h)))
        assert abs(loss_a - loss_h) < 1e-10 and worst < 1e-10, (loss_a, loss_h, worst)
        print()
        print(title)
        thread_counts = [default_threads] + ([1] if set_threads and default_threads != 1 else [])
        for threads in thread_counts:
            if set_threads and threads is not None:
                set_threads(threads)
            t = interleaved_medians({
                "hand": lambda: epoch(by_hand, params, Xd, yd, batch, seed=1),
                "optlib": lambda: epoch(step, params, Xd, yd, batch, seed=1)}, repeats)
            print(f"  BLAS threads {threads}:  hand-written {t['hand'] * 1e3:7.2f} ms/epoch   "
                  f"optlib {t['optlib'] * 1e3:7.2f} ms/epoch   ratio {t['optlib'] / t['hand']:5.2f}   "
                  f"(target <= {target}; medians of {repeats})")
        if set_threads and default_threads is not None:
            set_threads(default_threads)
        if not options.no_profile:
            where_the_time_goes(lambda: [epoch(step, params, Xd, yd, batch, seed=1) for _ in range(5)])


def _leaves(tree):
    from optlib.tree import tree_leaves
    return tree_leaves(tree)


if __name__ == "__main__":
    main()
