"""NaturalGradient with a dense Fisher matrix or a Fisher-vector product."""
import numpy as np
import pytest

from optlib import optim


def spd(n, seed=0):
    rng = np.random.default_rng(seed)
    A = rng.normal(size=(n, n))
    return A @ A.T + 0.1 * np.eye(n)


def test_identity_fisher_without_damping_is_sgd():
    theta, g = np.array([1.0, -2.0]), np.array([0.5, 0.25])
    ng = optim.NaturalGradient(lr=0.1, damping=0.0)
    new, state = ng.update(theta, g, ng.init(theta), np.eye(2))
    np.testing.assert_allclose(new, theta - 0.1 * g, rtol=1e-15)
    assert state["step"] == 1


def test_step_solves_the_damped_fisher_system():
    F = spd(4)
    theta, g = np.ones(4), np.arange(4.0)
    ng = optim.NaturalGradient(lr=0.5, damping=0.1)
    new, _ = ng.update(theta, g, ng.init(theta), F)
    np.testing.assert_allclose((F + 0.1 * np.eye(4)) @ (theta - new) / 0.5, g, rtol=1e-10, atol=1e-12)


def test_on_a_quadratic_with_its_hessian_one_step_reaches_the_minimum():
    A = spd(3, seed=1)
    b = np.array([1.0, 2.0, 3.0])
    theta = np.zeros(3)
    ng = optim.NaturalGradient(lr=1.0, damping=0.0)
    new, _ = ng.update(theta, A @ theta - b, ng.init(theta), A)
    np.testing.assert_allclose(new, np.linalg.solve(A, b), rtol=1e-10)


def test_fisher_vector_products_give_the_dense_answer_on_pytrees():
    F = spd(5, seed=2)
    params = {"W": np.ones((2, 2)), "b": 0.5}
    grads = {"W": np.array([[1.0, -1.0], [0.5, 2.0]]), "b": 0.3}

    def fvp(v):  # F acting on the raveled pytree (keys sorted: W then b)
        flat = np.concatenate([v["W"].ravel(), [v["b"]]])
        out = F @ flat
        return {"W": out[:4].reshape(2, 2), "b": float(out[4])}

    ng = optim.NaturalGradient(lr=0.2, damping=0.05)
    dense, _ = ng.update(params, grads, ng.init(params), F)
    matrix_free, _ = ng.update(params, grads, ng.init(params), fvp)
    np.testing.assert_allclose(matrix_free["W"], dense["W"], rtol=1e-8)
    assert matrix_free["b"] == pytest.approx(dense["b"], rel=1e-8)
    assert type(matrix_free["b"]) is float


def test_validation():
    with pytest.raises(ValueError, match=r"damping must be a non-negative finite number, got -1\.0"):
        optim.NaturalGradient(lr=0.1, damping=-1.0)
    ng = optim.NaturalGradient(lr=0.1, damping=0.0)
    with pytest.raises(ValueError, match=r"fisher must have shape \(2, 2\) for 2 parameters, got \(3, 3\)"):
        ng.update(np.zeros(2), np.ones(2), ng.init(np.zeros(2)), np.eye(3))
    with pytest.raises(ValueError, match="not positive definite"):
        ng.update(np.zeros(2), np.ones(2), ng.init(np.zeros(2)), lambda v: -v)
