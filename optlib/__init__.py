"""optlib: the small NumPy library behind the book *How neural networks are optimized*.

Every chapter of the book is backed by one of these modules:

- :mod:`optlib.autodiff` -- forward- and reverse-mode automatic differentiation of plain NumPy code
  (its functions are also importable from ``optlib`` itself: ``optlib.grad``, ``optlib.hvp``, ...);
- :mod:`optlib.optim` -- first-order optimizers with torch.optim's semantics, ``run``, clipping,
  averaging and early stopping;
- :mod:`optlib.schedules` -- learning-rate schedules;
- :mod:`optlib.second_order` -- ``minimize`` (Newton, BFGS, L-BFGS, nonlinear CG, Newton-CG,
  Krylov subspace descent, coordinate descent, subgradient), ``newton_root`` and linear
  ``conjugate_gradient``, all also importable from ``optlib``; :mod:`optlib.line_search`;
- :mod:`optlib.nn` -- small models (MLP, RNN / LSTM with full and truncated BPTT), losses, diagnostics;
- :mod:`optlib.data` -- synthetic data sets, the 8x8 digits, mini-batches, curriculum ordering;
- :mod:`optlib.functions` -- test objectives with their known minima and plotting bounds;
- :mod:`optlib.tree` -- pytrees: mapping, flattening, ``ravel`` and safe ``save`` / ``load``;
- :mod:`optlib.viz` -- the book's plot style, contour and surface plots, and the chapter widget helper;
- :mod:`optlib.distributed` -- synchronous and asynchronous SGD on Dask, and their simulators.
"""

from optlib import (autodiff, data, distributed, functions, line_search, nn, optim, schedules,
                    second_order, tree, viz)
from optlib.autodiff import (check_grads, grad, hessian, hvp, jacfwd, jacrev, jvp, logsumexp,
                             sigmoid, softmax, stop_gradient, trace, value_and_grad, vjp)
from optlib.second_order import conjugate_gradient, minimize, newton_root

__version__ = "0.1.0"

__all__ = ["autodiff", "data", "distributed", "functions", "line_search", "nn", "optim", "schedules",
           "second_order", "tree", "viz", "minimize", "newton_root", "conjugate_gradient",
           "grad", "value_and_grad", "vjp", "jvp", "jacfwd", "jacrev", "hessian", "hvp", "trace",
           "stop_gradient", "check_grads", "sigmoid", "logsumexp", "softmax"]
