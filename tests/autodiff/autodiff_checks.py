"""Shared checks for the autodiff tests: central-difference Jacobians and Hypothesis strategies."""
import numpy as np
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from optlib.autodiff import jacfwd, jacrev

#: Settings for property tests: no deadline (a shared machine), few examples per op.
SETTINGS = settings(max_examples=25, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow,
                                           HealthCheck.data_too_large])


def numeric_jacobian(f, args, i, h=1e-6):
    """d f / d args[i] by central differences, shape out.shape + args[i].shape."""
    args = list(args)
    x = np.asarray(args[i], dtype=float)
    out = np.asarray(f(*args), dtype=float)
    jac = np.zeros(out.shape + x.shape)
    for k in np.ndindex(*x.shape):
        step = np.zeros_like(x)
        step[k] = h
        plus = np.asarray(f(*args[:i], x + step, *args[i + 1:]), dtype=float)
        minus = np.asarray(f(*args[:i], x - step, *args[i + 1:]), dtype=float)
        jac[(Ellipsis,) + k] = (plus - minus) / (2 * h)
    return jac


def assert_jacobians_match(f, args, argnums=None, rtol=1e-5, atol=1e-6):
    """Forward and reverse mode both equal the central-difference Jacobian, and each other."""
    argnums = range(len(args)) if argnums is None else argnums
    out_shape = np.shape(f(*args))
    for i in argnums:
        numeric = numeric_jacobian(f, args, i)
        forward = jacfwd(f, argnums=i)(*args)
        reverse = jacrev(f, argnums=i)(*args)
        expected_shape = tuple(out_shape) + np.shape(args[i])
        assert np.shape(forward) == expected_shape, (np.shape(forward), expected_shape)
        assert np.shape(reverse) == expected_shape, (np.shape(reverse), expected_shape)
        np.testing.assert_allclose(forward, numeric, rtol=rtol, atol=atol,
                                   err_msg=f"forward mode, argument {i}")
        np.testing.assert_allclose(reverse, numeric, rtol=rtol, atol=atol,
                                   err_msg=f"reverse mode, argument {i}")
        np.testing.assert_allclose(forward, reverse, rtol=1e-9, atol=1e-12,
                                   err_msg=f"forward vs reverse, argument {i}")


def floats(lo, hi):
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


def arrays(shape, lo=-2.0, hi=2.0, unique=False):
    return hnp.arrays(np.float64, shape, elements=floats(lo, hi), unique=unique)


SHAPES = hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=3)
NONEMPTY_SHAPES = hnp.array_shapes(min_dims=1, max_dims=3, min_side=1, max_side=3)


def broadcast_pair(lo1=-2.0, hi1=2.0, lo2=-2.0, hi2=2.0):
    """Two arrays whose shapes broadcast together (including 0-d and size-1 axes)."""
    shapes = hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=3)
    return shapes.flatmap(lambda s: st.tuples(arrays(s.input_shapes[0], lo1, hi1),
                                              arrays(s.input_shapes[1], lo2, hi2)))


def axes_for(ndim):
    """None, an int (possibly negative) or a tuple of distinct axes, for an array of ndim dims."""
    if ndim == 0:
        return st.none()
    return st.one_of(st.none(), st.integers(-ndim, ndim - 1),
                     st.lists(st.integers(0, ndim - 1), min_size=1, max_size=ndim,
                              unique=True).map(tuple))
