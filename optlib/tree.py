"""Pytrees: nested containers of arrays, and the few operations the book needs on them.

A *pytree* is a NumPy array, a Python float or int, or a dict / list / tuple
whose entries are pytrees. ``None`` is an empty subtree: it is kept in place
but holds no leaf. Parameters, gradients and optimizer states are pytrees, so
one model can keep its weights as ``{"layers": [{"W": W0, "b": b0}, ...]}``
and every optimizer still sees a list of arrays.

The leaves are always visited in the same order (dict keys sorted, lists and
tuples in order, as JAX does), so global quantities such as the gradient norm
are reproducible.

Used throughout the book; the optimizer chapters (``optlib.optim``) rely on it
for parameters and states, and the checkpointing section on :func:`save` and
:func:`load`.
"""
from __future__ import annotations

import io
import json
import math
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

__all__ = [
    "TreeDef",
    "tree_leaves",
    "tree_flatten",
    "tree_unflatten",
    "tree_map",
    "tree_paths",
    "ravel",
    "save",
    "load",
]


# --------------------------------------------------------------------------- structure


@dataclass(frozen=True)
class TreeDef:
    """The shape of a pytree with its leaves taken out.

    ``kind`` is one of ``"leaf"``, ``"none"``, ``"dict"``, ``"list"``,
    ``"tuple"``; ``keys`` holds a dict's keys (sorted) or a named tuple's
    class; ``children`` the sub-structures in flattening order. Two trees with
    the same structure have equal (and equally hashed) treedefs. ``order``
    remembers a dict's own key order, so that :func:`tree_unflatten` gives the
    dict back as it was; it takes no part in comparisons. ``num_leaves`` is
    the number of leaves a tree of this structure holds.
    """

    kind: str
    keys: Any = None
    children: tuple = ()
    order: tuple | None = field(default=None, compare=False)
    num_leaves: int = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        # counted here, from the children's counts: unflattening checks it every time
        count = 1 if self.kind == "leaf" else sum([child.num_leaves for child in self.children])
        object.__setattr__(self, "num_leaves", count)

    def __repr__(self) -> str:
        if self.kind == "leaf":
            return "*"
        if self.kind == "none":
            return "None"
        inner = [repr(child) for child in self.children]
        if self.kind == "dict":
            return "{" + ", ".join(f"{k!r}: {c}" for k, c in zip(self.keys, inner)) + "}"
        if self.kind == "list":
            return "[" + ", ".join(inner) + "]"
        prefix = self.keys.__name__ if self.keys is not None else ""
        return prefix + "(" + ", ".join(inner) + ("," if len(inner) == 1 and not prefix else "") + ")"


def _is_namedtuple(x) -> bool:
    return isinstance(x, tuple) and hasattr(type(x), "_fields")


def _sorted_keys(d: dict, path: str) -> list:
    try:
        return sorted(d)
    except TypeError:
        raise TypeError(
            f"dict keys at {path or 'the root'} cannot be sorted, so the flattening order "
            f"would be undefined; got keys {list(d)!r}"
        ) from None


def _children(node, path: str):
    """(kind, keys, [(path_suffix, child), ...]) for a container node, else None."""
    if isinstance(node, dict):
        keys = _sorted_keys(node, path)
        return "dict", tuple(keys), [(f"[{k!r}]", node[k]) for k in keys]
    if isinstance(node, list):
        return "list", None, [(f"[{i}]", c) for i, c in enumerate(node)]
    if isinstance(node, tuple):
        keys = type(node) if _is_namedtuple(node) else None
        return "tuple", keys, [(f"[{i}]", c) for i, c in enumerate(node)]
    return None


_LEAF = TreeDef("leaf")
_NONE = TreeDef("none")


def _flatten(node, leaves: list, is_leaf, paths: list | None = None, path: str = "") -> TreeDef:
    """Append the leaves of ``node`` to ``leaves`` (and their paths to ``paths``, when given)."""
    if node is None:
        return _NONE
    if (is_leaf is not None and is_leaf(node)) or not isinstance(node, (dict, list, tuple)):
        leaves.append(node)
        if paths is not None:
            paths.append(path)
        return _LEAF
    # paths are only built when asked for: flattening is on the hot path of every gradient
    if isinstance(node, dict):
        keys = tuple(_sorted_keys(node, path))
        children = [_flatten(node[k], leaves, is_leaf, paths, paths is not None and f"{path}[{k!r}]")
                    for k in keys]
        return TreeDef("dict", keys, tuple(children), tuple(node))
    kind = "list" if isinstance(node, list) else "tuple"
    keys = type(node) if kind == "tuple" and _is_namedtuple(node) else None
    children = [_flatten(child, leaves, is_leaf, paths, paths is not None and f"{path}[{i}]")
                for i, child in enumerate(node)]
    return TreeDef(kind, keys, tuple(children))


def _flatten_as(node, treedef: TreeDef, leaves: list) -> bool:
    """Append the leaves of ``node`` to ``leaves`` if ``node`` has the structure ``treedef``.

    When it returns True, the leaves are those :func:`tree_flatten` would give
    and ``treedef`` its structure. Checking a known structure costs less than
    finding it out (no TreeDef is built, no keys are sorted), and a training
    loop passes the same structure at every step. Returns False as soon as the
    structures differ.
    """
    kind = treedef.kind
    if kind == "leaf":
        if node is None or isinstance(node, (dict, list, tuple)):
            return False
        leaves.append(node)
        return True
    if kind == "none":
        return node is None
    if kind == "dict":   # the same keys in the same order: the same sorted keys
        if type(node) is not dict or tuple(node) != treedef.order:
            return False
        children = [node[k] for k in treedef.keys]
    elif type(node) is (list if kind == "list" else treedef.keys or tuple):
        children = node
    else:
        return False
    if len(children) != len(treedef.children):
        return False
    for child, child_def in zip(children, treedef.children):
        if not _flatten_as(child, child_def, leaves):
            return False
    return True


def tree_flatten(tree, is_leaf: Callable[[Any], bool] | None = None) -> tuple[list, TreeDef]:
    """Split a pytree into its list of leaves and its structure.

    Parameters
    ----------
    tree : pytree
        Arrays, Python numbers, and nested dicts / lists / tuples of them.
        ``None`` entries are kept in the structure and hold no leaf.
    is_leaf : callable, optional
        ``is_leaf(node) -> bool``; nodes for which it returns True are taken
        as leaves even if they are containers.

    Returns
    -------
    leaves : list
        The leaves in flattening order: dict keys sorted, sequences in order.
        The leaves themselves are not copied.
    treedef : TreeDef
        Hashable description of the structure; :func:`tree_unflatten` rebuilds
        the tree from it.

    Examples
    --------
    >>> leaves, treedef = tree_flatten({"b": [1.0, 2.0], "a": 3.0})
    >>> leaves
    [3.0, 1.0, 2.0]
    >>> treedef
    {'a': *, 'b': [*, *]}
    """
    leaves: list = []
    treedef = _flatten(tree, leaves, is_leaf)
    return leaves, treedef


def tree_leaves(tree, is_leaf: Callable[[Any], bool] | None = None) -> list:
    """The leaves of a pytree, in flattening order (dict keys sorted, sequences in order).

    Parameters
    ----------
    tree : pytree
    is_leaf : callable, optional
        As in :func:`tree_flatten`.

    Returns
    -------
    list
        The leaves (not copied); ``None`` entries are skipped.
    """
    return tree_flatten(tree, is_leaf)[0]


def tree_paths(tree, is_leaf: Callable[[Any], bool] | None = None) -> list[str]:
    """The path of every leaf, in flattening order.

    A path is the indexing expression that reaches the leaf from the root,
    e.g. ``"['layers'][0]['W']"``; the root itself, when it is a leaf, has the
    empty path ``""``. Error messages write ``f"grads{path}"``.

    Parameters
    ----------
    tree : pytree
    is_leaf : callable, optional
        As in :func:`tree_flatten`.

    Returns
    -------
    list of str

    Examples
    --------
    >>> tree_paths({"layers": [{"W": 1.0, "b": 0.0}], "scale": 2.0})
    ["['layers'][0]['W']", "['layers'][0]['b']", "['scale']"]
    """
    paths: list[str] = []
    _flatten(tree, [], is_leaf, paths)
    return paths


def tree_unflatten(treedef: TreeDef, leaves) -> Any:
    """Rebuild a pytree from its structure and its leaves.

    Parameters
    ----------
    treedef : TreeDef
        As returned by :func:`tree_flatten`.
    leaves : iterable
        Exactly ``treedef.num_leaves`` leaves, in flattening order.

    Returns
    -------
    pytree
        Dicts get back the key order of the tree ``treedef`` came from.

    Raises
    ------
    ValueError
        If the number of leaves does not match the structure.
    """
    if not isinstance(treedef, TreeDef):
        raise TypeError(f"treedef must be a TreeDef from tree_flatten, got {type(treedef).__name__}")
    leaves = list(leaves)
    if len(leaves) != treedef.num_leaves:
        raise ValueError(
            f"tree_unflatten: the structure {treedef!r} holds {treedef.num_leaves} leaves, "
            f"got {len(leaves)}"
        )
    return _build(treedef, iter(leaves))


def _build(treedef: TreeDef, leaves):
    if treedef.kind == "leaf":
        return next(leaves)
    if treedef.kind == "none":
        return None
    children = [_build(child, leaves) for child in treedef.children]
    if treedef.kind == "dict":
        by_key = dict(zip(treedef.keys, children))
        if not treedef.order or treedef.order == treedef.keys:   # already in the dict's own order
            return by_key
        return {k: by_key[k] for k in treedef.order}
    if treedef.kind == "list":
        return children
    if treedef.keys is not None:  # a named tuple
        return treedef.keys(*children)
    return tuple(children)


def _describe(node) -> str:
    if node is None:
        return "None"
    if isinstance(node, dict):
        return f"dict with keys {sorted(node, key=repr)!r}"
    if isinstance(node, (list, tuple)):
        return f"{type(node).__name__} of length {len(node)}"
    return f"leaf of type {type(node).__name__}"


def _map(f, node, rest, path, is_leaf):
    if node is None:
        for other in rest:
            if other is not None:
                raise ValueError(
                    f"tree_map: structures differ at {path or 'the root'}: None vs {_describe(other)}"
                )
        return None
    if is_leaf is not None and is_leaf(node):
        split = None
    else:
        split = _children(node, path)
    if split is None:
        for other in rest:
            if other is None or isinstance(other, (dict, list, tuple)):
                if is_leaf is None or not is_leaf(other):
                    raise ValueError(
                        f"tree_map: structures differ at {path or 'the root'}: "
                        f"{_describe(node)} vs {_describe(other)}"
                    )
        return f(node, *rest)
    kind, _, _ = split
    for other in rest:
        same_kind = (
            isinstance(other, dict) if kind == "dict"
            else type(other) is type(node) if kind == "tuple"
            else isinstance(other, list)
        )
        same_size = same_kind and (
            set(other) == set(node) if kind == "dict" else len(other) == len(node)
        )
        if not same_size:
            raise ValueError(
                f"tree_map: structures differ at {path or 'the root'}: "
                f"{_describe(node)} vs {_describe(other)}"
            )
    if kind == "dict":  # keep the first tree's key order
        return {k: _map(f, node[k], [o[k] for o in rest], f"{path}[{k!r}]", is_leaf) for k in node}
    out = [_map(f, c, [o[i] for o in rest], f"{path}[{i}]", is_leaf) for i, c in enumerate(node)]
    if kind == "list":
        return out
    return type(node)(*out) if _is_namedtuple(node) else tuple(out)


def tree_map(f: Callable, tree, *rest, is_leaf: Callable[[Any], bool] | None = None):
    """Apply ``f`` leaf by leaf to one or more pytrees of the same structure.

    Parameters
    ----------
    f : callable
        Called as ``f(leaf, *corresponding_leaves_of_rest)``.
    tree : pytree
        Gives the structure of the result.
    *rest : pytrees
        Must have the same structure as ``tree`` (same dict keys, same
        sequence types and lengths, ``None`` in the same places).
    is_leaf : callable, optional
        As in :func:`tree_flatten`.

    Returns
    -------
    pytree
        Same structure as ``tree`` (dicts keep ``tree``'s key order; lists
        stay lists, tuples stay tuples) with ``f``'s results as leaves.
        ``None`` entries pass through untouched. The inputs are not modified.

    Raises
    ------
    ValueError
        If a tree in ``rest`` has a different structure; the message names
        the path where they first differ.

    Examples
    --------
    >>> tree_map(lambda p, g: p - 0.1 * g, {"w": 1.0, "b": None}, {"w": 2.0, "b": None})
    {'w': 0.8, 'b': None}
    """
    return _map(f, tree, list(rest), "", is_leaf)


# --------------------------------------------------------------------------- ravel


def ravel(tree) -> tuple[np.ndarray, Callable[[np.ndarray], Any]]:
    """Concatenate all leaves of a pytree into one float64 vector.

    Parameters
    ----------
    tree : pytree
        Numeric leaves (real arrays, Python or NumPy numbers).

    Returns
    -------
    flat : ndarray, shape (n,), float64
        The leaves, each raveled in C order, concatenated in flattening
        order. A new array: changing it does not change ``tree``.
    unravel : callable
        ``unravel(vector)`` rebuilds a tree of ``tree``'s structure from a
        vector of length ``n``: array leaves come back as float64 arrays of
        their original shapes, Python number leaves as Python floats. It
        copies ``vector`` first and raises ``ValueError`` for a vector of the
        wrong length. Inside a function being differentiated by
        :mod:`optlib.autodiff` it slices the traced vector instead, so
        ``grad(lambda v: loss(unravel(v)))`` works.

    Examples
    --------
    >>> flat, unravel = ravel({"W": np.ones((2, 2)), "b": 0.5})
    >>> flat
    array([1. , 1. , 1. , 1. , 0.5])
    >>> unravel(2 * flat)["b"]
    1.0
    """
    leaves, treedef = tree_flatten(tree)
    paths = tree_paths(tree)
    shapes, is_array, parts = [], [], []
    for path, leaf in zip(paths, leaves):
        arr = np.asarray(leaf)
        if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
            raise TypeError(
                f"ravel: leaf {path or '(root)'} must be numeric, got {type(leaf).__name__}"
                + (f" with dtype {arr.dtype}" if isinstance(leaf, np.ndarray) else "")
            )
        if np.iscomplexobj(arr):
            raise TypeError(f"ravel: leaf {path or '(root)'} is complex ({arr.dtype}); only real leaves are supported")
        shapes.append(arr.shape)
        is_array.append(isinstance(leaf, np.ndarray))
        parts.append(arr.astype(np.float64, copy=False).ravel())
    flat = np.concatenate(parts) if parts else np.zeros(0)  # a new array: never aliases a leaf
    sizes = [math.prod(s) for s in shapes]
    size = int(sum(sizes))

    def unravel(vector):
        # A value being differentiated (optlib.autodiff) is sliced, not converted,
        # so that derivatives flow through unravel; anything else is copied.
        traced = hasattr(vector, "__array_ufunc__") and not isinstance(vector, np.ndarray)
        if not traced:
            vector = np.array(vector, dtype=np.float64)  # a copy: the result never aliases `vector`
        if vector.shape != (size,):
            raise ValueError(f"unravel: expected a vector of shape ({size},), got shape {vector.shape}")
        out, start = [], 0
        for shape, n, arr_leaf in zip(shapes, sizes, is_array):
            piece = vector[start:start + n].reshape(shape)
            out.append(piece if arr_leaf or traced else float(piece))
            start += n
        return tree_unflatten(treedef, out)

    return flat, unravel


# --------------------------------------------------------------------------- save / load

_FORMAT = "optlib.tree"
_VERSION = 1
_STRUCTURE_KEY = "structure"


def _encode(node, arrays: list, path: str):
    """JSON description of ``node``; arrays and floats go into ``arrays``."""
    def store(arr):
        arrays.append(arr)
        return len(arrays) - 1

    where = path or "the root"
    if node is None:
        return {"t": "none"}
    if isinstance(node, np.ndarray):
        if node.dtype.hasobject:
            raise TypeError(f"save: the array at {where} has dtype {node.dtype}; object arrays cannot be saved safely")
        return {"t": "array", "i": store(np.asarray(node))}
    if isinstance(node, np.generic):  # NumPy scalars, before float: np.float64 is a float
        if np.asarray(node).dtype.hasobject:
            raise TypeError(f"save: the value at {where} has an object dtype and cannot be saved safely")
        return {"t": "numpy_scalar", "i": store(np.asarray(node))}
    if isinstance(node, bool):
        return {"t": "bool", "v": node}
    if isinstance(node, int):
        return {"t": "int", "v": str(int(node))}
    if isinstance(node, float):  # a 0-d float64 array keeps every bit, NaN payloads included
        return {"t": "float", "i": store(np.array(float(node), dtype=np.float64))}
    if isinstance(node, str):
        return {"t": "str", "v": node}
    if isinstance(node, dict):
        for key in node:
            if not isinstance(key, str):
                raise TypeError(
                    f"save: dict keys must be str, got {key!r} ({type(key).__name__}) at {where}"
                )
        return {
            "t": "dict",
            "k": list(node),
            "v": [_encode(v, arrays, f"{path}[{k!r}]") for k, v in node.items()],
        }
    if isinstance(node, tuple) and _is_namedtuple(node):
        raise TypeError(
            f"save: the named tuple {type(node).__name__} at {where} cannot be restored without "
            "running code; convert it to a tuple or dict"
        )
    if type(node) in (list, tuple):
        return {
            "t": type(node).__name__,
            "v": [_encode(v, arrays, f"{path}[{i}]") for i, v in enumerate(node)],
        }
    raise TypeError(f"save: unsupported type {type(node).__name__} at {where}")


def _decode(spec, arrays):
    kind = spec.get("t") if isinstance(spec, dict) else None
    if kind == "none":
        return None
    if kind == "array":
        return arrays[spec["i"]]
    if kind == "numpy_scalar":
        return arrays[spec["i"]][()]
    if kind == "float":
        return float(arrays[spec["i"]][()])
    if kind == "bool":
        return bool(spec["v"])
    if kind == "int":
        return int(spec["v"])
    if kind == "str":
        return str(spec["v"])
    if kind == "dict":
        return {k: _decode(v, arrays) for k, v in zip(spec["k"], spec["v"], strict=True)}
    if kind == "list":
        return [_decode(v, arrays) for v in spec["v"]]
    if kind == "tuple":
        return tuple(_decode(v, arrays) for v in spec["v"])
    raise ValueError(f"load: unknown node {spec!r} in the file's structure description")


def save(path, tree) -> None:
    """Save a pytree to one ``.npz`` file that can be loaded without running code.

    Parameters
    ----------
    path : str, os.PathLike or binary file object
        Written exactly as given (no ``.npz`` suffix is appended).
    tree : pytree
        Arrays of any non-object dtype, NumPy scalars, Python ints, floats,
        bools and strings, ``None``, and nested dicts (with str keys) / lists /
        tuples of them.

    Raises
    ------
    TypeError
        For a dict key that is not a str, an object array, a named tuple or
        any other unsupported type; nothing is written then.

    Notes
    -----
    The file is an ordinary ``.npz`` archive: entry ``a0, a1, ...`` holds the
    i-th array (Python floats are kept as 0-d float64 arrays, so they survive
    bit for bit), and the entry ``structure`` a JSON string that describes the
    nesting, dict key order, and the type of every leaf. :func:`load` reads it
    with ``np.load(..., allow_pickle=False)``: opening a checkpoint from
    someone else cannot execute code, unlike pickle.
    """
    arrays: list = []
    structure = {"format": _FORMAT, "version": _VERSION, "tree": _encode(tree, arrays, "")}
    entries = {f"a{i}": arr for i, arr in enumerate(arrays)}
    entries[_STRUCTURE_KEY] = np.array(json.dumps(structure))
    if isinstance(path, io.IOBase) or hasattr(path, "write"):
        np.savez(path, **entries)
    else:
        with open(path, "wb") as f:
            np.savez(f, **entries)


def load(path):
    """Load a pytree written by :func:`save`.

    Parameters
    ----------
    path : str, os.PathLike or binary file object

    Returns
    -------
    pytree
        Equal to the saved tree: same container types (lists stay lists,
        tuples stay tuples), same dict key order, arrays with the same dtype,
        shape and bits, Python numbers of the same type and value.

    Raises
    ------
    ValueError
        If the file is not an optlib pytree file. The file is read with
        ``allow_pickle=False``, so an archive holding pickled objects is
        refused rather than executed.
    """
    with np.load(path, allow_pickle=False) as data:
        if _STRUCTURE_KEY not in data.files:
            raise ValueError("load: the file has no 'structure' entry; it was not written by optlib.tree.save")
        structure = json.loads(str(data[_STRUCTURE_KEY][()]))
        if not isinstance(structure, dict) or structure.get("format") != _FORMAT:
            raise ValueError("load: the file's structure entry is not an optlib.tree description")
        if structure.get("version") != _VERSION:
            raise ValueError(f"load: unsupported format version {structure.get('version')!r}")
        names = sorted((n for n in data.files if n != _STRUCTURE_KEY), key=lambda n: int(n[1:]))
        arrays = [data[name] for name in names]
    return _decode(structure["tree"], arrays)
