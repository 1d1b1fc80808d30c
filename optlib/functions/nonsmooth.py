r"""Non-smooth objectives for the subgradient method: a weighted L1 distance and the hinge loss.

Both are convex with kinks (``kinks=True``): their gradient exists only
almost everywhere, and at the minimizer only a subdifferential does.
"""
import numpy as np
from scipy import optimize, special

from optlib import _checks
from optlib.functions.objective import Objective, _square_window, _vector

__all__ = ["l1", "hinge"]


def l1(weights=(1.0, 2.0), center=(1.0, -0.5)):
    r"""A weighted L1 distance to a point: convex, with kinks along every line :math:`x_i = c_i`.

    Taught in :chapter:`04_first_order/subgradient_method`.

    Parameters
    ----------
    weights : sequence of float
        The positive weights :math:`w_i`, one per coordinate.
    center : sequence of float
        The minimizer :math:`c`, as long as ``weights``.

    Returns
    -------
    Objective
        Minimum 0 at ``center``, ``kinks=True``.

    Notes
    -----
    .. math::

        f(x) = \sum_{i=1}^{d} w_i \,\lvert x_i - c_i \rvert, \qquad
        \partial f(x) = \{ g : g_i = w_i \operatorname{sign}(x_i - c_i)
        \text{ if } x_i \ne c_i,\ g_i \in [-w_i, w_i] \text{ otherwise} \}.

    The gradient has the same size :math:`\lVert w \rVert` everywhere off the
    kinks, however close to the minimizer: a gradient step of fixed length
    overshoots forever, which is why the subgradient method needs diminishing
    steps. The start is :math:`c + (-2, 2, -2, \dots)`, away from the kinks;
    the window is the square :math:`c \pm 3`.

    References
    ----------
    :cite:`shor1985`; :cite:`boyd2003`.
    """
    weights = _vector("weights", weights)
    center = _vector("center", center, size=weights.size, what=f"to match weights of length {weights.size}")
    if weights.size == 0:
        raise ValueError("weights must have at least one entry, got an empty sequence")
    if np.any(weights <= 0):
        raise ValueError(f"weights must all be positive, got {weights.tolist()}")
    terms = tuple(zip(weights.tolist(), center.tolist()))

    def fun(x):
        return sum(w * np.abs(x[i] - c) for i, (w, c) in enumerate(terms))

    dim = weights.size
    offset = np.where(np.arange(dim) % 2 == 0, -2.0, 2.0)
    return Objective(
        name="weighted L1", fun=fun, dim=dim, minimizers=(center,), minimum=0.0,
        bounds=_square_window(center, 3.0), start=center + offset, kinks=True)


def hinge(X, y, l2=0.0):
    r"""The mean hinge loss of a linear classifier, plus an optional L2 penalty.

    Taught in :chapter:`04_first_order/subgradient_method`.

    Parameters
    ----------
    X : array_like of shape (n, d)
        The examples, one per row.
    y : array_like of shape (n,)
        The labels, each -1 or +1.
    l2 : float
        The penalty weight :math:`\lambda \ge 0`.

    Returns
    -------
    Objective
        A convex function of the weights with ``kinks=True``, start :math:`w = 0`
        (where :math:`f = 1`).

    Raises
    ------
    ValueError
        On shapes that do not match, non-finite values, labels other than
        :math:`\pm 1`, or a negative ``l2``.

    Notes
    -----
    .. math::

        f(w) = \frac1n \sum_{i=1}^n \max\bigl(0,\ 1 - y_i\, x_i^\top w\bigr)
               + \frac{\lambda}{2} \lVert w \rVert^2 .

    This is the objective of a linear support vector machine; with
    :math:`\lambda > 0` it is the one that Pegasos minimises by stochastic
    subgradient steps.

    The minimizer is computed at construction, then certified. With
    :math:`\lambda = 0` the problem is a linear program, solved by
    :func:`scipy.optimize.linprog`; with :math:`\lambda > 0` the hinge is
    smoothed, :math:`\max(0, t) \approx \mu \log(1 + e^{t/\mu})`, and
    Newton's method (:func:`optlib.minimize` with ``method="newton"``) follows
    the minimizer as :math:`\mu` shrinks from 1 to :math:`10^{-12}`. Either
    answer is then made exact: the examples on the margin
    (:math:`y_i x_i^\top w = 1`) are identified, the optimality conditions
    :math:`\lambda w = \frac1n \bigl(\sum_{\text{inside}} y_i x_i
    + \sum_{\text{on margin}} \alpha_i y_i x_i\bigr)`,
    :math:`y_i x_i^\top w = 1` on the margin, are solved as a linear system,
    and the multipliers are checked to lie in :math:`[0, 1]`, which proves that
    the point is a global minimizer.

    With :math:`\lambda > 0` the function is strongly convex and the minimizer
    is unique. With :math:`\lambda = 0` it is listed only when the multipliers
    lie strictly inside :math:`(0, 1)` and the margin examples span
    :math:`\mathbb{R}^d`, which proves uniqueness; otherwise (for example on
    separable data, where every :math:`w` with all margins at least 1 gives
    0) ``minimizers`` is empty and ``minimum`` still holds the certified
    minimum value. If the certificate fails (a degenerate problem),
    ``minimizers`` is empty and ``minimum`` is ``nan``.

    The window is a square centred on the minimizer (the origin when there is
    none) that contains the start, at least :math:`\pm 2/s` wide, where
    :math:`s` is the root-mean-square norm of the examples.

    References
    ----------
    :cite:`cortes1995`; :cite:`shalevshwartz2011`.
    """
    X = _checks.real_array("X", X, ndim=2, finite=True)
    n, dim = X.shape
    if n == 0 or dim == 0:
        raise ValueError(f"X must have at least one row and one column, got shape {X.shape}")
    y = _vector("y", y, size=n, what=f"to match X of shape {X.shape}")
    if not np.all(np.abs(y) == 1.0):
        bad = np.unique(y[np.abs(y) != 1.0])
        raise ValueError(f"y must hold labels -1 and +1 only, got {bad[:5].tolist()}")
    l2 = _checks.non_negative("l2", l2)
    Z = y[:, None] * X            # row i is y_i x_i, so margins are Z w

    def fun(w):
        margins = np.einsum("nj,j...->n...", Z, w)
        return np.sum(np.maximum(0.0, 1.0 - margins), axis=0) / n + 0.5 * l2 * np.sum(w ** 2, axis=0)

    minimizer, minimum, unique = _solve_hinge(Z, l2)
    minimizers = (minimizer,) if unique else ()
    scale = np.sqrt(np.mean(np.sum(X ** 2, axis=1)))
    center = minimizer if unique else np.zeros(dim)
    half_width = max(1.5 * np.max(np.abs(center)), 2.0 / scale if scale > 0 else 1.0)
    penalty = f", l2={l2:g}" if l2 > 0 else ""
    return Objective(
        name=f"hinge loss ({n} examples, {dim} weights{penalty})", fun=fun, dim=dim,
        minimizers=minimizers, minimum=minimum, bounds=_square_window(center, half_width),
        start=np.zeros(dim), kinks=True)


def _solve_hinge(Z, l2):
    """Minimise the (penalised) mean hinge loss with margins ``Z @ w``.

    Returns ``(w, minimum, unique)``; ``w`` is None and ``minimum`` nan when no
    certified answer was found.
    """
    n, dim = Z.shape
    if l2 == 0:
        # variables (w, xi): minimise mean(xi) subject to xi >= 1 - Z w, xi >= 0
        result = optimize.linprog(
            c=np.concatenate([np.zeros(dim), np.full(n, 1.0 / n)]),
            A_ub=np.hstack([-Z, -np.eye(n)]), b_ub=-np.ones(n),
            bounds=[(None, None)] * dim + [(0, None)] * n, method="highs")
        approximate = result.x[:dim] if result.status == 0 else None
    else:
        approximate = _smoothed_hinge_minimizer(Z, l2)
    if approximate is None:
        return None, np.nan, False
    for tolerance in (1e-9, 1e-7, 1e-5, 1e-3):
        certified = _certify_hinge(Z, l2, approximate, tolerance)
        if certified is not None:
            return certified
    return None, np.nan, False


def _smoothed_hinge_minimizer(Z, l2):
    r"""Approximate minimizer of the penalised hinge loss by smoothing and Newton's method.

    The hinge :math:`\max(0, t)` is replaced by :math:`\mu \log(1 + e^{t/\mu})`,
    whose minimizer tends to the true one as :math:`\mu \to 0`;
    :func:`optlib.minimize` with ``method="newton"`` follows
    :math:`\mu = 1, 10^{-1}, \dots, 10^{-12}`, each solve started from the
    previous answer. With few weights every Newton step costs one small linear
    solve, however many examples there are.
    """
    from optlib.second_order import minimize      # imported here: a sibling package of this one

    w = np.zeros(Z.shape[1])
    for mu in 10.0 ** -np.arange(13):
        # an unconverged solve (rounding stops the line search) still hands on its best point
        w = minimize(_smoothed_hinge, w, args=(Z, l2, mu), method="newton", jac=_smoothed_hinge_gradient,
                     hess=_smoothed_hinge_hessian, options={"gtol": 1e-13, "maxiter": 100}).x
    return w


def _smoothed_hinge(w, Z, l2, mu):
    """The smoothed objective: mean of mu log(1 + exp((1 - z_i w) / mu)), plus the penalty."""
    return mu * np.mean(np.logaddexp(0.0, (1.0 - Z @ w) / mu)) + 0.5 * l2 * w @ w


def _smoothed_hinge_gradient(w, Z, l2, mu):
    weight = special.expit((1.0 - Z @ w) / mu)      # derivative of the smoothed hinge
    return l2 * w - Z.T @ weight / len(Z)


def _smoothed_hinge_hessian(w, Z, l2, mu):
    weight = special.expit((1.0 - Z @ w) / mu)
    return (Z.T * (weight * (1.0 - weight) / mu)) @ Z / len(Z) + l2 * np.eye(Z.shape[1])


def _certify_hinge(Z, l2, approximate, tolerance):
    """Solve the optimality conditions exactly for the margin pattern of ``approximate``.

    Returns ``(w, minimum, unique)``, or None when the multipliers or margins
    of the solution contradict the guessed pattern.
    """
    n, dim = Z.shape
    margins = Z @ approximate
    on_margin = np.abs(margins - 1.0) <= tolerance
    inside = (margins < 1.0) & ~on_margin              # these examples have a positive hinge loss
    Z0 = Z[on_margin]
    k = Z0.shape[0]
    # unknowns (w, alpha):  l2 w - Z0^T alpha / n = sum_inside z_i / n,   Z0 w = 1
    system = np.block([[l2 * np.eye(dim), -Z0.T / n], [Z0, np.zeros((k, k))]])
    rhs = np.concatenate([Z[inside].sum(axis=0) / n, np.ones(k)])
    guess = np.concatenate([approximate, np.zeros(k)])
    # the solution nearest the guess: with fewer margin examples than weights (l2 = 0) there are many
    solution = guess + np.linalg.lstsq(system, rhs - system @ guess, rcond=None)[0]
    scale = 1.0 + np.abs(rhs).max()
    if np.max(np.abs(system @ solution - rhs)) > 1e-9 * scale:
        return None
    w, alpha = solution[:dim], solution[dim:]
    margins = Z @ w
    slack = 1e-9
    if (np.any(alpha < -slack) or np.any(alpha > 1.0 + slack)
            or np.any(margins[inside] > 1.0 + slack)
            or np.any(margins[~inside & ~on_margin] < 1.0 - slack)):
        return None
    minimum = np.sum(np.maximum(0.0, 1.0 - margins)) / n + 0.5 * l2 * w @ w
    if l2 > 0:
        unique = True
    else:
        strictly_inside = np.all((alpha > slack) & (alpha < 1.0 - slack))
        unique = bool(k > 0 and strictly_inside and np.linalg.matrix_rank(Z0) == dim)
    return w, minimum, unique
