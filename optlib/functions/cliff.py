r"""The cliff of a one-unit recurrent network: the error surface of Pascanu, Mikolov and Bengio.

Taught in :chapter:`03_landscape/exploding_gradients` and :chapter:`03_landscape/gradient_clipping`.
"""
from __future__ import annotations

import numpy as np

from optlib import _checks
from optlib.functions.objective import Objective

__all__ = ["pascanu_cliff"]


def pascanu_cliff(steps=50, x0=0.5, target=0.7):
    r"""The loss of a one-unit recurrent network over its weight and bias: flat plateaus and a cliff.

    Taught in :chapter:`03_landscape/exploding_gradients` and
    :chapter:`03_landscape/gradient_clipping`.

    Parameters
    ----------
    steps : int, default 50
        The time steps :math:`T` the unit is run for.
    x0 : float, default 0.5
        Its starting state :math:`x_0`.
    target : float, default 0.7
        The state :math:`x^\star` the loss asks for at step :math:`T`.

    Returns
    -------
    Objective
        Of the two coordinates :math:`\theta = (w, b)`, the unit's weight and
        bias. Its minimum 0 is reached on a whole curve of :math:`(w, b)`, so
        ``minimizers`` is empty. Start :math:`(9, -1)`, window
        :math:`w \in [2, 12]`, :math:`b \in [-8, 3]`, which holds the cliff.

    Notes
    -----
    With the logistic sigmoid :math:`\sigma`,

    .. math::

        x_t = w\, \sigma(x_{t-1}) + b \quad (t = 1, \dots, T), \qquad
        L(w, b) = (x_T - x^\star)^2.

    For a large weight the map has two stable fixed points; which one
    :math:`x_t` settles in depends on :math:`(w, b)`, and near the boundary
    between their basins :math:`x_T` changes by a lot for a tiny change of the
    parameters. The surface is flat on either side and a cliff in between,
    where the gradient is orders of magnitude larger: a gradient step that
    lands on the cliff throws the parameters far away, which gradient clipping
    prevents. The defaults are those of the paper's figure.

    References
    ----------
    :cite:`pascanu2013`
    """
    steps = _checks.integer("steps", steps, minimum=1)
    x0 = _checks.real("x0", x0)
    target = _checks.real("target", target)

    def fun(theta):
        w, b = theta[0], theta[1]
        x = x0
        for _ in range(steps):
            x = w / (1 + np.exp(-x)) + b
        return (x - target) ** 2

    return Objective(
        name="Pascanu's cliff", fun=fun, dim=2, minimizers=(), minimum=0.0,
        bounds=((2.0, 12.0), (-8.0, 3.0)), start=np.array([9.0, -1.0]))
