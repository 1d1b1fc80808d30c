"""Every operation of the contract: forward and reverse mode equal central differences.

Shapes and values come from Hypothesis (broadcasting included); values are
kept away from kinks, where finite differences say nothing.
"""
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from autodiff_checks import (NONEMPTY_SHAPES, SETTINGS, SHAPES, arrays, assert_jacobians_match,
                             axes_for, broadcast_pair)
from optlib.autodiff import check_grads, log_softmax, logsumexp, sigmoid, softmax


@dataclass
class Case:
    name: str
    fn: Callable                       # fn(*args, **kwargs)
    args: st.SearchStrategy            # draws (args, kwargs)
    smooth: Callable = lambda *a, **k: True   # False near a kink
    argnums: tuple | None = None       # differentiable arguments (default: all)

    def __repr__(self):
        return self.name


def one(lo=-2.0, hi=2.0, shapes=SHAPES, unique=False):
    return shapes.flatmap(lambda s: arrays(s, lo, hi, unique)).map(lambda x: ((x,), {}))


def two(lo1=-2.0, hi1=2.0, lo2=-2.0, hi2=2.0):
    return broadcast_pair(lo1, hi1, lo2, hi2).map(lambda xy: (xy, {}))


def away_from_zero(x, eps=0.05):
    return bool(np.all(np.abs(x) > eps))


UNARY = [
    Case("negative", lambda x: -x, one()),
    Case("positive", lambda x: +x, one()),
    Case("exp", np.exp, one()),
    Case("log", np.log, one(0.1, 3.0)),
    Case("log1p", np.log1p, one(-0.5, 3.0)),
    Case("expm1", np.expm1, one()),
    Case("log2", np.log2, one(0.1, 3.0)),
    Case("log10", np.log10, one(0.1, 3.0)),
    Case("sqrt", np.sqrt, one(0.1, 3.0)),
    Case("square", np.square, one()),
    Case("reciprocal", np.reciprocal, one(0.2, 3.0)),
    Case("abs", np.abs, one(), smooth=lambda x: away_from_zero(x)),
    Case("abs_operator", lambda x: abs(x), one(), smooth=lambda x: away_from_zero(x)),
    Case("sin", np.sin, one()),
    Case("cos", np.cos, one()),
    Case("tan", np.tan, one(-1.2, 1.2)),
    Case("arcsin", np.arcsin, one(-0.9, 0.9)),
    Case("arccos", np.arccos, one(-0.9, 0.9)),
    Case("arctan", np.arctan, one()),
    Case("sinh", np.sinh, one()),
    Case("cosh", np.cosh, one()),
    Case("tanh", np.tanh, one()),
    Case("sigmoid", sigmoid, one(-5.0, 5.0)),
    Case("sigmoid_written_out", lambda x: 1.0 / (1.0 + np.exp(-x)), one(-5.0, 5.0)),
    Case("sign_has_zero_derivative", lambda x: np.sign(x) * 1.0 + x, one(),
         smooth=lambda x: away_from_zero(x)),
    Case("floor_has_zero_derivative", lambda x: np.floor(x) + x, one(),
         smooth=lambda x: bool(np.all(np.abs(x - np.round(x)) > 0.05))),
    Case("round_has_zero_derivative", lambda x: np.round(x) * x, one(),
         smooth=lambda x: bool(np.all(np.abs(x - np.floor(x) - 0.5) > 0.05))),
    Case("power_integer_exponent", lambda x: x ** 3, one()),
    Case("power_fractional_exponent", lambda x: x ** 2.5, one(0.1, 3.0)),
    Case("scalar_to_power_of_array", lambda x: 2.0 ** x, one()),
    Case("scalar_minus_array", lambda x: 1.5 - x, one()),
    Case("scalar_divided_by_array", lambda x: 1.5 / x, one(0.2, 3.0)),
]

BINARY = [
    Case("add", np.add, two()),
    Case("add_operator", lambda x, y: x + y, two()),
    Case("subtract", lambda x, y: x - y, two()),
    Case("multiply", lambda x, y: x * y, two()),
    Case("divide", lambda x, y: x / y, two(lo2=0.2, hi2=3.0)),
    Case("power", lambda x, y: x ** y, two(0.2, 2.5, -2.0, 2.0)),
    Case("maximum", np.maximum, two(), smooth=lambda x, y: away_from_zero(x - y)),
    Case("minimum", np.minimum, two(), smooth=lambda x, y: away_from_zero(x - y)),
    Case("arctan_of_product", lambda x, y: np.arctan(x * y) + np.sin(y), two()),
    Case("logaddexp", np.logaddexp, two(-5.0, 5.0, -5.0, 5.0)),
]


@st.composite
def where_args(draw):
    shapes = draw(hnp.mutually_broadcastable_shapes(num_shapes=3, min_dims=0, max_dims=3,
                                                    max_side=3)).input_shapes
    cond = draw(hnp.arrays(bool, shapes[0]))
    return (draw(arrays(shapes[1])), draw(arrays(shapes[2]))), {"cond": cond}


@st.composite
def clip_args(draw):
    x = draw(arrays(draw(SHAPES)))
    traced_bounds = draw(st.booleans())
    if traced_bounds:
        return (x, np.full(np.shape(x)[-1:], -0.5), np.full(np.shape(x)[-1:], 0.7)), {}
    return (x,), {"lo": -0.5, "hi": draw(st.sampled_from([0.7, None]))}


def clip_fn(x, lo=None, hi=None, **kwargs):
    return np.clip(x, lo, hi)


def clip_smooth(x, lo=-0.5, hi=0.7, **kwargs):
    hi = 0.7 if hi is None else hi
    return away_from_zero(x - (-0.5)) and away_from_zero(x - 0.7)


PIECEWISE = [
    Case("where", lambda x, y, cond: np.where(cond, x, y), where_args()),
    Case("where_of_comparison", lambda x: np.where(x > 0.3, x ** 2, np.sin(x)), one(),
         smooth=lambda x: away_from_zero(x - 0.3)),
    Case("clip", clip_fn, clip_args(), smooth=clip_smooth),
    Case("clip_method", lambda x: x.clip(-0.5, 0.7), one(), smooth=lambda x: clip_smooth(x)),
]


@st.composite
def reduction_args(draw, lo=-2.0, hi=2.0, unique=False, min_dims=0):
    shape = draw(hnp.array_shapes(min_dims=min_dims, max_dims=3, min_side=1, max_side=3))
    x = draw(arrays(shape, lo, hi, unique))
    return (x,), {"axis": draw(axes_for(len(shape))), "keepdims": draw(st.booleans())}


def distinct(x, gap=1e-2):
    v = np.sort(np.ravel(x))
    return v.size < 2 or bool(np.min(np.diff(v)) > gap)


def spread(x, axis=None, keepdims=False):
    """Every reduction group has a clearly positive variance (std is not smooth at 0)."""
    return np.size(x) > 1 and bool(np.all(np.var(x, axis=axis) > 1e-2))


REDUCTIONS = [
    Case("sum", lambda x, axis, keepdims: np.sum(x, axis=axis, keepdims=keepdims), reduction_args()),
    Case("sum_method", lambda x, axis, keepdims: x.sum(axis=axis, keepdims=keepdims),
         reduction_args()),
    Case("mean", lambda x, axis, keepdims: np.mean(x, axis=axis, keepdims=keepdims),
         reduction_args()),
    Case("var", lambda x, axis, keepdims: np.var(x, axis=axis, keepdims=keepdims),
         reduction_args()),
    Case("var_ddof1", lambda x, axis, keepdims: np.var(x, axis=axis, ddof=1, keepdims=keepdims),
         reduction_args(min_dims=1),
         smooth=lambda x, axis, keepdims: all(np.shape(x)[a] > 1 for a in
                                               (range(np.ndim(x)) if axis is None else np.atleast_1d(axis)))),
    Case("std", lambda x, axis, keepdims: np.std(x, axis=axis, keepdims=keepdims),
         reduction_args(unique=True), smooth=spread),
    Case("prod", lambda x, axis, keepdims: np.prod(x, axis=axis, keepdims=keepdims),
         reduction_args(-1.5, 1.5), smooth=lambda x, **k: away_from_zero(x, 0.2)),
    Case("prod_with_zeros", lambda x: np.prod(x * np.array([0.0, 1.0, 1.0])),
         one(shapes=st.just((3,)))),
    Case("prod_with_zeros_along_axis", lambda x: np.prod(x * np.array([0.0, 1.0]), axis=1),
         one(shapes=st.just((3, 2)))),
    Case("max", lambda x, axis, keepdims: np.max(x, axis=axis, keepdims=keepdims),
         reduction_args(unique=True), smooth=lambda x, **k: distinct(x)),
    Case("min", lambda x, axis, keepdims: np.min(x, axis=axis, keepdims=keepdims),
         reduction_args(unique=True), smooth=lambda x, **k: distinct(x)),
    Case("max_method", lambda x, axis, keepdims: x.max(axis=axis, keepdims=keepdims),
         reduction_args(unique=True), smooth=lambda x, **k: distinct(x)),
    Case("amin", lambda x, axis, keepdims: np.amin(x, axis=axis, keepdims=keepdims),
         reduction_args(unique=True), smooth=lambda x, **k: distinct(x)),
    Case("cumsum", lambda x, axis, keepdims: np.cumsum(x, axis=None if axis is None else
                                                       np.atleast_1d(axis)[0]),
         reduction_args()),
    Case("logsumexp", lambda x, axis, keepdims: logsumexp(x, axis=axis, keepdims=keepdims),
         reduction_args(-5.0, 5.0)),
    Case("softmax", lambda x, axis, keepdims: softmax(x, axis=-1 if axis is None else
                                                      np.atleast_1d(axis)[0]),
         reduction_args(-5.0, 5.0, min_dims=1)),
    Case("log_softmax", lambda x, axis, keepdims: log_softmax(x, axis=-1 if axis is None else
                                                              np.atleast_1d(axis)[0]),
         reduction_args(-5.0, 5.0, min_dims=1)),
    Case("norm_vector", lambda x: np.linalg.norm(x), one(shapes=st.integers(1, 4).map(lambda n: (n,))),
         smooth=lambda x: np.linalg.norm(x) > 0.1),
    Case("norm_vector_ord2", lambda x: np.linalg.norm(x, 2),
         one(shapes=st.integers(1, 4).map(lambda n: (n,))), smooth=lambda x: np.linalg.norm(x) > 0.1),
    Case("norm_vector_ord1", lambda x: np.linalg.norm(x, 1),
         one(shapes=st.integers(1, 4).map(lambda n: (n,))), smooth=lambda x: away_from_zero(x)),
    Case("norm_vector_inf", lambda x: np.linalg.norm(x, np.inf),
         one(shapes=st.integers(1, 4).map(lambda n: (n,)), unique=True),
         smooth=lambda x: distinct(np.abs(x)) and away_from_zero(x)),
    Case("norm_frobenius", lambda x: np.linalg.norm(x, "fro"),
         one(shapes=hnp.array_shapes(min_dims=2, max_dims=2, max_side=3)),
         smooth=lambda x: np.linalg.norm(x) > 0.1),
    Case("norm_along_axis", lambda x: np.linalg.norm(x, axis=-1, keepdims=True),
         one(shapes=hnp.array_shapes(min_dims=2, max_dims=3, max_side=3)),
         smooth=lambda x: bool(np.all(np.linalg.norm(x, axis=-1) > 0.1))),
]


@st.composite
def matmul_args(draw):
    n, k, m, b = (draw(st.integers(1, 3)) for _ in range(4))
    kind = draw(st.sampled_from(["mat@mat", "vec@mat", "mat@vec", "vec@vec", "batch@mat",
                                 "mat@batch", "batch@broadcast_batch"]))
    shapes = {"mat@mat": ((n, k), (k, m)), "vec@mat": ((k,), (k, m)), "mat@vec": ((n, k), (k,)),
              "vec@vec": ((k,), (k,)), "batch@mat": ((b, n, k), (k, m)),
              "mat@batch": ((n, k), (b, k, m)), "batch@broadcast_batch": ((b, 1, n, k), (2, k, m))}
    sx, sy = shapes[kind]
    return (draw(arrays(sx)), draw(arrays(sy))), {}


@st.composite
def dot_args(draw):
    n, k = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    sx, sy = draw(st.sampled_from([((k,), (k,)), ((n, k), (k,)), ((n, k), (k, n)), ((), (k,)),
                                   ((k,), ())]))
    return (draw(arrays(sx)), draw(arrays(sy))), {}


EINSUM_SPECS = [("ij,jk->ik", "ij", "jk"), ("ij,ij->", "ij", "ij"), ("i,j->ij", "i", "j"),
                ("bij,bjk->bik", "bij", "bjk"), ("ij,j->i", "ij", "j"), ("ij,jk", "ij", "jk"),
                ("ij,k->ik", "ij", "k"), ("...ij,jk->...ik", "bij", "jk"), ("ij,ji", "ij", "ji")]


@st.composite
def einsum_args(draw):
    spec, sx, sy = draw(st.sampled_from(EINSUM_SPECS))
    sizes = {c: draw(st.integers(1, 3)) for c in "bijk"}
    x = draw(arrays(tuple(sizes[c] for c in sx)))
    y = draw(arrays(tuple(sizes[c] for c in sy)))
    return (x, y), {"spec": spec}


LINEAR_ALGEBRA = [
    Case("matmul", np.matmul, matmul_args()),
    Case("matmul_operator", lambda x, y: x @ y, matmul_args()),
    Case("matmul_plain_left_operand", lambda y: np.arange(1.0, 7.0).reshape(3, 2) @ y,
         one(shapes=st.sampled_from([(2,), (2, 3), (4, 2, 1)]))),
    Case("dot", np.dot, dot_args()),
    # ndarray.dot has no NumPy hook, so only the traced value may call the method
    Case("dot_method", lambda x, y: x.dot(y), dot_args().filter(lambda a: np.ndim(a[0][0]) > 0),
         argnums=(0,)),
    Case("outer", np.outer, broadcast_pair().map(lambda xy: (xy, {}))),
    Case("einsum", lambda x, y, spec: np.einsum(spec, x, y), einsum_args()),
    Case("diag_of_vector", np.diag, one(shapes=st.integers(1, 4).map(lambda n: (n,)))),
    Case("diag_of_matrix", np.diag, one(shapes=hnp.array_shapes(min_dims=2, max_dims=2, max_side=3))),
    Case("trace", np.trace, one(shapes=hnp.array_shapes(min_dims=2, max_dims=2, max_side=3))),
    Case("einsum_one_operand", lambda x: np.einsum("ij->ji", x) + np.einsum("ij->j", x)[:, None],
         one(shapes=hnp.array_shapes(min_dims=2, max_dims=2, max_side=3))),
]


@st.composite
def reshape_args(draw):
    shape = draw(SHAPES)
    size = int(np.prod(shape))
    target = draw(st.sampled_from([(size,), (-1,), (1, size), (size, 1, 1), tuple(reversed(shape))]))
    return (draw(arrays(shape)),), {"target": target}


@st.composite
def transpose_args(draw):
    shape = draw(SHAPES)
    axes = draw(st.permutations(range(len(shape))))
    return (draw(arrays(shape)),), {"axes": tuple(axes)}


@st.composite
def index_args(draw):
    x = draw(arrays((4, 3)))
    key = draw(st.sampled_from([
        1, -1, slice(1, 3), (slice(None), 0), (slice(None, None, 2), slice(1, None)),
        (Ellipsis, None), [0, 2, 2], np.array([[0, 1], [3, 3]]), ([0, 0, 1], [1, 1, 2]),
        np.array([True, False, True, False]), (1, slice(None, None, -1)), (None, 2, 1)]))
    return (x,), {"key": key}


def index_fn(x, key):
    return x[key]


@st.composite
def join_args(draw, stack):
    shape = draw(NONEMPTY_SHAPES)
    count = draw(st.integers(1, 3))
    ndim = len(shape)
    axis = draw(st.integers(-(ndim + stack), ndim + stack - 1))
    parts = []
    for _ in range(count):
        s = list(shape)
        if not stack:
            s[axis % ndim] = draw(st.integers(1, 3))
        parts.append(draw(arrays(tuple(s))))
    return tuple(parts), {"axis": axis}


@st.composite
def broadcast_to_args(draw):
    shapes = draw(hnp.mutually_broadcastable_shapes(num_shapes=1, min_dims=0, max_dims=3, max_side=3))
    return (draw(arrays(shapes.input_shapes[0])),), {"shape": shapes.result_shape}


SHAPE_OPS = [
    Case("reshape", lambda x, target: np.reshape(x, target), reshape_args()),
    Case("reshape_method", lambda x, target: x.reshape(target), reshape_args()),
    Case("ravel", lambda x: np.ravel(x), one()),
    Case("transpose", lambda x, axes: np.transpose(x, axes), transpose_args()),
    Case("transpose_default", lambda x: np.transpose(x), one()),
    Case("T", lambda x: x.T, one()),
    Case("swapaxes", lambda x: np.swapaxes(x, 0, -1), one(shapes=NONEMPTY_SHAPES)),
    Case("moveaxis", lambda x: np.moveaxis(x, 0, -1), one(shapes=NONEMPTY_SHAPES)),
    Case("expand_dims", lambda x: np.expand_dims(x, 0), one()),
    Case("squeeze", lambda x: np.squeeze(x[None, ..., None]), one()),
    Case("broadcast_to", lambda x, shape: np.broadcast_to(x, shape) * 1.0, broadcast_to_args()),
    Case("indexing", index_fn, index_args()),
    Case("iteration_over_rows", lambda x: np.stack([row * i for i, row in enumerate(x)]),
         one(shapes=NONEMPTY_SHAPES)),
    Case("concatenate", lambda *xs, axis: np.concatenate(xs, axis=axis), join_args(stack=False)),
    Case("stack", lambda *xs, axis: np.stack(xs, axis=axis), join_args(stack=True)),
    Case("hstack_vstack", lambda x, y: np.hstack([x, y]) * np.ravel(np.vstack([x, y])),
         st.integers(1, 3).flatmap(lambda n: st.tuples(arrays((n,)), arrays((n,))))
         .map(lambda xy: (xy, {}))),
]

ALL_CASES = UNARY + BINARY + PIECEWISE + REDUCTIONS + LINEAR_ALGEBRA + SHAPE_OPS


def _draw(case, data):
    args, kwargs = data.draw(case.args, label="args, kwargs")
    assume(case.smooth(*args, **kwargs))
    f = lambda *a: case.fn(*a, **kwargs)   # noqa: E731
    return f, args


@pytest.mark.parametrize("case", ALL_CASES, ids=repr)
@SETTINGS
@given(data=st.data())
def test_op_jacobian_in_forward_and_reverse_mode_equals_central_differences(case, data):
    f, args = _draw(case, data)
    assert_jacobians_match(f, args, case.argnums)


@pytest.mark.parametrize("case", ALL_CASES, ids=repr)
@SETTINGS
@given(data=st.data())
def test_op_second_derivatives_in_both_modes_match_finite_differences(case, data):
    f, args = _draw(case, data)
    # check_grads raises AssertionError with a report if any derivative disagrees
    check_grads(f, args, modes=("fwd", "rev"), order=2, eps=1e-5, rtol=1e-4, atol=1e-5)
