"""Run an optimizer for a number of steps and record what the chapters plot.

Defined here, used by most chapters of parts 2 and 4 to draw paths and loss curves, from
:chapter:`02_training/learning_rate` on; the race of :chapter:`04_first_order/optimizers` runs on it.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from optlib import _checks
from optlib.tree import tree_copy

from .clip import global_norm


@dataclass
class History:
    """What :func:`run` recorded.

    Attributes
    ----------
    params : ndarray or list of pytrees
        The path :math:`\\theta_0, \\theta_1, \\dots`: a stacked array of shape
        ``(n + 1,) + params.shape`` when the parameters are one array, else a
        list of ``n + 1`` pytrees (``n`` updates made). Each entry is a copy.
    losses : ndarray, shape (m,)
        ``losses[k]`` is the loss at ``params[k]``.
    lrs : ndarray, shape (m,)
        The (scheduled) learning rate of update ``k``, as the optimizer's
        ``next_lr(state)`` gives it (nan for an optimizer without that method).
    grad_norms : ndarray, shape (m,)
        Global L2 norm of the gradient at ``params[k]``.
    state : dict
        The optimizer state after the last update.
    stopped_early : bool
        True when the callback asked to stop; then ``m = n + 1`` (the last
        point was evaluated, not updated), else ``m = n``.
    """

    params: Any
    losses: np.ndarray
    lrs: np.ndarray
    grad_norms: np.ndarray
    state: dict = field(default_factory=dict)
    stopped_early: bool = False


def run(opt, value_and_grad_fn: Callable, params, steps: int, callback: Callable | None = None) -> History:
    """Run ``steps`` updates of ``opt`` from ``params`` and record the path.

    Parameters
    ----------
    opt : optimizer
        Any optimizer of :mod:`optlib.optim` with ``init`` and ``update(params, grads, state)``
        (not :class:`NaturalGradient`, whose update also needs the Fisher matrix), or
        your own with these methods; ``next_lr(state)``, when it has it, gives the
        learning rates recorded in :attr:`History.lrs`.
    value_and_grad_fn : callable
        ``params -> (loss, grads)``, e.g. ``optlib.autodiff.value_and_grad(f)``.
    params : pytree
        Starting point :math:`\\theta_0` (not modified).
    steps : int
        Number of updates, >= 0.
    callback : callable, optional
        ``callback(k, params, loss)`` is called before update ``k`` with the
        current parameters and their loss; if it returns True the run stops
        there, without that update (e.g. with :class:`EarlyStopping`).

    Returns
    -------
    History

    Raises
    ------
    ValueError
        On the first non-finite loss, naming the step; for a negative ``steps``.
    TypeError
        For a ``steps`` that is not an integer, a loss that is not a real number.
    """
    steps = _checks.integer("steps", steps, minimum=0)
    _checks.function("value_and_grad_fn", value_and_grad_fn)
    if callback is not None:
        _checks.function("callback", callback)
    next_lr = getattr(opt, "next_lr", lambda state: math.nan)
    single_array = isinstance(params, np.ndarray)
    state = opt.init(params)
    path = [tree_copy(params)]
    losses, lrs, grad_norms = [], [], []
    stopped = False
    for k in range(steps):
        loss, grads = value_and_grad_fn(params)
        loss = _checks.real("the loss", loss, finite=False)
        if not math.isfinite(loss):
            raise ValueError(f"run: the loss is {loss} at step {k} (before update {k}, counting from 0)")
        losses.append(loss)
        lrs.append(next_lr(state))
        grad_norms.append(global_norm(grads))
        if callback is not None and callback(k, params, loss):
            stopped = True
            break
        params, state = opt.update(params, grads, state)
        path.append(tree_copy(params))
    return History(
        params=np.stack(path) if single_array else path,
        losses=np.array(losses, dtype=np.float64),
        lrs=np.array(lrs, dtype=np.float64),
        grad_norms=np.array(grad_norms, dtype=np.float64),
        state=state,
        stopped_early=stopped,
    )

