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

import contextlib
import json
import math
import os
import re
import secrets
import zipfile
import zlib
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
    "tree_copy",
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


def tree_copy(tree, dtype=None):
    """A copy of a pytree that shares no memory with it.

    Parameters
    ----------
    tree : pytree
    dtype : data-type, optional
        Without it, every array leaf becomes a new array of the same dtype
        (and the same class: a masked array keeps its mask), and every other
        leaf (a number, which cannot be changed in place) is kept. With it,
        every leaf becomes a new array of this dtype, 0-d for a number: the
        form in which the optimizers keep parameters in their states.

    Returns
    -------
    pytree
        The structure of ``tree``, in new containers (dicts keep their key
        order, ``None`` entries stay).

    Examples
    --------
    >>> params = {"w": np.zeros(2), "b": 1.0}
    >>> copy = tree_copy(params)
    >>> copy["w"][0] = 5.0
    >>> params["w"], copy["b"]
    (array([0., 0.]), 1.0)
    >>> tree_copy(params, dtype=np.float64)["b"]
    array(1.)
    """
    if dtype is None:
        return tree_map(lambda x: x.copy() if isinstance(x, np.ndarray) else x, tree)
    return tree_map(lambda x: np.array(x, dtype=dtype), tree)


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
        if np.iscomplexobj(arr):  # a value error, as in optlib._checks: the imaginary part would be lost
            raise ValueError(f"ravel: leaf {path or '(root)'} is complex ({arr.dtype}); only real leaves "
                             "are supported")
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
_ARRAY_NAME = re.compile(r"a(0|[1-9][0-9]*)")
_INT_TEXT = re.compile(r"-?(0|[1-9][0-9]*)")
#: the fields of each kind of node in the JSON description of a tree
_FIELDS = {"none": {"t"}, "array": {"t", "i"}, "numpy_scalar": {"t", "i"}, "float": {"t", "i"},
           "bool": {"t", "v"}, "int": {"t", "v"}, "str": {"t", "v"}, "dict": {"t", "k", "v"},
           "list": {"t", "v"}, "tuple": {"t", "v"}}


def _encode(node, arrays: list, path: str):
    """JSON description of ``node``; arrays and floats go into ``arrays``."""
    def store(arr):
        arrays.append(arr)
        return len(arrays) - 1

    where = path or "the root"
    if node is None:
        return {"t": "none"}
    if isinstance(node, np.ma.MaskedArray):  # np.asarray would drop the mask: the data would change
        raise TypeError(f"save: the masked array at {where} would lose its mask; save its data and "
                        "its mask as two arrays (np.ma.getdata(x), np.ma.getmaskarray(x))")
    if isinstance(node, np.ndarray):
        if node.dtype.hasobject:
            raise TypeError(f"save: the array at {where} has dtype {node.dtype}; object arrays cannot be saved safely")
        if type(node) is not np.ndarray and not isinstance(node, np.memmap):
            raise TypeError(f"save: the array at {where} is a {type(node).__name__}, which would load as "
                            "a plain ndarray; convert it with np.asarray first")
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


class _Invalid(Exception):
    """Why a file is not a valid checkpoint; :func:`load` turns it into one ValueError."""


def _decode(spec, arrays: list, used: list, path: str):
    """The tree that ``spec`` describes; every array of ``arrays`` may be used once (``used`` marks them)."""
    where = path or "the root"
    kind = spec.get("t") if isinstance(spec, dict) else None
    if kind not in _FIELDS or set(spec) != _FIELDS[kind]:
        raise _Invalid(f"the description of the node at {where} is not one that save writes: {spec!r:.80}")
    if kind in ("array", "numpy_scalar", "float"):
        i = spec["i"]
        if type(i) is not int or not 0 <= i < len(arrays) or used[i]:
            raise _Invalid(f"the node at {where} refers to array {i!r}, which is missing or already used")
        used[i] = True
        array = arrays[i]
        if kind == "array":
            return array
        if array.shape != () or (kind == "float" and array.dtype != np.float64):
            raise _Invalid(f"the {kind} at {where} is stored as an array of shape {array.shape} and "
                           f"dtype {array.dtype}")
        return float(array[()]) if kind == "float" else array[()]
    if kind == "none":
        return None
    value = spec["v"]
    if kind == "bool" and type(value) is bool:
        return value
    if kind == "int" and type(value) is str and _INT_TEXT.fullmatch(value):
        try:
            return int(value)
        except ValueError:  # more digits than Python converts (sys.get_int_max_str_digits)
            raise _Invalid(f"the int at {where} has too many digits to read") from None
    if kind == "str" and type(value) is str:
        return value
    if kind in ("list", "tuple") and type(value) is list:
        children = [_decode(v, arrays, used, f"{path}[{i}]") for i, v in enumerate(value)]
        return children if kind == "list" else tuple(children)
    if kind == "dict" and type(value) is list:
        keys = spec["k"]
        if (type(keys) is not list or len(keys) != len(value) or len(set(keys)) != len(keys)
                or not all(type(k) is str for k in keys)):
            raise _Invalid(f"the dict at {where} needs as many distinct str keys as values, got keys "
                           f"{keys!r:.80}")
        return {k: _decode(v, arrays, used, f"{path}[{k!r}]") for k, v in zip(keys, value)}
    raise _Invalid(f"the {kind} at {where} holds {value!r:.80}, which is not a {kind}")


def _write_replacing(path, write) -> None:
    """Create the file ``path`` with ``write(file)``, replacing an old one only once the new one is complete.

    The new content goes to a temporary file in the same folder, which
    ``os.replace`` then renames to ``path`` in one step: an interrupted or
    failing save leaves the old file as it was (and removes the temporary one).
    """
    folder, name = os.path.split(os.path.abspath(path))
    temporary = os.path.join(folder, f".{name}.{secrets.token_hex(8)}.tmp")
    # O_EXCL never reuses an existing file; mode 0o666 lets the umask decide, as open() does
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())  # on disk before the rename, so a crash cannot leave an empty file
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


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
        For a dict key that is not a str, an object array, a masked array (its
        mask would be lost) or another subclass of ndarray, a named tuple or
        any other unsupported type; nothing is written then.

    Notes
    -----
    The file is an ordinary ``.npz`` archive: entry ``a0, a1, ...`` holds the
    i-th array (Python floats are kept as 0-d float64 arrays, so they survive
    bit for bit), and the entry ``structure`` a JSON string that describes the
    nesting, dict key order, and the type of every leaf. :func:`load` reads it
    with ``np.load(..., allow_pickle=False)``: opening a checkpoint from
    someone else cannot execute code, unlike pickle.

    Given a path, the archive is first written to a temporary file in the same
    folder, which then replaces ``path`` in one step (``os.replace``): a save
    that fails or is interrupted midway leaves an existing checkpoint intact.
    A file object is written to directly.
    """
    arrays: list = []
    structure = {"format": _FORMAT, "version": _VERSION, "tree": _encode(tree, arrays, "")}
    entries = {f"a{i}": arr for i, arr in enumerate(arrays)}
    entries[_STRUCTURE_KEY] = np.array(json.dumps(structure))
    if hasattr(path, "write"):
        np.savez(path, **entries)
    else:
        _write_replacing(os.fspath(path), lambda f: np.savez(f, **entries))


def _refuse_duplicate_keys(pairs):
    keys = [k for k, _ in pairs]
    if len(set(keys)) != len(keys):
        raise _Invalid(f"its structure description repeats a key in {keys!r:.80}")
    return dict(pairs)


def _read(archive) -> tuple[list, dict]:
    """The arrays ``a0, a1, ...`` (all of them, in order) and the structure description of an archive."""
    names = set(archive.files)
    if _STRUCTURE_KEY not in names:
        raise _Invalid("it has no 'structure' entry; it was not written by optlib.tree.save")
    names.discard(_STRUCTURE_KEY)
    if not all(_ARRAY_NAME.fullmatch(name) for name in names) or \
            names != {f"a{i}" for i in range(len(names))}:
        raise _Invalid(f"its arrays must be named a0, a1, ... without gaps, got {sorted(names)!r:.120}")
    entry = archive[_STRUCTURE_KEY]
    if entry.shape != () or entry.dtype.kind != "U":
        raise _Invalid("its 'structure' entry is not a string")
    try:
        structure = json.loads(str(entry[()]), object_pairs_hook=_refuse_duplicate_keys)
    except json.JSONDecodeError as error:
        raise _Invalid(f"its 'structure' entry is not JSON ({error})") from None
    if not isinstance(structure, dict) or set(structure) != {"format", "version", "tree"} \
            or structure["format"] != _FORMAT:
        raise _Invalid("its 'structure' entry is not an optlib.tree description")
    if type(structure["version"]) is not int or structure["version"] != _VERSION:
        raise _Invalid(f"its format version {structure['version']!r} is not supported (only {_VERSION})")
    arrays = [archive[f"a{i}"] for i in range(len(names))]
    return arrays, structure["tree"]


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
        If the file is not a valid checkpoint: not an ``.npz`` archive (a
        ``.npy`` array or a text file, say), one that holds pickled objects
        (read with ``allow_pickle=False``, they are refused rather than
        executed), or one whose structure description does not match its
        arrays (a missing, negative or repeated array index, a repeated dict
        key, a value of the wrong type such as a bool written as a string).
        A checkpoint is loaded exactly as saved or not at all.
    OSError
        If the file cannot be opened (e.g. ``FileNotFoundError``).
    """
    name = repr(os.fspath(path)) if isinstance(path, (str, os.PathLike)) else "the file"
    try:
        archive = np.load(path, allow_pickle=False)
        if not isinstance(archive, np.lib.npyio.NpzFile):
            raise _Invalid("it holds a single array (a .npy file), not an .npz archive")
        with archive:
            arrays, spec = _read(archive)
        used = [False] * len(arrays)
        tree = _decode(spec, arrays, used, "")
        if not all(used):
            raise _Invalid(f"array a{used.index(False)} is stored but belongs to no node")
    except _Invalid as reason:
        raise ValueError(f"load: {name} is not a valid optlib.tree checkpoint: {reason}") from None
    except (ValueError, EOFError, zipfile.BadZipFile, zlib.error) as error:  # what NumPy, zipfile say
        raise ValueError(f"load: {name} is not a valid optlib.tree checkpoint: {error}") from None
    except RecursionError:
        raise ValueError(f"load: {name} is not a valid optlib.tree checkpoint: its structure is "
                         "nested too deeply") from None
    return tree
