"""Gradient clipping by value and by global norm."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from optlib import optim
from optlib.tree import tree_leaves

finite = st.floats(-1e6, 1e6, allow_nan=False)
grad_trees = st.fixed_dictionaries({
    "W": hnp.arrays(np.float64, (3, 2), elements=finite),
    "b": st.lists(hnp.arrays(np.float64, st.integers(0, 3), elements=finite), max_size=2),
    "s": finite,
})


def flat(tree):
    return np.concatenate([np.ravel(x) for x in tree_leaves(tree)] + [np.zeros(0)])


def test_clip_by_norm_scales_like_torch():
    clipped, norm = optim.clip_by_norm({"a": np.array([3.0]), "b": np.array([4.0])}, max_norm=1.0)
    assert norm == 5.0
    assert clipped["a"][0] == pytest.approx(3.0 / (5.0 + 1e-6))
    assert clipped["b"][0] == pytest.approx(4.0 / (5.0 + 1e-6))


def test_clip_by_norm_below_the_threshold_changes_nothing():
    grads = [np.array([0.3, -0.4]), 0.0]
    clipped, norm = optim.clip_by_norm(grads, max_norm=1.0)
    assert norm == pytest.approx(0.5)
    np.testing.assert_array_equal(clipped[0], grads[0])
    assert clipped[1] == 0.0 and type(clipped[1]) is float


@settings(deadline=None, max_examples=60)
@given(grad_trees, st.one_of(st.just(0.0), st.floats(1e-6, 1e3)))
def test_clip_by_norm_keeps_direction_and_never_increases_the_norm(grads, max_norm):
    clipped, norm = optim.clip_by_norm(grads, max_norm)
    g, c = flat(grads), flat(clipped)
    assert norm == pytest.approx(np.linalg.norm(g), rel=1e-12, abs=1e-150)
    assert np.linalg.norm(c) <= max(norm, 0) * (1 + 1e-12)
    assert np.linalg.norm(c) <= max_norm * (1 + 1e-12) or np.allclose(c, g)
    if np.any(c):  # the same direction: c is a positive multiple of g
        assert c @ g == pytest.approx(np.linalg.norm(c) * np.linalg.norm(g), rel=1e-12)
    if not np.any(g):
        assert not np.any(c)


def test_the_norm_neither_overflows_nor_underflows():
    _, norm = optim.clip_by_norm([np.array([3e200, 4e200])], 1.0)
    assert norm == pytest.approx(5e200)
    clipped, norm = optim.clip_by_norm({"a": np.array([3e-200]), "b": np.array([4e-200])}, 1.0)
    assert norm == pytest.approx(5e-200)
    assert clipped["a"][0] == 3e-200


def test_zero_gradients_stay_zero():
    clipped, norm = optim.clip_by_norm({"w": np.zeros(3)}, 1.0)
    assert norm == 0.0 and not np.any(clipped["w"])


def test_clip_by_norm_raises_on_a_non_finite_norm():
    with pytest.raises(ValueError, match="total gradient norm is nan"):
        optim.clip_by_norm([np.array([1.0, np.nan])], 1.0)
    with pytest.raises(ValueError, match="total gradient norm is inf"):
        optim.clip_by_norm([np.array([np.inf])], 1.0)
    with pytest.raises(ValueError, match=r"max_norm must be a non-negative finite number, got -1\.0"):
        optim.clip_by_norm([np.ones(2)], -1.0)


def test_clip_by_value():
    grads = {"w": np.array([-3.0, 0.5, 7.0]), "b": -0.2, "none": None}
    clipped = optim.clip_by_value(grads, -1.0, 1.0)
    np.testing.assert_array_equal(clipped["w"], [-1.0, 0.5, 1.0])
    assert clipped["b"] == -0.2 and clipped["none"] is None
    np.testing.assert_array_equal(grads["w"], [-3.0, 0.5, 7.0])  # not mutated
    with pytest.raises(ValueError, match="need min_value <= max_value"):
        optim.clip_by_value(grads, 1.0, -1.0)


@pytest.mark.parametrize("clip", [lambda g: optim.clip_by_norm(g, 1.0), lambda g: optim.clip_by_value(g, -1, 1),
                                  optim.global_norm], ids=["clip_by_norm", "clip_by_value", "global_norm"])
def test_complex_gradients_raise_naming_the_leaf(clip):
    with pytest.raises(ValueError, match=r"\['b'\] has dtype complex128"):
        clip({"w": np.array([3.0]), "b": np.array([4.0j])})
    with pytest.raises(ValueError, match=r"\['s'\] is \(1\+1j\) \(complex\)"):
        clip({"w": np.array([3.0]), "s": 1 + 1j})


def test_clip_arguments_of_the_wrong_type_are_type_errors():
    with pytest.raises(TypeError, match="max_norm must be a real number, got '1'"):
        optim.clip_by_norm([np.ones(2)], "1")
    with pytest.raises(TypeError, match="min_value must be a real number"):
        optim.clip_by_value([np.ones(2)], None, 1.0)
    with pytest.raises(TypeError, match=r"grads\[0\] has dtype <U1"):
        optim.clip_by_value([np.array(["a"])], -1.0, 1.0)


def test_clipping_does_not_mutate():
    grads = [np.array([30.0, 40.0])]
    optim.clip_by_norm(grads, 1.0)
    np.testing.assert_array_equal(grads[0], [30.0, 40.0])
