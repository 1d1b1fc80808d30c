"""From the Moré-Garbow-Hillstrom standard starts, optlib solves at least as many problems as SciPy."""
import warnings

import numpy as np
import pytest
import scipy.optimize

import optlib.autodiff as ad
from optlib import functions
from optlib.second_order import minimize

PROBLEMS = functions.more_garbow_hillstrom()
PAIRS = [("bfgs", "BFGS"), ("lbfgs", "L-BFGS-B"), ("cg", "CG"), ("newton-cg", "Newton-CG")]


def solved(objective, value):
    targets = [objective.minimum] + [float(objective(p)) for p in objective.stationary_points]
    return any(value - t <= 1e-6 * max(1.0, abs(t)) for t in targets)


def scipy_run(objective, method):
    extra = {"hessp": lambda x, p: ad.hvp(objective, x, p)} if method == "Newton-CG" else {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return scipy.optimize.minimize(ad.value_and_grad(objective), objective.start, jac=True, method=method,
                                       **extra)


@pytest.mark.parametrize("ours, theirs", PAIRS)
def test_solves_at_least_as_many_mgh_problems_as_scipy(ours, theirs):
    mine = sum(solved(o, minimize(o, o.start, method=ours).fun) for o in PROBLEMS.values())
    reference = sum(solved(o, scipy_run(o, theirs).fun) for o in PROBLEMS.values())
    assert mine >= reference


@pytest.mark.parametrize("ours, theirs", PAIRS[:2])
def test_median_evaluation_ratio_to_scipy_is_at_most_one(ours, theirs):
    ratios = []
    for objective in PROBLEMS.values():
        mine, ref = minimize(objective, objective.start, method=ours), scipy_run(objective, theirs)
        if solved(objective, mine.fun) and solved(objective, ref.fun):
            ratios.append((mine.nfev + mine.njev) / (ref.nfev + ref.njev))
    assert np.median(ratios) <= 1.0


@pytest.mark.parametrize("name", ["rosenbrock", "beale", "helical_valley", "wood", "bard"])
@pytest.mark.parametrize("ours, theirs", PAIRS)
def test_minimizer_agrees_with_scipy(name, ours, theirs):
    objective = PROBLEMS[name]
    mine, ref = minimize(objective, objective.start, method=ours), scipy_run(objective, theirs)
    if solved(objective, ref.fun):
        assert solved(objective, mine.fun)
        np.testing.assert_allclose(mine.x, ref.x, rtol=1e-3, atol=1e-3)


def test_bfgs_first_iterations_match_scipy_closely_on_a_quadratic():
    quadratic = functions.quadratic(np.diag([1.0, 4.0, 9.0]), b=np.ones(3))
    mine = minimize(quadratic, quadratic.start, method="bfgs")
    ref = scipy_run(quadratic, "BFGS")
    np.testing.assert_allclose(mine.x, ref.x, atol=1e-5)
    np.testing.assert_allclose(mine.fun, ref.fun, rtol=1e-9)
