"""The book's fixed layout (design/book.md): parts, chapter files, glossary terms, chapter anatomy."""
import importlib.util
import doctest
import importlib
import inspect
import json
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent

#: part folder -> chapter notebooks, in reading order (file names are fixed)
PARTS = {
    "01_differentiation": ["automatic_differentiation", "backpropagation", "bptt"],
    "02_training": ["epoch", "batch_size", "learning_rate", "learning_rate_decay", "cosine_decay",
                    "momentum", "early_stopping", "curriculum_learning", "end_to_end", "polyak_averaging"],
    "03_landscape": ["error_surface", "saddle_points", "saturation", "vanishing_gradients",
                     "exploding_gradients", "gradient_clipping", "depth"],
    "04_first_order": ["optimizers", "nesterov", "adagrad", "adadelta", "rmsprop", "adam", "asgd",
                       "coordinate_descent", "subgradient_method"],
    "05_second_order": ["newtons_method", "bfgs", "conjugate_gradient", "krylov_subspace_descent",
                        "natural_gradient"],
    "06_distributed": ["distributed_training", "synchronous_sgd", "asynchronous_sgd"],
}

#: glossary term -> the chapter (docname) that teaches it
GLOSSARY = {
    "Automatic differentiation": "01_differentiation/automatic_differentiation",
    "Backpropagation": "01_differentiation/backpropagation",
    "Backpropagation through time": "01_differentiation/bptt",
    "Epoch": "02_training/epoch",
    "Batch size": "02_training/batch_size",
    "Learning rate": "02_training/learning_rate",
    "Learning rate decay": "02_training/learning_rate_decay",
    "Cosine decay": "02_training/cosine_decay",
    "Momentum": "02_training/momentum",
    "Early stopping": "02_training/early_stopping",
    "Curriculum learning": "02_training/curriculum_learning",
    "End-to-end learning": "02_training/end_to_end",
    "Polyak averaging": "02_training/polyak_averaging",
    "Error surface": "03_landscape/error_surface",
    "Saddle point": "03_landscape/saddle_points",
    "Saturation": "03_landscape/saturation",
    "Vanishing gradient": "03_landscape/vanishing_gradients",
    "Exploding gradient": "03_landscape/exploding_gradients",
    "Gradient clipping": "03_landscape/gradient_clipping",
    "Depth": "03_landscape/depth",
    "Optimizer": "04_first_order/optimizers",
    "Nesterov momentum": "04_first_order/nesterov",
    "AdaGrad": "04_first_order/adagrad",
    "AdaDelta": "04_first_order/adadelta",
    "RMSProp": "04_first_order/rmsprop",
    "Adam": "04_first_order/adam",
    "Averaged stochastic gradient descent": "04_first_order/asgd",
    "Coordinate descent": "04_first_order/coordinate_descent",
    "Subgradient method": "04_first_order/subgradient_method",
    "Newton's method": "05_second_order/newtons_method",
    "BFGS": "05_second_order/bfgs",
    "Conjugate gradient": "05_second_order/conjugate_gradient",
    "Krylov subspace descent": "05_second_order/krylov_subspace_descent",
    "Natural gradient": "05_second_order/natural_gradient",
    "Distributed training": "06_distributed/distributed_training",
    "Synchronous SGD": "06_distributed/synchronous_sgd",
    "Asynchronous SGD": "06_distributed/asynchronous_sgd",
}

#: the level-2 headings of every chapter, in this order (design/book.md, "Anatomy of a chapter")
SECTIONS = ["Definition", "Build it", "See it", "Play with it", "Check it", "In practice", "Exercises"]


def config():
    return yaml.safe_load((ROOT / "_config.yml").read_text())


def toc_files():
    """Every file named in _toc.yml, without suffix."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            for key in ("root", "file"):
                if key in node:
                    found.append(node[key])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(yaml.safe_load((ROOT / "_toc.yml").read_text()))
    return [re.sub(r"\.(ipynb|md)$", "", f) for f in found]


def chapter_paths():
    """The chapter notebooks present in the repository (any under chapters/)."""
    return sorted(p for p in (ROOT / "chapters").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def read_notebook(path):
    return json.loads(Path(path).read_text())


def source(cell):
    return "".join(cell.get("source", ""))


def extension(name):
    """The book's Sphinx extension ``_ext/<name>.py``, imported as a module."""
    spec = importlib.util.spec_from_file_location(name, ROOT / "_ext" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


#: every chapter as "part/name", the targets the :chapter: role accepts
CHAPTER_NAMES = {f"{part}/{name}" for part, names in PARTS.items() for name in names}


def chapter_roles(module):
    """The targets of the ``:chapter:`part/name``` roles in a module's docstrings (its own and its members')."""
    docs = [module.__doc__ or ""] + [inspect.getdoc(obj) or "" for _, obj in inspect.getmembers(module)
                                     if getattr(obj, "__module__", None) == module.__name__]
    text = "\n".join(docs)
    assert "chapters/" not in text, "a chapter named by its path: use the :chapter: role"
    return re.findall(r":chapter:`([^`]*)`", text)


def run_doctests(module_name):
    """Run a module's docstring examples; the result counts what was attempted and what failed."""
    return doctest.testmod(importlib.import_module(module_name), optionflags=doctest.NORMALIZE_WHITESPACE)
