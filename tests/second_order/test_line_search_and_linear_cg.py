"""Line searches meet their conditions; linear CG converges in n steps, matches SciPy, detects negative curvature."""
import numpy as np
import pytest
import scipy.sparse.linalg

from optlib import functions, line_search
from optlib.autodiff import value_and_grad
from optlib.second_order import conjugate_gradient
from optlib.second_order.status import NON_POSITIVE_CURVATURE

ROSEN = functions.rosenbrock()


def test_wolfe_step_satisfies_the_strong_wolfe_conditions():
    vg = value_and_grad(ROSEN)
    x = ROSEN.start
    f0, g0 = vg(x)
    p = -g0
    res = line_search.wolfe(vg, x, p, f0, g0, step=1e-3)
    assert res.success
    assert res.fun <= f0 + 1e-4 * res.step * (g0 @ p)
    assert abs(res.jac @ p) <= 0.9 * abs(g0 @ p)
    np.testing.assert_allclose(res.x, x + res.step * p)


def test_backtracking_step_satisfies_armijo_and_accepts_a_good_full_step():
    x = ROSEN.start
    f0, g0 = value_and_grad(ROSEN)(x)
    res = line_search.backtracking(ROSEN, x, -g0, f0, g0)
    assert res.success and res.step < 1 and res.fun <= f0 + 1e-4 * res.step * (g0 @ -g0)
    quadratic = lambda z: 0.5 * z @ z          # noqa: E731
    full = line_search.backtracking(quadratic, np.ones(2), -np.ones(2), 1.0, np.ones(2))
    assert full.step == 1.0 and full.nfev == 1


def test_line_searches_report_an_ascent_direction_instead_of_raising():
    vg = value_and_grad(ROSEN)
    f0, g0 = vg(ROSEN.start)
    for res in (line_search.wolfe(vg, ROSEN.start, g0, f0, g0),
                line_search.backtracking(ROSEN, ROSEN.start, g0, f0, g0)):
        assert not res.success and "not a descent direction" in res.message
    with pytest.raises(ValueError, match="c2 must lie in"):
        line_search.wolfe(vg, ROSEN.start, -g0, c1=0.5, c2=0.4)


def spd(n, condition, seed=0):
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    A = (Q * np.geomspace(1.0, condition, n)) @ Q.T
    return 0.5 * (A + A.T), rng.standard_normal(n)


@pytest.mark.parametrize("n", [5, 20, 40])
def test_cg_converges_in_at_most_n_steps(n):
    A, b = spd(n, 10.0, seed=n)
    x, info = conjugate_gradient(A, b, rtol=1e-10)
    assert info.success and info.nit <= n
    np.testing.assert_allclose(A @ x, b, atol=1e-8)
    assert info.residuals.shape == (info.nit + 1,)
    assert info.residuals[0] == pytest.approx(np.linalg.norm(b))


def test_cg_needs_as_many_steps_as_distinct_eigenvalues():
    rng = np.random.default_rng(0)
    Q, _ = np.linalg.qr(rng.standard_normal((30, 30)))
    A = (Q * np.repeat([1.0, 2.0, 5.0], 10)) @ Q.T
    _, info = conjugate_gradient(A, rng.standard_normal(30), rtol=1e-10)
    assert info.nit == 3


def test_cg_with_a_matvec_callable_gives_the_matrix_answer():
    A, b = spd(15, 100.0)
    x_matrix, _ = conjugate_gradient(A, b)
    x_callable, _ = conjugate_gradient(lambda v: A @ v, b)
    np.testing.assert_allclose(x_callable, x_matrix, rtol=1e-12)


def test_a_good_preconditioner_cuts_the_iterations():
    rng = np.random.default_rng(1)
    scales = np.geomspace(1.0, 1e4, 50)
    A0, b = spd(50, 3.0)
    A = A0 * np.sqrt(np.outer(scales, scales))          # badly scaled rows and columns
    _, plain = conjugate_gradient(A, b, rtol=1e-8)
    _, jacobi = conjugate_gradient(A, b, rtol=1e-8, M=lambda r: r / np.diag(A))
    assert jacobi.success and jacobi.nit < plain.nit / 3


@pytest.mark.parametrize("n, condition", [(50, 10.0), (100, 1e3), (200, 1e4)])
def test_cg_iteration_counts_match_scipy_within_two(n, condition):
    A, b = spd(n, condition, seed=n)
    _, info = conjugate_gradient(A, b, rtol=1e-8, maxiter=10 * n)
    count = []
    scipy.sparse.linalg.cg(A, b, rtol=1e-8, maxiter=10 * n, callback=lambda xk: count.append(1))
    assert abs(info.nit - len(count)) <= 2


def test_cg_stops_at_negative_curvature_and_says_so():
    A = np.diag([1.0, 2.0, -1.0])
    x, info = conjugate_gradient(A, np.ones(3))
    assert not info.success and info.status == NON_POSITIVE_CURVATURE
    assert "non-positive curvature p^T A p = -" in info.message and "not positive definite" in info.message
    p = info.curvature_direction
    assert p @ A @ p <= 0
    assert np.all(np.isfinite(x))


def test_cg_maxiter_and_bad_input():
    A, b = spd(30, 1e4)
    _, info = conjugate_gradient(A, b, maxiter=3)
    assert not info.success and info.nit == 3 and "maximum number of iterations" in info.message
    with pytest.raises(ValueError, match=r"A must have shape \(3, 3\)"):
        conjugate_gradient(np.eye(2), np.ones(3))
    with pytest.raises(ValueError, match="rtol must be a non-negative finite number"):
        conjugate_gradient(np.eye(2), np.ones(2), rtol=-1.0)


class CountedLine:
    """phi(alpha) = (alpha - 2)^2 - 4 + sin(3 alpha) / 3 as zoom wants it: a Trial per call, and a count."""

    def __init__(self):
        self.nfev, self.steps = 0, []

    def __call__(self, alpha):
        self.nfev += 1
        self.steps.append(alpha)
        value = (alpha - 2.0) ** 2 - 4.0 + np.sin(3.0 * alpha) / 3.0
        slope = 2.0 * (alpha - 2.0) + np.cos(3.0 * alpha)
        return line_search.Trial(alpha, value, slope, np.array([slope]))


@pytest.mark.parametrize("c2", [0.9, 0.1])
def test_zoom_finds_a_strong_wolfe_step_inside_the_bracket_it_is_given(c2):
    phi = CountedLine()
    origin = phi(0.0)
    hi = phi(6.0)                                    # phi(6) > phi(0): sufficient decrease fails there
    assert hi.value > origin.value
    trial, found = line_search.zoom(phi, origin, origin, hi, 1e-4, c2, maxiter=30)
    assert found
    assert trial.value <= origin.value + 1e-4 * trial.step * origin.slope
    assert abs(trial.slope) <= c2 * abs(origin.slope)
    assert all(0.0 < step < 6.0 for step in phi.steps[2:])
    assert phi.nfev <= 8


def test_zoom_reports_failure_with_the_best_end_when_evaluations_run_out():
    phi = CountedLine()
    origin, hi = phi(0.0), phi(6.0)
    trial, found = line_search.zoom(phi, origin, origin, hi, 1e-4, 1e-6, maxiter=4)
    assert not found and phi.nfev == 4
    seen = [phi(step) for step in phi.steps[:4]]                 # re-evaluate the four steps tried
    acceptable = [t for t in seen if t.value <= origin.value + 1e-4 * t.step * origin.slope]
    assert trial.value == min(t.value for t in acceptable) < origin.value


def test_wolfe_failure_messages_do_not_repeat_line_search_failed():
    vg = value_and_grad(lambda x: x[0] + 0.0 * x[1])                       # unbounded below
    res = line_search.wolfe(vg, np.zeros(2), np.array([-1.0, 0.0]))
    assert not res.success
    assert res.message.startswith("no bracket of acceptable steps found in 30 evaluations")
    assert "line search failed" not in res.message.lower()
