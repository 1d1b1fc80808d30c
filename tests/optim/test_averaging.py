"""Polyak averaging (all iterates or a window) and the exponential moving average."""
import numpy as np
import pytest

from optlib import optim
from optlib import tree as T


def iterates(n):
    rng = np.random.default_rng(3)
    return [{"w": rng.normal(size=3), "b": float(rng.normal())} for _ in range(n)]


def test_polyak_average_of_all_iterates():
    avg = optim.PolyakAverage()
    xs = iterates(7)
    state = avg.init(xs[0])
    assert avg.value(state)["b"] == xs[0]["b"]  # before any update: the starting point
    for x in xs:
        state = avg.update(x, state)
    value = avg.value(state)
    np.testing.assert_allclose(value["w"], np.mean([x["w"] for x in xs], axis=0), rtol=1e-14)
    assert value["b"] == pytest.approx(np.mean([x["b"] for x in xs]), rel=1e-14)
    assert type(value["b"]) is float


def test_polyak_average_over_a_window():
    avg = optim.PolyakAverage(window=3)
    xs = iterates(8)
    state = avg.init(xs[0])
    for n, x in enumerate(xs, start=1):
        state = avg.update(x, state)
        last = xs[max(0, n - 3):n]
        np.testing.assert_allclose(avg.value(state)["w"], np.mean([y["w"] for y in last], axis=0), rtol=1e-14)
    assert len(state["iterates"]) == 3


def test_polyak_average_copies_and_does_not_mutate():
    avg = optim.PolyakAverage(window=2)
    x = {"w": np.ones(2), "b": 0.0}
    state = avg.update(x, avg.init(x))
    x["w"][0] = 100.0  # the caller changes its array afterwards
    assert avg.value(state)["w"][0] == 1.0


def test_exponential_moving_average():
    ema = optim.ExponentialMovingAverage(decay=0.9)
    xs = iterates(5)
    state = ema.init(xs[0])
    expected = None
    for x in xs:
        state = ema.update(x, state)
        expected = x["w"] if expected is None else 0.9 * expected + 0.1 * x["w"]
    np.testing.assert_allclose(ema.value(state)["w"], expected, rtol=1e-14)


@pytest.mark.parametrize("averager", [optim.PolyakAverage(), optim.PolyakAverage(window=2),
                                      optim.ExponentialMovingAverage(0.5)], ids=repr)
def test_averaging_state_saves_and_resumes(averager, tmp_path):
    xs = iterates(5)
    state = averager.init(xs[0])
    for x in xs[:3]:
        state = averager.update(x, state)
    T.save(tmp_path / "avg.npz", state)
    loaded = T.load(tmp_path / "avg.npz")
    for x in xs[3:]:
        state, loaded = averager.update(x, state), averager.update(x, loaded)
    a, b = averager.value(state), averager.value(loaded)
    assert a["w"].tobytes() == b["w"].tobytes() and a["b"] == b["b"]


def test_averaging_validation():
    with pytest.raises(ValueError, match="window must be an integer >= 1, got 0"):
        optim.PolyakAverage(window=0)
    with pytest.raises(TypeError, match=r"window must be an integer, got 2\.0"):
        optim.PolyakAverage(window=2.0)
    with pytest.raises(ValueError, match=r"decay must lie in \[0, 1\], got 1\.5"):
        optim.ExponentialMovingAverage(decay=1.5)
    with pytest.raises(TypeError, match="decay must be a real number, got '0.9'"):
        optim.ExponentialMovingAverage(decay="0.9")


AVERAGERS = [optim.PolyakAverage(), optim.PolyakAverage(window=2), optim.ExponentialMovingAverage(0.5)]


@pytest.mark.parametrize("averager", AVERAGERS, ids=repr)
def test_a_complex_iterate_raises_naming_the_leaf(averager):
    x = {"w": np.ones(3), "b": 0.5}
    state = averager.update(x, averager.init(x))   # the EMA's second update mixes in the new iterate
    with pytest.raises(ValueError, match=r"params\['w'\] has dtype complex128"):
        averager.update({"w": np.ones(3) * 1j, "b": 0.5}, state)
    with pytest.raises(ValueError, match=r"params\['b'\] is 0\.5j \(complex\)"):
        averager.update({"w": np.ones(3), "b": 0.5j}, state)
    with pytest.raises(ValueError, match=r"params\['w'\] has dtype complex128"):
        averager.init({"w": np.ones(3) * 1j, "b": 0.5})


@pytest.mark.parametrize("averager", AVERAGERS, ids=repr)
def test_an_iterate_shaped_unlike_the_average_raises_naming_the_leaf_and_both_shapes(averager):
    x = {"w": np.ones(3), "b": 0.5}
    state = averager.update(x, averager.init(x))
    # shape (1,) against (3,) would broadcast: the average would change shape, silently wrong
    with pytest.raises(ValueError, match=r"params\['w'\] has shape \(1,\), but state\['\w+'\]\['w'\] has "
                                         r"shape \(3,\)"):
        averager.update({"w": np.ones(1), "b": 0.5}, state)
    with pytest.raises(ValueError, match="params must have the structure of state"):
        averager.update({"w": np.ones(3)}, state)
