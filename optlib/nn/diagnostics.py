"""What the pathology chapters measure: per-layer gradient norms, saturated units, dead ReLUs,
how the gradient reaching each time step of an RNN shrinks or grows, and how sharp a loss is.

Defined here, taught in :chapter:`01_differentiation/bptt` (:func:`time_step_grad_norms`),
:chapter:`03_landscape/saturation`,
:chapter:`03_landscape/vanishing_gradients`, :chapter:`03_landscape/exploding_gradients`,
:chapter:`03_landscape/depth`, :chapter:`02_training/learning_rate` (:func:`hessian_top_eigenvalue`) and
:chapter:`02_training/batch_size` (:func:`keskar_sharpness`).

All results are plain NumPy arrays (one entry per layer or per time step).
"""
from __future__ import annotations

import numpy as np
from scipy.optimize import minimize

from optlib import _checks
from optlib.autodiff import grad, hvp, stop_gradient
from optlib.tree import ravel

__all__ = ["layer_grad_norms", "saturated_fraction", "dead_relu_fraction", "time_step_grad_norms",
           "hessian_top_eigenvalue", "keskar_sharpness"]


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
    reaches its incoming weights and bias. A dead unit of the first hidden layer
    stays dead on these data; one of a deeper layer can come back when the
    layers below it change its inputs. For leaky ReLU units the count is of
    units that are negative on every example: nearly dead (slope 0.01), not dead.

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

    Taught in :chapter:`01_differentiation/bptt`.

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


def hessian_top_eigenvalue(loss, params, iterations=30, rng=0):
    r"""The sharpness :math:`\lambda_{\max}` of a loss: the top eigenvalue of its Hessian, by power iteration.

    Parameters
    ----------
    loss : callable
        ``loss(params)`` -> scalar, written in NumPy so that
        :func:`optlib.autodiff.hvp` can differentiate it twice.
    params : pytree
        Where to measure (not modified).
    iterations : int, default 30
        Hessian-vector products to make, >= 1.
    rng : Generator or int, default 0
        Draws the random starting vector.

    Returns
    -------
    float
        The Rayleigh quotient :math:`v_k^\top H v_k` of the last unit vector.

    Notes
    -----
    With :math:`H = \nabla^2 L(\theta)` over all :math:`P` parameters
    flattened by :func:`optlib.tree.ravel`, start from a random
    :math:`u_0 \in \mathbb{R}^P` and repeat, for :math:`k = 0, 1, \dots`,

    .. math::

        v_k = u_k / \lVert u_k \rVert, \qquad u_{k+1} = H v_k,
        \qquad \lambda^{(k)} = v_k^\top H v_k .

    The estimate converges to the eigenvalue of largest *modulus*, which is
    :math:`\lambda_{\max}` when that one dominates (near a minimum, where
    :math:`H` is nearly positive semi-definite); the error shrinks like
    :math:`(\lambda_2 / \lambda_1)^{2k}`. Each step costs one
    Hessian-vector product, a small multiple of a gradient; the Hessian is
    never formed. On a quadratic, gradient descent converges for
    :math:`\eta < 2/\lambda_{\max}`.

    Taught in :chapter:`02_training/learning_rate`.

    References
    ----------
    :cite:`lecun1998`, :cite:`cohen2021`
    """
    _checks.function("loss", loss)
    iterations = _checks.integer("iterations", iterations, minimum=1)
    flat, unravel = ravel(params)
    u = _checks.rng(rng).standard_normal(flat.size)
    for _ in range(iterations):
        v = u / np.linalg.norm(u)
        u = ravel(hvp(loss, params, unravel(v)))[0]
        estimate = u @ v
    return float(estimate)


def keskar_sharpness(value_and_grad_fn, params, eps=1e-3, maxiter=10):
    r"""Keskar et al.'s sharpness :math:`\phi_\epsilon`: the largest relative rise of the loss in a small box.

    Parameters
    ----------
    value_and_grad_fn : callable
        ``params -> (loss, grads)``, the full training loss and its gradient
        (grads with the structure of ``params``), e.g.
        ``optlib.autodiff.value_and_grad(loss)`` or a hand-written gradient.
    params : pytree
        The weights :math:`\theta`, usually a minimum found by training (not
        modified).
    eps : float, default 1e-3
        The box's relative half-width :math:`\epsilon > 0`.
    maxiter : int, default 10
        Iterations of L-BFGS-B, as in the paper.

    Returns
    -------
    float
        :math:`\phi_\epsilon` in percent; >= 0, since the search starts at
        :math:`\theta` itself.

    Notes
    -----
    With :math:`L` the loss and the box
    :math:`C_\epsilon = \{z : |z_j| \le \epsilon\,(|\theta_j| + 1)\}`,

    .. math::

        \phi_\epsilon(\theta) = 100 \, \frac{\max_{z \in C_\epsilon} L(\theta + z)
        - L(\theta)}{1 + L(\theta)} .

    The maximum is approximated by SciPy's L-BFGS-B minimizing :math:`-L`
    over the box from :math:`z = 0`, stopped after ``maxiter`` iterations,
    in the full parameter space (the paper's :math:`A = I_P`). At a point
    where the gradient is not quite zero the first-order rise
    :math:`\sum_j |\partial_j L|\, \epsilon (|\theta_j| + 1)` is part of
    :math:`\phi_\epsilon`: it measures slope as well as curvature. Where the
    gradient is exactly zero, L-BFGS-B does not move and the result is 0.
    Distinct from :func:`hessian_top_eigenvalue`, the curvature alone.

    Taught in :chapter:`02_training/batch_size`.

    References
    ----------
    :cite:`keskar2017`
    """
    _checks.function("value_and_grad_fn", value_and_grad_fn)
    eps = _checks.positive("eps", eps)
    maxiter = _checks.integer("maxiter", maxiter, minimum=1)
    theta, unravel = ravel(params)
    start = _checks.real("the loss at params", value_and_grad_fn(unravel(theta))[0])
    half_width = eps * (np.abs(theta) + 1.0)

    def negative_loss(z):
        value, grads = value_and_grad_fn(unravel(theta + z))
        return -float(value), -ravel(grads)[0]

    result = minimize(negative_loss, np.zeros_like(theta), jac=True, method="L-BFGS-B",
                      bounds=np.stack([-half_width, half_width], axis=1),
                      options={"maxiter": maxiter})
    highest = max(-float(result.fun), start)
    return 100.0 * (highest - start) / (1.0 + start)


def _as_list(arrays):
    if isinstance(arrays, np.ndarray):
        return [arrays]
    return [z[0] if isinstance(z, tuple) else z for z in arrays]
