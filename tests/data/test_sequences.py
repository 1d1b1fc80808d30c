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


@pytest.mark.parametrize("span, length", [(6, 2), (4, 2), (9, 3)])
def test_copy_task_spanning_writes_each_symbol_span_minus_one_steps_after_reading_it(span, length):
    X, y = data.copy_task_spanning(span, n=20, length=length, n_symbols=4, rng=1)
    T = span + length - 1
    assert X.shape == (20, T, 6) and y.shape == (20, T)
    tokens = X.argmax(axis=2)
    for i in range(length):                       # read at step i, written at i + span - 1
        np.testing.assert_array_equal(y[:, i + span - 1], tokens[:, i])
    assert np.all(tokens[:, span - 2] == 5)       # the delimiter just before the first write
    # the same sequences as copy_task with delay = span - 1 - length
    X2, y2 = data.copy_task(20, delay=span - 1 - length, length=length, n_symbols=4, rng=1)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)


def test_copy_task_spanning_needs_room_for_the_delimiter():
    with pytest.raises(ValueError, match=r"span must be at least length \+ 2 = 4 .*, got 3"):
        data.copy_task_spanning(3, length=2)


def test_writing_mask_marks_the_last_length_steps():
    np.testing.assert_array_equal(data.writing_mask(5, 2), [False, False, False, True, True])
    with pytest.raises(ValueError, match="length"):
        data.writing_mask(3, 4)


def test_recall_accuracy_counts_only_the_written_symbols():
    y = np.array([[0, 0, 0, 2, 3],
                  [0, 0, 0, 1, 4]])
    right = np.eye(5)[y]                          # scores that pick every target
    assert data.recall_accuracy(right, y, 2) == 1.0
    wrong = right.copy()
    wrong[0, 4] = np.eye(5)[1]                    # one of the four written symbols wrong
    wrong[1, 0] = np.eye(5)[3]                    # a blank step wrong: not counted
    assert data.recall_accuracy(wrong, y, 2) == 0.75
    blanks = np.eye(5)[np.zeros_like(y)]          # only blanks: right on 3 of 5 steps, 0 recall
    assert data.recall_accuracy(blanks, y, 2) == 0.0


def test_recall_accuracy_checks_shapes():
    with pytest.raises(ValueError, match="outputs must have shape"):
        data.recall_accuracy(np.zeros((2, 5)), np.zeros((2, 5), dtype=int), 2)
