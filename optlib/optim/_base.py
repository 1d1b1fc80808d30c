"""What every optimizer shares: the scheduled learning rate, checks of params, grads and state, updates.

Each optimizer module writes its rule for one array (one *leaf* of the
parameter pytree); :func:`leafwise` checks the pytrees and applies the rule to
every leaf. Hyper-parameters are checked with :mod:`optlib._checks`: a wrong
type raises TypeError, a bad value ValueError.
"""
from __future__ import annotations

import numbers

import numpy as np

from optlib import _checks
from optlib.tree import tree_flatten, tree_leaves, tree_map, tree_paths, tree_unflatten

# --------------------------------------------------------------------------- hyper-parameters


def decay(name: str, value) -> float:
    """``value`` as a float in [0, 1): the decay rates betas, rho and RMSprop's alpha."""
    return _checks.in_interval(name, value, 0.0, 1.0, closed="left")


def check_betas(betas) -> tuple:
    """``betas`` as a tuple of two floats, each in [0, 1)."""
    if isinstance(betas, (str, bytes)) or not hasattr(betas, "__len__"):
        raise TypeError(f"betas must be a pair (beta1, beta2), got {betas!r} ({type(betas).__name__})")
    if len(betas) != 2:
        raise ValueError(f"betas must be a pair (beta1, beta2), got {betas!r}")
    return decay("betas[0]", betas[0]), decay("betas[1]", betas[1])


def check_lr(lr):
    """A learning rate is a non-negative finite number or a schedule (a callable of the step)."""
    return lr if callable(lr) else _checks.non_negative("lr", lr)


def scheduled_lr(lr, step: int) -> float:
    """The learning rate of update number ``step`` (counting from 0): ``lr`` or ``lr(step)``."""
    if not callable(lr):
        return lr
    value = lr(step)
    try:
        return _checks.non_negative("lr", value)
    except (TypeError, ValueError) as error:  # the same type of error, naming the step
        raise type(error)(f"the lr schedule returned {value!r} at step {step}; a learning rate must "
                          "be a non-negative finite number") from None


# --------------------------------------------------------------------------- pytrees


def full_like(params, fill: float = 0.0):
    """A new float64 array of ``fill`` for every leaf of ``params`` (0-d for a number): a state buffer."""
    return tree_map(lambda p: np.full(np.shape(p), fill, dtype=np.float64), params)


def like(leaf, value):
    """``value`` as the kind of ``leaf``: an array stays an array, a Python number comes back a float."""
    return value if isinstance(leaf, np.ndarray) else float(value)


def check_real(leaves, name: str, tree, floating: bool = False) -> None:
    """Every leaf must be a real number or an array of real numbers (floats only with ``floating``).

    TypeError for anything else; ValueError for a complex leaf, whose imaginary
    part would be lost or would make the parameters complex (the rule of
    :func:`optlib._checks.real_array`). ``leaves`` are those of ``tree``; the
    message names the leaf by its path in ``tree``.
    """
    for i, leaf in enumerate(leaves):
        if isinstance(leaf, np.ndarray):
            kind = leaf.dtype.kind
            if kind == "f" or (kind in "iu" and not floating):
                continue
            what = f"has dtype {leaf.dtype}"
        elif isinstance(leaf, numbers.Real) and not isinstance(leaf, (bool, np.bool_)):
            continue
        else:
            kind = "c" if isinstance(leaf, numbers.Complex) else "?"
            what = f"is {leaf!r:.40} ({type(leaf).__name__})"
        where = f"{name}{tree_paths(tree)[i]}"
        if kind == "c":
            raise ValueError(f"{where} {what}: the optimizers work with real numbers only; pass the real "
                             "part explicitly if that is what you mean")
        raise TypeError(f"{where} {what}; optimizers need {'floating-point' if floating else 'real'} "
                        "arrays or Python numbers")


def flatten_like(tree, name: str, reference_leaves: list, reference_def, reference,
                 reference_name: str = "params") -> list:
    """The leaves of ``tree``, after checking that it has the structure of ``reference``, leaf for leaf
    the same shapes, and real leaves (ValueError naming the path and both shapes otherwise)."""
    leaves, treedef = tree_flatten(tree)
    if treedef != reference_def:
        try:
            tree_map(lambda a, b: None, tree, reference)
        except ValueError as error:  # names the path where the structures differ
            raise ValueError(f"{name} must have the structure of {reference_name}: {error}") from None
        raise ValueError(f"{name} must have the structure of {reference_name}, {reference_def!r}; "
                         f"got {treedef!r}")
    for i, (x, r) in enumerate(zip(leaves, reference_leaves)):
        if np.shape(x) != np.shape(r):  # NumPy would broadcast them: a silently wrong number
            path = tree_paths(tree)[i]
            raise ValueError(f"{name}{path} has shape {np.shape(x)}, but {reference_name}{path} has "
                             f"shape {np.shape(r)}")
    check_real(leaves, name, tree)
    return leaves


def check_state(state, keys, name: str, counter: str = "step") -> int:
    """The step count ``state[counter]``, after checking that ``state`` comes from ``name.init``."""
    if not isinstance(state, dict):
        raise TypeError(f"state must be the dict that {name}.init returns, got {type(state).__name__}")
    if counter not in state or not set(keys) <= set(state):
        raise ValueError(f"state must come from {name}.init (keys {[counter, *keys]}), got {sorted(state)}")
    return _checks.integer(f"state[{counter!r}]", state[counter], minimum=0)


def check_grads(params, grads, step: int, check_finite: bool):
    """Check params and grads before update ``step``; returns the leaves of both and the params' structure.

    ValueError if ``grads`` does not match ``params`` leaf for leaf, if a leaf
    is complex, or (with ``check_finite``) if a gradient holds nan or inf;
    TypeError for a leaf that is not a real number or array.
    """
    thetas, treedef = tree_flatten(params)
    check_real(thetas, "params", params, floating=True)
    gs = flatten_like(grads, "grads", thetas, treedef, params)
    if check_finite:
        for i, g in enumerate(gs):
            if not np.all(np.isfinite(g)):
                raise ValueError(f"non-finite gradient at step {step} (counting from 0): "
                                 f"grads{tree_paths(grads)[i]} contains nan or inf")
    return thetas, gs, treedef


def leafwise(rule, params, grads, buffers: dict, step: int, check_finite: bool):
    """Apply a one-leaf update rule to every leaf of the parameter pytree.

    Parameters
    ----------
    rule : callable
        ``rule(theta, g, **buffers_of_this_leaf) -> (new_theta, new_buffers)``,
        where ``new_buffers`` is a dict (entries equal to None are dropped).
    params, grads : pytree
        Of the same structure and shapes (checked by :func:`check_grads`).
    buffers : dict of str to pytree
        The optimizer's per-parameter state (e.g. ``{"m": ..., "v": ...}``),
        each a pytree of params' structure and shapes (checked too).
    step : int
        The update's number, counted from 0 (for the message of ``check_finite``).
    check_finite : bool
        Raise ValueError on a nan or inf gradient.

    Returns
    -------
    (params, buffers)
        New pytrees; Python-number parameters stay Python floats.
    """
    thetas, gs, treedef = check_grads(params, grads, step, check_finite)
    per_leaf = {name: flatten_like(tree, f"state[{name!r}]", thetas, treedef, params)
                for name, tree in buffers.items()}
    new_thetas, new_buffers = [], {}
    for i, (theta, g) in enumerate(zip(thetas, gs)):
        new_theta, out = rule(theta, g, **{name: leaves[i] for name, leaves in per_leaf.items()})
        new_thetas.append(like(theta, new_theta))
        for name, value in out.items():
            if value is not None:
                new_buffers.setdefault(name, []).append(np.asarray(value))
    return (tree_unflatten(treedef, new_thetas),
            {name: tree_unflatten(treedef, leaves) for name, leaves in new_buffers.items()})


def check_params(params) -> None:
    """TypeError unless every leaf is a floating-point array or a real number (ValueError if complex)."""
    check_real(tree_leaves(params), "params", params, floating=True)
