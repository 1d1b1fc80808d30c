"""The MLP: gradients against finite differences, batch normalisation modes, skip connections,
auxiliary heads, training on the digits, and bad input."""
import copy

import numpy as np
import pytest

from finite_differences import assert_gradients_match, jitter, numerical_gradient
from optlib import data, nn, optim
from optlib.autodiff import grad, value_and_grad

RNG = np.random.default_rng(42)
X = RNG.normal(size=(7, 4))
LABELS = np.array([0, 1, 2, 0, 1, 2, 2])


def loss_of(net, state=None, train=False):
    def loss(params):
        out = net.apply(params, X, state, train=train)
        if net.batch_norm and train:
            out = out[0]
        if net.aux_heads:
            out, aux = out
            return nn.softmax_cross_entropy(out, LABELS) + 0.3 * sum(
                nn.softmax_cross_entropy(a, LABELS) for a in aux)
        return nn.softmax_cross_entropy(out, LABELS)
    return loss


@pytest.mark.parametrize("activation", ["tanh", "sigmoid", "relu", "leaky_relu"])
def test_mlp_gradient_matches_finite_differences(activation):
    net = nn.MLP((4, 6, 5, 3), activation=activation, weight_init="normal", weight_scale=0.8)
    params = jitter(net.init(0))
    f = loss_of(net)
    assert_gradients_match(grad(f)(params), numerical_gradient(f, params))


@pytest.mark.parametrize("options", [dict(skip=True), dict(batch_norm=True), dict(aux_heads=(1, 2)),
                                     dict(skip=True, batch_norm=True, aux_heads=(2,))])
def test_mlp_variants_gradient_matches_finite_differences(options):
    net = nn.MLP((4, 5, 5, 3), activation="tanh", weight_init="orthogonal", **options)
    params = jitter(net.init(1))
    f = loss_of(net, net.init_state(), train=True)
    assert_gradients_match(grad(f)(params), numerical_gradient(f, params))


def test_params_structure_and_output_shape():
    net = nn.MLP((4, 8, 3), activation="relu", weight_init="he")
    params = net.init(0)
    assert [sorted(layer) for layer in params["layers"]] == [["W", "b"], ["W", "b"]]
    assert params["layers"][0]["W"].shape == (4, 8) and params["layers"][1]["b"].shape == (3,)
    assert net.apply(params, X).shape == (7, 3)
    np.testing.assert_array_equal(net.init(0)["layers"][0]["W"], net.init(np.random.default_rng(0))["layers"][0]["W"])


def test_batch_norm_in_evaluation_mode_uses_the_running_statistics():
    net = nn.MLP((4, 3, 2), activation="identity", batch_norm=True)
    params = net.init(0)
    params["layers"][0]["gamma"] = np.array([1.0, 2.0, 0.5])
    params["layers"][0]["beta"] = np.array([0.0, -1.0, 3.0])
    state = [{"mean": np.array([0.5, -1.0, 2.0]), "var": np.array([4.0, 0.25, 1.0])}]
    z = X @ params["layers"][0]["W"]
    h = (z - state[0]["mean"]) / np.sqrt(state[0]["var"] + 1e-5) * params["layers"][0]["gamma"] \
        + params["layers"][0]["beta"]
    expected = h @ params["layers"][1]["W"] + params["layers"][1]["b"]
    np.testing.assert_allclose(net.apply(params, X, state), expected, rtol=1e-13)
    # so one example's prediction does not depend on the rest of its batch
    np.testing.assert_allclose(net.apply(params, X[:1], state), expected[:1], rtol=1e-13)


def test_batch_norm_in_training_mode_normalises_with_the_batch_and_updates_the_running_statistics():
    net = nn.MLP((4, 3, 2), activation="identity", batch_norm=True)
    params = net.init(0)
    state = net.init_state()
    before = copy.deepcopy(state)
    _, new_state = net.apply(params, X, state, train=True)
    z = X @ params["layers"][0]["W"]
    np.testing.assert_allclose(new_state[0]["mean"], 0.9 * 0 + 0.1 * z.mean(axis=0), rtol=1e-13)
    np.testing.assert_allclose(new_state[0]["var"], 0.9 * 1 + 0.1 * z.var(axis=0, ddof=1), rtol=1e-13)
    np.testing.assert_array_equal(state[0]["mean"], before[0]["mean"])     # the input is untouched
    hidden = net.hidden(params, X, new_state)
    assert len(hidden) == 1 and hidden[0][0].shape == (7, 3)
    # training-mode normalisation: zero mean and unit variance per unit before gamma, beta
    h = nn.batchnorm.apply(params["layers"][0], z, state[0], train=True)[0]
    np.testing.assert_allclose(h.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(h.var(axis=0), z.var(axis=0) / (z.var(axis=0) + 1e-5), rtol=1e-12)


def test_running_statistics_converge_to_the_data_statistics():
    net = nn.MLP((4, 3, 2), activation="identity", batch_norm=True)
    params, state = net.init(0), net.init_state()
    data_X = np.random.default_rng(0).normal(loc=2.0, scale=3.0, size=(2000, 4))
    for Xb, _ in data.minibatches(data_X, np.zeros(2000), 100, 0):
        _, state = net.apply(params, Xb, state, train=True)
    for _ in range(5):
        for Xb, _ in data.minibatches(data_X, np.zeros(2000), 100, 1):
            _, state = net.apply(params, Xb, state, train=True)
    z = data_X @ params["layers"][0]["W"]
    np.testing.assert_allclose(state[0]["mean"], z.mean(axis=0), rtol=0.05, atol=0.05)
    np.testing.assert_allclose(state[0]["var"], z.var(axis=0), rtol=0.1)


def test_skip_connection_passes_the_signal_through_a_zeroed_layer():
    net = nn.MLP((4, 5, 5, 2), activation="tanh", skip=True)
    params = net.init(0)
    params["layers"][1]["W"] = np.zeros((5, 5))
    (z1, h1), (z2, h2) = net.hidden(params, X)
    np.testing.assert_array_equal(h2, h1)            # h2 = h1 + tanh(0)
    plain = nn.MLP((4, 5, 5, 2), activation="tanh")
    assert np.all(plain.hidden(params, X)[1][1] == 0)


def test_auxiliary_heads_come_back_alongside_the_main_output():
    net = nn.MLP((4, 6, 5, 3), aux_heads=(1, 2))
    params = net.init(0)
    out, aux = net.apply(params, X)
    assert out.shape == (7, 3) and [a.shape for a in aux] == [(7, 3), (7, 3)]
    h1 = net.hidden(params, X)[0][1]
    np.testing.assert_allclose(aux[0], h1 @ params["aux"][0]["W"] + params["aux"][0]["b"])


def test_adam_trained_digits_mlp_reaches_95_percent_test_accuracy():
    X_all, y_all = data.load_digits()
    (X_tr, y_tr), _, (X_te, y_te) = data.train_val_test_split(X_all, y_all, rng=0, stratify=True)
    net = nn.MLP((64, 128, 128, 10), activation="relu", weight_init="he")
    params = net.init(0)
    opt = optim.Adam(lr=1e-3)
    state = opt.init(params)
    step = value_and_grad(lambda p, Xb, yb: nn.softmax_cross_entropy(net.apply(p, Xb), yb))
    rng = np.random.default_rng(0)
    for epoch in range(12):                      # 12 x 34 steps, well under a second
        for Xb, yb in data.minibatches(X_tr, y_tr, 32, rng):
            _, g = step(params, Xb, yb)
            params, state = opt.update(params, g, state)
    assert nn.accuracy(net.apply(params, X_te), y_te) >= 0.95


@pytest.mark.parametrize("make, message", [
    (lambda: nn.MLP((4,)), "at least an input and an output"),
    (lambda: nn.MLP((4, 0, 2)), r"sizes\[1\] must be an integer >= 1"),
    (lambda: nn.MLP((4, 3, 2), weight_init="uniform"), r"unknown initialisation 'uniform'.*valid choices"),
    (lambda: nn.MLP((4, 3, 2), activation="swish"), r"unknown activation 'swish'.*valid choices"),
    (lambda: nn.MLP((4, 3, 2), aux_heads=(2,)), r"aux_heads must number hidden layers 1 \.\. 1"),
    (lambda: nn.MLP((4, 3, 2), weight_scale=-1.0), "weight_scale"),
])
def test_bad_configuration_raises_value_error(make, message):
    with pytest.raises(ValueError, match=message):
        make()


@pytest.mark.parametrize("make, message", [
    (lambda: nn.MLP(4), "sizes must be a sequence of widths"),
    (lambda: nn.MLP((4, 3.0, 2)), r"sizes\[1\] must be an integer, got 3\.0"),
    (lambda: nn.MLP((4, 3, 2), activation=None), "activation must be a string"),
    (lambda: nn.MLP((4, 3, 2), skip="yes"), "skip must be True or False, got 'yes'"),
    (lambda: nn.MLP((4, 3, 2), batch_norm=1), "batch_norm must be True or False, got 1"),
    (lambda: nn.MLP((4, 3, 3, 2), aux_heads=(1.0,)), r"aux_heads must be an integer, got 1\.0"),
    (lambda: nn.MLP((4, 3, 2), weight_scale="1"), "weight_scale must be a real number"),
    (lambda: nn.MLP((4, 3, 2)).init("seed"), "rng must be a numpy.random.Generator"),
])
def test_configuration_of_the_wrong_type_raises_type_error(make, message):
    with pytest.raises(TypeError, match=message):
        make()


def test_bad_input_shape_and_missing_batch_norm_state_raise_value_error():
    net = nn.MLP((4, 3, 2), batch_norm=True)
    params = net.init(0)
    with pytest.raises(ValueError, match=r"x must have shape \(n, 4\)"):
        net.apply(params, np.zeros((5, 3)), net.init_state())
    with pytest.raises(ValueError, match="init_state"):
        net.apply(params, X)
    with pytest.raises(ValueError, match="at least 2 examples"):
        net.apply(params, X[:1], net.init_state(), train=True)
