"""The simulated clock of the simulators of synchronous and asynchronous SGD.

A worker's time to compute one gradient is drawn from a seeded distribution;
a straggler option slows some computations down. Taught in
:chapter:`06_distributed/synchronous_sgd` and :chapter:`06_distributed/asynchronous_sgd`.
"""
from __future__ import annotations

import numbers

from optlib import _checks

__all__ = ["default_compute_time", "compute_time_model"]

#: time units of one pull and push, and of one example's gradient, in the default model
FIXED_COST = 1.0
PER_EXAMPLE = 0.1
#: spread of the default model: the sigma of a log-normal factor of median 1
NOISE = 0.1


def default_compute_time(rng, examples: int) -> float:
    r"""The default time of one gradient: :math:`(c_0 + c_1 b)\, \varepsilon`.

    :math:`c_0` = ``FIXED_COST`` (1 time unit: the pull and the push),
    :math:`c_1` = ``PER_EXAMPLE`` (0.1 per example), :math:`b` the examples of
    the gradient, and :math:`\varepsilon` log-normal of median 1 and
    :math:`\sigma` = ``NOISE`` (0.1). With the fixed cost, halving the
    examples per worker less than halves its time: smaller per-worker batches
    are less efficient.
    """
    return (FIXED_COST + PER_EXAMPLE * examples) * rng.lognormal(0.0, NOISE)


def compute_time_model(compute_time, straggler):
    """``duration(rng, examples)``: one gradient's simulated time, from the simulators' two arguments.

    ``compute_time`` is None (:func:`default_compute_time`), a positive number
    (every gradient takes that long) or a function ``(rng, examples) -> time``.
    ``straggler`` is None or ``(probability, slowdown)``: each gradient, with
    that probability, takes ``slowdown`` times longer.
    """
    if compute_time is None:
        base = default_compute_time
    elif isinstance(compute_time, numbers.Real) and not isinstance(compute_time, bool):
        constant = _checks.positive("compute_time", compute_time)

        def base(rng, examples):
            return constant
    else:
        base = _checks.function("compute_time", compute_time,
                                "None, a positive number or a function (rng, examples) -> time")
    if straggler is None:
        probability, slowdown = 0.0, 1.0
    else:
        if isinstance(straggler, (str, bytes)) or not hasattr(straggler, "__len__") or len(straggler) != 2:
            raise TypeError(f"straggler must be None or a pair (probability, slowdown), got {straggler!r}")
        probability = _checks.probability("straggler probability", straggler[0])
        slowdown = _checks.in_interval("straggler slowdown", straggler[1], 1.0, float("inf"),
                                       closed="left", meaning="a factor of at least 1")

    def duration(rng, examples):
        time = base(rng, examples)
        if probability and rng.random() < probability:
            time *= slowdown
        if not time > 0 or time == float("inf"):
            raise ValueError(f"compute_time must give a positive finite time, got {time!r}")
        return float(time)

    return duration
