"""From the Moré-Garbow-Hillstrom standard starts, optlib solves at least as many problems as SciPy, at no higher cost.

Each of optlib's methods runs next to its SciPy counterpart with the same exact
derivatives (value and gradient in one pass, Hessians and Hessian-vector
products from autodiff) and default settings. A run solves a problem when its
final value is within ``1e-6 max(1, |f*|)`` of the global minimum or of a
listed local minimum; its cost is ``nfev + njev``. ``benchmarks/minimize.py``
prints the same comparison as a table.
"""
import functools
import warnings

import numpy as np
import pytest
import scipy.optimize

import optlib.autodiff as ad
from optlib import functions
from optlib.second_order import minimize

PROBLEMS = functions.more_garbow_hillstrom()
PAIRS = [("newton", "trust-exact"), ("bfgs", "BFGS"), ("lbfgs", "L-BFGS-B"), ("cg", "CG"),
         ("newton-cg", "Newton-CG")]


def solved(objective, value):
    targets = [objective.minimum] + [float(objective(p)) for p in objective.stationary_points]
    return bool(np.isfinite(value)) and any(value - t <= 1e-6 * max(1.0, abs(t)) for t in targets)


def scipy_run(objective, method):
    extra = {}
    if method == "Newton-CG":
        extra["hessp"] = lambda x, p: ad.hvp(objective, x, p)
    if method == "trust-exact":
        extra["hess"] = ad.hessian(objective)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return scipy.optimize.minimize(ad.value_and_grad(objective), objective.start, jac=True, method=method,
                                       **extra)


@functools.lru_cache(maxsize=None)
def runs(ours, theirs):
    """(name, our result, SciPy's result) for every problem."""
    return [(name, minimize(o, o.start, method=ours), scipy_run(o, theirs)) for name, o in PROBLEMS.items()]


def test_the_problem_set_is_the_whole_more_garbow_hillstrom_collection():
    assert len(PROBLEMS) == 35


@pytest.mark.parametrize("ours, theirs", PAIRS)
def test_solves_every_mgh_problem_that_scipy_solves(ours, theirs):
    missed = [name for name, mine, ref in runs(ours, theirs)
              if solved(PROBLEMS[name], ref.fun) and not solved(PROBLEMS[name], mine.fun)]
    assert missed == []


@pytest.mark.parametrize("ours, theirs", [("bfgs", "BFGS"), ("lbfgs", "L-BFGS-B"), ("newton-cg", "Newton-CG")])
def test_median_evaluation_ratio_to_scipy_is_at_most_one(ours, theirs):
    ratios = [(mine.nfev + mine.njev) / (ref.nfev + ref.njev) for name, mine, ref in runs(ours, theirs)
              if solved(PROBLEMS[name], mine.fun) and solved(PROBLEMS[name], ref.fun)]
    assert len(ratios) >= 29
    assert np.median(ratios) <= 1.0


@pytest.mark.parametrize("name", ["rosenbrock", "beale", "helical_valley", "wood", "bard"])
@pytest.mark.parametrize("ours, theirs", PAIRS)
def test_minimizer_agrees_with_scipy(name, ours, theirs):
    objective = PROBLEMS[name]
    mine, ref = dict((n, (m, r)) for n, m, r in runs(ours, theirs))[name]
    if solved(objective, ref.fun):
        assert solved(objective, mine.fun)
        np.testing.assert_allclose(mine.x, ref.x, rtol=1e-3, atol=1e-3)


def test_bfgs_first_iterations_match_scipy_closely_on_a_quadratic():
    quadratic = functions.quadratic(np.diag([1.0, 4.0, 9.0]), b=np.ones(3))
    mine = minimize(quadratic, quadratic.start, method="bfgs")
    ref = scipy_run(quadratic, "BFGS")
    np.testing.assert_allclose(mine.x, ref.x, atol=1e-5)
    np.testing.assert_allclose(mine.fun, ref.fun, rtol=1e-9)


def test_newton_reaches_the_trust_exact_minimizer_of_biggs_exp6_and_osborne_1():
    # from the standard starts, Newton with a backtracking line search stalled on both
    for name in ("biggs_exp6", "osborne_1"):
        objective = PROBLEMS[name]
        mine, ref = minimize(objective, objective.start, method="newton"), scipy_run(objective, "trust-exact")
        assert mine.success and solved(objective, mine.fun) and solved(objective, ref.fun)
        assert mine.fun == pytest.approx(objective.minimum, abs=1e-9)
