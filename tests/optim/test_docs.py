"""Docstrings carry the rule: every optimizer documents its update as math and cites its source."""
import importlib
import inspect
import re

import pytest
from book_layout import CHAPTER_NAMES as CHAPTERS, chapter_roles, run_doctests

from optlib import optim

MODULES = ["optlib.tree", "optlib.schedules"] + [
    f"optlib.optim.{name}" for name in ("sgd", "adagrad", "adadelta", "rmsprop", "adam", "adamw", "asgd",
                                        "natural_gradient", "run", "clip", "averaging", "early_stopping")
]
#: the modules whose docstrings hold examples
WITH_EXAMPLES = ["optlib.tree", "optlib.optim.sgd"]
OPTIMIZERS = [optim.SGD, optim.Adagrad, optim.Adadelta, optim.RMSprop, optim.Adam, optim.AdamW, optim.ASGD,
              optim.NaturalGradient]
BIB_KEYS = {"SGD": "sutskever2013", "Adagrad": "duchi2011", "Adadelta": "zeiler2012", "RMSprop": "tieleman2012",
            "Adam": "kingma2015", "AdamW": "loshchilov2019", "ASGD": "polyak1992", "NaturalGradient": "amari1998"}


@pytest.mark.parametrize("name", WITH_EXAMPLES)
def test_docstring_examples_run(name):
    result = run_doctests(name)
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.parametrize("name", [m for m in MODULES if m != "optlib.tree"])
def test_every_module_names_the_chapters_that_teach_it_with_the_chapter_role(name):
    roles = chapter_roles(importlib.import_module(name))
    assert roles and set(roles) <= CHAPTERS, roles


@pytest.mark.parametrize("cls", OPTIMIZERS, ids=lambda c: c.__name__)
def test_optimizer_docstring_has_the_rule_and_a_reference(cls):
    doc = inspect.getdoc(cls)
    for section in ("Parameters", "Notes", "References"):
        assert re.search(rf"^{section}\n-+$", doc, re.MULTILINE), section
    assert ".. math::" in doc and r"\theta_t" in doc
    assert f":cite:`{BIB_KEYS[cls.__name__]}`" in doc


@pytest.mark.parametrize("cls", OPTIMIZERS, ids=lambda c: c.__name__)
def test_optimizer_module_is_short_enough_to_print(cls):
    source = inspect.getsource(inspect.getmodule(cls))
    assert len(source.splitlines()) <= 140
    update = inspect.getsource(cls.update)
    assert len(update.splitlines()) <= 40
