"""run_epochs: mini-batch training by epochs, with a measurement after each one."""
import numpy as np
import pytest

from optlib import optim


def least_squares_grad(w, X, y):
    return X.T @ (X @ w - y) / len(y)


def test_full_batch_epochs_are_gradient_descent_steps_on_least_squares():
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((30, 3)), rng.standard_normal(30)
    C, b = X.T @ X / 30, X.T @ y / 30
    w = np.zeros(3)
    expected = []
    for _ in range(5):                   # w <- w - lr (C w - b), by hand
        w = w - 0.1 * (C @ w - b)
        expected.append(w.copy())
    start = np.zeros(3)
    run = optim.run_epochs(optim.SGD(lr=0.1), least_squares_grad, start, (X, y), 30, 5,
                           metrics=lambda w, steps: (steps, w.copy()))
    assert run.steps == 5 and [s for s, _ in run.metrics] == [1, 2, 3, 4, 5]
    np.testing.assert_allclose([m for _, m in run.metrics], expected, rtol=1e-12)
    np.testing.assert_allclose(run.params, expected[-1], rtol=1e-12)
    assert np.array_equal(start, np.zeros(3))


def test_every_epoch_visits_every_example_once_in_batches_of_the_given_size():
    X, y = np.arange(10.0)[:, None], np.arange(10)
    batches = []

    def grad(w, X_b, y_b):
        batches.append(y_b.tolist())
        return 0 * w

    run = optim.run_epochs(optim.SGD(lr=0.1), grad, np.zeros(1), (X, y), 4, 3, rng=1)
    assert run.steps == 9 and run.metrics == []
    assert [len(b) for b in batches] == [4, 4, 2] * 3
    for epoch in range(3):
        assert sorted(sum(batches[3 * epoch:3 * epoch + 3], [])) == list(range(10))
    assert batches[:3] != batches[3:6]               # a fresh order each epoch


def test_the_same_seed_gives_the_same_run():
    rng = np.random.default_rng(2)
    X, y = rng.standard_normal((16, 2)), rng.standard_normal(16)
    a, b = (optim.run_epochs(optim.SGD(lr=0.2), least_squares_grad, np.ones(2), (X, y), 4, 3,
                             rng=seed) for seed in (5, np.random.default_rng(5)))
    assert np.array_equal(a.params, b.params)


def test_run_epochs_checks_its_arguments():
    data = (np.zeros((4, 1)), np.zeros(4))
    with pytest.raises(ValueError, match="epochs"):
        optim.run_epochs(optim.SGD(), least_squares_grad, np.zeros(1), data, 2, -1)
    with pytest.raises(TypeError, match="grad_fn must be a function"):
        optim.run_epochs(optim.SGD(), None, np.zeros(1), data, 2, 1)
    with pytest.raises(ValueError, match="data must be a pair"):
        optim.run_epochs(optim.SGD(), least_squares_grad, np.zeros(1), np.zeros(4), 2, 1)
