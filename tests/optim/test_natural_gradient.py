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
    with pytest.raises(ValueError, match=r"conjugate gradient could not solve \(F \+ damping I\) d = g"):
        ng.update(np.zeros(2), np.ones(2), ng.init(np.zeros(2)), lambda v: -v)
    with pytest.raises(TypeError, match="fisher must be an array of real numbers"):
        ng.update(np.zeros(2), np.ones(2), ng.init(np.zeros(2)), "identity")


# --------------------------------------------------------------------------- no silent inexact or uphill step

def ill_conditioned_fisher(n=60, seed=0):
    """A random symmetric matrix with eigenvalues spaced evenly in log scale from 1e-8 to 1."""
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.normal(size=(n, n)))
    return (Q * np.logspace(-8, 0, n)) @ Q.T, rng.normal(size=n)


def test_conjugate_gradient_running_out_of_iterations_raises_naming_the_residual_and_the_limit():
    F, g = ill_conditioned_fisher()
    theta = np.zeros(60)
    ng = optim.NaturalGradient(lr=1.0, damping=0.0)     # cg_maxiter defaults to n = 60
    state = ng.init(theta)
    with pytest.raises(np.linalg.LinAlgError,
                       match=r"after 60 iterations, the limit cg_maxiter=60, the relative residual is "
                             r"\d[\d.e+-]*, so the step would be inexact"):
        ng.update(theta, g, state, lambda v: F @ v)
    assert state == {"step": 0}
    # more iterations solve it: the step is then the dense solve's
    patient = optim.NaturalGradient(lr=1.0, damping=0.0, cg_maxiter=5000)
    new, new_state = patient.update(theta, g, state, lambda v: F @ v)
    np.testing.assert_allclose(-new, np.linalg.solve(F, g), rtol=1e-6)
    assert new_state["step"] == 1


def test_the_conjugate_gradient_error_is_a_value_error_too():
    F, g = ill_conditioned_fisher(20)
    ng = optim.NaturalGradient(lr=1.0, damping=0.0, cg_maxiter=3)
    with pytest.raises(ValueError, match="cg_maxiter=3"):
        ng.update(np.zeros(20), g, ng.init(np.zeros(20)), lambda v: F @ v)


def test_an_indefinite_dense_fisher_is_refused_naming_its_smallest_eigenvalue():
    F = np.array([[2.0, 0.0], [0.0, -0.5]])
    g = np.array([1.0, 1.0])
    # solving would give d = (0.5, -2): the step -lr d changes the loss by -lr g.d = +1.5 lr, uphill
    ng = optim.NaturalGradient(lr=0.1, damping=0.0)
    with pytest.raises(ValueError, match=r"not positive definite: the smallest eigenvalue of fisher is -0\.5 "
                                         r"and damping is 0"):
        ng.update(np.zeros(2), g, ng.init(np.zeros(2)), F)
    rotated = np.array([[np.cos(0.3), -np.sin(0.3)], [np.sin(0.3), np.cos(0.3)]])
    with pytest.raises(ValueError, match="smallest eigenvalue of fisher is -0.5"):
        ng.update(np.zeros(2), g, ng.init(np.zeros(2)), rotated @ F @ rotated.T)


def test_damping_that_makes_an_indefinite_matrix_positive_definite_gives_the_damped_solve():
    F = np.array([[2.0, 0.0], [0.0, -0.5]])
    ng = optim.NaturalGradient(lr=1.0, damping=1.0)    # F + I = diag(3, 0.5)
    new, _ = ng.update(np.zeros(2), np.array([3.0, 1.0]), ng.init(np.zeros(2)), F)
    np.testing.assert_allclose(new, [-1.0, -2.0], rtol=1e-14)


def test_a_singular_fisher_without_damping_is_refused():
    ng = optim.NaturalGradient(lr=0.1, damping=0.0)
    with pytest.raises(ValueError, match=r"fisher \+ damping \* I is singular: .* use damping > 0"):
        ng.update(np.zeros(2), np.array([1.0, 0.0]), ng.init(np.zeros(2)), np.ones((2, 2)))
    u, w = np.array([1.0, 2.0, -1.0]), np.array([0.5, 0.0, 3.0])
    rank_two = np.outer(u, u) + np.outer(w, w)          # numerically singular: solve would not notice
    with pytest.raises(ValueError, match="singular"):
        ng.update(np.zeros(3), np.ones(3), ng.init(np.zeros(3)), rank_two)
    damped = optim.NaturalGradient(lr=1.0, damping=1e-3)
    new, _ = damped.update(np.zeros(3), np.ones(3), damped.init(np.zeros(3)), rank_two)
    np.testing.assert_allclose((rank_two + 1e-3 * np.eye(3)) @ -new, np.ones(3), rtol=1e-8)


def test_a_non_symmetric_or_non_finite_fisher_is_refused():
    ng = optim.NaturalGradient(lr=0.1, damping=1.0)
    with pytest.raises(ValueError, match="fisher must be symmetric"):
        ng.update(np.zeros(2), np.ones(2), ng.init(np.zeros(2)), np.array([[1.0, 0.5], [0.0, 1.0]]))
    with pytest.raises(ValueError, match="fisher must hold finite values only"):
        ng.update(np.zeros(2), np.ones(2), ng.init(np.zeros(2)), np.array([[1.0, 0.0], [0.0, np.nan]]))


def test_next_lr_follows_the_schedule():
    ng = optim.NaturalGradient(lr=lambda t: 1.0 / (t + 1), damping=0.1)
    theta, state = np.zeros(2), ng.init(np.zeros(2))
    for t in range(3):
        assert ng.next_lr(state) == 1.0 / (t + 1)
        theta, state = ng.update(theta, np.ones(2), state, np.eye(2))


# --------------------------------------------------------------------------- models with a predictive distribution

def logistic_data(n=200, d=3, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    y = (X @ np.array([1.0, -2.0, 0.5]) + rng.standard_normal(n) > 0).astype(float)
    return X, y


def logistic_loss(w, X, y):
    z = X @ w
    return np.mean(np.logaddexp(0.0, z) - y * z)


def logistic_fisher(w, X):
    p = 1.0 / (1.0 + np.exp(-(X @ w)))
    return X.T @ (X * (p * (1 - p))[:, None]) / len(X)


def logistic_fisher_vector_product(w, X):
    p = 1.0 / (1.0 + np.exp(-(X @ w)))
    return lambda v: X.T @ (p * (1 - p) * (X @ v)) / len(X)


def test_logistic_regression_fisher_equals_the_hessian_of_the_log_loss():
    import optlib
    X, y = logistic_data()
    w = np.array([0.3, -0.2, 0.1])
    hessian = optlib.hessian(lambda v: logistic_loss(v, X, y))(w)
    np.testing.assert_allclose(logistic_fisher(w, X), hessian, rtol=1e-10, atol=1e-14)


def test_logistic_regression_exact_fisher_and_fisher_vector_products_give_the_same_path():
    import optlib
    X, y = logistic_data()
    grad = optlib.grad(logistic_loss)
    ng = optim.NaturalGradient(lr=0.5, damping=1e-3)
    dense = matrix_free = np.zeros(3)
    state_dense = state_free = ng.init(dense)
    for _ in range(10):
        dense, state_dense = ng.update(dense, grad(dense, X, y), state_dense, logistic_fisher(dense, X))
        matrix_free, state_free = ng.update(matrix_free, grad(matrix_free, X, y), state_free,
                                            logistic_fisher_vector_product(matrix_free, X))
    np.testing.assert_allclose(matrix_free, dense, rtol=1e-8)
    assert logistic_loss(dense, X, y) < 0.9 * logistic_loss(np.zeros(3), X, y)


GAUSSIAN_DATA = np.random.default_rng(3).normal(loc=2.0, scale=0.5, size=400)


def gaussian_nll_scale(params):            # (mu, sigma)
    mu, sigma = params[0], params[1]
    return np.mean(0.5 * ((GAUSSIAN_DATA - mu) / sigma) ** 2 + np.log(sigma))


def gaussian_nll_log_scale(params):        # (mu, log sigma)
    mu, s = params[0], params[1]
    return np.mean(0.5 * (GAUSSIAN_DATA - mu) ** 2 * np.exp(-2.0 * s) + s)


def gaussian_fisher_scale(params):
    sigma = params[1]
    return np.diag([1.0 / sigma ** 2, 2.0 / sigma ** 2])


def gaussian_fisher_log_scale(params):
    sigma = np.exp(params[1])
    return np.diag([1.0 / sigma ** 2, 2.0])


def _paths(optimizer, use_fisher, steps):
    import optlib
    start_scale = np.array([0.0, 3.0])
    start_log = np.array([0.0, np.log(3.0)])
    paths = []
    for fun, fisher, theta in ((gaussian_nll_scale, gaussian_fisher_scale, start_scale),
                               (gaussian_nll_log_scale, gaussian_fisher_log_scale, start_log)):
        state = optimizer.init(theta)
        path = [theta]
        for _ in range(steps):
            g = optlib.grad(fun)(theta)
            if use_fisher:
                theta, state = optimizer.update(theta, g, state, fisher(theta))
            else:
                theta, state = optimizer.update(theta, g, state)
            path.append(theta)
        paths.append(np.array(path))
    scale_path, log_path = paths
    return scale_path, np.stack([log_path[:, 0], np.exp(log_path[:, 1])], axis=1)


def test_natural_gradient_is_invariant_to_scale_versus_log_scale_but_gradient_descent_is_not():
    steps, lr = 400, 0.005                     # small steps: the paths approximate the natural-gradient flow
    ng_scale, ng_log = _paths(optim.NaturalGradient(lr=lr, damping=0.0), True, steps)
    gd_scale, gd_log = _paths(optim.SGD(lr=lr), False, steps)
    ng_gap = np.max(np.abs(ng_scale - ng_log))
    gd_gap = np.max(np.abs(gd_scale - gd_log))
    assert ng_gap < 0.02
    assert gd_gap > 0.3
    assert ng_gap < 0.05 * gd_gap
