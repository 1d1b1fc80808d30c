"""The table of derivative rules: every differentiable operation in one place.

Taught in :chapter:`01_differentiation/automatic_differentiation`.

Each entry gives, side by side, the vector-Jacobian products (reverse mode)
and Jacobian-vector products (forward mode) of one operation with respect to
each of its arguments::

    vjp[i](g, ans, *args)  =  g^T  d ans / d args[i]     (shape of args[i])
    jvp[i](t, ans, *args)  =  (d ans / d args[i]) t       (broadcasts to ans)

where ``ans`` is the operation's result, ``g`` the cotangent of ``ans`` and
``t`` the tangent of ``args[i]``. Rules are written with ordinary NumPy calls,
so they are traced themselves when they run on traced values: this is what
makes ``grad(grad(f))`` and ``jvp(grad(f))`` work.

Most entries state one derivative and let a helper build both products from
it, so that the two modes cannot disagree:

- :func:`elementwise`: the partial derivatives of an elementwise operation,
  e.g. ``elementwise("sin", np.sin, lambda ans, x: np.cos(x))``. Its Jacobian
  is diagonal, so both products multiply by the derivative; the vjp then sums
  over the axes along which the argument was broadcast.
- :func:`weighted_reduction`: a reduction whose derivative with respect to each
  element is a weight (max, min, prod, logsumexp).

Conventions for non-smooth points (documented in the chapter):

- ``abs``: derivative ``sign(x)``, so 0 at ``x = 0`` (a valid subgradient).
- ``maximum`` / ``minimum``: on ties each argument gets half of the cotangent.
- ``max`` / ``min`` reductions: the cotangent is shared equally among all
  elements that attain the extremum.
- ``clip``: derivative 1 where ``a_min <= x <= a_max`` (as in PyTorch), else 0.
- ``x ** y`` at ``x = 0``: the derivative in ``x`` is 0 where ``y = 0`` (``x ** 0``
  is the constant 1), at every order; the derivative in ``y``, ``x ** y log x``,
  is 0 at ``x = 0`` (as in HIPS autograd and JAX).
- ``sign``, ``floor``, ``ceil``, ``round``, ``trunc``, comparisons, ``argmax`` and
  friends return plain arrays: their derivative is zero wherever it exists.

Arguments: every NumPy function in the table accepts the arguments NumPy
gives it; an argument it does not implement on traced values (``out=``, a
``dtype`` other than float64, ``order="A"``, ...) raises ``TypeError`` naming
the function and the argument, never silently changes the result.

Broadcasting: a vjp returns a cotangent with the shape of its argument, summing
over broadcast axes (:func:`unbroadcast`).

>>> RULES["tanh"].vjp[0] is RULES["tanh"].jvp[0]    # one derivative, 1 - tanh^2, for both modes
True
"""
from __future__ import annotations

import math
import string

import numpy as np
from numpy.lib.array_utils import normalize_axis_tuple

from optlib import _checks
from optlib.autodiff.core import (FUNCTION_HANDLERS, NONDIFFERENTIABLE, UFUNC_RULES, Rule,
                                  Tracer, bind, shape_of, strip, _GETITEM)

__all__ = ["unbroadcast", "RULES", "defrule", "elementwise", "weighted_reduction"]

#: name -> Rule: the whole table, for inspection and for the tests.
RULES: dict = {}


def defrule(name, impl, vjp, jvp, ufunc=None, saves="all"):
    """Add one entry to the table; ``ufunc`` is the NumPy ufunc it intercepts, if any.

    ``saves`` tells the tape what the vjps read (see :class:`~optlib.autodiff.core.Rule`).
    """
    rule = Rule(name, impl, tuple(vjp) if isinstance(vjp, (list, tuple)) else vjp,
                tuple(jvp) if isinstance(jvp, (list, tuple)) else jvp, saves)
    RULES[name] = rule
    if ufunc is not None:
        UFUNC_RULES[ufunc] = rule
    return rule


def implements(*numpy_functions):
    """Register a function that evaluates the given NumPy functions on traced values."""
    def register(handler):
        for f in numpy_functions:
            FUNCTION_HANDLERS[f] = handler
        return handler
    return register


class _Each:
    """vjp / jvp entries for a variadic operation: ``rule.vjp[i]`` = ``f(i, ...)``."""

    __slots__ = ("f",)

    def __init__(self, f):
        self.f = f

    def __getitem__(self, i):
        f = self.f
        return lambda *a, **k: f(i, *a, **k)


# ---- helpers used by the rules ---------------------------------------------------------

def unbroadcast(g, x):
    """Sum ``g`` over the axes along which ``x`` was broadcast, giving ``x``'s shape."""
    shape = shape_of(x)
    gshape = shape_of(g)
    if gshape == shape:
        return g
    extra = len(gshape) - len(shape)
    if extra < 0:                  # g broadcasts to x (a constant cotangent): expand it
        return np.broadcast_to(g, shape)
    if extra > 0:                  # leading axes that x did not have
        g = _sum(g, axis=tuple(range(extra)))
    if 1 in shape:                 # axes where x had length 1
        axes = tuple(i for i, n in enumerate(shape) if n == 1 and gshape[extra + i] != 1)
        if axes:
            g = _sum(g, axis=axes, keepdims=True)
    return g


def _sum(g, **kwargs):
    """np.sum without its dispatch cost (as large as the sum of a bias gradient) on plain arrays."""
    return np.add.reduce(g, **kwargs) if type(g) is np.ndarray else np.sum(g, **kwargs)


def _spread(g, shape):
    """``g`` broadcast to ``shape``; for plain arrays a filled copy (cheaper than broadcast_to)."""
    return np.full(shape, g) if type(g) is np.ndarray else np.broadcast_to(g, shape)


def _axes(axis, ndim, name="axis"):
    """An int or a sequence of ints as a tuple of non-negative axes, in the given order.

    Raises NumPy's AxisError (a ValueError) for an axis out of range and
    ValueError for a repeated one, as NumPy does; ``name`` other than "axis"
    (e.g. ``"source"`` for moveaxis) prefixes the message, as in NumPy.
    """
    axes = tuple(axis) if isinstance(axis, (tuple, list)) else (axis,)
    axes = [_checks.integer(name, a) for a in axes]      # 1.5 is not an axis
    return normalize_axis_tuple(axes, ndim, None if name == "axis" else name)


def _normalize_axis(axis, ndim):
    """None (every axis), or a sorted tuple of non-negative axes: the axes of a reduction."""
    return None if axis is None else tuple(sorted(_axes(axis, ndim)))


def _kept_shape(shape, axis):
    """The shape of a reduction over ``axis`` with keepdims=True."""
    if axis is None:
        return (1,) * len(shape)
    return tuple(1 if i in axis else n for i, n in enumerate(shape))


def _reduced_size(shape, axis):
    if axis is None:
        return math.prod(shape)
    return math.prod(shape[i] for i in axis)


def _expand(g, x, axis, keepdims):
    """Reshape the cotangent of a reduction so it broadcasts against ``x``."""
    if keepdims or axis is None:   # the scalar of a full reduction broadcasts as it is
        return g
    return np.reshape(g, _kept_shape(shape_of(x), axis))


def _mask_float(condition):
    return np.asarray(condition, dtype=np.float64)


# ---- arguments that a rule does not implement ---------------------------------------------

_NO_VALUE = object()   # "not given", for arguments whose NumPy default is not a plain value


def _unsupported(function, argument, value, reason="traced values are float64 arrays"):
    """The TypeError for an argument of numpy.<function> that traced values do not implement."""
    return TypeError(f"numpy.{function}(..., {argument}={value!r}) is not supported on traced "
                     f"values ({reason})")


def _reject_out(out, name):
    if out is not None:
        raise TypeError(f"in-place write with numpy.{name}(..., out=...) involving a traced value")


def _reject_keywords(name, kwargs, reason):
    """Refuse keyword arguments (collected by ``**kwargs``) that a rule implements none of."""
    for argument, value in kwargs.items():
        raise _unsupported(name, argument, value, reason)


def _reject_dtype(name, dtype):
    """dtype=None and dtype=float64 keep the derivative; any other dtype would drop it."""
    if dtype is not None and np.dtype(dtype) != np.float64:
        raise _unsupported(name, "dtype", dtype, "traced values are float64; another dtype "
                                                 "would drop the derivative")


def _where_mask(name, where, shape):
    """The boolean mask of a where= argument, broadcast to ``shape``; None when it selects all."""
    if where is _NO_VALUE or where is True:
        return None
    mask = np.asarray(strip(where))
    if mask.dtype != bool:
        raise TypeError(f"numpy.{name}(..., where=...) needs a boolean mask, got dtype "
                        f"{mask.dtype}")
    return np.broadcast_to(mask, shape)


# ---- elementwise operations: one derivative per argument, used by both modes ---------------

def _times(derivative):
    """``(v, ans, *args) -> v * derivative(ans, *args)``: the chain rule through one argument.

    ``derivative`` may also be the constant 1 or -1 (add, subtract), applied
    without a multiplication.
    """
    if derivative == 1:
        return lambda v, ans, *args: v
    if derivative == -1:
        return lambda v, ans, *args: -v
    return lambda v, ans, *args: v * derivative(ans, *args)


def _summed_to(i, product):
    """The vjp for argument ``i``: ``product``, summed back to the shape of ``args[i]``."""
    return lambda g, ans, *args: unbroadcast(product(g, ans, *args), args[i])


def elementwise(name, impl, *partials, saves="all"):
    """Add the rule of an elementwise operation, given its partial derivatives.

    Parameters
    ----------
    name : str
        The rule's name.
    impl : numpy.ufunc or callable
        The operation on plain arrays; a ufunc is also intercepted on traced values.
    *partials : callable or {1, -1}
        ``partials[i](ans, *args)`` is
        :math:`\\partial\\,\\mathrm{ans} / \\partial\\,\\mathrm{args}_i`,
        elementwise (it may read the result ``ans``: :math:`\\exp' = \\exp`).
    saves : {"all", "args", "ans", "shapes"}
        What the derivatives read (see :class:`~optlib.autodiff.core.Rule`).

    Notes
    -----
    The Jacobian of an elementwise operation is diagonal, so both modes multiply
    by the same derivative :math:`d_i`: the jvp is :math:`d_i\\, t` and the vjp
    :math:`d_i\\, g`, summed over the axes along which ``args[i]`` was
    broadcast. With one argument nothing is broadcast and the two are the same
    function.
    """
    products = [_times(d) for d in partials]
    vjps = products if len(products) == 1 else [_summed_to(i, p) for i, p in enumerate(products)]
    return defrule(name, impl, vjps, products, ufunc=impl if isinstance(impl, np.ufunc) else None,
                   saves=saves)


def _power_base_derivative(ans, x, y):
    """d(x**y)/dx = y x^(y-1); where x = y = 0 it is 0 (x**0 is the constant 1), not 0 * inf.

    There x is replaced by 1 before the power (so the value is 0 * 1), and only
    there: the expression and all its derivatives stay finite at x = 0 for every
    order, and are exact elsewhere (also in y).
    """
    if type(y) in (int, float) and y != 0:       # x ** 2, x ** 0.5: no 0 * inf can occur
        return y * x ** (y - 1)
    both_zero = (strip(x) == 0) & (strip(y) == 0)
    if np.any(both_zero):
        x = np.where(both_zero, 1.0, x)
    return y * x ** (y - 1)


def _log_base(x):
    """log(x), with 0 where x == 0: there x**y log x is taken as 0, as HIPS autograd and JAX do."""
    zero = strip(x) == 0
    return np.log(np.where(zero, 1.0, x)) if np.any(zero) else np.log(x)


def _share_max(x, y):
    """Weight of x in maximum(x, y): 1 where x > y, 1/2 on ties, 0 elsewhere."""
    x, y = strip(x), strip(y)
    return _mask_float(x > y) + 0.5 * _mask_float(x == y)


def _share_min(x, y):
    x, y = strip(x), strip(y)
    return _mask_float(x < y) + 0.5 * _mask_float(x == y)


# two arguments: d ans / dx, d ans / dy
elementwise("add", np.add, 1, 1, saves="shapes")
elementwise("subtract", np.subtract, 1, -1, saves="shapes")
elementwise("multiply", np.multiply, lambda ans, x, y: y, lambda ans, x, y: x, saves="args")
elementwise("divide", np.true_divide, lambda ans, x, y: 1.0 / y, lambda ans, x, y: -ans / y)
elementwise("power", np.power, _power_base_derivative, lambda ans, x, y: ans * _log_base(x))
elementwise("logaddexp", np.logaddexp, lambda ans, x, y: np.exp(x - ans),
            lambda ans, x, y: np.exp(y - ans))
elementwise("maximum", np.maximum, lambda ans, x, y: _share_max(x, y),
            lambda ans, x, y: _share_max(y, x), saves="args")
elementwise("minimum", np.minimum, lambda ans, x, y: _share_min(x, y),
            lambda ans, x, y: _share_min(y, x), saves="args")

# one argument: f'(x), written with the result ans = f(x) where that is cheaper
elementwise("negative", np.negative, -1, saves="shapes")
elementwise("positive", np.positive, 1, saves="shapes")
elementwise("reciprocal", np.reciprocal, lambda ans, x: -ans * ans, saves="ans")
elementwise("square", np.square, lambda ans, x: 2.0 * x, saves="args")
elementwise("sqrt", np.sqrt, lambda ans, x: 0.5 / ans, saves="ans")
elementwise("absolute", np.absolute, lambda ans, x: np.sign(strip(x)), saves="args")
elementwise("exp", np.exp, lambda ans, x: ans, saves="ans")
elementwise("expm1", np.expm1, lambda ans, x: ans + 1.0, saves="ans")
elementwise("log", np.log, lambda ans, x: 1.0 / x, saves="args")
elementwise("log1p", np.log1p, lambda ans, x: 1.0 / (1.0 + x), saves="args")
elementwise("log2", np.log2, lambda ans, x: 1.0 / (x * np.log(2.0)), saves="args")
elementwise("log10", np.log10, lambda ans, x: 1.0 / (x * np.log(10.0)), saves="args")
elementwise("sin", np.sin, lambda ans, x: np.cos(x), saves="args")
elementwise("cos", np.cos, lambda ans, x: -np.sin(x), saves="args")
elementwise("tan", np.tan, lambda ans, x: 1.0 + ans * ans, saves="ans")
elementwise("arcsin", np.arcsin, lambda ans, x: 1.0 / np.sqrt(1.0 - x * x), saves="args")
elementwise("arccos", np.arccos, lambda ans, x: -1.0 / np.sqrt(1.0 - x * x), saves="args")
elementwise("arctan", np.arctan, lambda ans, x: 1.0 / (1.0 + x * x), saves="args")
elementwise("sinh", np.sinh, lambda ans, x: np.cosh(x), saves="args")
elementwise("cosh", np.cosh, lambda ans, x: np.sinh(x), saves="args")
elementwise("tanh", np.tanh, lambda ans, x: 1.0 - ans * ans, saves="ans")


def _sigmoid(x):
    """1 / (1 + exp(-x)), computed without overflow as (1 + tanh(x / 2)) / 2."""
    return 0.5 * (np.tanh(0.5 * np.asarray(x, dtype=np.float64)) + 1.0)


SIGMOID = elementwise("sigmoid", _sigmoid, lambda ans, x: ans * (1.0 - ans), saves="ans")

# ---- where and clip: piecewise rules --------------------------------------------------------

def _where_x(v, ans, x, y, c):
    """The derivative in x (1 where c holds, else 0) applied to v, by selection: no inf * 0."""
    return np.where(c, v, 0.0)


def _where_y(v, ans, x, y, c):
    return np.where(c, 0.0, v)


WHERE = defrule("where", lambda x, y, c: np.where(c, x, y),
                vjp=[lambda g, ans, x, y, c: unbroadcast(_where_x(g, ans, x, y, c), x),
                     lambda g, ans, x, y, c: unbroadcast(_where_y(g, ans, x, y, c), y)],
                jvp=[_where_x, _where_y], saves="shapes")


@implements(np.where)
def _where(condition, x=None, y=None, /):
    if x is None and y is None:
        return np.where(strip(condition))
    if x is None or y is None:
        raise ValueError("either both or neither of x and y should be given")
    return bind(WHERE, (x, y), {"c": strip(condition)})


def _clip_impl(x, lo, hi):
    return np.clip(x, lo, hi)


def _inside(x, lo, hi):
    x = strip(x)
    m = np.ones(np.shape(x))
    if lo is not None:
        m = m * (x >= strip(lo))
    if hi is not None:
        m = m * (x <= strip(hi))
    return m


CLIP = elementwise("clip", _clip_impl,
                   lambda ans, x, lo, hi: _inside(x, lo, hi),
                   lambda ans, x, lo, hi: _mask_float(strip(x) < strip(lo)),
                   lambda ans, x, lo, hi: _mask_float(strip(x) > strip(hi)), saves="args")


@implements(np.clip)
def _clip(a, a_min=_NO_VALUE, a_max=_NO_VALUE, out=None, *, min=_NO_VALUE, max=_NO_VALUE,
          **kwargs):
    _reject_out(out, "clip")
    _reject_keywords("clip", kwargs, "the ufunc keyword arguments of clip are not implemented")
    if a_min is _NO_VALUE and a_max is _NO_VALUE:     # NumPy's rules for a_min/a_max vs min/max
        a_min = None if min is _NO_VALUE else min
        a_max = None if max is _NO_VALUE else max
    elif a_min is _NO_VALUE or a_max is _NO_VALUE:
        missing = "a_min" if a_min is _NO_VALUE else "a_max"
        raise TypeError(f"clip() missing 1 required positional argument: '{missing}'")
    elif min is not _NO_VALUE or max is not _NO_VALUE:
        raise ValueError("Passing `min` or `max` keyword argument when `a_min` and `a_max` are "
                         "provided is forbidden.")
    return bind(CLIP, (a, a_min, a_max))


# ---- linear algebra ----------------------------------------------------------------------

def _matmul_vjp(argnum, g, x, y):
    """Cotangent of x (argnum 0) or y (argnum 1) in x @ y, for any dimensions."""
    xd, yd = len(shape_of(x)), len(shape_of(y))
    if xd == 2 and yd == 2:                        # the common case: one line each
        return g @ y.T if argnum == 0 else x.T @ g
    x2 = x if xd > 1 else np.reshape(x, (1,) + shape_of(x))
    y2 = y if yd > 1 else np.reshape(y, shape_of(y) + (1,))
    gshape = list(shape_of(g))        # put back the axes that 1-D operands dropped
    if yd == 1:
        gshape.append(1)
    if xd == 1:
        gshape.insert(len(gshape) - 1, 1)
    g = np.reshape(g, tuple(gshape))
    if argnum == 0:
        return np.reshape(unbroadcast(g @ np.swapaxes(y2, -1, -2), x2), shape_of(x))
    return np.reshape(unbroadcast(np.swapaxes(x2, -1, -2) @ g, y2), shape_of(y))


MATMUL = defrule("matmul", np.matmul,
                 vjp=[lambda g, ans, x, y: _matmul_vjp(0, g, x, y),
                      lambda g, ans, x, y: _matmul_vjp(1, g, x, y)],
                 jvp=[lambda t, ans, x, y: t @ y,
                      lambda t, ans, x, y: x @ t],
                 ufunc=np.matmul, saves="args")


@implements(np.dot)
def _dot(a, b, out=None):
    _reject_out(out, "dot")
    if np.ndim(a) == 0 or np.ndim(b) == 0:
        return a * b
    if np.ndim(a) > 2 or np.ndim(b) > 2:
        raise TypeError("numpy.dot of arrays with more than 2 dimensions is not supported on "
                        "traced values; use np.matmul (@) or np.einsum")
    return bind(MATMUL, (a, b))


@implements(np.outer)
def _outer(a, b, out=None):
    _reject_out(out, "outer")
    return np.reshape(a, (-1, 1)) * np.reshape(b, (1, -1))


def _einsum_subscripts(subscripts, shapes):
    """Explicit subscripts ('ij,jk->ik'), with '...' replaced by letters and '->' filled in."""
    subscripts = subscripts.replace(" ", "")
    if "->" in subscripts:
        inputs, output = subscripts.split("->")
    else:
        inputs, output = subscripts, None
    inputs = inputs.split(",")
    if len(inputs) != len(shapes):
        raise ValueError(f"einsum subscripts {subscripts!r} name {len(inputs)} operands, "
                         f"got {len(shapes)}")
    used = set("".join(inputs))
    free = [c for c in string.ascii_letters if c not in used]
    n_ellipsis = max([len(s) - len(sub.replace("...", "")) for sub, s in zip(inputs, shapes)
                      if "..." in sub] or [0])
    ell = "".join(free[:n_ellipsis])
    expanded = []
    for sub, shape in zip(inputs, shapes):
        if "..." in sub:
            k = len(shape) - len(sub.replace("...", ""))
            sub = sub.replace("...", ell[n_ellipsis - k:])
        if len(set(sub)) != len(sub):
            raise TypeError(f"einsum with a repeated index within one operand ({sub!r}) "
                            f"is not supported on traced values")
        expanded.append(sub)
    if output is None:
        counts = "".join(expanded)
        output = ell + "".join(sorted(c for c in set(counts) if counts.count(c) == 1
                                      and c not in ell))
    else:
        output = output.replace("...", ell)
    return expanded, output


def _einsum_impl(*operands, inputs, output, optimize):
    return np.einsum(",".join(inputs) + "->" + output, *operands, optimize=optimize)


def _einsum_vjp(i, g, ans, *operands, inputs, output, optimize):
    x = operands[i]
    target = inputs[i]
    others = [inputs[j] for j in range(len(operands)) if j != i]
    available = set(output).union(*others)
    kept = "".join(c for c in target if c in available)
    spec = ",".join([output] + others) + "->" + kept
    r = np.einsum(spec, g, *[operands[j] for j in range(len(operands)) if j != i],
                  optimize=optimize)
    shape = shape_of(x)
    if kept != target:   # letters summed only within x: broadcast back along them
        r = np.reshape(r, tuple(shape[k] if c in available else 1 for k, c in enumerate(target)))
    return unbroadcast(np.broadcast_to(r, shape) if kept != target else r, x)


def _einsum_jvp(i, t, ans, *operands, inputs, output, optimize):
    ops = list(operands)
    ops[i] = t
    return np.einsum(",".join(inputs) + "->" + output, *ops, optimize=optimize)


EINSUM = defrule("einsum", _einsum_impl, vjp=_Each(_einsum_vjp), jvp=_Each(_einsum_jvp),
                 saves="args")


@implements(np.einsum)
def _einsum(subscripts, *operands, out=None, optimize=False, **kwargs):
    _reject_out(out, "einsum")
    if not isinstance(subscripts, str):
        raise TypeError("only the subscripts-string form of np.einsum is supported on traced "
                        "values")
    _reject_keywords("einsum", kwargs, "only subscripts, operands and optimize are implemented")
    inputs, output = _einsum_subscripts(subscripts, [shape_of(x) for x in operands])
    return bind(EINSUM, operands, {"inputs": tuple(inputs), "output": output,
                                   "optimize": optimize})


@implements(np.diag)
def _diag(v, k=0):
    """diag of a vector (a diagonal matrix) or of a matrix (its diagonal), of traced operations."""
    if k != 0:
        raise _unsupported("diag", "k", k, "only the main diagonal is implemented")
    shape = shape_of(v)
    if len(shape) == 1:
        return np.eye(shape[0]) * v
    if len(shape) == 2:
        n = min(shape)
        return v[np.arange(n), np.arange(n)]
    raise ValueError("numpy.diag needs a 1-D or 2-D input")


@implements(np.trace)
def _trace(a, offset=0, axis1=0, axis2=1, dtype=None, out=None):
    _reject_out(out, "trace")
    _reject_dtype("trace", dtype)
    if len(shape_of(a)) != 2:
        raise TypeError(f"numpy.trace of a {len(shape_of(a))}-D array is not supported on traced "
                        f"values (only the trace of a matrix is implemented)")
    if offset != 0:
        raise _unsupported("trace", "offset", offset, "only the main diagonal is implemented")
    _normalize_axis((axis1, axis2), 2)   # two distinct axes of a matrix: either order, one trace
    return np.sum(np.diag(a))


# ---- reductions ----------------------------------------------------------------------------

# The implementations call ufunc.reduce directly: same result as np.sum / np.mean, less overhead.
# Sum and mean are linear: the vjp spreads the cotangent back, the jvp is the reduction itself.
SUM = defrule("sum", lambda x, axis=None, keepdims=False: np.add.reduce(x, axis=axis,
                                                                         keepdims=keepdims),
              vjp=[lambda g, ans, x, axis=None, keepdims=False:
                   _spread(_expand(g, x, axis, keepdims), shape_of(x))],
              jvp=[lambda t, ans, x, axis=None, keepdims=False:
                   np.sum(t, axis=axis, keepdims=keepdims)], saves="shapes")
MEAN = defrule("mean", lambda x, axis=None, keepdims=False: (
                   np.add.reduce(x, axis=axis, keepdims=keepdims)
                   / _reduced_size(np.shape(x), axis)),
               vjp=[lambda g, ans, x, axis=None, keepdims=False:
                    np.broadcast_to(_expand(g, x, axis, keepdims)
                                    / _reduced_size(shape_of(x), axis), shape_of(x))],
               jvp=[lambda t, ans, x, axis=None, keepdims=False:
                    np.mean(t, axis=axis, keepdims=keepdims)], saves="shapes")


def weighted_reduction(name, impl, weight, saves="all"):
    """Add the rule of a reduction whose derivative with respect to each element is a weight.

    Parameters
    ----------
    name : str
        The rule's name.
    impl : callable
        ``impl(x, axis=None, keepdims=False)`` on plain arrays (``axis`` a sorted
        tuple or None).
    weight : callable
        ``weight(ans, x, axis, keepdims)`` is :math:`w = \\partial\\,\\mathrm{ans} / \\partial x`,
        shaped like ``x``: each element's share in the result of its group.
    saves : {"all", "args", "ans", "shapes"}
        What ``weight`` reads.

    Notes
    -----
    The vjp is :math:`g\\, w`, with ``g`` broadcast back over the reduced axes;
    the jvp is :math:`\\sum t\\, w` over the reduced axes.
    """
    def vjp(g, ans, x, axis=None, keepdims=False):
        return _expand(g, x, axis, keepdims) * weight(ans, x, axis, keepdims)

    def jvp(t, ans, x, axis=None, keepdims=False):
        return np.sum(t * weight(ans, x, axis, keepdims), axis=axis, keepdims=keepdims)
    return defrule(name, impl, [vjp], [jvp], saves=saves)


def _extremum_share(ans, x, axis, keepdims):
    """Where x attains its max (or min) along axis, divided by the number of ties."""
    hit = _mask_float(strip(x) == np.reshape(strip(ans), _kept_shape(shape_of(x), axis)))
    return hit / np.sum(hit, axis=axis, keepdims=True)


def _product_of_others(ans, x, axis, keepdims):
    """For each element, the product of the other elements of its reduction group.

    Equals ans / x when x has no zeros; otherwise it is computed directly (one
    reduction per element, fine for the small arrays where zeros occur in practice).
    """
    plain = strip(x)
    if np.all(plain != 0):
        return _expand(ans, x, axis, keepdims) / x
    shape = shape_of(x)
    axes = tuple(range(len(shape))) if axis is None else axis
    rest = tuple(i for i in range(len(shape)) if i not in axes)
    moved = np.transpose(x, rest + axes)                   # reduced axes last
    n = _reduced_size(shape, axes)
    flat = np.reshape(moved, tuple(shape[i] for i in rest) + (n,))
    eye = np.eye(n, dtype=bool)
    others = np.prod(np.where(eye, 1.0, np.expand_dims(flat, -2)), axis=-1)
    others = np.reshape(others, tuple(shape[i] for i in rest + axes))
    return np.transpose(others, tuple(np.argsort(rest + axes)))


MAX = weighted_reduction("max", lambda x, axis=None, keepdims=False:
                         np.max(x, axis=axis, keepdims=keepdims), _extremum_share)
MIN = weighted_reduction("min", lambda x, axis=None, keepdims=False:
                         np.min(x, axis=axis, keepdims=keepdims), _extremum_share)
PROD = weighted_reduction("prod", lambda x, axis=None, keepdims=False:
                          np.multiply.reduce(x, axis=axis, keepdims=keepdims), _product_of_others)


def _reduction_arguments(name, a, axis, dtype, out, keepdims, initial=_NO_VALUE,
                         where=_NO_VALUE):
    """The rule's keyword arguments; refuses out=, a dtype other than float64, initial=, where=."""
    _reject_out(out, name)
    _reject_dtype(name, dtype)
    if initial is not _NO_VALUE:
        raise _unsupported(name, "initial", initial, "not implemented")
    if _where_mask(name, where, shape_of(a)) is not None:
        raise _unsupported(name, "where", where, "not implemented")
    return {"axis": _normalize_axis(axis, len(shape_of(a))), "keepdims": bool(keepdims)}


@implements(np.sum)
def _sum_of(a, axis=None, dtype=None, out=None, keepdims=False, initial=_NO_VALUE,
            where=_NO_VALUE):
    mask = _where_mask("sum", where, shape_of(a))
    if mask is not None:                      # the sum of the selected elements
        a = np.where(mask, a, 0.0)
    return bind(SUM, (a,), _reduction_arguments("sum", a, axis, dtype, out, keepdims, initial))


@implements(np.mean)
def _mean_of(a, axis=None, dtype=None, out=None, keepdims=False, *, where=_NO_VALUE):
    arguments = _reduction_arguments("mean", a, axis, dtype, out, keepdims)
    mask = _where_mask("mean", where, shape_of(a))
    if mask is None:
        return bind(MEAN, (a,), arguments)
    count = np.sum(mask, **arguments)         # the mean of the selected elements
    return bind(SUM, (np.where(mask, a, 0.0),), arguments) / count


@implements(np.prod)
def _prod_of(a, axis=None, dtype=None, out=None, keepdims=False, initial=_NO_VALUE,
             where=_NO_VALUE):
    return bind(PROD, (a,), _reduction_arguments("prod", a, axis, dtype, out, keepdims, initial,
                                                 where))


def _extremum_of(rule, name):
    """The handler of numpy.<name> (max, amax, min, amin): no dtype argument, unlike sum."""
    def handler(a, axis=None, out=None, keepdims=False, initial=_NO_VALUE, where=_NO_VALUE):
        return bind(rule, (a,), _reduction_arguments(name, a, axis, None, out, keepdims, initial,
                                                     where))
    return handler


for _function, _rule in ((np.max, MAX), (np.amax, MAX), (np.min, MIN), (np.amin, MIN)):
    implements(_function)(_extremum_of(_rule, _function.__name__))


@implements(np.var)
def _var(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=_NO_VALUE,
         mean=_NO_VALUE, correction=_NO_VALUE):
    """Variance composed of traced operations, as NumPy computes it.

    :math:`\\sum_i m_i (a_i - \\bar a)^2 / \\max(n - \\mathrm{ddof}, 0)` over each
    group, where the mask :math:`m` (``where``; all ones by default) selects the
    :math:`n` elements that count and :math:`\\bar a` is their mean (or ``mean``,
    if given). ``correction`` is the Array API name of ``ddof``.
    """
    _reject_out(out, "var")
    _reject_dtype("var", dtype)
    if correction is not _NO_VALUE:
        if ddof != 0:
            raise ValueError("ddof and correction can't be provided simultaneously.")
        ddof = correction
    axes = _normalize_axis(axis, len(shape_of(a)))
    mask = _where_mask("var", where, shape_of(a))
    if mean is _NO_VALUE:
        mean = _mean_of(a, axes, keepdims=True, where=where)
    centered = a - mean
    if mask is None:
        n = _reduced_size(shape_of(a), axes)
    else:
        centered = np.where(mask, centered, 0.0)   # unselected elements add nothing, not even NaN
        n = np.sum(mask, axis=axes, keepdims=keepdims)
    return np.sum(centered * centered, axis=axes, keepdims=keepdims) / np.maximum(n - ddof, 0)


@implements(np.std)
def _std(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=_NO_VALUE,
         mean=_NO_VALUE, correction=_NO_VALUE):
    """The square root of the variance (:func:`numpy.var`, same arguments)."""
    _reject_out(out, "std")
    _reject_dtype("std", dtype)
    return np.sqrt(_var(a, axis, None, None, ddof, keepdims, where=where, mean=mean,
                        correction=correction))


@implements(np.linalg.norm)
def _norm(x, ord=None, axis=None, keepdims=False):
    """Vector norms (ord None, 2, 1, inf) and the Frobenius norm, composed of traced operations.

    The derivative of the 2-norm, x / ||x||, does not exist at x = 0 (NaN there).
    """
    ndim = np.ndim(x)
    axes = _normalize_axis(axis, ndim)
    vector = (axes is not None and len(axes) == 1) or (axes is None and ndim == 1)
    if ord is None or (ord == "fro" and not vector) or (ord == 2 and vector):
        return np.sqrt(np.sum(x * x, axis=axes, keepdims=keepdims))
    if vector and ord == 1:
        return np.sum(np.abs(x), axis=axes, keepdims=keepdims)
    if vector and ord == np.inf:
        return np.max(np.abs(x), axis=axes, keepdims=keepdims)
    raise TypeError(f"numpy.linalg.norm with ord={ord!r} for {'vectors' if vector else 'matrices'} "
                    f"is not supported on traced values (supported: the vector 2-, 1- and "
                    f"inf-norms and the Frobenius norm)")


def _reverse(x, axis):
    return x[(slice(None),) * axis + (slice(None, None, -1),)]


CUMSUM = defrule("cumsum", lambda x, axis: np.cumsum(x, axis=axis),
                 # the adjoint of a running sum is a running sum from the other end
                 vjp=[lambda g, ans, x, axis: _reverse(np.cumsum(_reverse(g, axis), axis=axis),
                                                       axis)],
                 jvp=[lambda t, ans, x, axis: np.cumsum(t, axis=axis)],
                 saves="shapes")


@implements(np.cumsum)
def _cumsum(a, axis=None, dtype=None, out=None):
    _reject_out(out, "cumsum")
    _reject_dtype("cumsum", dtype)
    if axis is None:
        a, axis = np.reshape(a, (-1,)), 0
    (axis,) = _normalize_axis(axis, len(shape_of(a)))
    return bind(CUMSUM, (a,), {"axis": axis})


# ---- shape manipulation ----------------------------------------------------------------------

RESHAPE = defrule("reshape", lambda x, shape: np.reshape(x, shape),
                  vjp=[lambda g, ans, x, shape: np.reshape(g, shape_of(x))],
                  jvp=[lambda t, ans, x, shape: np.reshape(t, shape)], saves="shapes")

_LAYOUT = "'A' and 'K' follow the memory layout, which traced values do not have"


@implements(np.reshape)
def _reshape(a, /, shape, order="C", *, copy=None):
    if copy is False:
        raise _unsupported("reshape", "copy", copy, "traced values have no memory to share")
    if order == "F":     # Fortran order: the C-order reshape of the reversed axes, reversed back
        shape = (shape,) if np.ndim(shape) == 0 else tuple(shape)
        return np.transpose(bind(RESHAPE, (np.transpose(a),), {"shape": shape[::-1]}))
    if order != "C":
        raise _unsupported("reshape", "order", order, _LAYOUT)
    return bind(RESHAPE, (a,), {"shape": shape})


def _inverse_permutation(axes, ndim):
    if axes is None:
        return None
    return tuple(np.argsort([a % ndim for a in axes]))


TRANSPOSE = defrule("transpose", lambda x, axes=None: np.transpose(x, axes),
                    vjp=[lambda g, ans, x, axes=None:
                         np.transpose(g, _inverse_permutation(axes, len(shape_of(x))))],
                    jvp=[lambda t, ans, x, axes=None: np.transpose(t, axes)], saves="shapes")


@implements(np.transpose)
def _transpose(a, axes=None):
    if axes is not None:         # NumPy's AxisError for an axis out of range
        axes = _axes(axes, len(shape_of(a)))
    return bind(TRANSPOSE, (a,), {"axes": axes})


@implements(np.swapaxes)
def _swapaxes(a, axis1, axis2):
    ndim = len(shape_of(a))
    (axis1,), (axis2,) = _axes(axis1, ndim, "axis1"), _axes(axis2, ndim, "axis2")
    perm = list(range(ndim))
    perm[axis1], perm[axis2] = perm[axis2], perm[axis1]
    return np.transpose(a, perm)


@implements(np.moveaxis)
def _moveaxis(a, source, destination):
    ndim = len(shape_of(a))
    source, destination = _axes(source, ndim, "source"), _axes(destination, ndim, "destination")
    if len(source) != len(destination):
        raise ValueError("`source` and `destination` arguments must have the same number of "
                         "elements")
    order = [i for i in range(ndim) if i not in source]
    for d, s in sorted(zip(destination, source)):
        order.insert(d, s)
    return np.transpose(a, order)


@implements(np.expand_dims)
def _expand_dims(a, axis):
    shape = list(shape_of(a))
    count = len(axis) if isinstance(axis, (tuple, list)) else 1
    for ax in sorted(_axes(axis, len(shape) + count)):
        shape.insert(ax, 1)
    return np.reshape(a, tuple(shape))


@implements(np.squeeze)
def _squeeze(a, axis=None):
    shape = shape_of(a)
    axes = _normalize_axis(axis, len(shape))
    if axes is not None and any(shape[i] != 1 for i in axes):
        raise ValueError("cannot select an axis to squeeze out which has size not equal to one")
    keep = tuple(n for i, n in enumerate(shape)
                 if not (n == 1 and (axes is None or i in axes)))
    return np.reshape(a, keep)


@implements(np.ravel)
def _ravel(a, order="C"):
    if order not in ("C", "F"):
        raise _unsupported("ravel", "order", order, _LAYOUT)
    return _reshape(a, (-1,), order)


BROADCAST_TO = defrule("broadcast_to", lambda x, shape: np.broadcast_to(x, shape),
                       vjp=[lambda g, ans, x, shape: unbroadcast(g, x)],
                       jvp=[lambda t, ans, x, shape: np.broadcast_to(t, shape)], saves="shapes")


@implements(np.broadcast_to)
def _broadcast_to(array, shape, subok=False):
    # subok only matters for ndarray subclasses; a traced value is not one
    shape = (shape,) if np.ndim(shape) == 0 else tuple(shape)
    return bind(BROADCAST_TO, (array,), {"shape": shape})


@implements(np.copy)
def _copy(a, order="K", subok=False):
    return a   # traced values are never modified in place; order and subok change no value


@implements(np.full_like)
def _full_like(a, fill_value, dtype=None, order="K", subok=True, shape=None, *, device=None):
    """An array shaped like ``a`` (or ``shape``) filled with ``fill_value``; differentiable."""
    if not isinstance(fill_value, Tracer):     # a constant: only a's shape is used
        return np.full_like(strip(a), fill_value, dtype, order, subok, shape, device=device)
    _reject_dtype("full_like", dtype)
    if device not in (None, "cpu"):
        raise _unsupported("full_like", "device", device, "NumPy arrays live on the CPU")
    if shape is None:              # order and subok only choose the memory layout and class
        shape = shape_of(a)
    return np.broadcast_to(fill_value, (shape,) if np.ndim(shape) == 0 else tuple(shape))


# ---- indexing --------------------------------------------------------------------------------

def _is_basic(key):
    """True for keys made of ints, slices, None and Ellipsis (no repeated elements possible)."""
    parts = key if isinstance(key, tuple) else (key,)
    for k in parts:
        if not (k is None or k is Ellipsis or isinstance(k, (int, np.integer, slice))):
            arr = np.asarray(k)
            if arr.dtype != bool:
                return False
    return True


def _index_add_impl(g, key, shape):
    """zeros(shape) with g added at key; repeated integer indices accumulate."""
    out = np.zeros(shape, dtype=np.result_type(g, np.float64))
    if _is_basic(key):
        out[key] = g
    else:
        np.add.at(out, key, g)
    return out


INDEX_ADD = defrule("index_add", _index_add_impl,
                    vjp=[lambda g, ans, u, key, shape: g[key]],
                    jvp=[lambda t, ans, u, key, shape:
                         bind(INDEX_ADD, (t,), {"key": key, "shape": shape})],
                    saves="shapes")


def _getitem_impl(x, key):
    return x[key]


GETITEM = defrule("getitem", _getitem_impl,
                  vjp=[lambda g, ans, x, key: bind(INDEX_ADD, (g,), {"key": key,
                                                                     "shape": shape_of(x)})],
                  jvp=[lambda t, ans, x, key: t[key]], saves="shapes")
_GETITEM[0] = GETITEM


# ---- joining arrays ----------------------------------------------------------------------------

def _join_rule(name, join, part):
    """The rule of ``join`` (np.concatenate or np.stack) of the arrays ``xs`` along ``axis``.

    ``part(i, g, ans, *xs, axis)`` cuts out of ``g`` the piece that came from
    ``xs[i]``: that is the vjp for ``xs[i]``. The jvp joins ``t`` with zeros in
    place of the other arrays.
    """
    def jvp(i, t, ans, *xs, axis):
        parts = [np.zeros(shape_of(x)) for x in xs]
        parts[i] = np.broadcast_to(t, shape_of(xs[i]))
        return join(parts, axis=axis)
    return defrule(name, lambda *xs, axis: join(xs, axis=axis), vjp=_Each(part), jvp=_Each(jvp),
                   saves="shapes")


def _concatenated_part(i, g, ans, *xs, axis):
    start = sum(shape_of(x)[axis] for x in xs[:i])
    return g[(slice(None),) * axis + (slice(start, start + shape_of(xs[i])[axis]),)]


def _stacked_part(i, g, ans, *xs, axis):
    return g[(slice(None),) * axis + (i,)]


CONCATENATE = _join_rule("concatenate", np.concatenate, _concatenated_part)
STACK = _join_rule("stack", np.stack, _stacked_part)


def _join_arguments(name, out, dtype, casting):
    """Refuse what joining traced arrays does not implement: out=, dtype, non-default casting."""
    _reject_out(out, name)
    _reject_dtype(name, dtype)
    if casting != "same_kind":
        raise _unsupported(name, "casting", casting, "only the default 'same_kind' is implemented")


@implements(np.concatenate)
def _concatenate(arrays, /, axis=0, out=None, *, dtype=None, casting="same_kind"):
    _join_arguments("concatenate", out, dtype, casting)
    arrays = list(arrays)
    if axis is None:             # join the flattened arrays
        arrays, axis = [np.reshape(a, (-1,)) for a in arrays], 0
    ndim = len(shape_of(arrays[0]))
    if ndim == 0:
        raise ValueError("zero-dimensional arrays cannot be concatenated")
    (axis,) = _axes(axis, ndim)
    return bind(CONCATENATE, arrays, {"axis": axis})


@implements(np.stack)
def _stack(arrays, axis=0, out=None, *, dtype=None, casting="same_kind"):
    _join_arguments("stack", out, dtype, casting)
    arrays = list(arrays)
    (axis,) = _axes(axis, len(shape_of(arrays[0])) + 1)   # the new axis may come last
    return bind(STACK, arrays, {"axis": axis})


@implements(np.hstack)
def _hstack(tup, *, dtype=None, casting="same_kind"):
    _join_arguments("hstack", None, dtype, casting)
    arrays = [np.reshape(a, (-1,)) if np.ndim(a) == 0 else a for a in tup]
    return np.concatenate(arrays, axis=0 if np.ndim(arrays[0]) == 1 else 1)


@implements(np.vstack)
def _vstack(tup, *, dtype=None, casting="same_kind"):
    _join_arguments("vstack", None, dtype, casting)
    arrays = [np.reshape(a, (1, -1)) if np.ndim(a) < 2 else a for a in tup]
    return np.concatenate(arrays, axis=0)


# ---- numerically stable log-sum-exp, softmax and log-softmax ------------------------------------

def _logsumexp_impl(x, axis=None, keepdims=False):
    x = np.asarray(x, dtype=np.float64)
    m = np.maximum.reduce(x, axis=axis, keepdims=True)
    if np.isfinite(m).all():                # every sum is >= 1 (its largest term is 1)
        r = np.log(np.add.reduce(np.exp(x - m), axis=axis, keepdims=True))
    else:                                   # rows of -inf (or inf): shift by 0 instead
        m = np.where(np.isfinite(m), m, 0.0)
        with np.errstate(divide="ignore"):  # a row of -inf sums to 0: log gives -inf
            r = np.log(np.add.reduce(np.exp(x - m), axis=axis, keepdims=True))
    r += m
    if not keepdims:
        r = r.reshape(_reduced_shape(r.shape, axis))
    return r[()] if r.ndim == 0 else r


def _reduced_shape(shape, axis):
    return () if axis is None else tuple(n for i, n in enumerate(shape) if i not in axis)


# d logsumexp(x) / dx_i = exp(x_i - logsumexp(x)): the softmax of x
LOGSUMEXP = weighted_reduction("logsumexp", _logsumexp_impl, lambda ans, x, axis, keepdims:
                               np.exp(x - _expand(ans, x, axis, keepdims)))


def _softmax_impl(x, axis):
    x = np.asarray(x, dtype=np.float64)
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def _softmax_product(v, ans, x, axis):
    """J v = s (v - <v, s>) for the softmax s = ans; J = diag(s) - s s^T is symmetric: J^T = J."""
    return ans * (v - np.sum(v * ans, axis=axis, keepdims=True))


SOFTMAX = defrule("softmax", _softmax_impl, vjp=[_softmax_product], jvp=[_softmax_product],
                  saves="ans")


def _log_softmax_impl(x, axis):
    x = np.asarray(x, dtype=np.float64)
    return x - _logsumexp_impl(x, axis=(axis,), keepdims=True)


# J = I - 1 s^T with s = exp(ans), the softmax: not symmetric, so the two products differ
LOG_SOFTMAX = defrule("log_softmax", _log_softmax_impl,
                      vjp=[lambda g, ans, x, axis:
                           g - np.exp(ans) * _sum(g, axis=axis, keepdims=True)],
                      jvp=[lambda t, ans, x, axis:
                           t - np.sum(np.exp(ans) * t, axis=axis, keepdims=True)],
                      saves="ans")


# ---- operations without a derivative: evaluated on plain values --------------------------------

NONDIFFERENTIABLE.update({
    # comparisons and predicates (boolean results)
    np.greater, np.greater_equal, np.less, np.less_equal, np.equal, np.not_equal,
    np.logical_and, np.logical_or, np.logical_not, np.logical_xor,
    np.isfinite, np.isnan, np.isinf, np.signbit,
    # piecewise constant: derivative zero wherever it exists
    np.sign, np.floor, np.ceil, np.trunc, np.rint, np.round, np.around,
    # integer results, shape queries, constructors that only use the shape
    np.argmax, np.argmin, np.argsort, np.nonzero, np.count_nonzero, np.searchsorted,
    np.shape, np.ndim, np.size, np.any, np.all, np.isclose, np.allclose, np.array_equal,
    np.zeros_like, np.ones_like, np.empty_like, np.result_type,
    np.iscomplexobj, np.isrealobj,
})
