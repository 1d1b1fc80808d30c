"""Argument checks for the whole library: one rule for what an error says and which type it has.

A value of the wrong *type* (a string where a number belongs, a float where an
integer belongs, a complex number, an object that is not callable) raises
``TypeError``; a value of the right type that is out of range (a negative
learning rate, a probability above 1, an array of the wrong shape, a NaN)
raises ``ValueError``. Every message names the argument, says what was
expected and shows what was given: ``lr must be a non-negative finite number,
got -0.1``.

Each function returns the checked value in the form the caller works with
(a Python ``float`` or ``int``, a float64 array), so a check and its
conversion are one line in the caller.
"""
from __future__ import annotations

import math
import numbers

import numpy as np

__all__ = ["real", "non_negative", "positive", "in_interval", "probability", "integer", "flag",
           "choice", "function", "rng", "real_array"]


def _describe(value) -> str:
    text = repr(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f"{text} ({type(value).__name__})"


def real(name: str, value, finite: bool = True) -> float:
    """``value`` as a Python float: a real number (a 0-d real array is accepted too).

    TypeError for a bool, a complex number, a string or any other non-number;
    ValueError for NaN or infinity unless ``finite=False``.
    """
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf":
        value = value.item()
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {_describe(value)}")
    x = float(value)
    if finite and not math.isfinite(x):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    return x


def non_negative(name: str, value) -> float:
    """``value`` as a float, if it is a finite real number >= 0."""
    x = real(name, value, finite=False)
    if not (math.isfinite(x) and x >= 0):
        raise ValueError(f"{name} must be a non-negative finite number, got {value!r}")
    return x


def positive(name: str, value) -> float:
    """``value`` as a float, if it is a finite real number > 0."""
    x = real(name, value, finite=False)
    if not (math.isfinite(x) and x > 0):
        raise ValueError(f"{name} must be a positive finite number, got {value!r}")
    return x


def in_interval(name: str, value, low: float, high: float, closed: str = "both", meaning: str = "") -> float:
    """``value`` as a float in the interval from ``low`` to ``high``.

    ``closed`` says which ends belong to it: ``"both"``, ``"left"``, ``"right"``
    or ``"neither"``. ``meaning`` is appended to the message (e.g. ``"(a decay
    factor)"``).
    """
    x = real(name, value, finite=False)
    left = x >= low if closed in ("both", "left") else x > low
    right = x <= high if closed in ("both", "right") else x < high
    if not (left and right and not math.isnan(x)):
        opening = "[" if closed in ("both", "left") else "("
        closing = "]" if closed in ("both", "right") else ")"
        suffix = f" {meaning}" if meaning else ""
        raise ValueError(f"{name} must lie in {opening}{low:g}, {high:g}{closing}{suffix}, got {value!r}")
    return x


def probability(name: str, value, open_right: bool = False) -> float:
    """``value`` as a float in [0, 1] (or [0, 1) with ``open_right``)."""
    return in_interval(name, value, 0.0, 1.0, closed="left" if open_right else "both")


def integer(name: str, value, minimum: int | None = None, maximum: int | None = None) -> int:
    """``value`` as a Python int: an integer (not a bool, not a float such as 2.0) within the bounds."""
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iu":
        value = value.item()
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {_describe(value)}")
    n = int(value)
    if (minimum is not None and n < minimum) or (maximum is not None and n > maximum):
        if maximum is None:
            expected = f">= {minimum}"
        elif minimum is None:
            expected = f"<= {maximum}"
        else:
            expected = f"in [{minimum}, {maximum}]"
        raise ValueError(f"{name} must be an integer {expected}, got {n}")
    return n


def flag(name: str, value) -> bool:
    """``value`` as a bool, if it is True or False (not 0, 1 or a string)."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {_describe(value)}")
    return bool(value)


def choice(name: str, value, choices) -> str:
    """``value`` lower-cased, if it is one of the strings ``choices`` (compared case-insensitively)."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, one of {', '.join(repr(c) for c in choices)}; "
                        f"got {_describe(value)}")
    if value.lower() not in choices:
        raise ValueError(f"unknown {name} {value!r}; valid choices are {', '.join(repr(c) for c in choices)}")
    return value.lower()


def function(name: str, value, what: str = "a function"):
    """``value``, if it is callable."""
    if not callable(value):
        raise TypeError(f"{name} must be {what} (a callable), got {_describe(value)}")
    return value


def rng(value, name: str = "rng") -> np.random.Generator:
    """A ``np.random.Generator`` from a Generator (used as is) or a non-negative int seed."""
    if isinstance(value, np.random.Generator):
        return value
    seed = integer(name, value, minimum=0) if isinstance(value, numbers.Integral) else None
    if seed is None:
        raise TypeError(f"{name} must be a numpy.random.Generator (np.random.default_rng(seed)) or an "
                        f"int seed, got {_describe(value)}")
    return np.random.default_rng(seed)


def real_array(name: str, value, ndim: int | None = None, shape: tuple | None = None,
               finite: bool = False, copy: bool = True) -> np.ndarray:
    """``value`` as a float64 array (a copy unless ``copy=False``).

    TypeError for strings, objects and bools; ValueError for complex values
    (their imaginary part would be dropped silently), a wrong ``ndim`` or
    ``shape``, and, with ``finite=True``, NaN or infinity.
    """
    array = np.asarray(value)
    if array.dtype.kind == "c" or isinstance(value, complex):
        raise ValueError(f"{name} must be real, got complex values (dtype {array.dtype}); "
                         f"pass the real part explicitly if that is what you mean")
    if array.dtype.kind not in "iuf":
        raise TypeError(f"{name} must be an array of real numbers, got {_describe(value)} "
                        f"(dtype {array.dtype})")
    array = np.array(array, dtype=np.float64, copy=True) if copy else array.astype(np.float64, copy=False)
    if ndim is not None and array.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-D array, got shape {array.shape}")
    if shape is not None and array.shape != tuple(shape):
        raise ValueError(f"{name} must have shape {tuple(shape)}, got shape {array.shape}")
    if finite and not np.all(np.isfinite(array)):
        bad = array[~np.isfinite(array)].ravel()[0]
        raise ValueError(f"{name} must hold finite values only, got {bad} among them")
    return array
