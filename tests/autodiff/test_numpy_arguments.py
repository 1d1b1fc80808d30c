"""Every argument NumPy accepts is implemented on traced values, or refused with a TypeError.

The rule: a registered NumPy function or ufunc either gives NumPy's value (and
derivatives that match finite differences) for an argument, or raises
TypeError naming the function and the argument; it never ignores one.
"""
import inspect
import re
import warnings

import numpy as np
import pytest

from optlib.autodiff import (check_grads, grad, jvp, log_softmax, logsumexp, sigmoid, softmax,
                             trace, vjp)
from optlib.autodiff.core import FUNCTION_HANDLERS, UFUNC_RULES
from optlib.autodiff.rules import RULES

X = np.array([[0.31, 0.72, 0.46], [0.63, 0.24, 0.57], [0.38, 0.52, 0.77]])
MASK = np.array([[True, False, True], [True, True, False], [False, True, True]])

#: one call of every NumPy function with a rule, on a traced argument x (3 x 3), taking **kw
FUNCTION_CALLS = {
    np.where: lambda x, **kw: np.where(x > 0.5, x, 0.0, **kw),
    np.clip: lambda x, **kw: np.clip(x, 0.3, 0.6, **kw),
    np.dot: lambda x, **kw: np.dot(x, x, **kw),
    np.outer: lambda x, **kw: np.outer(x, x, **kw),
    np.einsum: lambda x, **kw: np.einsum("ij,jk->ik", x, x, **kw),
    np.diag: lambda x, **kw: np.diag(x, **kw),
    np.trace: lambda x, **kw: np.trace(x, **kw),
    np.sum: lambda x, **kw: np.sum(x, **kw),
    np.mean: lambda x, **kw: np.mean(x, **kw),
    np.prod: lambda x, **kw: np.prod(x, **kw),
    np.max: lambda x, **kw: np.max(x, **kw),
    np.amax: lambda x, **kw: np.amax(x, **kw),
    np.min: lambda x, **kw: np.min(x, **kw),
    np.amin: lambda x, **kw: np.amin(x, **kw),
    np.var: lambda x, **kw: np.var(x, **kw),
    np.std: lambda x, **kw: np.std(x, **kw),
    np.linalg.norm: lambda x, **kw: np.linalg.norm(x, **kw),
    np.cumsum: lambda x, **kw: np.cumsum(x, **kw),
    np.reshape: lambda x, **kw: np.reshape(x, (9,), **kw),
    np.transpose: lambda x, **kw: np.transpose(x, **kw),
    np.swapaxes: lambda x, **kw: np.swapaxes(x, 0, 1, **kw),
    np.moveaxis: lambda x, **kw: np.moveaxis(x, 0, 1, **kw),
    np.expand_dims: lambda x, **kw: np.expand_dims(x, 0, **kw),
    np.squeeze: lambda x, **kw: np.squeeze(x[None], **kw),
    np.ravel: lambda x, **kw: np.ravel(x, **kw),
    np.broadcast_to: lambda x, **kw: np.broadcast_to(x, (2, 3, 3), **kw),
    np.copy: lambda x, **kw: np.copy(x, **kw),
    np.full_like: lambda x, **kw: np.full_like(x, x[0, 1], **kw),
    np.concatenate: lambda x, **kw: np.concatenate([x, 2.0 * x], **kw),
    np.stack: lambda x, **kw: np.stack([x, 2.0 * x], **kw),
    np.hstack: lambda x, **kw: np.hstack([x, 2.0 * x], **kw),
    np.vstack: lambda x, **kw: np.vstack([x, 2.0 * x], **kw),
}

#: the functions of optlib.autodiff that are rules of their own
SPECIAL_CALLS = {
    "sigmoid": lambda x, **kw: sigmoid(x, **kw),
    "logsumexp": lambda x, **kw: logsumexp(x, **kw),
    "softmax": lambda x, **kw: softmax(x, **kw),
    "log_softmax": lambda x, **kw: log_softmax(x, **kw),
}


def _ufunc_call(ufunc):
    return lambda x, **kw: ufunc(*[x] * ufunc.nin, **kw)


#: name shown in NumPy's and optlib's messages -> call
ENTRY_POINTS = {**{f.__name__: call for f, call in FUNCTION_CALLS.items()},
                **{u.__name__: _ufunc_call(u) for u in UFUNC_RULES},
                **SPECIAL_CALLS}


def _raises_type_error_naming(call, *names):
    with pytest.raises(TypeError) as info:
        vjp(call, X)
    message = str(info.value)
    for name in names:
        assert re.search(rf"\b{re.escape(name)}\b", message), (name, message)


# ---- the tables above cover the whole rule table ---------------------------------------------

def test_the_example_calls_cover_every_registered_function_ufunc_and_rule():
    assert set(FUNCTION_HANDLERS) == set(FUNCTION_CALLS)
    reached = set()
    for call in ENTRY_POINTS.values():
        reached |= {node.op for node in trace(call, X).nodes}
    # index_add has no NumPy entry point: it is the backward pass of indexing (getitem)
    assert set(RULES) - reached == {"index_add"}


@pytest.mark.parametrize("name", sorted(ENTRY_POINTS))
def test_forward_and_reverse_mode_of_every_rule_are_transposes_of_each_other(name):
    # <u, J v> from the jvp equals <J^T u, v> from the vjp: the two modes state one derivative
    call = ENTRY_POINTS[name]
    rng = np.random.default_rng(0)
    v = rng.standard_normal(X.shape)
    out, tangent = jvp(call, (X,), (v,))
    u = rng.standard_normal(np.shape(out))
    (cotangent,) = vjp(call, X)[1](u)
    assert np.isclose(np.sum(u * tangent), np.sum(cotangent * v), rtol=1e-12, atol=1e-14)


# ---- an unknown keyword ---------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(ENTRY_POINTS))
def test_every_rule_refuses_an_unknown_keyword_naming_it(name):
    call = ENTRY_POINTS[name]
    _raises_type_error_naming(lambda x: call(x, no_such_argument=1), name, "no_such_argument")


# ---- every argument NumPy accepts: implemented (tested below) or refused -------------------

#: arguments implemented on traced values; each one is exercised in SUPPORTED below
IMPLEMENTED = {
    "where": {"condition", "x", "y"},
    "clip": {"a", "a_min", "a_max", "min", "max"},
    "dot": {"a", "b"}, "outer": {"a", "b"},
    "einsum": {"operands", "optimize"},
    "diag": {"v"},
    "trace": {"a", "axis1", "axis2"},
    "sum": {"a", "axis", "keepdims", "where"},
    "mean": {"a", "axis", "keepdims", "where"},
    "prod": {"a", "axis", "keepdims"},
    "max": {"a", "axis", "keepdims"}, "amax": {"a", "axis", "keepdims"},
    "min": {"a", "axis", "keepdims"}, "amin": {"a", "axis", "keepdims"},
    "var": {"a", "axis", "ddof", "keepdims", "where", "mean", "correction"},
    "std": {"a", "axis", "ddof", "keepdims", "where", "mean", "correction"},
    "norm": {"x", "ord", "axis", "keepdims"},
    "cumsum": {"a", "axis"},
    "reshape": {"a", "shape"},
    "transpose": {"a", "axes"},
    "swapaxes": {"a", "axis1", "axis2"},
    "moveaxis": {"a", "source", "destination"},
    "expand_dims": {"a", "axis"},
    "squeeze": {"a", "axis"},
    "ravel": {"a"},
    "broadcast_to": {"array", "shape", "subok"},
    "copy": {"a", "order", "subok"},
    "full_like": {"a", "fill_value", "order", "subok", "shape"},
    "concatenate": {"arrays", "axis"}, "stack": {"arrays", "axis"},
    "hstack": {"tup"}, "vstack": {"tup"},
}

#: a value other than the default, for each argument that is refused
REFUSED_VALUE = {
    "out": np.zeros((3, 3)), "dtype": np.float32, "initial": 1.0, "where": MASK,
    "casting": "unsafe", "order": "A", "k": 1, "offset": 1, "copy": False, "device": "gpu",
    "subok": False, "signature": "dd->d", "axes": [(0, 1), (0, 1), (0, 1)], "axis": 0,
    "keepdims": True,
}

#: the keyword arguments NumPy passes on through **kwargs
VARIADIC_KEYWORDS = {"clip": ["where", "casting", "order", "dtype", "subok", "signature"],
                     "einsum": ["dtype", "order", "casting"]}


def _refused_arguments():
    cases = []
    for name, call in ENTRY_POINTS.items():
        if name in SPECIAL_CALLS:
            continue
        function = next((f for f in list(FUNCTION_CALLS) + list(UFUNC_RULES)
                         if f.__name__ == name), None)
        for parameter in inspect.signature(function).parameters.values():
            if parameter.kind is parameter.VAR_KEYWORD:
                cases += [(name, keyword) for keyword in VARIADIC_KEYWORDS[name]]
            elif isinstance(function, np.ufunc):
                if parameter.kind is parameter.POSITIONAL_ONLY:   # the operands
                    continue
                cases.append((name, parameter.name))
            elif parameter.name not in IMPLEMENTED[name]:
                cases.append((name, parameter.name))
    return cases


@pytest.mark.parametrize("name, argument", _refused_arguments())
def test_every_argument_that_is_not_implemented_is_refused_naming_function_and_argument(
        name, argument):
    assert argument in REFUSED_VALUE, f"numpy.{name}: put {argument!r} in IMPLEMENTED or REFUSED"
    call = ENTRY_POINTS[name]
    _raises_type_error_naming(lambda x: call(x, **{argument: REFUSED_VALUE[argument]}), name,
                              argument)


def test_the_table_of_implemented_arguments_names_only_numpys_arguments():
    for function in FUNCTION_CALLS:
        assert IMPLEMENTED[function.__name__] <= set(inspect.signature(function).parameters)


# ---- the implemented arguments: NumPy's values and finite-difference derivatives ------------

Y = np.array([[0.52, 0.36, 0.61], [0.44, 0.69, 0.28], [0.33, 0.58, 0.49]])

SUPPORTED = {
    "sum_where": lambda x: np.sum(x, where=MASK),
    "sum_where_axis_keepdims": lambda x: np.sum(x, axis=1, keepdims=True, where=MASK[0]),
    "mean_where": lambda x: np.mean(x, where=MASK),
    "mean_where_axis": lambda x: np.mean(x, axis=0, where=MASK),
    "var_where": lambda x: np.var(x, where=MASK),
    "var_where_axis_ddof": lambda x: np.var(x, axis=1, ddof=1, where=MASK),
    "var_where_keepdims": lambda x: np.var(x, axis=0, keepdims=True, where=MASK),
    "var_correction": lambda x: np.var(x, axis=0, correction=1),
    "var_mean_given": lambda x: np.var(x, axis=1, mean=np.mean(x, axis=1, keepdims=True)),
    "var_mean_given_is_used": lambda x: np.var(x, mean=0.5 * np.sum(x) / x.size),
    "var_ddof_one": lambda x: np.var(x[:, :2], axis=1, ddof=1) + np.var(x),
    "var_ddof_at_least_the_count_divides_by_zero": lambda x: np.var(x[:, :2], axis=1, ddof=3),
    "std_where": lambda x: np.std(x, where=MASK),
    "std_where_axis_correction": lambda x: np.std(x, axis=0, correction=1, where=MASK | True),
    "std_mean_given": lambda x: np.std(x, axis=0, mean=np.mean(x, axis=0, keepdims=True)),
    "var_method_positional": lambda x: x.var(0, None, None, 1, True),
    "sum_method_positional": lambda x: x.sum(1, None, None, True),
    "ravel_order_F": lambda x: np.ravel(x, order="F") * np.arange(1.0, 10.0),
    "ravel_method_order_F": lambda x: x.ravel("F") * np.arange(1.0, 10.0),
    "flatten_order_F": lambda x: x.flatten("F") * np.arange(1.0, 10.0),
    "reshape_order_F": lambda x: np.reshape(x[:2], (3, 2), order="F") * Y[:, :2],
    "reshape_method_order_F": lambda x: x[:, :2].reshape(2, 3, order="F") * Y[:2],
    "reshape_order_F_minus_one": lambda x: np.reshape(x, (-1, 1), order="F") * Y.reshape(9, 1),
    "clip_min_max_keywords": lambda x: np.clip(x, min=0.35, max=0.6),
    "clip_max_keyword_only": lambda x: np.clip(x, max=0.6),
    "clip_method_keywords": lambda x: x.clip(max=0.6) + x.clip(0.35),
    "clip_traced_bounds": lambda x: np.clip(Y, x * 0.9, x + 0.1),
    "full_like_traced_fill": lambda x: np.full_like(x, x[0, 1]) * Y,
    "full_like_fill_shape_order": lambda x: np.full_like(x, x[1, 2], shape=(2, 3), order="F",
                                                         subok=False) * Y[:2],
    "full_like_row_fill": lambda x: np.full_like(x, x[0]) * Y,
    "full_like_constant_fill": lambda x: np.full_like(x, 2.0) * x,
    "concatenate_axis_none": lambda x: np.concatenate([x, Y[:2]], axis=None),
    "concatenate_dtype_float64": lambda x: np.concatenate([x, Y], axis=1, dtype=np.float64,
                                                          casting="same_kind"),
    "stack_dtype_float64": lambda x: np.stack([x, Y], axis=-1, dtype=np.float64),
    "hstack_dtype": lambda x: np.hstack([x, Y], dtype=np.float64),
    "vstack_casting": lambda x: np.vstack([x[0], Y], casting="same_kind"),
    "trace_axes_swapped": lambda x: np.trace(x * Y, axis1=1, axis2=0),
    "einsum_optimize": lambda x: np.einsum("ij,jk,kl->il", x, Y, x, optimize=True),
    "broadcast_to_subok": lambda x: np.broadcast_to(x[0], (2, 3), subok=True) * Y[:2],
    "copy_order_subok": lambda x: np.copy(x, order="F", subok=True) * Y,
    "moveaxis_lists": lambda x: np.moveaxis(x[None], [0, 1], [-1, 0]) * np.arange(3.0),
    "expand_dims_tuple": lambda x: np.expand_dims(x, (0, -1)) * np.arange(3.0),
    "prod_axis_keepdims": lambda x: np.prod(x, axis=0, keepdims=True),
    "max_axis_positional_keepdims": lambda x: np.max(x, 1, None, True),
    "amin_axis": lambda x: np.amin(x, axis=(0, 1)),
    "norm_axis_keepdims": lambda x: np.linalg.norm(x, 2, 0, True),
    "squeeze_axis": lambda x: np.squeeze(x[:, None], axis=1),
    "swapaxes_negative": lambda x: np.swapaxes(x[None], -1, 0) * np.arange(3.0),
    "transpose_axes": lambda x: np.transpose(x[None], (2, 0, 1)) * np.arange(3.0)[:, None, None],
    "cumsum_axis": lambda x: np.cumsum(x, axis=1) * Y,
    "where_both_traced": lambda x: np.where(MASK, x, x * x),
}


@pytest.mark.parametrize("name", sorted(SUPPORTED))
def test_supported_keywords_give_numpys_values_and_finite_difference_derivatives(name):
    f = SUPPORTED[name]
    with np.errstate(divide="ignore", invalid="ignore"), warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Degrees of freedom", RuntimeWarning)
        expected = f(X)
        out, _ = vjp(f, X)
    np.testing.assert_allclose(out, expected, rtol=1e-13, atol=1e-15)
    assert np.shape(out) == np.shape(expected)
    if np.all(np.isfinite(expected)):
        check_grads(f, (X,), modes=("fwd", "rev"), order=2, eps=1e-6, rtol=1e-5, atol=1e-7)


def test_var_with_where_has_the_gradient_of_the_selected_elements_only():
    # d/dx_i of the mean squared deviation of the selected elements: 2 (x_i - mean) / n, else 0
    g = grad(lambda x: np.var(x, where=MASK))(X)
    selected = X[MASK]
    expected = np.zeros_like(X)
    expected[MASK] = 2.0 * (selected - selected.mean()) / selected.size
    np.testing.assert_allclose(g, expected, rtol=1e-13, atol=1e-16)


def test_var_with_where_ignores_nan_in_unselected_elements():
    x = np.where(MASK, X, np.nan)
    value, g = vjp(lambda x: np.var(x, where=MASK), x)
    np.testing.assert_allclose(value, np.var(X[MASK]), rtol=1e-14)
    (gx,) = g(1.0)
    assert np.all(gx[~MASK] == 0.0) and np.all(np.isfinite(gx))


def test_full_like_with_a_traced_fill_value_has_the_derivative_of_the_fill():
    # sum(full_like(x, c)) = 9 c, so d/dc = 9
    assert grad(lambda c: np.sum(np.full_like(np.ones((3, 3)) * c, c)))(0.7) == pytest.approx(9.0)
    assert grad(lambda x: np.sum(np.full_like(x, x[0, 0])))(X)[0, 0] == 9.0


def test_ravel_and_reshape_in_fortran_order_read_columns_first():
    out, _ = vjp(lambda x: np.ravel(x, order="F"), X)
    np.testing.assert_array_equal(out, X.T.ravel())
    g = grad(lambda x: np.sum(np.ravel(x, order="F") * np.arange(9.0)))(X)
    np.testing.assert_array_equal(g, np.arange(9.0).reshape(3, 3).T)


@pytest.mark.parametrize("call", [
    lambda x: np.reshape(x, (9,), order="K"), lambda x: np.ravel(x, order="K"),
    lambda x: np.reshape(x, (9,), order="A"), lambda x: x.ravel("A")],
    ids=["reshape_K", "ravel_K", "reshape_A", "ravel_method_A"])
def test_memory_layout_orders_are_refused(call):
    _raises_type_error_naming(call, "order")


def test_var_and_std_refuse_ddof_together_with_correction_as_numpy_does():
    with pytest.raises(ValueError, match="ddof and correction"):
        np.var(X, ddof=1, correction=1)
    with pytest.raises(ValueError, match="ddof and correction"):
        vjp(lambda x: np.std(x, ddof=1, correction=1), X)


def test_where_with_only_one_of_x_and_y_raises_value_error_as_numpy_does():
    with pytest.raises(ValueError, match="both or neither"):
        vjp(lambda x: np.where(x > 0.5, x), X)


def test_a_non_boolean_where_mask_raises_type_error():
    with pytest.raises(TypeError, match=r"numpy\.var.*where.*boolean"):
        vjp(lambda x: np.var(x, where=MASK * 1.0), X)


def test_clip_keeps_numpys_rules_for_a_min_and_min():
    with pytest.raises(ValueError, match="forbidden"):
        vjp(lambda x: np.clip(x, 0.3, 0.6, min=0.2), X)
    with pytest.raises(TypeError, match="a_max"):
        vjp(lambda x: np.clip(x, 0.3), X)


# ---- axes out of range: NumPy's AxisError ------------------------------------------------------

AXIS_OUT_OF_RANGE = {
    "concatenate": lambda x: np.concatenate([x, x], axis=2),
    "concatenate_negative": lambda x: np.concatenate([x, x], axis=-3),
    "stack": lambda x: np.stack([x, x], axis=3),
    "stack_negative": lambda x: np.stack([x, x], axis=-4),
    "moveaxis_source": lambda x: np.moveaxis(x, 2, 0),
    "moveaxis_destination": lambda x: np.moveaxis(x, 0, -3),
    "expand_dims": lambda x: np.expand_dims(x, 3),
    "swapaxes": lambda x: np.swapaxes(x, 0, 2),
    "sum": lambda x: np.sum(x, axis=2),
    "cumsum": lambda x: np.cumsum(x, axis=-3),
    "var": lambda x: np.var(x, axis=(0, 2)),
    "transpose": lambda x: np.transpose(x, (0, 2)),
}


@pytest.mark.parametrize("name", sorted(AXIS_OUT_OF_RANGE))
def test_an_axis_out_of_range_raises_numpys_axis_error_with_numpys_message(name):
    call = AXIS_OUT_OF_RANGE[name]
    with pytest.raises(np.exceptions.AxisError) as numpy_error:
        call(X)
    with pytest.raises(np.exceptions.AxisError) as traced_error:
        vjp(call, X)
    assert str(traced_error.value) == str(numpy_error.value)


@pytest.mark.parametrize("call", [lambda x: logsumexp(x, axis=2), lambda x: softmax(x, axis=-3),
                                  lambda x: log_softmax(x, axis=2)],
                         ids=["logsumexp", "softmax", "log_softmax"])
def test_special_functions_raise_axis_error_for_an_axis_out_of_range(call):
    with pytest.raises(np.exceptions.AxisError, match="out of bounds"):
        vjp(call, X)
    with pytest.raises(np.exceptions.AxisError, match="out of bounds"):
        call(X)


def test_concatenate_and_stack_accept_every_axis_in_range_like_numpy():
    for axis in range(-2, 2):
        out, _ = vjp(lambda x: np.concatenate([x, Y], axis=axis), X)
        np.testing.assert_array_equal(out, np.concatenate([X, Y], axis=axis))
    for axis in range(-3, 3):
        out, _ = vjp(lambda x: np.stack([x, Y], axis=axis), X)
        np.testing.assert_array_equal(out, np.stack([X, Y], axis=axis))


def test_a_fractional_axis_raises_type_error():
    with pytest.raises(TypeError, match="axis"):
        vjp(lambda x: np.sum(x, axis=1.5), X)
    with pytest.raises(TypeError, match="axis"):
        vjp(lambda x: np.concatenate([x, x], axis=1.0), X)


def test_zero_dimensional_arrays_cannot_be_concatenated():
    with pytest.raises(ValueError, match="zero-dimensional"):
        vjp(lambda x: np.concatenate([x[0, 0], x[1, 1]]), X)
