"""Argument checks shared by :mod:`optlib.nn` and :mod:`optlib.data`: errors that name the problem."""
from __future__ import annotations

import numbers

import numpy as np

__all__ = ["choose", "positive_int", "non_negative", "probability", "as_rng"]


def choose(name: str, value, choices) -> str:
    """``value`` if it is one of ``choices`` (case-insensitive strings), else ValueError listing them."""
    if isinstance(value, str) and value.lower() in choices:
        return value.lower()
    valid = ", ".join(repr(c) for c in choices)
    raise ValueError(f"unknown {name} {value!r}; valid choices are {valid}")


def positive_int(name: str, value, minimum: int = 1) -> int:
    """``value`` as an int, if it is an integer >= ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def non_negative(name: str, value) -> float:
    """``value`` as a float, if it is a finite number >= 0."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not np.isfinite(value) \
            or value < 0:
        raise ValueError(f"{name} must be a non-negative finite number, got {value!r}")
    return float(value)


def probability(name: str, value, open_right: bool = False) -> float:
    """``value`` as a float in [0, 1] (or [0, 1) with ``open_right``)."""
    ok = isinstance(value, numbers.Real) and not isinstance(value, bool) and 0 <= value <= 1
    if ok and open_right and value == 1:
        ok = False
    if not ok:
        interval = "[0, 1)" if open_right else "[0, 1]"
        raise ValueError(f"{name} must lie in {interval}, got {value!r}")
    return float(value)


def as_rng(rng) -> np.random.Generator:
    """A ``np.random.Generator`` from a Generator (used as is) or an int seed."""
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, numbers.Integral) and not isinstance(rng, bool):
        return np.random.default_rng(int(rng))
    raise TypeError(f"rng must be a numpy.random.Generator (np.random.default_rng(seed)) or an "
                    f"int seed, got {type(rng).__name__}")
