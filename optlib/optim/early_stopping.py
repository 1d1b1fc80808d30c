"""Early stopping: stop when the validation loss has not improved for a while, keep the best parameters.

Defined here, taught in :chapter:`02_training/early_stopping`.
"""
from __future__ import annotations

import math

from optlib import _checks
from optlib.tree import tree_copy


class EarlyStopping:
    r"""Watch a validation loss and say when to stop.

    Parameters
    ----------
    patience : int, default 10
        How many consecutive calls without improvement are tolerated: the
        next one stops. With 0, the first call that does not improve stops;
        a call that improves never does.
    min_delta : float, default 0.0
        An improvement must lower the best loss by more than ``min_delta``.
    restore_best : bool, default True
        :attr:`params` gives the best parameters (True) or the last ones seen (False).

    Attributes
    ----------
    best_loss : float
        Lowest validation loss seen (``inf`` before the first call).
    best_params : pytree or None
        A copy of the parameters at which ``best_loss`` was seen.
    best_step : int or None
        Index (counting calls to :meth:`update` from 0) of that call.
    step : int
        Number of calls to :meth:`update` so far.
    stopped : bool
        Whether :meth:`update` has returned True.

    Notes
    -----
    Call ``k`` (from 0) with loss :math:`L_k` counts as an improvement when
    :math:`L_k < L^* - \delta`, with :math:`L^*` the best loss so far and
    :math:`\delta` = ``min_delta``; it then becomes the new best. With
    :math:`w` the number of calls in a row without improvement (0 after an
    improvement), :meth:`update` returns True when :math:`w > p`, :math:`p` =
    ``patience``, and at once for a nan or infinite loss (training has
    diverged). This object is stateful, unlike the optimizers: make a new one
    for a new run.

    References
    ----------
    :cite:`prechelt1998`
    """

    def __init__(self, patience: int = 10, min_delta: float = 0.0, restore_best: bool = True):
        self.patience = _checks.integer("patience", patience, minimum=0)
        self.min_delta = _checks.non_negative("min_delta", min_delta)
        self.restore_best = _checks.flag("restore_best", restore_best)
        self.best_loss = math.inf
        self.best_params = None
        self.best_step = None
        self.step = 0
        self.stopped = False
        self._wait = 0
        self._last_params = None

    def update(self, val_loss, params) -> bool:
        """Record the validation loss of ``params``; True means: stop training now."""
        loss = _checks.real("val_loss", val_loss, finite=False)
        k, self.step = self.step, self.step + 1
        self._last_params = tree_copy(params)
        if not math.isfinite(loss):
            self.stopped = True
            return True
        if loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_params, self.best_step = loss, self._last_params, k
            self._wait = 0
        else:
            self._wait += 1
        self.stopped = self._wait > self.patience
        return self.stopped

    @property
    def params(self):
        """The parameters to keep: the best ones with ``restore_best``, else the last ones seen."""
        return self.best_params if self.restore_best else self._last_params

    def __repr__(self) -> str:
        return (f"EarlyStopping(patience={self.patience}, min_delta={self.min_delta}, "
                f"restore_best={self.restore_best}; best_loss={self.best_loss}, best_step={self.best_step})")

