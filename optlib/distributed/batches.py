"""The mini-batches of a distributed run: one seeded permutation of the examples per epoch, in order.

Every scheme and every worker count sees the same sequence of batches, so that
runs can be compared update by update. Taught in
:chapter:`06_distributed/distributed_training`.
"""
from __future__ import annotations

import numpy as np

from optlib import _checks

__all__ = ["batches_per_epoch", "batch_indices"]


def batches_per_epoch(n_examples: int, batch_size: int) -> int:
    """How many full batches of ``batch_size`` one epoch of ``n_examples`` holds: ``n // B``."""
    n_examples = _checks.integer("n_examples", n_examples, minimum=1)
    batch_size = _checks.integer("batch_size", batch_size, minimum=1)
    if batch_size > n_examples:
        raise ValueError(f"batch_size must be at most the number of examples, {n_examples}, "
                         f"got {batch_size}")
    return n_examples // batch_size


def batch_indices(n_examples: int, batch_size: int, seed: int, k: int) -> np.ndarray:
    r"""The example indices of mini-batch ``k`` (counting from 0).

    Batch :math:`k` belongs to epoch :math:`e = \lfloor k / m \rfloor`, with
    :math:`m = \lfloor n / B \rfloor` batches per epoch; epoch :math:`e` visits
    the examples in the order ``np.random.default_rng([seed, e]).permutation(n)``
    and batch :math:`k` is its slice number :math:`k \bmod m`, of :math:`B`
    examples. The last :math:`n \bmod B` examples of each epoch's order are left
    out, so that every batch has :math:`B` examples (PyTorch's ``drop_last``).
    Any batch can be found without the ones before it, which is what lets a
    worker compute the batch the server hands it.

    Examples
    --------
    >>> first_epoch = [batch_indices(10, 5, seed=0, k=k) for k in (0, 1)]
    >>> sorted(np.concatenate(first_epoch).tolist()) == list(range(10))
    True
    """
    m = batches_per_epoch(n_examples, batch_size)
    k = _checks.integer("k", k, minimum=0)
    seed = _checks.integer("seed", seed, minimum=0)
    epoch, slot = divmod(k, m)
    order = np.random.default_rng([seed, epoch]).permutation(n_examples)
    return order[slot * batch_size:(slot + 1) * batch_size]
