"""optlib.autodiff: forward- and reverse-mode automatic differentiation of plain NumPy code.

Taught in :chapter:`01_differentiation/automatic_differentiation` and
:chapter:`01_differentiation/backpropagation`.

Write a function with ``import numpy as np`` and nothing else; the transforms
trace it through NumPy's ``__array_ufunc__`` / ``__array_function__`` hooks:

>>> import numpy as np
>>> from optlib.autodiff import grad
>>> f = lambda x: np.sum(np.tanh(x) ** 2)
>>> g = grad(f)(np.array([0.5, -1.0]))

Layout: :mod:`~optlib.autodiff.core` (traced values, the tape, the backward
pass, forward-mode tangents), :mod:`~optlib.autodiff.rules` (the one table of
derivative rules), :mod:`~optlib.autodiff.transforms` (grad, jvp, ...),
:mod:`~optlib.autodiff.graph` (the computation graph, path and operation counting),
:mod:`~optlib.autodiff.check` (finite-difference checks) and
:mod:`~optlib.autodiff.special` (sigmoid, logsumexp, softmax, log_softmax: as in
scipy.special).
"""
from optlib.autodiff import rules  # noqa: F401  (fills the table of rules)
from optlib.autodiff.check import check_grads
from optlib.autodiff.special import log_softmax, logsumexp, sigmoid, softmax
from optlib.autodiff.graph import (Graph, Node, count_edges, count_paths, dense_graph,
                                   graph_from_edges, operations, pass_costs, trace)
from optlib.autodiff.transforms import (grad, hessian, hvp, jacfwd, jacrev, jvp, stop_gradient,
                                        value_and_grad, vjp)

__all__ = ["grad", "value_and_grad", "vjp", "jvp", "jacfwd", "jacrev", "hessian", "hvp",
           "trace", "stop_gradient", "check_grads", "sigmoid", "logsumexp", "softmax",
           "log_softmax", "Graph", "Node", "count_edges", "count_paths", "operations", "pass_costs",
           "dense_graph", "graph_from_edges"]
