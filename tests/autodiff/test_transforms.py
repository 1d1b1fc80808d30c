"""grad, value_and_grad, vjp, jvp, jacfwd, jacrev, stop_gradient: results, structures, options."""
import numpy as np
import pytest

from optlib.autodiff import (grad, jacfwd, jacrev, jvp, logsumexp, stop_gradient, value_and_grad,
                             vjp)
from optlib.autodiff.core import ForwardTracer, ReverseTracer


def test_value_and_grad_returns_a_float64_scalar_and_the_gradient():
    value, g = value_and_grad(lambda x: np.sum(x ** 2))(np.array([1.0, 2.0]))
    assert type(value) is np.float64 and value == 5.0
    np.testing.assert_array_equal(g, [2.0, 4.0])


def test_grad_of_python_float_returns_a_float():
    g = grad(lambda x: x ** 2)(3.0)
    assert isinstance(g, float) and g == 6.0


def test_gradient_of_sum_of_squares_is_twice_x():
    x = np.array([[1.0, -2.0], [0.5, 3.0]])
    np.testing.assert_array_equal(grad(lambda x: np.sum(x * x))(x), 2 * x)


def test_argnums_tuple_gives_a_tuple_of_gradients():
    f = lambda x, y, z: np.sum(x * y) + z   # noqa: E731
    gx, gz = grad(f, argnums=(0, 2))(np.array([1.0, 2.0]), np.array([3.0, 4.0]), 5.0)
    np.testing.assert_array_equal(gx, [3.0, 4.0])
    assert gz == 1.0


def test_negative_argnums_count_from_the_end():
    g = grad(lambda x, y: x * y ** 2, argnums=-1)(2.0, 3.0)
    assert g == 12.0


def test_gradient_has_the_structure_of_a_pytree_argument():
    params = {"b": [np.array([1.0, 2.0]), (np.array(3.0), None)], "a": np.ones((2, 2))}

    def f(p):
        return np.sum(p["a"] * 2.0) + np.sum(p["b"][0] ** 2) + p["b"][1][0] ** 3
    g = grad(f)(params)
    assert isinstance(g, dict) and set(g) == {"a", "b"}
    assert isinstance(g["b"], list) and isinstance(g["b"][1], tuple) and g["b"][1][1] is None
    np.testing.assert_array_equal(g["a"], np.full((2, 2), 2.0))
    np.testing.assert_array_equal(g["b"][0], [2.0, 4.0])
    assert g["b"][1][0] == 27.0


def test_has_aux_returns_the_aux_with_plain_arrays():
    def f(x):
        h = np.tanh(x)
        return np.sum(h), {"h": h, "note": "kept"}
    x = np.array([0.1, 0.2])
    g, aux = grad(f, has_aux=True)(x)
    np.testing.assert_allclose(g, 1 - np.tanh(x) ** 2)
    assert type(aux["h"]) is np.ndarray and aux["note"] == "kept"
    (value, aux2), g2 = value_and_grad(f, has_aux=True)(x)
    assert type(value) is np.float64 and type(aux2["h"]) is np.ndarray
    np.testing.assert_array_equal(g, g2)


def test_keyword_arguments_are_passed_through_as_constants():
    g = grad(lambda x, scale=1.0: scale * np.sum(x))(np.ones(2), scale=3.0)
    np.testing.assert_array_equal(g, [3.0, 3.0])


def test_gradient_of_a_constant_function_is_zero():
    x = np.array([1.0, 2.0])
    value, g = value_and_grad(lambda x: 4.0)(x)
    assert value == 4.0
    np.testing.assert_array_equal(g, np.zeros(2))


def test_integer_inputs_are_promoted_to_float64():
    g = grad(lambda x: np.sum(x ** 2))(np.array([1, 2, 3]))
    assert g.dtype == np.float64
    np.testing.assert_array_equal(g, [2.0, 4.0, 6.0])


def test_gradients_do_not_alias_inputs_and_are_writable():
    x = np.array([1.0, 2.0, 3.0])
    before = x.copy()
    for f in (lambda x: np.sum(x), lambda x: np.sum(x.reshape(3, 1)), lambda x: np.sum(x[::-1])):
        g = grad(f)(x)
        assert g.flags.writeable and not np.shares_memory(g, x)
        g += 1.0
    np.testing.assert_array_equal(x, before)


def test_paths_through_a_shared_value_are_summed():
    def f(x):
        y = np.sin(x)
        return np.sum(y * 2.0 + y * 3.0 + y * y + np.exp(y))
    x = np.array([0.3, -0.4])
    y = np.sin(x)
    np.testing.assert_allclose(grad(f)(x), (5.0 + 2 * y + np.exp(y)) * np.cos(x), rtol=1e-14)


def test_value_and_grad_of_mlp_matches_hand_written_backpropagation():
    rng = np.random.default_rng(0)
    W1, b1 = rng.standard_normal((5, 4)), rng.standard_normal(4)
    W2, b2 = rng.standard_normal((4, 3)), rng.standard_normal(3)
    X = rng.standard_normal((7, 5))
    Y = np.eye(3)[rng.integers(0, 3, size=7)]

    def loss(W1, b1, W2, b2):
        h = np.tanh(X @ W1 + b1)
        logits = h @ W2 + b2
        return -np.mean(np.sum(Y * (logits - logsumexp(logits, axis=1, keepdims=True)), axis=1))
    value, (gW1, gb1, gW2, gb2) = value_and_grad(loss, argnums=(0, 1, 2, 3))(W1, b1, W2, b2)
    h = np.tanh(X @ W1 + b1)
    logits = h @ W2 + b2
    p = np.exp(logits - logits.max(1, keepdims=True))
    p /= p.sum(1, keepdims=True)
    d = (p - Y) / 7
    dh = d @ W2.T * (1 - h ** 2)
    np.testing.assert_allclose(value, -np.mean(np.sum(Y * np.log(p), axis=1)), rtol=1e-13)
    for got, want in ((gW2, h.T @ d), (gb2, d.sum(0)), (gW1, X.T @ dh), (gb1, dh.sum(0))):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-15)


def test_vjp_returns_one_cotangent_per_primal_and_can_be_called_repeatedly():
    x, y = np.array([1.0, 2.0]), np.array([3.0, 4.0, 5.0])
    out, pullback = vjp(lambda x, y: np.outer(x, y), x, y)
    np.testing.assert_array_equal(out, np.outer(x, y))
    u = np.ones((2, 3))
    cx, cy = pullback(u)
    np.testing.assert_array_equal(cx, [12.0, 12.0])
    np.testing.assert_array_equal(cy, [3.0, 3.0, 3.0])
    cx2, _ = pullback(2 * u)
    np.testing.assert_array_equal(cx2, [24.0, 24.0])


def test_vjp_of_pytree_output_takes_a_pytree_cotangent():
    out, pullback = vjp(lambda x: {"s": np.sum(x), "d": 2.0 * x}, np.array([1.0, 2.0]))
    assert out["s"] == 3.0
    (cx,) = pullback({"s": 1.0, "d": np.array([1.0, 0.0])})
    np.testing.assert_array_equal(cx, [3.0, 1.0])


def test_jvp_pushes_tangents_forward_with_the_values():
    seen = []

    def f(x):
        seen.append(type(x))
        return np.sin(x) * x
    x, v = np.array([0.5, 1.0]), np.array([1.0, -2.0])
    out, tangent = jvp(f, (x,), (v,))
    assert seen == [ForwardTracer]          # forward mode proper: no tape is recorded
    np.testing.assert_allclose(out, np.sin(x) * x)
    np.testing.assert_allclose(tangent, (np.cos(x) * x + np.sin(x)) * v, rtol=1e-14)


def test_grad_records_a_reverse_tape():
    seen = []
    grad(lambda x: seen.append(type(x)) or np.sum(x))(np.ones(2))
    assert seen == [ReverseTracer]


def test_jvp_accepts_pytrees_and_several_arguments():
    p = {"a": np.array([1.0, 2.0]), "b": 3.0}
    t = {"a": np.array([1.0, 1.0]), "b": 1.0}
    out, tangent = jvp(lambda p, s: np.sum(p["a"]) * p["b"] * s, (p, 2.0), (t, 0.5))
    assert out == 18.0
    # d = (2 * 3 * 2) + (3 * 1 * 2) + (3 * 3 * 0.5)
    assert np.isclose(tangent, 12.0 + 6.0 + 4.5)


def test_jvp_of_a_function_ignoring_its_input_has_zero_tangent():
    out, tangent = jvp(lambda x: np.ones(3), (np.ones(2),), (np.ones(2),))
    np.testing.assert_array_equal(tangent, np.zeros(3))


def test_jacobians_have_shape_out_shape_plus_in_shape():
    W = np.arange(12.0).reshape(3, 4) / 10 - 0.5
    f = lambda X: np.tanh(X @ W)   # (2, 3) -> (2, 4)   # noqa: E731
    X = np.arange(6.0).reshape(2, 3) / 10
    Jf, Jr = jacfwd(f)(X), jacrev(f)(X)
    assert Jf.shape == Jr.shape == (2, 4, 2, 3)
    # d tanh(X W)[i, j] / d X[k, l] = (1 - tanh^2)[i, j] W[l, j] when i == k, else 0
    expected = np.einsum("ij,ik,lj->ijkl", 1 - np.tanh(X @ W) ** 2, np.eye(2), W)
    np.testing.assert_allclose(Jf, expected, rtol=1e-14, atol=1e-16)
    np.testing.assert_allclose(Jr, expected, rtol=1e-14, atol=1e-16)


def test_jacobian_argnums_selects_the_argument():
    f = lambda a, x: a * np.sin(x)   # noqa: E731
    x = np.array([0.1, 0.2, 0.3])
    np.testing.assert_allclose(jacrev(f, argnums=1)(2.0, x), np.diag(2.0 * np.cos(x)))
    np.testing.assert_allclose(jacfwd(f, argnums=0)(2.0, x), np.sin(x))


def test_stop_gradient_makes_a_value_a_constant_in_every_mode():
    f = lambda x: x * stop_gradient(x) + stop_gradient(np.sin(x))   # noqa: E731
    assert grad(f)(3.0) == 3.0
    assert jvp(f, (3.0,), (1.0,))[1] == 3.0
    assert grad(grad(f))(3.0) == 0.0


def test_stop_gradient_truncates_backpropagation_through_time():
    def unroll(w, truncate):
        h = 1.0
        for t in range(4):
            if t == truncate:
                h = stop_gradient(h)
            h = np.tanh(w * h + 0.5)
        return h
    w = 0.8
    full = grad(lambda w: unroll(w, truncate=-1))(w)
    truncated = grad(lambda w: unroll(w, truncate=3))(w)
    h = 1.0
    for _ in range(3):
        h = np.tanh(w * h + 0.5)
    assert np.isclose(truncated, (1 - np.tanh(w * h + 0.5) ** 2) * h)
    assert not np.isclose(full, truncated)


def test_stop_gradient_maps_over_pytrees():
    out = stop_gradient({"a": np.ones(2), "b": [2.0, None]})
    assert out["b"][1] is None and out["b"][0] == 2.0


def test_inputs_are_not_mutated():
    x = np.array([1.0, 2.0, 3.0])
    params = {"w": x}
    before = x.copy()
    grad(lambda p: np.sum(p["w"] ** 2))(params)
    hvp_like = jvp(grad(lambda v: np.sum(v ** 3)), (x,), (x,))
    assert params["w"] is x
    np.testing.assert_array_equal(x, before)
    assert hvp_like[1].shape == (3,)


@pytest.mark.parametrize("transform", [jacfwd, jacrev])
def test_jacobian_of_scalar_function_is_its_gradient(transform):
    f = lambda x: np.sum(np.exp(x))   # noqa: E731
    x = np.array([0.1, -0.3])
    np.testing.assert_allclose(transform(f)(x), np.exp(x))


@pytest.mark.parametrize("left", [np.float64(2.0), np.array(2.0), np.full((1, 2), 2.0), 2, 2.0],
                         ids=["numpy_scalar", "zero_d_array", "array", "int", "float"])
def test_plain_left_operands_dispatch_to_the_traced_value(left):
    x = np.array([1.0, 3.0])
    for f, expected in ((lambda x: np.sum(left * x), 2.0), (lambda x: np.sum(left - x), -1.0),
                        (lambda x: np.sum(left + x), 1.0), (lambda x: np.sum(left / x), -2.0 / x ** 2),
                        (lambda x: np.sum(left ** x), 2.0 ** x * np.log(2.0))):
        g = grad(f)(x)
        np.testing.assert_allclose(g, np.broadcast_to(expected, x.shape), rtol=1e-14)
