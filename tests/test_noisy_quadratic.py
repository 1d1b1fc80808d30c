"""optlib.functions.noisy_quadratic: the noisy gradient, the exact expected loss of SGD and the noise floor."""
import numpy as np
import pytest

from optlib import optim, schedules
from optlib.functions import NoisyQuadratic, noisy_quadratic


@pytest.fixture
def bowl():
    return noisy_quadratic([1.0, 0.25], sigma=1.0, start=[4.0, 4.0])


def test_loss_and_gradient_of_rows(bowl):
    theta = np.array([[2.0, 4.0], [0.0, -2.0]])
    np.testing.assert_allclose(bowl.loss(theta), [0.5 * (4 + 0.25 * 16), 0.5 * 0.25 * 4])
    np.testing.assert_allclose(bowl.gradient(theta), [[2.0, 1.0], [0.0, -0.5]])
    assert bowl.loss(bowl.start) == pytest.approx(10.0)


def test_noisy_gradient_is_unbiased_with_noise_of_size_sigma():
    problem = noisy_quadratic([2.0, 0.5, 0.1], sigma=0.3, start=[1.0, 1.0, 1.0])
    theta = np.tile([1.0, -2.0, 3.0], (200_000, 1))
    value, g = problem.value_and_noisy_grad(seed=1)(theta)
    assert value == pytest.approx(0.5 * (2 + 0.5 * 4 + 0.1 * 9))
    np.testing.assert_allclose(g.mean(axis=0), [2.0, -1.0, 0.3], atol=5 * 0.3 / np.sqrt(200_000))
    np.testing.assert_allclose(g.std(axis=0), 0.3, rtol=0.01)


def test_noisy_gradient_is_seeded_and_fresh_at_every_call(bowl):
    first, again = bowl.value_and_noisy_grad(seed=5), bowl.value_and_noisy_grad(seed=5)
    a, b = first(bowl.start)[1], first(bowl.start)[1]
    assert not np.array_equal(a, b)
    np.testing.assert_array_equal(again(bowl.start)[1], a)


def constant_rate_closed_form(h, sigma, start, lr, t):
    """m_t = r^t (m_0 - m*) + m*, r = (1 - lr h)^2, m* = lr sigma^2 / (h (2 - lr h)): solved by hand."""
    r = (1 - lr * h) ** 2
    m_star = lr * sigma**2 / (h * (2 - lr * h))
    m = r ** t[:, None] * (start**2 - m_star) + m_star
    return 0.5 * m @ h


@pytest.mark.parametrize("lr", [0.05, 0.4, 1.6])
def test_expected_loss_of_a_constant_rate_is_the_closed_form(bowl, lr):
    t = np.arange(301)
    expected = constant_rate_closed_form(bowl.curvatures, 1.0, bowl.start, lr, t)
    np.testing.assert_allclose(bowl.expected_loss(schedules.constant(lr), 300), expected, rtol=1e-10)
    np.testing.assert_allclose(bowl.expected_loss(lr, 300), expected, rtol=1e-10)


def test_expected_loss_agrees_with_the_mean_of_many_sgd_runs(bowl):
    schedule = schedules.exponential_decay(0.4, 0.5 ** (1 / 50))
    runs = 4000
    history = optim.run(optim.SGD(lr=schedule), bowl.value_and_noisy_grad(seed=0),
                        np.tile(bowl.start, (runs, 1)), 200)
    losses = bowl.loss(history.params[1:])                         # (200, runs)
    error = losses.std(axis=1, ddof=1) / np.sqrt(runs)
    z = (losses.mean(axis=1) - bowl.expected_loss(schedule, 200)[1:]) / error
    assert np.all(np.abs(z) < 5)


def test_expected_loss_takes_a_plain_function_of_the_step(bowl):
    plain = bowl.expected_loss(lambda t: 0.4 / (1 + 0.01 * t), 100)
    np.testing.assert_allclose(plain, bowl.expected_loss(schedules.inverse_time_decay(0.4, 0.01), 100),
                               rtol=1e-14)


def test_final_losses_are_the_ends_of_expected_loss(bowl):
    many = [schedules.constant(0.1), schedules.step_decay(0.4, 30, 0.5), schedules.inverse_time_decay(0.4, 0.1),
            schedules.linear_warmup(schedules.exponential_decay(0.4, 0.99), 20), 0.02]
    expected = [bowl.expected_loss(s, 250)[-1] for s in many]
    np.testing.assert_allclose(bowl.final_losses(many, 250), expected, rtol=1e-12)
    assert bowl.final_losses([], 10).shape == (0,)
    np.testing.assert_allclose(bowl.final_losses(many[:2], 0), bowl.loss(bowl.start))


def test_noise_floor_by_hand_and_as_the_limit_of_the_expected_loss(bowl):
    # h = (1, 1/4), sigma = 1, lr = 0.4: 0.5 (0.4 / 1.6 + 0.4 / 1.9)
    assert bowl.noise_floor(0.4) == pytest.approx(0.5 * (0.25 + 0.4 / 1.9), rel=1e-14)
    for lr in (0.1, 1.0, 1.8):
        assert bowl.expected_loss(lr, 3000)[-1] == pytest.approx(bowl.noise_floor(lr), rel=1e-9)
    small = np.array([1e-4, 1e-3])
    np.testing.assert_allclose(bowl.noise_floor(small), 2 * 1.0 / 4 * small, rtol=1e-3)   # d sigma^2 lr / 4
    assert bowl.noise_floor(0.0) == 0.0


def test_noise_floor_is_infinite_from_the_stability_limit_on(bowl):
    assert bowl.stability_limit == 2.0
    floors = bowl.noise_floor([1.99, 2.0, 3.0, 9.0])
    assert np.isfinite(floors[0]) and np.all(np.isinf(floors[1:]))


def test_bad_arguments(bowl):
    with pytest.raises(ValueError, match="curvatures must be positive"):
        noisy_quadratic([1.0, 0.0], 1.0, [1.0, 1.0])
    with pytest.raises(ValueError, match=r"start must have shape \(2,\) to match curvatures"):
        noisy_quadratic([1.0, 0.5], 1.0, [1.0, 1.0, 1.0])
    with pytest.raises(ValueError, match="sigma must be a non-negative finite number, got -1"):
        noisy_quadratic([1.0], -1, [1.0])
    with pytest.raises(TypeError, match="sigma must be a real number"):
        noisy_quadratic([1.0], "1", [1.0])
    with pytest.raises(ValueError, match="lr must be non-negative"):
        bowl.noise_floor(-0.1)
    with pytest.raises(ValueError, match="steps must be an integer >= 0, got -1"):
        bowl.expected_loss(0.1, -1)
    with pytest.raises(ValueError, match="the schedule must give non-negative finite rates, got -0.1 at step 0"):
        bowl.expected_loss(lambda t: -0.1, 5)
    with pytest.raises(TypeError, match="seed must be"):
        bowl.value_and_noisy_grad(seed="zero")


def test_arrays_are_read_only_copies():
    h = np.array([1.0, 0.5])
    problem = noisy_quadratic(h, 1.0, [1.0, 2.0])
    h[0] = 7.0
    assert problem.curvatures[0] == 1.0 and isinstance(problem, NoisyQuadratic)
    with pytest.raises(ValueError):
        problem.start[0] = 3.0
