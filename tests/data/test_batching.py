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
    ((X, Y, 2, None), "needs rng"),
    ((X, np.float64(3.0), 2, 0), r"one row per example, got shapes \(10, 2\) and \(\)"),
])
def test_bad_minibatch_arguments_raise_value_error_at_once(args, message):
    with pytest.raises(ValueError, match=message):
        data.minibatches(*args)          # before the first batch is requested


@pytest.mark.parametrize("kwargs, message", [
    (dict(batch_size=2.5), r"batch_size must be an integer, got 2\.5"),
    (dict(shuffle="yes"), "shuffle must be True or False, got 'yes'"),
    (dict(drop_last=1), "drop_last must be True or False, got 1"),
    (dict(rng="seed"), "rng must be a numpy.random.Generator"),
])
def test_minibatch_arguments_of_the_wrong_type_raise_type_error(kwargs, message):
    arguments = {"X": X, "y": Y, "batch_size": 2, "rng": 0, **kwargs}
    with pytest.raises(TypeError, match=message):
        data.minibatches(**arguments)


def test_n_batches_counts_exactly_and_refuses_bad_arguments():
    assert [data.n_batches(n, 4) for n in (0, 1, 4, 5, 8)] == [0, 1, 1, 2, 2]
    assert data.n_batches(2**60 + 1, 2**60) == 2       # float division would round this to 1
    with pytest.raises(ValueError, match="batch_size must be an integer >= 1, got 0"):
        data.n_batches(10, 0)
    with pytest.raises(ValueError, match="n must be an integer >= 0, got -1"):
        data.n_batches(-1, 3)
    with pytest.raises(TypeError, match=r"n must be an integer, got 10\.0"):
        data.n_batches(10.0, 3)


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
    assert sorted(np.concatenate([ya, yb, yc]).tolist()) == sorted(y.tolist())


def test_stratified_split_refuses_nan_labels_instead_of_dropping_those_examples():
    y = np.array([0.0, 1.0, np.nan] * 10)
    with pytest.raises(ValueError, match=r"y is NaN in 10 rows \(the first: \[2, 5, 8, 11, 14\]\)"):
        data.train_val_test_split(np.zeros((30, 1)), y, rng=0, stratify=True)
    # without stratify, NaN targets are data like any other, and every example is kept
    parts = data.train_val_test_split(np.arange(30.0)[:, None], y, rng=0)
    assert sorted(np.concatenate([Xp[:, 0] for Xp, _ in parts]).tolist()) == list(range(30))


def test_stratified_split_of_one_hot_labels_keeps_the_class_proportions():
    classes = np.repeat([0, 1, 2], [50, 30, 20])
    one_hot = np.eye(3)[classes]
    X_all = np.arange(100.0)[:, None]
    parts = data.train_val_test_split(X_all, one_hot, 0.2, 0.2, rng=0, stratify=True)
    counts = [np.bincount(np.argmax(yp, axis=1), minlength=3).tolist() for _, yp in parts]
    assert counts == [[30, 18, 12], [10, 6, 4], [10, 6, 4]]
    for Xp, yp in parts:   # rows stay with their labels
        np.testing.assert_array_equal(yp, one_hot[Xp[:, 0].astype(int)])
    assert sorted(np.concatenate([Xp[:, 0] for Xp, _ in parts]).tolist()) == list(range(100))


def test_stratify_must_be_a_flag():
    with pytest.raises(TypeError, match="stratify must be True or False, got 'yes'"):
        data.train_val_test_split(X, Y, stratify="yes")


@pytest.mark.parametrize("kwargs, message", [
    (dict(val=0.5, test=0.5), "val \\+ test must be below 1"),
    (dict(val=-0.1), r"val must lie in \[0, 1\)"),
])
def test_bad_split_fractions_raise_value_error(kwargs, message):
    with pytest.raises(ValueError, match=message):
        data.train_val_test_split(X, Y, **kwargs)
