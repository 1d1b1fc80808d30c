"""The 8x8 handwritten digits: a small real data set that ships with optlib (no download).

Defined here, used in :chapter:`02_training/epoch`, :chapter:`02_training/early_stopping` and
:chapter:`02_training/end_to_end`.

The file ``digits.csv.gz`` next to this module holds the 1797 images of the test
partition of the UCI "Optical Recognition of Handwritten Digits" data (E.
Alpaydin and C. Kaynak, 1998), licensed CC BY 4.0; see ``DIGITS_LICENSE.txt``.
"""
from __future__ import annotations

import gzip
from importlib import resources

import numpy as np

from optlib import _checks

__all__ = ["load_digits", "DIGITS_FILE"]

DIGITS_FILE = "digits.csv.gz"


def load_digits(normalize=True):
    r"""The 1797 handwritten digits as 64 pixel features each, with their labels.

    Parameters
    ----------
    normalize : bool, default True
        Divide the pixel counts (0 .. 16) by 16, so the features lie in [0, 1].

    Returns
    -------
    X : ndarray of shape (1797, 64), float64
        Row :math:`i` is image :math:`i`, row by row (``X[i].reshape(8, 8)`` to draw it).
    y : ndarray of shape (1797,), int64
        The digit, 0 .. 9 (about 180 of each).

    Notes
    -----
    Each pixel counts the "on" pixels of a 4x4 block of a normalised 32x32
    bitmap. The images were written by 13 people. A small MLP reaches about
    97% accuracy on held-out images.

    References
    ----------
    :cite:`alpaydin1998`
    """
    normalize = _checks.flag("normalize", normalize)
    with resources.files("optlib.data").joinpath(DIGITS_FILE).open("rb") as raw:
        with gzip.open(raw, "rt") as text:
            table = np.loadtxt(text, delimiter=",", dtype=np.int64)
    X = table[:, :64].astype(np.float64)
    y = table[:, 64].copy()
    return (X / 16.0 if normalize else X), y
