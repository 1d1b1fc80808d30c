"""EarlyStopping: patience, min_delta, the best parameters."""
import math

import numpy as np
import pytest

from optlib import optim


def feed(stopper, losses):
    decisions = []
    for k, loss in enumerate(losses):
        decisions.append(stopper.update(loss, {"w": np.array([float(k)])}))
    return decisions


def test_stops_after_patience_calls_without_improvement():
    stopper = optim.EarlyStopping(patience=3)
    assert feed(stopper, [3.0, 2.0, 2.5, 2.1, 2.0]) == [False, False, False, False, True]
    assert stopper.best_loss == 2.0 and stopper.best_step == 1
    assert stopper.best_params["w"][0] == 1.0


def test_min_delta_requires_a_large_enough_improvement():
    stopper = optim.EarlyStopping(patience=2, min_delta=0.1)
    assert feed(stopper, [1.0, 0.95, 0.92]) == [False, False, True]
    assert stopper.best_step == 0


def test_improvement_resets_the_counter():
    stopper = optim.EarlyStopping(patience=2)
    assert feed(stopper, [5, 6, 4, 7, 3, 8, 9]) == [False] * 6 + [True]
    assert stopper.best_step == 4


def test_best_params_is_a_copy_and_restore_best():
    stopper = optim.EarlyStopping(patience=5)
    w = np.array([1.0])
    stopper.update(1.0, {"w": w})
    w[0] = 42.0
    stopper.update(2.0, {"w": w})
    assert stopper.best_params["w"][0] == 1.0 and stopper.params["w"][0] == 1.0
    last = optim.EarlyStopping(patience=5, restore_best=False)
    last.update(1.0, {"w": np.array([1.0])})
    last.update(2.0, {"w": np.array([2.0])})
    assert last.params["w"][0] == 2.0


def test_a_diverged_loss_stops_at_once():
    stopper = optim.EarlyStopping(patience=10)
    assert feed(stopper, [1.0, math.nan]) == [False, True]
    assert stopper.best_loss == 1.0


def test_validation():
    with pytest.raises(ValueError, match="patience must be a non-negative int, got -1"):
        optim.EarlyStopping(patience=-1)
    with pytest.raises(ValueError, match=r"min_delta must be a non-negative finite number, got -0\.5"):
        optim.EarlyStopping(min_delta=-0.5)
