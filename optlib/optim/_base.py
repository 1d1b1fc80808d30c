"""What every optimizer shares: argument checks, the learning rate at a step, leaf-by-leaf updates.

Each optimizer module writes its rule for one array (one *leaf* of the
parameter pytree); :func:`leafwise` applies it to every leaf.
"""
from __future__ import annotations

import math
import numbers

import numpy as np

from optlib.tree import tree_flatten, tree_leaves, tree_map, tree_paths, tree_unflatten


# --------------------------------------------------------------------------- hyper-parameters


def _real(name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {value!r} ({type(value).__name__})")
    return float(value)


def non_negative(name: str, value) -> float:
    """``value`` as a float; ValueError unless it is finite and >= 0."""
    x = _real(name, value)
    if not (math.isfinite(x) and x >= 0):
        raise ValueError(f"{name} must be a non-negative finite number, got {value!r}")
    return x


def in_unit_interval(name: str, value) -> float:
    """``value`` as a float; ValueError unless 0 <= value < 1."""
    x = _real(name, value)
    if not 0.0 <= x < 1.0:
        raise ValueError(f"{name} must lie in [0, 1), got {value!r}")
    return x


def check_betas(betas) -> tuple:
    """``betas`` as a tuple of two floats, each in [0, 1)."""
    try:
        beta1, beta2 = betas
    except (TypeError, ValueError):
        raise ValueError(f"betas must be a pair (beta1, beta2), got {betas!r}") from None
    return in_unit_interval("betas[0]", beta1), in_unit_interval("betas[1]", beta2)


def check_flag(name: str, value) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def check_lr(lr):
    """A learning rate is a non-negative finite number or a schedule (a callable of the step)."""
    if callable(lr):
        return lr
    return non_negative("lr", lr)


def scheduled_lr(lr, step: int) -> float:
    """The learning rate of update number ``step`` (counting from 0): ``lr`` or ``lr(step)``."""
    if not callable(lr):
        return lr
    value = lr(step)
    try:
        return non_negative("lr", value)
    except (TypeError, ValueError):
        raise ValueError(
            f"the lr schedule returned {value!r} at step {step}; a learning rate must be "
            "a non-negative finite number"
        ) from None


# --------------------------------------------------------------------------- parameters and gradients


def check_params(params) -> None:
    """TypeError unless every leaf is a real floating-point array or a Python number."""
    for path, leaf in zip(tree_paths(params), tree_leaves(params)):
        if isinstance(leaf, np.ndarray):
            if not np.issubdtype(leaf.dtype, np.floating):
                raise TypeError(
                    f"params{path} has dtype {leaf.dtype}; optimizers need floating-point parameters"
                )
        elif isinstance(leaf, bool) or not isinstance(leaf, (float, int, np.floating, np.integer)):
            raise TypeError(
                f"params{path} must be a float array or a Python number, got {type(leaf).__name__}"
            )


def check_grads(params, grads, step: int, check_finite: bool) -> None:
    """ValueError if ``grads`` does not match ``params`` leaf for leaf (or, on request, is not finite)."""
    try:
        tree_map(lambda p, g: None, params, grads)
    except ValueError as error:
        raise ValueError(f"grads must have the structure of params: {error}") from None
    for i, (p, g) in enumerate(zip(tree_leaves(params), tree_leaves(grads))):
        if np.shape(p) != np.shape(g):
            path = tree_paths(params)[i]
            raise ValueError(
                f"grads{path} has shape {np.shape(g)}, but params{path} has shape {np.shape(p)}"
            )
    if check_finite:
        for i, g in enumerate(tree_leaves(grads)):
            if not np.all(np.isfinite(g)):
                path = tree_paths(grads)[i]
                raise ValueError(
                    f"non-finite gradient at step {step} (counting from 0): grads{path} contains nan or inf"
                )


def zeros_like(params, fill: float = 0.0):
    """A float64 array of ``fill`` for every leaf of ``params``."""
    return tree_map(lambda p: np.full(np.shape(p), fill, dtype=np.float64), params)


def copy_as_arrays(tree):
    """A copy of ``tree`` whose leaves are all new float64 arrays (0-d for numbers)."""
    return tree_map(lambda x: np.array(x, dtype=np.float64), tree)


def copy_tree(tree):
    """A copy of ``tree``: array leaves become new float64 arrays, number leaves Python floats."""
    return tree_map(lambda x: np.array(x, dtype=np.float64) if isinstance(x, np.ndarray) else float(x), tree)


def check_state(state, keys, name: str) -> None:
    if not isinstance(state, dict) or "step" not in state or not set(keys) <= set(state):
        got = sorted(state) if isinstance(state, dict) else type(state).__name__
        raise ValueError(f"state must come from {name}.init (keys {['step', *keys]}), got {got}")


def leafwise(rule, params, grads, buffers: dict):
    """Apply a one-leaf update rule to every leaf of the parameter pytree.

    Parameters
    ----------
    rule : callable
        ``rule(theta, g, **buffers_of_this_leaf) -> (new_theta, new_buffers)``,
        where ``new_buffers`` is a dict (entries equal to None are dropped).
    params, grads : pytree
        Of the same structure (checked by :func:`check_grads`).
    buffers : dict of str to pytree
        The optimizer's per-parameter state (e.g. ``{"m": ..., "v": ...}``),
        each a pytree of params' structure.

    Returns
    -------
    (params, buffers)
        New pytrees; Python-number parameters stay Python floats.
    """
    thetas, treedef = tree_flatten(params)
    gs = tree_leaves(grads)
    per_leaf = {}
    for name, tree in buffers.items():
        leaves = tree_leaves(tree)
        if len(leaves) != len(thetas):
            raise ValueError(f"state[{name!r}] has {len(leaves)} leaves, params has {len(thetas)}")
        per_leaf[name] = leaves
    new_thetas, new_buffers = [], {}
    for i, (theta, g) in enumerate(zip(thetas, gs)):
        new_theta, out = rule(theta, g, **{name: leaves[i] for name, leaves in per_leaf.items()})
        new_thetas.append(new_theta if isinstance(theta, np.ndarray) else float(new_theta))
        for name, value in out.items():
            if value is not None:
                new_buffers.setdefault(name, []).append(np.asarray(value))
    return (tree_unflatten(treedef, new_thetas),
            {name: tree_unflatten(treedef, leaves) for name, leaves in new_buffers.items()})
