"""optim.run: the recorded path, losses, learning rates and gradient norms."""
import numpy as np
import pytest

from optlib import optim, schedules


def quadratic(theta):
    a = np.array([1.0, 4.0])
    return 0.5 * np.sum(a * theta**2), a * theta


def test_history_of_one_array_is_a_stacked_path():
    hist = optim.run(optim.SGD(lr=0.1), quadratic, np.array([1.0, 1.0]), steps=5)
    assert hist.params.shape == (6, 2)
    np.testing.assert_array_equal(hist.params[0], [1.0, 1.0])
    np.testing.assert_allclose(hist.params[1], [0.9, 0.6])
    assert hist.losses.shape == hist.lrs.shape == hist.grad_norms.shape == (5,)
    for k in range(5):
        loss, grad = quadratic(hist.params[k])
        assert hist.losses[k] == loss
        assert hist.grad_norms[k] == pytest.approx(np.linalg.norm(grad))
    assert hist.state["step"] == 5 and not hist.stopped_early


def test_history_matches_calling_update_by_hand():
    opt = optim.Adam(lr=0.1)
    hist = optim.run(opt, quadratic, np.array([1.0, -2.0]), steps=4)
    theta, state = np.array([1.0, -2.0]), opt.init(np.array([1.0, -2.0]))
    for k in range(4):
        theta, state = opt.update(theta, quadratic(theta)[1], state)
        np.testing.assert_array_equal(hist.params[k + 1], theta)


def test_history_records_the_scheduled_learning_rates():
    hist = optim.run(optim.SGD(lr=schedules.step_decay(0.1, 2, 0.5)), quadratic, np.ones(2), steps=5)
    np.testing.assert_allclose(hist.lrs, [0.1, 0.1, 0.05, 0.05, 0.025])


def test_history_of_a_pytree_is_a_list_of_pytrees():
    def f(p):
        return float(p["w"] @ p["w"] + p["b"] ** 2), {"w": 2 * p["w"], "b": 2 * p["b"]}

    hist = optim.run(optim.SGD(lr=0.25), f, {"w": np.ones(2), "b": 1.0}, steps=2)
    assert isinstance(hist.params, list) and len(hist.params) == 3
    assert hist.params[2]["b"] == 0.25 and hist.params[0]["b"] == 1.0
    assert hist.grad_norms[0] == pytest.approx(np.sqrt(12.0))


def test_run_raises_on_a_non_finite_loss_naming_the_step():
    def blows_up(theta):
        return (np.inf if theta[0] > 10 else float(theta[0])), np.array([-10.0])

    with pytest.raises(ValueError, match="the loss is inf at step 2"):
        optim.run(optim.SGD(lr=0.6), blows_up, np.array([0.0]), steps=10)


def test_callback_can_stop_the_run():
    calls = []

    def callback(k, params, loss):
        calls.append(k)
        return k == 3

    hist = optim.run(optim.SGD(lr=0.1), quadratic, np.ones(2), steps=10, callback=callback)
    assert calls == [0, 1, 2, 3] and hist.stopped_early
    assert len(hist.params) == 4 and len(hist.losses) == 4


def test_run_with_early_stopping():
    stopper = optim.EarlyStopping(patience=2)
    val = iter([5.0, 4.0, 3.0, 3.5, 3.2, 3.1, 1.0])   # calls 3 and 4 tolerated, call 5 stops
    hist = optim.run(optim.SGD(lr=0.1), quadratic, np.ones(2), steps=10,
                     callback=lambda k, p, loss: stopper.update(next(val), p))
    assert hist.stopped_early and len(hist.losses) == 6
    assert stopper.best_step == 2
    np.testing.assert_array_equal(stopper.best_params, hist.params[2])


def test_run_does_not_mutate_the_start_and_validates_steps():
    theta = np.ones(2)
    optim.run(optim.SGD(lr=0.1), quadratic, theta, steps=3)
    np.testing.assert_array_equal(theta, [1.0, 1.0])
    with pytest.raises(ValueError, match="steps must be an integer >= 0, got -1"):
        optim.run(optim.SGD(), quadratic, theta, steps=-1)
    with pytest.raises(TypeError, match=r"steps must be an integer, got 3\.0"):
        optim.run(optim.SGD(), quadratic, theta, steps=3.0)
    assert optim.run(optim.SGD(), quadratic, theta, steps=0).params.shape == (1, 2)


class HalvingDescent:
    """An optimizer written by a reader: no ``lr`` attribute, no ``"step"`` in its state."""

    def init(self, params):
        return {"rate": 0.5}

    def update(self, params, grads, state):
        return params - state["rate"] * grads, {"rate": state["rate"] / 2}

    def next_lr(self, state):
        return state["rate"]


def test_run_records_the_learning_rate_the_optimizer_reports():
    hist = optim.run(HalvingDescent(), quadratic, np.ones(2), steps=3)
    np.testing.assert_array_equal(hist.lrs, [0.5, 0.25, 0.125])
    np.testing.assert_allclose(hist.params[1], [1 - 0.5 * 1.0, 1 - 0.5 * 4.0])


def test_run_accepts_an_optimizer_without_next_lr_and_records_nan():
    class Plain:
        init = HalvingDescent.init
        update = HalvingDescent.update

    hist = optim.run(Plain(), quadratic, np.ones(2), steps=2)
    assert np.all(np.isnan(hist.lrs)) and hist.lrs.shape == (2,)
    np.testing.assert_allclose(hist.params[2], [0.5 - 0.25 * 0.5, -1.0 + 0.25 * 4.0])
