"""What each method is known to do: Newton's one step and quadratic rate, CG's n steps, Hessian-free at scale."""
import numpy as np
import pytest
import scipy.optimize

import optlib.autodiff
from optlib import functions
from optlib.second_order import minimize, newton_root
from optlib.second_order.newton import trust_region_step

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


def model(H, g, p):
    return g @ p + 0.5 * p @ H @ p


def test_trust_region_step_is_the_newton_step_when_that_fits_in_the_ball():
    H, g = np.array([[3.0, 1.0], [1.0, 2.0]]), np.array([1.0, -1.0])
    newton = np.linalg.solve(H, -g)
    step, on_boundary = trust_region_step(H, g, 2.0 * np.linalg.norm(newton))
    np.testing.assert_allclose(step, newton, rtol=1e-14)
    assert not on_boundary


@pytest.mark.parametrize("seed", range(6))
def test_trust_region_step_satisfies_the_optimality_conditions_and_beats_scipy_slsqp(seed):
    # Nocedal & Wright, Theorem 4.1: (H + lam I) p = -g, H + lam I positive semi-definite, lam (Delta - |p|) = 0
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.standard_normal((5, 5)))
    H = (Q * rng.uniform(-2.0, 3.0, 5)) @ Q.T
    H = 0.5 * (H + H.T)
    g, radius = rng.standard_normal(5), rng.uniform(0.1, 2.0)
    p, on_boundary = trust_region_step(H, g, radius)
    assert np.linalg.norm(p) <= radius * (1 + 1e-9)
    lam = -(p @ (H @ p + g)) / (p @ p)
    np.testing.assert_allclose((H + lam * np.eye(5)) @ p, -g, atol=1e-8)
    assert lam >= -1e-10 and np.linalg.eigvalsh(H + lam * np.eye(5))[0] >= -1e-8
    assert lam * (radius - np.linalg.norm(p)) == pytest.approx(0.0, abs=1e-8)
    ball = {"type": "ineq", "fun": lambda q: radius ** 2 - q @ q}
    best = min(scipy.optimize.minimize(lambda q: model(H, g, q), radius * rng.standard_normal(5) / 3,
                                       method="SLSQP", constraints=[ball], options={"ftol": 1e-12}).fun
               for _ in range(10))
    assert model(H, g, p) <= best + 1e-9


def test_trust_region_step_in_the_hard_case_goes_to_the_boundary_along_the_lowest_eigenvector():
    H, g, radius = np.diag([-1.0, 1.0, 2.0]), np.array([0.0, 1.0, 1.0]), 2.0
    # g has no component along e_1, and |p(lam = 1)| = |(-1/2, -1/3)| < radius: no root of the secular equation
    p, on_boundary = trust_region_step(H, g, radius)
    assert on_boundary and np.linalg.norm(p) == pytest.approx(radius, rel=1e-12)
    np.testing.assert_allclose(p[1:], [-0.5, -1.0 / 3.0], rtol=1e-8)
    assert abs(p[0]) == pytest.approx(np.sqrt(radius ** 2 - 0.25 - 1.0 / 9.0), rel=1e-8)


def test_newton_counts_one_value_and_gradient_per_trial_and_one_hessian_per_new_iterate():
    res = minimize(functions.rosenbrock(), np.array([-1.2, 1.0]), method="newton")
    assert res.success and res.nfev == res.njev == res.nit + 1
    accepted = np.sum(np.any(np.diff(res.path, axis=0) != 0, axis=1))
    assert res.nhev == accepted                     # the last iterate needs no Hessian: it has converged


def test_newton_escapes_a_saddle_point_along_negative_curvature():
    def f(x):                                       # a saddle at 0, minima at (0, +-1/sqrt(2))
        return x[0] ** 2 - x[1] ** 2 + x[1] ** 4
    res = minimize(f, np.array([1e-3, 1e-6]), method="newton", tol=1e-10)
    assert res.success and res.fun == pytest.approx(-0.25, abs=1e-15)
    np.testing.assert_allclose(np.abs(res.x), [0.0, np.sqrt(0.5)], atol=1e-10)


def test_newton_root_solves_scalar_and_vector_equations_with_a_path():
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


# ---- a zero coordinate at the start: power rules at 0 (derivatives of x ** k with k = 0 or 1) --------------

POWERS = np.arange(5)


def power_series_quartic(x):
    """sum_i p(x_i), p(t) = t^4 - 2 t^2 + t / 2 written as a power series sum_k c_k t^k (k = 0 ... 4)."""
    return np.sum(np.array([0.0, 0.5, -2.0, 0.0, 1.0]) * x[:, None] ** POWERS)


@pytest.mark.parametrize("method", ["bfgs", "lbfgs", "gd", "newton"])
def test_methods_started_at_a_point_with_a_zero_coordinate_reach_a_minimizer(method):
    res = minimize(power_series_quartic, np.array([0.0, 0.5]), method=method)
    assert res.success, res.message
    critical = np.real(np.roots([4.0, 0.0, -4.0, 0.5]))               # p'(t) = 4 t^3 - 4 t + 1/2
    minimizers = critical[12.0 * critical ** 2 - 4.0 > 0]             # p''(t) > 0: the two local minima
    for coordinate in res.x:
        assert np.min(np.abs(coordinate - minimizers)) < 1e-5


def test_newton_root_on_a_cubic_written_as_a_power_series_from_zero():
    coefficients = np.array([-1.0, 1.0, 0.0, 1.0])               # x^3 + x - 1, derivative 1 at x = 0
    res = newton_root(lambda x: np.sum(coefficients * x ** np.arange(4)), 0.0)
    assert res.success, res.message
    assert res.x == pytest.approx(np.real(np.roots([1.0, 0.0, 1.0, -1.0])[-1]), rel=1e-12)
    assert res.path[1, 0] == pytest.approx(1.0)                   # x_1 = 0 - f(0) / f'(0) = 1
