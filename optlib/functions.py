r"""Test objectives: the functions the chapters draw and optimise.

Each constructor returns an :class:`Objective`: the function itself together
with what is known about it, namely its global minimizers and minimum value,
other notable critical points (saddles, local maxima), a standard starting
point and a plotting window. A chapter can then draw the contours, run an
optimizer from the usual start and measure the distance to the true answer
without computing anything by hand.

Vectorisation: the coordinate axis comes first. ``f(x)`` takes ``x`` of shape
``(dim,)`` and returns a scalar, or ``x`` of shape ``(dim, ...)`` and returns an
array of shape ``...``. A contour plot therefore evaluates a whole grid in one
call::

    X, Y = np.meshgrid(np.linspace(-2, 2, 101), np.linspace(-1, 3, 101))
    Z = rosenbrock()(np.stack([X, Y]))          # Z.shape == (101, 101)

Every function is written in plain NumPy (arithmetic, ``**``, indexing and
slicing, ``np.sum``, ``np.exp``, ``np.cos``, ``np.abs``, ``np.maximum``,
two-operand ``np.einsum``, ``.T``), never converting its input with
``np.asarray`` or ``float``, never writing into an array and never branching on
a value. The tracing types of :mod:`optlib.autodiff` can therefore follow every
evaluation, so ``optlib.grad(objective)`` and ``optlib.hessian(objective)``
give exact derivatives of every objective here.
"""
from dataclasses import dataclass
from functools import lru_cache
import numbers
from typing import Callable

import numpy as np
from scipy import linalg, optimize, special

__all__ = [
    "Objective",
    "quadratic_bowl",
    "quadratic_bowl_matrix",
    "quadratic",
    "least_squares",
    "rosenbrock",
    "beale",
    "himmelblau",
    "saddle",
    "monkey_saddle",
    "rastrigin",
    "l1",
    "hinge",
    "freudenstein_roth",
    "powell_badly_scaled",
    "brown_badly_scaled",
    "jennrich_sampson",
    "helical_valley",
    "bard",
    "gaussian",
    "box_3d",
    "powell_singular",
    "wood",
    "kowalik_osborne",
    "brown_dennis",
    "biggs_exp6",
    "watson",
    "penalty_1",
    "variably_dimensioned",
    "broyden_tridiagonal",
    "linear_full_rank",
    "more_garbow_hillstrom",
]


# ---------------------------------------------------------------------------
# The container
# ---------------------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class Objective:
    r"""A test objective together with its known minimizers, start and plotting window.

    Calling the objective evaluates it: ``objective(x)`` is ``objective.fun(x)``,
    with ``x`` of shape ``(dim,)`` (a scalar comes back) or ``(dim, ...)`` (an
    array of shape ``...`` comes back). The objective is immutable, and every
    array it holds is a read-only copy.

    Attributes
    ----------
    name : str
        A readable name, used in plot titles and legends.
    fun : callable
        The function, written in plain NumPy with the coordinate axis first.
    dim : int
        The number of coordinates.
    minimizers : tuple of ndarray of shape (dim,)
        Every global minimizer. Empty when there is none (the function is
        unbounded below), when the minimizers are not isolated points (a whole
        line or polytope of them), or when they are not known.
    minimum : float
        The global minimum value; ``-inf`` when the function is unbounded
        below, ``nan`` when it is not known.
    bounds : tuple of (float, float)
        A plotting window, one ``(low, high)`` pair per coordinate, that
        contains the minimizers, the start and the stationary points with a
        margin.
    start : ndarray of shape (dim,)
        The standard starting point (from the literature where one exists).
    stationary_points : tuple of ndarray of shape (dim,)
        Other notable critical points: saddles, local maxima, local minima.
    kinks : bool
        True when the function is not differentiable everywhere (for example
        an absolute value or a hinge), so that gradients exist only almost
        everywhere and subgradient methods are the right tool.
    """

    name: str
    fun: Callable
    dim: int
    minimizers: tuple
    minimum: float
    bounds: tuple
    start: np.ndarray
    stationary_points: tuple = ()
    kinks: bool = False

    def __post_init__(self):
        if not isinstance(self.name, str):
            raise TypeError(f"name must be a string, got {self.name!r}")
        if not callable(self.fun):
            raise TypeError(f"fun must be callable, got {self.fun!r}")
        dim = _check_integer("dim", self.dim, lowest=1)
        minimum = _check_real("minimum", self.minimum, finite=False)
        minimizers = tuple(_frozen_point(f"minimizers[{k}]", point, dim)
                           for k, point in enumerate(_as_sequence("minimizers", self.minimizers)))
        stationary = tuple(_frozen_point(f"stationary_points[{k}]", point, dim)
                           for k, point in enumerate(_as_sequence("stationary_points",
                                                                  self.stationary_points)))
        if minimum == -np.inf and minimizers:
            raise ValueError("an objective that is unbounded below (minimum = -inf) has no minimizers, "
                             f"got {len(minimizers)}")
        object.__setattr__(self, "dim", dim)
        object.__setattr__(self, "minimum", minimum)
        object.__setattr__(self, "minimizers", minimizers)
        object.__setattr__(self, "stationary_points", stationary)
        object.__setattr__(self, "start", _frozen_point("start", self.start, dim))
        object.__setattr__(self, "bounds", _check_bounds(self.bounds, dim))
        object.__setattr__(self, "kinks", bool(self.kinks))

    def __call__(self, x):
        """Evaluate the objective at ``x`` of shape ``(dim,)`` or ``(dim, ...)``."""
        if isinstance(x, (list, tuple, numbers.Number)):
            x = np.asarray(x, dtype=float)
        shape = getattr(x, "shape", None)   # traced values from optlib.autodiff carry a shape too
        if shape is not None and (len(shape) == 0 or shape[0] != self.dim):
            raise ValueError(
                f"x must have shape ({self.dim},) or ({self.dim}, ...) for {self.name!r} "
                f"(coordinate axis first), got shape {tuple(shape)}")
        return self.fun(x)

    def __repr__(self):
        return f"Objective({self.name!r}, dim={self.dim}, minimum={self.minimum!r})"


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
    angle = _check_real("angle", angle)
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
    angle = _check_real("angle", angle)
    center = _check_vector("center", center, size=2)
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
    A = _check_array("A", A, ndim=2)
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
    b = np.zeros(dim) if b is None else _check_vector("b", b, size=dim, what=f"to match A of shape {A.shape}")
    c = _check_real("c", c)

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

    Taught in the chapter *Error surface*.

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
    X = _check_array("X", X, ndim=2)
    n, dim = X.shape
    if n == 0 or dim == 0:
        raise ValueError(f"X must have at least one row and one column, got shape {X.shape}")
    y = _check_vector("y", y, size=n, what=f"to match X of shape {X.shape}")
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
    construction by Newton's method started from :math:`(-1, 1, \dots, 1)`.

    The window is :math:`[-2, 2] \times [-1, 3]` in two dimensions and
    :math:`[-2, 2]` for every coordinate otherwise.

    References
    ----------
    :cite:`rosenbrock1960`; :cite:`more1981`; :cite:`shang2006`.
    """
    dim = _check_integer("dim", dim, lowest=2)

    def fun(x):
        return np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2, axis=0)

    start = np.where(np.arange(dim) % 2 == 0, -1.2, 1.0)
    bounds = ((-2.0, 2.0), (-1.0, 3.0)) if dim == 2 else ((-2.0, 2.0),) * dim
    local_minimizer = _rosenbrock_local_minimizer(dim)
    return Objective(
        name="Rosenbrock" if dim == 2 else f"Rosenbrock ({dim}-D)", fun=fun, dim=dim,
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
    dim = _check_integer("dim", dim, lowest=1)

    def fun(x):
        return 10.0 * dim + np.sum(x ** 2 - 10.0 * np.cos(2.0 * np.pi * x), axis=0)

    return Objective(
        name="Rastrigin" if dim == 2 else f"Rastrigin ({dim}-D)", fun=fun, dim=dim,
        minimizers=(np.zeros(dim),), minimum=0.0, bounds=((-5.12, 5.12),) * dim,
        start=np.full(dim, 2.5))


# ---------------------------------------------------------------------------
# Non-smooth objectives
# ---------------------------------------------------------------------------

def l1(weights=(1.0, 2.0), center=(1.0, -0.5)):
    r"""A weighted L1 distance to a point: convex, with kinks along every line :math:`x_i = c_i`.

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
    weights = _check_vector("weights", weights)
    center = _check_vector("center", center, size=weights.size,
                           what=f"to match weights of length {weights.size}")
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
    Newton's method follows the minimizer as :math:`\mu` shrinks from 1 to
    :math:`10^{-12}`. Either answer is then made exact: the examples on the
    margin (:math:`y_i x_i^\top w = 1`) are identified, the optimality
    conditions
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
    X = _check_array("X", X, ndim=2)
    n, dim = X.shape
    if n == 0 or dim == 0:
        raise ValueError(f"X must have at least one row and one column, got shape {X.shape}")
    y = _check_vector("y", y, size=n, what=f"to match X of shape {X.shape}")
    if not np.all(np.abs(y) == 1.0):
        bad = np.unique(y[np.abs(y) != 1.0])
        raise ValueError(f"y must hold labels -1 and +1 only, got {bad[:5].tolist()}")
    l2 = _check_real("l2", l2)
    if l2 < 0:
        raise ValueError(f"l2 must be a non-negative penalty weight, got {l2}")
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
    whose minimizer tends to the true one as :math:`\mu \to 0`; Newton's method
    (with backtracking) follows :math:`\mu = 1, 10^{-1}, \dots, 10^{-12}`, each
    solve started from the previous answer. With few weights every Newton step
    costs one small linear solve, however many examples there are.
    """
    n, dim = Z.shape
    w = np.zeros(dim)
    for mu in 10.0 ** -np.arange(13):
        def smoothed(w):
            return mu * np.mean(np.logaddexp(0.0, (1.0 - Z @ w) / mu)) + 0.5 * l2 * w @ w

        for _ in range(100):
            weight = special.expit((1.0 - Z @ w) / mu)      # derivative of the smoothed hinge
            gradient = l2 * w - Z.T @ weight / n
            hessian = (Z.T * (weight * (1.0 - weight) / mu)) @ Z / n + l2 * np.eye(dim)
            step = np.linalg.solve(hessian, gradient)
            size, value = 1.0, smoothed(w)
            while smoothed(w - size * step) > value - 1e-4 * size * (gradient @ step) and size > 1e-12:
                size *= 0.5
            w = w - size * step
            if np.max(np.abs(size * step)) <= 1e-14 * (1.0 + np.max(np.abs(w))):
                break
    return w


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


# ---------------------------------------------------------------------------
# The Moré-Garbow-Hillstrom test problems (sums of squares f = sum_i r_i(x)^2)
# ---------------------------------------------------------------------------

def _column(data, x):
    """``data`` (one entry per residual) shaped to broadcast against ``x[0]`` of shape ``(...)``."""
    return np.reshape(data, (-1,) + (1,) * (len(x.shape) - 1))


def _polished_minimizer(fun, guess):
    """Newton's method on the exact gradient and Hessian (autodiff), from a guess good to a few digits.

    Returns the point with the smallest gradient seen, read-only.
    """
    from optlib import autodiff               # imported here: optlib.autodiff is a sibling package

    x = np.array(guess, dtype=float)
    value_and_grad = autodiff.value_and_grad(fun)
    hessian = autodiff.hessian(fun)
    best, best_norm = x, np.max(np.abs(value_and_grad(x)[1]))
    for _ in range(60):
        gradient = value_and_grad(x)[1]
        try:
            step = np.linalg.solve(hessian(x), gradient)
        except np.linalg.LinAlgError:
            break
        x = x - step
        norm = np.max(np.abs(value_and_grad(x)[1]))
        if norm < best_norm:
            best, best_norm = x, norm
        if not np.all(np.isfinite(x)) or np.max(np.abs(step)) <= 1e-15 * (1.0 + np.max(np.abs(x))):
            break
    return best


def _window(*points):
    """A plotting window holding the points with a margin of a quarter of their span (at least 1)."""
    stacked = np.array(points, dtype=float)
    low, high = stacked.min(axis=0), stacked.max(axis=0)
    margin = np.maximum(0.25 * (high - low), 1.0)
    return tuple((float(a), float(b)) for a, b in zip(low - margin, high + margin))


def _mgh(name, fun, dim, start, minimizers=(), minimum=0.0, stationary_points=()):
    return Objective(name=name, fun=fun, dim=dim, minimizers=minimizers, minimum=minimum,
                     bounds=_window(start, *minimizers, *stationary_points), start=start,
                     stationary_points=stationary_points)


@lru_cache(maxsize=None)
def _cached_minimizer(key, guess):
    return _polished_minimizer(_MGH_FUNCTIONS[key], np.array(guess))


def _freudenstein_roth(x):
    return ((-13.0 + x[0] + ((5.0 - x[1]) * x[1] - 2.0) * x[1]) ** 2
            + (-29.0 + x[0] + ((x[1] + 1.0) * x[1] - 14.0) * x[1]) ** 2)


def freudenstein_roth():
    r"""Freudenstein and Roth's function (MGH problem 2): a global and a local minimum.

    Returns
    -------
    Objective
        Minimum 0 at :math:`(5, 4)`; a local minimum
        :math:`f \approx 48.9842` near :math:`(11.41, -0.8968)` (in
        ``stationary_points``), which methods started from the standard point
        :math:`(0.5, -2)` often reach.

    Notes
    -----
    .. math::

        f = \bigl(-13 + x_1 + ((5 - x_2) x_2 - 2) x_2\bigr)^2
          + \bigl(-29 + x_1 + ((x_2 + 1) x_2 - 14) x_2\bigr)^2 .

    References
    ----------
    :cite:`more1981`, problem 2.
    """
    local = _cached_minimizer("freudenstein_roth", (11.41, -0.8968))
    return _mgh("Freudenstein and Roth", _freudenstein_roth, 2, np.array([0.5, -2.0]),
                minimizers=(np.array([5.0, 4.0]),), stationary_points=(local,))


def _powell_badly_scaled(x):
    return (1e4 * x[0] * x[1] - 1.0) ** 2 + (np.exp(-x[0]) + np.exp(-x[1]) - 1.0001) ** 2


def powell_badly_scaled():
    r"""Powell's badly scaled function (MGH problem 3).

    Returns
    -------
    Objective
        Minimum 0 near :math:`(1.098 \cdot 10^{-5}, 9.106)`, start :math:`(0, 1)`.

    Notes
    -----
    .. math::

        f = (10^4 x_1 x_2 - 1)^2 + (e^{-x_1} + e^{-x_2} - 1.0001)^2 .

    References
    ----------
    :cite:`more1981`, problem 3.
    """
    minimizer = _cached_minimizer("powell_badly_scaled", (1.098159e-5, 9.106146))
    return _mgh("Powell badly scaled", _powell_badly_scaled, 2, np.array([0.0, 1.0]), (minimizer,))


def _brown_badly_scaled(x):
    return (x[0] - 1e6) ** 2 + (x[1] - 2e-6) ** 2 + (x[0] * x[1] - 2.0) ** 2


def brown_badly_scaled():
    r"""Brown's badly scaled function (MGH problem 4).

    Returns
    -------
    Objective
        Minimum 0 at :math:`(10^6, 2 \cdot 10^{-6})`, start :math:`(1, 1)`.

    Notes
    -----
    .. math::

        f = (x_1 - 10^6)^2 + (x_2 - 2\cdot 10^{-6})^2 + (x_1 x_2 - 2)^2 .

    References
    ----------
    :cite:`more1981`, problem 4.
    """
    return _mgh("Brown badly scaled", _brown_badly_scaled, 2, np.array([1.0, 1.0]),
                (np.array([1e6, 2e-6]),))


_JENNRICH_I = np.arange(1.0, 11.0)


def _jennrich_sampson(x):
    i = _column(_JENNRICH_I, x)
    return np.sum((2.0 + 2.0 * i - np.exp(i * x[0]) - np.exp(i * x[1])) ** 2, axis=0)


def jennrich_sampson():
    r"""Jennrich and Sampson's function (MGH problem 6), :math:`m = 10`.

    Returns
    -------
    Objective
        Minimum :math:`\approx 124.362` at :math:`x_1 = x_2 \approx 0.2578`, start :math:`(0.3, 0.4)`.

    Notes
    -----
    .. math::

        f = \sum_{i=1}^{10} \bigl(2 + 2i - e^{i x_1} - e^{i x_2}\bigr)^2 .

    References
    ----------
    :cite:`more1981`, problem 6.
    """
    minimizer = _cached_minimizer("jennrich_sampson", (0.2578, 0.2578))
    return _mgh("Jennrich and Sampson", _jennrich_sampson, 2, np.array([0.3, 0.4]), (minimizer,),
                minimum=float(_jennrich_sampson(minimizer)))


def _helical_valley(x):
    theta = np.arctan(x[1] / x[0]) / (2.0 * np.pi) + np.where(x[0] < 0.0, 0.5, 0.0)
    return (100.0 * (x[2] - 10.0 * theta) ** 2 + 100.0 * (np.sqrt(x[0] ** 2 + x[1] ** 2) - 1.0) ** 2
            + x[2] ** 2)


def helical_valley():
    r"""The helical valley (MGH problem 7).

    Returns
    -------
    Objective
        Minimum 0 at :math:`(1, 0, 0)`, start :math:`(-1, 0, 0)`.

    Notes
    -----
    With :math:`2\pi\theta = \arctan(x_2/x_1)`, plus :math:`\pi` when :math:`x_1 < 0`,

    .. math::

        f = 100\bigl(x_3 - 10\theta\bigr)^2 + 100\Bigl(\sqrt{x_1^2 + x_2^2} - 1\Bigr)^2 + x_3^2 .

    :math:`\theta` jumps across :math:`x_1 = 0`, so :math:`f` is discontinuous there.

    References
    ----------
    :cite:`more1981`, problem 7.
    """
    return _mgh("helical valley", _helical_valley, 3, np.array([-1.0, 0.0, 0.0]),
                (np.array([1.0, 0.0, 0.0]),))


_BARD_Y = np.array([0.14, 0.18, 0.22, 0.25, 0.29, 0.32, 0.35, 0.39, 0.37, 0.58, 0.73, 0.96, 1.34,
                    2.10, 4.39])
_BARD_U = np.arange(1.0, 16.0)
_BARD_V = 16.0 - _BARD_U
_BARD_W = np.minimum(_BARD_U, _BARD_V)


def _bard(x):
    y, u, v, w = (_column(data, x) for data in (_BARD_Y, _BARD_U, _BARD_V, _BARD_W))
    return np.sum((y - (x[0] + u / (v * x[1] + w * x[2]))) ** 2, axis=0)


def bard():
    r"""Bard's function (MGH problem 8), :math:`m = 15`.

    Returns
    -------
    Objective
        Minimum :math:`\approx 8.21487 \cdot 10^{-3}` near :math:`(0.0824, 1.133, 2.344)`, start :math:`(1, 1, 1)`.

    Notes
    -----
    With :math:`u_i = i`, :math:`v_i = 16 - i`, :math:`w_i = \min(u_i, v_i)` and the data :math:`y_i`,

    .. math::

        f = \sum_{i=1}^{15} \Bigl(y_i - \Bigl(x_1 + \frac{u_i}{v_i x_2 + w_i x_3}\Bigr)\Bigr)^2 .

    References
    ----------
    :cite:`more1981`, problem 8.
    """
    minimizer = _cached_minimizer("bard", (0.0824, 1.133, 2.344))
    return _mgh("Bard", _bard, 3, np.array([1.0, 1.0, 1.0]), (minimizer,), float(_bard(minimizer)))


_GAUSSIAN_Y = np.array([0.0009, 0.0044, 0.0175, 0.0540, 0.1295, 0.2420, 0.3521, 0.3989, 0.3521, 0.2420,
                        0.1295, 0.0540, 0.0175, 0.0044, 0.0009])
_GAUSSIAN_T = (8.0 - np.arange(1.0, 16.0)) / 2.0


def _gaussian(x):
    t, y = _column(_GAUSSIAN_T, x), _column(_GAUSSIAN_Y, x)
    return np.sum((x[0] * np.exp(-x[1] * (t - x[2]) ** 2 / 2.0) - y) ** 2, axis=0)


def gaussian():
    r"""The Gaussian function (MGH problem 9), :math:`m = 15`.

    Returns
    -------
    Objective
        Minimum :math:`\approx 1.12793 \cdot 10^{-8}` near :math:`(0.3989, 1, 0)`, start :math:`(0.4, 1, 0)`.

    Notes
    -----
    With :math:`t_i = (8 - i)/2` and the data :math:`y_i`,

    .. math::

        f = \sum_{i=1}^{15} \Bigl(x_1 \exp\bigl(-x_2 (t_i - x_3)^2 / 2\bigr) - y_i\Bigr)^2 .

    References
    ----------
    :cite:`more1981`, problem 9.
    """
    minimizer = _cached_minimizer("gaussian", (0.3989, 1.0, 0.0))
    return _mgh("Gaussian", _gaussian, 3, np.array([0.4, 1.0, 0.0]), (minimizer,),
                float(_gaussian(minimizer)))


_BOX_T = 0.1 * np.arange(1.0, 11.0)


def _box_3d(x):
    t = _column(_BOX_T, x)
    return np.sum((np.exp(-t * x[0]) - np.exp(-t * x[1]) - x[2] * (np.exp(-t) - np.exp(-10.0 * t))) ** 2,
                  axis=0)


def box_3d():
    r"""Box's three-dimensional function (MGH problem 12), :math:`m = 10`.

    Returns
    -------
    Objective
        Minimum 0, start :math:`(0, 10, 20)`. It is reached at :math:`(1, 10, 1)`,
        at :math:`(10, 1, -1)` and on the whole line :math:`x_1 = x_2,\ x_3 = 0`, so
        the minimizers are not isolated and ``minimizers`` is empty.

    Notes
    -----
    With :math:`t_i = 0.1\, i`,

    .. math::

        f = \sum_{i=1}^{10} \bigl(e^{-t_i x_1} - e^{-t_i x_2} - x_3 (e^{-t_i} - e^{-10 t_i})\bigr)^2 .

    References
    ----------
    :cite:`more1981`, problem 12.
    """
    return _mgh("Box 3-D", _box_3d, 3, np.array([0.0, 10.0, 20.0]),
                stationary_points=(np.array([1.0, 10.0, 1.0]), np.array([10.0, 1.0, -1.0])))


def _powell_singular(x):
    return ((x[0] + 10.0 * x[1]) ** 2 + 5.0 * (x[2] - x[3]) ** 2 + (x[1] - 2.0 * x[2]) ** 4
            + 10.0 * (x[0] - x[3]) ** 4)


def powell_singular():
    r"""Powell's singular function (MGH problem 13): the Hessian is singular at the minimizer.

    Returns
    -------
    Objective
        Minimum 0 at the origin, start :math:`(3, -1, 0, 1)`.

    Notes
    -----
    .. math::

        f = (x_1 + 10 x_2)^2 + 5 (x_3 - x_4)^2 + (x_2 - 2 x_3)^4 + 10 (x_1 - x_4)^4 .

    Newton's method converges only linearly here.

    References
    ----------
    :cite:`more1981`, problem 13.
    """
    return _mgh("Powell singular", _powell_singular, 4, np.array([3.0, -1.0, 0.0, 1.0]), (np.zeros(4),))


def _wood(x):
    return (100.0 * (x[1] - x[0] ** 2) ** 2 + (1.0 - x[0]) ** 2 + 90.0 * (x[3] - x[2] ** 2) ** 2
            + (1.0 - x[2]) ** 2 + 10.0 * (x[1] + x[3] - 2.0) ** 2 + 0.1 * (x[1] - x[3]) ** 2)


def wood():
    r"""Wood's function (MGH problem 14): two coupled Rosenbrock valleys.

    Returns
    -------
    Objective
        Minimum 0 at :math:`(1, 1, 1, 1)`, start :math:`(-3, -1, -3, -1)`.

    Notes
    -----
    .. math::

        f = 100 (x_2 - x_1^2)^2 + (1 - x_1)^2 + 90 (x_4 - x_3^2)^2 + (1 - x_3)^2
            + 10 (x_2 + x_4 - 2)^2 + \tfrac1{10} (x_2 - x_4)^2 .

    References
    ----------
    :cite:`more1981`, problem 14.
    """
    return _mgh("Wood", _wood, 4, np.array([-3.0, -1.0, -3.0, -1.0]), (np.ones(4),))


_KOWALIK_Y = np.array([0.1957, 0.1947, 0.1735, 0.1600, 0.0844, 0.0627, 0.0456, 0.0342, 0.0323, 0.0235,
                       0.0246])
_KOWALIK_U = np.array([4.0, 2.0, 1.0, 0.5, 0.25, 0.167, 0.125, 0.1, 0.0833, 0.0714, 0.0625])


def _kowalik_osborne(x):
    y, u = _column(_KOWALIK_Y, x), _column(_KOWALIK_U, x)
    return np.sum((y - x[0] * (u ** 2 + u * x[1]) / (u ** 2 + u * x[2] + x[3])) ** 2, axis=0)


def kowalik_osborne():
    r"""Kowalik and Osborne's function (MGH problem 15), :math:`m = 11`.

    Returns
    -------
    Objective
        Minimum :math:`\approx 3.07505 \cdot 10^{-4}` near :math:`(0.1928, 0.1913, 0.1231, 0.1361)`,
        start :math:`(0.25, 0.39, 0.415, 0.39)`.

    Notes
    -----
    .. math::

        f = \sum_{i=1}^{11} \Bigl(y_i - \frac{x_1 (u_i^2 + u_i x_2)}{u_i^2 + u_i x_3 + x_4}\Bigr)^2 .

    References
    ----------
    :cite:`more1981`, problem 15.
    """
    minimizer = _cached_minimizer("kowalik_osborne", (0.1928, 0.1913, 0.1231, 0.1361))
    return _mgh("Kowalik and Osborne", _kowalik_osborne, 4, np.array([0.25, 0.39, 0.415, 0.39]),
                (minimizer,), float(_kowalik_osborne(minimizer)))


_BROWN_DENNIS_T = np.arange(1.0, 21.0) / 5.0


def _brown_dennis(x):
    t = _column(_BROWN_DENNIS_T, x)
    residual = (x[0] + t * x[1] - np.exp(t)) ** 2 + (x[2] + x[3] * np.sin(t) - np.cos(t)) ** 2
    return np.sum(residual ** 2, axis=0)


def brown_dennis():
    r"""Brown and Dennis's function (MGH problem 16), :math:`m = 20`.

    Returns
    -------
    Objective
        Minimum :math:`\approx 85822.2` near :math:`(-11.59, 13.20, -0.4034, 0.2368)`,
        start :math:`(25, 5, -5, -1)`.

    Notes
    -----
    With :math:`t_i = i/5`,

    .. math::

        f = \sum_{i=1}^{20} \Bigl((x_1 + t_i x_2 - e^{t_i})^2 + (x_3 + x_4 \sin t_i - \cos t_i)^2\Bigr)^2 .

    References
    ----------
    :cite:`more1981`, problem 16.
    """
    minimizer = _cached_minimizer("brown_dennis", (-11.59, 13.20, -0.4034, 0.2368))
    return _mgh("Brown and Dennis", _brown_dennis, 4, np.array([25.0, 5.0, -5.0, -1.0]), (minimizer,),
                float(_brown_dennis(minimizer)))


_BIGGS_T = 0.1 * np.arange(1.0, 14.0)
_BIGGS_Y = np.exp(-_BIGGS_T) - 5.0 * np.exp(-10.0 * _BIGGS_T) + 3.0 * np.exp(-4.0 * _BIGGS_T)


def _biggs_exp6(x):
    t, y = _column(_BIGGS_T, x), _column(_BIGGS_Y, x)
    return np.sum((x[2] * np.exp(-t * x[0]) - x[3] * np.exp(-t * x[1]) + x[5] * np.exp(-t * x[4]) - y) ** 2,
                  axis=0)


def biggs_exp6():
    r"""Biggs' EXP6 function (MGH problem 18), :math:`m = 13`.

    Returns
    -------
    Objective
        Minimum 0 at :math:`(1, 10, 1, 5, 4, 3)` and, swapping the two
        positive exponentials, :math:`(4, 10, 3, 5, 1, 1)`; start
        :math:`(1, 2, 1, 1, 1, 1)`. A local minimum
        :math:`f \approx 5.65565 \cdot 10^{-3}` (in ``stationary_points``) is
        often reached from the start.

    Notes
    -----
    With :math:`t_i = 0.1\, i` and :math:`y_i = e^{-t_i} - 5 e^{-10 t_i} + 3 e^{-4 t_i}`,

    .. math::

        f = \sum_{i=1}^{13} \bigl(x_3 e^{-t_i x_1} - x_4 e^{-t_i x_2} + x_6 e^{-t_i x_5} - y_i\bigr)^2 .

    References
    ----------
    :cite:`more1981`, problem 18.
    """
    local = _cached_minimizer("biggs_exp6", (1.711, 17.68, 1.163, 5.186, 1.711, 1.163))
    return _mgh("Biggs EXP6", _biggs_exp6, 6, np.array([1.0, 2.0, 1.0, 1.0, 1.0, 1.0]),
                (np.array([1.0, 10.0, 1.0, 5.0, 4.0, 3.0]), np.array([4.0, 10.0, 3.0, 5.0, 1.0, 1.0])),
                stationary_points=(local,))


_WATSON_T = np.arange(1.0, 30.0) / 29.0


def _watson(x):
    t = _column(_WATSON_T, x)
    n = x.shape[0]
    slope = sum((j - 1.0) * x[j - 1] * t ** (j - 2) for j in range(2, n + 1))
    value = sum(x[j - 1] * t ** (j - 1) for j in range(1, n + 1))
    return np.sum((slope - value ** 2 - 1.0) ** 2, axis=0) + x[0] ** 2 + (x[1] - x[0] ** 2 - 1.0) ** 2


def watson():
    r"""Watson's function (MGH problem 20) with :math:`n = 6`, :math:`m = 31`.

    Returns
    -------
    Objective
        Minimum :math:`\approx 2.28767 \cdot 10^{-3}`, start :math:`0`.

    Notes
    -----
    With :math:`t_i = i/29`,

    .. math::

        f = \sum_{i=1}^{29} \Bigl(\sum_{j=2}^{n} (j - 1) x_j t_i^{j-2}
            - \Bigl(\sum_{j=1}^{n} x_j t_i^{j-1}\Bigr)^2 - 1\Bigr)^2 + x_1^2 + (x_2 - x_1^2 - 1)^2 .

    References
    ----------
    :cite:`more1981`, problem 20.
    """
    minimizer = _cached_minimizer("watson", (-0.0157, 1.012, -0.2330, 1.260, -1.513, 0.9930))
    return _mgh("Watson", _watson, 6, np.zeros(6), (minimizer,), float(_watson(minimizer)))


def _penalty_1(x):
    return 1e-5 * np.sum((x - 1.0) ** 2, axis=0) + (np.sum(x ** 2, axis=0) - 0.25) ** 2


def penalty_1(dim=4):
    r"""Penalty function I (MGH problem 23).

    Parameters
    ----------
    dim : int
        The number of variables :math:`n \ge 1`.

    Returns
    -------
    Objective
        Start :math:`(1, 2, \dots, n)`; for :math:`n = 4` the minimum is
        :math:`\approx 2.24997 \cdot 10^{-5}`. The minimizer has all
        coordinates equal, computed at construction.

    Notes
    -----
    .. math::

        f = 10^{-5} \sum_{j=1}^n (x_j - 1)^2 + \Bigl(\sum_{j=1}^n x_j^2 - \tfrac14\Bigr)^2 .

    References
    ----------
    :cite:`more1981`, problem 23.
    """
    dim = _check_integer("dim", dim, lowest=1)
    minimizer = _cached_minimizer("penalty_1", (0.5 / np.sqrt(dim),) * dim)
    return _mgh(f"Penalty I ({dim}-D)", _penalty_1, dim, np.arange(1.0, dim + 1.0), (minimizer,),
                float(_penalty_1(minimizer)))


def _variably_dimensioned(x):
    j = _column(np.arange(1.0, x.shape[0] + 1.0), x)
    weighted = np.sum(j * (x - 1.0), axis=0)
    return np.sum((x - 1.0) ** 2, axis=0) + weighted ** 2 + weighted ** 4


def variably_dimensioned(dim=10):
    r"""The variably dimensioned function (MGH problem 25).

    Parameters
    ----------
    dim : int
        The number of variables :math:`n \ge 1`.

    Returns
    -------
    Objective
        Minimum 0 at :math:`(1, \dots, 1)`, start :math:`x_j = 1 - j/n`.

    Notes
    -----
    .. math::

        f = \sum_{j=1}^n (x_j - 1)^2 + s^2 + s^4, \qquad s = \sum_{j=1}^n j\, (x_j - 1).

    References
    ----------
    :cite:`more1981`, problem 25.
    """
    dim = _check_integer("dim", dim, lowest=1)
    return _mgh(f"variably dimensioned ({dim}-D)", _variably_dimensioned, dim,
                1.0 - np.arange(1.0, dim + 1.0) / dim, (np.ones(dim),))


def _broyden_tridiagonal(x):
    zero = 0.0 * x[:1]
    left = np.concatenate([zero, x[:-1]], axis=0)      # x_{i-1}, with x_0 = 0
    right = np.concatenate([x[1:], zero], axis=0)      # x_{i+1}, with x_{n+1} = 0
    return np.sum(((3.0 - 2.0 * x) * x - left - 2.0 * right + 1.0) ** 2, axis=0)


def broyden_tridiagonal(dim=10):
    r"""Broyden's tridiagonal function (MGH problem 30).

    Parameters
    ----------
    dim : int
        The number of variables :math:`n \ge 1`.

    Returns
    -------
    Objective
        Minimum 0 (a root of the tridiagonal system, computed at construction),
        start :math:`(-1, \dots, -1)`.

    Notes
    -----
    With :math:`x_0 = x_{n+1} = 0`,

    .. math::

        f = \sum_{i=1}^n \bigl((3 - 2x_i)\, x_i - x_{i-1} - 2 x_{i+1} + 1\bigr)^2 .

    References
    ----------
    :cite:`more1981`, problem 30.
    """
    dim = _check_integer("dim", dim, lowest=1)
    minimizer = _cached_minimizer("broyden_tridiagonal", (-0.6,) * dim)
    return _mgh(f"Broyden tridiagonal ({dim}-D)", _broyden_tridiagonal, dim, -np.ones(dim), (minimizer,))


def _linear_full_rank(x, m):
    total = np.sum(x, axis=0)
    return np.sum((x - 2.0 * total / m - 1.0) ** 2, axis=0) + (m - x.shape[0]) * (2.0 * total / m + 1.0) ** 2


def linear_full_rank(dim=10, m=20):
    r"""The linear function of full rank (MGH problem 32).

    Parameters
    ----------
    dim : int
        The number of variables :math:`n \ge 1`.
    m : int
        The number of residuals, :math:`m \ge n`.

    Returns
    -------
    Objective
        Minimum :math:`m - n` at :math:`(-1, \dots, -1)`, start :math:`(1, \dots, 1)`.

    Notes
    -----
    With :math:`S = \sum_j x_j`, residuals :math:`x_i - 2S/m - 1` for
    :math:`i \le n` and :math:`-2S/m - 1` for :math:`n < i \le m`:

    .. math::

        f = \sum_{i=1}^n \Bigl(x_i - \frac{2S}{m} - 1\Bigr)^2 + (m - n)\Bigl(\frac{2S}{m} + 1\Bigr)^2 .

    References
    ----------
    :cite:`more1981`, problem 32.
    """
    dim = _check_integer("dim", dim, lowest=1)
    m = _check_integer("m", m, lowest=dim)
    return _mgh(f"linear full rank ({dim}-D, m={m})", lambda x: _linear_full_rank(x, m), dim, np.ones(dim),
                (-np.ones(dim),), minimum=float(m - dim))


_MGH_FUNCTIONS = {
    "freudenstein_roth": _freudenstein_roth, "powell_badly_scaled": _powell_badly_scaled,
    "jennrich_sampson": _jennrich_sampson, "bard": _bard, "gaussian": _gaussian,
    "kowalik_osborne": _kowalik_osborne, "brown_dennis": _brown_dennis, "biggs_exp6": _biggs_exp6,
    "watson": _watson, "penalty_1": _penalty_1, "broyden_tridiagonal": _broyden_tridiagonal,
}


def more_garbow_hillstrom():
    r"""The Moré-Garbow-Hillstrom test problems implemented here, by name, with their standard starts.

    Returns
    -------
    dict of str to Objective
        Rosenbrock (problem 1), Freudenstein and Roth (2), Powell badly scaled
        (3), Brown badly scaled (4), Beale (5), Jennrich and Sampson (6),
        helical valley (7), Bard (8), Gaussian (9), Box 3-D (12), Powell
        singular (13), Wood (14), Kowalik and Osborne (15), Brown and Dennis
        (16), Biggs EXP6 (18), Watson (20), penalty I (23, :math:`n = 4`),
        variably dimensioned (25, :math:`n = 10`), Broyden tridiagonal (30,
        :math:`n = 10`) and linear full rank (32, :math:`n = 10`, :math:`m = 20`).
        Where a standard start is known to lead to a local minimum (Freudenstein
        and Roth, Biggs EXP6), that minimum is listed in ``stationary_points``.

    References
    ----------
    :cite:`more1981`.
    """
    return {
        "rosenbrock": rosenbrock(), "freudenstein_roth": freudenstein_roth(),
        "powell_badly_scaled": powell_badly_scaled(), "brown_badly_scaled": brown_badly_scaled(),
        "beale": beale(), "jennrich_sampson": jennrich_sampson(), "helical_valley": helical_valley(),
        "bard": bard(), "gaussian": gaussian(), "box_3d": box_3d(), "powell_singular": powell_singular(),
        "wood": wood(), "kowalik_osborne": kowalik_osborne(), "brown_dennis": brown_dennis(),
        "biggs_exp6": biggs_exp6(), "watson": watson(), "penalty_1": penalty_1(4),
        "variably_dimensioned": variably_dimensioned(10), "broyden_tridiagonal": broyden_tridiagonal(10),
        "linear_full_rank": linear_full_rank(10, 20),
    }


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------

@lru_cache(maxsize=32)
def _rosenbrock_local_minimizer(dim):
    """The local (non-global) minimizer of the d-D Rosenbrock function, or None.

    Newton's method from (-1, 1, ..., 1), with the tridiagonal Hessian solved
    in O(d); the answer is kept only if the gradient vanishes, the Hessian is
    positive definite and the point is not the global minimizer.
    """
    if dim < 4:
        return None
    x = np.ones(dim)
    x[0] = -1.0
    for _ in range(100):
        gradient, diagonal, off_diagonal = _rosenbrock_derivatives(x)
        banded = np.zeros((3, dim))
        banded[0, 1:] = off_diagonal
        banded[1] = diagonal
        banded[2, :-1] = off_diagonal
        step = linalg.solve_banded((1, 1), banded, gradient)
        x = x - step
        if np.max(np.abs(step)) <= 4 * np.finfo(float).eps * np.max(np.abs(x)):
            break
    gradient, diagonal, off_diagonal = _rosenbrock_derivatives(x)
    upper = np.zeros((2, dim))
    upper[0, 1:] = off_diagonal
    upper[1] = diagonal
    try:
        linalg.cholesky_banded(upper)
    except linalg.LinAlgError:
        return None
    if np.max(np.abs(gradient)) > 1e-9 or np.allclose(x, 1.0):
        return None
    x.setflags(write=False)
    return x


def _rosenbrock_derivatives(x):
    """Gradient and tridiagonal Hessian (diagonal, off-diagonal) of the chained Rosenbrock function."""
    valley = x[1:] - x[:-1] ** 2
    gradient = np.zeros_like(x)
    gradient[:-1] += -400.0 * x[:-1] * valley - 2.0 * (1.0 - x[:-1])
    gradient[1:] += 200.0 * valley
    diagonal = np.zeros_like(x)
    diagonal[:-1] += 1200.0 * x[:-1] ** 2 - 400.0 * x[1:] + 2.0
    diagonal[1:] += 200.0
    return gradient, diagonal, -400.0 * x[:-1]


def _level_set_half_width(hessian, level, margin=1.25):
    r"""Half-width of a cube around the minimizer that holds the level set ``f <= f* + level``.

    For :math:`f = f^\star + \tfrac12 d^\top H d` the level set reaches
    :math:`\sqrt{2\,\ell\,(H^{-1})_{ii}}` along coordinate :math:`i`; the widest
    reach, times ``margin``, is used on every axis (1 when the level is 0).
    """
    reach = np.sqrt(2.0 * max(level, 0.0) * np.diag(np.linalg.inv(hessian)))
    half_width = margin * float(np.max(reach))
    return half_width if half_width > 0 else 1.0


def _square_window(center, half_width):
    return tuple((float(c - half_width), float(c + half_width)) for c in center)


def _check_integer(name, value, lowest):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {value!r} ({type(value).__name__})")
    if value < lowest:
        raise ValueError(f"{name} must be an integer >= {lowest}, got {value}")
    return int(value)


def _check_real(name, value, finite=True):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        if isinstance(value, np.ndarray) and value.ndim == 0 and np.isrealobj(value):
            value = value.item()
        else:
            raise TypeError(f"{name} must be a real number, got {value!r}")
    value = float(value)
    if finite and not np.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value}")
    return value


def _check_condition_number(value):
    kappa = _check_real("condition_number", value)
    if kappa < 1:
        raise ValueError(f"condition_number must be a finite number >= 1 (the ratio of the largest to the "
                         f"smallest eigenvalue), got {kappa}")
    return kappa


def _check_array(name, value, ndim):
    try:
        array = np.array(value, dtype=float)      # a copy: later changes by the caller do not leak in
    except (TypeError, ValueError) as error:
        raise TypeError(f"{name} must be an array of real numbers, got {value!r}") from error
    if array.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-D array, got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        bad = array[~np.isfinite(array)]
        raise ValueError(f"{name} must hold finite values only, got {bad[0]} among them")
    return array


def _check_vector(name, value, size=None, what=""):
    vector = _check_array(name, value, ndim=1) if np.ndim(value) == 1 else None
    if vector is None or (size is not None and vector.size != size):
        shape = np.shape(value)
        expected = f"shape ({size},)" if size is not None else "a 1-D shape"
        suffix = f" {what}" if what else ""
        raise ValueError(f"{name} must have {expected}{suffix}, got shape {shape}")
    return vector


def _as_sequence(name, points):
    if isinstance(points, np.ndarray) and points.ndim == 1:
        raise ValueError(f"{name} must be a sequence of points, got a single array of shape {points.shape}; "
                         f"wrap it in a tuple")
    return tuple(points)


def _frozen_point(name, point, dim):
    array = np.array(point, dtype=float)
    if array.shape != (dim,):
        raise ValueError(f"{name} must have shape ({dim},), got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must hold finite values only, got {array.tolist()}")
    array.setflags(write=False)
    return array


def _check_bounds(bounds, dim):
    try:
        pairs = tuple((float(low), float(high)) for low, high in bounds)
    except (TypeError, ValueError) as error:
        raise ValueError(f"bounds must be a sequence of (low, high) pairs, got {bounds!r}") from error
    if len(pairs) != dim:
        raise ValueError(f"bounds must have one (low, high) pair per coordinate ({dim}), got {len(pairs)}")
    for low, high in pairs:
        if not (np.isfinite(low) and np.isfinite(high) and low < high):
            raise ValueError(f"bounds must be finite pairs with low < high, got {(low, high)}")
    return pairs
