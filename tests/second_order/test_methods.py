"""What each method is known to do: Newton's one step and quadratic rate, CG's n steps, Hessian-free at scale."""
import numpy as np
import pytest

import optlib.autodiff
from optlib import functions
from optlib.second_order import minimize

A = np.array([[4.0, 1.0, 0.5], [1.0, 3.0, 0.2], [0.5, 0.2, 2.0]])
B = np.array([1.0, -2.0, 0.5])
QUADRATIC = functions.quadratic(A, B)


def test_newton_solves_a_convex_quadratic_in_one_step():
    res = minimize(QUADRATIC, np.array([5.0, -3.0, 2.0]), method="newton", tol=1e-10)
    assert res.nit == 1 and res.success
    np.testing.assert_allclose(res.x, np.linalg.solve(A, B), rtol=1e-12)


def test_newton_converges_quadratically_near_the_minimizer():
    rosen = functions.rosenbrock()
    res = minimize(rosen, rosen.start, method="newton", tol=1e-12)
    errors = np.linalg.norm(res.path - 1.0, axis=1)
    errors = errors[(errors < 5e-2) & (errors > 1e-13)]
    assert len(errors) >= 3
    ratios = errors[1:] / errors[:-1] ** 2          # e_{k+1} <= C e_k^2
    assert np.all(ratios < 100.0)
    assert np.all(errors[1:] / errors[:-1] < 0.1)  # far faster than linear


def test_newton_root_solves_scalar_and_vector_equations_with_a_path():
    from optlib.second_order import newton_root
    scalar = newton_root(lambda x: x ** 3 - 2.0, 1.0)
    assert scalar.success and scalar.x == pytest.approx(2.0 ** (1 / 3), rel=1e-14)
    assert scalar.path.shape == (scalar.nit + 1, 1)
    vector = newton_root(lambda v: np.stack([v[0] ** 2 + v[1] ** 2 - 4.0, v[0] - v[1]]), np.array([1.0, 2.0]))
    np.testing.assert_allclose(vector.x, [np.sqrt(2.0)] * 2, rtol=1e-11)   # |F(x)| <= tol = 1e-10
    digits = -np.log10(np.abs(vector.path[:, 0] - np.sqrt(2.0)) + 1e-300)
    assert digits[3] > 1.8 * digits[2] > 0                       # correct digits about double
    singular = newton_root(lambda x: x ** 2 + 1.0, 0.0)          # f'(0) = 0
    assert not singular.success and "singular" in singular.message
    with pytest.raises(ValueError, match="f\\(x0\\) must be finite"), np.errstate(invalid="ignore"):
        newton_root(lambda x: np.log(x), -1.0)


def test_nonlinear_cg_with_exact_steps_on_a_quadratic_converges_in_at_most_n_steps():
    rng = np.random.default_rng(0)
    Q, _ = np.linalg.qr(rng.standard_normal((6, 6)))
    H = (Q * np.geomspace(1, 100, 6)) @ Q.T
    quad = functions.quadratic(0.5 * (H + H.T), rng.standard_normal(6))
    for beta in ("polak-ribiere", "fletcher-reeves"):
        res = minimize(quad, quad.start, method="cg", options={"beta": beta, "c1": 1e-7, "c2": 1e-6, "gtol": 1e-8})
        assert res.success and res.nit <= 6 + 1, (beta, res.nit)


@pytest.mark.parametrize("beta", ["polak-ribiere", "fletcher-reeves"])
def test_nonlinear_cg_solves_rosenbrock_with_either_formula(beta):
    rosen = functions.rosenbrock()
    res = minimize(rosen, rosen.start, method="cg", options={"beta": beta, "maxiter": 5000})
    assert res.success and res.fun < 1e-9


def test_lbfgs_with_full_memory_matches_bfgs_on_a_quadratic():
    lbfgs = minimize(QUADRATIC, QUADRATIC.start, method="lbfgs", options={"gtol": 1e-10, "ftol": 0.0})
    bfgs = minimize(QUADRATIC, QUADRATIC.start, method="bfgs", options={"gtol": 1e-10})
    np.testing.assert_allclose(lbfgs.x, bfgs.x, atol=1e-9)
    assert lbfgs.nit <= bfgs.nit + 2


def test_newton_cg_on_100000_variables_never_forms_a_hessian(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a dense Hessian or Jacobian was requested")

    monkeypatch.setattr(optlib.autodiff, "hessian", refuse)
    monkeypatch.setattr(optlib.autodiff, "jacfwd", refuse)
    monkeypatch.setattr(optlib.autodiff, "jacrev", refuse)
    n = 100_000
    weights = np.linspace(1.0, 10.0, n)

    def f(x):   # strongly convex, tridiagonal Hessian (80 GB if dense), minimum 0 at x = 1
        return (0.5 * np.sum(weights * (x - 1.0) ** 2) + 0.5 * np.sum((x[1:] - x[:-1]) ** 2)
                + 0.25 * np.sum((x - 1.0) ** 4))

    res = minimize(f, np.zeros(n), method="newton-cg", tol=1e-6)
    assert res.success, res.message
    assert res.nhev > 0 and res.nit < 20
    np.testing.assert_allclose(res.x, np.ones(n), atol=1e-6)


def test_coordinate_descent_on_a_quadratic_is_gauss_seidel():
    res = minimize(QUADRATIC, QUADRATIC.start, method="coordinate", options={"maxiter": 1})
    x = QUADRATIC.start.copy()
    for i in range(3):   # exact minimisation along each coordinate in turn
        x[i] = (B[i] - A[i] @ x + A[i, i] * x[i]) / A[i, i]
    np.testing.assert_allclose(res.x, x, rtol=1e-12)


@pytest.mark.parametrize("order", ["cyclic", "random"])
def test_coordinate_descent_converges_in_either_order(order):
    res = minimize(QUADRATIC, QUADRATIC.start, method="coordinate", options={"order": order, "gtol": 1e-9})
    assert res.success
    np.testing.assert_allclose(res.x, np.linalg.solve(A, B), atol=1e-8)


def test_coordinate_descent_random_order_depends_on_the_seed_only():
    rosen = functions.rosenbrock(4)
    runs = [minimize(rosen, rosen.start, method="coordinate", options={"order": "random", "seed": s,
                                                                        "maxiter": 3}) for s in (0, 0, 1)]
    np.testing.assert_array_equal(runs[0].path, runs[1].path)
    assert not np.array_equal(runs[0].path, runs[2].path)


def test_subgradient_method_approaches_the_minimum_of_l1_and_reports_the_best_point():
    objective = functions.l1((1.0, 2.0, 0.5), (1.0, -0.5, 2.0))
    res = minimize(objective, objective.start, method="subgradient", options={"maxiter": 3000})
    values = np.array([objective(p) for p in res.path])
    assert res.fun == pytest.approx(values.min())
    np.testing.assert_allclose(res.x, res.path[np.argmin(values)])
    assert res.fun < 0.02
    assert np.any(np.diff(values) > 0)            # not a descent method
    assert not res.success and "best point" in res.message


def test_subgradient_method_on_the_hinge_loss_uses_autodiff_subgradients_at_kinks():
    rng = np.random.default_rng(1)
    X = rng.standard_normal((40, 2))
    y = np.where(X @ np.array([1.0, -1.0]) + 0.5 * rng.standard_normal(40) > 0, 1.0, -1.0)
    objective = functions.hinge(X, y, l2=0.1)
    res = minimize(objective, objective.start, method="subgradient",
                   options={"maxiter": 2000, "step_size": 0.5})
    assert res.fun - objective.minimum < 0.01
