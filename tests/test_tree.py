"""Specification of optlib.tree: flattening order, mapping, raveling, safe save / load."""
import copy
import io
import json
import math
import pickle
import struct
from collections import namedtuple

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from optlib import tree as T


# --------------------------------------------------------------------------- helpers


def assert_identical(a, b, path=""):
    """Same container types, dict key order, leaf types, dtypes, shapes and bits."""
    assert type(a) is type(b), f"{path}: {type(a).__name__} vs {type(b).__name__}"
    if isinstance(a, dict):
        assert list(a) == list(b), f"{path}: keys {list(a)} vs {list(b)}"
        for k in a:
            assert_identical(a[k], b[k], f"{path}[{k!r}]")
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            assert_identical(x, y, f"{path}[{i}]")
    elif isinstance(a, np.ndarray):
        assert a.dtype == b.dtype and a.shape == b.shape, path
        assert a.tobytes() == b.tobytes(), path
    elif isinstance(a, float):
        assert struct.pack("<d", a) == struct.pack("<d", b), f"{path}: {a!r} vs {b!r}"
    elif isinstance(a, np.generic):
        assert a.dtype == b.dtype and a.tobytes() == b.tobytes(), path
    else:
        assert a == b, path


small_floats = st.floats(allow_nan=True, allow_infinity=True, width=64)
float_arrays = hnp.arrays(
    dtype=st.sampled_from([np.float64, np.float32]),
    shape=hnp.array_shapes(min_dims=0, max_dims=3, max_side=3),
    elements=st.floats(allow_nan=True, allow_infinity=True, width=32),
)
any_arrays = st.one_of(
    float_arrays,
    hnp.arrays(dtype=st.sampled_from([np.int64, np.int32, np.uint8, np.bool_]),
               shape=hnp.array_shapes(min_dims=0, max_dims=2, max_side=3)),
)
keys = st.text(max_size=5)


def trees(leaves):
    return st.recursive(
        leaves,
        lambda children: st.one_of(
            st.lists(children, max_size=3),
            st.lists(children, max_size=3).map(tuple),
            st.dictionaries(keys, children, max_size=3),
        ),
        max_leaves=8,
    )


saveable_leaves = st.one_of(
    any_arrays, small_floats, st.integers(-(2**70), 2**70), st.booleans(), st.none(),
    st.floats(width=32).map(np.float32), st.integers(-5, 5).map(np.int64),
)
numeric_leaves = st.one_of(float_arrays.map(lambda a: a.astype(np.float64)), small_floats,
                           st.integers(-1000, 1000), st.none())


# --------------------------------------------------------------------------- flatten


def test_flatten_order_is_sorted_keys_then_sequence_order():
    tree = {"b": [1.0, (2.0, 3.0)], "a": {"z": 4.0, "y": 5.0}, "c": None}
    assert T.tree_leaves(tree) == [5.0, 4.0, 1.0, 2.0, 3.0]
    assert T.tree_paths(tree) == ["['a']['y']", "['a']['z']", "['b'][0]", "['b'][1][0]", "['b'][1][1]"]


def test_paths_of_a_layered_model():
    params = {"layers": [{"W": np.ones((2, 2)), "b": np.zeros(2)}], "scale": 1.0}
    assert T.tree_paths(params) == ["['layers'][0]['W']", "['layers'][0]['b']", "['scale']"]
    assert T.tree_paths(np.ones(3)) == [""]


def test_none_is_not_a_leaf_and_passes_through():
    tree = [None, 1.0, {"a": None}]
    leaves, treedef = T.tree_flatten(tree)
    assert leaves == [1.0]
    assert T.tree_unflatten(treedef, [7.0]) == [None, 7.0, {"a": None}]
    assert T.tree_map(lambda x: 2 * x, tree) == [None, 2.0, {"a": None}]


def test_equal_structures_have_equal_hashable_treedefs():
    _, d1 = T.tree_flatten({"a": [np.ones(2), 1.0], "b": (None, 2.0)})
    _, d2 = T.tree_flatten({"b": (None, 5.0), "a": [np.zeros(7), 3]})
    _, d3 = T.tree_flatten({"a": (np.ones(2), 1.0), "b": (None, 2.0)})
    assert d1 == d2 and hash(d1) == hash(d2)
    assert d1 != d3
    assert d1.num_leaves == 3
    assert len({d1, d2, d3}) == 2


def test_unflatten_keeps_the_dict_key_order():
    tree = {"z": 1.0, "a": {"y": 2.0, "b": 3.0}}
    leaves, treedef = T.tree_flatten(tree)
    assert leaves == [3.0, 2.0, 1.0]
    back = T.tree_unflatten(treedef, leaves)
    assert list(back) == ["z", "a"] and list(back["a"]) == ["y", "b"]


def test_unflatten_rejects_wrong_number_of_leaves():
    _, treedef = T.tree_flatten([1.0, 2.0])
    with pytest.raises(ValueError, match="holds 2 leaves, got 3"):
        T.tree_unflatten(treedef, [1.0, 2.0, 3.0])


def test_namedtuples_keep_their_type():
    Pair = namedtuple("Pair", "x y")
    tree = Pair(1.0, [2.0])
    leaves, treedef = T.tree_flatten(tree)
    assert T.tree_unflatten(treedef, leaves) == tree
    assert type(T.tree_map(lambda v: v, tree)) is Pair


@settings(deadline=None, max_examples=60)
@given(trees(numeric_leaves))
def test_flatten_unflatten_round_trip(tree):
    leaves, treedef = T.tree_flatten(tree)
    rebuilt = T.tree_unflatten(treedef, leaves)
    assert T.tree_flatten(rebuilt)[1] == treedef
    for a, b in zip(T.tree_leaves(rebuilt), leaves):
        assert a is b
    assert len(T.tree_paths(tree)) == len(leaves) == treedef.num_leaves


def _dict_orders(tree):
    """The key order of every dict in ``tree``, in flattening order."""
    if isinstance(tree, dict):
        return [list(tree)] + [order for k in sorted(tree) for order in _dict_orders(tree[k])]
    if isinstance(tree, (list, tuple)):
        return [order for child in tree for order in _dict_orders(child)]
    return []


@settings(deadline=None, max_examples=100)
@given(trees(numeric_leaves), trees(numeric_leaves))
def test_flattening_against_a_known_structure_agrees_with_flattening(tree, other):
    leaves, treedef = T.tree_flatten(tree)
    again = []
    assert T._flatten_as(copy.deepcopy(tree), treedef, again)
    assert len(again) == len(leaves)
    other_leaves, other_def = T.tree_flatten(other)
    found = []
    fits = T._flatten_as(other, treedef, found)
    assert fits == (other_def == treedef and _dict_orders(other) == _dict_orders(tree))
    if fits:
        assert len(found) == len(other_leaves) and all(a is b for a, b in zip(found, other_leaves))
        assert_identical(T.tree_unflatten(treedef, found), other)


def test_flattening_against_a_known_structure_refuses_other_containers():
    Pair = namedtuple("Pair", "x y")
    _, treedef = T.tree_flatten({"a": [1.0, (2.0, 3.0)], "b": None})
    for other in [{"a": [1.0, [2.0, 3.0]], "b": None}, {"b": None, "a": [1.0, (2.0, 3.0)]},
                  {"a": [1.0, Pair(2.0, 3.0)], "b": None}, {"a": [1.0, (2.0, 3.0)], "b": 4.0},
                  {"a": [1.0, (2.0, 3.0, 4.0)], "b": None}, {"a": (1.0, (2.0, 3.0)), "b": None},
                  {"a": [1.0, (2.0, [3.0])], "b": None}, [1.0, (2.0, 3.0)], 1.0]:
        assert not T._flatten_as(other, treedef, [])


# --------------------------------------------------------------------------- tree_map


def test_tree_map_combines_several_trees_and_keeps_container_types():
    p = {"w": [np.ones(2), 1.0], "b": (np.zeros(1),)}
    g = {"b": (np.ones(1),), "w": [np.full(2, 2.0), 3.0]}
    out = T.tree_map(lambda x, y: x - 0.5 * y, p, g)
    assert list(out) == ["w", "b"]
    assert isinstance(out["w"], list) and isinstance(out["b"], tuple)
    np.testing.assert_array_equal(out["w"][0], [0.0, 0.0])
    assert out["w"][1] == -0.5
    np.testing.assert_array_equal(out["b"][0], [-0.5])


@pytest.mark.parametrize(
    "other, where",
    [
        ({"a": [1.0, 2.0], "c": 1.0}, "the root"),
        ({"a": [1.0], "b": 1.0}, r"\['a'\]"),
        ({"a": (1.0, 2.0), "b": 1.0}, r"\['a'\]"),
        ({"a": [1.0, [2.0]], "b": 1.0}, r"\['a'\]\[1\]"),
        ({"a": [1.0, 2.0], "b": None}, r"\['b'\]"),
    ],
)
def test_tree_map_names_the_path_where_structures_differ(other, where):
    with pytest.raises(ValueError, match=f"structures differ at {where}"):
        T.tree_map(lambda x, y: x + y, {"a": [1.0, 2.0], "b": 1.0}, other)


def test_tree_map_does_not_mutate_inputs():
    p = {"w": np.arange(3.0)}
    g = {"w": np.ones(3)}
    p0, g0 = copy.deepcopy(p), copy.deepcopy(g)
    T.tree_map(lambda x, y: x - y, p, g)
    assert_identical(p, p0)
    assert_identical(g, g0)


# --------------------------------------------------------------------------- ravel


def test_ravel_concatenates_in_flattening_order():
    tree = {"b": 0.5, "W": np.arange(4.0).reshape(2, 2)}
    flat, unravel = T.ravel(tree)
    assert flat.dtype == np.float64 and flat.shape == (5,)
    np.testing.assert_array_equal(flat, [0, 1, 2, 3, 0.5])
    back = unravel(flat)
    assert type(back["b"]) is float and back["W"].shape == (2, 2)


def test_unravel_rejects_a_vector_of_the_wrong_length():
    _, unravel = T.ravel([np.ones(3), 1.0])
    with pytest.raises(ValueError, match=r"shape \(4,\), got shape \(5,\)"):
        unravel(np.zeros(5))


def test_ravel_and_unravel_do_not_alias():
    w = np.arange(3.0)
    flat, unravel = T.ravel({"w": w})
    flat[0] = 99.0
    assert w[0] == 0.0
    v = np.zeros(3)
    out = unravel(v)
    out["w"][0] = 5.0
    assert v[0] == 0.0


def test_ravel_rejects_non_numeric_leaves():
    with pytest.raises(TypeError, match=r"\['name'\]"):
        T.ravel({"name": "adam"})


def test_ravel_of_an_empty_tree():
    flat, unravel = T.ravel({"a": None, "b": []})
    assert flat.shape == (0,)
    assert unravel(flat) == {"a": None, "b": []}


@settings(deadline=None, max_examples=60)
@given(trees(numeric_leaves))
def test_ravel_unravel_round_trip(tree):
    flat, unravel = T.ravel(tree)
    back = unravel(flat)
    assert T.tree_flatten(back)[1] == T.tree_flatten(tree)[1]
    for a, b in zip(T.tree_leaves(tree), T.tree_leaves(back)):
        if isinstance(a, np.ndarray):
            assert b.dtype == np.float64 and b.shape == a.shape
            np.testing.assert_array_equal(b, a)
        else:
            assert type(b) is float
            assert (math.isnan(a) and math.isnan(b)) or b == a
    np.testing.assert_array_equal(T.ravel(back)[0], flat)


# --------------------------------------------------------------------------- save / load


def round_trip(tree, tmp_path):
    path = tmp_path / "ckpt.npz"
    T.save(path, tree)
    return T.load(path)


def test_save_load_round_trip_of_an_optimizer_state(tmp_path):
    state = {
        "step": 3,
        "m": {"W": np.random.default_rng(0).normal(size=(3, 2)), "b": None},
        "lr": 0.1 + 0.2,
        "flags": (True, [np.int32(4), np.array([1, 2], dtype=np.int64)]),
        "mask": np.array([True, False]),
        "name": "adam",
        "big": 2**80,
    }
    assert_identical(round_trip(state, tmp_path), state)


def test_save_uses_the_exact_path_and_file_objects(tmp_path):
    path = tmp_path / "state"  # no .npz suffix appended
    T.save(str(path), [1.0])
    assert path.exists() and T.load(str(path)) == [1.0]
    buffer = io.BytesIO()
    T.save(buffer, {"a": (1, 2.5)})
    buffer.seek(0)
    assert T.load(buffer) == {"a": (1, 2.5)}


def test_floats_round_trip_bit_for_bit(tmp_path):
    values = [0.1, -0.0, 5e-324, 1.7976931348623157e308, math.inf, -math.inf,
              struct.unpack("<d", struct.pack("<Q", 0x7FF8000000000123))[0]]
    assert_identical(round_trip(values, tmp_path), values)


def test_save_rejects_non_string_keys(tmp_path):
    with pytest.raises(TypeError, match="dict keys must be str, got 1"):
        T.save(tmp_path / "x.npz", {"a": {1: 2.0}})
    assert not (tmp_path / "x.npz").exists()


def test_save_rejects_object_arrays(tmp_path):
    with pytest.raises(TypeError, match=r"object arrays.*|dtype object"):
        T.save(tmp_path / "x.npz", [np.array([None, 1.0], dtype=object)])


def test_save_rejects_other_types(tmp_path):
    with pytest.raises(TypeError, match="unsupported type set"):
        T.save(tmp_path / "x.npz", {"a": {1.0}})


def test_load_refuses_pickled_content(tmp_path):
    path = tmp_path / "evil.npz"
    structure = '{"format": "optlib.tree", "version": 1, "tree": {"t": "array", "i": 0}}'
    np.savez(path, structure=np.array(structure), a0=np.array([object()], dtype=object))
    with pytest.raises(ValueError, match="allow_pickle"):
        T.load(path)


def test_load_rejects_foreign_npz(tmp_path):
    path = tmp_path / "plain.npz"
    np.savez(path, x=np.ones(2))
    with pytest.raises(ValueError, match="not written by optlib.tree.save"):
        T.load(path)


@settings(deadline=None, max_examples=80)
@given(trees(saveable_leaves))
def test_save_load_round_trip(tree):
    buffer = io.BytesIO()
    T.save(buffer, tree)
    buffer.seek(0)
    assert_identical(T.load(buffer), tree)


@settings(deadline=None, max_examples=30)
@given(trees(saveable_leaves))
def test_save_does_not_mutate_and_pickle_agrees(tree):
    before = pickle.dumps(tree)
    T.save(io.BytesIO(), tree)
    assert_identical(pickle.loads(before), tree)


def test_unravel_can_be_differentiated_through():
    import optlib
    params = {"W": np.array([[1.0, -2.0], [0.5, 3.0]]), "b": np.array([0.1, -0.3]), "scale": 2.0}
    flat, unravel = T.ravel(params)

    def loss(p):
        return np.sum((p["W"] @ p["b"]) ** 2) * p["scale"] + p["scale"] ** 2

    through_unravel = optlib.grad(lambda v: loss(unravel(v)))(flat)
    expected, _ = T.ravel(optlib.grad(loss)(params))
    np.testing.assert_allclose(through_unravel, expected, rtol=1e-14)


# --------------------------------------------------------------------------- tree_copy


def test_tree_copy_shares_no_memory_and_keeps_the_structure():
    tree = {"b": [np.arange(3.0), 2], "a": (np.ones((2, 2), dtype=np.float32), None, 0.5)}
    copy_ = T.tree_copy(tree)
    assert_identical(copy_, tree)
    for new, old in zip(T.tree_leaves(copy_), T.tree_leaves(tree)):
        if isinstance(old, np.ndarray):
            assert not np.shares_memory(new, old)
    copy_["b"][0][0] = 99.0
    assert tree["b"][0][0] == 0.0


def test_tree_copy_keeps_a_masked_arrays_mask():
    masked = np.ma.masked_array([1.0, 2.0], mask=[False, True])
    copy_ = T.tree_copy({"x": masked})["x"]
    assert isinstance(copy_, np.ma.MaskedArray) and copy_.mask.tolist() == [False, True]


def test_tree_copy_with_a_dtype_makes_every_leaf_a_new_array():
    tree = {"w": np.arange(2), "s": 3, "n": None}
    copy_ = T.tree_copy(tree, dtype=np.float64)
    assert copy_["w"].dtype == np.float64 and copy_["s"].shape == () and copy_["s"].dtype == np.float64
    assert copy_["n"] is None and float(copy_["s"]) == 3.0


def test_ravel_refuses_complex_leaves_with_a_value_error_naming_the_leaf():
    with pytest.raises(ValueError, match=r"ravel: leaf \['z'\] is complex"):
        T.ravel({"w": np.ones(2), "z": np.array([1j])})


# --------------------------------------------------------------------------- safe checkpoints


def test_a_save_that_fails_midway_leaves_the_old_checkpoint_intact(tmp_path, monkeypatch):
    path = tmp_path / "ckpt.npz"
    old = {"step": 3, "w": np.arange(4.0)}
    T.save(path, old)

    def fail_midway(file, **entries):
        file.write(b"PK\x03\x04 half an archive")
        raise OSError("No space left on device")

    monkeypatch.setattr(np, "savez", fail_midway)
    with pytest.raises(OSError, match="No space left"):
        T.save(path, {"step": 4, "w": np.zeros(4)})
    monkeypatch.undo()
    assert_identical(T.load(path), old)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ckpt.npz"]   # no temporary file left behind


def test_save_replaces_an_existing_checkpoint_with_the_permissions_open_would_give(tmp_path):
    path = tmp_path / "ckpt.npz"
    T.save(path, [1.0])
    T.save(path, [2.0])
    assert T.load(path) == [2.0]
    reference = tmp_path / "reference"
    reference.write_bytes(b"")
    assert path.stat().st_mode == reference.stat().st_mode
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ckpt.npz", "reference"]


def write_archive(path, structure, **arrays):
    """An .npz archive with the given arrays and structure description (a dict, or JSON text as it is)."""
    text = structure if isinstance(structure, str) else json.dumps(
        {"format": "optlib.tree", "version": 1, "tree": structure})
    np.savez(path, structure=np.array(text), **arrays)


def array_node(i):
    return {"t": "array", "i": i}


TAMPERED = {
    "negative index": lambda p: write_archive(p, {"t": "list", "v": [array_node(0), array_node(-1)]},
                                              a0=np.zeros(2), a1=np.ones(2)),
    "index out of range": lambda p: write_archive(p, {"t": "list", "v": [array_node(1)]}, a0=np.zeros(2)),
    "missing array": lambda p: write_archive(p, {"t": "list", "v": [array_node(0), array_node(1)]},
                                             a0=np.zeros(2), a2=np.ones(2)),
    "index used twice": lambda p: write_archive(p, {"t": "list", "v": [array_node(0), array_node(0)]},
                                                a0=np.zeros(2)),
    "unused array": lambda p: write_archive(p, array_node(0), a0=np.zeros(2), a1=np.ones(2)),
    "index as a string": lambda p: write_archive(p, {"t": "array", "i": "0"}, a0=np.zeros(2)),
    "index as a bool": lambda p: write_archive(p, {"t": "array", "i": False}, a0=np.zeros(2)),
    "duplicate dict keys": lambda p: write_archive(
        p, {"t": "dict", "k": ["w", "w"], "v": [array_node(0), array_node(1)]}, a0=np.zeros(2), a1=np.ones(2)),
    "keys and values of different lengths": lambda p: write_archive(
        p, {"t": "dict", "k": ["w", "b"], "v": [array_node(0)]}, a0=np.zeros(2)),
    "a key that is not a string": lambda p: write_archive(p, {"t": "dict", "k": [1], "v": [{"t": "none"}]}),
    "duplicate keys in the JSON": lambda p: write_archive(
        p, '{"format": "optlib.tree", "version": 1, "tree": {"t": "array", "i": 0, "i": 1}}',
        a0=np.zeros(2), a1=np.ones(2)),
    "bool given as a string": lambda p: write_archive(p, {"t": "bool", "v": "false"}),
    "int given as a number": lambda p: write_archive(p, {"t": "int", "v": 5}),
    "int given as a float text": lambda p: write_archive(p, {"t": "int", "v": "5.0"}),
    "str given as a number": lambda p: write_archive(p, {"t": "str", "v": 3}),
    "float stored as an int array": lambda p: write_archive(p, {"t": "float", "i": 0}, a0=np.array(3)),
    "float stored as a vector": lambda p: write_archive(p, {"t": "float", "i": 0}, a0=np.zeros(2)),
    "an unknown node": lambda p: write_archive(p, {"t": "pickle", "v": "cos\nsystem"}),
    "an extra field": lambda p: write_archive(p, {"t": "none", "x": 1}),
    "a list that is not a list": lambda p: write_archive(p, {"t": "list", "v": {"a": 1}}),
    "structure not a string": lambda p: np.savez(p, structure=np.arange(3)),
    "structure not JSON": lambda p: write_archive(p, "{not json"),
    "another format": lambda p: write_archive(p, '{"format": "other", "version": 1, "tree": {"t": "none"}}'),
    "another version": lambda p: write_archive(p, '{"format": "optlib.tree", "version": 2, "tree": {"t": "none"}}'),
    "a version that is a bool": lambda p: write_archive(
        p, '{"format": "optlib.tree", "version": true, "tree": {"t": "none"}}'),
    "an array entry with another name": lambda p: write_archive(p, array_node(0), a0=np.zeros(2), x=np.ones(1)),
    "a .npy file": lambda p: np.save(open(p, "wb"), np.arange(3.0)),
    "a text file": lambda p: open(p, "w").write("step,3\nlr,0.1\n"),
    "an empty file": lambda p: open(p, "wb").close(),
    "a broken zip file": lambda p: open(p, "wb").write(b"PK\x03\x04" + b"\0" * 40),
}


@pytest.mark.parametrize("tamper", TAMPERED.values(), ids=TAMPERED.keys())
def test_a_tampered_checkpoint_raises_one_clear_value_error(tamper, tmp_path):
    path = tmp_path / "ckpt.npz"
    tamper(path)
    with pytest.raises(ValueError, match=r"load: '.*ckpt\.npz' is not a valid optlib\.tree checkpoint: "):
        T.load(path)


def test_a_missing_file_is_an_os_error():
    with pytest.raises(FileNotFoundError):
        T.load("no-such-checkpoint.npz")


def test_save_refuses_a_masked_array_rather_than_lose_its_mask(tmp_path):
    masked = np.ma.masked_array([1.0, -999.0], mask=[False, True])
    with pytest.raises(TypeError, match=r"masked array at \['x'\] would lose its mask"):
        T.save(tmp_path / "m.npz", {"x": masked})
    class Tagged(np.ndarray):
        """A subclass of ndarray, which load could not give back."""

    with pytest.raises(TypeError, match="is a Tagged, which would load as a plain ndarray"):
        T.save(tmp_path / "m.npz", [np.zeros(2).view(Tagged)])
    assert not (tmp_path / "m.npz").exists()
