"""The tracing core: traced values, the tape, the backward pass, forward-mode tangents.

Taught in :chapter:`01_differentiation/automatic_differentiation`; the backward pass
is the algorithm of :chapter:`01_differentiation/backpropagation`.

How it works
------------
A transform (``grad``, ``jvp``, ...) opens a *trace* and wraps its inputs in
traced values. Plain NumPy code then runs on them unchanged: NumPy hands every
ufunc call (``np.exp``, ``+``, ``@``) to :meth:`Tracer.__array_ufunc__` and every
other NumPy function (``np.sum``, ``np.reshape``) to
:meth:`Tracer.__array_function__`. Both look the operation up in the table of
rules (:mod:`optlib.autodiff.rules`) and call :func:`bind`, which

1. finds the innermost trace among the arguments (the one with the highest
   *level*),
2. unwraps the arguments that belong to it, computes the result, and
3. wraps the result again for that trace: a :class:`ReverseTracer` gets a
   record on the trace's tape (the rule and what its vjps will read); a
   :class:`ForwardTracer` carries the tangent, pushed forward by the rule's
   ``jvp``.

Every transform gets a fresh level, higher than the levels of all traces that
are active around it. A value that belongs to an outer trace is a constant for
an inner one, which is what rules out *perturbation confusion* in nested
derivatives such as ``d/dx (x * d/dy (x + y))``. Derivative rules are written
with NumPy calls, so when they run on values of an outer trace they are traced
in turn: that is all it takes for ``grad(grad(f))`` or forward-over-reverse
Hessian-vector products to work.

The backward pass (:meth:`ReverseTrace.backward`) walks the tape once in reverse
order of creation, which is a reverse topological order. A node's cotangent is
complete (all paths through it merged by summation) before the node passes it
on to its arguments, so the cost is one vector-Jacobian product per edge, never
one per path.

A trace is closed when the transform's function returns. A traced value kept
beyond that (in a list or a global) would otherwise carry a derivative into
computations it knows nothing about; using it raises ``TypeError`` instead.

>>> import numpy as np
>>> trace = ReverseTrace()
>>> x = trace.new_input(np.array(2.0))
>>> y = np.sin(x) * x
>>> [record[0].name if record[0] else "input" for record in trace.tape]
['input', 'sin', 'multiply']
>>> (dx,) = trace.backward([(y, np.array(1.0))], [x])
>>> bool(np.isclose(dx, np.cos(2.0) * 2.0 + np.sin(2.0)))
True
"""
from __future__ import annotations

import itertools

import numpy as np

__all__ = ["Rule", "Shape", "Tracer", "ReverseTracer", "ForwardTracer", "ReverseTrace",
           "ForwardTrace", "bind", "strip", "shape_of", "UFUNC_RULES", "FUNCTION_HANDLERS",
           "NONDIFFERENTIABLE"]

#: ufunc -> Rule, filled in by :mod:`optlib.autodiff.rules`.
UFUNC_RULES: dict = {}
#: NumPy function -> callable that evaluates it on traced values (usually by binding a Rule).
FUNCTION_HANDLERS: dict = {}
#: NumPy functions and ufuncs whose result carries no derivative (integer, boolean or
#: piecewise-constant results): they are evaluated on the plain values.
NONDIFFERENTIABLE: set = set()

_EMPTY: dict = {}            # shared empty keyword dictionary; never mutated
_next_level = itertools.count(1)


class Rule:
    """One primitive operation: how to compute it and how to differentiate it.

    Parameters
    ----------
    name : str
        The name shown in graphs and error messages.
    impl : callable
        ``impl(*args, **kwargs)`` evaluates the operation on plain NumPy values.
    vjp : sequence of callables
        ``vjp[i](g, ans, *args, **kwargs)`` is the vector-Jacobian product
        :math:`g^\\top \\partial\\,\\mathrm{ans} / \\partial\\,\\mathrm{args}_i`, with
        the shape of ``args[i]``. ``None`` marks an argument that cannot be
        differentiated (an index, a shape).
    jvp : sequence of callables
        ``jvp[i](t, ans, *args, **kwargs)`` is the Jacobian-vector product
        :math:`(\\partial\\,\\mathrm{ans} / \\partial\\,\\mathrm{args}_i)\\, t`. It may return
        a value that broadcasts to the shape of ``ans``.
    saves : {"all", "args", "ans", "shapes"}
        What the vjps read, so that the tape keeps nothing else alive (the
        memory of a hand-written backward pass): ``"args"`` (``ans`` is passed
        as None), ``"ans"`` or ``"shapes"`` (array arguments are replaced by
        :class:`Shape` placeholders that only know their shape).
    """

    __slots__ = ("name", "impl", "vjp", "jvp", "saves", "keeps_args", "keeps_ans")

    def __init__(self, name, impl, vjp, jvp, saves="all"):
        if saves not in ("all", "args", "ans", "shapes"):
            raise ValueError(f"saves must be 'all', 'args', 'ans' or 'shapes', got {saves!r}")
        self.name, self.impl, self.vjp, self.jvp, self.saves = name, impl, vjp, jvp, saves
        self.keeps_args = saves in ("all", "args")
        self.keeps_ans = saves in ("all", "ans")

    def __call__(self, *args, **kwargs):
        return bind(self, args, kwargs)

    def __repr__(self):
        return f"Rule({self.name!r})"


def bind(rule, args, kwargs=_EMPTY):
    """Apply ``rule`` to ``args``, recording it on the innermost trace among them."""
    top = None
    for a in args:
        if isinstance(a, Tracer) and (top is None or a.level > top.level):
            top = a
    if top is None:
        return rule.impl(*args, **kwargs)
    return top.trace.process(rule, args, kwargs)


def strip(x):
    """The plain value under all trace levels of ``x`` (lists and tuples: elementwise)."""
    while isinstance(x, Tracer):
        x = x.value
    if type(x) in (list, tuple):
        return type(x)(strip(v) for v in x)
    return x


def shape_of(x):
    """``np.shape(x)`` without the dispatch overhead for arrays and traced values."""
    try:
        return x.shape
    except AttributeError:
        return np.shape(x)


class Shape:
    """Stands in for an array on the tape when a vjp needs only its shape."""

    __slots__ = ("shape",)

    def __init__(self, shape):
        self.shape = shape

    @property
    def ndim(self):
        return len(self.shape)

    def __repr__(self):
        return f"Shape({self.shape})"


_SMALL = 1024   # arrays up to this size are kept on the tape even when only their shape is needed


def _shapes_only(vals):
    return [Shape(v.shape) if isinstance(v, np.ndarray) and v.size > _SMALL else v for v in vals]


def _finished_error(use):
    """The TypeError for a traced value used (``use``) after its trace was closed."""
    return TypeError(
        f"a traced value of a grad / jvp / vjp evaluation that has already returned was {use}: "
        f"the value was kept from inside the differentiated function (in a list, a global or an "
        f"attribute) and used after it. Its derivative means nothing outside that evaluation. "
        f"Return the value from the function instead (has_aux=True), or keep "
        f"optlib.autodiff.stop_gradient(x), a plain array.")


def _not_differentiable(rule, i):
    return TypeError(f"argument {i} of {rule.name} cannot be differentiated; pass a plain "
                     f"(untraced) value")


class ReverseTrace:
    """The tape of one reverse-mode evaluation.

    ``tape[i]`` is the record of the value with index ``i``, in order of
    creation: ``(rule, args, kwargs, parents, ans, shape)``, where ``parents``
    lists ``(argument position, index of the argument's value)`` and ``args`` /
    ``ans`` hold only what ``rule.saves`` says the vjps read. Inputs have
    ``rule = None``. The records never point to the traced values themselves, so
    an intermediate array that no vjp needs is freed as soon as the forward
    computation drops it, as in a hand-written backward pass.
    """

    __slots__ = ("level", "tape", "finished")

    def __init__(self):
        self.level = next(_next_level)
        self.tape = []
        self.finished = False    # set by the transform when f has returned (see _finished_error)

    def new_input(self, value):
        tracer = ReverseTracer(value, self, len(self.tape))
        self.tape.append((None, (), _EMPTY, (), None, shape_of(value)))
        return tracer

    def process(self, rule, args, kwargs):
        if self.finished:
            raise _finished_error(f"passed to {rule.name}")
        # unwrap the arguments that belong to this trace; note whether outer traces remain
        vals = list(args)
        parents = []
        outer = False
        vjps = rule.vjp
        for i, a in enumerate(args):
            if isinstance(a, Tracer):
                if a.trace is self:
                    if vjps[i] is None:
                        raise _not_differentiable(rule, i)
                    v = vals[i] = a.value
                    parents.append((i, a.index))
                    if isinstance(v, Tracer):
                        outer = True
                else:
                    outer = True
        ans = bind(rule, vals, kwargs) if outer else rule.impl(*vals, **kwargs)
        tape = self.tape
        tracer = ReverseTracer(ans, self, len(tape))
        saved = vals if rule.keeps_args else _shapes_only(vals)
        tape.append((rule, saved, kwargs, parents, ans if rule.keeps_ans else None, shape_of(ans)))
        return tracer

    def backward(self, seeds, inputs):
        """Reverse sweep: cotangents of ``inputs`` given ``seeds`` = [(output tracer, cotangent)].

        Every node's cotangent is the sum over its uses; it is complete when the
        sweep reaches the node, because the tape is in order of creation. Nodes
        no seed depends on are skipped. Returns one cotangent per input (``None``
        when the outputs do not depend on it).
        """
        last = max(tracer.index for tracer, _ in seeds)
        tape = self.tape
        cts = [None] * (last + 1)
        owned = [False] * (last + 1)   # True: cts[i] is an array we allocated, safe to add into
        for tracer, ct in seeds:
            _accumulate(cts, owned, tracer.index, ct)
        for i in range(last, -1, -1):
            g = cts[i]
            if g is None:
                continue
            rule, args, kwargs, parents, ans, _ = tape[i]
            if rule is None:          # an input: keep its cotangent
                continue
            cts[i] = None             # release memory as we go
            vjps = rule.vjp
            for argnum, parent in parents:
                contribution = vjps[argnum](g, ans, *args, **kwargs)
                if cts[parent] is None:   # the first use of this node: nothing to add to
                    cts[parent] = contribution
                else:
                    _accumulate(cts, owned, parent, contribution)
        return [cts[x.index] if x.index <= last else None for x in inputs]


def _accumulate(cts, owned, i, contribution):
    """cts[i] += contribution, in place when cts[i] is an array this sweep owns."""
    previous = cts[i]
    if previous is None:
        cts[i] = contribution
    elif owned[i] and type(contribution) is np.ndarray:
        np.add(previous, contribution, out=previous)
    else:
        total = previous + contribution
        cts[i] = total
        owned[i] = type(total) is np.ndarray and total.shape == shape_of(previous)


class ForwardTrace:
    """One forward-mode evaluation: traced values carry their tangent along."""

    __slots__ = ("level", "finished")

    def __init__(self):
        self.level = next(_next_level)
        self.finished = False

    def new_input(self, value, tangent):
        return ForwardTracer(value, self, tangent)

    def process(self, rule, args, kwargs):
        if self.finished:
            raise _finished_error(f"passed to {rule.name}")
        vals = list(args)
        positions = []
        outer = False
        for i, a in enumerate(args):
            if isinstance(a, Tracer):
                if a.trace is self:
                    v = vals[i] = a.value
                    positions.append(i)
                    if isinstance(v, Tracer):
                        outer = True
                else:
                    outer = True
        ans = bind(rule, vals, kwargs) if outer else rule.impl(*vals, **kwargs)
        jvps = rule.jvp
        tangent = None
        for i in positions:
            jvp = jvps[i]
            if jvp is None:
                raise _not_differentiable(rule, i)
            t = jvp(args[i].tangent, ans, *vals, **kwargs)
            tangent = t if tangent is None else tangent + t
        shape = shape_of(ans)
        if shape_of(tangent) != shape:
            tangent = np.broadcast_to(tangent, shape)
        return ForwardTracer(ans, self, tangent)


_CONVERSION_ERROR = (
    "cannot turn a traced value into a plain NumPy array or number ({what}): its derivative "
    "would be lost silently. Build arrays with np.stack / np.concatenate / np.where instead of "
    "np.array([...]) or writing into an existing array, and use "
    "optlib.autodiff.stop_gradient(x) where a constant is really meant.")


def _method(function):
    """The ndarray method that calls ``function`` with the array first, as NumPy's methods do."""
    def method(self, *args, **kwargs):
        return function(self, *args, **kwargs)
    method.__name__ = function.__name__
    method.__doc__ = f"numpy.{function.__name__} of this traced value."
    return method


class Tracer:
    """A value seen by a trace. Behaves like a read-only float64 ndarray.

    NumPy functions applied to it are routed through the table of derivative
    rules. Functions with integer or boolean results (comparisons, ``argmax``,
    ``np.shape``) return plain arrays. In-place writes and conversions to plain
    arrays or numbers raise ``TypeError``.
    """

    __slots__ = ("value", "trace", "level")
    __array_priority__ = 1000.0
    __hash__ = None

    # ---- NumPy interception -------------------------------------------------------
    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        rule = UFUNC_RULES.get(ufunc)
        if rule is not None and method == "__call__" and not kwargs:   # the common case
            return bind(rule, inputs)
        name = f"numpy.{ufunc.__name__}"
        if method != "__call__":
            raise TypeError(f"{name}.{method} is not supported on traced values; "
                            f"use the corresponding NumPy function (e.g. np.sum for np.add.reduce)")
        if kwargs:
            if "out" in kwargs:
                raise TypeError(f"in-place write with {name}(..., out=...) involving a traced "
                                f"value; write out = {name}(...) instead")
            raise TypeError(f"keyword arguments {sorted(kwargs)} of {name} are not supported "
                            f"on traced values")
        if rule is not None:
            return bind(rule, inputs, _EMPTY)
        if ufunc in NONDIFFERENTIABLE:
            return ufunc(*[strip(x) for x in inputs])
        raise TypeError(f"optlib.autodiff has no derivative rule for {name}")

    def __array_function__(self, func, types, args, kwargs):
        handler = FUNCTION_HANDLERS.get(func)
        if handler is not None:
            return handler(*args, **kwargs)
        if func in NONDIFFERENTIABLE:
            return func(*strip(args), **{k: strip(v) for k, v in kwargs.items()})
        module = getattr(func, "__module__", "numpy") or "numpy"
        raise TypeError(f"optlib.autodiff has no derivative rule for {module}.{func.__name__}")

    def __array__(self, dtype=None, copy=None):
        raise TypeError(_CONVERSION_ERROR.format(what="np.asarray, np.array or an assignment"))

    def __float__(self):
        raise TypeError(_CONVERSION_ERROR.format(what="float()"))

    def __int__(self):
        raise TypeError(_CONVERSION_ERROR.format(what="int()"))

    def __complex__(self):
        raise TypeError(_CONVERSION_ERROR.format(what="complex()"))

    def __index__(self):
        raise TypeError(_CONVERSION_ERROR.format(what="use as an index"))

    def item(self, *args):
        raise TypeError(_CONVERSION_ERROR.format(what=".item()"))

    def tolist(self):
        raise TypeError(_CONVERSION_ERROR.format(what=".tolist()"))

    def __setitem__(self, key, value):
        raise TypeError("in-place write x[...] = ... into a traced array; build the new array "
                        "with np.where, np.concatenate or np.stack instead")

    def __bool__(self):
        return bool(strip(self))

    # ---- array attributes -------------------------------------------------------------
    @property
    def shape(self):
        return self.value.shape

    @property
    def ndim(self):
        return len(self.value.shape)

    @property
    def size(self):
        return self.value.size

    @property
    def dtype(self):
        return self.value.dtype

    def __len__(self):
        return len(self.value)

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    @property
    def T(self):
        return np.transpose(self)

    def transpose(self, *axes):
        if len(axes) == 1 and (axes[0] is None or isinstance(axes[0], (tuple, list))):
            axes = axes[0]
        return np.transpose(self, axes or None)

    # ndarray methods: the NumPy function of the same name, with the same arguments
    def reshape(self, *shape, order="C", copy=None):
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = shape[0]
        return np.reshape(self, shape, order=order, copy=copy)

    def ravel(self, order="C"):
        return np.ravel(self, order)

    flatten = ravel

    def squeeze(self, axis=None):
        return np.squeeze(self, axis)

    # methods that are the NumPy function of the same name: x.sum(...) is np.sum(x, ...)
    sum, mean, var, std = _method(np.sum), _method(np.mean), _method(np.var), _method(np.std)
    prod, max, min, cumsum = _method(np.prod), _method(np.max), _method(np.min), _method(np.cumsum)
    argmax, argmin = _method(np.argmax), _method(np.argmin)

    def clip(self, min=None, max=None, out=None, **kwargs):
        return np.clip(self, min, max, out, **kwargs)

    def dot(self, b, out=None):
        return np.dot(self, b, out)

    def copy(self, order="C"):
        return self   # traced values are never modified in place

    def astype(self, dtype, order="K", casting="unsafe", subok=True, copy=True):
        if np.dtype(dtype) != np.float64:
            raise TypeError(f"traced values are float64; astype({dtype!r}) would drop the "
                            f"derivative")
        return self   # order, casting, subok and copy change no value of a float64 array

    def __getitem__(self, key):
        return bind(_GETITEM[0], (self,), {"key": key})

    # ---- operators: straight to the rules, skipping NumPy's dispatch -------------
    def __add__(self, other):
        return bind(UFUNC_RULES[np.add], (self, other))

    def __radd__(self, other):
        return bind(UFUNC_RULES[np.add], (other, self))

    def __sub__(self, other):
        return bind(UFUNC_RULES[np.subtract], (self, other))

    def __rsub__(self, other):
        return bind(UFUNC_RULES[np.subtract], (other, self))

    def __mul__(self, other):
        return bind(UFUNC_RULES[np.multiply], (self, other))

    def __rmul__(self, other):
        return bind(UFUNC_RULES[np.multiply], (other, self))

    def __truediv__(self, other):
        return bind(UFUNC_RULES[np.true_divide], (self, other))

    def __rtruediv__(self, other):
        return bind(UFUNC_RULES[np.true_divide], (other, self))

    def __pow__(self, other):
        return bind(UFUNC_RULES[np.power], (self, other))

    def __rpow__(self, other):
        return bind(UFUNC_RULES[np.power], (other, self))

    def __matmul__(self, other):
        return bind(UFUNC_RULES[np.matmul], (self, other))

    def __rmatmul__(self, other):
        return bind(UFUNC_RULES[np.matmul], (other, self))

    def __neg__(self):
        return bind(UFUNC_RULES[np.negative], (self,))

    def __pos__(self):
        return self

    def __abs__(self):
        return bind(UFUNC_RULES[np.absolute], (self,))

    def __lt__(self, other):
        return strip(self) < strip(other)

    def __le__(self, other):
        return strip(self) <= strip(other)

    def __gt__(self, other):
        return strip(self) > strip(other)

    def __ge__(self, other):
        return strip(self) >= strip(other)

    def __eq__(self, other):
        return strip(self) == strip(other)

    def __ne__(self, other):
        return strip(self) != strip(other)


# The indexing rule lives in the table; rules.py puts it here for Tracer.__getitem__.
_GETITEM: list = [None]


class ReverseTracer(Tracer):
    """A value in a reverse-mode evaluation; ``index`` is its record on the trace's tape."""

    __slots__ = ("index",)

    def __init__(self, value, trace, index):
        self.value = value
        self.trace = trace
        self.level = trace.level
        self.index = index

    def __repr__(self):
        rule = self.trace.tape[self.index][0]
        op = rule.name if rule is not None else "input"
        return f"ReverseTracer({op}, level={self.level}, value={self.value!r})"


class ForwardTracer(Tracer):
    """A value in a forward-mode evaluation, carrying its tangent (directional derivative)."""

    __slots__ = ("tangent",)

    def __init__(self, value, trace, tangent):
        self.value = value
        self.trace = trace
        self.level = trace.level
        self.tangent = tangent

    def __repr__(self):
        return f"ForwardTracer(level={self.level}, value={self.value!r}, tangent={self.tangent!r})"
