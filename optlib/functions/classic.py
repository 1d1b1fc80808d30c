r"""The book's classic test functions: quadratics, least squares and the 2-D landscapes.

Quadratic bowls of chosen condition number, general quadratics, the
least-squares error of a linear model, Rosenbrock's valley (2-D and n-D),
Beale, Himmelblau, the saddle and the monkey saddle, and Rastrigin. Every
constructor returns an :class:`~optlib.functions.Objective` that knows its
minimizers, minimum, notable critical points, standard start and window.
"""
from functools import lru_cache

import numpy as np
from scipy import linalg

from optlib import _checks
from optlib.functions.objective import (Objective, _level_set_half_width, _square_window, _vector)

__all__ = ["quadratic_bowl", "quadratic_bowl_matrix", "quadratic", "least_squares", "rosenbrock", "beale",
           "himmelblau", "saddle", "monkey_saddle", "rastrigin"]


# ---------------------------------------------------------------------------
# Quadratics
# ---------------------------------------------------------------------------

def quadratic_bowl_matrix(condition_number=10.0, angle=0.0):
    r"""The Hessian of :func:`quadratic_bowl`: a 2x2 matrix with eigenvalues 1 and ``condition_number``.

    Parameters
    ----------
    condition_number : float
        The ratio :math:`\kappa \ge 1` of the largest to the smallest eigenvalue.
    angle : float
        The rotation :math:`\theta`, in radians, of the eigenvectors from the
        coordinate axes.

    Returns
    -------
    ndarray of shape (2, 2)
        :math:`A = R_\theta \operatorname{diag}(1, \kappa) R_\theta^\top`, exactly symmetric.

    Notes
    -----
    With :math:`c = \cos\theta` and :math:`s = \sin\theta`,

    .. math::

        A = \begin{pmatrix} c^2 + \kappa s^2 & (1 - \kappa)\, c s \\
                            (1 - \kappa)\, c s & s^2 + \kappa c^2 \end{pmatrix},

    whose eigenvector :math:`(c, s)` has eigenvalue 1 (the flat direction) and
    eigenvector :math:`(-s, c)` has eigenvalue :math:`\kappa` (the steep one).
    """
    kappa = _check_condition_number(condition_number)
    angle = _checks.real("angle", angle)
    c, s = np.cos(angle), np.sin(angle)
    off_diagonal = (1.0 - kappa) * c * s
    return np.array([[c * c + kappa * s * s, off_diagonal],
                     [off_diagonal, s * s + kappa * c * c]])


def quadratic_bowl(condition_number=10.0, angle=0.0, center=(0.0, 0.0)):
    r"""A 2-D quadratic bowl of chosen condition number and orientation.

    Parameters
    ----------
    condition_number : float
        The ratio :math:`\kappa \ge 1` of the largest to the smallest curvature.
    angle : float
        The rotation :math:`\theta`, in radians, of the bowl's axes from the
        coordinate axes.
    center : sequence of 2 floats
        The minimizer :math:`c`.

    Returns
    -------
    Objective
        Minimum 0 at ``center``. The Hessian is the constant matrix
        :math:`A` returned by :func:`quadratic_bowl_matrix`.

    Notes
    -----
    .. math::

        f(x) = \tfrac12 (x - c)^\top A\, (x - c), \qquad
        A = R_\theta \operatorname{diag}(1, \kappa)\, R_\theta^\top .

    The level sets are ellipses whose axes point along the eigenvectors
    :math:`(\cos\theta, \sin\theta)` (eigenvalue 1) and
    :math:`(-\sin\theta, \cos\theta)` (eigenvalue :math:`\kappa`), with
    semi-axes in the ratio :math:`\sqrt{\kappa} : 1`.

    The start is :math:`c + R_\theta\,(2, 2/\kappa)`. From there steepest
    descent with exact line search is as slow as it can be on this bowl: every
    step multiplies :math:`f` by exactly
    :math:`\bigl((\kappa - 1)/(\kappa + 1)\bigr)^2`, the Kantorovich bound.
    The window is a square centred on :math:`c`, so a plot with equal axis
    scales shows the true shape of the ellipses.

    References
    ----------
    :cite:`nocedal2006`, section 3.3 (the rate of steepest descent on a quadratic).
    """
    kappa = _check_condition_number(condition_number)
    angle = _checks.real("angle", angle)
    center = _vector("center", center, size=2)
    matrix = quadratic_bowl_matrix(kappa, angle)
    (a11, a12), (_, a22) = matrix.tolist()
    c1, c2 = center.tolist()

    def fun(x):
        u = x[0] - c1
        v = x[1] - c2
        return 0.5 * (a11 * u ** 2 + 2.0 * a12 * u * v + a22 * v ** 2)

    cos, sin = np.cos(angle), np.sin(angle)
    offset = 2.0 * np.array([cos, sin]) + (2.0 / kappa) * np.array([-sin, cos])
    start = center + offset
    level = 0.5 * offset @ matrix @ offset
    return Objective(
        name=f"quadratic bowl (condition number {kappa:g}, angle {angle:g})",
        fun=fun, dim=2, minimizers=(center,), minimum=0.0,
        bounds=_square_window(center, _level_set_half_width(matrix, level)), start=start)


def quadratic(A, b=None, c=0.0):
    r"""A general quadratic :math:`\tfrac12 x^\top A x - b^\top x + c` with positive definite :math:`A`.

    Parameters
    ----------
    A : array_like of shape (d, d)
        A symmetric positive definite matrix, the Hessian.
    b : array_like of shape (d,), optional
        The linear term; zero by default.
    c : float
        The constant term.

    Returns
    -------
    Objective
        Its one minimizer solves :math:`A x = b`.

    Raises
    ------
    ValueError
        If ``A`` is not square, not symmetric or not positive definite (the
        message gives the smallest eigenvalue), or if a value is not finite.

    Notes
    -----
    .. math::

        f(x) = \tfrac12 x^\top A x - b^\top x + c, \qquad
        \nabla f(x) = A x - b, \qquad
        x^\star = A^{-1} b, \qquad
        f(x^\star) = c - \tfrac12 b^\top x^\star .

    A merely semidefinite :math:`A` is refused: then the minimizers form a
    whole affine subspace, or there are none. The start is :math:`x_0 = 0`,
    the usual first guess when solving :math:`Ax = b` (the all-ones vector
    when :math:`b = 0`, so that the start is not already the answer). The
    window is a cube centred on :math:`x^\star` that contains the level set
    through the start.

    References
    ----------
    :cite:`nocedal2006`, chapter 5; :cite:`shewchuk1994`.
    """
    A = _checks.real_array("A", A, ndim=2, finite=True)
    if A.shape[0] != A.shape[1] or A.shape[0] == 0:
        raise ValueError(f"A must be a non-empty square matrix, got shape {A.shape}")
    dim = A.shape[0]
    asymmetry = np.max(np.abs(A - A.T))
    if asymmetry > 1e-12 * np.max(np.abs(A)):
        raise ValueError(f"A must be symmetric, got max |A - A.T| = {asymmetry:.3g}")
    A = 0.5 * (A + A.T)
    eigenvalues = np.linalg.eigvalsh(A)
    if not eigenvalues[0] > dim * np.finfo(float).eps * np.max(np.abs(eigenvalues)):
        raise ValueError(f"A must be positive definite, got smallest eigenvalue {eigenvalues[0]:.6g} "
                         f"(largest {eigenvalues[-1]:.6g})")
    b = np.zeros(dim) if b is None else _vector("b", b, size=dim, what=f"to match A of shape {A.shape}")
    c = _checks.real("c", c)

    def fun(x):
        curvature = np.einsum("ij,j...->i...", A, x)
        return 0.5 * np.sum(x * curvature, axis=0) - np.einsum("i,i...->...", b, x) + c

    minimizer = linalg.solve(A, b, assume_a="pos")
    minimum = c - 0.5 * b @ minimizer
    start = np.ones(dim) if not np.any(b) else np.zeros(dim)
    level = 0.5 * start @ A @ start - b @ start + c - minimum
    return Objective(
        name=f"quadratic ({dim} variables, condition number {eigenvalues[-1] / eigenvalues[0]:.3g})",
        fun=fun, dim=dim, minimizers=(minimizer,), minimum=minimum,
        bounds=_square_window(minimizer, _level_set_half_width(A, level)), start=start)


def least_squares(X, y):
    r"""The mean squared error of a linear model, as a function of its weights.

    Taught in :chapter:`03_landscape/error_surface`.

    Parameters
    ----------
    X : array_like of shape (n, d)
        The design matrix, one example :math:`x_i^\top` per row. It must have
        full column rank :math:`d`, so that the minimizer is unique.
    y : array_like of shape (n,)
        The targets.

    Returns
    -------
    Objective
        A function of the weights :math:`w` of shape ``(d,)`` or ``(d, ...)``;
        its minimizer is the least-squares solution and its minimum the mean
        squared residual there. Both arrays are copied, so changing them later
        does not change the objective.

    Raises
    ------
    ValueError
        On shapes that do not match, non-finite values, or rank-deficient ``X``.

    Notes
    -----
    .. math::

        L(w) = \frac1n \sum_{i=1}^n \bigl(x_i^\top w - y_i\bigr)^2, \qquad
        \nabla^2 L = \frac2n X^\top X, \qquad
        w^\star = \operatorname*{arg\,min}_w \lVert X w - y \rVert^2 .

    The minimizer comes from :func:`numpy.linalg.lstsq`. The start is
    :math:`w = 0`. The window is a cube centred on :math:`w^\star` that
    contains the level set through the start with a margin, with the same
    width on every axis, so that a plot with equal axis scales shows how the
    features stretch and rotate the bowl.

    References
    ----------
    :cite:`lecun1998`; :cite:`goodfellow2016`, section 5.1.4.
    """
    X = _checks.real_array("X", X, ndim=2, finite=True)
    n, dim = X.shape
    if n == 0 or dim == 0:
        raise ValueError(f"X must have at least one row and one column, got shape {X.shape}")
    y = _vector("y", y, size=n, what=f"to match X of shape {X.shape}")
    rank = np.linalg.matrix_rank(X)
    if rank < dim:
        raise ValueError(f"X must have full column rank {dim} so that the minimizer is unique, "
                         f"got rank {rank} for X of shape {X.shape}")

    def fun(w):
        predictions = np.einsum("nj,j...->n...", X, w)
        residuals = (predictions.T - y).T        # .T reverses the axes, so y lines up with the examples
        return np.sum(residuals ** 2, axis=0) / n

    minimizer = np.linalg.lstsq(X, y, rcond=None)[0]
    residuals = X @ minimizer - y
    minimum = residuals @ residuals / n
    hessian = 2.0 * X.T @ X / n
    level = y @ y / n - minimum                  # L(0) - L(w*)
    return Objective(
        name=f"least squares ({n} examples, {dim} weights)", fun=fun, dim=dim,
        minimizers=(minimizer,), minimum=minimum,
        bounds=_square_window(minimizer, _level_set_half_width(hessian, level)), start=np.zeros(dim))


# ---------------------------------------------------------------------------
# Classical test functions
# ---------------------------------------------------------------------------

def _rosenbrock(x):
    return np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2, axis=0)


def rosenbrock(dim=2):
    r"""Rosenbrock's banana-shaped valley, in two or more dimensions.

    Parameters
    ----------
    dim : int
        The number of coordinates, at least 2.

    Returns
    -------
    Objective
        Minimum 0 at :math:`(1, \dots, 1)`, start :math:`(-1.2, 1, -1.2, 1, \dots)`.

    Notes
    -----
    .. math::

        f(x) = \sum_{i=1}^{d-1} \Bigl[100\,\bigl(x_{i+1} - x_i^2\bigr)^2 + (1 - x_i)^2\Bigr].

    For :math:`d = 2` this is the function of :cite:`rosenbrock1960`, started
    from :math:`(-1.2, 1)` as in :cite:`more1981`; for larger :math:`d` it is
    the chained generalisation (as in :func:`scipy.optimize.rosen`), started
    from :math:`(-1.2, 1, -1.2, 1, \dots)`. The global minimizer lies at the end
    of a long curved valley whose floor is nearly flat, so first-order methods
    crawl along it.

    For :math:`d \ge 4` the function also has a local minimizer
    :cite:`shang2006`, near :math:`(-0.78, 0.61, 0.38, 0.15)` for :math:`d = 4`
    and ever closer to :math:`(-1, 1, \dots, 1)` as :math:`d` grows. It is
    listed in ``stationary_points``, computed to full precision at
    construction by Newton's method (:func:`optlib.newton_root` on the
    gradient) started from :math:`(-1, 1, \dots, 1)`.

    The window is :math:`[-2, 2] \times [-1, 3]` in two dimensions and
    :math:`[-2, 2]` for every coordinate otherwise.

    References
    ----------
    :cite:`rosenbrock1960`; :cite:`more1981`; :cite:`shang2006`.
    """
    dim = _checks.integer("dim", dim, minimum=2)
    start = np.where(np.arange(dim) % 2 == 0, -1.2, 1.0)
    bounds = ((-2.0, 2.0), (-1.0, 3.0)) if dim == 2 else ((-2.0, 2.0),) * dim
    local_minimizer = _rosenbrock_local_minimizer(dim)
    return Objective(
        name="Rosenbrock" if dim == 2 else f"Rosenbrock ({dim}-D)", fun=_rosenbrock, dim=dim,
        minimizers=(np.ones(dim),), minimum=0.0, bounds=bounds, start=start,
        stationary_points=() if local_minimizer is None else (local_minimizer,))


def beale():
    r"""Beale's function: a narrow curved valley with flat, steep-walled arms.

    Returns
    -------
    Objective
        Minimum 0 at :math:`(3, 0.5)`, start :math:`(1, 1)`, window
        :math:`[-4.5, 4.5]^2`.

    Notes
    -----
    .. math::

        f(x, y) = (1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2 .

    The values span many orders of magnitude across the window, which makes
    the function a favourite for comparing adaptive step sizes. The window
    also holds two saddle points, :math:`(0, 1)` (where
    :math:`f = 14.203125` is constant along the line :math:`x = 0`) and
    :math:`(0.1005\ldots, -2.6445\ldots)`, listed in ``stationary_points``
    to full precision.
    The start :math:`(1, 1)` is the one of :cite:`more1981`.

    References
    ----------
    :cite:`more1981`, problem 5.
    """
    def fun(x):
        u, v = x[0], x[1]
        return ((1.5 - u + u * v) ** 2 + (2.25 - u + u * v ** 2) ** 2
                + (2.625 - u + u * v ** 3) ** 2)

    return Objective(
        name="Beale", fun=fun, dim=2, minimizers=(np.array([3.0, 0.5]),), minimum=0.0,
        bounds=((-4.5, 4.5), (-4.5, 4.5)), start=np.array([1.0, 1.0]),
        stationary_points=(np.array([0.0, 1.0]),
                           np.array([0.10053793732415836, -2.644513585023125])))


#: Himmelblau's four global minimizers, to the nearest double (checked by an exact Newton step in the tests).
_HIMMELBLAU_MINIMIZERS = (
    (3.0, 2.0),
    (-2.805118086952745, 3.131312518250573),
    (-3.779310253377747, -3.2831859912861696),
    (3.5844283403304917, -1.8481265269644036),
)
#: Its local maximum, then its four saddle points.
_HIMMELBLAU_STATIONARY = (
    (-0.2708445906673476, -0.9230385564799815),
    (-3.0730257507643897, -0.08135304428796751),
    (-0.12796134673068008, -1.9537149802445763),
    (0.08667750455539636, 2.884254701174776),
    (3.385154183607021, 0.07385187983774928),
)


def himmelblau():
    r"""Himmelblau's function: four global minima of equal depth.

    Returns
    -------
    Objective
        Minimum 0 at four points, start :math:`(0, 0)`, window :math:`[-5, 5]^2`.

    Notes
    -----
    .. math::

        f(x, y) = (x^2 + y - 11)^2 + (x + y^2 - 7)^2 .

    The minimizers are :math:`(3, 2)` and three irrational points, near
    :math:`(-2.8051, 3.1313)`, :math:`(-3.7793, -3.2832)` and
    :math:`(3.5844, -1.8481)`, all given to the nearest double. The
    ``stationary_points`` are the local maximum near :math:`(-0.2708, -0.9230)`
    (:math:`f \approx 181.617`) and the four saddle points between the basins,
    also to full precision: with the minimizers, all nine zeros of the
    gradient. Which minimizer a method reaches depends on where
    it starts, and Newton's method, which seeks any zero of the gradient, can
    converge to the maximum or a saddle. There is no standard start; the
    origin lies between the basins.

    References
    ----------
    :cite:`himmelblau1972`.
    """
    def fun(x):
        u, v = x[0], x[1]
        return (u ** 2 + v - 11.0) ** 2 + (u + v ** 2 - 7.0) ** 2

    return Objective(
        name="Himmelblau", fun=fun, dim=2,
        minimizers=tuple(np.array(point) for point in _HIMMELBLAU_MINIMIZERS), minimum=0.0,
        bounds=((-5.0, 5.0), (-5.0, 5.0)), start=np.array([0.0, 0.0]),
        stationary_points=tuple(np.array(point) for point in _HIMMELBLAU_STATIONARY))


def saddle():
    r"""The saddle :math:`x^2 - y^2`: unbounded below, one saddle point at the origin.

    Taught in :chapter:`03_landscape/saddle_points`.

    Returns
    -------
    Objective
        No minimizer (``minimum = -inf``); the origin is its only stationary
        point. Start :math:`(1.5, 0.01)`, window :math:`[-2, 2]^2`.

    Notes
    -----
    .. math::

        f(x, y) = x^2 - y^2, \qquad \nabla f = (2x, -2y), \qquad
        \nabla^2 f = \operatorname{diag}(2, -2).

    A strict saddle: the Hessian has a negative eigenvalue. The start lies just
    off the :math:`x`-axis, the set of points from which gradient descent
    converges to the saddle, so gradient descent first approaches the origin
    and then escapes along :math:`y` at a rate set by the negative curvature.

    References
    ----------
    :cite:`dauphin2014`; :cite:`ge2015`.
    """
    def fun(x):
        return x[0] ** 2 - x[1] ** 2

    return Objective(
        name="saddle", fun=fun, dim=2, minimizers=(), minimum=-np.inf,
        bounds=((-2.0, 2.0), (-2.0, 2.0)), start=np.array([1.5, 0.01]),
        stationary_points=(np.zeros(2),))


def monkey_saddle():
    r"""The monkey saddle :math:`x^3 - 3xy^2`: a degenerate saddle with three valleys.

    Taught in :chapter:`03_landscape/saddle_points`.

    Returns
    -------
    Objective
        No minimizer (``minimum = -inf``); the origin is its only stationary
        point. Start :math:`(1.5, 0.01)`, window :math:`[-2, 2]^2`.

    Notes
    -----
    .. math::

        f(x, y) = x^3 - 3 x y^2 = r^3 \cos 3\varphi
        \quad\text{in polar coordinates } (r, \varphi).

    Gradient and Hessian both vanish at the origin: the saddle is not strict.
    No second-order information reveals the way down, methods that escape
    saddles by following negative curvature get no help there, and gradient
    descent slows to a crawl near it. The function falls off in three valleys,
    at :math:`\varphi = \pi/3, \pi, 5\pi/3`.

    References
    ----------
    :cite:`ge2015`.
    """
    def fun(x):
        return x[0] ** 3 - 3.0 * x[0] * x[1] ** 2

    return Objective(
        name="monkey saddle", fun=fun, dim=2, minimizers=(), minimum=-np.inf,
        bounds=((-2.0, 2.0), (-2.0, 2.0)), start=np.array([1.5, 0.01]),
        stationary_points=(np.zeros(2),))


def rastrigin(dim=2):
    r"""Rastrigin's function: a bowl covered with a regular grid of local minima.

    Parameters
    ----------
    dim : int
        The number of coordinates, at least 1.

    Returns
    -------
    Objective
        Minimum 0 at the origin, start :math:`(2.5, \dots, 2.5)`, window
        :math:`[-5.12, 5.12]` for every coordinate.

    Notes
    -----
    .. math::

        f(x) = 10\, d + \sum_{i=1}^{d} \bigl(x_i^2 - 10 \cos 2\pi x_i\bigr).

    Near every point of the integer grid in the window there is a local
    minimizer, so a descent method stops in whichever basin it starts in or
    steps into. The window :math:`[-5.12, 5.12]^d` is the customary one. There is no standard
    start (the literature draws random ones); :math:`(2.5, \dots, 2.5)` is
    several basins away from the origin. The local minimizers are too many to
    list, so ``stationary_points`` is empty.

    References
    ----------
    :cite:`rastrigin1974`; :cite:`muhlenbein1991` for the :math:`d`-dimensional form.
    """
    dim = _checks.integer("dim", dim, minimum=1)

    def fun(x):
        return 10.0 * dim + np.sum(x ** 2 - 10.0 * np.cos(2.0 * np.pi * x), axis=0)

    return Objective(
        name="Rastrigin" if dim == 2 else f"Rastrigin ({dim}-D)", fun=fun, dim=dim,
        minimizers=(np.zeros(dim),), minimum=0.0, bounds=((-5.12, 5.12),) * dim,
        start=np.full(dim, 2.5))


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------

@lru_cache(maxsize=32)
def _rosenbrock_local_minimizer(dim):
    """The local (non-global) minimizer of the d-D Rosenbrock function, or None; read-only.

    Newton's method on the gradient (:func:`optlib.newton_root`, with the
    exact tridiagonal Hessian) from (-1, 1, ..., 1); the answer is kept only
    if the gradient vanishes, the Hessian is positive definite and the point
    is not the global minimizer.
    """
    if dim < 4:
        return None
    from optlib.second_order import newton_root      # imported here: a sibling package of this one

    start = np.ones(dim)
    start[0] = -1.0
    result = newton_root(_rosenbrock_gradient, start, fprime=_rosenbrock_hessian, tol=1e-14, maxiter=100)
    x = np.array(result.x)
    try:
        np.linalg.cholesky(_rosenbrock_hessian(x))
    except np.linalg.LinAlgError:
        return None
    if np.max(np.abs(_rosenbrock_gradient(x))) > 1e-9 or np.allclose(x, 1.0):
        return None
    x.setflags(write=False)
    return x


def _rosenbrock_gradient(x):
    """The gradient of the chained Rosenbrock function at one point ``x`` of shape ``(d,)``."""
    valley = x[1:] - x[:-1] ** 2
    gradient = np.zeros_like(x)
    gradient[:-1] += -400.0 * x[:-1] * valley - 2.0 * (1.0 - x[:-1])
    gradient[1:] += 200.0 * valley
    return gradient


def _rosenbrock_hessian(x):
    """The (tridiagonal) Hessian of the chained Rosenbrock function at one point ``x``, as a dense matrix."""
    diagonal = np.zeros_like(x)
    diagonal[:-1] += 1200.0 * x[:-1] ** 2 - 400.0 * x[1:] + 2.0
    diagonal[1:] += 200.0
    off_diagonal = -400.0 * x[:-1]
    return np.diag(diagonal) + np.diag(off_diagonal, 1) + np.diag(off_diagonal, -1)


def _check_condition_number(value):
    kappa = _checks.real("condition_number", value)
    if kappa < 1:
        raise ValueError(f"condition_number must be a finite number >= 1 (the ratio of the largest to the "
                         f"smallest eigenvalue), got {kappa}")
    return kappa
