"""Docstrings of optlib.distributed: runnable examples, the chapters that teach it, the sources."""
import importlib
import inspect
import re

import pytest
from book_layout import CHAPTER_NAMES as CHAPTERS, chapter_roles, run_doctests

from optlib import distributed as dist

MODULES = [f"optlib.distributed.{name}"
           for name in ("batches", "cluster", "result", "simulation", "synchronous", "asynchronous")]


def test_docstring_examples_run():
    result = run_doctests("optlib.distributed.batches")
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.parametrize("name", MODULES)
def test_every_module_names_the_chapter_that_teaches_it(name):
    roles = chapter_roles(importlib.import_module(name))
    assert roles and set(roles) <= CHAPTERS, roles


@pytest.mark.parametrize("run", [dist.sync_sgd, dist.async_sgd, dist.simulate_sync, dist.simulate_async,
                                 dist.local_client], ids=lambda f: f.__name__)
def test_the_runs_cite_their_sources(run):
    assert re.search(r":cite:`[a-z]+\d{4}", inspect.getdoc(run))
