"""The module reads like a reference implementation: runnable examples, one complete table of rules."""
import doctest
import importlib
import inspect

import pytest

import optlib.autodiff as autodiff
from optlib.autodiff.rules import RULES, _Each

MODULES = ["optlib.autodiff", "optlib.autodiff.core", "optlib.autodiff.rules",
           "optlib.autodiff.transforms", "optlib.autodiff.graph", "optlib.autodiff.check",
           "optlib.autodiff.special"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0, f"{name} has no example in its docstrings"
    assert result.failed == 0


@pytest.mark.parametrize("name", autodiff.__all__)
def test_every_public_name_has_a_docstring(name):
    assert len(inspect.getdoc(getattr(autodiff, name)) or "") > 40


@pytest.mark.parametrize("rule", list(RULES.values()), ids=lambda r: r.name)
def test_every_rule_has_vjp_and_jvp_side_by_side(rule):
    if isinstance(rule.vjp, _Each):          # variadic operations: one function for every argument
        assert isinstance(rule.jvp, _Each)
        return
    assert len(rule.vjp) == len(rule.jvp) >= 1
    for vjp, jvp in zip(rule.vjp, rule.jvp):
        assert (vjp is None) == (jvp is None)
    assert rule.saves in ("all", "args", "ans", "shapes")
