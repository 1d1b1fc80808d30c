"""Docstrings of the data sets: runnable examples, the construction as math, the source."""
import importlib
import inspect
import re

import pytest
from book_layout import CHAPTER_NAMES as CHAPTERS, chapter_roles, run_doctests

from optlib import data

MODULES = [f"optlib.data.{name}" for name in ("synthetic", "sequences", "digits", "batching", "curriculum")]
DOCUMENTED = [data.two_moons, data.spirals, data.linear_regression, data.polynomial_regression,
              data.sparse_classification, data.adding_problem, data.copy_task, data.load_digits,
              data.train_val_test_split, data.minibatches, data.pacing, data.curriculum_batches]
#: the modules whose docstrings hold examples
WITH_EXAMPLES = [f"optlib.data.{name}" for name in ("synthetic", "batching", "curriculum")]


@pytest.mark.parametrize("name", WITH_EXAMPLES)
def test_docstring_examples_run(name):
    result = run_doctests(name)
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.parametrize("obj", DOCUMENTED, ids=lambda o: o.__name__)
def test_docstring_documents_returns_and_cites_a_source(obj):
    doc = inspect.getdoc(obj)
    for section in ("Parameters", "Returns", "References"):
        assert re.search(rf"^{section}\n-+$", doc, re.MULTILINE), section
    assert re.search(r":cite:`[a-z]+\d{4}[a-z]?`", doc)


@pytest.mark.parametrize("name", MODULES)
def test_every_module_names_the_chapter_that_uses_it(name):
    roles = chapter_roles(importlib.import_module(name))
    assert roles and set(roles) <= CHAPTERS, roles
