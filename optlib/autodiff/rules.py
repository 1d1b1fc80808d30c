"""The table of derivative rules: every differentiable operation in one place.

Defined in the chapter "Automatic differentiation".

Each entry gives, side by side, the vector-Jacobian products (reverse mode)
and Jacobian-vector products (forward mode) of one operation with respect to
each of its arguments::

    vjp[i](g, ans, *args)  =  g^T  d ans / d args[i]     (shape of args[i])
    jvp[i](t, ans, *args)  =  (d ans / d args[i]) t       (broadcasts to ans)

where ``ans`` is the operation's result, ``g`` the cotangent of ``ans`` and
``t`` the tangent of ``args[i]``. Rules are written with ordinary NumPy calls,
so they are traced themselves when they run on traced values: this is what
makes ``grad(grad(f))`` and ``jvp(grad(f))`` work.

Conventions for non-smooth points (documented in the chapter):

- ``abs``: derivative ``sign(x)``, so 0 at ``x = 0`` (a valid subgradient).
- ``maximum`` / ``minimum``: on ties each argument gets half of the cotangent.
- ``max`` / ``min`` reductions: the cotangent is shared equally among all
  elements that attain the extremum.
- ``clip``: derivative 1 where ``a_min <= x <= a_max`` (as in PyTorch), else 0.
- ``sign``, ``floor``, ``ceil``, ``round``, ``trunc``, comparisons, ``argmax`` and
  friends return plain arrays: their derivative is zero wherever it exists.

Broadcasting: a vjp returns a cotangent with the shape of its argument, summing
over broadcast axes (:func:`unbroadcast`).
"""
from __future__ import annotations

import math
import string

import numpy as np

from optlib.autodiff.core import (FUNCTION_HANDLERS, NONDIFFERENTIABLE, UFUNC_RULES, Rule,
                                  Tracer, bind, shape_of, strip, _GETITEM)

__all__ = ["unbroadcast", "RULES", "defrule"]

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
    """np.sum, without its dispatch cost (as large as the sum of a bias gradient) for plain arrays."""
    return np.add.reduce(g, **kwargs) if type(g) is np.ndarray else np.sum(g, **kwargs)


def _spread(g, shape):
    """``g`` broadcast to ``shape``; for plain arrays a filled copy (cheaper than np.broadcast_to)."""
    return np.full(shape, g) if type(g) is np.ndarray else np.broadcast_to(g, shape)


def _normalize_axis(axis, ndim):
    """None, or a sorted tuple of non-negative axes."""
    if axis is None:
        return None
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    out = []
    for a in axes:
        a = int(a)
        if not -ndim <= a < max(ndim, 1):
            raise ValueError(f"axis {a} is out of bounds for an array of dimension {ndim}")
        out.append(a % max(ndim, 1))
    return tuple(sorted(out))


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


# ---- elementwise arithmetic ------------------------------------------------------------

defrule("add", np.add,
        vjp=[lambda g, ans, x, y: unbroadcast(g, x),
             lambda g, ans, x, y: unbroadcast(g, y)],
        jvp=[lambda t, ans, x, y: t,
             lambda t, ans, x, y: t],
        ufunc=np.add, saves="shapes")
defrule("subtract", np.subtract,
        vjp=[lambda g, ans, x, y: unbroadcast(g, x),
             lambda g, ans, x, y: unbroadcast(-g, y)],
        jvp=[lambda t, ans, x, y: t,
             lambda t, ans, x, y: -t],
        ufunc=np.subtract, saves="shapes")
defrule("multiply", np.multiply,
        vjp=[lambda g, ans, x, y: unbroadcast(g * y, x),
             lambda g, ans, x, y: unbroadcast(g * x, y)],
        jvp=[lambda t, ans, x, y: t * y,
             lambda t, ans, x, y: x * t],
        ufunc=np.multiply, saves="args")
defrule("divide", np.true_divide,
        vjp=[lambda g, ans, x, y: unbroadcast(g / y, x),
             lambda g, ans, x, y: unbroadcast(-g * ans / y, y)],
        jvp=[lambda t, ans, x, y: t / y,
             lambda t, ans, x, y: -t * ans / y],
        ufunc=np.true_divide)


def _log_base(x):
    """log(x), with 0 where x == 0 (there the term it multiplies vanishes: 0**y)."""
    return np.log(np.where(strip(x) == 0, 1.0, x))


defrule("power", np.power,
        vjp=[lambda g, ans, x, y: unbroadcast(g * y * x ** (y - 1), x),
             lambda g, ans, x, y: unbroadcast(g * ans * _log_base(x), y)],
        jvp=[lambda t, ans, x, y: t * y * x ** (y - 1),
             lambda t, ans, x, y: t * ans * _log_base(x)],
        ufunc=np.power)
defrule("negative", np.negative,
        vjp=[lambda g, ans, x: -g],
        jvp=[lambda t, ans, x: -t],
        ufunc=np.negative, saves="shapes")
defrule("positive", np.positive,
        vjp=[lambda g, ans, x: g],
        jvp=[lambda t, ans, x: t],
        ufunc=np.positive, saves="shapes")
defrule("reciprocal", np.reciprocal,
        vjp=[lambda g, ans, x: -g * ans * ans],
        jvp=[lambda t, ans, x: -t * ans * ans],
        ufunc=np.reciprocal, saves="ans")
defrule("square", np.square,
        vjp=[lambda g, ans, x: g * 2.0 * x],
        jvp=[lambda t, ans, x: t * 2.0 * x],
        ufunc=np.square, saves="args")
defrule("sqrt", np.sqrt,
        vjp=[lambda g, ans, x: g * 0.5 / ans],
        jvp=[lambda t, ans, x: t * 0.5 / ans],
        ufunc=np.sqrt, saves="ans")
defrule("absolute", np.absolute,
        vjp=[lambda g, ans, x: g * np.sign(strip(x))],
        jvp=[lambda t, ans, x: t * np.sign(strip(x))],
        ufunc=np.absolute, saves="args")

# ---- exponentials, logarithms, trigonometric and hyperbolic functions ------------------

defrule("exp", np.exp,
        vjp=[lambda g, ans, x: g * ans],
        jvp=[lambda t, ans, x: t * ans],
        ufunc=np.exp, saves="ans")
defrule("expm1", np.expm1,
        vjp=[lambda g, ans, x: g * (ans + 1.0)],
        jvp=[lambda t, ans, x: t * (ans + 1.0)],
        ufunc=np.expm1, saves="ans")
defrule("log", np.log,
        vjp=[lambda g, ans, x: g / x],
        jvp=[lambda t, ans, x: t / x],
        ufunc=np.log, saves="args")
defrule("log1p", np.log1p,
        vjp=[lambda g, ans, x: g / (1.0 + x)],
        jvp=[lambda t, ans, x: t / (1.0 + x)],
        ufunc=np.log1p, saves="args")
defrule("log2", np.log2,
        vjp=[lambda g, ans, x: g / (x * np.log(2.0))],
        jvp=[lambda t, ans, x: t / (x * np.log(2.0))],
        ufunc=np.log2, saves="args")
defrule("log10", np.log10,
        vjp=[lambda g, ans, x: g / (x * np.log(10.0))],
        jvp=[lambda t, ans, x: t / (x * np.log(10.0))],
        ufunc=np.log10, saves="args")
defrule("sin", np.sin,
        vjp=[lambda g, ans, x: g * np.cos(x)],
        jvp=[lambda t, ans, x: t * np.cos(x)],
        ufunc=np.sin, saves="args")
defrule("cos", np.cos,
        vjp=[lambda g, ans, x: -g * np.sin(x)],
        jvp=[lambda t, ans, x: -t * np.sin(x)],
        ufunc=np.cos, saves="args")
defrule("tan", np.tan,
        vjp=[lambda g, ans, x: g * (1.0 + ans * ans)],
        jvp=[lambda t, ans, x: t * (1.0 + ans * ans)],
        ufunc=np.tan, saves="ans")
defrule("arcsin", np.arcsin,
        vjp=[lambda g, ans, x: g / np.sqrt(1.0 - x * x)],
        jvp=[lambda t, ans, x: t / np.sqrt(1.0 - x * x)],
        ufunc=np.arcsin, saves="args")
defrule("arccos", np.arccos,
        vjp=[lambda g, ans, x: -g / np.sqrt(1.0 - x * x)],
        jvp=[lambda t, ans, x: -t / np.sqrt(1.0 - x * x)],
        ufunc=np.arccos, saves="args")
defrule("arctan", np.arctan,
        vjp=[lambda g, ans, x: g / (1.0 + x * x)],
        jvp=[lambda t, ans, x: t / (1.0 + x * x)],
        ufunc=np.arctan, saves="args")
defrule("sinh", np.sinh,
        vjp=[lambda g, ans, x: g * np.cosh(x)],
        jvp=[lambda t, ans, x: t * np.cosh(x)],
        ufunc=np.sinh, saves="args")
defrule("cosh", np.cosh,
        vjp=[lambda g, ans, x: g * np.sinh(x)],
        jvp=[lambda t, ans, x: t * np.sinh(x)],
        ufunc=np.cosh, saves="args")
defrule("tanh", np.tanh,
        vjp=[lambda g, ans, x: g * (1.0 - ans * ans)],
        jvp=[lambda t, ans, x: t * (1.0 - ans * ans)],
        ufunc=np.tanh, saves="ans")

defrule("logaddexp", np.logaddexp,
        vjp=[lambda g, ans, x, y: unbroadcast(g * np.exp(x - ans), x),
             lambda g, ans, x, y: unbroadcast(g * np.exp(y - ans), y)],
        jvp=[lambda t, ans, x, y: t * np.exp(x - ans),
             lambda t, ans, x, y: t * np.exp(y - ans)],
        ufunc=np.logaddexp)

def _sigmoid(x):
    """1 / (1 + exp(-x)), computed without overflow as (1 + tanh(x / 2)) / 2."""
    return 0.5 * (np.tanh(0.5 * np.asarray(x, dtype=np.float64)) + 1.0)


SIGMOID = defrule("sigmoid", _sigmoid,
                  vjp=[lambda g, ans, x: g * ans * (1.0 - ans)],
                  jvp=[lambda t, ans, x: t * ans * (1.0 - ans)], saves="ans")

# ---- maximum, minimum, where, clip: piecewise rules -----------------------------------


def _share_max(x, y):
    """Weight of x in maximum(x, y): 1 where x > y, 1/2 on ties, 0 elsewhere."""
    x, y = strip(x), strip(y)
    return _mask_float(x > y) + 0.5 * _mask_float(x == y)


def _share_min(x, y):
    x, y = strip(x), strip(y)
    return _mask_float(x < y) + 0.5 * _mask_float(x == y)


defrule("maximum", np.maximum,
        vjp=[lambda g, ans, x, y: unbroadcast(g * _share_max(x, y), x),
             lambda g, ans, x, y: unbroadcast(g * _share_max(y, x), y)],
        jvp=[lambda t, ans, x, y: t * _share_max(x, y),
             lambda t, ans, x, y: t * _share_max(y, x)],
        ufunc=np.maximum, saves="args")
defrule("minimum", np.minimum,
        vjp=[lambda g, ans, x, y: unbroadcast(g * _share_min(x, y), x),
             lambda g, ans, x, y: unbroadcast(g * _share_min(y, x), y)],
        jvp=[lambda t, ans, x, y: t * _share_min(x, y),
             lambda t, ans, x, y: t * _share_min(y, x)],
        ufunc=np.minimum, saves="args")

WHERE = defrule("where", lambda x, y, c: np.where(c, x, y),
                vjp=[lambda g, ans, x, y, c: unbroadcast(np.where(c, g, 0.0), x),
                     lambda g, ans, x, y, c: unbroadcast(np.where(c, 0.0, g), y)],
                jvp=[lambda t, ans, x, y, c: np.where(c, t, 0.0),
                     lambda t, ans, x, y, c: np.where(c, 0.0, t)], saves="shapes")


@implements(np.where)
def _where(condition, x=None, y=None):
    if x is None and y is None:
        return np.where(strip(condition))
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


def _below(x, lo):
    return _mask_float(strip(x) < strip(lo))


def _above(x, hi):
    return _mask_float(strip(x) > strip(hi))


CLIP = defrule("clip", _clip_impl,
               vjp=[lambda g, ans, x, lo, hi: unbroadcast(g * _inside(x, lo, hi), x),
                    lambda g, ans, x, lo, hi: unbroadcast(g * _below(x, lo), lo),
                    lambda g, ans, x, lo, hi: unbroadcast(g * _above(x, hi), hi)],
               jvp=[lambda t, ans, x, lo, hi: t * _inside(x, lo, hi),
                    lambda t, ans, x, lo, hi: t * _below(x, lo),
                    lambda t, ans, x, lo, hi: t * _above(x, hi)], saves="args")

_NO_VALUE = object()


@implements(np.clip)
def _clip(a, a_min=_NO_VALUE, a_max=_NO_VALUE, out=None, *, min=_NO_VALUE, max=_NO_VALUE,
          **kwargs):
    _reject_out(out, "clip")
    lo = a_min if a_min is not _NO_VALUE else (min if min is not _NO_VALUE else None)
    hi = a_max if a_max is not _NO_VALUE else (max if max is not _NO_VALUE else None)
    return bind(CLIP, (a, lo, hi))


def _reject_out(out, name):
    if out is not None:
        raise TypeError(f"in-place write with numpy.{name}(..., out=...) involving a traced value")


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
    if kwargs:
        raise TypeError(f"keyword arguments {sorted(kwargs)} of numpy.einsum are not supported "
                        f"on traced values")
    inputs, output = _einsum_subscripts(subscripts, [shape_of(x) for x in operands])
    return bind(EINSUM, operands, {"inputs": tuple(inputs), "output": output,
                                   "optimize": optimize})


@implements(np.diag)
def _diag(v, k=0):
    """diag of a vector (a diagonal matrix) or of a matrix (its diagonal), composed of traced ops."""
    if k != 0:
        raise TypeError("numpy.diag with k != 0 is not supported on traced values")
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
    if offset != 0 or (axis1, axis2) != (0, 1) or len(shape_of(a)) != 2:
        raise TypeError("only the plain trace of a matrix is supported on traced values")
    return np.sum(np.diag(a))


# ---- reductions ----------------------------------------------------------------------------

# The implementations call ufunc.reduce directly: same result as np.sum / np.mean, less overhead.
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


def _extremum_share(ans, x, axis, keepdims):
    """Where x attains its max (or min) along axis, divided by the number of ties."""
    hit = _mask_float(strip(x) == np.reshape(strip(ans), _kept_shape(shape_of(x), axis)))
    return hit / np.sum(hit, axis=axis, keepdims=True)


def _extremum_vjp(g, ans, x, axis=None, keepdims=False):
    return _expand(g, x, axis, keepdims) * _extremum_share(ans, x, axis, keepdims)


def _extremum_jvp(t, ans, x, axis=None, keepdims=False):
    return np.sum(t * _extremum_share(ans, x, axis, keepdims), axis=axis, keepdims=keepdims)


MAX = defrule("max", lambda x, axis=None, keepdims=False: np.max(x, axis=axis, keepdims=keepdims),
              vjp=[_extremum_vjp], jvp=[_extremum_jvp])
MIN = defrule("min", lambda x, axis=None, keepdims=False: np.min(x, axis=axis, keepdims=keepdims),
              vjp=[_extremum_vjp], jvp=[_extremum_jvp])


def _product_of_others(x, ans, axis, keepdims):
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


PROD = defrule("prod", lambda x, axis=None, keepdims=False: np.multiply.reduce(x, axis=axis,
                                                                                keepdims=keepdims),
               vjp=[lambda g, ans, x, axis=None, keepdims=False:
                    _expand(g, x, axis, keepdims) * _product_of_others(x, ans, axis, keepdims)],
               jvp=[lambda t, ans, x, axis=None, keepdims=False:
                    np.sum(t * _product_of_others(x, ans, axis, keepdims), axis=axis,
                           keepdims=keepdims)])


def _reduction(rule, numpy_name):
    def handler(a, axis=None, dtype=None, out=None, keepdims=False, **kwargs):
        _reject_out(out, numpy_name)
        if dtype is not None and np.dtype(dtype) != np.float64:
            raise TypeError(f"numpy.{numpy_name}(..., dtype={dtype!r}) would drop the derivative; "
                            f"traced values are float64")
        if kwargs.get("where", True) is not True or kwargs.get("initial") is not None:
            raise TypeError(f"the where= and initial= arguments of numpy.{numpy_name} are not "
                            f"supported on traced values")
        return bind(rule, (a,), {"axis": _normalize_axis(axis, len(shape_of(a))),
                                 "keepdims": bool(keepdims)})
    return handler


implements(np.sum)(_reduction(SUM, "sum"))
implements(np.mean)(_reduction(MEAN, "mean"))
implements(np.prod)(_reduction(PROD, "prod"))
implements(np.max, np.amax)(_reduction(MAX, "max"))
implements(np.min, np.amin)(_reduction(MIN, "min"))


@implements(np.var)
def _var(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, **kwargs):
    """Variance, composed of traced operations: mean((a - mean(a))**2) * n / (n - ddof)."""
    _reject_out(out, "var")
    axes = _normalize_axis(axis, np.ndim(a))
    n = _reduced_size(shape_of(a), axes)
    centered = a - np.mean(a, axis=axes, keepdims=True)
    return np.sum(centered * centered, axis=axes, keepdims=keepdims) / (n - ddof)


@implements(np.std)
def _std(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, **kwargs):
    _reject_out(out, "std")
    return np.sqrt(np.var(a, axis=axis, ddof=ddof, keepdims=keepdims))


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
    if axis is None:
        a, axis = np.reshape(a, (-1,)), 0
    (axis,) = _normalize_axis(axis, len(shape_of(a)))
    return bind(CUMSUM, (a,), {"axis": axis})


# ---- shape manipulation ----------------------------------------------------------------------

RESHAPE = defrule("reshape", lambda x, shape: np.reshape(x, shape),
                  vjp=[lambda g, ans, x, shape: np.reshape(g, shape_of(x))],
                  jvp=[lambda t, ans, x, shape: np.reshape(t, shape)], saves="shapes")


@implements(np.reshape)
def _reshape(a, shape=None, order="C", *, newshape=None, copy=None):
    if order != "C":
        raise TypeError("only order='C' reshapes are supported on traced values")
    shape = newshape if shape is None else shape
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
    if axes is not None:
        axes = tuple(int(i) for i in axes)
    return bind(TRANSPOSE, (a,), {"axes": axes})


@implements(np.swapaxes)
def _swapaxes(a, axis1, axis2):
    perm = list(range(np.ndim(a)))
    perm[axis1], perm[axis2] = perm[axis2], perm[axis1]
    return np.transpose(a, perm)


@implements(np.moveaxis)
def _moveaxis(a, source, destination):
    ndim = np.ndim(a)
    source = [s % ndim for s in np.atleast_1d(source)]
    destination = [d % ndim for d in np.atleast_1d(destination)]
    order = [i for i in range(ndim) if i not in source]
    for d, s in sorted(zip(destination, source)):
        order.insert(d, s)
    return np.transpose(a, order)


@implements(np.expand_dims)
def _expand_dims(a, axis):
    shape = list(shape_of(a))
    axes = (axis,) if np.ndim(axis) == 0 else tuple(axis)
    ndim = len(shape) + len(axes)
    for ax in sorted(a % ndim for a in axes):
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
    return np.reshape(a, (-1,))


BROADCAST_TO = defrule("broadcast_to", lambda x, shape: np.broadcast_to(x, shape),
                       vjp=[lambda g, ans, x, shape: unbroadcast(g, x)],
                       jvp=[lambda t, ans, x, shape: np.broadcast_to(t, shape)], saves="shapes")


@implements(np.broadcast_to)
def _broadcast_to(array, shape, subok=False):
    shape = (shape,) if np.ndim(shape) == 0 else tuple(shape)
    return bind(BROADCAST_TO, (array,), {"shape": shape})


@implements(np.copy)
def _copy(a, order="K", subok=False):
    return a   # traced values are never modified in place


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

def _concatenate_vjp(i, g, ans, *xs, axis):
    start = sum(shape_of(x)[axis] for x in xs[:i])
    stop = start + shape_of(xs[i])[axis]
    return g[(slice(None),) * axis + (slice(start, stop),)]


def _tangent_of_part(i, t, xs):
    """Zero tangents for every joined array but the i-th, which carries ``t``."""
    parts = [np.zeros(shape_of(x)) for x in xs]
    parts[i] = np.broadcast_to(t, shape_of(xs[i]))
    return parts


def _concatenate_jvp(i, t, ans, *xs, axis):
    return np.concatenate(_tangent_of_part(i, t, xs), axis=axis)


CONCATENATE = defrule("concatenate", lambda *xs, axis: np.concatenate(xs, axis=axis),
                      vjp=_Each(_concatenate_vjp), jvp=_Each(_concatenate_jvp), saves="shapes")


@implements(np.concatenate)
def _concatenate(arrays, axis=0, out=None, **kwargs):
    _reject_out(out, "concatenate")
    arrays = list(arrays)
    if axis is None:
        arrays, axis = [np.reshape(a, (-1,)) for a in arrays], 0
    axis = axis % max(np.ndim(arrays[0]), 1)
    return bind(CONCATENATE, arrays, {"axis": axis})


def _stack_vjp(i, g, ans, *xs, axis):
    return g[(slice(None),) * axis + (i,)]


def _stack_jvp(i, t, ans, *xs, axis):
    return np.stack(_tangent_of_part(i, t, xs), axis=axis)


STACK = defrule("stack", lambda *xs, axis: np.stack(xs, axis=axis),
                vjp=_Each(_stack_vjp), jvp=_Each(_stack_jvp), saves="shapes")


@implements(np.stack)
def _stack(arrays, axis=0, out=None, **kwargs):
    _reject_out(out, "stack")
    arrays = list(arrays)
    axis = axis % (np.ndim(arrays[0]) + 1)
    return bind(STACK, arrays, {"axis": axis})


@implements(np.hstack)
def _hstack(tup, **kwargs):
    arrays = [np.reshape(a, (-1,)) if np.ndim(a) == 0 else a for a in tup]
    return np.concatenate(arrays, axis=0 if np.ndim(arrays[0]) == 1 else 1)


@implements(np.vstack)
def _vstack(tup, **kwargs):
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


LOGSUMEXP = defrule(
    "logsumexp", _logsumexp_impl,
    vjp=[lambda g, ans, x, axis=None, keepdims=False:
         _expand(g, x, axis, keepdims) * np.exp(x - _expand(ans, x, axis, keepdims))],
    jvp=[lambda t, ans, x, axis=None, keepdims=False:
         np.sum(t * np.exp(x - _expand(ans, x, axis, keepdims)), axis=axis, keepdims=keepdims)])


def _softmax_impl(x, axis):
    x = np.asarray(x, dtype=np.float64)
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


SOFTMAX = defrule("softmax", _softmax_impl,
                  vjp=[lambda g, ans, x, axis:
                       ans * (g - np.sum(g * ans, axis=axis, keepdims=True))],
                  jvp=[lambda t, ans, x, axis:
                       ans * (t - np.sum(t * ans, axis=axis, keepdims=True))],
                  saves="ans")


def _log_softmax_impl(x, axis):
    x = np.asarray(x, dtype=np.float64)
    return x - _logsumexp_impl(x, axis=(axis,), keepdims=True)


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
    np.zeros_like, np.ones_like, np.empty_like, np.full_like, np.result_type,
    np.iscomplexobj, np.isrealobj,
})
