"""Multilayer perceptrons: any depth, four activations, four initialisations, skip connections,
batch normalisation and auxiliary heads.

Defined here, taught in :chapter:`03_landscape/depth`, :chapter:`03_landscape/saturation`,
:chapter:`03_landscape/vanishing_gradients` and :chapter:`02_training/end_to_end`.

A model is configured once and used functionally, like the optimizers::

    net = MLP((64, 128, 128, 10), activation="relu", weight_init="he")
    params = net.init(np.random.default_rng(0))        # a pytree of arrays
    logits = net.apply(params, X)                       # a pure function of (params, X)

so ``optlib.autodiff.grad`` of any loss of ``net.apply(params, X)`` is the
gradient with respect to every weight, and ``params`` goes straight into an
optimizer of :mod:`optlib.optim`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from optlib import _checks
from optlib.autodiff import stop_gradient
from optlib.nn import activations, batchnorm
from optlib.nn import init as initialisers

__all__ = ["MLP"]


@dataclass(frozen=True)
class MLP:
    r"""A fully connected network :math:`x \mapsto W_L h_{L-1} + b_L`.

    Parameters
    ----------
    sizes : sequence of int
        Widths ``(n_in, n_1, ..., n_{L-1}, n_out)``: ``L = len(sizes) - 1``
        layers, of which the first ``L - 1`` are hidden.
    activation : {"tanh", "sigmoid", "relu", "leaky_relu", "identity"}, default "tanh"
        Non-linearity of the hidden layers (the output layer is linear).
    weight_init : {"xavier", "glorot", "he", "normal", "orthogonal", "zeros"}, default "xavier"
        How the weight matrices are drawn (:mod:`optlib.nn.init`); biases start at 0.
    weight_scale : float, optional
        The initialiser's ``scale``: the standard deviation for ``"normal"``
        (default 0.01), the gain for ``"orthogonal"``, a multiplier for
        ``"xavier"`` and ``"he"`` (default 1).
    skip : bool, default False
        Residual connections :math:`h_l = h_{l-1} + \phi(z_l)` on every hidden
        layer whose input and output widths agree (the first hidden layer, which
        changes the width, has none).
    batch_norm : bool, default False
        Normalise every hidden pre-activation (:mod:`optlib.nn.batchnorm`)
        before the non-linearity; such layers have ``gamma`` and ``beta``
        instead of a bias, and the running statistics live in a separate
        state (:meth:`init_state`).
    aux_heads : sequence of int, default ()
        Hidden layers (numbered from 1) that get an auxiliary linear output head
        of width ``n_out``, for auxiliary losses on intermediate layers.

    Notes
    -----
    With :math:`h_0 = x`, for :math:`l = 1, \dots, L - 1`:

    .. math::

        z_l = h_{l-1} W_l + b_l, \qquad
        h_l = \phi(z_l) \;\; \big(+\, h_{l-1} \text{ with skip connections}\big),

    and the output is :math:`z_L = h_{L-1} W_L + b_L` (logits or regression
    values); an auxiliary head on layer :math:`l` outputs :math:`h_l A_l + c_l`.
    With batch normalisation, :math:`z_l = \mathrm{BN}_{\gamma_l, \beta_l}(h_{l-1} W_l)`.

    The parameters are ``{"layers": [{"W": ..., "b": ...}, ...], "aux": [...]}``
    (``"aux"`` only with auxiliary heads), ``W`` of shape ``(n_{l-1}, n_l)``.

    References
    ----------
    :cite:`goodfellow2016`; skip connections :cite:`he2016`; batch normalisation
    :cite:`ioffe2015`; auxiliary heads :cite:`lee2015`.
    """

    sizes: tuple
    activation: str = "tanh"
    weight_init: str = "xavier"
    weight_scale: float | None = None
    skip: bool = False
    batch_norm: bool = False
    aux_heads: tuple = ()
    _phi: object = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        if isinstance(self.sizes, (str, bytes)) or not hasattr(self.sizes, "__len__"):
            raise TypeError(f"sizes must be a sequence of widths (n_in, ..., n_out), got {self.sizes!r}")
        if len(self.sizes) < 2:
            raise ValueError(f"sizes must list at least an input and an output width, got {self.sizes!r}")
        object.__setattr__(self, "sizes", tuple(_checks.integer(f"sizes[{i}]", n, minimum=1)
                                                for i, n in enumerate(self.sizes)))
        object.__setattr__(self, "activation", _checks.choice("activation", self.activation,
                                                              tuple(activations.ACTIVATIONS)))
        object.__setattr__(self, "_phi", activations.get(self.activation))
        object.__setattr__(self, "weight_init", _checks.choice("initialisation", self.weight_init,
                                                               tuple(initialisers.INITIALISERS)))
        if self.weight_scale is not None:
            _checks.non_negative("weight_scale", self.weight_scale)
        heads = tuple(self.aux_heads)
        n_hidden = len(self.sizes) - 2
        for k in heads:
            if not 1 <= _checks.integer("aux_heads", k) <= n_hidden:
                raise ValueError(f"aux_heads must number hidden layers 1 .. {n_hidden}, got {k!r}")
        object.__setattr__(self, "aux_heads", tuple(int(k) for k in heads))
        _checks.flag("skip", self.skip)
        _checks.flag("batch_norm", self.batch_norm)

    @property
    def n_layers(self) -> int:
        """Number of weight layers :math:`L` (hidden layers plus the output layer)."""
        return len(self.sizes) - 1

    # ---- parameters and state -------------------------------------------------------------

    def init(self, rng):
        """Fresh parameters drawn from ``rng`` (a ``np.random.Generator`` or an int seed)."""
        rng = _checks.rng(rng)
        draw = initialisers.get(self.weight_init)
        scale = (initialisers.DEFAULT_SCALE[self.weight_init] if self.weight_scale is None
                 else self.weight_scale)
        layers = []
        for l, (n_in, n_out) in enumerate(zip(self.sizes[:-1], self.sizes[1:]), start=1):
            layer = {"W": draw(rng, (n_in, n_out), scale)}
            if self.batch_norm and l < self.n_layers:
                layer.update(batchnorm.init(n_out))
            else:
                layer["b"] = np.zeros(n_out)
            layers.append(layer)
        params = {"layers": layers}
        if self.aux_heads:
            params["aux"] = [{"W": draw(rng, (self.sizes[k], self.sizes[-1]), scale),
                              "b": np.zeros(self.sizes[-1])} for k in self.aux_heads]
        return params

    def init_state(self):
        """Batch-norm running statistics (one ``{"mean", "var"}`` per hidden layer), or None."""
        if not self.batch_norm:
            return None
        return [batchnorm.init_state(n) for n in self.sizes[1:-1]]

    # ---- forward pass -----------------------------------------------------------------------

    def apply(self, params, x, state=None, train=False):
        """The network's output for inputs ``x`` of shape (n, n_in).

        Parameters
        ----------
        params : pytree
            From :meth:`init` (or an optimizer).
        x : array of shape (n, n_in)
        state : list, optional
            Batch-norm running statistics (:meth:`init_state`); required with
            ``batch_norm=True``.
        train : bool, default False
            Batch-norm mode: True normalises with the batch statistics and
            returns the updated state; False uses the running statistics.

        Returns
        -------
        outputs or (outputs, new_state)
            ``outputs`` is the output array of shape (n, n_out), or with
            auxiliary heads the pair ``(output, [aux_output, ...])``.
            ``new_state`` is returned with batch normalisation in training
            mode only.
        """
        outputs, new_state, _ = self._forward(params, x, state, train, keep=False)
        if self.batch_norm and train:
            return outputs, new_state
        return outputs

    def hidden(self, params, x, state=None):
        """Pre-activations :math:`z_l` and activations :math:`h_l` of every hidden layer (evaluation mode).

        Returns a list of ``(z_l, h_l)`` pairs of plain arrays, one per hidden
        layer, for the diagnostics (:mod:`optlib.nn.diagnostics`).
        """
        _, _, kept = self._forward(stop_gradient(params), np.asarray(x, dtype=np.float64), state,
                                   train=False, keep=True)
        return kept

    def _forward(self, params, x, state, train, keep):
        if np.ndim(x) != 2 or np.shape(x)[1] != self.sizes[0]:
            raise ValueError(f"x must have shape (n, {self.sizes[0]}), got {np.shape(x)}")
        if self.batch_norm and state is None:
            raise ValueError("this MLP uses batch normalisation: pass state=net.init_state() "
                             "(and keep the state that apply returns in training mode)")
        layers = params["layers"]
        phi = self._phi
        h = x
        new_state = [] if self.batch_norm else None
        aux, kept = [], []
        heads = dict(zip(self.aux_heads, params.get("aux", ()))) if self.aux_heads else {}
        for l in range(1, self.n_layers):
            layer = layers[l - 1]
            if self.batch_norm:
                z, s = batchnorm.apply(layer, h @ layer["W"], state[l - 1], train)
                new_state.append(s)
            else:
                z = h @ layer["W"] + layer["b"]
            a = phi(z)
            h = h + a if self.skip and self.sizes[l - 1] == self.sizes[l] else a
            if keep:
                kept.append((z, h))
            if l in heads:
                aux.append(h @ heads[l]["W"] + heads[l]["b"])
        last = layers[-1]
        out = h @ last["W"] + last["b"]
        return ((out, aux) if self.aux_heads else out), new_state, kept
