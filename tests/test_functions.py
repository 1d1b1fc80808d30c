"""optlib.functions: every objective knows its minimizers, minimum, start and window, and is traceable."""
import dataclasses
import re
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from scipy import optimize

import optlib
from optlib import functions
from optlib.functions import Objective

FAST = settings(max_examples=25, deadline=None)


# ---------------------------------------------------------------------------
# The objectives under test, and numerical derivatives written with the
# coordinate-first convention (one call evaluates every shifted point)
# ---------------------------------------------------------------------------

def _data(seed=0, n=60, d=2):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d)) * np.array([1.0, 3.0, 0.5][:d])
    noise = rng.standard_normal(n)
    return X, X @ np.array([1.0, -0.5, 2.0][:d]) + 0.5 * noise, noise


def _classification(seed=0, n=60, d=2, noise=0.8):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    y = np.sign(X @ np.array([1.0, -2.0, 0.5][:d]) + noise * rng.standard_normal(n))
    y[y == 0] = 1.0
    return X, y


SPD = np.array([[4.0, 1.0, 0.5], [1.0, 3.0, 0.2], [0.5, 0.2, 2.0]])

CONSTRUCTORS = {
    "quadratic_bowl": lambda: functions.quadratic_bowl(),
    "quadratic_bowl_rotated": lambda: functions.quadratic_bowl(50.0, 0.7, (1.0, -2.0)),
    "quadratic_3d": lambda: functions.quadratic(SPD, b=[1.0, -2.0, 0.5], c=1.5),
    "least_squares": lambda: functions.least_squares(*_data()[:2]),
    "least_squares_3d": lambda: functions.least_squares(*_data(seed=1, d=3)[:2]),
    "rosenbrock": lambda: functions.rosenbrock(),
    "rosenbrock_4d": lambda: functions.rosenbrock(4),
    "rosenbrock_7d": lambda: functions.rosenbrock(7),
    "beale": lambda: functions.beale(),
    "himmelblau": lambda: functions.himmelblau(),
    "saddle": lambda: functions.saddle(),
    "monkey_saddle": lambda: functions.monkey_saddle(),
    "rastrigin": lambda: functions.rastrigin(),
    "pascanu_cliff": lambda: functions.pascanu_cliff(),
    "pascanu_cliff_short": lambda: functions.pascanu_cliff(steps=20, x0=0.0, target=1.0),
    "rastrigin_3d": lambda: functions.rastrigin(3),
    "l1": lambda: functions.l1(),
    "l1_3d": lambda: functions.l1((0.5, 1.0, 3.0), (0.0, 2.0, -1.0)),
    "hinge": lambda: functions.hinge(*_classification()),
    "hinge_l2": lambda: functions.hinge(*_classification(), l2=0.1),
}


@pytest.fixture(params=sorted(CONSTRUCTORS), scope="module")
def objective(request):
    return CONSTRUCTORS[request.param]()


def tolerance(objective, relative=1e-12):
    return relative * max(1.0, abs(objective.minimum)) if np.isfinite(objective.minimum) else 0.0


def numerical_gradient(f, x, h=1e-6):
    steps = h * np.eye(x.size)
    return (f(x[:, None] + steps) - f(x[:, None] - steps)) / (2 * h)


def numerical_hessian(f, x, h=1e-3):
    dim = x.size
    e = h * np.eye(dim)
    plus_plus = x[:, None, None] + e[:, :, None] + e[:, None, :]
    plus_minus = x[:, None, None] + e[:, :, None] - e[:, None, :]
    minus_plus = x[:, None, None] - e[:, :, None] + e[:, None, :]
    minus_minus = x[:, None, None] - e[:, :, None] - e[:, None, :]
    hessian = (f(plus_plus) - f(plus_minus) - f(minus_plus) + f(minus_minus)) / (4 * h * h)
    return 0.5 * (hessian + hessian.T)


def random_points_in(bounds, count, rng):
    low, high = np.array(bounds).T
    return low[:, None] + (high - low)[:, None] * rng.random((len(bounds), count))


# ---------------------------------------------------------------------------
# Properties every objective has
# ---------------------------------------------------------------------------

def test_value_at_each_minimizer_equals_minimum(objective):
    for point in objective.minimizers:
        assert abs(objective(point) - objective.minimum) <= tolerance(objective)


SMOOTH = sorted(name for name in CONSTRUCTORS if not name.startswith(("l1", "hinge")))


@pytest.mark.parametrize("name", SMOOTH)
def test_gradient_vanishes_at_minimizers_and_stationary_points(name):
    objective = CONSTRUCTORS[name]()
    assert not objective.kinks
    for point in objective.minimizers + objective.stationary_points:
        np.testing.assert_allclose(numerical_gradient(objective, point), 0.0, atol=1e-5)


@pytest.mark.parametrize("name", sorted(set(CONSTRUCTORS) - set(SMOOTH)))
def test_objectives_with_kinks_say_so(name):
    # their gradient does not exist at the minimizer: see the test of nearby points
    assert CONSTRUCTORS[name]().kinks


def test_points_near_each_minimizer_are_not_lower(objective):
    rng = np.random.default_rng(1)
    for point in objective.minimizers:
        for radius in (1e-7, 1e-4, 1e-2, 1.0):
            nearby = point[:, None] + radius * rng.standard_normal((objective.dim, 300))
            assert np.all(objective(nearby) >= objective.minimum - tolerance(objective))


def test_random_points_in_bounds_never_go_below_minimum(objective):
    points = random_points_in(objective.bounds, 2000, np.random.default_rng(2))
    assert np.all(objective(points) >= objective.minimum - tolerance(objective))


def test_grid_evaluation_equals_pointwise_evaluation(objective):
    grid = random_points_in(objective.bounds, 35, np.random.default_rng(3)).reshape(objective.dim, 7, 5)
    values = objective(grid)
    assert values.shape == (7, 5)
    pointwise = np.array([[objective(grid[:, i, j]) for j in range(5)] for i in range(7)])
    np.testing.assert_allclose(values, pointwise, rtol=1e-13, atol=1e-13)


def test_pointwise_evaluation_returns_a_scalar(objective):
    assert np.ndim(objective(objective.start)) == 0


def test_bounds_contain_minimizers_start_and_stationary_points_with_a_margin(objective):
    low, high = np.array(objective.bounds).T
    assert len(objective.bounds) == objective.dim
    for point in objective.minimizers + objective.stationary_points + (objective.start,):
        assert np.all(point > low) and np.all(point < high)


def test_start_is_not_a_minimizer(objective):
    assert objective(objective.start) > objective.minimum + 1e-3


def test_stored_arrays_are_read_only(objective):
    for array in objective.minimizers + objective.stationary_points + (objective.start,):
        assert not array.flags.writeable
        with pytest.raises(ValueError, match="read-only"):
            array[0] = 123.0


def test_objective_fields_cannot_be_reassigned(objective):
    with pytest.raises(dataclasses.FrozenInstanceError):
        objective.minimum = -1.0


def test_call_rejects_a_point_of_the_wrong_dimension(objective):
    with pytest.raises(ValueError, match=re.escape(f"shape ({objective.dim},) or ({objective.dim}, ...)")):
        objective(np.zeros(objective.dim + 1))


def test_call_accepts_a_list(objective):
    assert objective(list(objective.start)) == objective(objective.start)


def test_call_rejects_a_number(objective):
    with pytest.raises(ValueError, match=re.escape("got shape ()")):
        objective(1.0)


class Traced(np.lib.mixins.NDArrayOperatorsMixin):
    """A stand-in for a traced value: it lets through only what a tracing autodiff can follow.

    NumPy hands every ufunc and array function to ``__array_ufunc__`` /
    ``__array_function__``; anything outside the short lists below, a
    conversion to a plain array or float, an in-place write or a Python
    ``if`` on the value raises.
    """

    UFUNCS = {np.add, np.subtract, np.multiply, np.true_divide, np.power, np.negative, np.exp, np.cos,
              np.sin, np.sqrt, np.absolute, np.maximum, np.square}
    FUNCTIONS = {np.sum, np.einsum}

    def __init__(self, value):
        self.value = value

    @property
    def shape(self):
        return self.value.shape

    @property
    def T(self):
        return Traced(self.value.T)

    def __getitem__(self, index):
        return Traced(self.value[index])

    def __setitem__(self, index, value):
        raise TypeError("in-place write into a traced value")

    def __array__(self, *args, **kwargs):
        raise TypeError("np.asarray or float() on a traced value")

    def __bool__(self):
        raise TypeError("Python `if` on a traced value")

    def __float__(self):
        raise TypeError("float() on a traced value")

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        if method != "__call__" or ufunc not in self.UFUNCS or "out" in kwargs:
            raise TypeError(f"untraceable use of ufunc {ufunc.__name__}.{method}")
        return Traced(ufunc(*(_plain(a) for a in inputs), **kwargs))

    def __array_function__(self, func, types, args, kwargs):
        if func not in self.FUNCTIONS:
            raise TypeError(f"untraceable function np.{func.__name__}")
        if func is np.einsum and len(args) != 3:
            raise TypeError("np.einsum with other than two operands")
        return Traced(func(*(_plain(a) for a in args), **kwargs))


def _plain(value):
    return value.value if isinstance(value, Traced) else value


def test_objective_uses_only_numpy_that_a_tracer_can_follow(objective):
    grid = random_points_in(objective.bounds, 6, np.random.default_rng(4)).reshape(objective.dim, 2, 3)
    for x in (objective.start, grid):
        traced = objective(Traced(np.array(x)))
        assert isinstance(traced, Traced)
        np.testing.assert_allclose(traced.value, objective(x), rtol=1e-15, atol=0)
        assert isinstance(objective.fun(Traced(np.array(x))), Traced)


# ---------------------------------------------------------------------------
# Quadratic bowls
# ---------------------------------------------------------------------------

@FAST
@given(condition_number=st.floats(1.0, 1e3), angle=st.floats(-np.pi, np.pi),
       center=st.tuples(st.floats(-3, 3), st.floats(-3, 3)))
def test_quadratic_bowl_hessian_has_eigenvalues_one_and_condition_number(condition_number, angle, center):
    bowl = functions.quadratic_bowl(condition_number, angle, center)
    hessian = numerical_hessian(bowl, np.array(center) + 0.3)
    np.testing.assert_allclose(np.linalg.eigvalsh(hessian), [1.0, condition_number], rtol=1e-6)
    flat = np.array([np.cos(angle), np.sin(angle)])
    steep = np.array([-np.sin(angle), np.cos(angle)])
    np.testing.assert_allclose(hessian @ flat, flat, atol=1e-6 * condition_number)
    np.testing.assert_allclose(hessian @ steep, condition_number * steep, rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(hessian, functions.quadratic_bowl_matrix(condition_number, angle),
                               rtol=1e-6, atol=1e-6 * condition_number)


@FAST
@given(condition_number=st.floats(1.0, 1e4), angle=st.floats(-np.pi, np.pi))
def test_quadratic_bowl_matrix_is_symmetric_with_the_given_spectrum(condition_number, angle):
    A = functions.quadratic_bowl_matrix(condition_number, angle)
    assert np.array_equal(A, A.T)
    # The entries (of size up to kappa) are rounded, and eigvalsh is backward stable: its eigenvalues are
    # exact for A + E with ||E|| <= c eps ||A|| = c eps kappa. By Weyl's inequality each eigenvalue, the
    # small one too, moves by at most that much: an absolute error of order eps * kappa, not eps * 1.
    # (The largest error seen over 50,000 random bowls was 2 eps kappa.)
    np.testing.assert_allclose(np.linalg.eigvalsh(A), [1.0, condition_number], rtol=0,
                               atol=8 * np.finfo(float).eps * condition_number)


def test_quadratic_bowl_matrix_small_eigenvalue_is_exact_to_the_conditioning_at_kappa_1e4():
    # the example that a relative tolerance of 1e-12 on the eigenvalue 1 wrongly rejected
    A = functions.quadratic_bowl_matrix(1e4, 2.141592653589793)
    small, large = np.linalg.eigvalsh(A)
    assert abs(small - 1.0) <= 8 * np.finfo(float).eps * 1e4
    assert abs(large - 1e4) <= 8 * np.finfo(float).eps * 1e4


def test_quadratic_bowl_is_zero_at_its_center():
    bowl = functions.quadratic_bowl(25.0, 1.0, (2.0, -1.0))
    assert bowl(np.array([2.0, -1.0])) == 0.0
    np.testing.assert_array_equal(bowl.minimizers[0], [2.0, -1.0])


@FAST
@given(condition_number=st.floats(1.5, 1e3), angle=st.floats(-np.pi, np.pi))
def test_quadratic_bowl_start_makes_exact_line_search_as_slow_as_kantorovich_allows(condition_number, angle):
    bowl = functions.quadratic_bowl(condition_number, angle)
    A = functions.quadratic_bowl_matrix(condition_number, angle)
    x = bowl.start
    for _ in range(3):
        gradient = A @ x
        step = (gradient @ gradient) / (gradient @ A @ gradient)
        x_next = x - step * gradient
        rate = bowl(x_next) / bowl(x)
        np.testing.assert_allclose(rate, ((condition_number - 1) / (condition_number + 1)) ** 2, rtol=1e-8)
        x = x_next


def test_quadratic_bowl_window_is_square():
    (x_low, x_high), (y_low, y_high) = functions.quadratic_bowl(100.0, 0.3).bounds
    assert x_high - x_low == pytest.approx(y_high - y_low)


def test_quadratic_minimizer_solves_the_linear_system_and_hessian_is_A():
    b = np.array([1.0, -2.0, 0.5])
    objective = functions.quadratic(SPD, b, c=1.5)
    np.testing.assert_allclose(SPD @ objective.minimizers[0], b, rtol=1e-13, atol=1e-13)
    assert objective.minimum == pytest.approx(1.5 - 0.5 * b @ np.linalg.solve(SPD, b), rel=1e-13)
    np.testing.assert_allclose(numerical_hessian(objective, np.array([0.3, -0.2, 1.0])), SPD, rtol=1e-6)


def test_quadratic_without_linear_term_starts_away_from_its_minimizer():
    objective = functions.quadratic(np.eye(2))
    np.testing.assert_array_equal(objective.minimizers[0], [0.0, 0.0])
    np.testing.assert_array_equal(objective.start, [1.0, 1.0])


def test_quadratic_copies_its_inputs():
    A, b = SPD.copy(), np.array([1.0, 2.0, 3.0])
    objective = functions.quadratic(A, b)
    before = objective(np.ones(3))
    A[0, 0], b[0] = 100.0, 100.0
    assert objective(np.ones(3)) == before


# ---------------------------------------------------------------------------
# Least squares
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("d", [1, 2, 3])
def test_least_squares_minimizer_matches_lstsq_and_minimum_is_mean_squared_residual(d):
    X, y, _ = _data(seed=5, d=d)
    objective = functions.least_squares(X, y)
    expected = np.linalg.lstsq(X, y, rcond=None)[0]
    np.testing.assert_allclose(objective.minimizers[0], expected, rtol=1e-12, atol=1e-14)
    assert objective.minimum == pytest.approx(np.mean((X @ expected - y) ** 2), rel=1e-12)


def test_least_squares_value_is_the_mean_squared_error():
    X, y, _ = _data(seed=6)
    w = np.array([0.3, -1.2])
    assert functions.least_squares(X, y)(w) == pytest.approx(np.mean((X @ w - y) ** 2), rel=1e-14)


@pytest.mark.parametrize("d", [2, 3])
def test_least_squares_hessian_is_twice_the_second_moment_matrix(d):
    X, y, _ = _data(seed=7, d=d)
    hessian = numerical_hessian(functions.least_squares(X, y), np.full(d, 0.4))
    np.testing.assert_allclose(hessian, 2 * X.T @ X / len(y), rtol=1e-6)


def test_least_squares_minimum_is_zero_without_noise():
    X, _, _ = _data(seed=8)
    objective = functions.least_squares(X, X @ np.array([2.0, -1.0]))
    np.testing.assert_allclose(objective.minimizers[0], [2.0, -1.0], rtol=1e-12)
    assert objective.minimum < 1e-28


def test_least_squares_copies_its_inputs():
    X, y, _ = _data(seed=9)
    objective = functions.least_squares(X, y)
    w = np.array([0.5, 0.5])
    before = objective(w)
    X[:] = 0.0
    y[:] = 0.0
    assert objective(w) == before


# ---------------------------------------------------------------------------
# Classical test functions
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("dim", [2, 3, 6])
def test_rosenbrock_minimum_is_zero_at_ones(dim):
    objective = functions.rosenbrock(dim)
    assert objective(np.ones(dim)) == 0.0
    assert objective.minimum == 0.0
    np.testing.assert_array_equal(objective.minimizers[0], np.ones(dim))


def test_rosenbrock_starts_from_the_classical_point():
    np.testing.assert_array_equal(functions.rosenbrock().start, [-1.2, 1.0])
    np.testing.assert_array_equal(functions.rosenbrock(5).start, [-1.2, 1.0, -1.2, 1.0, -1.2])
    assert functions.rosenbrock()(np.array([-1.2, 1.0])) == pytest.approx(24.2)


@pytest.mark.parametrize("dim", [2, 3, 5, 10])
def test_rosenbrock_agrees_with_scipy(dim):
    points = np.random.default_rng(dim).uniform(-2, 2, size=(dim, 20))
    np.testing.assert_allclose(functions.rosenbrock(dim)(points), optimize.rosen(points), rtol=1e-14)


@pytest.mark.parametrize("dim", [4, 5, 7, 12])
def test_rosenbrock_has_a_second_local_minimum_from_four_dimensions(dim):
    objective = functions.rosenbrock(dim)
    (local,) = objective.stationary_points
    np.testing.assert_allclose(optimize.rosen_der(local), 0.0, atol=1e-10)
    assert np.all(np.linalg.eigvalsh(optimize.rosen_hess(local)) > 0)
    assert objective(local) > 3.0
    assert local[0] < -0.7


@pytest.mark.parametrize("dim", [2, 3])
def test_rosenbrock_in_two_and_three_dimensions_lists_no_other_minimum(dim):
    assert functions.rosenbrock(dim).stationary_points == ()


def test_beale_minimum_is_zero_at_three_one_half_and_it_has_two_saddles():
    objective = functions.beale()
    assert objective(np.array([3.0, 0.5])) == 0.0
    for point in objective.stationary_points:
        eigenvalues = np.linalg.eigvalsh(numerical_hessian(objective, point, h=1e-4))
        assert eigenvalues[0] < -0.1 < 0.1 < eigenvalues[1]


def test_himmelblau_has_four_distinct_global_minima():
    objective = functions.himmelblau()
    assert len(objective.minimizers) == 4
    points = np.array(objective.minimizers)
    distances = np.linalg.norm(points[:, None] - points[None], axis=-1)
    assert np.all(distances[~np.eye(4, dtype=bool)] > 1.0)
    assert all(objective(point) < 1e-28 for point in objective.minimizers)


def test_himmelblau_stationary_points_are_one_maximum_and_four_saddles():
    objective = functions.himmelblau()
    kinds = []
    for point in objective.stationary_points:
        eigenvalues = np.linalg.eigvalsh(numerical_hessian(objective, point, h=1e-4))
        kinds.append("maximum" if eigenvalues[1] < 0 else "saddle" if eigenvalues[0] < 0 else "minimum")
    assert sorted(kinds) == ["maximum"] + ["saddle"] * 4
    maximum = objective.stationary_points[kinds.index("maximum")]
    assert objective(maximum) == pytest.approx(181.617, abs=1e-3)


def _himmelblau_derivatives(x, y):
    gradient = (4 * x * (x * x + y - 11) + 2 * (x + y * y - 7),
                2 * (x * x + y - 11) + 4 * y * (x + y * y - 7))
    hessian = ((12 * x * x + 4 * y - 42, 4 * x + 4 * y), (4 * x + 4 * y, 4 * x + 12 * y * y - 26))
    return gradient, hessian


def _beale_derivatives(x, y):
    constants = (Fraction(3, 2), Fraction(9, 4), Fraction(21, 8))
    gx = gy = hxx = hxy = hyy = 0
    for k, constant in enumerate(constants, start=1):
        residual = constant - x + x * y ** k
        dx, dy = y ** k - 1, k * x * y ** (k - 1)
        dxy, dyy = k * y ** (k - 1), k * (k - 1) * x * y ** max(k - 2, 0)
        gx, gy = gx + 2 * residual * dx, gy + 2 * residual * dy
        hxx += 2 * dx * dx
        hxy += 2 * (dx * dy + residual * dxy)
        hyy += 2 * (dy * dy + residual * dyy)
    return (gx, gy), ((hxx, hxy), (hxy, hyy))


@pytest.mark.parametrize("name, derivatives", [("himmelblau", _himmelblau_derivatives),
                                               ("beale", _beale_derivatives)])
def test_critical_points_are_given_to_the_nearest_double(name, derivatives):
    objective = getattr(functions, name)()
    for point in objective.minimizers + objective.stationary_points:
        x, y = (Fraction(float(v)) for v in point)
        (gx, gy), ((a, b), (c, d)) = derivatives(x, y)
        determinant = a * d - b * c
        newton_step = ((d * gx - b * gy) / determinant, (a * gy - c * gx) / determinant)
        for coordinate, step in zip(point, newton_step):
            # exact Newton step: the root is point - step up to O(step^2), far below one ulp
            assert abs(step) <= Fraction(float(np.spacing(abs(coordinate)))) / 2


def test_saddle_is_unbounded_below_with_a_zero_gradient_at_the_origin():
    objective = functions.saddle()
    assert objective.minimum == -np.inf and objective.minimizers == ()
    along_ray = objective(np.array([[0.0, 0.0, 0.0, 0.0], [1.0, 10.0, 1e3, 1e6]]))
    assert np.all(np.diff(along_ray) < 0) and along_ray[-1] <= -1e12
    np.testing.assert_allclose(numerical_gradient(objective, np.zeros(2)), 0.0, atol=1e-12)
    np.testing.assert_allclose(numerical_hessian(objective, np.zeros(2)), np.diag([2.0, -2.0]), atol=1e-8)


def test_monkey_saddle_is_unbounded_below_with_zero_gradient_and_hessian_at_the_origin():
    objective = functions.monkey_saddle()
    assert objective.minimum == -np.inf and objective.minimizers == ()
    for angle in (np.pi / 3, np.pi, 5 * np.pi / 3):             # its three valleys
        radii = np.array([1.0, 10.0, 1e3, 1e6])
        along_ray = objective(radii * np.array([[np.cos(angle)], [np.sin(angle)]]))
        assert np.all(np.diff(along_ray) < 0) and along_ray[-1] <= -1e17
    np.testing.assert_allclose(numerical_gradient(objective, np.zeros(2)), 0.0, atol=1e-11)
    np.testing.assert_allclose(numerical_hessian(objective, np.zeros(2)), 0.0, atol=1e-8)


@pytest.mark.parametrize("dim", [1, 2, 5])
def test_rastrigin_minimum_is_zero_at_the_origin(dim):
    objective = functions.rastrigin(dim)
    assert objective(np.zeros(dim)) == 0.0
    assert objective.bounds == ((-5.12, 5.12),) * dim


def test_rastrigin_has_local_minima_near_integer_points():
    objective = functions.rastrigin(2)
    point = np.array([1.0, -2.0])
    result = optimize.minimize(objective, point, method="BFGS")
    assert np.linalg.norm(result.x - point) < 0.1
    assert result.fun > 4.0


# ---------------------------------------------------------------------------
# Non-smooth objectives
# ---------------------------------------------------------------------------

def test_l1_is_the_weighted_distance_to_its_center_and_has_kinks():
    objective = functions.l1(weights=(1.0, 2.0), center=(1.0, -0.5))
    assert objective.kinks
    assert objective(np.array([3.0, 0.5])) == pytest.approx(1.0 * 2.0 + 2.0 * 1.0)
    assert objective(np.array([1.0, -0.5])) == 0.0


def test_l1_gradient_keeps_its_size_arbitrarily_close_to_the_minimizer():
    objective = functions.l1()
    for distance in (1e-1, 1e-3):
        gradient = numerical_gradient(objective, np.array([1.0, -0.5]) + distance, h=distance / 10)
        np.testing.assert_allclose(gradient, [1.0, 2.0], rtol=1e-6)


def _dual_linear_program_maximum(X, y):
    """The optimum of the dual of the unpenalised hinge problem.

    The dual is: maximise sum(beta) subject to Z^T beta = 0 and 0 <= beta_i <= 1/n,
    one multiplier beta_i per example. By linear programming duality its optimum
    equals the minimum of the mean hinge loss (the library solves the primal, in
    the weights and slacks).
    """
    Z = y[:, None] * X
    n = len(y)
    result = optimize.linprog(-np.ones(n), A_eq=Z.T, b_eq=np.zeros(Z.shape[1]), bounds=[(0.0, 1.0 / n)] * n,
                              method="highs")
    assert result.status == 0
    return -result.fun


def _minimum_over_vertices(X, y):
    """The smallest mean hinge loss over every vertex of the 2-D arrangement of the lines y_i x_i^T w = 1.

    The loss is convex and piecewise linear with kinks on those lines; when the
    lines' normals span the plane its minimizing set contains no line, so one
    of its corners, a vertex of the arrangement, is a minimizer.
    """
    Z = y[:, None] * X
    vertices = []
    for i in range(len(Z)):
        for j in range(i + 1, len(Z)):
            pair = Z[[i, j]]
            if abs(np.linalg.det(pair)) > 1e-12:
                vertices.append(np.linalg.solve(pair, np.ones(2)))
    W = np.array(vertices).T
    return np.min(np.mean(np.maximum(0.0, 1.0 - Z @ W), axis=0))


@pytest.mark.parametrize("seed", range(4))
def test_hinge_minimum_equals_the_optimum_of_the_dual_linear_program(seed):
    X, y = _classification(seed=seed, n=50)
    objective = functions.hinge(X, y)
    assert objective.kinks
    assert objective.minimum == pytest.approx(_dual_linear_program_maximum(X, y), abs=1e-9)


@pytest.mark.parametrize("seed", range(4))
def test_hinge_minimum_equals_the_smallest_value_over_the_vertices_of_its_kinks(seed):
    X, y = _classification(seed=seed, n=50)
    objective = functions.hinge(X, y)
    assert objective.minimum == pytest.approx(_minimum_over_vertices(X, y), abs=1e-12)


def _dual_quadratic_program_maximum(X, y, l2):
    r"""The optimum of the dual of the penalised hinge problem, by L-BFGS-B on the box [0, 1/n]^n.

    max sum(beta) - ||Z^T beta||^2 / (2 l2); by strong duality it equals the
    minimum of the mean hinge loss plus (l2 / 2) ||w||^2.
    """
    Z = y[:, None] * X
    n = len(y)

    def negative_dual(beta):
        w = Z.T @ beta / l2
        return -np.sum(beta) + 0.5 * l2 * w @ w, -np.ones(n) + Z @ w

    result = optimize.minimize(negative_dual, np.full(n, 0.5 / n), jac=True, method="L-BFGS-B",
                               bounds=[(0.0, 1.0 / n)] * n, options={"ftol": 1e-15, "gtol": 1e-12,
                                                                     "maxiter": 10_000})
    return -result.fun


@pytest.mark.parametrize("seed, l2", [(0, 0.1), (1, 1.0), (2, 0.01), (3, 10.0)])
def test_hinge_with_penalty_minimum_equals_the_optimum_of_the_dual_quadratic_program(seed, l2):
    X, y = _classification(seed=seed, n=50)
    objective = functions.hinge(X, y, l2=l2)
    assert objective.minimum == pytest.approx(_dual_quadratic_program_maximum(X, y, l2), rel=1e-10)


def test_hinge_is_one_at_the_start():
    X, y = _classification(seed=3)
    assert functions.hinge(X, y)(np.zeros(2)) == 1.0
    assert functions.hinge(X, y, l2=0.5)(np.zeros(2)) == 1.0


def test_hinge_on_separable_data_has_minimum_zero_and_no_unique_minimizer():
    X, y = _classification(seed=4, noise=0.0)
    objective = functions.hinge(X, y)
    assert objective.minimum == pytest.approx(0.0, abs=1e-12)
    assert objective.minimizers == ()


@FAST
@given(seed=st.integers(0, 10_000), n=st.integers(3, 80), d=st.integers(1, 3),
       l2=st.sampled_from([1e-3, 0.1, 1.0, 10.0]))
def test_hinge_with_penalty_has_one_certified_minimizer(seed, n, d, l2):
    X, y = _classification(seed=seed, n=n, d=d)
    objective = functions.hinge(X, y, l2=l2)
    (w,) = objective.minimizers
    assert objective(w) == pytest.approx(objective.minimum, rel=1e-12, abs=1e-15)
    rng = np.random.default_rng(seed)
    for radius in (1e-8, 1e-5, 1e-2):
        nearby = w[:, None] + radius * rng.standard_normal((d, 200))
        assert np.all(objective(nearby) >= objective.minimum - 1e-13)


# ---------------------------------------------------------------------------
# Clear errors
# ---------------------------------------------------------------------------

X2, Y2 = _classification(seed=0, n=10)


@pytest.mark.parametrize("make, message", [
    (lambda: functions.quadratic_bowl(condition_number=0.5), r"condition_number .*>= 1.*got 0\.5"),
    (lambda: functions.quadratic_bowl(condition_number=np.nan), r"condition_number .*finite.*got nan"),
    (lambda: functions.quadratic_bowl(angle=np.inf), r"angle .*finite.*got inf"),
    (lambda: functions.quadratic_bowl(center=(1.0, 2.0, 3.0)),
     r"center must have shape \(2,\), got shape \(3,\)"),
    (lambda: functions.quadratic_bowl(center=(np.nan, 0.0)), r"center .*finite.*nan"),
    (lambda: functions.quadratic_bowl_matrix(0.9), r"condition_number .*got 0\.9"),
    (lambda: functions.quadratic([[1.0, 2.0], [0.0, 1.0]]), r"A must be symmetric.*2"),
    (lambda: functions.quadratic([[1.0, 0.0], [0.0, -2.0]]), r"positive definite.*smallest eigenvalue -2"),
    (lambda: functions.quadratic([[1.0, 1.0], [1.0, 1.0]]), r"positive definite.*smallest eigenvalue"),
    (lambda: functions.quadratic(np.ones((2, 3))), r"square.*\(2, 3\)"),
    (lambda: functions.quadratic(np.eye(2), b=[1.0, 2.0, 3.0]),
     r"b must have shape \(2,\).*got shape \(3,\)"),
    (lambda: functions.quadratic(np.eye(2), c=np.inf), r"c must be a finite number, got inf"),
    (lambda: functions.quadratic([[1.0, np.nan], [np.nan, 1.0]]), r"A must hold finite values.*nan"),
    (lambda: functions.least_squares(np.ones((5, 2)), np.ones(4)),
     r"y must have shape \(5,\).*\(5, 2\).*\(4,\)"),
    (lambda: functions.least_squares(np.ones(5), np.ones(5)), r"X must be a 2-D array, got shape \(5,\)"),
    (lambda: functions.least_squares([[1.0, 2.0], [2.0, 4.0], [3.0, 6.0]], [1.0, 2.0, 3.0]),
     r"full column rank 2.*got rank 1"),
    (lambda: functions.least_squares([[1.0, np.inf], [0.0, 1.0]], [1.0, 2.0]), r"X must hold finite.*inf"),
    (lambda: functions.least_squares(np.eye(2), [1.0, np.nan]), r"y must hold finite.*nan"),
    (lambda: functions.rosenbrock(1), r"dim must be an integer >= 2, got 1"),
    (lambda: functions.rosenbrock(0), r"dim must be an integer >= 2, got 0"),
    (lambda: functions.rastrigin(0), r"dim must be an integer >= 1, got 0"),
    (lambda: functions.rastrigin(-3), r"dim must be an integer >= 1, got -3"),
    (lambda: functions.l1(weights=(1.0, -1.0)), r"weights must all be positive, got \[1\.0, -1\.0\]"),
    (lambda: functions.l1(weights=(1.0, 2.0), center=(0.0, 0.0, 0.0)),
     r"center must have shape \(2,\) to match weights of length 2, got shape \(3,\)"),
    (lambda: functions.l1(weights=(np.nan, 1.0)), r"weights must hold finite.*nan"),
    (lambda: functions.l1(weights=(), center=()), r"weights must have at least one entry"),
    (lambda: functions.hinge(X2, np.where(Y2 > 0, 1.0, 0.5)), r"labels -1 and \+1.*0\.5"),
    (lambda: functions.hinge(X2, Y2, l2=-1.0), r"l2 must be a non-negative.*got -1\.0"),
    (lambda: functions.hinge(X2, Y2, l2=np.nan), r"l2 must be a non-negative finite number, got nan"),
    (lambda: functions.hinge(X2, Y2[:-1]), r"y must have shape \(10,\).*\(10, 2\).*\(9,\)"),
])
def test_bad_arguments_raise_value_error_naming_argument_and_value(make, message):
    with pytest.raises(ValueError, match=message):
        make()


@pytest.mark.parametrize("make", [lambda: functions.rosenbrock(2.5), lambda: functions.rastrigin("3"),
                                  lambda: functions.quadratic_bowl(condition_number="10")])
def test_arguments_of_the_wrong_type_raise_type_error(make):
    with pytest.raises(TypeError, match="must be"):
        make()


def _objective(**changes):
    fields = dict(name="test", fun=lambda x: x[0] ** 2 + x[1] ** 2, dim=2, minimizers=(np.zeros(2),),
                  minimum=0.0, bounds=((-1.0, 1.0), (-1.0, 1.0)), start=np.array([0.5, 0.5]))
    return Objective(**{**fields, **changes})


@pytest.mark.parametrize("changes, message", [
    (dict(dim=0), r"dim must be an integer >= 1, got 0"),
    (dict(start=np.zeros(3)), r"start must have shape \(2,\), got shape \(3,\)"),
    (dict(minimizers=(np.zeros(3),)), r"minimizers\[0\] must have shape \(2,\), got shape \(3,\)"),
    (dict(minimizers=np.zeros(2)), r"minimizers must be a sequence of points"),
    (dict(minimum=-np.inf), r"unbounded below.*no minimizers, got 1"),
    (dict(bounds=((-1.0, 1.0),)), r"one \(low, high\) pair per coordinate \(2\), got 1"),
    (dict(bounds=((1.0, -1.0), (-1.0, 1.0))), r"low < high, got \(1\.0, -1\.0\)"),
    (dict(start=np.array([np.nan, 0.0])), r"start must hold finite values only"),
])
def test_objective_rejects_inconsistent_fields(changes, message):
    with pytest.raises(ValueError, match=message):
        _objective(**changes)


def test_objective_stores_read_only_copies_of_the_arrays_it_is_given():
    start = np.array([0.5, 0.5])
    objective = _objective(start=start)
    start[0] = 9.0
    assert objective.start[0] == 0.5
    assert not objective.start.flags.writeable


# ---------------------------------------------------------------------------
# The package's public names
# ---------------------------------------------------------------------------

#: the public names of optlib.functions before it became a package
FORMER_NAMES = ["Objective", "quadratic_bowl", "quadratic_bowl_matrix", "quadratic", "least_squares",
                "rosenbrock", "beale", "himmelblau", "saddle", "monkey_saddle", "rastrigin", "l1", "hinge",
                "freudenstein_roth", "powell_badly_scaled", "brown_badly_scaled", "jennrich_sampson",
                "helical_valley", "bard", "gaussian", "box_3d", "powell_singular", "wood", "kowalik_osborne",
                "brown_dennis", "biggs_exp6", "watson", "penalty_1", "variably_dimensioned",
                "broyden_tridiagonal", "linear_full_rank", "more_garbow_hillstrom"]


def test_every_name_of_the_former_module_is_still_importable_from_optlib_functions():
    assert set(FORMER_NAMES) <= set(functions.__all__)
    for name in functions.__all__:
        assert callable(getattr(functions, name))


def test_the_api_page_documents_every_public_name_once():
    page = (Path(__file__).resolve().parent.parent / "api" / "functions.md").read_text()
    documented = re.findall(r"\.\. auto(?:function|class):: (\w+)", page)
    assert sorted(documented) == sorted(functions.__all__)


# ---------------------------------------------------------------------------
# Pascanu's cliff
# ---------------------------------------------------------------------------

def cliff_by_hand(w, b, steps=50, x0=0.5, target=0.7):
    """The loss and its gradient by backpropagation through the steps, written out."""
    xs = [x0]
    for _ in range(steps):
        xs.append(w / (1 + np.exp(-xs[-1])) + b)
    delta, dw, db = 2 * (xs[-1] - target), 0.0, 0.0
    for t in range(steps, 0, -1):
        s = 1 / (1 + np.exp(-xs[t - 1]))
        dw, db = dw + delta * s, db + delta
        delta = delta * w * s * (1 - s)
    return (xs[-1] - target) ** 2, np.array([dw, db])


def test_pascanu_cliff_matches_the_recurrence_and_its_backpropagation():
    cliff = functions.pascanu_cliff()
    for point in ([9.0, -1.0], [8.0, -4.6], [3.0, 0.5]):
        loss, grad = cliff_by_hand(*point)
        assert np.isclose(cliff(np.array(point)), loss, rtol=1e-12)
        np.testing.assert_allclose(optlib.grad(cliff)(np.array(point)), grad, rtol=1e-8)
        h = 1e-6 * np.eye(2)
        fd = [(cliff(np.array(point) + e) - cliff(np.array(point) - e)) / 2e-6 for e in h]
        np.testing.assert_allclose(fd, grad, rtol=1e-4, atol=1e-6)


def test_pascanu_cliff_has_plateaus_and_a_cliff_and_reaches_zero():
    cliff = functions.pascanu_cliff()
    gradient = optlib.grad(cliff)
    # on the cliff's edge x0 is an unstable fixed point, x_t = wσ(x_{t-1}) + b with slope
    # wσ'(x0) = 9 * 0.235 = 2.1: a change of b grows 2.1 times a step, 1e16 times over 50
    w = 9.0
    edge = np.array([w, 0.5 - w / (1 + np.exp(-0.5))])
    assert np.linalg.norm(gradient(edge)) > 1e12
    assert np.linalg.norm(gradient(cliff.start)) < 100       # the plateau at the start
    # with a small weight the map contracts to its one fixed point; choose b to put it at the target
    w0 = 1.0
    b0 = 0.7 - w0 / (1 + np.exp(-0.7))
    assert cliff(np.array([w0, b0])) < 1e-20
