"""Benchmarks of optlib.autodiff: tape overhead, tracing overhead, Hessian-vector products, memory.

Run with ``python benchmarks/autodiff.py`` (``--quick`` for fewer repetitions).
Prints, measured side by side in one run:

1. one training step of an MLP 784-256-256-10 (batch 128, float64, tanh,
   softmax cross-entropy): ``value_and_grad`` against a hand-written NumPy
   forward + backward pass of the same network (target: ratio <= 1.25);
2. the gradient of the 2-D Rosenbrock function, where tracing overhead
   dominates, in microseconds per call, and HIPS autograd's time if the
   ``autograd`` package is importable;
3. ``hvp`` against ``grad`` on the MLP loss (target: ratio <= 4);
4. peak memory (tracemalloc) of ``value_and_grad`` against the hand-written version.

Timings alternate between the contenders (interleaved), so that slow phases of
a shared machine hit both alike, and report medians of many repetitions.
"""
from __future__ import annotations

import argparse
import ctypes
import gc
import os
import platform
import time
import tracemalloc

import numpy as np

from optlib.autodiff import grad, hvp, logsumexp, value_and_grad


# ---- the network, written once for autodiff and once by hand -------------------------------

def init_mlp(sizes=(784, 256, 256, 10), seed=0):
    rng = np.random.default_rng(seed)
    params = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        params.append({"W": rng.standard_normal((n_in, n_out)) / np.sqrt(n_in),
                       "b": np.zeros(n_out)})
    return params


def mlp_loss(params, X, Y):
    """Mean softmax cross-entropy of a tanh MLP: plain NumPy, as a reader writes it."""
    h = X
    for layer in params[:-1]:
        h = np.tanh(h @ layer["W"] + layer["b"])
    logits = h @ params[-1]["W"] + params[-1]["b"]
    log_probs = logits - logsumexp(logits, axis=1, keepdims=True)
    return -np.mean(np.sum(Y * log_probs, axis=1))


def mlp_value_and_grad_by_hand(params, X, Y):
    """The same loss and its gradient, with the backward pass written out by hand."""
    activations = [X]
    h = X
    for layer in params[:-1]:
        h = np.tanh(h @ layer["W"] + layer["b"])
        activations.append(h)
    logits = h @ params[-1]["W"] + params[-1]["b"]
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_norm = np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    log_probs = shifted - log_norm
    n = X.shape[0]
    loss = -np.sum(Y * log_probs) / n
    delta = (np.exp(log_probs) - Y) / n            # d loss / d logits
    grads = [None] * len(params)
    for i in range(len(params) - 1, -1, -1):
        a = activations[i]
        grads[i] = {"W": a.T @ delta, "b": delta.sum(axis=0)}
        if i > 0:
            delta = (delta @ params[i]["W"].T) * (1.0 - a * a)
    return loss, grads


def rosenbrock(x):
    return (1.0 - x[0]) ** 2 + 100.0 * (x[1] - x[0] ** 2) ** 2


# ---- measurement helpers ----------------------------------------------------------------------

def interleaved_medians(functions, repeats, inner=1):
    """Median seconds per call of each function, calls alternating between them."""
    times = {name: [] for name in functions}
    for name, fn in functions.items():      # warm up (allocator, caches, BLAS threads)
        for _ in range(3):
            fn()
    for r in range(repeats):
        order = list(functions.items())
        if r % 2:
            order.reverse()
        for name, fn in order:
            start = time.perf_counter()
            for _ in range(inner):
                fn()
            times[name].append((time.perf_counter() - start) / inner)
    return {name: float(np.median(t)) for name, t in times.items()}


def peak_memory(fn):
    """Peak bytes allocated (as seen by tracemalloc, which NumPy reports to) during fn()."""
    gc.collect()
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak - base


class OpenBLASThreads:
    """Query and set the number of OpenBLAS threads at run time (None where not available)."""

    def __init__(self):
        self.get = self.set = None
        maps = ""
        try:
            with open("/proc/self/maps") as f:
                maps = f.read()
        except OSError:
            return
        libraries = sorted({line.split()[-1] for line in maps.splitlines()
                            if "openblas" in line.lower() and line.split()[-1].startswith("/")})
        for lib in libraries:
            try:
                handle = ctypes.CDLL(lib)
            except OSError:
                continue
            for prefix, suffix in (("scipy_openblas", "64_"), ("openblas", "64_"), ("openblas", "")):
                getter = f"{prefix}_get_num_threads{suffix}"
                setter = f"{prefix}_set_num_threads{suffix}"
                if hasattr(handle, getter) and hasattr(handle, setter):
                    self.get = getattr(handle, getter)
                    self.set = getattr(handle, setter)
                    self.set.argtypes = [ctypes.c_int]
                    return

    def threads(self):
        return int(self.get()) if self.get is not None else None


def blas_description():
    blas = np.__config__.CONFIG["Build Dependencies"]["blas"]
    name = f"{blas.get('name')} {blas.get('version')}"
    return name, OpenBLASThreads().threads()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    options = parser.parse_args(argv)
    repeats = 30 if options.quick else 200

    blas, threads = blas_description()
    control = OpenBLASThreads()
    print(f"NumPy {np.__version__}, BLAS {blas}, BLAS threads {threads}, "
          f"{os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"OPENBLAS_NUM_THREADS={os.environ.get('OPENBLAS_NUM_THREADS', 'unset')}, "
          f"load average {os.getloadavg()[0]:.2f}")
    print()

    # 1. MLP training step --------------------------------------------------------------------
    rng = np.random.default_rng(1)
    params = init_mlp()
    X = rng.standard_normal((128, 784))
    Y = np.eye(10)[rng.integers(0, 10, size=128)]
    step = value_and_grad(mlp_loss)

    loss_ad, grads_ad = step(params, X, Y)
    loss_hand, grads_hand = mlp_value_and_grad_by_hand(params, X, Y)
    worst = max(float(np.max(np.abs(ga[k] - gh[k]))) for ga, gh in zip(grads_ad, grads_hand)
                for k in ("W", "b"))
    assert abs(loss_ad - loss_hand) < 1e-12 and worst < 1e-12, (loss_ad, loss_hand, worst)

    print("MLP 784-256-256-10, batch 128, float64, tanh, softmax cross-entropy (one training step)")
    thread_counts = [threads]
    if control.set is not None and threads != 1:
        thread_counts.append(1)
    for n in thread_counts:
        if control.set is not None:
            control.set(n)
        t = interleaved_medians({"hand": lambda: mlp_value_and_grad_by_hand(params, X, Y),
                                 "autodiff": lambda: step(params, X, Y)}, repeats)
        ratio = t["autodiff"] / t["hand"]
        print(f"  BLAS threads: {n}")
        print(f"    hand-written forward+backward  {t['hand'] * 1e3:8.3f} ms (median of {repeats})")
        print(f"    optlib value_and_grad          {t['autodiff'] * 1e3:8.3f} ms")
        print(f"    ratio autodiff / hand          {ratio:8.3f}   (target <= 1.25)")
    if control.set is not None:
        control.set(threads)
    print()

    # 2. Rosenbrock: tracing overhead --------------------------------------------------------------
    x0 = np.array([-1.2, 1.0])
    rosen_grad = grad(rosenbrock)
    contenders = {"optlib": lambda: rosen_grad(x0)}
    try:
        import autograd
        import autograd.numpy as anp

        def rosenbrock_autograd(x):
            return (1.0 - x[0]) ** 2 + 100.0 * (x[1] - x[0] ** 2) ** 2
        autograd_grad = autograd.grad(rosenbrock_autograd)
        assert np.allclose(autograd_grad(x0), rosen_grad(x0))
        contenders["autograd"] = lambda: autograd_grad(x0)
        del anp
    except ImportError:
        pass
    t = interleaved_medians(contenders, repeats, inner=200)
    print("Gradient of 2-D Rosenbrock (tracing overhead dominates)")
    print(f"  optlib grad                    {t['optlib'] * 1e6:8.1f} us per call")
    if "autograd" in t:
        print(f"  HIPS autograd grad             {t['autograd'] * 1e6:8.1f} us per call")
        print(f"  ratio optlib / autograd        {t['optlib'] / t['autograd']:8.3f}   "
              f"(aim <= 0.33)")
    else:
        print("  HIPS autograd: not installed, no comparison")
    print()

    # 3. Hessian-vector product against gradient on the MLP loss ------------------------------------
    v = [{"W": rng.standard_normal(p["W"].shape), "b": rng.standard_normal(p["b"].shape)}
         for p in params]
    loss_of_params = lambda p: mlp_loss(p, X, Y)   # noqa: E731
    grad_of_params = grad(loss_of_params)
    print("Hessian-vector product (forward-over-reverse) on the MLP loss")
    for n in thread_counts:
        if control.set is not None:
            control.set(n)
        t = interleaved_medians({"grad": lambda: grad_of_params(params),
                                 "hvp": lambda: hvp(loss_of_params, params, v)},
                                max(repeats // 2, 10))
        print(f"  BLAS threads: {n}")
        print(f"    grad                           {t['grad'] * 1e3:8.3f} ms")
        print(f"    hvp                            {t['hvp'] * 1e3:8.3f} ms")
        print(f"    ratio hvp / grad               {t['hvp'] / t['grad']:8.3f}   (target <= 4)")
    if control.set is not None:
        control.set(threads)
    print()

    # 4. Peak memory -----------------------------------------------------------------------------
    peak_hand = peak_memory(lambda: mlp_value_and_grad_by_hand(params, X, Y))
    peak_ad = peak_memory(lambda: step(params, X, Y))
    print("Peak memory of one MLP training step (tracemalloc, inputs and parameters excluded)")
    print(f"  hand-written                   {peak_hand / 2**20:8.2f} MiB")
    print(f"  optlib value_and_grad          {peak_ad / 2**20:8.2f} MiB")
    print(f"  ratio                          {peak_ad / peak_hand:8.3f}")


if __name__ == "__main__":
    main()
