"""Krylov subspace descent on a logistic regression and on a small MLP, with data subsets."""
import numpy as np
import pytest
import scipy.optimize

from optlib.second_order import minimize


def logistic_data(n=300, d=5, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    y = (X @ rng.standard_normal(d) + 0.5 * rng.standard_normal(n) > 0).astype(float)
    return X, y


def logistic_loss(w, X, y):
    z = X @ w
    return np.mean(np.logaddexp(0.0, z) - y * z) + 0.5e-2 * np.sum(w ** 2)


def test_ksd_on_logistic_regression_reaches_the_scipy_minimizer_with_curvature_on_subsets():
    X, y = logistic_data()
    subsets = [(X[i::3], y[i::3]) for i in range(3)]          # curvature products on a third of the data
    res = minimize(logistic_loss, np.zeros(5), args=(X, y), method="ksd",
                   options={"subspace_dim": 4, "curvature_args": subsets, "gtol": 1e-8})
    reference = scipy.optimize.minimize(lambda w: logistic_loss(w, X, y), np.zeros(5), method="BFGS",
                                        options={"gtol": 1e-10})
    assert res.success, res.message
    np.testing.assert_allclose(res.x, reference.x, atol=1e-6)
    assert res.nit <= 10 and res.nhev > 0


def test_ksd_subspace_bfgs_on_data_subsets_still_makes_progress():
    X, y = logistic_data(seed=1)
    halves = [(X[:150], y[:150]), (X[150:], y[150:])]
    res = minimize(logistic_loss, np.zeros(5), args=(X, y), method="ksd",
                   options={"subspace_dim": 3, "curvature_args": halves, "subspace_args": halves,
                            "maxiter": 6})
    start = logistic_loss(np.zeros(5), X, y)
    best = scipy.optimize.minimize(lambda w: logistic_loss(w, X, y), np.zeros(5)).fun
    assert res.fun - best < 0.05 * (start - best)


def mlp_loss(theta, X, y):     # one tanh hidden layer of 8 units, inputs 1, output 1
    W1 = theta[:8].reshape(1, 8)
    b1 = theta[8:16]
    W2 = theta[16:24]
    b2 = theta[24]
    hidden = np.tanh(X @ W1 + b1)
    return np.mean((hidden @ W2 + b2 - y) ** 2)


def test_ksd_trains_a_small_mlp_faster_per_iteration_than_gradient_descent():
    rng = np.random.default_rng(0)
    X = np.linspace(-2, 2, 64).reshape(-1, 1)
    y = np.sin(2 * X[:, 0])
    theta0 = 0.5 * rng.standard_normal(25)
    start = mlp_loss(theta0, X, y)
    ksd = minimize(mlp_loss, theta0, args=(X, y), method="ksd",
                   options={"subspace_dim": 6, "maxiter": 15, "curvature_args": (X[::2], y[::2])})
    gd = minimize(mlp_loss, theta0, args=(X, y), method="gd", options={"maxiter": 15})
    assert ksd.fun < 0.1 * start
    assert ksd.fun < gd.fun


def test_ksd_accepts_a_gauss_newton_product():
    X, y = logistic_data(seed=2)

    def gauss_newton(w, v, X, y):   # for logistic regression the Gauss-Newton matrix is the Hessian
        p = 1.0 / (1.0 + np.exp(-(X @ w)))
        return X.T @ (p * (1 - p) * (X @ v)) / len(X) + 1e-2 * v

    res = minimize(logistic_loss, np.zeros(5), args=(X, y), method="ksd",
                   options={"subspace_dim": 5, "curvature_product": gauss_newton, "gtol": 1e-8})
    assert res.success
    with pytest.raises(ValueError, match="subspace_dim must be an integer >= 1, got 0"):
        minimize(logistic_loss, np.zeros(5), args=(X, y), method="ksd", options={"subspace_dim": 0})


def test_ksd_trains_an_optlib_nn_mlp_through_ravel():
    from optlib import nn
    from optlib.tree import ravel
    rng = np.random.default_rng(1)
    X = np.linspace(-2, 2, 64).reshape(-1, 1)
    y = np.sin(2 * X)
    net = nn.MLP((1, 8, 1), activation="tanh")
    theta0, unravel = ravel(net.init(rng))

    def loss(theta, X, y):
        return nn.mse(net.apply(unravel(theta), X), y)

    start = loss(theta0, X, y)
    ksd = minimize(loss, theta0, args=(X, y), method="ksd",
                   options={"subspace_dim": 6, "maxiter": 15, "curvature_args": (X[::2], y[::2])})
    gd = minimize(loss, theta0, args=(X, y), method="gd", options={"maxiter": 15})
    assert ksd.fun < 0.1 * start
    assert ksd.fun < gd.fun


def test_ksd_counts_every_curvature_product_once_in_nhev():
    X, y = logistic_data(seed=3)
    calls = []

    def gauss_newton(w, v, X, y):
        calls.append(1)
        p = 1.0 / (1.0 + np.exp(-(X @ w)))
        return X.T @ (p * (1 - p) * (X @ v)) / len(X) + 1e-2 * v

    res = minimize(logistic_loss, np.zeros(5), args=(X, y), method="ksd",
                   options={"subspace_dim": 3, "curvature_product": gauss_newton, "maxiter": 4})
    assert res.nhev == len(calls) == 2 * res.nit > 0   # K - 1 = 2 products per outer iteration
    assert res.nfev == res.njev > res.nit           # the subspace BFGS evaluates the full objective
