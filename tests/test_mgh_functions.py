"""The Moré-Garbow-Hillstrom test problems: standard starts, published values, certified minimizers."""
import numpy as np
import pytest

from optlib import functions, grad

PROBLEMS = functions.more_garbow_hillstrom()

#: (f at the standard start, minimum) as published by Moré, Garbow and Hillstrom (1981), to their digits
PUBLISHED = {
    "rosenbrock": (24.2, 0.0),
    "freudenstein_roth": (400.5, 0.0),
    "powell_badly_scaled": (1.13526, 0.0),
    "brown_badly_scaled": (0.999998e12, 0.0),
    "beale": (14.2031, 0.0),
    "jennrich_sampson": (4171.31, 124.362),
    "helical_valley": (2500.0, 0.0),
    "bard": (41.6817, 8.21487e-3),
    "gaussian": (3.88811e-6, 1.12793e-8),
    "box_3d": (1031.15, 0.0),
    "powell_singular": (215.0, 0.0),
    "wood": (19192.0, 0.0),
    "kowalik_osborne": (5.31317e-3, 3.07505e-4),
    "brown_dennis": (7.92669e6, 85822.2),
    "biggs_exp6": (0.77907, 0.0),
    "watson": (30.0, 2.28767e-3),
    "penalty_1": (885.063, 2.24997e-5),
    "variably_dimensioned": (2.19855e6, 0.0),
    "broyden_tridiagonal": (None, 0.0),
    "linear_full_rank": (None, 10.0),
}


def test_at_least_fourteen_problems_each_an_objective_with_its_dimension():
    assert len(PROBLEMS) >= 14
    assert set(PROBLEMS) == set(PUBLISHED)
    for objective in PROBLEMS.values():
        assert isinstance(objective, functions.Objective)
        assert objective.start.shape == (objective.dim,)


@pytest.mark.parametrize("name", sorted(PUBLISHED))
def test_value_at_the_standard_start_matches_the_paper(name):
    published, _ = PUBLISHED[name]
    objective = PROBLEMS[name]
    if published is not None:
        assert objective(objective.start) == pytest.approx(published, rel=1e-5)


@pytest.mark.parametrize("name", sorted(PUBLISHED))
def test_minimum_matches_the_paper_and_the_minimizers(name):
    _, published = PUBLISHED[name]
    objective = PROBLEMS[name]
    assert objective.minimum == pytest.approx(published, rel=1e-5, abs=1e-12)
    for point in objective.minimizers:
        assert objective(point) == pytest.approx(objective.minimum, rel=1e-10, abs=1e-20)


@pytest.mark.parametrize("name", sorted(PUBLISHED))
def test_gradient_vanishes_at_minimizers_and_listed_local_minima(name):
    objective = PROBLEMS[name]
    for point in objective.minimizers + objective.stationary_points:
        g = grad(objective)(point)
        assert np.max(np.abs(g)) <= 1e-8 * max(1.0, abs(float(objective(point))))


def test_known_local_minima_from_the_standard_start():
    local = PROBLEMS["freudenstein_roth"].stationary_points[0]
    assert PROBLEMS["freudenstein_roth"](local) == pytest.approx(48.9842, rel=1e-5)
    local = PROBLEMS["biggs_exp6"].stationary_points[0]
    assert PROBLEMS["biggs_exp6"](local) == pytest.approx(5.65565e-3, rel=1e-5)


@pytest.mark.parametrize("name", sorted(PUBLISHED))
def test_grid_evaluation_equals_pointwise_evaluation(name):
    objective = PROBLEMS[name]
    rng = np.random.default_rng(0)
    points = objective.start[:, None] + 0.1 * rng.standard_normal((objective.dim, 4))
    grid = objective(points.reshape(objective.dim, 2, 2))
    assert grid.shape == (2, 2)
    np.testing.assert_allclose(grid.reshape(-1), [objective(p) for p in points.T], rtol=1e-12)


@pytest.mark.parametrize("name", sorted(PUBLISHED))
def test_bounds_contain_the_start_and_the_minimizers(name):
    objective = PROBLEMS[name]
    low, high = np.array(objective.bounds).T
    for point in (objective.start,) + objective.minimizers + objective.stationary_points:
        assert np.all(low < point) and np.all(point < high)


def test_variable_dimension_problems_take_their_dimension():
    assert functions.penalty_1(6).dim == 6
    assert functions.variably_dimensioned(3)(np.ones(3)) == 0.0
    assert functions.linear_full_rank(4, 7).minimum == 3.0
    with pytest.raises(ValueError, match="m must be an integer >= 4"):
        functions.linear_full_rank(4, 2)
