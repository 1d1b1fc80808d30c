"""optlib.nn: the small networks the chapters train, their losses and their diagnostics.

Models are configured once and used as pure functions (``init(rng) -> params``,
``apply(params, x, ...)``), with every gradient coming from
:mod:`optlib.autodiff`::

    import numpy as np
    from optlib import nn, optim
    from optlib.autodiff import value_and_grad

    net = nn.MLP((64, 128, 10), activation="relu", weight_init="he")
    params = net.init(np.random.default_rng(0))
    loss = lambda p, X, y: nn.softmax_cross_entropy(net.apply(p, X), y)
    value, grads = value_and_grad(loss)(params, X, y)

Layout: :mod:`~optlib.nn.init` (weight initialisations),
:mod:`~optlib.nn.activations`, :mod:`~optlib.nn.losses`,
:mod:`~optlib.nn.batchnorm`, :mod:`~optlib.nn.mlp` (:class:`MLP`),
:mod:`~optlib.nn.rnn` (:class:`RNN`, full and truncated BPTT) and
:mod:`~optlib.nn.diagnostics`.
"""
from optlib.nn import activations, batchnorm, diagnostics, init, losses
from optlib.nn.diagnostics import (dead_relu_fraction, layer_grad_norms, saturated_fraction,
                                   time_step_grad_norms)
from optlib.nn.diagnostics import hessian_top_eigenvalue, keskar_sharpness
from optlib.nn.losses import accuracy, logistic, mse, one_hot, softmax_cross_entropy
from optlib.nn.mlp import MLP
from optlib.nn.rnn import RNN, bptt, truncated_bptt, truncated_gradient, truncation_windows

__all__ = ["MLP", "RNN", "bptt", "truncated_bptt", "truncated_gradient", "truncation_windows",
           "mse", "logistic", "softmax_cross_entropy", "accuracy", "one_hot",
           "layer_grad_norms", "saturated_fraction", "dead_relu_fraction", "time_step_grad_norms",
           "hessian_top_eigenvalue", "keskar_sharpness",
           "init", "activations", "batchnorm", "losses", "diagnostics"]
