"""The models work under forward-over-reverse too: Hessian-vector products for the second-order chapters."""
import numpy as np
import pytest

from finite_differences import jitter
from optlib import nn
from optlib.autodiff import grad, hvp
from optlib.tree import ravel

RNG = np.random.default_rng(0)
X, LABELS = RNG.normal(size=(7, 4)), np.arange(7) % 3
XS, TARGETS = RNG.normal(size=(3, 5, 2)), RNG.normal(size=3)


def mlp_loss(**options):
    net = nn.MLP((4, 5, 5, 3), **options)
    state = net.init_state()

    def loss(p):
        out = net.apply(p, X, state, train=True)
        out = out[0] if net.batch_norm else out
        out = out[0] if net.aux_heads else out
        return nn.softmax_cross_entropy(out, LABELS)
    return loss, net.init(1)


def rnn_loss(cell):
    net = nn.RNN(2, 4, 1, cell=cell, output="last")
    return (lambda p: nn.mse(net.apply(p, XS), TARGETS)), net.init(0)


@pytest.mark.parametrize("make", [
    lambda: mlp_loss(activation="tanh"), lambda: mlp_loss(activation="relu"),
    lambda: mlp_loss(activation="sigmoid", batch_norm=True), lambda: mlp_loss(skip=True, aux_heads=(1,)),
    lambda: rnn_loss("tanh"), lambda: rnn_loss("lstm")],
    ids=["mlp-tanh", "mlp-relu", "mlp-batchnorm", "mlp-skip-aux", "rnn-tanh", "rnn-lstm"])
def test_hessian_vector_product_matches_finite_differences_of_the_gradient(make):
    loss, params = make()
    params = jitter(params)
    flat, unravel = ravel(params)
    v = np.random.default_rng(1).standard_normal(flat.size)
    hv = ravel(hvp(loss, params, unravel(v)))[0]
    g = lambda x: ravel(grad(loss)(unravel(x)))[0]          # noqa: E731
    numeric = (g(flat + 1e-5 * v) - g(flat - 1e-5 * v)) / 2e-5
    np.testing.assert_allclose(hv, numeric, rtol=1e-6, atol=1e-7 * np.max(np.abs(numeric)))
