"""optlib.schedules: formulas, vectorisation, SGDR restarts, wrappers, validation."""
import contextlib
import math
import pickle
import signal

import numpy as np
import pytest

from optlib import schedules as S


def test_constant():
    s = S.constant(0.1)
    assert s(0) == 0.1 and s(10**6) == 0.1
    np.testing.assert_array_equal(s(np.arange(3)), [0.1, 0.1, 0.1])


def test_step_decay_is_torch_steplr():
    s = S.step_decay(1.0, step_size=3, gamma=0.5)
    assert [s(t) for t in range(8)] == [1, 1, 1, 0.5, 0.5, 0.5, 0.25, 0.25]


def test_exponential_decay():
    s = S.exponential_decay(2.0, 0.9)
    assert s(0) == 2.0 and s(3) == pytest.approx(2.0 * 0.729)


def test_inverse_time_decay():
    s = S.inverse_time_decay(1.0, decay=0.5)
    assert [s(t) for t in range(4)] == pytest.approx([1.0, 1 / 1.5, 0.5, 1 / 2.5])


def test_cosine_annealing_endpoints_and_after_t_max():
    s = S.cosine_annealing(max_lr=1.0, min_lr=0.1, t_max=10)
    assert s(0) == 1.0 and s(10) == pytest.approx(0.1) and s(5) == pytest.approx(0.55)
    assert s(11) == s(50) == pytest.approx(0.1)
    values = s(np.arange(11))
    assert np.all(np.diff(values) < 0)


def sgdr_formula(t, max_lr, min_lr, t_0, t_mult):
    """Loshchilov & Hutter, eq. (5): walk through the periods T_i = t_0 t_mult^i."""
    t_i, t_cur = t_0, t
    while t_cur >= t_i:
        t_cur -= t_i
        t_i *= t_mult
    return min_lr + 0.5 * (max_lr - min_lr) * (1 + math.cos(math.pi * (t_cur / t_i)))  # int / int: exact


@pytest.mark.parametrize("t_0, t_mult", [(1, 1), (4, 1), (2, 2), (3, 3), (10, 2)])
def test_cosine_warm_restarts_follow_the_sgdr_formula(t_0, t_mult):
    s = S.cosine_warm_restarts(0.5, 0.01, t_0, t_mult)
    t = np.arange(200)
    np.testing.assert_allclose(s(t), [sgdr_formula(k, 0.5, 0.01, t_0, t_mult) for k in t], rtol=1e-13)


def test_cosine_warm_restarts_around_a_restart():
    s = S.cosine_warm_restarts(1.0, 0.0, t_0=3, t_mult=2)  # restarts at 3, 9, 21, 45, ...
    for restart, period in [(3, 6), (9, 12), (21, 24), (45, 48)]:
        assert s(restart) == 1.0
        assert s(restart - 1) < 0.5  # the last epoch of the previous period is low
        assert s(restart + 1) == pytest.approx(0.5 * (1 + math.cos(math.pi / period)))


def test_cosine_warm_restarts_at_large_epochs_are_exact():
    # float logarithms would misplace some restarts; integer arithmetic does not
    s = S.cosine_warm_restarts(1.0, 0.0, t_0=1, t_mult=3)
    restarts = np.cumsum([3**i for i in range(25)])  # 1, 4, 13, 40, ...
    np.testing.assert_array_equal(s(restarts), 1.0)
    assert np.all(s(restarts - 1)[1:] < 1.0)  # epoch 0 is the start of the first period


def test_linear_warmup_ramps_then_follows_the_schedule_shifted():
    inner = S.cosine_annealing(1.0, 0.0, 10)
    s = S.linear_warmup(inner, warmup_steps=4, start_lr=0.2)
    assert [s(t) for t in range(5)] == pytest.approx([0.2, 0.4, 0.6, 0.8, 1.0])
    assert [s(t) for t in range(4, 15)] == pytest.approx([inner(t) for t in range(11)])
    assert S.linear_warmup(inner, 0)(3) == inner(3)


def test_linear_warmup_accepts_a_plain_function():
    s = S.linear_warmup(lambda t: 0.5 / (1 + t), warmup_steps=2)
    np.testing.assert_allclose(s(np.arange(5)), [0.0, 0.25, 0.5, 0.25, 0.5 / 3])


def test_per_epoch():
    s = S.per_epoch(S.step_decay(1.0, 1, 0.5), steps_per_epoch=3)
    assert [s(t) for t in range(7)] == [1, 1, 1, 0.5, 0.5, 0.5, 0.25]


@pytest.mark.parametrize("schedule", [
    S.constant(0.3), S.step_decay(0.1, 7, 0.3), S.exponential_decay(0.1, 0.99),
    S.inverse_time_decay(0.1, 0.01), S.cosine_annealing(0.1, 0.0, 50),
    S.cosine_warm_restarts(0.1, 0.001, 5, 2), S.linear_warmup(S.exponential_decay(0.1, 0.9), 10),
    S.per_epoch(S.cosine_warm_restarts(0.1, 0.0, 3), 4),
], ids=repr)
def test_vectorised_equals_scalar_calls(schedule):
    t = np.arange(120).reshape(12, 10)
    values = schedule(t)
    assert values.shape == (12, 10) and values.dtype == np.float64
    assert all(isinstance(schedule(int(k)), float) for k in (0, 7))
    np.testing.assert_array_equal(values.ravel(), [schedule(int(k)) for k in t.ravel()])
    again = pickle.loads(pickle.dumps(schedule))
    np.testing.assert_array_equal(again(t), values)


def test_hyper_parameters_are_readable():
    s = S.cosine_warm_restarts(0.1, 0.0, 5, 2)
    assert (s.max_lr, s.min_lr, s.t_0, s.t_mult) == (0.1, 0.0, 5, 2)
    assert repr(s) == "cosine_warm_restarts(max_lr=0.1, min_lr=0.0, t_0=5, t_mult=2)"


@pytest.mark.parametrize("make, message", [
    (lambda: S.constant(-0.1), r"lr must be a non-negative finite number, got -0\.1"),
    (lambda: S.constant(math.nan), "lr must be a non-negative finite number, got nan"),
    (lambda: S.step_decay(0.1, 0, 0.5), "step_size must be an integer >= 1, got 0"),
    (lambda: S.step_decay(0.1, 2, 1.5), r"gamma must lie in \(0, 1\], got 1\.5"),
    (lambda: S.step_decay(0.1, 2**63, 0.5), r"step_size must be at most MAX_STEP = 2\*\*63 - 1"),
    (lambda: S.exponential_decay(0.1, 0.0), r"gamma must lie in \(0, 1\], got 0\.0"),
    (lambda: S.inverse_time_decay(0.1, -1.0), r"decay must be a non-negative finite number, got -1\.0"),
    (lambda: S.cosine_annealing(0.1, 0.2, 10), r"min_lr must not exceed max_lr"),
    (lambda: S.cosine_annealing(0.1, 0.0, 0), "t_max must be an integer >= 1, got 0"),
    (lambda: S.cosine_warm_restarts(0.1, 0.0, 0), "t_0 must be an integer >= 1, got 0"),
    (lambda: S.cosine_warm_restarts(0.1, 0.0, 5, 0), "t_mult must be an integer >= 1, got 0"),
    (lambda: S.linear_warmup(S.constant(0.1), -1), "warmup_steps must be an integer >= 0, got -1"),
    (lambda: S.per_epoch(S.constant(0.1), 0), "steps_per_epoch must be an integer >= 1, got 0"),
])
def test_bad_arguments(make, message):
    with pytest.raises(ValueError, match=message):
        make()


@pytest.mark.parametrize("make, message", [
    (lambda: S.constant("0.1"), r"lr must be a real number, got '0\.1' \(str\)"),
    (lambda: S.step_decay(0.1, 2.0, 0.5), r"step_size must be an integer, got 2\.0"),
    (lambda: S.step_decay(0.1, 2, None), "gamma must be a real number, got None"),
    (lambda: S.cosine_warm_restarts(0.1, 0.0, 5, 1.5), r"t_mult must be an integer, got 1\.5"),
    (lambda: S.cosine_annealing(0.1, True, 10), "min_lr must be a real number, got True"),
    (lambda: S.linear_warmup(0.1, 5), "schedule must be a schedule"),
    (lambda: S.per_epoch(S.constant(0.1), "3"), "steps_per_epoch must be an integer, got '3'"),
])
def test_arguments_of_the_wrong_type_are_type_errors(make, message):
    with pytest.raises(TypeError, match=message):
        make()


def test_bad_steps():
    s = S.constant(0.1)
    with pytest.raises(ValueError, match="step must be >= 0, got -1"):
        s(-1)
    with pytest.raises(ValueError, match="step must hold integers"):
        s(1.5)
    with pytest.raises(TypeError, match="step must be an int or an array of ints"):
        s("3")
    assert s(2.0) == 0.1
    with pytest.raises(TypeError, match="step must be an int or an array of ints"):
        s(np.array([True, False]))


# --------------------------------------------------------------------------- huge steps and periods


@contextlib.contextmanager
def time_limit(seconds):
    """Raise TimeoutError in the block after ``seconds``: a loop that never ends fails the test instead."""
    def give_up(signum, frame):
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, give_up)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("schedule", [
    S.constant(0.3), S.step_decay(1.0, 2, 0.5), S.exponential_decay(1.0, 0.9), S.inverse_time_decay(1.0, 1.0),
    S.cosine_annealing(1.0, 0.1, 10), S.cosine_warm_restarts(1.0, 0.0, 3, 2),
    S.linear_warmup(S.constant(1.0), 5), S.per_epoch(S.constant(0.5), 7),
], ids=repr)
@pytest.mark.parametrize("step", [2**63, 2**64 + 5, np.uint64(2**63), np.array([1, 2**63], dtype=np.uint64),
                                  [0, 2**70], np.array([2.0**63])],
                         ids=["2**63", "2**64+5", "uint64", "uint64-array", "list", "float"])
def test_a_step_beyond_the_int64_range_raises_instead_of_wrapping_around(schedule, step):
    with pytest.raises(ValueError, match=r"step must be at most MAX_STEP = 2\*\*63 - 1"):
        schedule(step)


def test_the_largest_step_gives_the_exact_values():
    last = 2**63 - 1
    assert S.MAX_STEP == last
    assert S.step_decay(1.0, 2**62, 0.5)(last) == 0.5                     # floor((2^63 - 1) / 2^62) = 1
    assert S.step_decay(1.0, 3, 0.5)(np.array([last - 1, last])).tolist() == [0.0, 0.0]
    assert S.exponential_decay(1.0, 1.0)(last) == 1.0
    assert S.inverse_time_decay(1.0, 1.0)(last) == pytest.approx(1 / 2**63, rel=1e-15)
    assert S.per_epoch(S.step_decay(1.0, 1, 0.5), 2**62)(np.array([2**62 - 1, last])).tolist() == [1.0, 0.5]
    assert S.linear_warmup(S.constant(1.0), last, start_lr=0.0)(last - 1) == pytest.approx(1.0, rel=1e-15)
    assert S.cosine_annealing(1.0, 0.0, last)(last) == pytest.approx(0.0, abs=1e-15)
    restarts = S.cosine_warm_restarts(1.0, 0.0, t_0=2**62, t_mult=1)
    assert restarts(np.array([2**62, 2**62 - 1, last])).tolist() == pytest.approx(
        [1.0, 0.0, 0.5 * (1 + math.cos(math.pi * (2**62 - 1) / 2**62))], abs=1e-15)


@pytest.mark.parametrize("t_0, t_mult", [(1, 2**62), (5, 2**62), (3, 2**61 + 1), (1, 2**63), (2, 10**30),
                                         (7, 10**400)],
                         ids=["1,2**62", "5,2**62", "3,2**61+1", "1,2**63", "2,10**30", "7,10**400"])
def test_cosine_warm_restarts_with_a_huge_period_growth_follow_the_sgdr_formula(t_0, t_mult):
    s = S.cosine_warm_restarts(1.0, 0.1, t_0, t_mult)
    steps = [0, 1, t_0 - 1, t_0, t_0 + 1, 2**40, 2**62, 2**62 + t_0, 2**63 - 2, 2**63 - 1]
    with time_limit(10):  # a period that overflows int64 once made this loop forever
        values = s(np.array(steps, dtype=np.int64))
        scalars = [s(t) for t in steps]
    expected = [sgdr_formula(t, 1.0, 0.1, t_0, t_mult) for t in steps]   # Python ints: no overflow
    np.testing.assert_allclose(values, expected, rtol=1e-14, atol=1e-15)
    np.testing.assert_array_equal(values, scalars)


def test_cosine_warm_restarts_restart_exactly_at_the_huge_period_boundaries():
    s = S.cosine_warm_restarts(1.0, 0.0, t_0=3, t_mult=2**61)            # restarts at 3 and 3 + 3 * 2**61
    second = 3 + 3 * 2**61
    with time_limit(10):
        assert s(3) == 1.0 and s(second) == 1.0
        assert s(second - 1) == pytest.approx(0.0, abs=1e-15) and s(2) == pytest.approx(0.25, rel=1e-15)


# --------------------------------------------------------------------------- multistep, ramp, restarts


def torch_multistep_rule(lr, milestones, gamma, t):
    """PyTorch's documented MultiStepLR: lr * gamma ** (number of milestones <= t)."""
    return lr * gamma ** sum(1 for m in milestones if m <= t)


@pytest.mark.parametrize("milestones", [[], [0], [3], [2, 5, 9], [30, 80]])
def test_multistep_decay_follows_torch_documented_rule(milestones):
    s = S.multistep_decay(0.1, milestones, gamma=0.3)
    t = np.arange(100)
    expected = [torch_multistep_rule(0.1, milestones, 0.3, k) for k in t]
    np.testing.assert_allclose(s(t), expected, rtol=1e-15)
    assert [s(int(k)) for k in t] == list(s(t))


def test_multistep_decay_drops_at_each_milestone_not_after():
    s = S.multistep_decay(1.0, (10, 20), gamma=0.5)
    assert (s(9), s(10), s(19), s(20), s(10**12)) == (1.0, 0.5, 0.5, 0.25, 0.25)


def test_multistep_decay_with_evenly_spaced_milestones_is_step_decay():
    t = np.arange(1000)
    np.testing.assert_array_equal(S.multistep_decay(0.4, range(100, 1000, 100), 0.1)(t),
                                  S.step_decay(0.4, 100, 0.1)(t))


def test_multistep_decay_checks_its_milestones():
    with pytest.raises(ValueError, match=r"milestones must be strictly increasing, got 5 before 5"):
        S.multistep_decay(0.1, [2, 5, 5])
    with pytest.raises(ValueError, match=r"milestones must be strictly increasing, got 5 before 3"):
        S.multistep_decay(0.1, [5, 3])
    with pytest.raises(ValueError, match=r"milestones\[1\] must be an integer >= 0, got -1"):
        S.multistep_decay(0.1, [2, -1])
    with pytest.raises(TypeError, match=r"milestones\[0\] must be an integer, got 2\.5"):
        S.multistep_decay(0.1, [2.5])
    with pytest.raises(TypeError, match="milestones must be a sequence of ints, got 10"):
        S.multistep_decay(0.1, 10)
    with pytest.raises(ValueError, match=r"gamma must lie in \(0, 1\], got 2\.0"):
        S.multistep_decay(0.1, [10], gamma=2.0)


def test_exponential_ramp_multiplies_by_the_same_factor_every_step():
    s = S.exponential_ramp(1e-4, 1.0, steps=8)
    values = s(np.arange(9))
    assert values[0] == 1e-4 and values[-1] == 1.0
    np.testing.assert_allclose(values[1:] / values[:-1], 10 ** 0.5, rtol=1e-13)   # (1 / 1e-4)^(1/8)
    np.testing.assert_allclose(np.log10(values), np.linspace(-4, 0, 9), atol=1e-13)  # even on a log axis


def test_exponential_ramp_holds_the_end_rate_after_the_ramp():
    s = S.exponential_ramp(0.01, 0.5, steps=20)
    assert s(20) == s(21) == s(S.MAX_STEP) == 0.5
    assert s(19) < 0.5


def test_exponential_ramp_checks_its_arguments():
    with pytest.raises(ValueError, match=r"end_lr must be at least start_lr"):
        S.exponential_ramp(1.0, 0.1, 10)
    with pytest.raises(ValueError, match=r"start_lr must be a positive finite number, got 0\.0"):
        S.exponential_ramp(0.0, 1.0, 10)
    with pytest.raises(ValueError, match="steps must be an integer >= 1, got 0"):
        S.exponential_ramp(0.1, 1.0, 0)
    with pytest.raises(TypeError, match="end_lr must be a real number"):
        S.exponential_ramp(0.1, "1", 10)


@pytest.mark.parametrize("t_0, t_mult", [(1, 1), (10, 1), (10, 2), (5, 3), (3, 7), (1, 2)])
def test_restart_epochs_are_where_the_schedule_is_back_at_its_maximum(t_0, t_mult):
    last = 3000
    rates = S.cosine_warm_restarts(1.0, 0.0, t_0, t_mult)(np.arange(1, last + 1))
    assert S.restart_epochs(t_0, t_mult, last) == list(1 + np.flatnonzero(rates == 1.0))


def test_restart_epochs_follow_the_closed_form_and_include_last():
    # S_i = T_0 (T_mult^i - 1) / (T_mult - 1): 10, 30, 70, 150 for T_0 = 10, T_mult = 2
    assert S.restart_epochs(10, 2, 150) == [10, 30, 70, 150]
    assert S.restart_epochs(10, 2, 149) == [10, 30, 70]
    assert S.restart_epochs(10, 2, 9) == []
    assert S.restart_epochs(4, 1, 12) == [4, 8, 12]


def test_restart_epochs_are_exact_beyond_float_precision():
    t_0, t_mult = 3, 10**20
    restarts = S.restart_epochs(t_0, t_mult, 10**70)
    assert restarts == [t_0 * (t_mult**i - 1) // (t_mult - 1) for i in range(1, 5)]   # S_4 = 3 (1 + 10^20 + 10^40 + 10^60)
    assert all(type(s) is int for s in restarts)


def test_restart_epochs_check_their_arguments():
    with pytest.raises(ValueError, match="t_0 must be an integer >= 1, got 0"):
        S.restart_epochs(0, 2, 10)
    with pytest.raises(TypeError, match=r"t_mult must be an integer, got 1\.5"):
        S.restart_epochs(10, 1.5, 10)
    with pytest.raises(ValueError, match="last must be an integer >= 0, got -1"):
        S.restart_epochs(10, 2, -1)


# --------------------------------------------------------------------------- one int step, the fast path


@pytest.mark.parametrize("schedule", [
    S.constant(0.3), S.step_decay(0.1, 7, 0.3), S.step_decay(1.0, 20, 0.2), S.step_decay(1.0, 3, 0.1),
    S.multistep_decay(0.1, [3, 50]), S.exponential_decay(0.1, 0.99), S.exponential_decay(1.0, 0.2),
    S.exponential_ramp(1e-5, 1.0, 90), S.inverse_time_decay(0.1, 0.01), S.cosine_annealing(0.1, 0.0, 50),
    S.cosine_warm_restarts(0.1, 0.001, 5, 2), S.cosine_warm_restarts(1.0, 0.1, 3, 2**62),
    S.linear_warmup(S.per_epoch(S.exponential_decay(0.1, 0.9), 3), 10),
    S.linear_warmup(lambda t: 0.5 / (1 + t), 4),
    S.per_epoch(S.cosine_warm_restarts(0.1, 0.0, 3), 4),
], ids=repr)
def test_an_int_step_gives_the_value_of_the_array_call(schedule):
    steps = [0, 1, 2, 3, 4, 9, 10, 11, 49, 50, 51, 119, 10**9, S.MAX_STEP]
    for kind in (int, np.int64, np.uint64, np.int32):
        if kind is np.int32:
            values = [schedule(kind(k)) for k in steps if k < 2**31]
            expected = schedule(np.array([k for k in steps if k < 2**31]))
        else:
            values = [schedule(kind(k)) for k in steps]
            expected = schedule(np.array(steps, dtype=np.int64))
        assert all(type(v) is float for v in values)
        np.testing.assert_array_equal(values, expected)


def test_an_int_step_is_still_checked():
    s = S.per_epoch(S.constant(0.1), 3)
    for bad in (-1, np.int64(-5), 2**63, np.uint64(2**63)):
        with pytest.raises(ValueError, match="step must"):
            s(bad)
    with pytest.raises(TypeError, match="step must be an int"):
        s(True)
    with pytest.raises(TypeError, match="step must be an int"):
        s(np.bool_(False))
