"""Recurrent networks: gradients against finite differences, full and truncated BPTT, bad input."""
import numpy as np
import pytest

from finite_differences import assert_gradients_match, jitter, numerical_gradient
from optlib import data, nn, optim
from optlib.autodiff import grad, stop_gradient, value_and_grad

RNG = np.random.default_rng(7)
XS = RNG.normal(size=(3, 6, 2))
Y_SEQ = RNG.normal(size=(3, 6, 2))


def per_step_mse(out, y):
    return nn.mse(np.reshape(out, (-1, 2)), np.reshape(y, (-1, 2)))


@pytest.mark.parametrize("cell", ["tanh", "lstm"])
@pytest.mark.parametrize("output", ["all", "last"])
def test_rnn_gradient_matches_finite_differences(cell, output):
    net = nn.RNN(2, 4, 2, cell=cell, output=output)
    params = jitter(net.init(0))
    target = Y_SEQ if output == "all" else Y_SEQ[:, -1]
    f = lambda p: per_step_mse(net.apply(p, XS), target)      # noqa: E731
    assert_gradients_match(grad(f)(params), numerical_gradient(f, params))


@pytest.mark.parametrize("cell", ["tanh", "lstm"])
def test_gradient_with_respect_to_the_initial_state_matches_finite_differences(cell):
    net = nn.RNN(2, 4, 2, cell=cell)
    params = net.init(0)
    h0 = RNG.normal(size=(3, 4))
    h0 = h0 if cell == "tanh" else (h0, RNG.normal(size=(3, 4)))
    f = lambda h: per_step_mse(net.apply(params, XS, h), Y_SEQ)   # noqa: E731
    assert_gradients_match(grad(f)(h0), numerical_gradient(f, h0))


def test_tanh_rnn_follows_its_recurrence():
    net = nn.RNN(2, 3, 1, output="last")
    p = net.init(0)
    c = p["cell"]
    h = np.zeros((3, 3))
    for t in range(6):
        h = np.tanh(XS[:, t] @ c["W_xh"] + h @ c["W_hh"] + c["b_h"])
    out, state = net.apply(p, XS, return_state=True)
    np.testing.assert_allclose(state, h, rtol=1e-14)
    np.testing.assert_allclose(out, h @ p["out"]["W"] + p["out"]["b"], rtol=1e-14)


def test_lstm_forget_gate_starts_open():
    net = nn.RNN(2, 5, 1, cell="lstm", forget_bias=1.0)
    b = net.init(0)["cell"]["b"]
    np.testing.assert_array_equal(b[5:10], 1.0)
    np.testing.assert_array_equal(np.delete(b, np.s_[5:10]), 0.0)


@pytest.mark.parametrize("cell", ["tanh", "lstm"])
def test_truncated_bptt_with_k1_equal_k2_equal_T_is_exactly_full_bptt(cell):
    net = nn.RNN(2, 5, 2, cell=cell)
    params = jitter(net.init(3))
    loss_full, grads_full = nn.bptt(net, params, XS, Y_SEQ, per_step_mse)
    result = nn.truncated_bptt(net, params, XS, Y_SEQ, per_step_mse, k1=6, k2=6)
    assert len(result["grads"]) == 1 and result["losses"][0] == loss_full
    for a, b in zip(_leaves(result["grads"][0]), _leaves(grads_full)):
        np.testing.assert_array_equal(a, b)


def _leaves(tree):
    from optlib.tree import tree_leaves
    return tree_leaves(tree)


def test_truncation_windows_update_every_k1_steps_and_reach_back_k2_steps():
    assert nn.truncation_windows(10, 4, 6) == [(0, 0, 4), (2, 4, 8), (4, 8, 10)]
    assert nn.truncation_windows(6, 2, 2) == [(0, 0, 2), (2, 2, 4), (4, 4, 6)]
    assert nn.truncation_windows(5, 5, 5) == [(0, 0, 5)]
    with pytest.raises(ValueError, match="k2 .* must be >= k1"):
        nn.truncation_windows(10, 4, 2)


def test_truncated_gradient_is_the_gradient_of_the_window_started_from_a_constant_state():
    net = nn.RNN(2, 4, 2)
    params = jitter(net.init(1))
    result = nn.truncated_bptt(net, params, XS, Y_SEQ, per_step_mse, k1=2, k2=3)
    # window 3: steps 4, 5 count, gradients reach back to step 3 from the state after step 2
    start, first, end = result["windows"][2]
    assert (start, first, end) == (3, 4, 6)
    h_start = stop_gradient(net.apply(params, XS[:, :start], return_state=True)[1])

    def window_loss(p):
        hs = net.scan(p, XS[:, start:end], h_start)
        return per_step_mse(net.read_out(p, hs[first - start:]), Y_SEQ[:, first:end])
    assert_gradients_match(result["grads"][2], numerical_gradient(window_loss, params))
    assert abs(result["losses"][2] - window_loss(params)) < 1e-14


def test_truncated_bptt_with_an_optimizer_updates_once_per_window():
    net = nn.RNN(2, 4, 2, cell="lstm")
    params = net.init(0)
    opt = optim.SGD(lr=0.1)
    result = nn.truncated_bptt(net, params, XS, Y_SEQ, per_step_mse, k1=2, k2=4, opt=opt,
                               opt_state=opt.init(params))
    assert len(result["losses"]) == 3
    # the last update is the gradient of the last window
    expected = params
    for g in result["grads"]:
        expected = opt.update(expected, g, opt.init(params))[0]
    for a, b in zip(_leaves(result["params"]), _leaves(expected)):
        np.testing.assert_allclose(a, b, rtol=1e-14)
    with pytest.raises(ValueError, match="opt_state"):
        nn.truncated_bptt(net, params, XS, Y_SEQ, per_step_mse, 2, 2, opt=opt)


def test_rnn_learns_the_adding_problem_on_short_sequences():
    X, y = data.adding_problem(512, length=8, rng=0)
    net = nn.RNN(2, 16, 1, output="last")
    params = net.init(0)
    opt = optim.Adam(lr=1e-2)
    state = opt.init(params)
    step = value_and_grad(lambda p, Xb, yb: nn.mse(net.apply(p, Xb), yb))
    rng = np.random.default_rng(0)
    for epoch in range(15):
        for Xb, yb in data.minibatches(X, y, 32, rng):
            _, g = step(params, Xb, yb)
            params, state = opt.update(params, g, state)
    X_test, y_test = data.adding_problem(256, length=8, rng=1)
    assert nn.mse(net.apply(params, X_test), y_test) < 0.05     # predicting 1 gives 1/6


@pytest.mark.parametrize("make, message", [
    (lambda: nn.RNN(2, 4, 1, cell="gru"), r"unknown cell 'gru'.*'tanh'.*'lstm'"),
    (lambda: nn.RNN(2, 4, 1, output="first"), r"unknown output 'first'.*'all'.*'last'"),
    (lambda: nn.RNN(2, 0, 1), "n_hidden must be an integer >= 1"),
    (lambda: nn.RNN(2, 4, 1, recurrent_init="identity"), r"unknown initialisation 'identity'"),
])
def test_bad_rnn_configuration_raises_value_error(make, message):
    with pytest.raises(ValueError, match=message):
        make()


@pytest.mark.parametrize("make, message", [
    (lambda: nn.RNN(2, 4.0, 1), r"n_hidden must be an integer, got 4\.0"),
    (lambda: nn.RNN(2, 4, 1, cell=None), "cell must be a string"),
    (lambda: nn.RNN(2, 4, 1, forget_bias="1"), "forget_bias must be a real number"),
    (lambda: nn.RNN(2, 4, 1, recurrent_scale=[1.0]), "recurrent_scale must be a real number"),
    (lambda: nn.truncation_windows(10, 2.0, 4), r"k1 must be an integer, got 2\.0"),
])
def test_rnn_configuration_of_the_wrong_type_raises_type_error(make, message):
    with pytest.raises(TypeError, match=message):
        make()


def test_a_non_finite_forget_bias_raises_value_error():
    with pytest.raises(ValueError, match="forget_bias must be a finite number, got inf"):
        nn.RNN(2, 4, 1, cell="lstm", forget_bias=float("inf"))


def test_bad_sequence_shapes_raise_value_error():
    net = nn.RNN(2, 4, 2)
    params = net.init(0)
    with pytest.raises(ValueError, match=r"x must have shape \(batch, T, 2\)"):
        net.apply(params, np.zeros((3, 6)))
    with pytest.raises(ValueError, match="per-step targets"):
        nn.truncated_bptt(net, params, XS, Y_SEQ[:, :5], per_step_mse, 2, 2)


def per_step_sum(out, y):
    return np.sum((out - y) ** 2)             # adds up over steps


@pytest.mark.parametrize("k", [1, 2, 4])
def test_truncated_gradient_is_the_gradient_of_each_step_run_from_the_state_k_steps_back(k):
    net = nn.RNN(2, 4, 2)
    params = jitter(net.init(3))
    T = XS.shape[1]
    # the states at the fixed weights: the constants the truncated paths start from
    states = [None] + net.scan(params, XS)

    def truncated_objective(p):               # sum over t of l_t, run from h_(t-k) held fixed
        total = 0.0
        for t in range(1, T + 1):
            start = max(0, t - k)
            hs = net.scan(p, XS[:, start:t], states[start])
            total += per_step_sum(net.read_out(p, hs[-1:]), Y_SEQ[:, t - 1:t])
        return total

    g = nn.truncated_gradient(net, params, XS, Y_SEQ, per_step_sum, k)
    assert_gradients_match(g, numerical_gradient(truncated_objective, params))


def test_truncated_gradient_with_k_at_least_T_is_the_full_gradient_and_shorter_k_differ():
    net = nn.RNN(2, 4, 2)
    params = jitter(net.init(4))
    _, full = nn.bptt(net, params, XS, Y_SEQ, per_step_sum)
    for k in (6, 9):
        same = nn.truncated_gradient(net, params, XS, Y_SEQ, per_step_sum, k)
        assert_gradients_match(same, full, rtol=1e-12, atol=1e-14)
    short = nn.truncated_gradient(net, params, XS, Y_SEQ, per_step_sum, 2)
    assert not np.allclose(short["cell"]["W_hh"], full["cell"]["W_hh"])
    # the read-out's gradient crosses no step back: truncation leaves it alone
    np.testing.assert_allclose(short["out"]["W"], full["out"]["W"], rtol=1e-12)


@pytest.mark.parametrize("k, error", [(0, ValueError), (1.5, TypeError)])
def test_truncated_gradient_checks_k(k, error):
    net = nn.RNN(2, 4, 2)
    with pytest.raises(error, match="k"):
        nn.truncated_gradient(net, net.init(0), XS, Y_SEQ, per_step_sum, k)
