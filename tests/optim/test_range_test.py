"""The learning-rate range test and the smoothing of its losses."""
import numpy as np
import pytest

from optlib import optim


def quadratic_data(n=20):
    return np.zeros((n, 1)), np.zeros(n)


def test_range_test_rates_rise_geometrically_from_low_to_high():
    rates, losses = optim.lr_range_test(lambda p, X, y: (0.5 * p @ p, 0 * p), np.ones(1),
                                        quadratic_data(), 5, low=1e-2, high=1.0, steps=5)
    np.testing.assert_allclose(rates, [1e-2, 10**-1.5, 1e-1, 10**-0.5, 1.0], rtol=1e-12)
    assert losses.shape == (5,)


def test_range_test_losses_follow_gradient_descent_at_the_rising_rates():
    # L = a theta^2 / 2: each update multiplies theta by (1 - eta_t a)
    a, steps = 3.0, 12
    rates, losses = optim.lr_range_test(lambda p, X, y: (0.5 * a * p @ p, a * p), np.array([2.0]),
                                        quadratic_data(), 4, low=1e-3, high=0.5, steps=steps)
    theta = 2.0 * np.concatenate([[1.0], np.cumprod(1 - a * rates[:-1])])
    np.testing.assert_allclose(losses, 0.5 * a * theta**2, rtol=1e-12)


def test_range_test_visits_every_example_once_per_epoch():
    X, y = np.arange(12.0)[:, None], np.arange(12)
    seen = []

    def record(p, X_b, y_b):
        seen.extend(y_b.tolist())
        return 0.0, 0 * p

    optim.lr_range_test(record, np.zeros(1), (X, y), 4, steps=6, rng=0)
    assert sorted(seen[:12]) == list(range(12)) and len(seen) == 24


def test_range_test_stops_at_the_first_non_finite_loss():
    def exploding(p, X, y):
        return (np.inf if p[0] > 1e3 else 0.5 * p @ p), p * 100

    rates, losses = optim.lr_range_test(exploding, np.ones(1), quadratic_data(), 5, steps=100)
    assert len(rates) == len(losses) < 100 and np.isinf(losses[-1])
    assert np.all(np.isfinite(losses[:-1]))


def test_range_test_takes_another_optimizer_and_checks_its_arguments():
    def fn(p, X, y):
        return 0.5 * p @ p, p

    plain = optim.lr_range_test(fn, np.ones(1), quadratic_data(), 5, steps=4)[1]
    heavy = optim.lr_range_test(fn, np.ones(1), quadratic_data(), 5, steps=4,
                                optimizer=lambda lr: optim.SGD(lr=lr, momentum=0.9))[1]
    assert plain[1] == heavy[1] and plain[2] != heavy[2]
    with pytest.raises(ValueError, match="low must be below high"):
        optim.lr_range_test(fn, np.ones(1), quadratic_data(), 5, low=1.0, high=0.1)
    with pytest.raises(ValueError, match="low must be a positive"):
        optim.lr_range_test(fn, np.ones(1), quadratic_data(), 5, low=0.0)
    with pytest.raises(ValueError, match="steps"):
        optim.lr_range_test(fn, np.ones(1), quadratic_data(), 5, steps=1)
    with pytest.raises(ValueError, match="data must be a pair"):
        optim.lr_range_test(fn, np.ones(1), np.zeros(3), 5)


def test_smooth_losses_is_the_bias_corrected_moving_average():
    values = np.array([4.0, 2.0, 6.0, 1.0])
    beta = 0.5
    # by hand: the weights of x_1 .. x_k are (1 - beta) beta^(k - j), divided by 1 - beta^k
    expected = [sum((1 - beta) * beta ** (k - j) * values[j - 1] for j in range(1, k + 1))
                / (1 - beta**k) for k in range(1, 5)]
    np.testing.assert_allclose(optim.smooth_losses(values, beta), expected, rtol=1e-14)
    np.testing.assert_allclose(optim.smooth_losses(np.full(7, 3.0)), 3.0, rtol=1e-14)
    assert optim.smooth_losses(values)[0] == 4.0


def test_smooth_losses_checks_beta():
    with pytest.raises(ValueError, match="beta"):
        optim.smooth_losses([1.0, 2.0], beta=1.0)
