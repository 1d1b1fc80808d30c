"""Recurrent networks: a vanilla tanh RNN and an LSTM, trained by full or truncated backpropagation through time.

Defined here, taught in :chapter:`01_differentiation/bptt`,
:chapter:`03_landscape/vanishing_gradients`, :chapter:`03_landscape/exploding_gradients` and
:chapter:`03_landscape/depth` (memory cells).

Sequences are arrays of shape ``(batch, T, n_in)``. The network is unrolled
with a Python loop over time, in plain NumPy, so ``optlib.autodiff`` runs the
backward pass through every step: that *is* backpropagation through time.
Truncated BPTT cuts the paths with :func:`optlib.autodiff.stop_gradient`.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from optlib import _checks
from optlib import tree as _tree
from optlib.autodiff import sigmoid, stop_gradient, value_and_grad
from optlib.nn import init as initialisers

__all__ = ["RNN", "bptt", "truncated_bptt", "truncated_gradient", "truncation_windows"]

CELLS = ("tanh", "lstm")
OUTPUTS = ("all", "last")


@dataclass(frozen=True)
class RNN:
    r"""A one-layer recurrent network with a linear read-out.

    Parameters
    ----------
    n_in, n_hidden, n_out : int
        Input, hidden-state and output widths.
    cell : {"tanh", "lstm"}, default "tanh"
        The vanilla (Elman) tanh cell or the LSTM cell with forget gate.
    output : {"all", "last"}, default "all"
        Read out at every time step (outputs of shape (batch, T, n_out)) or
        after the last one only (shape (batch, n_out)).
    weight_init : str, default "xavier"
        Initialiser of the input and read-out weights (:mod:`optlib.nn.init`).
    recurrent_init : str, default "orthogonal"
        Initialiser of the hidden-to-hidden weights.
    recurrent_scale : float, default 1.0
        Its ``scale``: the gain for ``"orthogonal"`` (every singular value of
        :math:`W_{hh}` equals it, so > 1 tends to explode and < 1 to vanish),
        the standard deviation for ``"normal"``.
    forget_bias : float, default 1.0
        Initial bias of the LSTM's forget gate (1 keeps the memory open at
        the start of training).

    Notes
    -----
    The tanh cell, with :math:`h_0 = 0`:

    .. math::

        h_t = \tanh(x_t W_{xh} + h_{t-1} W_{hh} + b_h), \qquad y_t = h_t W_{hy} + b_y.

    The LSTM cell, with gates :math:`i, f, o` and candidate :math:`g` computed
    from one fused matrix product, and :math:`h_0 = c_0 = 0`:

    .. math::

        [a^i, a^f, a^g, a^o] &= x_t W_x + h_{t-1} W_h + b \\
        c_t &= \sigma(a^f) \odot c_{t-1} + \sigma(a^i) \odot \tanh(a^g) \\
        h_t &= \sigma(a^o) \odot \tanh(c_t).

    The memory :math:`c_t` is updated additively, so :math:`\partial c_t / \partial c_{t-1}
    = \operatorname{diag}\sigma(a^f)`: gradients survive as long as the forget gate
    stays open, where the tanh RNN multiplies them by :math:`W_{hh}^\top
    \operatorname{diag}(1 - h_t^2)` at every step.

    Parameters are ``{"cell": {"W_xh", "W_hh", "b_h"}, "out": {"W", "b"}}`` for the
    tanh cell and ``{"cell": {"W_x", "W_h", "b"}, "out": {"W", "b"}}`` for the LSTM
    (gate blocks in the order i, f, g, o).

    References
    ----------
    :cite:`elman1990`; LSTM :cite:`hochreiter1997`, forget gate :cite:`gers2000`;
    the difficulty it addresses :cite:`bengio1994`, :cite:`pascanu2013`.
    """

    n_in: int
    n_hidden: int
    n_out: int
    cell: str = "tanh"
    output: str = "all"
    weight_init: str = "xavier"
    recurrent_init: str = "orthogonal"
    recurrent_scale: float = 1.0
    forget_bias: float = 1.0

    def __post_init__(self):
        for name in ("n_in", "n_hidden", "n_out"):
            object.__setattr__(self, name, _checks.integer(name, getattr(self, name), minimum=1))
        object.__setattr__(self, "cell", _checks.choice("cell", self.cell, CELLS))
        object.__setattr__(self, "output", _checks.choice("output", self.output, OUTPUTS))
        for name in ("weight_init", "recurrent_init"):
            object.__setattr__(self, name, _checks.choice("initialisation", getattr(self, name),
                                                          tuple(initialisers.INITIALISERS)))
        _checks.non_negative("recurrent_scale", self.recurrent_scale)
        _checks.real("forget_bias", self.forget_bias)

    # ---- parameters ---------------------------------------------------------------------------

    def init(self, rng):
        """Fresh parameters drawn from ``rng`` (a ``np.random.Generator`` or an int seed)."""
        rng = _checks.rng(rng)
        draw_in = initialisers.get(self.weight_init)
        scale_in = initialisers.DEFAULT_SCALE[self.weight_init]
        draw_rec = initialisers.get(self.recurrent_init)
        H = self.n_hidden
        if self.cell == "tanh":
            cell = {"W_xh": draw_in(rng, (self.n_in, H), scale_in),
                    "W_hh": draw_rec(rng, (H, H), self.recurrent_scale),
                    "b_h": np.zeros(H)}
        else:
            W_x = np.concatenate([draw_in(rng, (self.n_in, H), scale_in) for _ in range(4)], axis=1)
            W_h = np.concatenate([draw_rec(rng, (H, H), self.recurrent_scale) for _ in range(4)], axis=1)
            b = np.zeros(4 * H)
            b[H:2 * H] = self.forget_bias
            cell = {"W_x": W_x, "W_h": W_h, "b": b}
        out = {"W": draw_in(rng, (H, self.n_out), scale_in), "b": np.zeros(self.n_out)}
        return {"cell": cell, "out": out}

    # ---- forward pass -------------------------------------------------------------------------

    def apply(self, params, x, h0=None, return_state=False):
        """Outputs for the sequences ``x`` of shape (batch, T, n_in).

        Parameters
        ----------
        h0 : array of shape (batch, n_hidden), or for the LSTM a pair (h0, c0), optional
            Initial state (zeros when omitted).
        return_state : bool, default False
            Also return the final state (``h_T``, or ``(h_T, c_T)`` for the LSTM).

        Returns
        -------
        outputs or (outputs, state)
            Shape (batch, T, n_out) with ``output="all"``, (batch, n_out) with
            ``output="last"``.
        """
        out, carries = self._run(params, x, h0)
        return (out, carries[-1]) if return_state else out

    def _run(self, params, x, h0, offsets=None):
        self._check_inputs(x)
        carries = self.scan(params, x, h0, offsets)
        hs = [self._h(c) for c in carries]
        if self.output == "last":
            return np.reshape(self.read_out(params, hs[-1:]), (np.shape(x)[0], self.n_out)), carries
        return self.read_out(params, hs), carries

    def scan(self, params, x, carry=None, offsets=None):
        """Run the cell over the time steps of ``x``; the list of states after each step.

        ``carry`` is the state before the first step (None: zeros). ``offsets``
        (one array of shape (batch, n_hidden) per step, optional) are added to
        the hidden states as they are produced: the derivative of a loss with
        respect to them is :math:`\\partial L / \\partial h_t` (see
        :func:`optlib.nn.diagnostics.time_step_grad_norms`).
        """
        T = np.shape(x)[1]
        step = self._tanh_step if self.cell == "tanh" else self._lstm_step
        cell = params["cell"]
        carries = []
        for t in range(T):
            carry = step(cell, x[:, t], carry)
            if offsets is not None:
                carry = carry + offsets[t] if self.cell == "tanh" else (carry[0] + offsets[t], carry[1])
            carries.append(carry)
        return carries

    def read_out(self, params, hs):
        """Outputs :math:`y_t = h_t W_{hy} + b_y` for a list of hidden states, shape (batch, len(hs), n_out)."""
        n, H = np.shape(hs[0])
        stacked = np.reshape(np.stack(hs, axis=1), (n * len(hs), H))
        out = stacked @ params["out"]["W"] + params["out"]["b"]
        return np.reshape(out, (n, len(hs), self.n_out))

    def _h(self, carry):
        return carry if self.cell == "tanh" else carry[0]

    @staticmethod
    def _tanh_step(cell, x_t, h):
        a = x_t @ cell["W_xh"] + cell["b_h"]
        if h is not None:
            a = a + h @ cell["W_hh"]
        return np.tanh(a)

    def _lstm_step(self, cell, x_t, carry):
        H = self.n_hidden
        a = x_t @ cell["W_x"] + cell["b"]
        if carry is not None:
            h, c = carry
            a = a + h @ cell["W_h"]
        gates = sigmoid(a)
        i, f, o = gates[:, :H], gates[:, H:2 * H], gates[:, 3 * H:]
        g = np.tanh(a[:, 2 * H:3 * H])
        c = i * g if carry is None else f * c + i * g
        return (o * np.tanh(c), c)

    def _check_inputs(self, x):
        shape = np.shape(x)
        if len(shape) != 3 or shape[2] != self.n_in or shape[1] < 1:
            raise ValueError(f"x must have shape (batch, T, {self.n_in}) with T >= 1, got {shape}")


def bptt(model, params, x, y, loss, h0=None):
    r"""Loss and gradient by full backpropagation through time: ``value_and_grad`` of the unrolled network.

    Parameters
    ----------
    model : RNN
    params : pytree
    x : array of shape (batch, T, n_in)
    y : targets, passed to ``loss``
    loss : callable
        ``loss(outputs, y)`` -> scalar, with ``outputs`` as :meth:`RNN.apply` returns them.

    Returns
    -------
    (loss_value, grads)

    Notes
    -----
    For the tanh RNN with :math:`\delta_t = \partial L / \partial a_t` (the
    pre-activation) the backward pass is

    .. math::

        \frac{\partial L}{\partial h_t} = \frac{\partial \ell_t}{\partial h_t}
            + \delta_{t+1} W_{hh}^\top, \qquad
        \delta_t = \frac{\partial L}{\partial h_t} \odot (1 - h_t^2), \qquad
        \frac{\partial L}{\partial W_{hh}} = \sum_t h_{t-1}^\top \delta_t,

    summed over all time steps: the cost and memory grow linearly with T.

    References
    ----------
    :cite:`werbos1990`, :cite:`rumelhart1986`
    """
    return value_and_grad(lambda p: loss(model.apply(p, x, h0), y))(params)


def truncation_windows(T, k1, k2):
    r"""The windows of truncated BPTT(k1, k2) over T steps: a list of ``(start, first_loss, end)``.

    Every ``k1`` steps (and at the last step) there is an update; it counts the
    losses of the steps ``first_loss .. end - 1`` (the ones since the previous
    update) and backpropagates to step ``start = max(0, end - k2)``. Steps are
    numbered from 0.

    >>> truncation_windows(10, 4, 6)
    [(0, 0, 4), (2, 4, 8), (4, 8, 10)]
    """
    T = _checks.integer("T", T, minimum=1)
    k1 = _checks.integer("k1", k1, minimum=1)
    k2 = _checks.integer("k2", k2, minimum=1)
    if k2 < k1:
        raise ValueError(f"k2 (how far back gradients flow) must be >= k1 (how often to update), "
                         f"got k1={k1}, k2={k2}: otherwise some losses would reach no parameter "
                         f"through the recurrence")
    ends = list(range(k1, T, k1)) + [T]
    windows, first = [], 0
    for end in ends:
        windows.append((max(0, end - k2), first, end))
        first = end
    return windows


def truncated_bptt(model, params, x, y, loss, k1, k2, h0=None, opt=None, opt_state=None):
    r"""Truncated backpropagation through time, TBPTT(k1, k2), over one batch of sequences.

    Parameters
    ----------
    model : RNN
    params : pytree
    x : array of shape (batch, T, n_in)
    y : array of shape (batch, T, ...)
        Per-step targets.
    loss : callable
        ``loss(outputs, targets)`` -> scalar, for the outputs of shape
        (batch, n, n_out) and targets ``y[:, first:end]`` of one window.
    k1 : int
        How often to update: every ``k1`` steps.
    k2 : int
        How far back the gradients flow: ``k2 >= k1`` steps.
    h0 : optional
        Initial state (zeros when omitted).
    opt, opt_state : optional
        An optimizer of :mod:`optlib.optim` and its state: the parameters are
        updated after every window (online training). Without them the
        parameters stay fixed and only the gradients are returned.

    Returns
    -------
    dict
        ``params`` and ``opt_state`` after the last update, ``losses`` (one
        per window), ``grads`` (one pytree per window), ``windows``
        (:func:`truncation_windows`) and ``state``, the final hidden state.

    Notes
    -----
    At the end :math:`e` of each window the network is run from the stored
    state :math:`h_s`, :math:`s = \max(0, e - k_2)`, made a constant by
    ``stop_gradient``, through steps :math:`s, \dots, e - 1`, and the gradient of

    .. math::

        L_e = \mathrm{loss}\big(y_{f:e}, \hat y_{f:e}\big), \qquad f = \text{the previous window's end},

    is taken with respect to the current parameters: no path longer than
    :math:`k_2` steps contributes. States are kept from the most recent pass
    through each step. With :math:`k_1 = k_2 = T` there is one window, the whole
    sequence, and the result is exactly the full BPTT gradient (:func:`bptt`).

    References
    ----------
    :cite:`williams1990`
    """
    model._check_inputs(x)
    n, T = np.shape(x)[:2]
    if np.shape(y)[:2] != (n, T):
        raise ValueError(f"truncated_bptt needs per-step targets of shape ({n}, {T}, ...), got "
                         f"{np.shape(y)}")
    if (opt is None) != (opt_state is None):
        raise ValueError("pass both opt and opt_state (opt.init(params)), or neither")
    windows = truncation_windows(T, k1, k2)
    states = {0: stop_gradient(h0)}        # states[t]: the state before step t
    losses, grads = [], []
    for start, first, end in windows:
        carry = states[start]

        def window_loss(p, carry=carry, start=start, first=first, end=end):
            carries = model.scan(p, x[:, start:end], carry)
            hs = [model._h(c) for c in carries[first - start:]]
            return loss(model.read_out(p, hs), y[:, first:end]), carries

        (value, carries), g = value_and_grad(window_loss, has_aux=True)(params)
        for t, c in enumerate(carries, start=start + 1):
            states[t] = stop_gradient(c)
        losses.append(float(value))
        grads.append(g)
        if opt is not None:
            params, opt_state = opt.update(params, g, opt_state)
    return {"params": params, "opt_state": opt_state, "losses": np.array(losses), "grads": grads,
            "windows": windows, "state": states[T]}


def truncated_gradient(model, params, x, y, loss, k, h0=None):
    r"""The gradient of TBPTT(1, k) at fixed weights: the window gradients of every step, added up.

    Parameters
    ----------
    model : RNN
    params : pytree
    x : array of shape (batch, T, n_in)
    y : array of shape (batch, T, ...)
        Per-step targets.
    loss : callable
        ``loss(outputs, targets)`` -> scalar for the outputs and targets of some
        steps; it should add up over steps (a sum over steps, not a mean), so that
        the losses of single steps add up to the loss of the sequence.
    k : int
        How far back the gradients flow, :math:`k \ge 1` steps (its own counted).
    h0 : optional
        Initial state (zeros when omitted).

    Returns
    -------
    pytree
        :math:`g_k`, shaped like ``params``.

    Notes
    -----
    The loss :math:`\ell_t` of step :math:`t` is backpropagated through the
    :math:`k` steps :math:`t - k + 1, \dots, t` only, from the stored state
    :math:`h_{t-k}` made a constant; without an update in between, the sum over
    the steps is the gradient truncated to the lags :math:`j = 0, \dots, k - 1`,

    .. math::

        g_k = \sum_{j=0}^{k-1} G_j, \qquad
        G_j = \sum_{t=j+1}^{T} h_{t-j-1}^\top \left( \frac{\partial \ell_t}{\partial h_{t-j}}
        \odot \left(1 - h_{t-j}^2\right) \right) \quad \text{(for } W_{hh}\text{)}.

    For :math:`k \ge T` no path is cut and :math:`g_k` is the full BPTT gradient,
    which is then computed in one pass by :func:`bptt`. One update of training
    with :math:`g_k` costs about :math:`T k` steps; :func:`truncated_bptt` with
    ``k1=1`` gives the windows one by one (and can update after each).
    Taught in :chapter:`01_differentiation/bptt`.

    References
    ----------
    :cite:`williams1990`
    """
    model._check_inputs(x)
    k = _checks.integer("k", k, minimum=1)
    if k >= np.shape(x)[1]:
        return bptt(model, params, x, y, loss, h0)[1]
    run = truncated_bptt(model, params, x, y, loss, k1=1, k2=k, h0=h0)
    return _tree.tree_map(lambda *g: sum(g[1:], g[0]), *run["grads"])
