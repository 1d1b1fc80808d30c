"""The library's argument checks: a wrong type is a TypeError, a bad value a ValueError, and the message
names the argument, what was expected and what was given."""
import numpy as np
import pytest

from optlib import _checks as checks


@pytest.mark.parametrize("value", ["0.1", None, 1j, True, np.bool_(False), [0.1]])
def test_real_refuses_what_is_not_a_real_number_with_type_error(value):
    with pytest.raises(TypeError, match=r"^lr must be a real number, got "):
        checks.real("lr", value)


@pytest.mark.parametrize("value, expected", [(3, 3.0), (np.float32(0.5), 0.5), (np.array(2.5), 2.5),
                                             (np.int64(-4), -4.0)])
def test_real_returns_a_python_float(value, expected):
    result = checks.real("x", value)
    assert type(result) is float and result == expected


@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf])
def test_real_refuses_non_finite_values_unless_allowed(value):
    with pytest.raises(ValueError, match=r"^tol must be a finite number, got (nan|inf|-inf)"):
        checks.real("tol", value)
    assert checks.real("tol", value, finite=False) is not None


@pytest.mark.parametrize("value", [-0.1, np.nan, np.inf])
def test_non_negative_refuses_negative_and_non_finite_values(value):
    with pytest.raises(ValueError, match=r"^lr must be a non-negative finite number, got "):
        checks.non_negative("lr", value)
    assert checks.non_negative("lr", 0) == 0.0


@pytest.mark.parametrize("value", [0.0, -1.0, np.inf])
def test_positive_refuses_zero_negative_and_infinite_values(value):
    with pytest.raises(ValueError, match=r"^step must be a positive finite number, got "):
        checks.positive("step", value)
    assert checks.positive("step", 1e-300) == 1e-300


@pytest.mark.parametrize("closed, value, ok", [
    ("both", 0.0, True), ("both", 1.0, True), ("left", 1.0, False), ("left", 0.0, True),
    ("right", 0.0, False), ("right", 1.0, True), ("neither", 0.0, False), ("neither", 0.5, True),
    ("both", np.nan, False), ("both", 1.5, False)])
def test_in_interval_respects_which_ends_are_closed(closed, value, ok):
    if ok:
        assert checks.in_interval("rho", value, 0.0, 1.0, closed=closed) == value
    else:
        with pytest.raises(ValueError, match=r"^rho must lie in [\[(]0, 1[\])]"):
            checks.in_interval("rho", value, 0.0, 1.0, closed=closed)


def test_in_interval_message_shows_the_interval_the_meaning_and_the_value():
    with pytest.raises(ValueError, match=r"^gamma must lie in \(0, 1\] \(a decay factor\), got 1\.5$"):
        checks.in_interval("gamma", 1.5, 0, 1, closed="right", meaning="(a decay factor)")


def test_probability_can_exclude_one():
    assert checks.probability("p", 1.0) == 1.0
    with pytest.raises(ValueError, match=r"^p must lie in \[0, 1\), got 1\.0$"):
        checks.probability("p", 1.0, open_right=True)


@pytest.mark.parametrize("value", [2.5, 2.0, "3", True, None])
def test_integer_refuses_non_integers_with_type_error(value):
    with pytest.raises(TypeError, match=r"^maxiter must be an integer, got "):
        checks.integer("maxiter", value)


@pytest.mark.parametrize("value, minimum, maximum, message", [
    (-1, 0, None, r"must be an integer >= 0, got -1"),
    (11, None, 10, r"must be an integer <= 10, got 11"),
    (0, 1, 5, r"must be an integer in \[1, 5\], got 0")])
def test_integer_refuses_values_out_of_bounds_with_value_error(value, minimum, maximum, message):
    with pytest.raises(ValueError, match="^maxiter " + message + "$"):
        checks.integer("maxiter", value, minimum=minimum, maximum=maximum)


def test_integer_accepts_numpy_integers_and_returns_python_ints():
    for value in (np.int64(7), np.array(7), 7):
        result = checks.integer("n", value, minimum=0)
        assert type(result) is int and result == 7


@pytest.mark.parametrize("value", [0, 1, "True", None])
def test_flag_accepts_only_booleans(value):
    with pytest.raises(TypeError, match=r"^nesterov must be True or False, got "):
        checks.flag("nesterov", value)
    assert checks.flag("nesterov", np.bool_(True)) is True


def test_choice_is_case_insensitive_and_lists_the_choices():
    assert checks.choice("method", "BFGS", ("bfgs", "cg")) == "bfgs"
    with pytest.raises(ValueError, match=r"^unknown method 'adam'; valid choices are 'bfgs', 'cg'$"):
        checks.choice("method", "adam", ("bfgs", "cg"))
    with pytest.raises(TypeError, match=r"^method must be a string"):
        checks.choice("method", 3, ("bfgs", "cg"))


def test_function_refuses_what_cannot_be_called():
    assert checks.function("fun", len) is len
    with pytest.raises(TypeError, match=r"^schedule must be a schedule \(a callable\), got 0\.1 \(float\)$"):
        checks.function("schedule", 0.1, what="a schedule")


def test_rng_takes_a_generator_or_a_seed():
    generator = np.random.default_rng(1)
    assert checks.rng(generator) is generator
    assert checks.rng(5).integers(1 << 30) == np.random.default_rng(5).integers(1 << 30)
    with pytest.raises(TypeError, match=r"^rng must be a numpy.random.Generator"):
        checks.rng(0.5)
    with pytest.raises(TypeError, match=r"^seed must be a numpy.random.Generator"):
        checks.rng(np.random.RandomState(0), name="seed")
    with pytest.raises(ValueError, match=r"^rng must be an integer >= 0, got -1$"):
        checks.rng(-1)


def test_real_array_refuses_complex_values_with_value_error():
    with pytest.raises(ValueError, match=r"^x0 must be real, got complex values"):
        checks.real_array("x0", np.array([1.0, 2.0 + 1e-3j]))
    with pytest.raises(ValueError, match=r"^x0 must be real"):
        checks.real_array("x0", 1j)


@pytest.mark.parametrize("value", [["a", "b"], np.array([object()]), np.array([True, False])])
def test_real_array_refuses_non_numeric_arrays_with_type_error(value):
    with pytest.raises(TypeError, match=r"^x must be an array of real numbers"):
        checks.real_array("x", value)


def test_real_array_checks_ndim_shape_and_finiteness_and_copies():
    source = np.arange(3)
    array = checks.real_array("x", source)
    assert array.dtype == np.float64 and not np.shares_memory(array, source)
    with pytest.raises(ValueError, match=r"^x must be a 2-D array, got shape \(3,\)$"):
        checks.real_array("x", source, ndim=2)
    with pytest.raises(ValueError, match=r"^x must have shape \(2,\), got shape \(3,\)$"):
        checks.real_array("x", source, shape=(2,))
    with pytest.raises(ValueError, match=r"^x must hold finite values only, got nan among them$"):
        checks.real_array("x", [1.0, np.nan], finite=True)


def test_long_values_are_shortened_in_messages():
    with pytest.raises(TypeError) as error:
        checks.real("lr", "x" * 500)
    assert len(str(error.value)) < 120 and "..." in str(error.value)
