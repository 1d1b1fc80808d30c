"""Benchmark of optlib.optim: the cost of the functional, pytree-generic ``update``.

Run with ``python benchmarks/optim.py`` (``--quick`` for fewer repetitions).

For every optimizer with its default settings (no finite check), one ``update``
on a 1,000,000-parameter float64 vector is timed against the same rule written
inline in NumPy: the same expressions, also returning new arrays, without the
pytree mapping, the checks of params against grads, or the state dict. Timings
alternate between the two (interleaved, each going first in every other round),
so that slow phases of a shared machine and the memory allocator's state hit
both alike; the script prints the medians and their ratio (target: <= 1.3).
"""
from __future__ import annotations

import argparse
import platform
import statistics
import time

import numpy as np

from optlib import optim

N = 1_000_000


# ---- the same rules, inline: (theta, g, buffers, t) -> (theta, buffers); t counts from 1 -------

def sgd_inline(theta, g, buffers, t, lr=1e-3):
    return theta - lr * g, buffers


def sgd_momentum_inline(theta, g, buffers, t, lr=1e-3, mu=0.9, tau=0.0):
    b = np.copy(g) if t == 1 else mu * buffers[0] + (1 - tau) * g
    return theta - lr * b, (b,)


def adagrad_inline(theta, g, buffers, t, lr=1e-2, lr_decay=0.0, eps=1e-10):
    (s,) = buffers
    clr = lr / (1 + (t - 1) * lr_decay)
    s = s + g * g
    return theta - clr * (g / (np.sqrt(s) + eps)), (s,)


def adadelta_inline(theta, g, buffers, t, lr=1.0, rho=0.9, eps=1e-6):
    v, u = buffers
    v = rho * v + (1 - rho) * g * g
    delta = np.sqrt(u + eps) / np.sqrt(v + eps) * g
    u = rho * u + (1 - rho) * delta * delta
    return theta - lr * delta, (v, u)


def rmsprop_inline(theta, g, buffers, t, lr=1e-2, alpha=0.99, eps=1e-8):
    (v,) = buffers
    v = alpha * v + (1 - alpha) * g * g
    return theta - lr * (g / (np.sqrt(v) + eps)), (v,)


def adam_inline(theta, g, buffers, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m, v = buffers
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g * g
    m_hat = m / (1 - beta1**t)
    v_hat = v / (1 - beta2**t)
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), (m, v)


def adamw_inline(theta, g, buffers, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, wd=1e-2):
    m, v = buffers
    theta = theta * (1 - lr * wd)
    m = beta1 * m + (1 - beta1) * g
    v = beta2 * v + (1 - beta2) * g * g
    m_hat = m / (1 - beta1**t)
    v_hat = v / (1 - beta2**t)
    return theta - lr * m_hat / (np.sqrt(v_hat) + eps), (m, v)


def asgd_inline(theta, g, buffers, t, lr=1e-2, lambd=1e-4, alpha=0.75, t0=1e6):
    (theta_bar,) = buffers
    eta = lr / ((1 + lambd * lr * (t - 1)) ** alpha)
    mu = 1 / max(1, t - 1 - t0)
    theta = theta * (1 - lambd * eta)
    theta = theta - eta * g
    theta_bar = theta_bar + mu * (theta - theta_bar) if mu != 1 else np.copy(theta)
    return theta, (theta_bar,)


CASES = [
    ("SGD", optim.SGD(), sgd_inline, 0),
    ("SGD(momentum=0.9)", optim.SGD(momentum=0.9), sgd_momentum_inline, 1),
    ("Adagrad", optim.Adagrad(), adagrad_inline, 1),
    ("Adadelta", optim.Adadelta(), adadelta_inline, 2),
    ("RMSprop", optim.RMSprop(), rmsprop_inline, 1),
    ("Adam", optim.Adam(), adam_inline, 2),
    ("AdamW", optim.AdamW(), adamw_inline, 2),
    ("ASGD", optim.ASGD(), asgd_inline, 1),
]


def bench(opt, inline, n_buffers, repeats, rng):
    theta = rng.standard_normal(N)
    grads = [rng.standard_normal(N) for _ in range(4)]
    state = opt.init(theta)
    buffers = tuple(np.zeros(N) for _ in range(n_buffers))
    if type(opt).__name__ == "ASGD":
        buffers = (theta.copy(),)
    ours, theirs = [], []
    p_ours, p_inline = theta, theta
    for r in range(repeats + 2):  # the first two rounds warm up
        g, t = grads[r % len(grads)], r + 1
        for who in ((0, 1) if r % 2 == 0 else (1, 0)):  # alternate which one goes first
            start = time.perf_counter()
            if who == 0:
                p_ours, state = opt.update(p_ours, g, state)
            else:
                p_inline, buffers = inline(p_inline, g, buffers, t)
            elapsed = time.perf_counter() - start
            if r >= 2:
                (ours if who == 0 else theirs).append(elapsed)
    assert np.array_equal(p_ours, p_inline), "the inline rule must compute the same iterates"
    return statistics.median(ours), statistics.median(theirs)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    args = parser.parse_args()
    repeats = 9 if args.quick else 41
    rng = np.random.default_rng(0)
    print(f"optlib.optim update vs inline NumPy, {N:,} float64 parameters, median of {repeats} interleaved runs")
    print(f"NumPy {np.__version__}, Python {platform.python_version()}, {platform.machine()}")
    print(f"{'optimizer':20s} {'optlib (ms)':>12s} {'inline (ms)':>12s} {'ratio':>7s}")
    worst = 0.0
    for name, opt, inline, n_buffers in CASES:
        ours, theirs = bench(opt, inline, n_buffers, repeats, rng)
        ratio = ours / theirs
        worst = max(worst, ratio)
        print(f"{name:20s} {1e3 * ours:12.2f} {1e3 * theirs:12.2f} {ratio:7.2f}")
    print(f"largest ratio {worst:.2f} (target <= 1.3): {'met' if worst <= 1.3 else 'NOT met'}")


if __name__ == "__main__":
    main()
