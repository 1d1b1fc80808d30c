"""Docstrings carry the math and the source: every model, loss, initialisation and diagnostic."""
import importlib
import inspect
import re

import pytest
from book_layout import CHAPTER_NAMES as CHAPTERS, chapter_roles, run_doctests

from optlib import nn

MODULES = [f"optlib.nn.{name}" for name in ("init", "activations", "losses", "batchnorm", "mlp", "rnn",
                                            "diagnostics")]
DOCUMENTED = [nn.MLP, nn.RNN, nn.bptt, nn.truncated_bptt, nn.mse, nn.logistic, nn.softmax_cross_entropy,
              nn.init.normal, nn.init.xavier, nn.init.he, nn.init.orthogonal, nn.batchnorm.apply,
              nn.activations.sigmoid, nn.activations.relu, nn.activations.leaky_relu,
              nn.layer_grad_norms, nn.saturated_fraction, nn.dead_relu_fraction, nn.time_step_grad_norms]
#: the modules whose docstrings hold examples
WITH_EXAMPLES = ["optlib.nn.activations", "optlib.nn.rnn"]


@pytest.mark.parametrize("name", WITH_EXAMPLES)
def test_docstring_examples_run(name):
    result = run_doctests(name)
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.parametrize("obj", DOCUMENTED, ids=lambda o: o.__qualname__)
def test_docstring_has_a_reference_to_the_bibliography(obj):
    doc = inspect.getdoc(obj)
    assert re.search(r"^References\n-+$", doc, re.MULTILINE)
    assert re.search(r":cite:`[a-z]+\d{4}[a-z]?`", doc)


@pytest.mark.parametrize("obj", [nn.MLP, nn.RNN, nn.bptt, nn.truncated_bptt, nn.softmax_cross_entropy,
                                 nn.logistic, nn.init.orthogonal, nn.batchnorm.apply],
                         ids=lambda o: o.__qualname__)
def test_models_and_losses_state_their_math(obj):
    doc = inspect.getdoc(obj)
    assert re.search(r"^Notes\n-+$", doc, re.MULTILINE) and (".. math::" in doc or ":math:" in doc)


@pytest.mark.parametrize("name", MODULES)
def test_every_module_names_the_chapter_that_teaches_it(name):
    roles = chapter_roles(importlib.import_module(name))
    assert roles and set(roles) <= CHAPTERS, roles
