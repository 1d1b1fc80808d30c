"""Known behaviours of the update rules, as the chapters state them."""
import numpy as np
import pytest

from optlib import optim, schedules


def test_adam_first_step_has_size_lr_for_every_coordinate():
    grads = np.array([1e-4, -3e-2, 1.0, -250.0, 7e3])
    params = np.zeros(5)
    opt = optim.Adam(lr=0.01)
    new, _ = opt.update(params, grads, opt.init(params))
    np.testing.assert_allclose(np.abs(new - params), 0.01, rtol=1e-3)
    np.testing.assert_array_equal(np.sign(new), -np.sign(grads))


def test_adagrad_step_shrinks_like_one_over_sqrt_of_summed_squared_gradients():
    opt = optim.Adagrad(lr=0.5, eps=0.0)
    theta, state = np.zeros(2), opt.init(np.zeros(2))
    g = np.array([3.0, 0.1])
    steps = []
    for _ in range(16):
        new, state = opt.update(theta, g, state)
        steps.append(theta - new)
        theta = new
    steps = np.array(steps)
    k = np.arange(1, 17)
    # step k = lr g / sqrt(k g^2) = lr / sqrt(k) in every coordinate, whatever the gradient's scale
    np.testing.assert_allclose(steps, 0.5 / np.sqrt(k)[:, None] * np.ones(2), rtol=1e-13)
    np.testing.assert_allclose(state["s"], 16 * g**2, rtol=1e-14)


@pytest.mark.parametrize("t0", [0, 3, 7])
def test_asgd_average_is_the_mean_of_the_iterates_from_step_t0_plus_2(t0):
    opt = optim.ASGD(lr=0.05, lambd=0.01, t0=t0)
    rng = np.random.default_rng(1)
    theta = rng.normal(size=4)
    state = opt.init(theta)
    iterates = []
    for _ in range(15):
        theta, state = opt.update(theta, 2 * theta + rng.normal(size=4), state)
        iterates.append(theta)
    # mu_t = 1 / max(1, t - 1 - t0) equals 1 up to update t0 + 2, then 1/2, 1/3, ...
    start = t0 + 2  # updates counted from 1
    np.testing.assert_allclose(opt.averaged(state), np.mean(iterates[start - 1:], axis=0), rtol=1e-12)


def test_asgd_does_not_average_before_t0():
    opt = optim.ASGD(lr=0.05)  # t0 = 1e6
    theta = np.ones(3)
    state = opt.init(theta)
    np.testing.assert_array_equal(opt.averaged(state), theta)
    for _ in range(5):
        theta, state = opt.update(theta, theta, state)
    np.testing.assert_array_equal(opt.averaged(state), theta)


def test_sgd_nesterov_on_a_quadratic_matches_the_closed_form_recursion():
    # f(x) = a x^2 / 2 per coordinate. PyTorch's Nesterov step is linear in (x, b):
    #   b_t = mu b_{t-1} + a x_{t-1},  x_t = x_{t-1} - lr (a x_{t-1} + mu b_t)
    # so (x_t, b_t) = M^t (x_0, 0) with M = [[1 - lr a (1 + mu), -lr mu^2], [a, mu]].
    a = np.array([0.5, 2.0, 10.0])
    lr, mu, n = 0.05, 0.9, 40
    opt = optim.SGD(lr=lr, momentum=mu, nesterov=True)
    x = np.ones(3)
    state = opt.init(x)
    for _ in range(n):
        x, state = opt.update(x, a * x, state)
    for i, a_i in enumerate(a):
        M = np.array([[1 - lr * a_i * (1 + mu), -lr * mu**2], [a_i, mu]])
        closed = np.linalg.matrix_power(M, n) @ np.array([1.0, 0.0])
        assert x[i] == pytest.approx(closed[0], rel=1e-9, abs=1e-15)
        assert state["b"][i] == pytest.approx(closed[1], rel=1e-9, abs=1e-15)


def test_sgd_nesterov_equals_sutskevers_look_ahead_form():
    # Sutskever et al.: v_t = mu v_{t-1} - lr grad(y_{t-1}) evaluated at the look-ahead y = x + mu v.
    # PyTorch's parameters are the look-ahead points y_t.
    a = np.array([0.3, 4.0])
    lr, mu = 0.1, 0.8
    y, state = np.ones(2), None
    opt = optim.SGD(lr=lr, momentum=mu, nesterov=True)
    state = opt.init(y)
    x, v = np.ones(2), np.zeros(2)  # Sutskever's variables, x_0 = y_0
    for _ in range(25):
        y, state = opt.update(y, a * y, state)
        v = mu * v - lr * a * (x + mu * v)
        x = x + v
        np.testing.assert_allclose(y, x + mu * v, rtol=1e-12, atol=1e-15)


def test_sgd_dampening_scales_the_momentum_input():
    opt = optim.SGD(lr=1.0, momentum=0.5, dampening=1.0)
    theta = np.zeros(1)
    state = opt.init(theta)
    theta, state = opt.update(theta, np.ones(1), state)  # first step: b = g
    theta, state = opt.update(theta, np.ones(1), state)  # then b = mu b + 0 g
    assert state["b"][0] == 0.5 and theta[0] == -1.5


def test_adamw_decay_is_decoupled_from_the_gradient_scaling():
    # with zero gradient Adam's L2 term is normalised to a step of size ~lr, AdamW's is lr * wd * theta
    theta = np.array([10.0])
    adam, adamw = optim.Adam(lr=0.01, weight_decay=0.1), optim.AdamW(lr=0.01, weight_decay=0.1)
    a, _ = adam.update(theta, np.zeros(1), adam.init(theta))
    w, _ = adamw.update(theta, np.zeros(1), adamw.init(theta))
    assert 10.0 - a[0] == pytest.approx(0.01, rel=1e-6)
    assert 10.0 - w[0] == pytest.approx(0.01 * 0.1 * 10.0, rel=1e-12)


def test_first_update_uses_schedule_at_zero():
    seen = []

    def schedule(t):
        seen.append(t)
        return 0.1 * (t + 1)

    opt = optim.SGD(lr=schedule)
    theta = np.zeros(1)
    state = opt.init(theta)
    for _ in range(3):
        theta, state = opt.update(theta, np.ones(1), state)
    assert seen == [0, 1, 2]
    assert theta[0] == pytest.approx(-(0.1 + 0.2 + 0.3))


def test_adagrad_lr_decay_applies_on_top_of_the_scheduled_lr():
    opt = optim.Adagrad(lr=schedules.exponential_decay(1.0, 0.5), lr_decay=1.0, eps=0.0)
    theta = np.zeros(1)
    state = opt.init(theta)
    steps = []
    for _ in range(3):
        new, state = opt.update(theta, np.ones(1), state)
        steps.append(theta[0] - new[0])
        theta = new
    # update t (from 1): 0.5^(t-1) / (1 + (t - 1)) / sqrt(t)
    assert steps == pytest.approx([1.0, 0.5 / 2 / np.sqrt(2), 0.25 / 3 / np.sqrt(3)], rel=1e-14)


@pytest.mark.parametrize("opt", [optim.SGD(lr=0.3), optim.SGD(lr=0.1, momentum=0.9), optim.Adam(lr=0.1),
                                 optim.RMSprop(lr=0.05), optim.Adagrad(lr=0.5), optim.Adadelta(lr=5.0),
                                 optim.AdamW(lr=0.1), optim.ASGD(lr=0.2)],
                         ids=lambda o: type(o).__name__)
def test_every_optimizer_decreases_a_convex_quadratic(opt):
    a = np.array([1.0, 3.0])
    theta = np.array([2.0, -1.5])
    state = opt.init(theta)
    f0 = 0.5 * np.sum(a * theta**2)
    for _ in range(200):
        theta, state = opt.update(theta, a * theta, state)
    assert 0.5 * np.sum(a * theta**2) < 0.05 * f0


def test_nan_gradient_propagates_without_check_finite():
    opt = optim.Adam()
    new, _ = opt.update(np.zeros(2), np.array([np.nan, 1.0]), opt.init(np.zeros(2)))
    assert np.isnan(new[0]) and np.isfinite(new[1])
