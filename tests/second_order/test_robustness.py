"""The result tells the truth: failures are reported, never raised or hidden behind a NaN."""
import numpy as np
import pytest

from optlib import functions
from optlib.second_order import METHODS, minimize
from optlib.second_order.status import LINE_SEARCH_FAILED, MAXITER

ROSEN = functions.rosenbrock()


@pytest.mark.parametrize("method", sorted(METHODS))
@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_value_at_the_start_raises_value_error(method, bad):
    with pytest.raises(ValueError, match=r"fun\(x0\) must be finite, got (nan|inf)"):
        minimize(lambda x: np.sum(x ** 2) + bad, np.ones(2), method=method)


def test_non_finite_x0_raises_value_error():
    with pytest.raises(ValueError, match="x0 must hold finite values only"):
        minimize(ROSEN, np.array([np.nan, 1.0]))


@pytest.mark.parametrize("method", ["gd", "newton", "bfgs", "lbfgs", "cg", "newton-cg", "ksd", "coordinate"])
def test_maxiter_reached_gives_success_false_and_says_so(method):
    rosen = functions.rosenbrock(6)
    res = minimize(rosen, rosen.start, method=method, options={"maxiter": 2})
    assert not res.success
    assert res.status == MAXITER
    assert res.message == "Maximum number of iterations (2) has been exceeded."
    assert res.nit == 2 and np.all(np.isfinite(res.x)) and np.isfinite(res.fun)


@pytest.mark.parametrize("method", ["gd", "bfgs", "lbfgs", "cg", "newton-cg"])
def test_unbounded_below_ends_with_a_failed_line_search_not_an_exception(method):
    res = minimize(lambda x: x[0] - np.sum(x ** 2) * 0 + 0.0 * x[1], np.zeros(2), method=method,
                   options={"maxiter": 100})
    assert not res.success and res.status == LINE_SEARCH_FAILED
    assert np.all(np.isfinite(res.x)) and np.isfinite(res.fun)
    assert res.message.startswith("Line search failed: no bracket of acceptable steps found in 30 evaluations")
    assert res.message.endswith("(is f bounded below?).")


@pytest.mark.parametrize("method", ["newton", "coordinate"])
def test_unbounded_below_without_a_line_search_stops_with_a_reason(method):
    res = minimize(lambda x: -np.sum(x ** 2), np.ones(2), method=method, options={"maxiter": 50})
    assert not res.success and np.all(np.isfinite(res.x)) and np.isfinite(res.fun)
    assert res.fun < -1e3 and "Maximum number of iterations (50)" in res.message


@pytest.mark.parametrize("method", ["gd", "bfgs", "lbfgs", "cg"])
def test_a_region_where_f_is_nan_is_avoided_by_the_line_search(method):
    # log barrier: nan (log of a negative number) beyond x = 1, minimum at 0.5
    def f(x):
        return np.sum(-np.log(1.0 - x) - np.log(x + 1.0e-3) * 0.5)

    with np.errstate(invalid="ignore", divide="ignore"):
        res = minimize(f, np.array([0.3, 0.9]), method=method)
    assert np.all(np.isfinite(res.x)) and np.isfinite(res.fun)
    assert res.success, res.message


def test_line_search_failure_message_names_the_line_search_once():
    res = minimize(lambda x: -np.sum(x ** 2) * 0 + x[0], np.zeros(1), method="bfgs")
    assert not res.success and res.status == LINE_SEARCH_FAILED
    assert res.message.startswith("Line search failed: ")
    assert res.message.lower().count("line search failed") == 1


@pytest.mark.parametrize("shape", [(), (3,), (2, 2), (1, 3, 1)])
def test_x_keeps_the_shape_of_x0(shape):
    x0 = np.full(shape, 2.0)
    res = minimize(lambda x: np.sum((x - 1.0) ** 2), x0, method="lbfgs")
    assert res.x.shape == shape
    np.testing.assert_allclose(res.x, np.ones(shape), atol=1e-6)


def test_newton_on_a_nonconvex_start_still_descends():
    res = minimize(functions.himmelblau(), np.array([-0.27, -0.92]), method="newton")   # near the local maximum
    assert res.success
    assert res.fun < 1e-10
