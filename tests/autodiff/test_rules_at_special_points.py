"""The documented rules at kinks and ties, repeated indices, and numerical stability."""
import warnings

import numpy as np
import pytest

from optlib.autodiff import grad, jvp, log_softmax, logsumexp, sigmoid, softmax


def test_abs_at_zero_has_subgradient_zero():
    np.testing.assert_array_equal(grad(lambda x: np.sum(np.abs(x)))(np.array([0.0, -2.0, 3.0])),
                                  [0.0, -1.0, 1.0])


def test_maximum_and_minimum_split_the_gradient_equally_on_ties():
    x, y = np.array([1.0, 2.0, 3.0]), np.array([1.0, 0.0, 5.0])
    gx, gy = grad(lambda x, y: np.sum(np.maximum(x, y)), argnums=(0, 1))(x, y)
    np.testing.assert_array_equal(gx, [0.5, 1.0, 0.0])
    np.testing.assert_array_equal(gy, [0.5, 0.0, 1.0])
    gx, gy = grad(lambda x, y: np.sum(np.minimum(x, y)), argnums=(0, 1))(x, y)
    np.testing.assert_array_equal(gx, [0.5, 0.0, 1.0])
    np.testing.assert_array_equal(gy, [0.5, 1.0, 0.0])


def test_relu_written_with_maximum_has_gradient_half_at_zero():
    np.testing.assert_array_equal(grad(lambda x: np.sum(np.maximum(x, 0.0)))(np.array([-1.0, 0.0, 2.0])),
                                  [0.0, 0.5, 1.0])


def test_max_reduction_shares_the_gradient_among_tied_maxima():
    x = np.array([[3.0, 1.0, 3.0], [0.0, 2.0, 1.0]])
    np.testing.assert_array_equal(grad(lambda x: np.max(x))(x), [[0.5, 0, 0.5], [0, 0, 0]])
    np.testing.assert_array_equal(grad(lambda x: np.sum(np.max(x, axis=1)))(x),
                                  [[0.5, 0, 0.5], [0, 1, 0]])
    _, t = jvp(lambda x: np.max(x), (x,), (np.arange(6.0).reshape(2, 3),))
    assert t == (0.0 + 2.0) / 2


def test_clip_passes_the_gradient_inside_and_on_the_bounds():
    g = grad(lambda x: np.sum(np.clip(x, -1.0, 1.0)))(np.array([-2.0, -1.0, 0.0, 1.0, 2.0]))
    np.testing.assert_array_equal(g, [0.0, 1.0, 1.0, 1.0, 0.0])


def test_repeated_integer_indices_accumulate_their_gradients():
    x = np.array([1.0, 2.0, 3.0])
    np.testing.assert_array_equal(grad(lambda x: np.sum(x[[0, 0, 2, 0]]))(x), [3.0, 0.0, 1.0])
    X = np.ones((2, 2))
    np.testing.assert_array_equal(grad(lambda X: np.sum(X[[1, 1], [0, 0]] * 2.0))(X),
                                  [[0.0, 0.0], [4.0, 0.0]])


def test_boolean_mask_indexing_routes_gradient_to_selected_elements():
    x = np.array([1.0, -2.0, 3.0])
    np.testing.assert_array_equal(grad(lambda x: np.sum(x[x > 0] ** 2))(x), [2.0, 0.0, 6.0])


def test_where_routes_the_gradient_by_the_condition():
    x = np.array([-1.0, 2.0])
    np.testing.assert_array_equal(grad(lambda x: np.sum(np.where(x > 0, x ** 2, -x)))(x),
                                  [-1.0, 4.0])


@pytest.mark.parametrize("f", [np.sign, np.floor, np.ceil, np.round, np.trunc],
                         ids=["sign", "floor", "ceil", "round", "trunc"])
def test_piecewise_constant_functions_have_zero_derivative(f):
    # d/dx (f(x) x) = f'(x) x + f(x), which is f(x) exactly when f' = 0
    x = np.array([0.3, 1.7, -2.2])
    np.testing.assert_array_equal(grad(lambda x: np.sum(f(x) * x))(x), f(x))
    np.testing.assert_array_equal(jvp(lambda x: f(x) * x, (x,), (np.ones(3),))[1], f(x))


def test_prod_with_zeros_has_the_exact_gradient():
    x = np.array([0.0, 2.0, 3.0])
    np.testing.assert_array_equal(grad(lambda x: np.prod(x))(x), [6.0, 0.0, 0.0])
    x = np.array([0.0, 2.0, 0.0])
    np.testing.assert_array_equal(grad(lambda x: np.prod(x))(x), [0.0, 0.0, 0.0])


def test_logsumexp_is_stable_for_large_and_infinite_inputs():
    x = np.array([[1000.0, 1000.0], [-np.inf, 0.0], [-1000.0, -1001.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value = logsumexp(x, axis=1)
        g = grad(lambda x: np.sum(logsumexp(x, axis=1)))(x)
    np.testing.assert_allclose(value, [1000.0 + np.log(2.0), 0.0, -1000.0 + np.log1p(np.exp(-1.0))])
    np.testing.assert_allclose(g, softmax(x, axis=1))
    np.testing.assert_allclose(g.sum(axis=1), 1.0)
    assert logsumexp(np.array([-np.inf, -np.inf])) == -np.inf


def test_logsumexp_keepdims_and_axis_none_match_the_naive_formula():
    x = np.random.default_rng(0).standard_normal((3, 4))
    np.testing.assert_allclose(logsumexp(x), np.log(np.sum(np.exp(x))))
    np.testing.assert_allclose(logsumexp(x, axis=0, keepdims=True),
                               np.log(np.sum(np.exp(x), axis=0, keepdims=True)))


def test_softmax_is_stable_and_sums_to_one():
    x = np.array([[1000.0, 0.0, -1000.0], [1.0, 2.0, 3.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = softmax(x)
    np.testing.assert_allclose(s.sum(axis=-1), 1.0)
    np.testing.assert_allclose(s[0], [1.0, 0.0, 0.0])
    np.testing.assert_allclose(s[1], np.exp([1.0, 2.0, 3.0]) / np.exp([1.0, 2.0, 3.0]).sum())


def test_log_softmax_is_stable_and_is_the_log_of_softmax():
    x = np.array([[1000.0, 0.0, -1000.0], [1.0, 2.0, 3.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        values = log_softmax(x)
        g = grad(lambda x: np.sum(log_softmax(x, axis=1)[:, 0]))(x)
    np.testing.assert_allclose(values[0], [0.0, -1000.0, -2000.0])
    np.testing.assert_allclose(values[1], np.log(softmax(x[1])))
    s = softmax(x, axis=1)
    np.testing.assert_allclose(g, np.eye(3)[[0, 0]] - s, atol=1e-15)   # e_0 - softmax(x)


def test_sigmoid_does_not_overflow_and_has_derivative_s_times_one_minus_s():
    x = np.array([-800.0, 0.0, 800.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = sigmoid(x)
        g = grad(lambda x: np.sum(sigmoid(x)))(x)
    np.testing.assert_array_equal(s, [0.0, 0.5, 1.0])
    np.testing.assert_array_equal(g, [0.0, 0.25, 0.0])


def test_broadcast_gradients_are_summed_back_to_each_input_shape():
    x = np.ones((3, 1))
    b = np.ones(4)
    s = np.array(2.0)
    gx, gb, gs = grad(lambda x, b, s: np.sum(x * b * s), argnums=(0, 1, 2))(x, b, s)
    assert gx.shape == (3, 1) and gb.shape == (4,) and gs.shape == ()
    np.testing.assert_array_equal(gx, np.full((3, 1), 8.0))
    np.testing.assert_array_equal(gb, np.full(4, 6.0))
    assert gs == 12.0


# ---- x ** y at x = 0 ---------------------------------------------------------------------------

def _reverse_derivative(f):
    return grad(f)


def _forward_derivative(f):
    return lambda x: jvp(f, (x,), (1.0,))[1]


MODES = pytest.mark.parametrize("derivative", [_reverse_derivative, _forward_derivative],
                                ids=["reverse", "forward"])


@MODES
@pytest.mark.parametrize("exponent, expected", [
    (0, [0.0, 0.0, 0.0]),     # x^0 = 1
    (1, [1.0, 0.0, 0.0]),     # x
    (2, [0.0, 2.0, 0.0]),     # x^2: 2x, 2, 0
    (3, [0.0, 0.0, 6.0]),     # x^3: 3x^2, 6x, 6
    (2.0, [0.0, 2.0, 0.0]),   # a float exponent, too
    (np.array(2.0), [0.0, 2.0, 0.0]),
])
def test_pow_derivatives_at_zero_base_are_exact_up_to_order_three(derivative, exponent, expected):
    f = lambda x: x ** exponent   # noqa: E731
    first = derivative(f)
    second = derivative(first)
    third = derivative(second)
    with warnings.catch_warnings():
        warnings.simplefilter("error")         # no 0 * inf or 0 / 0 along the way
        got = [first(0.0), second(0.0), third(0.0)]
    np.testing.assert_array_equal(got, expected)


@MODES
def test_pow_derivative_at_zero_base_with_zero_exponent(derivative):
    # d/dt sum(t ** [0, 1, 2]) = 0 + 1 + 2t, which is 1 at t = 0 (HIPS autograd gives 1 too)
    f = lambda t: np.sum(t ** np.arange(3.0))   # noqa: E731
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert derivative(f)(0.0) == 1.0
        assert derivative(derivative(f))(0.0) == 2.0
        assert derivative(derivative(derivative(f)))(0.0) == 0.0


@MODES
def test_pow_derivative_in_the_exponent_at_zero_base_is_zero(derivative):
    # d/dy 0^y = 0^y log 0, taken as 0 at x = 0 (as HIPS autograd and JAX do)
    f = lambda y: 0.0 ** y   # noqa: E731
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for y in (0.0, 0.5, 2.0):
            assert derivative(f)(y) == 0.0
            assert derivative(derivative(f))(y) == 0.0


def test_pow_mixed_derivative_away_from_zero_is_exact_also_at_zero_exponent():
    # d/dy d/dx x^y = x^(y-1) (1 + y log x), which is 1/x at y = 0: the fix at x = 0 must not
    # change the derivative in y elsewhere
    for x, y in ((2.0, 0.0), (0.5, 0.0), (1.5, 2.0)):
        mixed = grad(lambda y: grad(lambda x: x ** y)(x))(y)
        assert np.isclose(mixed, x ** (y - 1) * (1 + y * np.log(x)), rtol=1e-14)


def test_pow_gradient_with_an_array_of_bases_containing_zeros():
    x = np.array([0.0, 0.0, 2.0, 0.0])
    y = np.array([0.0, 1.0, 0.0, 3.0])
    gx, gy = grad(lambda x, y: np.sum(x ** y), argnums=(0, 1))(x, y)
    np.testing.assert_array_equal(gx, [0.0, 1.0, 0.0, 0.0])         # y x^(y-1)
    np.testing.assert_array_equal(gy, [0.0, 0.0, np.log(2.0), 0.0])  # x^y log x, 0 at x = 0
