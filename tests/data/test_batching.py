"""Splitting and mini-batching: every example once per epoch, seeded, and clear errors."""
import numpy as np
import pytest

from optlib import data

X = np.arange(20.0).reshape(10, 2)
Y = np.arange(10)


def test_an_epoch_of_minibatches_visits_every_example_exactly_once():
    batches = list(data.minibatches(X, Y, 3, np.random.default_rng(0)))
    assert [len(yb) for _, yb in batches] == [3, 3, 3, 1]
    seen = np.concatenate([yb for _, yb in batches])
    assert sorted(seen) == list(range(10)) and not np.array_equal(seen, Y)
    for Xb, yb in batches:
        np.testing.assert_array_equal(Xb, X[yb])
    assert data.n_batches(10, 3) == 4 and data.n_batches(10, 3, drop_last=True) == 3


def test_drop_last_and_no_shuffle():
    assert [len(yb) for _, yb in data.minibatches(X, Y, 3, 0, drop_last=True)] == [3, 3, 3]
    ordered = list(data.minibatches(X, Y, 4, None, shuffle=False))
    np.testing.assert_array_equal(np.concatenate([yb for _, yb in ordered]), Y)


def test_same_seed_same_order_and_successive_epochs_differ():
    rng_a, rng_b = np.random.default_rng(5), np.random.default_rng(5)
    first = [yb for _, yb in data.minibatches(X, Y, 5, rng_a)]
    again = [yb for _, yb in data.minibatches(X, Y, 5, rng_b)]
    np.testing.assert_array_equal(first, again)
    second_epoch = [yb for _, yb in data.minibatches(X, Y, 5, rng_a)]
    assert not np.array_equal(first, second_epoch)


@pytest.mark.parametrize("args, message", [
    ((X, Y[:9], 2, 0), r"same number of examples, got len\(X\) = 10 and len\(y\) = 9"),
    ((X, Y, 0, 0), "batch_size must be an integer >= 1"),
    ((X, Y, 11, 0), r"batch_size must be between 1 and the number of examples \(10\), got 11"),
    ((X, Y, 2.5, 0), "batch_size must be an integer"),
    ((X, Y, 2, None), "needs rng"),
])
def test_bad_minibatch_arguments_raise_value_error_at_once(args, message):
    with pytest.raises(ValueError, match=message):
        data.minibatches(*args)          # before the first batch is requested


def test_split_sizes_are_disjoint_and_cover_the_data():
    Xs, ys = np.arange(100.0)[:, None], np.arange(100)
    (Xa, ya), (Xb, yb), (Xc, yc) = data.train_val_test_split(Xs, ys, val=0.2, test=0.1, rng=0)
    assert (len(ya), len(yb), len(yc)) == (70, 20, 10)
    assert sorted(np.concatenate([ya, yb, yc])) == list(range(100))
    np.testing.assert_array_equal(Xa[:, 0], ya)


def test_stratified_split_keeps_the_class_proportions():
    y = np.repeat([0, 1, 2], [50, 30, 20])
    (_, ya), (_, yb), (_, yc) = data.train_val_test_split(np.zeros((100, 1)), y, 0.2, 0.2, rng=0,
                                                          stratify=True)
    assert np.bincount(yb).tolist() == [10, 6, 4] and np.bincount(yc).tolist() == [10, 6, 4]
    assert np.bincount(ya).tolist() == [30, 18, 12]


@pytest.mark.parametrize("kwargs, message", [
    (dict(val=0.5, test=0.5), "val \\+ test must be below 1"),
    (dict(val=-0.1), r"val must lie in \[0, 1\)"),
])
def test_bad_split_fractions_raise_value_error(kwargs, message):
    with pytest.raises(ValueError, match=message):
        data.train_val_test_split(X, Y, **kwargs)
