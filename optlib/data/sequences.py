"""Sequence tasks with a long-range dependency of chosen length: the adding problem and the copy task.

Defined here, used in :chapter:`01_differentiation/bptt`,
:chapter:`03_landscape/vanishing_gradients` and :chapter:`03_landscape/exploding_gradients`.

Sequences are arrays of shape ``(n, T, features)``, as :class:`optlib.nn.RNN` expects.
"""
from __future__ import annotations

import numpy as np

from optlib import _checks

__all__ = ["adding_problem", "copy_task", "copy_task_spanning", "writing_mask", "recall_accuracy"]


def adding_problem(n=256, length=50, rng=0):
    r"""The adding problem: output the sum of the two marked numbers of a long sequence.

    Parameters
    ----------
    n : int
        Number of sequences.
    length : int, default 50
        Sequence length :math:`T \ge 2`; the two marked numbers are on average
        about :math:`T/2` steps apart, and the first is at least :math:`T/2`
        steps before the end.
    rng : Generator or int

    Returns
    -------
    X : ndarray of shape (n, T, 2)
        Channel 0: numbers drawn from :math:`\mathcal U[0, 1]`; channel 1: the
        markers, 1 at one step of the first half and one of the second half, 0
        elsewhere.
    y : ndarray of shape (n,)
        The sum of the two marked numbers.

    Notes
    -----
    Always predicting 1 (the mean target) gives a mean squared error of 1/6;
    a model that does better must carry a number across about :math:`T/2` steps.

    References
    ----------
    :cite:`hochreiter1997` (a simplified version of its task); a test of RNN training in
    :cite:`martens2011`.
    """
    n = _checks.integer("n", n, minimum=1)
    T = _checks.integer("length", length, minimum=2)
    rng = _checks.rng(rng)
    values = rng.uniform(0.0, 1.0, size=(n, T))
    half = T // 2
    first = rng.integers(0, half, size=n)
    second = rng.integers(half, T, size=n)
    markers = np.zeros((n, T))
    rows = np.arange(n)
    markers[rows, first] = 1.0
    markers[rows, second] = 1.0
    X = np.stack([values, markers], axis=2)
    y = values[rows, first] + values[rows, second]
    return X, y


def copy_task(n=256, delay=20, length=10, n_symbols=8, rng=0):
    r"""The copy task: read a few symbols, wait, and write them back after a delimiter.

    Parameters
    ----------
    n : int
        Number of sequences.
    delay : int, default 20
        Number of steps between the end of the symbols and the delimiter, plus one.
        Each symbol is written back :math:`\text{delay} + \text{length}` steps
        after it is read, so its dependency spans
        :math:`L = \text{delay} + \text{length} + 1` steps, the step that reads
        and the step that writes both counted (:func:`copy_task_spanning` takes
        :math:`L` itself).
    length : int, default 10
        Number of symbols to remember.
    n_symbols : int, default 8
        Alphabet size.
    rng : Generator or int

    Returns
    -------
    X : ndarray of shape (n, T, n_symbols + 2), one-hot, :math:`T = 2\,\text{length} + \text{delay}`
        Category 0 is the blank, 1 .. n_symbols the symbols, n_symbols + 1 the delimiter.
        Each sequence is: ``length`` random symbols, ``delay - 1`` blanks, the
        delimiter, ``length`` blanks.
    y : ndarray of shape (n, T), int64 in 0 .. n_symbols
        Blank (0) for the first ``length + delay`` steps, then the symbols in
        the order they were read.

    Notes
    -----
    A network that only outputs blanks and then guesses uniformly reaches a
    mean cross-entropy of :math:`\text{length} \cdot \log(\text{n\_symbols}) / T`
    per step; doing better means remembering the symbols across the delay.

    References
    ----------
    :cite:`hochreiter1997`
    """
    n = _checks.integer("n", n, minimum=1)
    delay = _checks.integer("delay", delay, minimum=1)
    length = _checks.integer("length", length, minimum=1)
    n_symbols = _checks.integer("n_symbols", n_symbols, minimum=1)
    rng = _checks.rng(rng)
    T = 2 * length + delay
    symbols = rng.integers(1, n_symbols + 1, size=(n, length))
    tokens = np.zeros((n, T), dtype=np.int64)
    tokens[:, :length] = symbols
    tokens[:, length + delay - 1] = n_symbols + 1
    y = np.zeros((n, T), dtype=np.int64)
    y[:, length + delay:] = symbols
    X = np.eye(n_symbols + 2)[tokens]
    return X, y


def copy_task_spanning(span, n=256, length=10, n_symbols=8, rng=0):
    r"""The copy task (:func:`copy_task`) with every dependency spanning ``span`` steps.

    Parameters
    ----------
    span : int
        :math:`L \ge \text{length} + 2`: the symbol read at step :math:`i` is
        written back at step :math:`i + L - 1` (steps numbered from 0), both
        steps counted in :math:`L`. The sequences have
        :math:`T = L + \text{length} - 1` steps.
    n, length, n_symbols, rng
        As for :func:`copy_task`, which this calls with
        :math:`\text{delay} = L - 1 - \text{length}`.

    Returns
    -------
    X, y
        As :func:`copy_task` returns them.

    Used in :chapter:`01_differentiation/bptt`, where truncated BPTT learns the
    task exactly when its window of :math:`k` steps covers :math:`L`.
    """
    span = _checks.integer("span", span)
    length = _checks.integer("length", length, minimum=1)
    if span < length + 2:
        raise ValueError(f"span must be at least length + 2 = {length + 2} (a delimiter between "
                         f"reading and writing), got {span}")
    return copy_task(n=n, delay=span - 1 - length, length=length, n_symbols=n_symbols, rng=rng)


def writing_mask(T, length):
    """Boolean mask of shape (T,): True at the last ``length`` steps, where the copy task writes the symbols back."""
    T = _checks.integer("T", T, minimum=1)
    length = _checks.integer("length", length, minimum=1, maximum=T)
    mask = np.zeros(T, dtype=bool)
    mask[T - length:] = True
    return mask


def recall_accuracy(outputs, y, length):
    r"""Recall accuracy on the copy task: the fraction of written-back symbols that are right.

    Parameters
    ----------
    outputs : array of shape (n, T, n_symbols + 1)
        One score (e.g. a logit) per category and step; the prediction is the
        category of the largest.
    y : int array of shape (n, T)
        Targets from :func:`copy_task` or :func:`copy_task_spanning`.
    length : int
        Number of symbols copied: only the last ``length`` steps
        (:func:`writing_mask`) count, so the blanks of the other steps, which
        are easy, do not inflate the score. Guessing a symbol scores
        :math:`1 / \text{n\_symbols}`.

    Returns
    -------
    float
        In [0, 1].

    Used in :chapter:`01_differentiation/bptt`.
    """
    outputs = np.asarray(outputs)
    y = np.asarray(y)
    if outputs.ndim != 3 or y.shape != outputs.shape[:2]:
        raise ValueError(f"outputs must have shape (n, T, categories) and y shape (n, T), got "
                         f"{outputs.shape} and {y.shape}")
    mask = writing_mask(y.shape[1], length)
    predicted = np.argmax(outputs[:, mask], axis=-1)
    return float(np.mean(predicted == y[:, mask]))
