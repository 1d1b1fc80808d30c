"""``optlib.minimize``: one front door for every second-order and line-search method.

Defined here, taught in the part *Second-order methods* of the book.
"""
import inspect
import numbers

import numpy as np
from scipy.optimize import OptimizeResult

from optlib.second_order.bfgs import bfgs
from optlib.second_order.coordinate_descent import coordinate_descent
from optlib.second_order.gradient_descent import gradient_descent
from optlib.second_order.krylov_subspace_descent import krylov_subspace_descent
from optlib.second_order.lbfgs import lbfgs
from optlib.second_order.newton import newton
from optlib.second_order.newton_cg import newton_cg
from optlib.second_order.nonlinear_cg import nonlinear_cg
from optlib.second_order.problem import Problem
from optlib.second_order.subgradient import subgradient

__all__ = ["minimize", "METHODS"]

#: The methods, by the name ``minimize`` takes.
METHODS = {
    "gd": gradient_descent,
    "newton": newton,
    "bfgs": bfgs,
    "lbfgs": lbfgs,
    "cg": nonlinear_cg,
    "newton-cg": newton_cg,
    "ksd": krylov_subspace_descent,
    "coordinate": coordinate_descent,
    "subgradient": subgradient,
}


def _method_options(method):
    """The options a method accepts, with their defaults."""
    parameters = inspect.signature(METHODS[method]).parameters
    return {name: p.default for name, p in parameters.items() if name not in ("problem", "x0", "callback")}


def _check_positive_int(name, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 0:
        raise ValueError(f"{name} must be a non-negative integer, got {value!r}")


def minimize(fun, x0, args=(), method="bfgs", jac=None, hess=None, hessp=None, tol=None, callback=None,
             options=None):
    r"""Minimise ``fun(x, *args)`` from ``x0``, SciPy-style.

    Parameters
    ----------
    fun : callable
        ``fun(x, *args) -> float`` written in plain NumPy (then gradients,
        Hessians and Hessian-vector products come from :mod:`optlib.autodiff`),
        or returning ``(value, gradient)`` when ``jac=True``.
    x0 : array_like
        The start. Any shape; ``fun`` always receives ``x`` in this shape and
        ``res.x`` has it too. To optimise a pytree, flatten it with
        :func:`optlib.tree.ravel`.
    args : tuple
        Extra arguments of ``fun`` (and of ``jac``, ``hess``, ``hessp``), e.g. the data.
    method : str
        ``"gd"``, ``"newton"``, ``"bfgs"`` (default), ``"lbfgs"``, ``"cg"``,
        ``"newton-cg"``, ``"ksd"``, ``"coordinate"`` or ``"subgradient"``.
    jac : None, True or callable
        None: exact gradients by automatic differentiation. True: ``fun``
        returns the gradient too. A callable: ``jac(x, *args)``.
    hess, hessp : callable, optional
        ``hess(x, *args)`` the dense Hessian, ``hessp(x, p, *args)`` its product
        with ``p``; by automatic differentiation when not given.
    tol : float, optional
        Sets ``gtol`` unless ``options`` does.
    callback : callable, optional
        ``callback(xk)`` after every iteration, ``xk`` in x0's shape.
    options : dict, optional
        ``maxiter``, ``gtol`` and the method's own settings (see each
        method's docstring: :func:`~optlib.second_order.bfgs.bfgs`, ...).
        An option the method does not know raises ``ValueError``.

    Returns
    -------
    scipy.optimize.OptimizeResult
        ``x`` (x0's shape), ``fun``, ``jac``, ``nit``, ``nfev``, ``njev``,
        ``nhev``, ``success``, ``status`` (0 success, 1 maxiter, 2 line search
        failed, 3 non-finite values), ``message``, ``path`` (the iterates, shape
        ``(nit + 1, x0.size)``), and ``hess_inv`` for ``"bfgs"``. Trouble
        during the run gives ``success=False`` and a message, never an
        exception.

    Raises
    ------
    ValueError
        If ``fun(x0)`` is not finite, ``x0`` is not a finite real array, the
        method or an option is unknown.

    Notes
    -----
    Evaluations are counted as SciPy counts them: one value 1 in ``nfev``
    (line-search trials included), one gradient 1 in ``njev``, one Hessian or
    Hessian-vector product 1 in ``nhev``. For ``"coordinate"`` one iteration
    is a sweep over all coordinates; for ``"subgradient"``, ``x`` and
    ``fun`` are the best point seen.

    Examples
    --------
    >>> import numpy as np
    >>> import optlib
    >>> rosen = lambda x: np.sum(100 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)
    >>> res = optlib.minimize(rosen, np.array([-1.2, 1.0]), method="bfgs")
    >>> bool(res.success), np.round(res.x, 4).tolist()
    (True, [1.0, 1.0])

    References
    ----------
    :cite:`nocedal2006`.
    """
    if not isinstance(method, str) or method.lower() not in METHODS:
        raise ValueError(f"method must be one of {sorted(METHODS)}, got {method!r}")
    method = method.lower()
    try:
        start = np.array(x0, dtype=float)
    except (TypeError, ValueError) as error:
        raise TypeError(f"x0 must be an array of real numbers, got {x0!r}") from error
    if start.size == 0:
        raise ValueError("x0 must have at least one entry, got an empty array")
    if not np.all(np.isfinite(start)):
        raise ValueError(f"x0 must hold finite values only, got {start.reshape(-1)[:5].tolist()}")
    if not isinstance(args, tuple):
        args = (args,)
    if callback is not None and not callable(callback):
        raise TypeError(f"callback must be callable or None, got {callback!r}")
    known = _method_options(method)
    settings = dict(options or {})
    unknown = sorted(set(settings) - set(known))
    if unknown:
        raise ValueError(f"unknown option(s) {unknown} for method {method!r}; it accepts {sorted(known)}")
    if tol is not None:
        if not (isinstance(tol, numbers.Real) and np.isfinite(tol) and tol >= 0):
            raise ValueError(f"tol must be a non-negative finite number, got {tol!r}")
        if "gtol" in known:
            settings.setdefault("gtol", float(tol))
    if settings.get("maxiter") is not None:
        _check_positive_int("maxiter", settings["maxiter"])
    if "gtol" in settings and not (isinstance(settings["gtol"], numbers.Real) and settings["gtol"] >= 0):
        raise ValueError(f"gtol must be a non-negative number, got {settings['gtol']!r}")

    problem = Problem(fun, start.shape, args, jac=jac, hess=hess, hessp=hessp)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        out = METHODS[method](problem, start.reshape(-1), callback=callback, **settings)
    out["x"] = problem.shaped(out["x"])
    out["jac"] = problem.shaped(out["jac"])
    return OptimizeResult(**out, nfev=problem.nfev, njev=problem.njev, nhev=problem.nhev)
