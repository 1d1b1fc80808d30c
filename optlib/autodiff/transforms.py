"""The transforms: grad, value_and_grad, vjp, jvp, jacfwd, jacrev, hessian, hvp, stop_gradient.

Taught in :chapter:`01_differentiation/automatic_differentiation`.

Arguments may be pytrees (an array, a Python float, or nested dicts / lists /
tuples of them, see :mod:`optlib.tree`); derivatives come back with the same
structure. Integer and boolean inputs are promoted to float64 (so are float32
inputs); complex inputs raise ``TypeError``.
"""
from __future__ import annotations

import numbers

import numpy as np

from optlib import _checks
from optlib import tree as _tree
from optlib.autodiff.core import (ForwardTrace, ReverseTrace, Tracer, _finished_error,
                                  shape_of, strip)

__all__ = ["grad", "value_and_grad", "vjp", "jvp", "jacfwd", "jacrev", "hessian", "hvp",
           "stop_gradient"]


# ---- pytrees of inputs --------------------------------------------------------------------

def _flatten(tree):
    """(leaves, treedef); a single array is its own one-leaf tree (fast path)."""
    if isinstance(tree, (np.ndarray, Tracer, numbers.Number)):
        return [tree], None
    return _tree.tree_flatten(tree)


def _unflatten(treedef, leaves):
    return leaves[0] if treedef is None else _tree.tree_unflatten(treedef, leaves)


def _as_float(x, what):
    """A float64 array for a leaf of an argument; traced values pass unchanged."""
    if isinstance(x, Tracer):
        return x
    if type(x) is np.ndarray and x.dtype == np.float64:
        return x
    if isinstance(x, (complex, np.complexfloating)) or (
            isinstance(x, np.ndarray) and x.dtype.kind == "c"):
        raise TypeError(f"{what} is complex; optlib.autodiff differentiates real float64 "
                        f"functions only")
    if isinstance(x, (numbers.Number, np.ndarray, np.generic)):
        arr = np.asarray(x)
        if arr.dtype.kind not in "biuf":
            raise TypeError(f"{what} has dtype {arr.dtype}; expected a float array")
        return arr.astype(np.float64)
    raise TypeError(f"{what} has type {type(x).__name__}; expected a float array or a "
                    f"pytree (dict / list / tuple) of them")


def _restore(g, like):
    """Final form of a derivative leaf: float64 array with ``like``'s shape, owning its data."""
    if isinstance(g, Tracer):
        return g
    if g is None:
        g = np.zeros(shape_of(like))
    if not isinstance(like, np.ndarray) and isinstance(like, numbers.Number):
        return np.float64(g)
    if type(g) is not np.ndarray or not g.flags.owndata or not g.flags.writeable:
        g = np.array(g, dtype=np.float64)
    return g


def _unbox(x, trace):
    """The value of ``x`` seen from outside ``trace`` (pytrees mapped leafwise)."""
    if isinstance(x, Tracer):
        if x.trace is trace:
            return x.value
        if x.trace.finished:       # kept from an evaluation that has returned
            raise _finished_error("given back as a result")
        return x
    if isinstance(x, (dict, list, tuple)):
        return _tree.tree_map(lambda leaf: _unbox(leaf, trace), x)
    return x


def _argnums(argnums, nargs, name):
    """The positions to differentiate (non-negative, distinct) and whether argnums was one int."""
    single = not isinstance(argnums, (tuple, list))
    nums = [_checks.integer(f"{name}: argnums", i) for i in ((argnums,) if single else argnums)]
    if not nums:
        raise ValueError(f"{name}: argnums must not be empty")
    for i in nums:
        if not -nargs <= i < nargs:
            raise ValueError(f"{name}: argnums={argnums!r} but the function was called with "
                             f"{nargs} positional argument(s)")
    positions = [i % nargs for i in nums]
    if len(set(positions)) != len(positions):
        raise ValueError(f"{name}: repeated argnums {argnums!r}: each argument can be "
                         f"differentiated once (list every position at most once)")
    return positions, single


def _evaluate(trace, f, args, kwargs=None):
    """``f(*args, **kwargs)`` under ``trace``, which is closed afterwards.

    A traced value that f keeps somewhere (a list, a global) and that is used
    after the transform returned then raises TypeError instead of producing a
    traced value as a result.
    """
    try:
        return f(*args, **(kwargs or {}))
    finally:
        trace.finished = True


def _box_arguments(trace, args, nums, known=None):
    """Replace args[i] (i in nums) by traced copies; returns new args and per-arg input info.

    ``known`` (optional) maps an argument position to its structure at the
    previous call; an argument that still has it is not flattened from scratch.
    """
    args = list(args)
    info = []
    for i in nums:
        leaves = []
        treedef = known.get(i) if known is not None else None
        if treedef is None or not _tree._flatten_as(args[i], treedef, leaves):
            leaves, treedef = _flatten(args[i])
            if known is not None:
                known[i] = treedef
        what = f"argument {i}"
        boxed = [trace.new_input(_as_float(leaf, what)) for leaf in leaves]
        args[i] = _unflatten(treedef, boxed)
        info.append((leaves, treedef, boxed))
    return args, info


def _per_argument(info, cts):
    """The cotangents of the input leaves, regrouped into one pytree per boxed argument."""
    result = []
    k = 0
    for leaves, treedef, _ in info:
        result.append(_unflatten(treedef, [_restore(c, leaf) for c, leaf
                                           in zip(cts[k:k + len(leaves)], leaves)]))
        k += len(leaves)
    return result


def _split_aux(out, has_aux, name):
    if not has_aux:
        return out, None
    if not (isinstance(out, (tuple, list)) and len(out) == 2):
        raise ValueError(f"{name}(..., has_aux=True) needs f to return a pair (value, aux); "
                         f"got {type(out).__name__}")
    return out[0], out[1]


def _scalar_output(out, trace, name):
    value = _unbox(out, trace)
    if isinstance(out, (tuple, list, dict)):
        raise ValueError(f"{name} needs f to return a scalar; it returned a "
                         f"{type(out).__name__}. If f returns (loss, aux), pass has_aux=True")
    plain = strip(value)
    shape = shape_of(plain)
    if shape != ():
        raise ValueError(f"{name} needs f to return a scalar, but it returned an array of shape "
                         f"{shape}; for non-scalar outputs use vjp (vector-Jacobian products) "
                         f"or jacrev / jacfwd (full Jacobians)")
    if isinstance(plain, (complex, np.complexfloating)) or getattr(plain, "dtype", None) == complex:
        raise TypeError(f"{name}: f returned a complex value")
    return value


# ---- reverse mode -------------------------------------------------------------------------

def value_and_grad(f, argnums=0, has_aux=False):
    """Function returning ``(f(*args), gradient)`` from one forward and one backward pass.

    Taught in :chapter:`01_differentiation/backpropagation`.

    Parameters
    ----------
    f : callable
        Scalar-valued function written with NumPy.
    argnums : int or tuple of ints
        Which positional arguments to differentiate; with a tuple the gradient
        is a tuple with one entry per argument.
    has_aux : bool
        If True, ``f`` returns ``(value, aux)`` and the result is
        ``((value, aux), gradient)``; traced values in ``aux`` come back as
        plain arrays.

    Returns
    -------
    callable
        ``value_and_grad(f)(*args, **kwargs)``; the value is a NumPy float64
        scalar and the gradient has the structure of the differentiated
        argument (pytrees included).

    Raises
    ------
    ValueError
        If ``argnums`` names a position twice or one that ``f`` was not called with.
    TypeError
        If ``argnums`` holds something other than integers, or ``f`` uses a traced
        value that an earlier evaluation kept (in a list, a global) after it returned.

    Notes
    -----
    The backward pass computes :math:`\\bar v_i = \\sum_{j \\in \\text{children}(i)}
    \\bar v_j\\, \\partial v_j / \\partial v_i` for the nodes in reverse topological order,
    starting from :math:`\\bar f = 1`.

    References
    ----------
    Reverse mode :cite:`linnainmaa1976`; backpropagation :cite:`rumelhart1986`; the textbook
    treatment :cite:`griewank2008`.
    """
    known = {}   # argument position -> its structure at the last call (a training loop repeats it)

    def value_and_grad_f(*args, **kwargs):
        nums, single = _argnums(argnums, len(args), "value_and_grad")
        trace = ReverseTrace()
        boxed_args, info = _box_arguments(trace, args, nums, known)
        out = _evaluate(trace, f, boxed_args, kwargs)
        out, aux = _split_aux(out, has_aux, "value_and_grad")
        value = _scalar_output(out, trace, "value_and_grad")
        inputs = [x for _, _, boxed in info for x in boxed]
        if isinstance(out, Tracer) and out.trace is trace:
            cts = trace.backward([(out, np.ones(()))], inputs)
        else:
            cts = [None] * len(inputs)
        grads = _per_argument(info, cts)
        grads = grads[0] if single else tuple(grads)
        if not isinstance(value, Tracer):
            value = np.float64(value)
        if has_aux:
            return (value, _unbox(aux, trace)), grads
        return value, grads
    value_and_grad_f.__name__ = f"value_and_grad({getattr(f, '__name__', 'f')})"
    value_and_grad_f.__doc__ = f"Value and gradient of {getattr(f, '__name__', 'f')}."
    return value_and_grad_f


def grad(f, argnums=0, has_aux=False):
    """Function returning the gradient of the scalar function ``f``.

    ``grad(f)(x)`` has the structure of ``x``; with ``argnums`` a tuple, a tuple
    of gradients. With ``has_aux=True``, ``f`` returns ``(value, aux)`` and the
    result is ``(gradient, aux)``. See :func:`value_and_grad`.

    Examples
    --------
    >>> import numpy as np
    >>> float(grad(lambda x: np.sum(x ** 2))(np.array([1.0, 2.0]))[1])
    4.0
    """
    vg = value_and_grad(f, argnums=argnums, has_aux=has_aux)

    def grad_f(*args, **kwargs):
        result = vg(*args, **kwargs)
        if has_aux:
            (_, aux), g = result
            return g, aux
        return result[1]
    grad_f.__name__ = f"grad({getattr(f, '__name__', 'f')})"
    grad_f.__doc__ = f"Gradient of {getattr(f, '__name__', 'f')}."
    return grad_f


def vjp(f, *primals):
    """Reverse mode: ``(f(*primals), vjp_fn)`` with ``vjp_fn(cotangent)`` = cotangent^T J.

    ``vjp_fn`` returns a tuple with one cotangent per primal, each with its
    primal's structure. It may be called many times (``jacrev`` does); the
    forward pass runs once.
    """
    trace = ReverseTrace()
    boxed_args, info = _box_arguments(trace, primals, range(len(primals)))
    out = _evaluate(trace, f, boxed_args)
    out_leaves, out_def = _flatten(out)
    out_value = _unflatten(out_def, [_unbox(leaf, trace) for leaf in out_leaves])
    inputs = [x for _, _, boxed in info for x in boxed]

    def vjp_fn(cotangent):
        ct_leaves, ct_def = _flatten(cotangent)
        if len(ct_leaves) != len(out_leaves) or (ct_def != out_def and out_def is not None):
            raise ValueError("vjp: the cotangent must have the structure of f's output")
        seeds = []
        for leaf, ct in zip(out_leaves, ct_leaves):
            ct = _as_float(ct, "the cotangent")
            if shape_of(ct) != shape_of(strip(leaf)):
                raise ValueError(f"vjp: cotangent of shape {shape_of(ct)} for an output of shape "
                                 f"{shape_of(strip(leaf))}; they must match")
            if isinstance(leaf, Tracer) and leaf.trace is trace:
                seeds.append((leaf, ct))
        cts = trace.backward(seeds, inputs) if seeds else [None] * len(inputs)
        return tuple(_per_argument(info, cts))
    return out_value, vjp_fn


# ---- forward mode ---------------------------------------------------------------------------

def jvp(f, primals, tangents):
    """Forward mode: ``(f(*primals), J @ tangents)``, tangents pushed along with the values.

    Parameters
    ----------
    primals, tangents : tuple
        One entry per positional argument of ``f``; each tangent has its
        primal's structure and shapes.

    Notes
    -----
    Every operation :math:`y = \\phi(x_1, \\dots, x_k)` also computes
    :math:`\\dot y = \\sum_i \\partial\\phi / \\partial x_i\\, \\dot x_i`: one pass, no tape.

    References
    ----------
    Forward mode :cite:`wengert1964`; survey :cite:`baydin2018`.
    """
    if not isinstance(primals, (tuple, list)) or not isinstance(tangents, (tuple, list)):
        raise TypeError("jvp: primals and tangents must be tuples, e.g. jvp(f, (x,), (v,))")
    if len(primals) != len(tangents):
        raise ValueError(f"jvp: {len(primals)} primals but {len(tangents)} tangents")
    trace = ForwardTrace()
    boxed_args = []
    for i, (p, t) in enumerate(zip(primals, tangents)):
        p_leaves, p_def = _flatten(p)
        t_leaves, t_def = _flatten(t)
        if len(p_leaves) != len(t_leaves) or p_def != t_def:
            raise ValueError(f"jvp: tangent {i} must have the structure of primal {i}")
        boxed = []
        for pl, tl in zip(p_leaves, t_leaves):
            pl = _as_float(pl, f"primal {i}")
            tl = _as_float(tl, f"tangent {i}")
            if shape_of(strip(pl)) != shape_of(strip(tl)):
                raise ValueError(f"jvp: tangent {i} has shape {shape_of(strip(tl))} but its primal "
                                 f"has shape {shape_of(strip(pl))}")
            boxed.append(trace.new_input(pl, tl))
        boxed_args.append(_unflatten(p_def, boxed))
    out = _evaluate(trace, f, boxed_args)
    out_leaves, out_def = _flatten(out)
    values, out_tangents = [], []
    for leaf in out_leaves:
        if isinstance(leaf, Tracer) and leaf.trace is trace:
            values.append(leaf.value)
            out_tangents.append(_restore(leaf.tangent, leaf.value))
        else:
            values.append(_unbox(leaf, trace))
            out_tangents.append(np.zeros(shape_of(strip(leaf))))
    return _unflatten(out_def, values), _unflatten(out_def, out_tangents)


# ---- Jacobians and Hessians -----------------------------------------------------------------

def _partial(f, args, i):
    return lambda x: f(*args[:i], x, *args[i + 1:])


def _array_argument(x, name):
    if not isinstance(x, (np.ndarray, Tracer, numbers.Number)):
        raise TypeError(f"{name} takes one array argument, got {type(x).__name__}; "
                        f"flatten pytrees with optlib.tree.ravel first")
    return _as_float(x, "the argument")


def _basis(shape, k):
    e = np.zeros(int(np.prod(shape)))
    e[k] = 1.0
    return e.reshape(shape)


def _jacobians(f, argnums, name, jacobian_of):
    """The transform returning ``jacobian_of(g, x)`` for each differentiated argument x of f."""
    def jacobian(*args):
        nums, single = _argnums(argnums, len(args), name)
        jacs = [jacobian_of(_partial(f, args, i), _array_argument(args[i], name)) for i in nums]
        return jacs[0] if single else tuple(jacs)
    return jacobian


def _rows_by_reverse_mode(g, x):
    """The Jacobian of g at x, one row (a vjp with a basis cotangent) per output element."""
    out, pullback = vjp(g, x)
    out_shape = shape_of(strip(out))
    rows = [pullback(_basis(out_shape, k))[0] for k in range(int(np.prod(out_shape)))]
    return _assemble(rows, out_shape, shape_of(strip(x)), rows_first=True)


def _columns_by_forward_mode(g, x):
    """The Jacobian of g at x, one column (a jvp with a basis tangent) per input element."""
    in_shape = shape_of(strip(x))
    columns = []
    out_shape = None
    for k in range(int(np.prod(in_shape))):
        out, column = jvp(g, (x,), (_basis(in_shape, k),))
        out_shape = shape_of(strip(out))
        columns.append(column)
    if out_shape is None:   # no input elements: evaluate once for the output shape
        out_shape = shape_of(strip(g(x)))
    return _assemble(columns, out_shape, in_shape, rows_first=False)


def _assemble(parts, out_shape, in_shape, rows_first):
    if not parts:
        return np.zeros(tuple(out_shape) + tuple(in_shape))
    stacked = np.stack(parts, axis=0 if rows_first else -1)
    return np.reshape(stacked, tuple(out_shape) + tuple(in_shape))


def jacrev(f, argnums=0):
    """Full Jacobian by reverse mode: one backward pass per output element.

    The result has shape ``out.shape + in.shape``. Prefer it when f has fewer
    outputs than inputs. With ``argnums`` a tuple, a tuple of Jacobians.
    """
    return _jacobians(f, argnums, "jacrev", _rows_by_reverse_mode)


def jacfwd(f, argnums=0):
    """Full Jacobian by forward mode: one tangent pass per input element.

    The result has shape ``out.shape + in.shape``. Prefer it when f has fewer
    inputs than outputs. With ``argnums`` a tuple, a tuple of Jacobians.
    """
    return _jacobians(f, argnums, "jacfwd", _columns_by_forward_mode)


def hessian(f):
    """Dense Hessian of a scalar function of one array, shape ``x.shape + x.shape``.

    Computed as ``jacfwd(jacrev(f))``: forward mode over reverse mode.
    """
    return jacfwd(jacrev(f))


def hvp(f, x, v):
    """Hessian-vector product :math:`\\nabla^2 f(x)\\, v` without forming the Hessian.

    Forward-over-reverse: the directional derivative of ``grad(f)`` at ``x`` in
    direction ``v``, ``jvp(grad(f), (x,), (v,))``. Costs a small constant times
    one gradient. ``x`` may be a pytree; ``v`` has its structure and the result
    too.

    References
    ----------
    :cite:`pearlmutter1994`.
    """
    return jvp(grad(f), (x,), (v,))[1]


def stop_gradient(x):
    """The value of ``x``, a constant for every transform (no derivative flows through it).

    Used for targets and for truncated backpropagation through time
    :cite:`williams1990`. Pytrees are handled leafwise.
    """
    if isinstance(x, (Tracer, np.ndarray, numbers.Number)) or x is None:
        return strip(x)
    return _tree.tree_map(strip, x)
