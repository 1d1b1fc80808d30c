"""Curriculum learning: present easy examples first, then let the harder ones in at a set pace.

Defined here, taught in :chapter:`02_training/curriculum_learning`.

A curriculum has two parts: a *difficulty score* per example (yours to choose:
the distance to the decision boundary, the noise level, the sequence length, the
loss of a reference model) and a *pacing function* :math:`g(t) \\in (0, 1]`, the
fraction of the data, easiest first, from which the batch of step :math:`t` is drawn.
"""
from __future__ import annotations

import math

import numpy as np

from optlib import _checks
from optlib.data.batching import _examples

__all__ = ["curriculum_order", "pacing", "curriculum_batches", "PACINGS"]

PACINGS = ("linear", "root", "step", "none")


def curriculum_order(difficulty, rng=0):
    """Indices of the examples from easiest (lowest score) to hardest; ties in random order.

    >>> curriculum_order([0.3, 0.1, 0.2]).tolist()
    [1, 2, 0]
    """
    difficulty = _checks.real_array("difficulty", difficulty, ndim=1, finite=True, copy=False)
    tie_break = _checks.rng(rng).permutation(len(difficulty))
    return np.lexsort((tie_break, difficulty))


def pacing(kind, ramp_steps, start=0.2, stages=4):
    r"""A pacing function :math:`g(t)`: the fraction of the data (easiest first) available at step :math:`t`.

    Parameters
    ----------
    kind : {"linear", "root", "step", "none"}
        How :math:`g` grows from ``start`` at :math:`t = 0` to 1 at :math:`t = \text{ramp\_steps}`
        (and stays 1 after): ``"none"`` is no curriculum, :math:`g \equiv 1`.
    ramp_steps : int
        Steps until the whole data set is in use.
    start : float, default 0.2
        Initial fraction :math:`g_0 \in (0, 1]`.
    stages : int, default 4
        Number of equal increments of the ``"step"`` pacing.

    Returns
    -------
    callable
        ``g(t)`` for an int step :math:`t \ge 0`.

    Notes
    -----
    With :math:`s = \min(t / \text{ramp\_steps}, 1)`:

    .. math::

        g_\text{linear} = g_0 + (1 - g_0)\,s, \qquad
        g_\text{root} = \sqrt{g_0^2 + (1 - g_0^2)\,s}, \qquad
        g_\text{step} = g_0 + (1 - g_0)\,\lfloor \text{stages}\cdot s \rfloor / \text{stages}.

    The root pacing adds new examples fast at first and slowly later, since
    each new example then makes a smaller share of the pool.

    References
    ----------
    :cite:`bengio2009`; pacing functions :cite:`hacohen2019`.
    """
    kind = _checks.choice("pacing", kind, PACINGS)
    ramp_steps = _checks.integer("ramp_steps", ramp_steps, minimum=1)
    g0 = _checks.in_interval("start", start, 0.0, 1.0, closed="right",
                             meaning="(the first batches need some examples)")
    stages = _checks.integer("stages", stages, minimum=1)

    def g(t):
        s = min(max(t, 0) / ramp_steps, 1.0)
        if kind == "none":
            return 1.0
        if kind == "linear":
            return g0 + (1 - g0) * s
        if kind == "root":
            return math.sqrt(g0 * g0 + (1 - g0 * g0) * s)
        return g0 + (1 - g0) * math.floor(stages * s) / stages
    g.__name__ = f"pacing_{kind}"
    return g


def curriculum_batches(X, y, difficulty, batch_size, steps, pacing_fn, rng):
    r"""Mini-batches for ``steps`` updates, step :math:`t` drawing from the easiest :math:`\lceil g(t)\,n \rceil` examples.

    Parameters
    ----------
    X, y : arrays with the same number of rows :math:`n`
    difficulty : array of shape (n,)
        Lower is easier.
    batch_size : int
        Between 1 and :math:`n`.
    steps : int
        Number of batches to produce.
    pacing_fn : callable
        :math:`g(t) \in (0, 1]`, e.g. from :func:`pacing`.
    rng : Generator or int
        Draws the tie-breaking order and the batches.

    Returns
    -------
    iterator of (X_batch, y_batch)
        Each batch is drawn without replacement, uniformly from the pool of
        the :math:`\max(B, \lceil g(t)\,n \rceil)` easiest examples.

    References
    ----------
    :cite:`bengio2009`, :cite:`hacohen2019`
    """
    X, y = _examples(X, y)
    n = len(y)
    difficulty = _checks.real_array("difficulty", difficulty, copy=False)
    if difficulty.shape != (n,):
        raise ValueError(f"difficulty must have one score per example, shape ({n},), got "
                         f"{difficulty.shape}")
    batch_size = _checks.integer("batch_size", batch_size, minimum=1)
    if batch_size > n:
        raise ValueError(f"batch_size must be between 1 and the number of examples ({n}), "
                         f"got {batch_size}")
    steps = _checks.integer("steps", steps, minimum=0)
    _checks.function("pacing_fn", pacing_fn, "a step -> fraction function, e.g. pacing('linear', 100)")
    rng = _checks.rng(rng)
    order = curriculum_order(difficulty, rng)
    return _curriculum(X, y, order, batch_size, steps, pacing_fn, rng)


def _curriculum(X, y, order, batch_size, steps, pacing_fn, rng):
    n = len(order)
    for t in range(steps):
        fraction = float(pacing_fn(t))
        if not 0 < fraction <= 1:
            raise ValueError(f"the pacing function must return a fraction in (0, 1], got "
                             f"{fraction} at step {t}")
        pool = max(batch_size, math.ceil(fraction * n))
        idx = order[rng.choice(pool, size=batch_size, replace=False)]
        yield X[idx], y[idx]
