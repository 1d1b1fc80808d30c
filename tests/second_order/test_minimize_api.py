"""optlib.minimize: one front door, SciPy's signature, one result with every field of the contract."""
import numpy as np
import pytest
from scipy.optimize import OptimizeResult

import optlib
from optlib import functions
from optlib.second_order import METHODS, minimize
from optlib.tree import ravel

ROSEN = functions.rosenbrock()
FIELDS = ("x", "fun", "jac", "nit", "nfev", "njev", "nhev", "success", "status", "message", "path")


def quadratic(x):
    return 0.5 * np.sum(np.arange(1.0, x.size + 1.0) * x.reshape(-1) ** 2)


@pytest.mark.parametrize("method", sorted(METHODS))
def test_every_method_returns_every_field_with_path_of_nit_plus_one_iterates(method):
    x0 = np.array([[1.0, -2.0], [0.5, 3.0]])
    res = minimize(quadratic, x0, method=method, options={"maxiter": 50})
    assert isinstance(res, OptimizeResult)
    for field in FIELDS:
        assert field in res, field
    assert res.x.shape == x0.shape and res.jac.shape == x0.shape
    assert res.path.shape == (res.nit + 1, x0.size)
    np.testing.assert_array_equal(res.path[0], x0.reshape(-1))
    assert isinstance(res.fun, float) and np.isfinite(res.fun)
    assert res.fun < quadratic(x0)
    if method != "subgradient":
        assert res.success, res.message
        assert res.status == 0


def test_bfgs_returns_a_dense_inverse_hessian():
    res = minimize(quadratic, np.ones(3), method="bfgs", tol=1e-10)
    assert res.hess_inv.shape == (3, 3)
    np.testing.assert_allclose(res.hess_inv, np.diag([1.0, 0.5, 1 / 3]), atol=0.02)   # inexact line searches


def test_x0_is_not_modified_and_x_is_a_new_array():
    x0 = np.array([-1.2, 1.0])
    copy = x0.copy()
    res = minimize(ROSEN, x0)
    np.testing.assert_array_equal(x0, copy)
    assert res.x is not x0


def test_jac_true_and_jac_callable_and_autodiff_give_the_same_iterates():
    def value_and_grad(x):
        return ROSEN(x), np.array([-400 * x[0] * (x[1] - x[0] ** 2) - 2 * (1 - x[0]), 200 * (x[1] - x[0] ** 2)])

    auto = minimize(ROSEN, ROSEN.start, method="bfgs")
    combined = minimize(value_and_grad, ROSEN.start, method="bfgs", jac=True)
    separate = minimize(ROSEN, ROSEN.start, method="bfgs", jac=lambda x: value_and_grad(x)[1])
    np.testing.assert_allclose(combined.path, auto.path, rtol=1e-10)
    np.testing.assert_allclose(separate.path, auto.path, rtol=1e-10)
    assert combined.nfev == combined.njev == auto.nfev


def test_hess_and_hessp_callables_are_used():
    A = np.array([[3.0, 1.0], [1.0, 2.0]])
    calls = {"hess": 0, "hessp": 0}

    def hess(x):
        calls["hess"] += 1
        return A

    def hessp(x, p):
        calls["hessp"] += 1
        return A @ p

    fun = lambda x: 0.5 * x @ A @ x - x[0]          # noqa: E731
    newton = minimize(fun, np.ones(2), method="newton", hess=hess)
    newton_cg = minimize(fun, np.ones(2), method="newton-cg", hessp=hessp)
    assert calls["hess"] == newton.nhev > 0
    assert calls["hessp"] == newton_cg.nhev > 0
    np.testing.assert_allclose(newton.x, np.linalg.solve(A, [1.0, 0.0]), atol=1e-8)


def test_args_are_passed_to_fun():
    X = np.array([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]])
    y = np.array([1.0, 2.0, 0.5])
    res = minimize(lambda w, X, y: np.sum((X @ w - y) ** 2), np.zeros(2), args=(X, y), tol=1e-10)
    np.testing.assert_allclose(res.x, np.linalg.lstsq(X, y, rcond=None)[0], atol=1e-8)


def test_tol_sets_gtol():
    loose = minimize(ROSEN, ROSEN.start, tol=1e-2)
    tight = minimize(ROSEN, ROSEN.start, tol=1e-10)
    assert np.max(np.abs(loose.jac)) <= 1e-2 and np.max(np.abs(tight.jac)) <= 1e-10
    assert loose.nit < tight.nit


@pytest.mark.parametrize("method", ["gd", "newton", "bfgs", "lbfgs", "cg", "newton-cg", "coordinate"])
def test_callback_is_called_once_per_iteration_with_x_in_x0_shape(method):
    seen = []
    x0 = np.array([[1.0, 2.0]])
    res = minimize(quadratic, x0, method=method, callback=lambda xk: seen.append(xk.copy()))
    assert len(seen) == res.nit
    assert all(x.shape == x0.shape for x in seen)
    np.testing.assert_allclose(np.array(seen).reshape(res.nit, -1), res.path[1:])


def test_pytree_parameters_through_ravel():
    params = {"w": np.array([1.0, -1.0]), "b": 2.0}
    flat, unravel = ravel(params)

    def loss(p):
        return np.sum((p["w"] - 3.0) ** 2) + (p["b"] + 1.0) ** 2

    def loss_and_flat_grad(flat):              # differentiate the pytree, hand back a flat gradient
        value, grads = optlib.value_and_grad(loss)(unravel(flat))
        return value, ravel(grads)[0]

    res = minimize(loss_and_flat_grad, flat, method="lbfgs", jac=True)
    fitted = unravel(res.x)
    np.testing.assert_allclose(fitted["w"], [3.0, 3.0], atol=1e-6)
    assert fitted["b"] == pytest.approx(-1.0, abs=1e-6)


def test_counting_follows_scipy_one_combined_pass_counts_in_nfev_and_njev():
    calls = {"value": 0}

    def counted(x):
        calls["value"] += 1
        return ROSEN(x)

    res = minimize(counted, ROSEN.start, method="bfgs")
    assert res.nfev == res.njev == calls["value"]
    assert res.nhev == 0
    newton = minimize(ROSEN, ROSEN.start, method="newton")
    # one Hessian per iterate a step is computed from: rejected trust-region steps repeat the iterate
    points = [p for k, p in enumerate(newton.path[:-1]) if k == 0 or not np.array_equal(p, newton.path[k - 1])]
    assert newton.nhev == len(points) < newton.nit
    assert newton.nfev == newton.njev == newton.nit + 1          # one value-and-gradient per trial point


def test_unknown_method_and_option_raise_value_error_naming_them():
    with pytest.raises(ValueError, match="unknown method 'nope'; valid choices are 'gd', 'newton'"):
        minimize(quadratic, np.ones(2), method="nope")
    with pytest.raises(ValueError, match=r"unknown option\(s\) \['memory'\] for method 'bfgs'"):
        minimize(quadratic, np.ones(2), method="bfgs", options={"memory": 3})
    with pytest.raises(ValueError, match="maxiter must be an integer >= 0, got -1"):
        minimize(quadratic, np.ones(2), options={"maxiter": -1})
    with pytest.raises(ValueError, match=r"m \(the L-BFGS memory\) must be an integer >= 1, got 0"):
        minimize(quadratic, np.ones(2), method="lbfgs", options={"m": 0})
    with pytest.raises(ValueError, match="unknown beta 'hs'; valid choices are 'polak-ribiere', 'fletcher-reeves'"):
        minimize(quadratic, np.ones(2), method="cg", options={"beta": "hs"})


def test_lbfgs_memory_option_changes_the_path():
    start = functions.rosenbrock(6).start
    short = minimize(functions.rosenbrock(6), start, method="lbfgs", options={"m": 2})
    long = minimize(functions.rosenbrock(6), start, method="lbfgs", options={"m": 10})
    assert short.success and long.success
    assert short.nit != long.nit


def test_pytree_parameters_through_ravel_with_gradients_from_autodiff():
    params = {"w": np.array([1.0, -1.0]), "b": 2.0}
    flat, unravel = ravel(params)

    def loss(flat):                            # differentiated through unravel by optlib.autodiff
        p = unravel(flat)
        return np.sum((p["w"] - 3.0) ** 2) + (p["b"] + 1.0) ** 2

    res = minimize(loss, flat, method="bfgs")
    assert res.success, res.message
    fitted = unravel(res.x)
    np.testing.assert_allclose(fitted["w"], [3.0, 3.0], atol=1e-6)
    assert fitted["b"] == pytest.approx(-1.0, abs=1e-6)
