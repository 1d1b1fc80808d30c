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
