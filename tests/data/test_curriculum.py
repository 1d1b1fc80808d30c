"""Curriculum learning: easiest first, a pool that grows at the pace asked for."""
import numpy as np
import pytest

from optlib import data


def test_curriculum_order_sorts_by_difficulty_with_seeded_tie_breaking():
    d = np.array([0.5, 0.1, 0.5, 0.0, 0.5])
    order = data.curriculum_order(d, rng=0)
    assert order[:2].tolist() == [3, 1] and sorted(order[2:]) == [0, 2, 4]
    ties = {tuple(data.curriculum_order(d, rng=s)[2:]) for s in range(10)}
    assert len(ties) > 1


@pytest.mark.parametrize("kind, expected", [
    ("linear", [0.2, 0.6, 1.0, 1.0]),
    ("root", [0.2, np.sqrt(0.04 + 0.96 * 0.5), 1.0, 1.0]),
    ("step", [0.2, 0.6, 1.0, 1.0]),
    ("none", [1.0, 1.0, 1.0, 1.0]),
])
def test_pacing_functions_grow_from_start_to_one(kind, expected):
    g = data.pacing(kind, ramp_steps=10, start=0.2, stages=2)
    np.testing.assert_allclose([g(0), g(5), g(10), g(50)], expected)


def test_step_pacing_is_a_staircase():
    g = data.pacing("step", ramp_steps=8, start=0.2, stages=4)
    assert [g(t) for t in (0, 1, 2, 3, 4)] == pytest.approx([0.2, 0.2, 0.4, 0.4, 0.6], rel=1e-14)


def test_curriculum_batches_come_from_the_easiest_examples_first():
    n = 100
    X, y = np.arange(n, dtype=float)[:, None], np.arange(n)
    difficulty = y.astype(float)                       # example i has difficulty i
    g = data.pacing("linear", ramp_steps=10, start=0.1)
    batches = list(data.curriculum_batches(X, y, difficulty, 5, 15, g, rng=0))
    assert len(batches) == 15
    for t, (Xb, yb) in enumerate(batches):
        assert len(set(yb)) == 5 and yb.max() < np.ceil(g(t) * n)
        np.testing.assert_array_equal(Xb[:, 0], yb)
    late = np.concatenate([yb for _, yb in batches[10:]])
    assert late.max() >= 50


@pytest.mark.parametrize("call, message", [
    (lambda: data.pacing("exponential", 10), r"unknown pacing 'exponential'.*'linear'.*'root'.*'step'.*'none'"),
    (lambda: data.pacing("linear", 10, start=0.0), r"start must lie in \(0, 1\]"),
    (lambda: data.curriculum_batches(np.zeros((4, 1)), np.zeros(4), np.zeros(3), 2, 5,
                                     data.pacing("linear", 5), 0), r"one score per example, shape \(4,\)"),
    (lambda: data.curriculum_batches(np.zeros((4, 1)), np.zeros(4), np.zeros(4), 5, 5,
                                     data.pacing("linear", 5), 0), "batch_size must be between 1"),
    (lambda: data.curriculum_batches(np.zeros((4, 1)), np.zeros(3), np.zeros(4), 2, 5,
                                     data.pacing("linear", 5), 0), "same number of examples"),
])
def test_bad_curriculum_arguments_raise_value_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize("call, message", [
    (lambda: data.pacing(3, 10), "pacing must be a string"),
    (lambda: data.pacing("linear", 10.0), r"ramp_steps must be an integer, got 10\.0"),
    (lambda: data.pacing("linear", 10, start="0.5"), "start must be a real number"),
    (lambda: data.curriculum_order(["easy", "hard"]), "difficulty must be an array of real numbers"),
    (lambda: data.curriculum_batches(np.zeros((4, 1)), np.zeros(4), np.zeros(4), 2, 5, 0.5, 0),
     "pacing_fn must be a step -> fraction function"),
])
def test_curriculum_arguments_of_the_wrong_type_raise_type_error(call, message):
    with pytest.raises(TypeError, match=message):
        call()
