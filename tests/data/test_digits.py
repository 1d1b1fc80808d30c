"""The handwritten digits ship with the package, with their licence."""
from importlib import resources

import numpy as np
import pytest

from optlib import data


def test_digits_are_1797_images_of_64_pixels_with_labels_0_to_9():
    X, y = data.load_digits()
    assert X.shape == (1797, 64) and X.dtype == np.float64
    assert y.shape == (1797,) and y.dtype == np.int64
    assert np.bincount(y).tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    assert X.min() == 0.0 and X.max() == 1.0


def test_unnormalised_digits_are_pixel_counts_from_0_to_16():
    X, _ = data.load_digits(normalize=False)
    assert set(np.unique(X)) <= set(range(17)) and X.max() == 16
    np.testing.assert_array_equal(X / 16, data.load_digits()[0])
    # the first image is a zero: a ring of ink around an empty centre
    assert X[0].reshape(8, 8)[3:5, 3:5].sum() == 0


def test_normalize_must_be_a_flag():
    with pytest.raises(TypeError, match="normalize must be True or False, got 'no'"):
        data.load_digits(normalize="no")


def test_the_data_file_and_its_licence_are_package_data():
    folder = resources.files("optlib.data")
    assert folder.joinpath("digits.csv.gz").is_file()
    licence = folder.joinpath("DIGITS_LICENSE.txt").read_text()
    assert "CC BY 4.0" in licence and "Alpaydin" in licence and "10.24432/C50P49" in licence
