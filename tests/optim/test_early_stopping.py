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


def test_patience_non_improving_calls_are_tolerated_and_the_next_one_stops():
    stopper = optim.EarlyStopping(patience=3)
    # improvements at calls 0 and 1; calls 2, 3, 4 are tolerated, call 5 is the fourth without one
    assert feed(stopper, [3.0, 2.0, 2.5, 2.1, 2.0, 2.2]) == [False] * 5 + [True]
    assert stopper.best_loss == 2.0 and stopper.best_step == 1
    assert stopper.best_params["w"][0] == 1.0


def test_patience_zero_stops_on_the_first_call_without_improvement_and_never_on_an_improving_one():
    stopper = optim.EarlyStopping(patience=0)
    assert feed(stopper, [3.0, 2.0, 1.0, 0.5]) == [False] * 4
    assert stopper.update(0.7, {"w": np.zeros(1)}) is True
    assert stopper.best_loss == 0.5 and stopper.best_step == 3


def test_patience_one_tolerates_exactly_one_call_without_improvement():
    stopper = optim.EarlyStopping(patience=1)
    assert feed(stopper, [3.0, 3.5, 2.0, 2.5, 2.6]) == [False, False, False, False, True]


def test_min_delta_requires_a_large_enough_improvement():
    stopper = optim.EarlyStopping(patience=2, min_delta=0.1)
    # 0.95, 0.92 and 0.91 are within 0.1 of the best loss 1.0: no improvement
    assert feed(stopper, [1.0, 0.95, 0.92, 0.91]) == [False, False, False, True]
    assert stopper.best_step == 0


def test_improvement_resets_the_counter():
    stopper = optim.EarlyStopping(patience=2)
    # calls without improvement in a row: 0, 1, 0, 1, 0, 1, 2, 3
    assert feed(stopper, [5, 6, 4, 7, 3, 8, 9, 10]) == [False] * 7 + [True]
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
    with pytest.raises(ValueError, match="patience must be an integer >= 0, got -1"):
        optim.EarlyStopping(patience=-1)
    with pytest.raises(TypeError, match=r"patience must be an integer, got 2\.0"):
        optim.EarlyStopping(patience=2.0)
    with pytest.raises(ValueError, match=r"min_delta must be a non-negative finite number, got -0\.5"):
        optim.EarlyStopping(min_delta=-0.5)
    with pytest.raises(TypeError, match="restore_best must be True or False, got 1"):
        optim.EarlyStopping(restore_best=1)
    with pytest.raises(TypeError, match="val_loss must be a real number"):
        optim.EarlyStopping().update("0.5", {"w": np.zeros(1)})
