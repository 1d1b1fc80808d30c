"""Averages of the iterates: Polyak(-Ruppert) averaging over all or the last few; an exponential moving average.

Defined here, taught in :chapter:`02_training/polyak_averaging`.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from optlib import _checks
from optlib.tree import tree_copy, tree_flatten, tree_map

from . import _base


def _check_iterate(params, reference, reference_name: str) -> None:
    """ValueError unless ``params`` is real and shaped leaf for leaf like ``reference`` (naming the leaf)."""
    leaves, treedef = tree_flatten(reference)
    _base.flatten_like(params, "params", leaves, treedef, reference, reference_name)


@dataclass(frozen=True)
class PolyakAverage:
    r"""Mean of the iterates passed to :meth:`update`: all of them, or the last ``window``.

    Parameters
    ----------
    window : int, optional
        Average only the last ``window`` iterates; None (default) averages all.

    Notes
    -----
    After iterates :math:`\theta_1, \dots, \theta_n` have been passed to :meth:`update`,

    .. math::

        \bar\theta_n = \frac{1}{n} \sum_{i=1}^{n} \theta_i
        \quad\text{or}\quad
        \bar\theta_n = \frac{1}{w} \sum_{i=n-w+1}^{n} \theta_i \quad (n \ge w).

    Before the first update :meth:`value` returns the parameters given to
    :meth:`init`. The state holds ``count``, the starting parameters ``start``
    and either the running ``sum`` or the list of the last ``window``
    ``iterates`` (copies). Every iterate must have the structure and shapes of
    the starting parameters (ValueError naming the leaf otherwise).

    References
    ----------
    :cite:`polyak1992`, :cite:`ruppert1988`
    """

    window: int | None = None

    def __post_init__(self):
        if self.window is not None:
            _checks.integer("window", self.window, minimum=1)

    def init(self, params) -> dict:
        """State before any iterate: ``count = 0`` and a copy of ``params``."""
        _base.check_params(params)
        if self.window is None:
            return {"count": 0, "sum": _base.full_like(params), "start": tree_copy(params)}
        return {"count": 0, "iterates": [], "start": tree_copy(params)}

    def update(self, params, state) -> dict:
        """Add the iterate ``params``; returns the new state."""
        keys = ("sum", "start") if self.window is None else ("iterates", "start")
        count = _base.check_state(state, keys, "PolyakAverage", counter="count")
        _check_iterate(params, state["start"], "state['start']")
        if self.window is None:
            total = tree_map(lambda s, p: s + np.asarray(p, dtype=np.float64), state["sum"], params)
            return {"count": count + 1, "sum": total, "start": state["start"]}
        iterates = (state["iterates"] + [tree_copy(params)])[-self.window:]
        return {"count": count + 1, "iterates": iterates, "start": state["start"]}

    def value(self, state):
        """The current average (new arrays; Python-number leaves as floats)."""
        start = state["start"]
        if state["count"] == 0:
            return tree_copy(start)
        if self.window is None:
            n = state["count"]
            return tree_map(lambda s0, s: _base.like(s0, s / n), start, state["sum"])
        iterates = state["iterates"]
        return tree_map(lambda s0, *xs: _base.like(s0, np.mean(np.stack(xs), axis=0)), start, *iterates)


@dataclass(frozen=True)
class ExponentialMovingAverage:
    r"""Exponential moving average of the iterates passed to :meth:`update`.

    Parameters
    ----------
    decay : float
        :math:`\beta \in [0, 1]`: the weight of the old average.

    Notes
    -----
    As ``torch.optim.swa_utils`` (``get_ema_multi_avg_fn``): the first iterate
    is copied, then

    .. math::

        \bar\theta_n = \beta \bar\theta_{n-1} + (1 - \beta) \theta_n .

    Before the first update :meth:`value` returns the parameters given to
    :meth:`init`. The state holds ``count`` and the average ``ema``. Every
    iterate must have the structure and shapes of the average (ValueError
    naming the leaf otherwise).

    References
    ----------
    :cite:`polyak1992`, :cite:`izmailov2018`
    """

    decay: float

    def __post_init__(self):
        _checks.in_interval("decay", self.decay, 0.0, 1.0)

    def init(self, params) -> dict:
        """State before any iterate: ``count = 0`` and ``ema`` a copy of ``params``."""
        _base.check_params(params)
        return {"count": 0, "ema": tree_copy(params)}

    def update(self, params, state) -> dict:
        """Fold the iterate ``params`` into the average; returns the new state."""
        count = _base.check_state(state, ("ema",), "ExponentialMovingAverage", counter="count")
        _check_iterate(params, state["ema"], "state['ema']")
        beta = self.decay
        if count == 0:
            ema = tree_copy(params)
        else:
            ema = tree_map(lambda e, p: _base.like(p, beta * e + (1 - beta) * np.asarray(p, np.float64)),
                           state["ema"], params)
        return {"count": count + 1, "ema": ema}

    def value(self, state):
        """The current average (a copy)."""
        return tree_copy(state["ema"])
