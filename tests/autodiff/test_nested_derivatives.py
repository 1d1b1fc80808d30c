"""Transforms compose: grad of grad, forward over reverse, Jacobians of Jacobians."""
import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from autodiff_checks import SETTINGS, arrays
from optlib.autodiff import grad, hessian, hvp, jacfwd, jacrev, jvp, logsumexp, value_and_grad


def test_grad_of_grad_has_no_perturbation_confusion():
    # d/dx [x * d/dy (x + y)] = d/dx [x * 1] = 1; confusing the two perturbations gives 2
    inner = lambda x: grad(lambda y: x + y)(1.0)   # noqa: E731
    assert grad(lambda x: x * inner(x))(3.0) == 1.0


def test_nested_forward_mode_has_no_perturbation_confusion():
    def outer(x):
        _, d_inner = jvp(lambda y: x + y, (1.0,), (1.0,))
        return x * d_inner
    _, derivative = jvp(outer, (3.0,), (1.0,))
    assert derivative == 1.0


def test_reverse_over_forward_has_no_perturbation_confusion():
    inner = lambda x: jvp(lambda y: x * y, (2.0,), (1.0,))[1]   # = x   # noqa: E731
    assert grad(lambda x: x * inner(x))(3.0) == 6.0            # d/dx x^2 at 3


def test_grad_of_grad_gives_the_second_derivative():
    f = lambda x: x ** 3 * np.sin(x)   # noqa: E731
    x = 0.7
    expected = 6 * x * np.sin(x) + 6 * x ** 2 * np.cos(x) - x ** 3 * np.sin(x)
    assert np.isclose(grad(grad(f))(x), expected, rtol=1e-12)


def test_triple_grad_gives_the_third_derivative():
    f = lambda x: np.exp(2.0 * x)   # noqa: E731
    assert np.isclose(grad(grad(grad(f)))(0.3), 8.0 * np.exp(0.6), rtol=1e-12)


def _objective(x):
    return np.sum(np.tanh(x[1:] * x[:-1]) ** 2) + logsumexp(x) + np.sum(x ** 4) / 4.0


@SETTINGS
@given(st.integers(2, 5).flatmap(lambda n: st.tuples(arrays((n,), -1.5, 1.5), arrays((n,)))))
def test_hvp_matches_finite_differences_of_grad(xv):
    x, v = xv
    g = grad(_objective)
    h = 1e-6
    numeric = (g(x + h * v) - g(x - h * v)) / (2 * h)
    np.testing.assert_allclose(hvp(_objective, x, v), numeric, rtol=1e-5, atol=1e-6)


@SETTINGS
@given(st.integers(1, 5).flatmap(lambda n: arrays((n,), -1.5, 1.5)))
def test_hessian_is_symmetric_and_matches_finite_differences_and_hvp_columns(x):
    H = hessian(_objective)(x)
    assert H.shape == x.shape + x.shape
    np.testing.assert_allclose(H, H.T, rtol=1e-12, atol=1e-12)
    g = grad(_objective)
    h = 1e-6
    for k in range(x.size):
        e = np.zeros_like(x)
        e[k] = 1.0
        np.testing.assert_allclose(H[:, k], (g(x + h * e) - g(x - h * e)) / (2 * h), rtol=1e-5,
                                   atol=1e-6)
        np.testing.assert_allclose(H[:, k], hvp(_objective, x, e), rtol=1e-10, atol=1e-12)


def test_hessian_of_quadratic_is_its_matrix():
    A = np.array([[3.0, 1.0, 0.0], [1.0, 2.0, 0.5], [0.0, 0.5, 1.0]])
    H = hessian(lambda x: 0.5 * x @ A @ x + np.sum(x))(np.array([0.3, -0.2, 1.0]))
    np.testing.assert_allclose(H, A, rtol=1e-14, atol=1e-14)


def test_hessian_of_matrix_argument_has_shape_in_shape_twice():
    X = np.arange(6.0).reshape(2, 3) / 10
    H = hessian(lambda W: np.sum(np.sin(W) * W))(X)
    assert H.shape == (2, 3, 2, 3)
    expected = np.zeros((6, 6))
    np.fill_diagonal(expected, (2 * np.cos(X) - X * np.sin(X)).ravel())
    np.testing.assert_allclose(H.reshape(6, 6), expected, atol=1e-14)


@SETTINGS
@given(st.integers(1, 4).flatmap(lambda n: arrays((n,), -1.5, 1.5)))
def test_every_composition_of_jacfwd_and_jacrev_gives_the_second_derivatives(x):
    f = lambda x: np.sin(x) * np.sum(x ** 2)   # f_i = sin(x_i) S, S = sum_j x_j^2   # noqa: E731
    n = x.size
    eye = np.eye(n)
    s = np.sum(x ** 2)
    # d2 f_i / dx_j dx_k
    #   = -sin(x_i) S d_ij d_ik + 2 cos(x_i) (d_ij x_k + d_ik x_j) + 2 sin(x_i) d_jk
    expected = (-np.einsum("i,ij,ik->ijk", np.sin(x) * s, eye, eye)
                + 2 * np.einsum("i,ij,k->ijk", np.cos(x), eye, x)
                + 2 * np.einsum("i,ik,j->ijk", np.cos(x), eye, x)
                + 2 * np.einsum("i,jk->ijk", np.sin(x), eye))
    for outer in (jacfwd, jacrev):
        for inner in (jacfwd, jacrev):
            second = outer(inner(f))(x)
            assert second.shape == x.shape * 3
            np.testing.assert_allclose(second, expected, rtol=1e-12, atol=1e-12)


def test_hvp_accepts_pytrees_and_returns_their_structure():
    params = {"w": np.array([0.5, -1.0]), "layers": [np.array(2.0), (np.ones(3),)]}
    v = {"w": np.array([1.0, 0.0]), "layers": [np.array(1.0), (np.arange(3.0),)]}

    def f(p):
        return np.sum(p["w"] ** 3) * p["layers"][0] + np.sum(np.exp(p["layers"][1][0]))
    out = hvp(f, params, v)
    assert set(out) == {"w", "layers"} and isinstance(out["layers"], list)
    assert isinstance(out["layers"][1], tuple)
    # d2f/dw2 v_w = 6 w v_w * s ; cross term d2f/dw ds v_s = 3 w^2 v_s
    np.testing.assert_allclose(out["w"], 6 * params["w"] * v["w"] * 2.0 + 3 * params["w"] ** 2 * 1.0)
    np.testing.assert_allclose(out["layers"][0], np.sum(3 * params["w"] ** 2 * v["w"]))
    np.testing.assert_allclose(out["layers"][1][0], np.exp(1.0) * np.arange(3.0))


def test_hvp_of_mlp_loss_matches_finite_differences_of_value_and_grad():
    rng = np.random.default_rng(0)
    params = [{"W": rng.standard_normal((5, 4)) / 2, "b": np.zeros(4)},
              {"W": rng.standard_normal((4, 3)) / 2, "b": np.zeros(3)}]
    X = rng.standard_normal((6, 5))
    Y = np.eye(3)[rng.integers(0, 3, size=6)]

    def loss(p):
        h = np.tanh(X @ p[0]["W"] + p[0]["b"])
        logits = h @ p[1]["W"] + p[1]["b"]
        return -np.mean(np.sum(Y * (logits - logsumexp(logits, axis=1, keepdims=True)), axis=1))
    v = [{k: rng.standard_normal(a.shape) for k, a in layer.items()} for layer in params]
    step = lambda s: [{k: params[i][k] + s * v[i][k] for k in params[i]} for i in range(2)]   # noqa: E731
    vg = value_and_grad(loss)
    h = 1e-6
    plus, minus = vg(step(h))[1], vg(step(-h))[1]
    result = hvp(loss, params, v)
    for i in range(2):
        for k in ("W", "b"):
            np.testing.assert_allclose(result[i][k], (plus[i][k] - minus[i][k]) / (2 * h),
                                       rtol=1e-5, atol=1e-7)
