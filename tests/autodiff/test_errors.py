"""Bad input and unsupported operations raise clear exceptions, never a silent wrong number."""
import numpy as np
import pytest

from optlib.autodiff import grad, jacrev, jvp, stop_gradient, value_and_grad, vjp


def test_numpy_function_without_a_rule_raises_type_error_naming_it():
    with pytest.raises(TypeError, match="numpy.sort"):
        grad(lambda x: np.sum(np.sort(x)))(np.array([2.0, 1.0]))
    with pytest.raises(TypeError, match="fft"):
        grad(lambda x: np.sum(np.fft.fft(x).real))(np.array([2.0, 1.0]))


def test_ufunc_without_a_rule_raises_type_error_naming_it():
    with pytest.raises(TypeError, match="numpy.arctan2"):
        grad(lambda x: np.sum(np.arctan2(x, 1.0)))(np.array([2.0, 1.0]))


def test_ufunc_methods_raise_type_error():
    with pytest.raises(TypeError, match=r"numpy.add.reduce"):
        grad(lambda x: np.add.reduce(x))(np.array([2.0, 1.0]))


def test_grad_of_non_scalar_function_raises_value_error_pointing_to_vjp_and_jacrev():
    with pytest.raises(ValueError, match=r"shape \(2,\).*vjp.*jacrev"):
        grad(lambda x: x ** 2)(np.array([2.0, 1.0]))


def test_grad_of_function_returning_a_pair_suggests_has_aux():
    with pytest.raises(ValueError, match="has_aux=True"):
        grad(lambda x: (np.sum(x), x))(np.array([2.0, 1.0]))


def test_has_aux_without_a_pair_raises_value_error():
    with pytest.raises(ValueError, match="pair"):
        grad(lambda x: np.sum(x), has_aux=True)(np.array([2.0, 1.0]))


def test_in_place_item_assignment_into_a_traced_array_raises():
    def f(x):
        x[0] = 1.0
        return np.sum(x)
    with pytest.raises(TypeError, match="in-place"):
        grad(f)(np.array([2.0, 1.0]))


def test_writing_a_traced_value_into_a_plain_array_raises():
    def f(x):
        out = np.zeros(2)
        out[0] = x[0]
        return np.sum(out)
    # NumPy re-raises our TypeError as a ValueError; the cause names the problem
    with pytest.raises((TypeError, ValueError)) as info:
        grad(f)(np.array([2.0, 1.0]))
    messages = [str(info.value), str(info.value.__context__), str(info.value.__cause__)]
    assert any("traced value" in m for m in messages)


def test_in_place_ufunc_with_out_raises():
    def f(x):
        buffer = np.zeros(2)
        buffer += x
        return np.sum(buffer)
    with pytest.raises(TypeError, match="in-place"):
        grad(f)(np.array([2.0, 1.0]))
    with pytest.raises(TypeError, match="in-place"):
        grad(lambda x: np.sum(np.exp(x, out=np.zeros(2))))(np.array([2.0, 1.0]))


def test_reduction_with_out_raises():
    with pytest.raises(TypeError, match="in-place"):
        grad(lambda x: np.sum(x, out=np.zeros(())))(np.array([2.0, 1.0]))


@pytest.mark.parametrize("convert", [np.asarray, np.array, lambda x: np.array([x[0], x[1]]),
                                     lambda x: float(x[0]), lambda x: x.item(),
                                     lambda x: x.tolist()],
                         ids=["asarray", "array", "array_of_list", "float", "item", "tolist"])
def test_converting_a_traced_value_to_a_plain_array_or_number_raises(convert):
    with pytest.raises(TypeError, match="derivative would be lost"):
        grad(lambda x: np.sum(convert(x)))(np.array([2.0, 1.0]))


def test_complex_input_raises_type_error():
    with pytest.raises(TypeError, match="complex"):
        grad(lambda x: np.sum(x))(np.array([1.0 + 2.0j]))
    with pytest.raises(TypeError, match="complex"):
        jvp(lambda x: x, (1j,), (1.0,))


def test_non_numeric_argument_raises_type_error():
    with pytest.raises(TypeError, match="str"):
        grad(lambda x: 1.0)("abc")
    with pytest.raises(TypeError, match="dtype"):
        grad(lambda x: 1.0)(np.array(["a"]))


def test_integer_and_boolean_valued_functions_pass_through_as_plain_arrays():
    seen = {}

    def f(x):
        seen["argmax"] = np.argmax(x)
        seen["comparison"] = x > 1.5
        seen["isfinite"] = np.isfinite(x)
        seen["shape"] = np.shape(x)
        seen["sign"] = np.sign(x)
        seen["method_argmax"] = x.argmax()
        return np.sum(x * seen["comparison"])
    g = grad(f)(np.array([2.0, 1.0]))
    np.testing.assert_array_equal(g, [1.0, 0.0])
    assert type(seen["comparison"]) is np.ndarray and seen["comparison"].dtype == bool
    assert type(seen["isfinite"]) is np.ndarray and type(seen["sign"]) is np.ndarray
    assert seen["argmax"] == 0 and seen["method_argmax"] == 0 and seen["shape"] == (2,)


def test_argnums_out_of_range_raises_value_error():
    with pytest.raises(ValueError, match="argnums"):
        grad(lambda x: x, argnums=1)(1.0)
    with pytest.raises(ValueError, match="argnums"):
        value_and_grad(lambda x, y: x, argnums=(0, 2))(1.0, 2.0)


def test_vjp_cotangent_of_wrong_shape_raises_value_error():
    _, pullback = vjp(lambda x: x * 2.0, np.ones(3))
    with pytest.raises(ValueError, match="shape"):
        pullback(np.ones(2))


def test_jvp_tangent_of_wrong_shape_or_structure_raises_value_error():
    with pytest.raises(ValueError, match="shape"):
        jvp(lambda x: x, (np.ones(3),), (np.ones(2),))
    with pytest.raises(ValueError, match="structure"):
        jvp(lambda x: x["a"], ({"a": np.ones(3)},), ({"b": np.ones(3)},))
    with pytest.raises(ValueError, match="tangents"):
        jvp(lambda x: x, (np.ones(3),), ())
    with pytest.raises(TypeError, match="tuples"):
        jvp(lambda x: x, np.ones(3), np.ones(3))


def test_jacobian_of_pytree_argument_raises_type_error_pointing_to_ravel():
    with pytest.raises(TypeError, match="ravel"):
        jacrev(lambda p: p["a"])({"a": np.ones(2)})


def test_unsupported_norm_raises_type_error():
    with pytest.raises(TypeError, match="ord=2"):
        grad(lambda X: np.linalg.norm(X, 2))(np.eye(2))


def test_einsum_with_repeated_index_in_one_operand_raises_type_error():
    with pytest.raises(TypeError, match="repeated index"):
        grad(lambda X: np.einsum("ii->", X))(np.eye(2))


def test_astype_to_another_dtype_raises():
    with pytest.raises(TypeError, match="astype"):
        grad(lambda x: np.sum(x.astype(np.float32)))(np.ones(2))


@pytest.mark.parametrize("argnums", [(0, 0), (1, 0, 1), (0, -2)])
def test_repeated_argnums_raise_value_error(argnums):
    f = lambda x, y: np.sum(x * y)   # noqa: E731
    for transform in (grad, value_and_grad, jacrev):
        with pytest.raises(ValueError, match="repeated argnums"):
            transform(f, argnums=argnums)(np.ones(2), np.ones(2))


@pytest.mark.parametrize("argnums", [1.0, "0", (0, None), True])
def test_argnums_of_the_wrong_type_raise_type_error(argnums):
    with pytest.raises(TypeError, match="argnums"):
        grad(lambda x, y: x * y, argnums=argnums)(1.0, 2.0)


def _leak(store):
    """A function that keeps an intermediate traced value in ``store``."""
    def f(x):
        y = np.sin(x) * 2.0
        store.append(y)
        return np.sum(y)
    return f


@pytest.mark.parametrize("transform", [
    lambda f, x: grad(f)(x), lambda f, x: value_and_grad(f)(x), lambda f, x: vjp(f, x),
    lambda f, x: jvp(f, (x,), (np.ones_like(x),))],
    ids=["grad", "value_and_grad", "vjp", "jvp"])
def test_a_traced_value_used_after_its_transform_returned_raises_naming_the_problem(transform):
    store = []
    x = np.array([0.3, 0.7])
    transform(_leak(store), x)
    with pytest.raises(TypeError, match="already returned"):
        store[0] + 1.0                                   # outside any transform
    with pytest.raises(TypeError, match="already returned"):
        grad(lambda z: np.sum(z * store[0]))(x)          # inside a later transform
    with pytest.raises(TypeError, match="already returned"):
        jvp(lambda z: np.exp(store[0]) * z, (x,), (x,))


def test_an_inner_traced_value_used_after_the_inner_grad_returned_raises():
    def outer(x):
        kept = []
        grad(_leak(kept))(x)                 # the inner trace finishes here
        return np.sum(kept[0] * x)
    with pytest.raises(TypeError, match="already returned"):
        grad(outer)(np.array([0.3, 0.7]))


def test_a_leaked_value_made_constant_with_stop_gradient_can_be_used():
    store = []

    def f(x):
        store.append(stop_gradient(np.sin(x)))
        return np.sum(x ** 2)
    x = np.array([0.3, 0.7])
    grad(f)(x)
    np.testing.assert_allclose(grad(lambda z: np.sum(z * store[0]))(x), np.sin(x), rtol=1e-15)


def test_returning_a_traced_value_kept_from_a_finished_transform_raises():
    kept = []

    def f(x):
        kept.append(np.sum(x * x))
        return kept[-1]
    x = np.array([0.3, 0.7])
    grad(f)(x)
    for transform in (lambda g: value_and_grad(g)(x), lambda g: vjp(g, x),
                      lambda g: jvp(g, (x,), (x,))):
        with pytest.raises(TypeError, match="already returned was given back"):
            transform(lambda z: kept[0])
