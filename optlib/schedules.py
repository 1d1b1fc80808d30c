r"""Learning-rate schedules: callables from the step (or epoch) to the learning rate.

Each constructor returns a :class:`Schedule`. Calling it with an int gives a
float; with an array of ints, an array of learning rates, so a whole schedule
is drawn with ``schedule(np.arange(n))``. A schedule returns the absolute
learning rate and can be passed as ``lr`` to any optimizer of
:mod:`optlib.optim` (update ``t``, counted from 0, uses ``schedule(t)``).

Steps are integers from 0 to :data:`MAX_STEP` (:math:`2^{63} - 1`, the int64
range), and every formula is computed without overflow in that range; a larger
step raises ValueError rather than wrap around. Hyper-parameters are checked
with :mod:`optlib._checks`: a wrong type raises TypeError, a bad value
ValueError.

Defined here, taught in :chapter:`02_training/learning_rate_decay` and
:chapter:`02_training/cosine_decay`.

A schedule called with one int step (what an optimizer does at every update)
takes a fast path through the same formulas, so it costs a few microseconds,
and it gives exactly the value that the step has in an array of steps.
"""
from __future__ import annotations

import math
import numbers
from typing import Callable

import numpy as np

from optlib import _checks

__all__ = [
    "MAX_STEP",
    "Schedule",
    "constant",
    "step_decay",
    "multistep_decay",
    "exponential_decay",
    "exponential_ramp",
    "inverse_time_decay",
    "cosine_annealing",
    "cosine_warm_restarts",
    "linear_warmup",
    "per_epoch",
    "restart_epochs",
]


class Schedule:
    """A learning-rate schedule: ``formula(t, **hyper)`` evaluated on non-negative integer steps.

    Parameters
    ----------
    name : str
        The constructor's name (for ``repr``).
    formula : callable
        Vectorised ``formula(t, **hyper)`` for an int64 array ``t``.
    **hyper
        The schedule's hyper-parameters, readable as attributes.
    """

    def __init__(self, name: str, formula: Callable, **hyper):
        self.name, self.formula, self.hyper = name, formula, hyper

    def __getattr__(self, key):
        hyper = self.__dict__.get("hyper", {})
        if key in hyper:
            return hyper[key]
        raise AttributeError(key)

    def __call__(self, step):
        # The formula always sees a 1-D array of steps: NumPy's vectorised power (and others) may round
        # differently from its scalar versions, and one step must get exactly the value it has in an
        # array of steps. One int step, what an optimizer asks at every update, skips the checks that
        # arrays need (a few microseconds instead of about 25).
        if type(step) is int or isinstance(step, np.integer):
            k = int(step)
            if 0 <= k <= MAX_STEP:
                value = self.formula(np.array([k], dtype=np.int64), **self.hyper)
                return float(value[0] if np.ndim(value) else value)
        t = _steps(step)
        flat = t.reshape(-1)
        value = np.asarray(self.formula(flat, **self.hyper), dtype=np.float64)
        value = np.broadcast_to(value, flat.shape).reshape(t.shape)
        return float(value) if t.ndim == 0 else value.copy()

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.hyper.items())
        return f"{self.name}({args})"


#: The largest step a schedule takes, :math:`2^{63} - 1`: steps are int64 inside (one step per
#: nanosecond would take 292 years to get there).
MAX_STEP = int(np.iinfo(np.int64).max)


def _steps(step) -> np.ndarray:
    """``step`` as an int64 array, after checking that every entry is an integer from 0 to MAX_STEP.

    TypeError for a bool or a non-number; ValueError for a negative, fractional
    or too large step (which int64 would silently wrap around).
    """
    if isinstance(step, (bool, np.bool_)):
        raise TypeError(f"step must be an int or an array of ints, got {step!r}")
    arr = np.asarray(step)
    if arr.dtype.kind == "O":  # Python ints beyond the int64 range, or no numbers at all
        if not all(isinstance(s, numbers.Integral) and not isinstance(s, (bool, np.bool_)) for s in arr.flat):
            raise TypeError(f"step must be an int or an array of ints, got {step!r}")
        values = [int(s) for s in arr.flat]
        low, high = min(values, default=0), max(values, default=0)
    elif arr.dtype.kind == "f":
        if not np.all(np.isfinite(arr) & (arr == np.floor(arr))):
            raise ValueError(f"step must hold integers, got {step!r}")
        low, high = float(np.min(arr, initial=0)), float(np.max(arr, initial=0))
    elif arr.dtype.kind in "iu":
        low, high = int(np.min(arr, initial=0)), int(np.max(arr, initial=0))
    else:
        raise TypeError(f"step must be an int or an array of ints, got {step!r}")
    if low < 0:
        raise ValueError(f"step must be >= 0, got {step!r}")
    if high > MAX_STEP:  # Python compares ints and floats exactly
        raise ValueError(f"step must be at most MAX_STEP = 2**63 - 1 = {MAX_STEP}, got {step!r}")
    return arr.astype(np.int64)


def _evaluate(schedule, t: np.ndarray) -> np.ndarray:
    """Any schedule at the steps ``t``: vectorised for :class:`Schedule`, one call per step otherwise."""
    if isinstance(schedule, Schedule):  # t comes from checked steps: straight to the formula
        flat = t.reshape(-1)
        value = np.asarray(schedule.formula(flat, **schedule.hyper), dtype=np.float64)
        if value.shape != flat.shape:
            value = np.broadcast_to(value, flat.shape)
        return value.reshape(t.shape)
    values = [float(schedule(int(s))) for s in t.ravel()]
    return np.array(values, dtype=np.float64).reshape(t.shape)


def _step_count(name: str, value, minimum: int = 1) -> int:
    """``value`` as an int, if it is an integer from ``minimum`` to MAX_STEP (a number of steps)."""
    n = _checks.integer(name, value, minimum=minimum)
    if n > MAX_STEP:
        raise ValueError(f"{name} must be at most MAX_STEP = 2**63 - 1, got {n}")
    return n


# --------------------------------------------------------------------------- formulas


def _constant(t, lr):
    return np.full(t.shape, lr)


def _step_decay(t, lr, step_size, gamma):
    return lr * gamma ** (t // step_size)


def _multistep_decay(t, lr, milestones, gamma):
    passed = np.searchsorted(np.array(milestones, dtype=np.int64), t, side="right")  # milestones <= t
    return lr * gamma**passed


def _exponential_decay(t, lr, gamma):
    return lr * gamma**t


def _exponential_ramp(t, start_lr, end_lr, steps):
    ramp = start_lr * (end_lr / start_lr) ** (np.minimum(t, steps) / steps)
    return np.where(t >= steps, end_lr, ramp)  # exactly end_lr from step `steps` on


def _inverse_time_decay(t, lr, decay):
    return lr / (1 + decay * t)


def _cosine(t_cur, t_i, max_lr, min_lr):
    return min_lr + (max_lr - min_lr) * (1 + np.cos(np.pi * t_cur / t_i)) / 2


def _cosine_annealing(t, max_lr, min_lr, t_max):
    return _cosine(np.minimum(t, t_max), t_max, max_lr, min_lr)


def _restart_period(t, t_0, t_mult):
    """(T_cur, T_i): steps since the last restart (int64, exact) and the current period's length (float64).

    Period :math:`i` starts at :math:`S_i = T_0 (1 + m + \\dots + m^{i-1})` and
    lasts :math:`T_0 m^i`. The starts up to the largest step are listed with
    Python ints, which cannot overflow, and are few: each period is at least
    twice the one before (m >= 2), so at most 64 start below MAX_STEP.
    """
    if t_mult == 1:
        return t % t_0, np.full(t.shape, float(t_0))
    if t.size == 1:  # one step (an optimizer's update): the same walk, without building arrays
        step, start, length = int(t.reshape(-1)[0]), 0, t_0
        while start + length <= step:
            start, length = start + length, length * t_mult
        t_i = float(length) if length.bit_length() < 1024 else math.inf
        return t - start, np.full(t.shape, t_i)
    last = int(np.max(t, initial=0))
    starts, lengths = [0], [t_0]
    while starts[-1] + lengths[-1] <= last:
        starts.append(starts[-1] + lengths[-1])
        lengths.append(lengths[-1] * t_mult)
    starts = np.array(starts, dtype=np.int64)  # all <= last <= MAX_STEP
    # a period longer than 2**1023 steps outlasts any step: its ratio T_cur / T_i is 0 to within 1e-289
    lengths = np.array([float(n) if n.bit_length() < 1024 else math.inf for n in lengths])
    i = np.searchsorted(starts, t, side="right") - 1
    return t - starts[i], lengths[i]


def _cosine_warm_restarts(t, max_lr, min_lr, t_0, t_mult):
    t_cur, t_i = _restart_period(t, t_0, t_mult)
    return _cosine(t_cur, t_i, max_lr, min_lr)


def _linear_warmup(t, schedule, warmup_steps, start_lr):
    after = _evaluate(schedule, np.maximum(t - warmup_steps, 0))
    target = _evaluate(schedule, np.zeros((), dtype=np.int64))
    ramp = start_lr + (target - start_lr) * t / max(warmup_steps, 1)
    return np.where(t < warmup_steps, ramp, after)


def _per_epoch(t, schedule, steps_per_epoch):
    return _evaluate(schedule, t // steps_per_epoch)


# --------------------------------------------------------------------------- constructors


def constant(lr: float) -> Schedule:
    r"""The same learning rate at every step: :math:`\gamma_t = \gamma`."""
    return Schedule("constant", _constant, lr=_checks.non_negative("lr", lr))


def step_decay(lr: float, step_size: int, gamma: float) -> Schedule:
    r"""Multiply by ``gamma`` every ``step_size`` steps (``torch.optim.lr_scheduler.StepLR``).

    Parameters
    ----------
    lr : float
        Initial learning rate :math:`\gamma_0`.
    step_size : int
        Period :math:`s \ge 1` of the decay.
    gamma : float
        Factor :math:`\rho \in (0, 1]`.

    Notes
    -----
    .. math:: \gamma_t = \gamma_0 \, \rho^{\lfloor t / s \rfloor}
    """
    return Schedule("step_decay", _step_decay, lr=_checks.non_negative("lr", lr),
                    step_size=_step_count("step_size", step_size),
                    gamma=_checks.in_interval("gamma", gamma, 0.0, 1.0, closed="right"))


def multistep_decay(lr: float, milestones, gamma: float = 0.1) -> Schedule:
    r"""Multiply by ``gamma`` at each of the given steps (``torch.optim.lr_scheduler.MultiStepLR``).

    Parameters
    ----------
    lr : float
        Initial learning rate :math:`\gamma_0`.
    milestones : sequence of int
        The steps :math:`m_1 < m_2 < \dots` at which the rate drops, strictly
        increasing, from 0 to :data:`MAX_STEP`.
    gamma : float, default 0.1
        Factor :math:`\rho \in (0, 1]` applied at every milestone.

    Notes
    -----
    With :math:`N(t) = \#\{j : m_j \le t\}` the number of milestones reached by step :math:`t`,

    .. math:: \gamma_t = \gamma_0 \, \rho^{N(t)},

    PyTorch's documented rule: the rate drops *at* a milestone, so step
    :math:`m_1` already has :math:`\gamma_0 \rho`. Evenly spaced milestones
    :math:`s, 2s, 3s, \dots` give :func:`step_decay` with period :math:`s`.

    Taught in :chapter:`02_training/learning_rate_decay`.

    References
    ----------
    :cite:`he2016`
    """
    if isinstance(milestones, (str, bytes)) or not hasattr(milestones, "__iter__"):
        raise TypeError(f"milestones must be a sequence of ints, got {milestones!r}")
    steps = tuple(_step_count(f"milestones[{j}]", m, minimum=0) for j, m in enumerate(milestones))
    for j in range(1, len(steps)):
        if steps[j] <= steps[j - 1]:
            raise ValueError(f"milestones must be strictly increasing, got {steps[j - 1]} before {steps[j]} "
                             f"in {list(steps)}")
    return Schedule("multistep_decay", _multistep_decay, lr=_checks.non_negative("lr", lr),
                    milestones=steps, gamma=_checks.in_interval("gamma", gamma, 0.0, 1.0, closed="right"))


def exponential_decay(lr: float, gamma: float) -> Schedule:
    r"""Multiply by ``gamma`` every step (``torch.optim.lr_scheduler.ExponentialLR``).

    Notes
    -----
    .. math:: \gamma_t = \gamma_0 \, \rho^{t}, \qquad \rho = \text{gamma} \in (0, 1]
    """
    return Schedule("exponential_decay", _exponential_decay, lr=_checks.non_negative("lr", lr),
                    gamma=_checks.in_interval("gamma", gamma, 0.0, 1.0, closed="right"))


def exponential_ramp(start_lr: float, end_lr: float, steps: int) -> Schedule:
    r"""Raise the rate geometrically from ``start_lr`` to ``end_lr`` in ``steps`` steps, then hold it.

    The schedule of the learning-rate range test: every step multiplies the
    rate by the same factor :math:`\rho > 1`, so a run sweeps the rates
    evenly on a logarithmic axis. (:func:`exponential_decay` is the same
    rule with :math:`\rho \le 1`.)

    Parameters
    ----------
    start_lr : float
        Rate :math:`\gamma_0 > 0` at step 0.
    end_lr : float
        Rate :math:`\gamma_{\text{end}} \ge \gamma_0` reached at step ``steps``.
    steps : int
        Length :math:`T \ge 1` of the ramp.

    Notes
    -----
    .. math::

        \gamma_t = \gamma_0 \, \rho^{\min(t, T)}, \qquad
        \rho = \Big(\frac{\gamma_{\text{end}}}{\gamma_0}\Big)^{1/T},

    computed as :math:`\gamma_0 (\gamma_{\text{end}} / \gamma_0)^{\min(t, T)/T}`
    (no rounding error piles up over the steps); from step :math:`T` on the
    rate is exactly :math:`\gamma_{\text{end}}`.

    It is the schedule of the range test in :chapter:`02_training/learning_rate`.

    References
    ----------
    :cite:`smith2017`
    """
    start_lr = _checks.positive("start_lr", start_lr)
    end_lr = _checks.positive("end_lr", end_lr)
    if end_lr < start_lr:
        raise ValueError(f"end_lr must be at least start_lr (a ramp goes up; exponential_decay goes down), "
                         f"got start_lr={start_lr!r}, end_lr={end_lr!r}")
    return Schedule("exponential_ramp", _exponential_ramp, start_lr=start_lr, end_lr=end_lr,
                    steps=_step_count("steps", steps))


def inverse_time_decay(lr: float, decay: float) -> Schedule:
    r"""Decay like :math:`1/t`, the classical Robbins-Monro step size.

    Notes
    -----
    .. math:: \gamma_t = \frac{\gamma_0}{1 + \kappa t}, \qquad \kappa = \text{decay} \ge 0

    References
    ----------
    :cite:`robbins1951`, :cite:`bottou2012`
    """
    return Schedule("inverse_time_decay", _inverse_time_decay, lr=_checks.non_negative("lr", lr),
                    decay=_checks.non_negative("decay", decay))


def _check_range(max_lr, min_lr):
    max_lr, min_lr = _checks.non_negative("max_lr", max_lr), _checks.non_negative("min_lr", min_lr)
    if min_lr > max_lr:
        raise ValueError(f"min_lr must not exceed max_lr, got min_lr={min_lr!r}, max_lr={max_lr!r}")
    return max_lr, min_lr


def cosine_annealing(max_lr: float, min_lr: float, t_max: int) -> Schedule:
    r"""Half a cosine from ``max_lr`` down to ``min_lr`` over ``t_max`` steps, then ``min_lr``.

    Parameters
    ----------
    max_lr, min_lr : float
        :math:`\gamma_{\max} \ge \gamma_{\min} \ge 0`.
    t_max : int
        Length :math:`T \ge 1` of the decay.

    Notes
    -----
    .. math::

        \gamma_t = \gamma_{\min} + \tfrac12 (\gamma_{\max} - \gamma_{\min})
                   \Big(1 + \cos\frac{\pi \min(t, T)}{T}\Big)

    For :math:`t \le T` these are the values of
    ``torch.optim.lr_scheduler.CosineAnnealingLR``; after :math:`T` the
    schedule stays at :math:`\gamma_{\min}` (PyTorch's would rise again).

    References
    ----------
    :cite:`loshchilov2017`
    """
    max_lr, min_lr = _check_range(max_lr, min_lr)
    return Schedule("cosine_annealing", _cosine_annealing, max_lr=max_lr, min_lr=min_lr,
                    t_max=_step_count("t_max", t_max))


def cosine_warm_restarts(max_lr: float, min_lr: float, t_0: int, t_mult: int = 1) -> Schedule:
    r"""Cosine annealing restarted every period, periods growing by ``t_mult`` (SGDR).

    Parameters
    ----------
    max_lr, min_lr : float
        :math:`\eta_{\max} \ge \eta_{\min} \ge 0`.
    t_0 : int
        Length :math:`T_0 \ge 1` of the first period.
    t_mult : int, default 1
        Each period is :math:`T_{\text{mult}} \ge 1` times longer than the one before
        (any integer: the periods are computed without overflow).

    Notes
    -----
    At epoch :math:`t`, with :math:`T_i = T_0 T_{\text{mult}}^i` the length of the
    current period and :math:`T_{\text{cur}}` the epochs since its start
    (:math:`0 \le T_{\text{cur}} < T_i`),

    .. math::

        \eta_t = \eta_{\min} + \tfrac12 (\eta_{\max} - \eta_{\min})
                 \Big(1 + \cos\frac{\pi T_{\text{cur}}}{T_i}\Big),

    so the rate is :math:`\eta_{\max}` at every restart and reaches
    :math:`\eta_{\min}` only in the limit. These are the values of
    ``torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(T_0, T_mult, eta_min)``
    at integer epochs with the optimizer's ``lr`` as ``max_lr``, computed with
    integer arithmetic for the period boundaries (exact right before and at a
    restart).

    The restarts :math:`S_i = T_0 (T_{\text{mult}}^i - 1) / (T_{\text{mult}} - 1)`
    are computed exactly, as Python integers, so :math:`T_{\text{cur}} = t - S_i`
    is exact for every step; only :math:`T_i`, which may exceed the int64 range
    (``t_mult=2**62``, say), is rounded to a float64. Both roundings in
    :math:`T_{\text{cur}} / T_i` are relative errors of at most :math:`2^{-53}`,
    so :math:`\eta_t` is off by at most :math:`2\pi \cdot 2^{-53}
    (\eta_{\max} - \eta_{\min}) < 10^{-15} (\eta_{\max} - \eta_{\min})`.

    References
    ----------
    :cite:`loshchilov2017`
    """
    max_lr, min_lr = _check_range(max_lr, min_lr)
    return Schedule("cosine_warm_restarts", _cosine_warm_restarts, max_lr=max_lr, min_lr=min_lr,
                    t_0=_step_count("t_0", t_0), t_mult=_checks.integer("t_mult", t_mult, minimum=1))


def linear_warmup(schedule: Callable, warmup_steps: int, start_lr: float = 0.0) -> Schedule:
    r"""Ramp linearly from ``start_lr`` to ``schedule(0)`` over ``warmup_steps`` steps, then follow ``schedule``.

    Parameters
    ----------
    schedule : callable
        The schedule to follow after the warm-up (a :class:`Schedule`, or any
        function of an int step).
    warmup_steps : int
        Length :math:`W \ge 0` of the warm-up.
    start_lr : float, default 0.0
        Learning rate at step 0.

    Notes
    -----
    .. math::

        \gamma_t = \begin{cases}
            \gamma_{\text{start}} + (s(0) - \gamma_{\text{start}}) \, t / W & t < W \\
            s(t - W) & t \ge W \end{cases}

    The wrapped schedule :math:`s` starts when the warm-up ends, so the rate
    is continuous at :math:`t = W`.

    References
    ----------
    :cite:`goyal2017`
    """
    _checks.function("schedule", schedule, "a schedule")
    return Schedule("linear_warmup", _linear_warmup, schedule=schedule,
                    warmup_steps=_step_count("warmup_steps", warmup_steps, minimum=0),
                    start_lr=_checks.non_negative("start_lr", start_lr))


def per_epoch(schedule: Callable, steps_per_epoch: int) -> Schedule:
    r"""Turn an epoch-indexed schedule into a step-indexed one: :math:`\gamma_t = s(\lfloor t / n \rfloor)`.

    Parameters
    ----------
    schedule : callable
        Learning rate as a function of the epoch.
    steps_per_epoch : int
        Number :math:`n \ge 1` of updates per epoch.
    """
    _checks.function("schedule", schedule, "a schedule")
    return Schedule("per_epoch", _per_epoch, schedule=schedule,
                    steps_per_epoch=_step_count("steps_per_epoch", steps_per_epoch))


def restart_epochs(t_0: int, t_mult: int, last: int) -> list:
    r"""The warm restarts :math:`S_1 < S_2 < \dots \le` ``last`` of :func:`cosine_warm_restarts`.

    Parameters
    ----------
    t_0 : int
        Length :math:`T_0 \ge 1` of the first period.
    t_mult : int
        Growth :math:`T_{\text{mult}} \ge 1` of the periods.
    last : int
        The last epoch of interest, :math:`\ge 0`.

    Returns
    -------
    list of int
        Every restart :math:`S_i \le` ``last``, :math:`i \ge 1` (empty when
        :math:`T_0 >` ``last``), as Python ints. After :math:`S_i` epochs of
        training, period :math:`i - 1` has just ended, so these are also the
        epochs at which the rate is lowest just before.

    Notes
    -----
    Period :math:`i` lasts :math:`T_i = T_0 T_{\text{mult}}^i` epochs and starts at

    .. math:: S_i = S_{i-1} + T_{i-1} = T_0 \big(1 + T_{\text{mult}} + \dots + T_{\text{mult}}^{\,i-1}\big),
              \qquad S_0 = 0,

    which is computed with Python integers, exactly for every size. The
    schedule is :math:`\eta_{\max}` at exactly these epochs (and at 0).
    With :math:`T_{\text{mult}} = 1` there are :math:`\lfloor \text{last} / T_0 \rfloor`
    of them, all listed.

    Taught in :chapter:`02_training/cosine_decay`.
    """
    t_0 = _step_count("t_0", t_0)
    t_mult = _checks.integer("t_mult", t_mult, minimum=1)
    last = _checks.integer("last", last, minimum=0)
    if t_mult == 1:
        return list(range(t_0, last + 1, t_0))
    restarts, period = [], t_0
    start = t_0                          # S_1
    while start <= last:
        restarts.append(start)
        period *= t_mult                 # T_i
        start += period                  # S_(i+1) = S_i + T_i
    return restarts
