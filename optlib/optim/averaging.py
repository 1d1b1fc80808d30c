"""Averages of the iterates: Polyak(-Ruppert) averaging over all or the last few, and an exponential moving average.

Defined here, taught in the chapter *Polyak averaging* (``chapters/02_training/polyak_averaging``).
"""
from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

from optlib.tree import tree_map

from . import _base


def _as_params(like, value):
    return value if isinstance(like, np.ndarray) else float(value)


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
    :meth:`init`. The state holds ``count`` and either the running ``sum`` or
    the list of the last ``window`` ``iterates`` (copies).

    References
    ----------
    :cite:`polyak1992`, :cite:`ruppert1988`
    """

    window: int | None = None

    def __post_init__(self):
        if self.window is not None and (
            isinstance(self.window, bool) or not isinstance(self.window, numbers.Integral) or self.window < 1
        ):
            raise ValueError(f"window must be a positive int or None, got {self.window!r}")

    def init(self, params) -> dict:
        """State before any iterate: ``count = 0`` and a copy of ``params``."""
        _base.check_params(params)
        if self.window is None:
            return {"count": 0, "sum": _base.zeros_like(params), "start": _base.copy_tree(params)}
        return {"count": 0, "iterates": [], "start": _base.copy_tree(params)}

    def update(self, params, state) -> dict:
        """Add the iterate ``params``; returns the new state."""
        if self.window is None:
            total = tree_map(lambda s, p: s + np.asarray(p, dtype=np.float64), state["sum"], params)
            return {"count": state["count"] + 1, "sum": total, "start": state["start"]}
        iterates = (state["iterates"] + [_base.copy_tree(params)])[-self.window:]
        return {"count": state["count"] + 1, "iterates": iterates, "start": state["start"]}

    def value(self, state):
        """The current average (new arrays; Python-number leaves as floats)."""
        start = state["start"]
        if state["count"] == 0:
            return _base.copy_tree(start)
        if self.window is None:
            n = state["count"]
            return tree_map(lambda s0, s: _as_params(s0, s / n), start, state["sum"])
        iterates = state["iterates"]
        return tree_map(lambda s0, *xs: _as_params(s0, np.mean(np.stack(xs), axis=0)), start, *iterates)


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
    :meth:`init`. The state holds ``count`` and the average ``ema``.

    References
    ----------
    :cite:`polyak1992`, :cite:`izmailov2018`
    """

    decay: float

    def __post_init__(self):
        if not 0.0 <= _base.non_negative("decay", self.decay) <= 1.0:
            raise ValueError(f"decay must lie in [0, 1], got {self.decay!r}")

    def init(self, params) -> dict:
        """State before any iterate: ``count = 0`` and ``ema`` a copy of ``params``."""
        _base.check_params(params)
        return {"count": 0, "ema": _base.copy_tree(params)}

    def update(self, params, state) -> dict:
        """Fold the iterate ``params`` into the average; returns the new state."""
        beta = self.decay
        if state["count"] == 0:
            ema = _base.copy_tree(params)
        else:
            ema = tree_map(lambda e, p: beta * e + (1 - beta) * np.asarray(p, dtype=np.float64),
                           state["ema"], params)
        return {"count": state["count"] + 1, "ema": ema}

    def value(self, state):
        """The current average (a copy)."""
        return _base.copy_tree(state["ema"])
