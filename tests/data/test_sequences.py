"""Sequence tasks: the adding problem and the copy task are what they claim to be."""
import numpy as np
import pytest

from optlib import data


def test_adding_problem_target_is_the_sum_of_the_two_marked_numbers():
    X, y = data.adding_problem(500, length=20, rng=0)
    assert X.shape == (500, 20, 2) and y.shape == (500,)
    markers = X[:, :, 1]
    assert np.all(markers.sum(axis=1) == 2)
    assert np.all(markers[:, :10].sum(axis=1) == 1) and np.all(markers[:, 10:].sum(axis=1) == 1)
    np.testing.assert_allclose(y, np.sum(X[:, :, 0] * markers, axis=1))
    assert np.all((X[:, :, 0] >= 0) & (X[:, :, 0] <= 1))


def test_predicting_one_on_the_adding_problem_has_mse_about_one_sixth():
    _, y = data.adding_problem(20000, length=10, rng=0)
    assert abs(np.mean((y - 1) ** 2) - 1 / 6) < 0.01


def test_copy_task_asks_for_the_symbols_back_after_the_delimiter():
    X, y = data.copy_task(50, delay=7, length=4, n_symbols=5, rng=0)
    T = 2 * 4 + 7
    assert X.shape == (50, T, 7) and y.shape == (50, T)
    np.testing.assert_array_equal(X.sum(axis=2), 1.0)           # one-hot
    tokens = X.argmax(axis=2)
    symbols = tokens[:, :4]
    assert np.all((symbols >= 1) & (symbols <= 5))
    assert np.all(tokens[:, 4:10] == 0) and np.all(tokens[:, 10] == 6) and np.all(tokens[:, 11:] == 0)
    assert np.all(y[:, :11] == 0)
    np.testing.assert_array_equal(y[:, 11:], symbols)


@pytest.mark.parametrize("call, message", [
    (lambda: data.adding_problem(5, length=1), "length must be an integer >= 2"),
    (lambda: data.copy_task(5, delay=0), "delay must be an integer >= 1"),
    (lambda: data.copy_task(0), "n must be an integer >= 1"),
])
def test_bad_sequence_arguments_raise_value_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()
