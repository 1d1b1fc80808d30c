"""Sharpness: the Hessian's top eigenvalue by power iteration, and Keskar et al.'s box measure."""
import numpy as np
import pytest

from optlib import nn
from optlib.autodiff import hessian, value_and_grad
from optlib.tree import ravel


def test_hessian_top_eigenvalue_of_a_quadratic_is_the_largest_eigenvalue_of_its_matrix():
    rng = np.random.default_rng(1)
    Q, _ = np.linalg.qr(rng.standard_normal((6, 6)))
    A = Q @ np.diag([0.1, 0.5, 1.0, 2.0, 3.0, 7.5]) @ Q.T

    def loss(theta):
        return 0.5 * theta @ (A @ theta)

    estimate = nn.hessian_top_eigenvalue(loss, rng.standard_normal(6), iterations=60)
    assert estimate == pytest.approx(7.5, rel=1e-10)


def test_hessian_top_eigenvalue_of_a_network_matches_the_dense_hessian():
    net = nn.MLP((3, 4, 2), activation="tanh")
    params = net.init(0)
    X, y = np.random.default_rng(0).normal(size=(10, 3)), np.arange(10) % 2
    flat, unravel = ravel(params)

    def loss(p):
        return nn.softmax_cross_entropy(net.apply(p, X), y)

    eigenvalues = np.linalg.eigvalsh(hessian(lambda v: loss(unravel(v)))(flat))
    top = eigenvalues[np.argmax(np.abs(eigenvalues))]
    assert nn.hessian_top_eigenvalue(loss, params, iterations=300) == pytest.approx(top, rel=1e-6)
    assert np.array_equal(ravel(params)[0], flat)          # params not modified


def test_hessian_top_eigenvalue_checks_its_arguments():
    with pytest.raises(TypeError, match="loss must be a function"):
        nn.hessian_top_eigenvalue(3.0, np.ones(2))
    with pytest.raises(ValueError, match="iterations"):
        nn.hessian_top_eigenvalue(lambda t: t @ t, np.ones(2), iterations=0)


def test_keskar_sharpness_of_a_linear_loss_is_its_first_order_rise_over_the_box():
    g, theta, eps = np.array([2.0, -1.0, 0.5]), np.array([0.3, -2.0, 0.0]), 1e-2

    def loss(t):
        return g @ t + 5.0

    rise = np.sum(np.abs(g) * eps * (np.abs(theta) + 1))     # the best corner of the box
    expected = 100 * rise / (1 + loss(theta))
    assert nn.keskar_sharpness(value_and_grad(loss), theta, eps=eps) == pytest.approx(expected, rel=1e-9)


def test_keskar_sharpness_of_a_parabola_away_from_its_minimum_takes_the_far_edge():
    # L(t) = (t - 1)^2 at t = 0: the box is |z| <= eps, and L is largest at z = -eps
    eps = 1e-3
    result = nn.keskar_sharpness(lambda t: ((t[0] - 1) ** 2, 2 * (t - 1)), np.zeros(1), eps=eps)
    assert result == pytest.approx(100 * ((1 + eps) ** 2 - 1) / 2, rel=1e-9)


def test_keskar_sharpness_takes_a_pytree_and_is_zero_at_an_exact_minimum():
    params = {"a": np.zeros(2), "b": 0.0}

    def loss(p):
        return np.sum(p["a"] ** 2) + p["b"] ** 2

    assert nn.keskar_sharpness(value_and_grad(loss), params) == 0.0
    moved = {"a": np.array([0.5, -0.5]), "b": 0.25}
    flat = ravel(moved)[0]
    # separable: each coordinate moves outwards by eps (|theta_j| + 1)
    far = flat + np.sign(flat) * 1e-3 * (np.abs(flat) + 1)
    expected = 100 * (np.sum(far**2) - np.sum(flat**2)) / (1 + np.sum(flat**2))
    assert nn.keskar_sharpness(value_and_grad(loss), moved) == pytest.approx(expected, rel=1e-6)
    assert moved["b"] == 0.25


def test_keskar_sharpness_checks_its_arguments():
    def fn(t):
        return t @ t, 2 * t

    with pytest.raises(ValueError, match="eps must be a positive"):
        nn.keskar_sharpness(fn, np.ones(2), eps=0.0)
    with pytest.raises(ValueError, match="maxiter"):
        nn.keskar_sharpness(fn, np.ones(2), maxiter=0)
    with pytest.raises(TypeError, match="value_and_grad_fn must be a function"):
        nn.keskar_sharpness("loss", np.ones(2))
