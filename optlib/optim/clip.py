"""Gradient clipping: by value, leaf by leaf, and by the global L2 norm of the whole gradient.

Defined here, taught in :chapter:`03_landscape/gradient_clipping` and
:chapter:`03_landscape/exploding_gradients`.
"""
from __future__ import annotations

import math

import numpy as np

from optlib import _checks
from optlib.tree import tree_leaves, tree_map

from . import _base

#: Added to the norm before dividing, as in ``torch.nn.utils.clip_grad_norm_``.
NORM_EPS = 1e-6


def _norm(x) -> float:
    """Euclidean norm of an array, scaled by its largest entry so that it neither overflows nor underflows."""
    x = np.ravel(np.asarray(x, dtype=np.float64))
    largest = np.max(np.abs(x)) if x.size else 0.0
    if largest == 0 or not np.isfinite(largest):
        return float(largest)  # 0, inf or nan
    return float(largest * np.linalg.norm(x / largest))


def global_norm(tree) -> float:
    """L2 norm of all leaves of ``tree`` together: the norm of the leaves' norms, in flattening order.

    Taught in :chapter:`03_landscape/gradient_clipping`.

    ValueError for a complex leaf, TypeError for one that is not a real number or array.
    """
    leaves = tree_leaves(tree)
    _base.check_real(leaves, "tree", tree)
    return _norm([_norm(leaf) for leaf in leaves])


def clip_by_value(grads, min_value: float, max_value: float):
    r"""Clip every gradient entry to :math:`[\text{min\_value}, \text{max\_value}]`.

    Taught in :chapter:`03_landscape/gradient_clipping`.

    Parameters
    ----------
    grads : pytree
    min_value, max_value : float
        Bounds, ``min_value <= max_value``.

    Returns
    -------
    pytree
        New gradients, same structure (``torch.nn.utils.clip_grad_value_``
        with ``min_value = -max_value``). Unlike norm clipping, this changes the
        direction of the gradient.

    Raises
    ------
    ValueError
        When ``min_value > max_value`` or either is nan, or a gradient is complex.
    """
    lo = _checks.real("min_value", min_value, finite=False)
    hi = _checks.real("max_value", max_value, finite=False)
    if math.isnan(lo) or math.isnan(hi) or lo > hi:
        raise ValueError(f"need min_value <= max_value, got min_value={min_value!r}, max_value={max_value!r}")
    _base.check_real(tree_leaves(grads), "grads", grads)
    return tree_map(lambda g: _base.like(g, np.clip(g, lo, hi)), grads)


def clip_by_norm(grads, max_norm: float):
    r"""Rescale the whole gradient so that its global L2 norm is at most ``max_norm``.

    Taught in :chapter:`03_landscape/gradient_clipping`.

    Parameters
    ----------
    grads : pytree
    max_norm : float
        Largest allowed norm, >= 0.

    Returns
    -------
    clipped : pytree
        :math:`c \, g` with the same structure as ``grads``.
    total_norm : float
        :math:`\|g\|`, the norm before clipping.

    Raises
    ------
    ValueError
        When the total norm is nan or inf (PyTorch's default would return nan
        gradients silently), or a gradient is complex.

    Notes
    -----
    As ``torch.nn.utils.clip_grad_norm_``:

    .. math::

        \|g\| = \Big\| \big(\|g^{(1)}\|_2, \dots, \|g^{(L)}\|_2\big) \Big\|_2, \qquad
        c = \min\Big(1, \frac{\text{max\_norm}}{\|g\| + 10^{-6}}\Big), \qquad
        g \leftarrow c \, g,

    over the leaves :math:`g^{(1)}, \dots, g^{(L)}` in flattening order. Since
    :math:`0 \le c \le 1` is one number for the whole tree, clipping keeps the
    direction and never increases the norm; zero gradients stay zero.

    References
    ----------
    :cite:`pascanu2013`
    """
    max_norm = _checks.non_negative("max_norm", max_norm)
    _base.check_real(tree_leaves(grads), "grads", grads)
    total_norm = global_norm(grads)
    if not math.isfinite(total_norm):
        raise ValueError(f"the total gradient norm is {total_norm}; cannot clip a non-finite gradient")
    c = min(1.0, max_norm / (total_norm + NORM_EPS))
    return tree_map(lambda g: _base.like(g, c * np.asarray(g, dtype=np.float64)), grads), total_norm
