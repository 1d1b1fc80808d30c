"""One table of status codes for every result: each failure mode gives its documented code and says so."""
import re

import numpy as np
import pytest

import optlib.second_order.status as status
from optlib import minimize, newton_root
from optlib.second_order import STATUS, conjugate_gradient

DOCUMENTED = {0: "SUCCESS", 1: "MAXITER", 2: "LINE_SEARCH_FAILED", 3: "NOT_FINITE",
              4: "NON_POSITIVE_CURVATURE", 5: "SINGULAR_JACOBIAN", 6: "TRUST_REGION_COLLAPSED"}


def test_the_table_has_one_name_and_meaning_per_code_and_the_module_documents_each():
    assert {code: name for code, (name, _) in STATUS.items()} == DOCUMENTED
    for code, (name, meaning) in STATUS.items():
        assert getattr(status, name) == code
        assert meaning.endswith(".") and len(meaning) > 20
        assert re.search(rf"^{code}\s+``{name}``", status.__doc__, flags=re.MULTILINE), name


def test_minimize_documents_the_codes_it_returns():
    for code in (0, 1, 2, 3, 6):
        assert f"{code} ``{DOCUMENTED[code]}``" in minimize.__doc__


def test_success_and_maxiter():
    quadratic = lambda x: np.sum((x - 1.0) ** 2)          # noqa: E731
    assert minimize(quadratic, np.zeros(2)).status == status.SUCCESS
    res = minimize(lambda x: np.sum(100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2), np.zeros(4),
                   options={"maxiter": 2})
    assert res.status == status.MAXITER and "Maximum number of iterations (2)" in res.message


@pytest.mark.parametrize("method", ["gd", "bfgs", "lbfgs", "cg", "newton-cg"])
def test_a_line_search_that_finds_no_step_gives_line_search_failed(method):
    res = minimize(lambda x: x[0] + 0.0 * x[1], np.zeros(2), method=method)        # unbounded below
    assert res.status == status.LINE_SEARCH_FAILED and not res.success
    assert res.message.startswith("Line search failed: ") and "is f bounded below?" in res.message


@pytest.mark.parametrize("method", ["gd", "newton", "bfgs", "lbfgs", "cg", "newton-cg", "ksd", "coordinate",
                                    "subgradient"])
def test_a_nan_gradient_at_x0_gives_not_finite_and_is_reported_not_raised(method):
    res = minimize(lambda x: np.sum(x ** 2), np.ones(2), jac=lambda x: np.array([np.nan, 1.0]), method=method)
    assert res.status == status.NOT_FINITE and not res.success
    assert res.nit == 0 and res.nfev == 1
    assert "not finite" in res.message and ("x0" in res.message or "iteration 0" in res.message)


def test_newton_with_a_non_finite_hessian_gives_not_finite():
    res = minimize(lambda x: np.sum(x ** 2), np.ones(2), method="newton", hess=lambda x: np.full((2, 2), np.inf))
    assert res.status == status.NOT_FINITE and "The Hessian is not finite at iteration 0" in res.message


def test_newton_whose_model_never_predicts_the_function_gives_trust_region_collapsed():
    # the gradient has the wrong sign: every step the model proposes goes uphill
    res = minimize(lambda x: np.sum(x ** 2), np.ones(2), method="newton", jac=lambda x: -2.0 * x,
                   hess=lambda x: 2.0 * np.eye(2))
    assert res.status == status.TRUST_REGION_COLLAPSED and not res.success
    assert "trust radius shrank to rounding level" in res.message
    np.testing.assert_array_equal(res.x, np.ones(2))


def test_linear_cg_codes_success_maxiter_non_positive_curvature_and_not_finite():
    assert conjugate_gradient(np.eye(3), np.ones(3))[1].status == status.SUCCESS
    assert conjugate_gradient(np.diag([1.0, 10.0, 100.0]), np.ones(3), maxiter=1)[1].status == status.MAXITER
    _, info = conjugate_gradient(np.diag([1.0, -1.0]), np.ones(2))
    assert info.status == status.NON_POSITIVE_CURVATURE and "not positive definite" in info.message
    _, info = conjugate_gradient(lambda v: np.full(2, np.nan), np.ones(2))
    assert info.status == status.NOT_FINITE and "A p is not finite" in info.message


def test_newton_root_codes_success_maxiter_singular_jacobian_and_not_finite():
    assert newton_root(lambda x: x ** 2 - 2.0, 1.0).status == status.SUCCESS
    assert newton_root(lambda x: x ** 2 - 2.0, 1.0, maxiter=1).status == status.MAXITER
    singular = newton_root(lambda x: x ** 2 + 1.0, 0.0)                  # f'(0) = 0
    assert singular.status == status.SINGULAR_JACOBIAN and "Jacobian is singular" in singular.message
    with np.errstate(invalid="ignore"):
        nan_step = newton_root(lambda x: np.sqrt(x) - 2.0 + x, 1e-300, fprime=lambda x: np.nan)
    assert nan_step.status == status.NOT_FINITE and "Jacobian is not finite" in nan_step.message


def test_no_two_failure_modes_share_a_code():
    codes = [status.LINE_SEARCH_FAILED, status.NOT_FINITE, status.NON_POSITIVE_CURVATURE,
             status.SINGULAR_JACOBIAN, status.TRUST_REGION_COLLAPSED, status.MAXITER]
    assert len(set(codes)) == len(codes) and status.SUCCESS not in codes
