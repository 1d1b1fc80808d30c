"""What the pathology chapters measure: per-layer gradient norms, saturated units, dead ReLUs,
and how the gradient reaching each time step of an RNN shrinks or grows.

Defined here, taught in :chapter:`03_landscape/saturation`,
:chapter:`03_landscape/vanishing_gradients` and :chapter:`03_landscape/exploding_gradients`.

All results are plain NumPy arrays (one entry per layer or per time step).
"""
from __future__ import annotations

import numpy as np

from optlib import _checks
from optlib.autodiff import grad, stop_gradient

__all__ = ["layer_grad_norms", "saturated_fraction", "dead_relu_fraction", "time_step_grad_norms"]


def layer_grad_norms(grads, key="W"):
    r"""The Frobenius norm :math:`\lVert \partial L / \partial W_l \rVert_F` of each layer's weight gradient.

    Parameters
    ----------
    grads : pytree
        Gradients with the structure of an :class:`~optlib.nn.MLP`'s
        parameters (``{"layers": [{"W": ..., ...}, ...]}``) or a list of such
        layer dicts.
    key : str, default "W"
        Which entry of each layer to measure.

    Returns
    -------
    ndarray of shape (n_layers,)
        From the first layer (next to the input) to the output layer. In a deep
        sigmoid network the first entries are orders of magnitude below the
        last: the gradient vanishes on its way back.

    References
    ----------
    :cite:`glorot2010`
    """
    layers = grads["layers"] if isinstance(grads, dict) and "layers" in grads else grads
    if not isinstance(layers, (list, tuple)) or not all(isinstance(l, dict) and key in l for l in layers):
        raise ValueError(f"grads must be {{'layers': [{{{key!r}: ...}}, ...]}} or a list of layer dicts "
                         f"with the entry {key!r}")
    return np.array([np.linalg.norm(np.asarray(stop_gradient(l[key]))) for l in layers])


def saturated_fraction(pre_activations, activation="tanh", threshold=None):
    r"""Fraction of the units of each layer whose pre-activation is beyond ``threshold`` in absolute value.

    Parameters
    ----------
    pre_activations : list of arrays
        The :math:`z_l` of each hidden layer, each of shape (n, width); the
        ``(z_l, h_l)`` pairs of :meth:`MLP.hidden <optlib.nn.MLP.hidden>` are
        accepted as they are.
    activation : {"tanh", "sigmoid"}, default "tanh"
        Sets the default threshold.
    threshold : float, optional
        Default 2 for tanh (:math:`\tanh'(2) \approx 0.07`, against 1 at 0) and 4
        for the sigmoid (:math:`\sigma'(4) \approx 0.018`, against 0.25 at 0).

    Returns
    -------
    ndarray of shape (n_layers,)
        The fraction of (example, unit) pairs with :math:`|z| >` threshold: there
        the derivative is nearly zero, and so is the gradient passing through.

    References
    ----------
    :cite:`glorot2010`
    """
    if threshold is None:
        activation = _checks.choice("activation", activation, ("tanh", "sigmoid"))
        threshold = {"tanh": 2.0, "sigmoid": 4.0}[activation]
    threshold = _checks.non_negative("threshold", threshold)
    return np.array([float(np.mean(np.abs(np.asarray(stop_gradient(z))) > threshold))
                     for z in _as_list(pre_activations)])


def dead_relu_fraction(pre_activations):
    r"""Fraction of the ReLU units of each layer that are *dead* on the given inputs.

    A unit is dead when its pre-activation is :math:`\le 0` for every example:
    its output and its gradient are then zero for all of them, so no gradient
    step on these data can revive it.

    Parameters
    ----------
    pre_activations : list of arrays, each of shape (n, width)
        (or the ``(z_l, h_l)`` pairs of :meth:`MLP.hidden <optlib.nn.MLP.hidden>`)

    Returns
    -------
    ndarray of shape (n_layers,)

    References
    ----------
    :cite:`maas2013`
    """
    return np.array([float(np.mean(np.all(np.asarray(stop_gradient(z)) <= 0, axis=0)))
                     for z in _as_list(pre_activations)])


def time_step_grad_norms(model, params, x, y, loss, h0=None):
    r"""The norm of :math:`\partial L / \partial h_t` for every time step of a recurrent network.

    Parameters
    ----------
    model : :class:`~optlib.nn.RNN`
    params : pytree
    x : array of shape (batch, T, n_in)
    y : targets
    loss : callable
        ``loss(outputs, y)`` -> scalar.

    Returns
    -------
    ndarray of shape (T,)
        :math:`\lVert \partial L / \partial h_t \rVert_F`, the total derivative
        (through all later steps), for :math:`t = 1, \dots, T`. When the loss sits
        at the last step, its decay towards :math:`t = 1` is the vanishing
        gradient; its growth, the exploding one.

    Notes
    -----
    Computed exactly by adding zero offsets :math:`\epsilon_t` to the hidden
    states and differentiating with respect to them:
    :math:`\partial L / \partial \epsilon_t = \partial L / \partial h_t`.

    References
    ----------
    :cite:`bengio1994`, :cite:`pascanu2013`
    """
    model._check_inputs(x)
    n, T = np.shape(x)[:2]
    offsets = [np.zeros((n, model.n_hidden)) for _ in range(T)]

    def loss_of_offsets(offsets):
        return loss(model._run(params, x, h0, offsets)[0], y)

    g = grad(loss_of_offsets)(offsets)
    return np.array([np.linalg.norm(gt) for gt in g])


def _as_list(arrays):
    if isinstance(arrays, np.ndarray):
        return [arrays]
    return [z[0] if isinstance(z, tuple) else z for z in arrays]
