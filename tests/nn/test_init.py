"""Weight initialisations: the statistics each one promises, orthogonality, seeding, bad names."""
import numpy as np
import pytest

from optlib.nn import init


@pytest.mark.parametrize("shape", [(16, 16), (40, 12), (12, 40)])
@pytest.mark.parametrize("gain", [1.0, 0.5])
def test_orthogonal_init_is_orthogonal_times_the_gain(shape, gain):
    W = init.orthogonal(np.random.default_rng(0), shape, gain)
    assert W.shape == shape
    small = W.T @ W if shape[0] >= shape[1] else W @ W.T
    np.testing.assert_allclose(small, gain**2 * np.eye(min(shape)), atol=1e-12)
    np.testing.assert_allclose(np.linalg.svd(W, compute_uv=False), gain, rtol=1e-12)


def test_orthogonal_init_is_not_always_the_same_matrix():
    a = init.orthogonal(np.random.default_rng(0), (8, 8))
    b = init.orthogonal(np.random.default_rng(1), (8, 8))
    assert not np.allclose(a, b)


def test_he_init_has_variance_two_over_fan_in():
    W = init.he(np.random.default_rng(0), (400, 300))
    assert abs(W.var() / (2 / 400) - 1) < 0.02
    assert abs(W.mean()) < 3 * np.sqrt(2 / 400 / W.size)


def test_xavier_init_is_uniform_with_variance_two_over_fan_in_plus_fan_out():
    W = init.xavier(np.random.default_rng(0), (300, 500))
    bound = np.sqrt(6 / 800)
    assert np.all(np.abs(W) <= bound) and np.abs(W).max() > 0.99 * bound
    assert abs(W.var() / (2 / 800) - 1) < 0.02
    assert init.get("glorot") is init.xavier


def test_normal_init_has_the_requested_standard_deviation():
    W = init.normal(np.random.default_rng(0), (300, 300), scale=0.3)
    assert abs(W.std() / 0.3 - 1) < 0.01


def test_same_seed_gives_the_same_weights_and_an_int_seed_works():
    for f in (init.normal, init.xavier, init.he, init.orthogonal):
        np.testing.assert_array_equal(f(np.random.default_rng(3), (5, 4)), f(3, (5, 4)))


def test_unknown_initialisation_raises_value_error_listing_the_choices():
    with pytest.raises(ValueError, match=r"unknown initialisation 'kaiming'.*'xavier'.*'he'.*'orthogonal'"):
        init.get("kaiming")


@pytest.mark.parametrize("shape", [(0, 3), (3,), (2, 2, 2)])
def test_bad_weight_shape_raises(shape):
    with pytest.raises(ValueError, match="fan_in, fan_out"):
        init.xavier(0, shape)


def test_negative_scale_raises():
    with pytest.raises(ValueError, match="scale must be a non-negative"):
        init.normal(0, (2, 2), scale=-1.0)


@pytest.mark.parametrize("call, message", [
    (lambda: init.normal(0, (2, 2), scale="0.1"), "scale must be a real number"),
    (lambda: init.he(0, (2.0, 3)), r"fan_in must be an integer, got 2\.0"),
    (lambda: init.xavier(0, 5), "weight shape must be a pair"),
    (lambda: init.orthogonal("seed", (2, 2)), "rng must be a numpy.random.Generator"),
    (lambda: init.get(None), "initialisation must be a string"),
])
def test_arguments_of_the_wrong_type_raise_type_error(call, message):
    with pytest.raises(TypeError, match=message):
        call()
