"""Diagnostics: per-layer gradient norms, saturation, dead ReLUs, per-time-step gradient norms."""
import numpy as np
import pytest

from finite_differences import numerical_gradient
from optlib import data, nn
from optlib.autodiff import grad


def test_layer_grad_norms_are_the_frobenius_norms_of_the_weight_gradients():
    net = nn.MLP((4, 5, 5, 3))
    params = net.init(0)
    X, y = np.random.default_rng(0).normal(size=(8, 4)), np.arange(8) % 3
    g = grad(lambda p: nn.softmax_cross_entropy(net.apply(p, X), y))(params)
    expected = [np.sqrt(np.sum(layer["W"] ** 2)) for layer in g["layers"]]
    np.testing.assert_allclose(nn.layer_grad_norms(g), expected, rtol=1e-14)
    np.testing.assert_allclose(nn.layer_grad_norms(g["layers"], key="b"),
                               [np.linalg.norm(layer["b"]) for layer in g["layers"]], rtol=1e-14)
    with pytest.raises(ValueError, match="'W'"):
        nn.layer_grad_norms({"weights": []})


def test_gradient_vanishes_towards_the_input_of_a_deep_sigmoid_network():
    X, y = data.two_moons(64, rng=0)
    net = nn.MLP((2,) + (16,) * 8 + (2,), activation="sigmoid", weight_init="xavier")
    g = grad(lambda p: nn.softmax_cross_entropy(net.apply(p, X), y))(net.init(0))
    norms = nn.layer_grad_norms(g)
    assert norms[0] < 1e-3 * norms[-1]


def test_saturated_fraction_counts_pre_activations_beyond_the_threshold():
    z = [np.array([[0.5, -2.5], [3.0, 1.9]]), np.array([[10.0], [-10.0]])]
    np.testing.assert_array_equal(nn.saturated_fraction(z), [0.5, 1.0])
    np.testing.assert_array_equal(nn.saturated_fraction(z, "sigmoid"), [0.0, 1.0])
    np.testing.assert_array_equal(nn.saturated_fraction(z, threshold=0.1), [1.0, 1.0])
    with pytest.raises(ValueError, match=r"unknown activation 'relu'.*'tanh'.*'sigmoid'"):
        nn.saturated_fraction(z, "relu")
    with pytest.raises(TypeError, match="threshold must be a real number"):
        nn.saturated_fraction(z, threshold="2")


def test_large_initial_weights_saturate_tanh_units():
    X, _ = data.two_moons(200, rng=0)
    small = nn.MLP((2, 50, 50, 2), weight_init="normal", weight_scale=0.1)
    large = nn.MLP((2, 50, 50, 2), weight_init="normal", weight_scale=5.0)
    f_small = nn.saturated_fraction(small.hidden(small.init(0), X))
    f_large = nn.saturated_fraction(large.hidden(large.init(0), X))
    assert np.all(f_small == 0) and np.all(f_large > 0.5)


def test_dead_relu_fraction_counts_units_negative_on_every_example():
    z = np.array([[-1.0, 2.0, -0.5, 0.0], [-3.0, -1.0, -0.1, 0.0], [-0.2, -4.0, 1.0, 0.0]])
    np.testing.assert_array_equal(nn.dead_relu_fraction([z]), [0.5])    # units 0 and 3
    net = nn.MLP((2, 8, 2), activation="relu")
    params = net.init(0)
    params["layers"][0]["b"] = np.array([-100.0] * 3 + [0.0] * 5)
    X, _ = data.two_moons(50, rng=0)
    assert nn.dead_relu_fraction(net.hidden(params, X))[0] == pytest.approx(3 / 8)


@pytest.mark.parametrize("cell", ["tanh", "lstm"])
def test_time_step_grad_norms_are_the_norms_of_the_loss_gradient_with_respect_to_each_hidden_state(cell):
    X, y = data.adding_problem(4, length=5, rng=0)
    net = nn.RNN(2, 3, 1, cell=cell, output="last")
    params = net.init(0)
    norms = nn.time_step_grad_norms(net, params, X, y, nn.mse)
    assert norms.shape == (5,)
    # last step by hand: dL/dh_T = dL/dy W_hy^T
    out = net.apply(params, X)
    dy = 2 * (out - y[:, None]) / 4
    np.testing.assert_allclose(norms[-1], np.linalg.norm(dy @ params["out"]["W"].T), rtol=1e-12)
    # every step by finite differences on offsets added to h_t
    offsets = [np.zeros((4, 3)) for _ in range(5)]
    numeric = numerical_gradient(lambda o: nn.mse(net._run(params, X, None, o)[0], y), offsets)
    np.testing.assert_allclose(norms, [np.linalg.norm(g) for g in numeric], rtol=1e-6)


def test_gradient_reaching_early_steps_vanishes_with_a_small_recurrent_gain():
    X, y = data.adding_problem(16, length=30, rng=0)
    net = nn.RNN(2, 16, 1, output="last", recurrent_scale=0.5)
    norms = nn.time_step_grad_norms(net, net.init(0), X, y, nn.mse)
    assert norms[0] < 1e-6 * norms[-1]
    assert np.all(np.diff(norms) > 0)
