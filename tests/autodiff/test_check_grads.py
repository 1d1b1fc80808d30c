"""check_grads: silent on correct derivatives, a readable report on wrong ones."""
import numpy as np
import pytest

from optlib.autodiff import check_grads, logsumexp
from optlib.autodiff.core import Rule, bind, strip


def test_check_grads_accepts_correct_derivatives_up_to_order_two():
    x = np.array([0.3, -0.7, 1.1])
    W = np.array([[0.5, -1.0], [2.0, 0.1], [0.3, 0.3]])
    assert check_grads(lambda x, W: np.tanh(x @ W), (x, W)) is None
    assert check_grads(lambda x: logsumexp(x), (x,), order=2) is None
    assert check_grads(np.sin, x, modes=("rev",), order=1) is None


def test_check_grads_accepts_pytree_arguments():
    p = {"a": np.array([0.3, 0.5]), "b": [np.array(1.5)]}
    assert check_grads(lambda p: np.sum(p["a"] ** 2) * p["b"][0], (p,)) is None


_wrong_sin = Rule("wrong_sin", np.sin,
                  vjp=[lambda g, ans, x: g * np.sin(x)],      # should be cos
                  jvp=[lambda t, ans, x: t * np.cos(x)])


@pytest.mark.parametrize("mode, name", [("rev", "reverse-mode"), ("fwd", None)])
def test_check_grads_reports_a_wrong_first_derivative(mode, name):
    f = lambda x: bind(_wrong_sin, (x,))   # noqa: E731
    x = np.array([0.3, 0.9])
    if name is None:     # the forward rule is right
        assert check_grads(f, (x,), modes=(mode,), order=1) is None
        return
    with pytest.raises(AssertionError) as info:
        check_grads(f, (x,), modes=(mode,), order=1)
    report = str(info.value)
    assert name in report and "order 1" in report
    assert "autodiff:" in report and "finite differences:" in report and "kink" in report


_frozen_sin = Rule("frozen_sin", np.sin,
                   # right value, but computed on plain numbers: not differentiable again
                   vjp=[lambda g, ans, x: g * np.cos(strip(x))],
                   jvp=[lambda t, ans, x: t * np.cos(strip(x))])


def test_check_grads_order_two_catches_a_rule_that_does_not_trace():
    f = lambda x: bind(_frozen_sin, (x,))   # noqa: E731
    x = np.array([0.3, 0.9])
    assert check_grads(f, (x,), order=1) is None
    with pytest.raises(AssertionError, match="order 2"):
        check_grads(f, (x,), order=2)


def test_check_grads_rejects_unknown_modes_and_orders():
    with pytest.raises(ValueError, match="modes"):
        check_grads(np.sin, (np.ones(2),), modes=("sideways",))
    with pytest.raises(ValueError, match="order"):
        check_grads(np.sin, (np.ones(2),), order=0)
