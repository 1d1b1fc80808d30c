"""Synthetic data sets: shapes, seeding, and the property each one is made for."""
import numpy as np
import pytest

from optlib import data


@pytest.mark.parametrize("make", [
    lambda rng: data.two_moons(50, rng=rng), lambda rng: data.spirals(60, 3, rng=rng),
    lambda rng: data.linear_regression(40, 3, rng=rng), lambda rng: data.polynomial_regression(20, rng=rng),
    lambda rng: data.sparse_classification(30, 10, rng=rng), lambda rng: data.adding_problem(5, 10, rng=rng),
    lambda rng: data.copy_task(5, 4, rng=rng)])
def test_same_seed_same_data_and_a_generator_is_used_as_given(make):
    a, b, c = make(3), make(np.random.default_rng(3)), make(4)
    for x, y in zip(a, b):
        np.testing.assert_array_equal(x, y)
    assert not np.array_equal(a[0], c[0])


def test_two_moons_has_two_balanced_classes_on_two_arcs():
    X, y = data.two_moons(200, noise=0.0, rng=0)
    assert X.shape == (200, 2) and y.dtype == np.int64 and np.bincount(y).tolist() == [100, 100]
    upper, lower = X[y == 0], X[y == 1]
    np.testing.assert_allclose(np.hypot(*upper.T), 1.0)
    np.testing.assert_allclose(np.hypot(lower[:, 0] - 1, lower[:, 1] - 0.5), 1.0)
    assert not np.all(y[:100] == 0)       # classes are shuffled


def test_spirals_arms_are_rotated_copies():
    X, y = data.spirals(300, n_classes=3, noise=0.0, rng=0)
    assert X.shape == (300, 2) and np.bincount(y).tolist() == [100, 100, 100]
    r = np.hypot(*X.T)
    angle = np.arctan2(X[:, 1], X[:, 0])
    np.testing.assert_allclose(np.cos(angle - 2 * np.pi * (r + y / 3)), 1.0, atol=1e-9)


def test_linear_regression_features_have_the_requested_scales_and_correlation():
    X, y, w = data.linear_regression(20000, 3, scale=[1.0, 10.0, 0.1], correlation=0.6, noise=0.0,
                                     rng=0, return_coef=True)
    np.testing.assert_allclose(X.std(axis=0), [1.0, 10.0, 0.1], rtol=0.02)
    corr = np.corrcoef(X.T)
    np.testing.assert_allclose(corr[np.triu_indices(3, 1)], 0.6, atol=0.02)
    np.testing.assert_allclose(y, X @ w, atol=1e-12)


def test_correlated_features_make_the_least_squares_problem_ill_conditioned():
    cond = [np.linalg.cond(data.linear_regression(2000, 5, correlation=rho, rng=0)[0])
            for rho in (0.0, 0.9, 0.99)]
    assert cond[0] < 1.2 and cond[0] < cond[1] < cond[2] and cond[2] > 20


def test_linear_regression_rejects_impossible_correlations_and_scales():
    with pytest.raises(ValueError, match=r"correlation must lie in \(-0.5, 1\)"):
        data.linear_regression(10, 3, correlation=-0.6)
    with pytest.raises(ValueError, match="correlation"):
        data.linear_regression(10, 3, correlation=1.0)
    with pytest.raises(ValueError, match="scale must be a positive number or 3"):
        data.linear_regression(10, 3, scale=[1.0, 2.0])


def test_polynomial_regression_is_the_polynomial_plus_noise():
    coef = np.array([1.0, -2.0, 0.0, 3.0])
    x, y = data.polynomial_regression(50, degree=3, noise=0.0, coef=coef, rng=0)
    assert x.shape == (50,) and np.all(np.abs(x) <= 1)
    np.testing.assert_allclose(y, 1 - 2 * x + 3 * x**3, atol=1e-12)
    x, y = data.polynomial_regression(5000, degree=3, noise=0.3, coef=coef, rng=0)
    assert abs(np.std(y - (1 - 2 * x + 3 * x**3)) - 0.3) < 0.01
    np.testing.assert_array_equal(data.polynomial_features(np.array([2.0, -1.0]), 2),
                                  [[1, 2, 4], [1, -1, 1]])


def test_a_high_degree_fit_overfits_the_noisy_polynomial():
    x, y = data.polynomial_regression(15, degree=3, noise=0.3, rng=0)
    x_new, y_new = data.polynomial_regression(1000, degree=3, noise=0.3, rng=0)   # same coefficients
    errors = {}
    for p in (3, 12):
        w = np.linalg.lstsq(data.polynomial_features(x, p), y, rcond=None)[0]
        errors[p] = (np.mean((data.polynomial_features(x, p) @ w - y) ** 2),
                     np.mean((data.polynomial_features(x_new, p) @ w - y_new) ** 2))
    assert errors[12][0] < errors[3][0] and errors[12][1] > errors[3][1]


def test_sparse_classification_features_are_binary_and_mostly_rare():
    X, y = data.sparse_classification(20000, 20, p_max=0.5, p_min=0.01, rng=0)
    assert set(np.unique(X)) == {0.0, 1.0} and set(np.unique(y)) == {0, 1}
    freq = X.mean(axis=0)
    np.testing.assert_allclose(freq, 0.5 * 0.02 ** (np.arange(20) / 19), rtol=0.15)
    assert 0.2 < y.mean() < 0.8


@pytest.mark.parametrize("call, message", [
    (lambda: data.two_moons(1), "n must be an integer >= 2"),
    (lambda: data.two_moons(10, noise=-1), "noise must be a non-negative"),
    (lambda: data.spirals(10, n_classes=1), "n_classes must be an integer >= 2"),
    (lambda: data.sparse_classification(10, 5, p_max=0.1, p_min=0.2), "p_min <= p_max"),
    (lambda: data.polynomial_regression(10, degree=2, coef=[1.0]), r"coef must have shape \(3,\)"),
    (lambda: data.polynomial_features(np.zeros((3, 2)), 2), r"x must have shape \(n,\)"),
])
def test_bad_arguments_raise_value_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_rng_must_be_a_generator_or_a_seed():
    with pytest.raises(TypeError, match="default_rng"):
        data.two_moons(10, rng="seed")


@pytest.mark.parametrize("call, message", [
    (lambda: data.two_moons(10.0), r"n must be an integer, got 10\.0"),
    (lambda: data.two_moons(10, noise="0.1"), "noise must be a real number"),
    (lambda: data.linear_regression(10, 3, correlation="0.5"), "correlation must be a real number"),
    (lambda: data.spirals(10, n_classes=True), "n_classes must be an integer, got True"),
    (lambda: data.polynomial_features(np.array(["a"]), 2), "x must be an array of real numbers"),
])
def test_arguments_of_the_wrong_type_raise_type_error(call, message):
    with pytest.raises(TypeError, match=message):
        call()
