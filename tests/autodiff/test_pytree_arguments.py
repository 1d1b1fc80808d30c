"""Pytree arguments: derivatives come back with exactly the argument's structure."""
from collections import namedtuple

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from autodiff_checks import SETTINGS, arrays
from optlib import tree
from optlib.autodiff import grad, hvp, jvp, value_and_grad, vjp

LEAVES = st.one_of(
    st.integers(0, 2).flatmap(lambda n: arrays((n + 1,) * min(n, 2), -1.0, 1.0)),
    st.floats(-1.0, 1.0),
)
PYTREES = st.recursive(
    LEAVES,
    lambda children: st.one_of(st.lists(children, min_size=1, max_size=3),
                               st.lists(children, min_size=1, max_size=3).map(tuple),
                               st.dictionaries(st.sampled_from("abcd"), children, min_size=1,
                                               max_size=3)),
    max_leaves=6)


def _loss(params):
    return sum(np.sum(np.sin(leaf) * leaf) for leaf in tree.tree_leaves(params))


def _same_structure(a, b):
    return tree.tree_flatten(a)[1] == tree.tree_flatten(b)[1]


@SETTINGS
@given(PYTREES)
def test_gradient_of_a_pytree_has_its_structure_and_leaf_shapes(params):
    g = grad(_loss)(params)
    assert _same_structure(g, params)
    for leaf, g_leaf in zip(tree.tree_leaves(params), tree.tree_leaves(g)):
        assert np.shape(g_leaf) == np.shape(leaf)
        np.testing.assert_allclose(g_leaf, np.cos(leaf) * leaf + np.sin(leaf), rtol=1e-14,
                                   atol=1e-15)


@SETTINGS
@given(PYTREES)
def test_vjp_jvp_and_hvp_keep_the_pytree_structure(params):
    expected_value = _loss(params)        # plain NumPy, no tracing
    value, _ = value_and_grad(_loss)(params)
    out, pullback = vjp(_loss, params)
    assert out == value == expected_value
    (g2,) = pullback(1.0)
    assert _same_structure(g2, params)
    for leaf, g_leaf in zip(tree.tree_leaves(params), tree.tree_leaves(g2)):
        np.testing.assert_allclose(g_leaf, np.cos(leaf) * leaf + np.sin(leaf), rtol=1e-14,
                                   atol=1e-15)
    ones = tree.tree_map(np.ones_like, params)
    _, tangent = jvp(_loss, (params,), (ones,))
    # the directional derivative along ones: the sum of all partial derivatives
    expected = sum(np.sum(np.cos(leaf) * leaf + np.sin(leaf)) for leaf in tree.tree_leaves(params))
    np.testing.assert_allclose(tangent, expected, rtol=1e-12, atol=1e-14)
    h = hvp(_loss, params, ones)
    assert _same_structure(h, params)
    for leaf, h_leaf in zip(tree.tree_leaves(params), tree.tree_leaves(h)):
        np.testing.assert_allclose(h_leaf, 2 * np.cos(leaf) - leaf * np.sin(leaf), rtol=1e-12,
                                   atol=1e-14)


def test_gradient_with_respect_to_a_pytree_can_be_raveled_and_restored():
    params = {"W": np.ones((2, 3)), "b": [np.zeros(3), 1.5]}
    g = grad(lambda p: np.sum(p["W"] ** 2) + np.sum(p["b"][0]) * p["b"][1])(params)
    flat, unravel = tree.ravel(g)
    assert flat.shape == (6 + 3 + 1,)
    restored = unravel(flat)
    assert _same_structure(restored, params)
    np.testing.assert_array_equal(restored["W"], 2 * np.ones((2, 3)))


def test_successive_calls_with_changing_structures_each_get_their_own_structure_back():
    # value_and_grad reuses the structure of the previous call only while it still fits
    Pair = namedtuple("Pair", "w b")
    w, b = np.array([0.5, -1.0]), np.array(2.0)
    trees = [{"w": w, "b": b}, {"b": b, "w": w}, {"w": w, "b": b, "c": w}, {"w": w, "b": None},
             {"w": w, "b": 0.3}, {"w": [w], "b": b}, [w, b], (w, b), Pair(w, b), [w, [b]],
             [w, (b,)], [w, b, w], w]
    value_and_grad_f = value_and_grad(_loss)
    for params in trees + trees[::-1] + trees:
        value, g = value_and_grad_f(params)
        assert value == _loss(params)
        assert _same_structure(g, params)
        assert repr(tree.tree_map(lambda leaf: 0, g)) == repr(tree.tree_map(lambda leaf: 0, params))
        for leaf, g_leaf in zip(tree.tree_leaves(params), tree.tree_leaves(g)):
            np.testing.assert_allclose(g_leaf, np.cos(leaf) * leaf + np.sin(leaf), rtol=1e-14)
