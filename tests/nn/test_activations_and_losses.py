"""Activations and losses: values, derivatives, numerical stability, bad input."""
import numpy as np
import pytest

from optlib import nn
from optlib.autodiff import grad, sigmoid
from optlib.nn import activations

Z = np.array([-3.0, -0.7, -1e-3, 2e-3, 0.4, 2.5])


@pytest.mark.parametrize("name", ["sigmoid", "tanh", "relu", "leaky_relu", "identity"])
def test_activation_derivative_matches_autodiff(name):
    phi = activations.get(name)
    g = grad(lambda z: np.sum(phi(z)))(Z)
    np.testing.assert_allclose(g, activations.derivative(name, Z), rtol=1e-14)


def test_relu_and_leaky_relu_values():
    np.testing.assert_array_equal(activations.relu(Z), np.maximum(Z, 0))
    np.testing.assert_allclose(activations.leaky_relu(Z), np.where(Z > 0, Z, 0.01 * Z))


def test_unknown_activation_raises_value_error_listing_the_choices():
    with pytest.raises(ValueError, match=r"unknown activation 'gelu'.*'sigmoid'.*'tanh'.*'relu'.*'leaky_relu'"):
        activations.get("gelu")
    with pytest.raises(ValueError, match="valid choices"):
        nn.MLP((2, 3, 1), activation="softplus")


def test_softmax_cross_entropy_is_minus_log_softmax_of_the_label():
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(5, 4))
    labels = np.array([0, 3, 1, 1, 2])
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    expected = -np.mean(np.log(p[np.arange(5), labels]))
    assert abs(nn.softmax_cross_entropy(logits, labels) - expected) < 1e-14
    g = grad(nn.softmax_cross_entropy)(logits, labels)
    np.testing.assert_allclose(g, (p - np.eye(4)[labels]) / 5, atol=1e-15)


def test_softmax_cross_entropy_is_finite_for_huge_logits():
    logits = np.array([[1000.0, -1000.0, 0.0], [-800.0, 800.0, 799.0]])
    loss = nn.softmax_cross_entropy(logits, np.array([0, 2]))
    assert np.isfinite(loss) and abs(loss - 0.5 * (0.0 + np.log1p(np.e))) < 1e-12
    assert np.all(np.isfinite(grad(nn.softmax_cross_entropy)(logits, np.array([0, 2]))))


def test_logistic_loss_matches_the_naive_formula_and_its_gradient_is_sigmoid_minus_label():
    z = np.array([-2.0, -0.3, 0.0, 0.8, 3.0])
    y = np.array([0, 1, 1, 0, 1])
    s = 1 / (1 + np.exp(-z))
    naive = -np.mean(y * np.log(s) + (1 - y) * np.log(1 - s))
    assert abs(nn.logistic(z, y) - naive) < 1e-14
    np.testing.assert_allclose(grad(nn.logistic)(z, y), (s - y) / 5, atol=1e-15)
    assert abs(nn.logistic(z[:, None], y) - naive) < 1e-14


def test_logistic_loss_is_finite_for_huge_logits():
    z = np.array([1000.0, -1000.0])
    assert abs(nn.logistic(z, np.array([0, 1])) - 1000.0) < 1e-9
    np.testing.assert_allclose(grad(nn.logistic)(z, np.array([0, 1])), [0.5, -0.5])


def test_mse_is_the_mean_over_examples_of_the_squared_error():
    pred = np.array([[1.0, 2.0], [0.0, 0.0]])
    target = np.array([[0.0, 2.0], [1.0, 1.0]])
    assert nn.mse(pred, target) == (1 + 0 + 1 + 1) / 2
    assert nn.mse(np.array([[1.0], [3.0]]), np.array([0.0, 1.0])) == (1 + 4) / 2
    np.testing.assert_allclose(grad(nn.mse)(pred, target), (pred - target))


def test_accuracy_counts_argmax_and_sign_predictions():
    assert nn.accuracy(np.array([[0.1, 0.9], [2.0, -1.0], [0.0, 1.0]]), np.array([1, 0, 0])) == 2 / 3
    assert nn.accuracy(np.array([-1.0, 2.0, 0.5]), np.array([0, 1, 0])) == 2 / 3
    assert sigmoid(np.array(0.0)) == 0.5


@pytest.mark.parametrize("call, message", [
    (lambda: nn.mse(np.zeros((3, 2)), np.zeros((3,))), "shape"),
    (lambda: nn.mse(np.zeros(3), np.zeros(4)), "shape"),
    (lambda: nn.softmax_cross_entropy(np.zeros((3, 4)), np.array([0, 1])), "3 labels"),
    (lambda: nn.softmax_cross_entropy(np.zeros((2, 4)), np.array([0, 4])), r"0 \.\. 3"),
    (lambda: nn.softmax_cross_entropy(np.zeros(4), np.array([0])), r"\(n, k\)"),
    (lambda: nn.logistic(np.zeros(2), np.array([0, 2])), "0 or 1"),
    (lambda: nn.accuracy(np.zeros((3, 2)), np.zeros(2)), "3 labels"),
    (lambda: nn.one_hot(np.array([0.0, 1.5]), 3), "labels must be integers, got fractional values"),
    (lambda: nn.one_hot(np.array([0, 1]), 0), "n_classes must be an integer >= 1, got 0"),
])
def test_losses_reject_mismatched_shapes_and_bad_labels(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize("call, message", [
    (lambda: nn.one_hot(np.array(["a", "b"]), 2), "labels must be integers, got dtype <U1"),
    (lambda: nn.one_hot(np.array([True, False]), 2), "labels must be integers, got dtype bool"),
    (lambda: nn.one_hot(np.array([0, 1]), 2.0), r"n_classes must be an integer, got 2\.0"),
    (lambda: activations.get(3), "activation must be a string"),
    (lambda: activations.derivative(None, Z), "activation must be a string"),
])
def test_arguments_of_the_wrong_type_raise_type_error(call, message):
    with pytest.raises(TypeError, match=message):
        call()
