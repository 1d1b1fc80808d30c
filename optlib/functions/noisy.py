r"""The noisy quadratic model: a bowl whose gradients carry noise of a known size.

Its expected loss under SGD with any learning-rate schedule is known exactly,
so sampled runs can be checked against it and schedules compared without
sampling.
"""
from __future__ import annotations

import numpy as np

from optlib import _checks
from optlib.functions.objective import _vector

__all__ = ["NoisyQuadratic", "noisy_quadratic"]


def _rates(schedule, steps: int) -> np.ndarray:
    """The rates :math:`\\eta_0, \\dots, \\eta_{steps-1}` of a schedule (a callable of the step) or a constant."""
    if not callable(schedule):
        return np.full(steps, _checks.non_negative("schedule", schedule))
    try:
        rates = np.asarray(schedule(np.arange(steps)), dtype=np.float64)
        vectorised = rates.shape == (steps,)
    except (TypeError, ValueError):
        vectorised = False
    if not vectorised:  # a plain function of one int step
        rates = np.array([float(schedule(t)) for t in range(steps)], dtype=np.float64)
    if not np.all(np.isfinite(rates) & (rates >= 0)):
        bad = int(np.flatnonzero(~(np.isfinite(rates) & (rates >= 0)))[0])
        raise ValueError(f"the schedule must give non-negative finite rates, got {float(rates[bad])!r} at step {bad}")
    return rates


class NoisyQuadratic:
    r"""A quadratic bowl with noisy gradients, and the exact expected loss of SGD on it.

    Made by :func:`noisy_quadratic`. The coordinate axis is the *last* one
    here, unlike :class:`~optlib.functions.Objective`: many independent runs
    of SGD are the rows of one parameter array of shape ``(runs, d)``, and a
    recorded path has shape ``(steps + 1, runs, d)``.

    Attributes
    ----------
    curvatures : ndarray of shape (d,)
        :math:`h_1, \dots, h_d > 0` (read-only).
    sigma : float
        The size :math:`\sigma \ge 0` of the gradient noise.
    start : ndarray of shape (d,)
        The starting point :math:`\theta_0` (read-only).
    dim : int
        :math:`d`.
    """

    def __init__(self, curvatures, sigma, start):
        h = _vector("curvatures", curvatures)
        if np.any(h <= 0):
            raise ValueError(f"curvatures must be positive, got {h.tolist()}")
        start = _vector("start", start, h.size, f"to match curvatures of shape {h.shape}")
        h.setflags(write=False)
        start.setflags(write=False)
        self.curvatures, self.start, self.dim = h, start, int(h.size)
        self.sigma = _checks.non_negative("sigma", sigma)

    def __repr__(self):
        return (f"noisy_quadratic(curvatures={self.curvatures.tolist()}, sigma={self.sigma!r}, "
                f"start={self.start.tolist()})")

    @property
    def stability_limit(self) -> float:
        r"""The largest stable constant rate, :math:`2 / h_{\max}`: above it the noise floor is infinite."""
        return 2.0 / float(self.curvatures.max())

    def loss(self, theta):
        r""":math:`L(\theta) = \frac12 \sum_k h_k \theta_k^2`, over the last axis of ``theta`` (one loss per run)."""
        return 0.5 * (theta**2 @ self.curvatures)

    def gradient(self, theta):
        r"""The true gradient :math:`\nabla L(\theta) = (h_k \theta_k)_k`, for every row of ``theta``."""
        return self.curvatures * theta

    def value_and_noisy_grad(self, seed=0):
        r"""A function ``theta -> (mean loss, noisy gradient)`` for :func:`optlib.optim.run`.

        Parameters
        ----------
        seed : int or numpy.random.Generator, default 0
            Where the noise comes from; every call draws afresh.

        Returns
        -------
        callable
            ``theta`` of shape ``(d,)`` or ``(runs, d)`` gives the mean of
            :meth:`loss` over the runs and
            :math:`g = h \odot \theta + \sigma \xi`, with :math:`\xi` standard
            normal, drawn as ``sigma * rng.standard_normal(theta.shape)``.
        """
        rng = _checks.rng(seed, "seed")
        h, sigma = self.curvatures, self.sigma

        def value_and_noisy_grad(theta):
            noise = sigma * rng.standard_normal(np.shape(theta))
            return self.loss(theta).mean(), h * theta + noise

        return value_and_noisy_grad

    def expected_loss(self, schedule, steps: int) -> np.ndarray:
        r"""The exact :math:`\mathbb{E}[L(\theta_t)]` of SGD for :math:`t = 0, \dots, T`.

        Parameters
        ----------
        schedule : callable or float
            The learning rate :math:`\eta_t` of update :math:`t` (a schedule of
            :mod:`optlib.schedules`, any function of the step, or a constant).
        steps : int
            The number :math:`T \ge 0` of updates.

        Returns
        -------
        ndarray of shape (steps + 1,)

        Notes
        -----
        With :math:`\theta_{t+1} = \theta_t - \eta_t g_t`, each coordinate's
        second moment :math:`m_{k,t} = \mathbb{E}[\theta_{k,t}^2]` follows

        .. math::

            m_{k,t+1} = (1 - \eta_t h_k)^2 m_{k,t} + \eta_t^2 \sigma^2, \qquad
            m_{k,0} = \theta_{k,0}^2, \qquad
            \mathbb{E}[L(\theta_t)] = \tfrac12 \sum_k h_k m_{k,t}.
        """
        steps = _checks.integer("steps", steps, minimum=0)
        rates = _rates(schedule, steps)
        m = self.start**2
        out = np.empty(steps + 1)
        out[0] = 0.5 * self.curvatures @ m
        for t, lr in enumerate(rates, start=1):
            m = (1 - lr * self.curvatures) ** 2 * m + (lr * self.sigma) ** 2
            out[t] = 0.5 * self.curvatures @ m
        return out

    def final_losses(self, schedules, steps: int) -> np.ndarray:
        r"""The exact expected loss after ``steps`` updates, for each of many schedules at once.

        The recursion of :meth:`expected_loss`, run for all schedules side by
        side (one row each): ``final_losses(s, T)[j] == expected_loss(s[j], T)[-1]``.

        Returns
        -------
        ndarray of shape (len(schedules),)
        """
        steps = _checks.integer("steps", steps, minimum=0)
        schedules = list(schedules)
        rates = np.array([_rates(s, steps) for s in schedules]).reshape(len(schedules), steps)
        m = np.tile(self.start**2, (len(schedules), 1))
        for lr in rates.T[:, :, None]:                    # one step at a time
            m = (1 - lr * self.curvatures) ** 2 * m + (lr * self.sigma) ** 2
        return 0.5 * m @ self.curvatures

    def noise_floor(self, lr):
        r"""The expected loss at which SGD with the constant rate ``lr`` settles.

        Parameters
        ----------
        lr : float or array_like
            Rates :math:`\eta \ge 0`; an array gives an array of floors.

        Returns
        -------
        float or ndarray
            :math:`L_\infty(\eta) = \frac{\sigma^2}{2} \sum_k \frac{\eta}{2 - \eta h_k}`,
            the fixed point of the recursion of :meth:`expected_loss`
            (:math:`\approx d \sigma^2 \eta / 4` for small :math:`\eta`), and
            ``inf`` from the stability limit :math:`\eta \ge 2 / h_{\max}` on.
        """
        rates = _checks.real_array("lr", lr, finite=True)
        if np.any(rates < 0):
            raise ValueError(f"lr must be non-negative, got {rates[rates < 0].ravel()[0]!r}")
        denominator = 2 - rates[..., None] * self.curvatures
        with np.errstate(divide="ignore", invalid="ignore"):
            floor = 0.5 * self.sigma**2 * np.sum(rates[..., None] / denominator, axis=-1)
        floor = np.where(np.any(denominator <= 0, axis=-1), np.inf, floor)
        return float(floor) if floor.ndim == 0 else floor


def noisy_quadratic(curvatures, sigma, start) -> NoisyQuadratic:
    r"""The noisy quadratic model: a bowl :math:`L(\theta) = \frac12 \sum_k h_k \theta_k^2` with gradient noise.

    Parameters
    ----------
    curvatures : array_like of shape (d,)
        The curvatures :math:`h_k > 0` along the coordinate axes.
    sigma : float
        The size :math:`\sigma \ge 0` of the noise.
    start : array_like of shape (d,)
        The starting point :math:`\theta_0`.

    Returns
    -------
    NoisyQuadratic
        Its :meth:`~NoisyQuadratic.loss`, a seeded noisy gradient for
        :func:`optlib.optim.run`, the exact expected loss of SGD under any
        schedule and the noise floor of a constant rate.

    Notes
    -----
    The stochastic gradient is the true one plus fresh noise at every step,

    .. math:: g_{k,t} = h_k \theta_{k,t} + \sigma \xi_{k,t}, \qquad \xi_{k,t} \sim \mathcal N(0, 1)
              \text{ independent},

    so each coordinate of SGD evolves on its own,
    :math:`\theta_{k,t+1} = (1 - \eta_t h_k)\theta_{k,t} - \eta_t \sigma \xi_{k,t}`.
    Near a minimum any smooth loss looks like such a bowl in the eigenvectors
    of its Hessian.

    Taught in :chapter:`02_training/learning_rate_decay`.

    References
    ----------
    :cite:`schaul2013`, :cite:`zhang2019`

    Examples
    --------
    >>> from optlib import optim, schedules
    >>> problem = noisy_quadratic([1.0, 0.25], sigma=1.0, start=[4.0, 4.0])
    >>> run = optim.run(optim.SGD(lr=0.1), problem.value_and_noisy_grad(seed=0),
    ...                 np.tile(problem.start, (400, 1)), 300)
    >>> round(problem.noise_floor(0.1), 4)
    0.0516
    """
    return NoisyQuadratic(curvatures, sigma, start)
