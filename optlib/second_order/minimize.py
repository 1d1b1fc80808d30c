"""``optlib.minimize``: one front door for every second-order and line-search method.

Taught in :chapter:`05_second_order/newtons_method`, :chapter:`05_second_order/bfgs`,
:chapter:`05_second_order/conjugate_gradient` and :chapter:`05_second_order/krylov_subspace_descent`.
"""
import inspect

import numpy as np
from scipy.optimize import OptimizeResult

from optlib import _checks
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
        The options every method takes (except that ``"subgradient"`` has no
        ``gtol``):

        - ``gtol`` (float, default 1e-5): stop when
          :math:`\lVert \nabla f(x_k) \rVert_\infty \le` gtol, SciPy's test;
        - ``maxiter`` (int): iterations allowed, by default sized like SciPy's
          (``200 n`` for most methods, see each method);

        and the method's own settings, in its docstring:
        :func:`~optlib.second_order.gradient_descent.gradient_descent`,
        :func:`~optlib.second_order.newton.newton`,
        :func:`~optlib.second_order.bfgs.bfgs`, :func:`~optlib.second_order.lbfgs.lbfgs`,
        :func:`~optlib.second_order.nonlinear_cg.nonlinear_cg`,
        :func:`~optlib.second_order.newton_cg.newton_cg`,
        :func:`~optlib.second_order.krylov_subspace_descent.krylov_subspace_descent`,
        :func:`~optlib.second_order.coordinate_descent.coordinate_descent`,
        :func:`~optlib.second_order.subgradient.subgradient`. Each method is
        called as ``method(problem, x0, callback, **options)`` with the counted
        objective (:class:`~optlib.second_order.problem.Problem`) and the flat start.
        An option the method does not know raises ``ValueError``.

    Returns
    -------
    scipy.optimize.OptimizeResult
        ``x`` (x0's shape), ``fun``, ``jac``, ``nit``, ``nfev``, ``njev``,
        ``nhev``, ``success``, ``status``, ``message``, ``path`` (the iterates,
        shape ``(nit + 1, x0.size)``), and ``hess_inv`` for ``"bfgs"``. Trouble
        during the run gives ``success=False`` and a message, never an
        exception. ``status`` is a code of :mod:`optlib.second_order.status`:
        0 ``SUCCESS``, 1 ``MAXITER``, 2 ``LINE_SEARCH_FAILED``, 3 ``NOT_FINITE``
        (e.g. a NaN gradient at ``x0``), 6 ``TRUST_REGION_COLLAPSED`` (``"newton"``).

    Raises
    ------
    TypeError
        If ``fun``, ``jac``, ``hess``, ``hessp`` or ``callback`` has the wrong
        type, ``x0`` is not numeric, or an option has the wrong type.
    ValueError
        If ``fun(x0)`` is not finite, ``x0`` or a value of ``fun`` is complex
        (the imaginary part would be lost), ``x0`` is empty or not finite, the
        method or an option is unknown, or an option is out of range.

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
    method = _checks.choice("method", method, tuple(METHODS))
    start = _checks.real_array("x0", x0, finite=True)
    if start.size == 0:
        raise ValueError("x0 must have at least one entry, got an empty array")
    if not isinstance(args, tuple):
        args = (args,)
    if callback is not None:
        _checks.function("callback", callback, "None or a function")
    known = _method_options(method)
    settings = dict(options or {})
    unknown = sorted(set(settings) - set(known))
    if unknown:
        raise ValueError(f"unknown option(s) {unknown} for method {method!r}; it accepts {sorted(known)}")
    if tol is not None:
        tol = _checks.non_negative("tol", tol)
        if "gtol" in known:
            settings.setdefault("gtol", tol)
    if settings.get("maxiter") is not None:
        settings["maxiter"] = _checks.integer("maxiter", settings["maxiter"], minimum=0)
    if "gtol" in settings:
        settings["gtol"] = _checks.non_negative("gtol", settings["gtol"])

    problem = Problem(fun, start.shape, args, jac=jac, hess=hess, hessp=hessp)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        out = METHODS[method](problem, start.reshape(-1), callback=callback, **settings)
    out["x"] = problem.shaped(out["x"])
    out["jac"] = problem.shaped(out["jac"])
    return OptimizeResult(**out, nfev=problem.nfev, njev=problem.njev, nhev=problem.nhev)
