"""The first three iterates of every optimizer on f(theta) = theta**2, worked out by hand from its published rule.

Each test writes the rule out in scalars (gradient g = 2 theta, theta_0 = 1) and compares optlib's
first three iterates with it; the simplest cases are literal decimals.
"""
import math

import numpy as np
import pytest

from optlib import optim


def first_three(opt, theta0=1.0):
    theta = np.array([theta0])
    state = opt.init(theta)
    out = []
    for _ in range(3):
        theta, state = opt.update(theta, 2 * theta, state)
        out.append(float(theta[0]))
    return out


def test_sgd():
    # theta <- theta - lr * 2 theta = 0.8 theta
    assert first_three(optim.SGD(lr=0.1)) == pytest.approx([0.8, 0.64, 0.512], rel=1e-14)


def test_sgd_momentum():
    # b1 = g1 = 2; theta1 = 1 - 0.1 * 2 = 0.8
    # g2 = 1.6; b2 = 0.9 * 2 + 1.6 = 3.4; theta2 = 0.8 - 0.34 = 0.46
    # g3 = 0.92; b3 = 0.9 * 3.4 + 0.92 = 3.98; theta3 = 0.46 - 0.398 = 0.062
    assert first_three(optim.SGD(lr=0.1, momentum=0.9)) == pytest.approx([0.8, 0.46, 0.062], rel=1e-13)


def test_sgd_momentum_with_dampening_and_weight_decay():
    # g <- 2 theta + 0.5 theta = 2.5 theta; b1 = g1 (no dampening on the first step)
    # theta1 = 1 - 0.1 * 2.5 = 0.75
    # g2 = 1.875; b2 = 0.9 * 2.5 + 0.5 * 1.875 = 3.1875; theta2 = 0.75 - 0.31875 = 0.43125
    # g3 = 1.078125; b3 = 0.9 * 3.1875 + 0.5 * 1.078125 = 3.4078125; theta3 = 0.43125 - 0.34078125
    opt = optim.SGD(lr=0.1, momentum=0.9, dampening=0.5, weight_decay=0.5)
    assert first_three(opt) == pytest.approx([0.75, 0.43125, 0.09046875], rel=1e-13)


def test_sgd_nesterov():
    # b1 = 2; step = g1 + 0.9 b1 = 3.8; theta1 = 1 - 0.38 = 0.62
    # g2 = 1.24; b2 = 1.8 + 1.24 = 3.04; step = 1.24 + 2.736 = 3.976; theta2 = 0.62 - 0.3976 = 0.2224
    # g3 = 0.4448; b3 = 2.736 + 0.4448 = 3.1808; step = 0.4448 + 2.86272 = 3.30752
    # theta3 = 0.2224 - 0.330752 = -0.108352
    opt = optim.SGD(lr=0.1, momentum=0.9, nesterov=True)
    assert first_three(opt) == pytest.approx([0.62, 0.2224, -0.108352], rel=1e-13)


def test_adagrad():
    # s1 = 4; theta1 = 1 - 0.1 * 2 / 2 = 0.9
    # g2 = 1.8; s2 = 4 + 3.24 = 7.24; theta2 = 0.9 - 0.1 * 1.8 / sqrt(7.24)
    # g3 = 2 theta2; s3 = 7.24 + g3^2; theta3 = theta2 - 0.1 * g3 / sqrt(s3)
    theta2 = 0.9 - 0.18 / math.sqrt(7.24)
    g3 = 2 * theta2
    theta3 = theta2 - 0.1 * g3 / math.sqrt(7.24 + g3**2)
    assert first_three(optim.Adagrad(lr=0.1, eps=0.0)) == pytest.approx([0.9, theta2, theta3], rel=1e-14)


def test_adagrad_lr_decay():
    # the learning rate of update t is lr / (1 + (t - 1) lr_decay): 0.1, 0.1 / 1.5, 0.1 / 2
    theta2 = 0.9 - (0.1 / 1.5) * 1.8 / math.sqrt(7.24)
    g3 = 2 * theta2
    theta3 = theta2 - (0.1 / 2.0) * g3 / math.sqrt(7.24 + g3**2)
    opt = optim.Adagrad(lr=0.1, lr_decay=0.5, eps=0.0)
    assert first_three(opt) == pytest.approx([0.9, theta2, theta3], rel=1e-14)


def test_adadelta():
    # rho = 0.5, eps = 1e-2, lr = 1: v, u start at 0
    rho, eps = 0.5, 1e-2
    theta, v, u, expected = 1.0, 0.0, 0.0, []
    for _ in range(3):
        g = 2 * theta
        v = rho * v + (1 - rho) * g * g
        delta = math.sqrt(u + eps) / math.sqrt(v + eps) * g
        u = rho * u + (1 - rho) * delta * delta
        theta = theta - delta
        expected.append(theta)
    # first step by hand: v1 = 2, delta1 = sqrt(0.01 / 2.01) * 2
    assert expected[0] == pytest.approx(1 - 2 * math.sqrt(0.01 / 2.01), rel=1e-15)
    assert first_three(optim.Adadelta(lr=1.0, rho=rho, eps=eps)) == pytest.approx(expected, rel=1e-13)


def test_rmsprop():
    # alpha = 0.9, eps = 0: v1 = 0.1 * 4 = 0.4, theta1 = 1 - 0.01 * 2 / sqrt(0.4)
    theta1 = 1 - 0.01 * 2 / math.sqrt(0.4)
    v2 = 0.9 * 0.4 + 0.1 * (2 * theta1) ** 2
    theta2 = theta1 - 0.01 * 2 * theta1 / math.sqrt(v2)
    v3 = 0.9 * v2 + 0.1 * (2 * theta2) ** 2
    theta3 = theta2 - 0.01 * 2 * theta2 / math.sqrt(v3)
    opt = optim.RMSprop(lr=0.01, alpha=0.9, eps=0.0)
    assert first_three(opt) == pytest.approx([theta1, theta2, theta3], rel=1e-13)


def test_rmsprop_centered_with_momentum():
    # v1 = 0.4, g_bar1 = 0.2, denominator sqrt(0.4 - 0.04) = 0.6; b1 = 2 / 0.6; theta1 = 1 - 0.01 b1
    alpha, mu, lr = 0.9, 0.5, 0.01
    theta, v, g_bar, b, expected = 1.0, 0.0, 0.0, 0.0, []
    for _ in range(3):
        g = 2 * theta
        v = alpha * v + (1 - alpha) * g * g
        g_bar = alpha * g_bar + (1 - alpha) * g
        b = mu * b + g / math.sqrt(v - g_bar**2)
        theta = theta - lr * b
        expected.append(theta)
    assert expected[0] == pytest.approx(1 - 0.01 * 2 / 0.6, rel=1e-14)
    opt = optim.RMSprop(lr=lr, alpha=alpha, eps=0.0, momentum=mu, centered=True)
    assert first_three(opt) == pytest.approx(expected, rel=1e-12)


def test_adam():
    # t = 1: m = 0.2, v = 0.004, m_hat = 2, v_hat = 4, theta1 = 1 - 0.1 * 2 / 2 = 0.9
    # t = 2: g = 1.8, m = 0.18 + 0.18 = 0.36, v = 0.003996 + 0.00324 = 0.007236,
    #        m_hat = 0.36 / 0.19, v_hat = 0.007236 / 0.001999
    theta2 = 0.9 - 0.1 * (0.36 / 0.19) / math.sqrt(0.007236 / 0.001999)
    g3 = 2 * theta2
    m3 = 0.9 * 0.36 + 0.1 * g3
    v3 = 0.999 * 0.007236 + 0.001 * g3**2
    theta3 = theta2 - 0.1 * (m3 / (1 - 0.9**3)) / math.sqrt(v3 / (1 - 0.999**3))
    opt = optim.Adam(lr=0.1, eps=0.0)
    assert first_three(opt) == pytest.approx([0.9, theta2, theta3], rel=1e-12)


def test_amsgrad_uses_the_running_maximum():
    # a gradient that shrinks fast: v_max keeps the largest second moment
    opt = optim.Adam(lr=0.1, eps=0.0, amsgrad=True, betas=(0.0, 0.5))
    theta, state = np.array([1.0]), opt.init(np.array([1.0]))
    grads = [4.0, 0.1, 0.1]
    v, v_max, expected = 0.0, 0.0, []
    x = 1.0
    for t, g in enumerate(grads, start=1):
        v = 0.5 * v + 0.5 * g * g
        v_max = max(v_max, v)
        x = x - 0.1 * g / math.sqrt(v_max / (1 - 0.5**t))
        expected.append(x)
    out = []
    for g in grads:
        theta, state = opt.update(theta, np.array([g]), state)
        out.append(float(theta[0]))
    assert out == pytest.approx(expected, rel=1e-13)
    assert float(state["v_max"][0]) == 8.0  # v_1 = 8 is never exceeded


def test_adamw():
    # decay first: theta <- theta (1 - lr wd), then the Adam step with the gradient at the old theta
    lr, wd = 0.1, 0.5
    theta1 = 1 * (1 - lr * wd) - lr * 2 / 2  # = 0.85
    g2 = 2 * theta1
    m2, v2 = 0.9 * 0.2 + 0.1 * g2, 0.999 * 0.004 + 0.001 * g2**2
    theta2 = theta1 * (1 - lr * wd) - lr * (m2 / 0.19) / math.sqrt(v2 / 0.001999)
    g3 = 2 * theta2
    m3, v3 = 0.9 * m2 + 0.1 * g3, 0.999 * v2 + 0.001 * g3**2
    theta3 = theta2 * (1 - lr * wd) - lr * (m3 / (1 - 0.9**3)) / math.sqrt(v3 / (1 - 0.999**3))
    assert theta1 == pytest.approx(0.85)
    opt = optim.AdamW(lr=lr, eps=0.0, weight_decay=wd)
    assert first_three(opt) == pytest.approx([theta1, theta2, theta3], rel=1e-12)


def test_asgd():
    # eta_t = lr / (1 + lambd lr (t - 1))^alpha; theta <- theta (1 - lambd eta) - eta g
    lr, lambd, alpha = 0.1, 0.5, 0.75
    theta, expected = 1.0, []
    for t in (1, 2, 3):
        eta = lr / (1 + lambd * lr * (t - 1)) ** alpha
        theta = theta * (1 - lambd * eta) - eta * 2 * theta
        expected.append(theta)
    assert expected[0] == pytest.approx(1 - 0.05 - 0.2)  # eta_1 = lr
    opt = optim.ASGD(lr=lr, lambd=lambd, alpha=alpha)
    assert first_three(opt) == pytest.approx(expected, rel=1e-14)
