"""corrupt_labels: how many labels change, to what, and that the input stays as it was."""
import numpy as np
import pytest

from optlib import data


def test_corrupt_labels_changes_exactly_the_fraction_asked_for_to_wrong_classes():
    y = np.arange(200) % 10
    noisy = data.corrupt_labels(y, 0.3, rng=5)
    assert noisy.dtype == np.int64 and noisy.shape == y.shape
    assert np.sum(noisy != y) == 60
    assert noisy.min() >= 0 and noisy.max() <= 9
    assert np.array_equal(y, np.arange(200) % 10)          # not modified


def test_corrupt_labels_draws_the_wrong_class_uniformly():
    y = np.zeros(30000, dtype=int)
    noisy = data.corrupt_labels(y, 1.0, rng=0, n_classes=4)
    counts = np.bincount(noisy, minlength=4)
    assert counts[0] == 0
    np.testing.assert_allclose(counts[1:] / 30000, 1 / 3, atol=0.01)


def test_corrupt_labels_with_fraction_zero_is_a_copy_and_is_seeded():
    y = np.array([0, 1, 2, 1])
    same = data.corrupt_labels(y, 0.0)
    assert np.array_equal(same, y) and same is not y
    a = data.corrupt_labels(np.arange(50) % 5, 0.5, rng=3)
    b = data.corrupt_labels(np.arange(50) % 5, 0.5, rng=np.random.default_rng(3))
    assert np.array_equal(a, b)


def test_corrupt_labels_checks_its_arguments():
    with pytest.raises(TypeError, match="integer class labels"):
        data.corrupt_labels(np.array([0.0, 1.0]), 0.5)
    with pytest.raises(ValueError, match="fraction"):
        data.corrupt_labels(np.array([0, 1]), 1.5)
    with pytest.raises(ValueError, match="n_classes"):
        data.corrupt_labels(np.array([0, 3]), 0.5, n_classes=3)
    with pytest.raises(ValueError, match="1-D"):
        data.corrupt_labels(np.zeros((2, 2), dtype=int), 0.5)
