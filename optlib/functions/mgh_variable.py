r"""The Moré-Garbow-Hillstrom problems of variable dimension (problems 21 to 35).

Each is a sum of squares :math:`f(x) = \sum_{i=1}^m r_i(x)^2` from
:cite:`more1981` whose number of variables :math:`n` (and for some the number
of residuals :math:`m`) is a parameter. The defaults are the sizes listed by
:func:`~optlib.functions.more_garbow_hillstrom`; minimizers the paper does
not give in closed form are computed at construction (Newton's method on the
gradient).
"""
import numpy as np

from optlib import _checks
from optlib.functions.objective import _column, _critical_point, _mgh_objective

__all__ = ["extended_rosenbrock", "extended_powell_singular", "penalty_1", "penalty_2",
           "variably_dimensioned", "trigonometric", "brown_almost_linear", "discrete_boundary_value",
           "discrete_integral_equation", "broyden_tridiagonal", "broyden_banded", "linear_full_rank",
           "linear_rank_1", "linear_rank_1_zero_columns_and_rows", "chebyquad"]


def _extended_rosenbrock(x):
    odd, even = x[0::2], x[1::2]                 # x_{2i-1} and x_{2i}, counting from 1
    return np.sum(100.0 * (even - odd ** 2) ** 2 + (1.0 - odd) ** 2, axis=0)


def extended_rosenbrock(dim=10):
    r"""The extended Rosenbrock function (MGH problem 21): :math:`n/2` uncoupled Rosenbrock valleys.

    Parameters
    ----------
    dim : int
        The number of variables, an even :math:`n \ge 2`.

    Returns
    -------
    Objective
        Minimum 0 at :math:`(1, \dots, 1)`, start :math:`(-1.2, 1, -1.2, 1, \dots)`.

    Notes
    -----
    .. math::

        f = \sum_{i=1}^{n/2} \Bigl(100\,\bigl(x_{2i} - x_{2i-1}^2\bigr)^2 + \bigl(1 - x_{2i-1}\bigr)^2\Bigr).

    Unlike the chained :func:`rosenbrock`, the pairs do not interact: the
    Hessian is block diagonal, and every pair follows its own valley.

    References
    ----------
    :cite:`more1981`, problem 21.
    """
    dim = _checks.integer("dim", dim, minimum=2)
    if dim % 2:
        raise ValueError(f"dim must be an even integer (the variables come in pairs), got {dim}")
    return _mgh_objective(f"extended Rosenbrock ({dim}-D)", _extended_rosenbrock, dim,
                          np.where(np.arange(dim) % 2 == 0, -1.2, 1.0), (np.ones(dim),))


def _extended_powell_singular(x):
    a, b, c, d = x[0::4], x[1::4], x[2::4], x[3::4]
    return np.sum((a + 10.0 * b) ** 2 + 5.0 * (c - d) ** 2 + (b - 2.0 * c) ** 4 + 10.0 * (a - d) ** 4, axis=0)


def extended_powell_singular(dim=12):
    r"""The extended Powell singular function (MGH problem 22): :math:`n/4` copies of :func:`powell_singular`.

    Parameters
    ----------
    dim : int
        The number of variables, a multiple of 4.

    Returns
    -------
    Objective
        Minimum 0 at the origin, where the Hessian is singular; start
        :math:`(3, -1, 0, 1, 3, -1, 0, 1, \dots)`.

    Notes
    -----
    .. math::

        f = \sum_{i=1}^{n/4} \Bigl((x_{4i-3} + 10 x_{4i-2})^2 + 5 (x_{4i-1} - x_{4i})^2
            + (x_{4i-2} - 2 x_{4i-1})^4 + 10 (x_{4i-3} - x_{4i})^4\Bigr).

    References
    ----------
    :cite:`more1981`, problem 22.
    """
    dim = _checks.integer("dim", dim, minimum=4)
    if dim % 4:
        raise ValueError(f"dim must be a multiple of 4 (the variables come in blocks of four), got {dim}")
    return _mgh_objective(f"extended Powell singular ({dim}-D)", _extended_powell_singular, dim,
                          np.tile([3.0, -1.0, 0.0, 1.0], dim // 4), (np.zeros(dim),))


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
    dim = _checks.integer("dim", dim, minimum=1)
    minimizer = _critical_point(_penalty_1, (0.5 / np.sqrt(dim),) * dim)
    return _mgh_objective(f"Penalty I ({dim}-D)", _penalty_1, dim, np.arange(1.0, dim + 1.0), (minimizer,),
                float(_penalty_1(minimizer)))


def _penalty_2(x):
    n = x.shape[0]
    i = _column(np.arange(2.0, n + 1.0), x)
    y = np.exp(i / 10.0) + np.exp((i - 1.0) / 10.0)
    weights = _column(np.arange(n, 0.0, -1.0), x)        # n - j + 1
    return ((x[0] - 0.2) ** 2
            + 1e-5 * np.sum((np.exp(x[1:] / 10.0) + np.exp(x[:-1] / 10.0) - y) ** 2, axis=0)
            + 1e-5 * np.sum((np.exp(x[1:] / 10.0) - np.exp(-0.1)) ** 2, axis=0)
            + (np.sum(weights * x ** 2, axis=0) - 1.0) ** 2)


#: Where Newton's method starts for the minimizer of penalty function II, for the two sizes the paper gives.
_PENALTY_2_GUESSES = {
    4: (0.2, 0.1913, 0.4801, 0.5188),
    10: (0.19998, 0.01035, 0.01960, 0.03209, 0.04993, 0.07651, 0.1186, 0.1921, 0.3473, 0.3692),
}


def penalty_2(dim=4):
    r"""Penalty function II (MGH problem 24), :math:`m = 2n`.

    Parameters
    ----------
    dim : int
        The number of variables :math:`n \ge 1`.

    Returns
    -------
    Objective
        Start :math:`(\tfrac12, \dots, \tfrac12)`. The minimum is
        :math:`\approx 9.37629 \cdot 10^{-6}` for :math:`n = 4` and
        :math:`\approx 2.93660 \cdot 10^{-4}` for :math:`n = 10`, the sizes for
        which the paper gives it; the minimizer is then computed at
        construction. For other sizes ``minimizers`` is empty and ``minimum``
        is ``nan``.

    Notes
    -----
    With :math:`a = 10^{-5}` and :math:`y_i = e^{i/10} + e^{(i-1)/10}`,

    .. math::

        f = (x_1 - 0.2)^2 + a \sum_{i=2}^{n} \bigl(e^{x_i/10} + e^{x_{i-1}/10} - y_i\bigr)^2
            + a \sum_{i=2}^{n} \bigl(e^{x_i/10} - e^{-1/10}\bigr)^2
            + \Bigl(\sum_{j=1}^n (n - j + 1)\, x_j^2 - 1\Bigr)^2 .

    References
    ----------
    :cite:`more1981`, problem 24.
    """
    dim = _checks.integer("dim", dim, minimum=1)
    start = np.full(dim, 0.5)
    if dim not in _PENALTY_2_GUESSES:
        return _mgh_objective(f"Penalty II ({dim}-D)", _penalty_2, dim, start, minimum=np.nan)
    minimizer = _critical_point(_penalty_2, _PENALTY_2_GUESSES[dim])
    return _mgh_objective(f"Penalty II ({dim}-D)", _penalty_2, dim, start, (minimizer,),
                          float(_penalty_2(minimizer)))


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
    dim = _checks.integer("dim", dim, minimum=1)
    return _mgh_objective(f"variably dimensioned ({dim}-D)", _variably_dimensioned, dim,
                1.0 - np.arange(1.0, dim + 1.0) / dim, (np.ones(dim),))


def _trigonometric(x):
    n = x.shape[0]
    i = _column(np.arange(1.0, n + 1.0), x)
    residuals = n - np.sum(np.cos(x), axis=0) + i * (1.0 - np.cos(x)) - np.sin(x)
    return np.sum(residuals ** 2, axis=0)


#: The local minimizer of the 10-D trigonometric function that methods reach from the standard start.
_TRIGONOMETRIC_LOCAL_10 = (0.05515, 0.05684, 0.05876, 0.06099, 0.06363, 0.06684, 0.2082, 0.1644, 0.08501,
                           0.09143)


def trigonometric(dim=10):
    r"""The trigonometric function (MGH problem 26), :math:`m = n`.

    Parameters
    ----------
    dim : int
        The number of variables :math:`n \ge 1`.

    Returns
    -------
    Objective
        Minimum 0 at the origin, start :math:`(1/n, \dots, 1/n)`. For
        :math:`n = 10`, ``stationary_points`` holds the local minimum
        :math:`f \approx 2.79506 \cdot 10^{-5}` that descent methods reach
        from the start (computed here; the paper gives only :math:`f = 0`).

    Notes
    -----
    .. math::

        f = \sum_{i=1}^{n} \Bigl(n - \sum_{j=1}^n \cos x_j + i\,(1 - \cos x_i) - \sin x_i\Bigr)^2 .

    The function is :math:`2\pi`-periodic in every coordinate, so the origin
    has copies at every point of :math:`2\pi\mathbb{Z}^n`; only the origin,
    the one in the window, is listed.

    References
    ----------
    :cite:`more1981`, problem 26.
    """
    dim = _checks.integer("dim", dim, minimum=1)
    local = (_critical_point(_trigonometric, _TRIGONOMETRIC_LOCAL_10),) if dim == 10 else ()
    return _mgh_objective(f"trigonometric ({dim}-D)", _trigonometric, dim, np.full(dim, 1.0 / dim),
                          (np.zeros(dim),), stationary_points=local)


def _brown_almost_linear(x):
    n = x.shape[0]
    total = np.sum(x, axis=0)
    return np.sum((x[:-1] + total - (n + 1.0)) ** 2, axis=0) + (np.prod(x, axis=0) - 1.0) ** 2


def brown_almost_linear(dim=10):
    r"""Brown's almost-linear function (MGH problem 27), :math:`m = n`.

    Parameters
    ----------
    dim : int
        The number of variables :math:`n \ge 1`.

    Returns
    -------
    Objective
        Minimum 0 at :math:`(\alpha, \dots, \alpha, \alpha^{1-n})` for every
        real root :math:`\alpha` of :math:`n\alpha^n - (n + 1)\alpha^{n-1} + 1 = 0`
        (:math:`\alpha = 1` among them; two roots for even :math:`n`, three
        for odd :math:`n \ge 3`), start :math:`(\tfrac12, \dots, \tfrac12)`. For
        :math:`n \ge 3`, ``stationary_points`` holds :math:`(0, \dots, 0, n + 1)`,
        where :math:`f = 1`.

    Notes
    -----
    .. math::

        f = \sum_{i=1}^{n-1} \Bigl(x_i + \sum_{j=1}^n x_j - (n + 1)\Bigr)^2
            + \Bigl(\prod_{j=1}^n x_j - 1\Bigr)^2 .

    The roots come from :func:`numpy.roots`, each refined by
    :func:`optlib.newton_root`.

    References
    ----------
    :cite:`more1981`, problem 27.
    """
    dim = _checks.integer("dim", dim, minimum=1)
    minimizers = tuple(np.append(np.full(dim - 1, alpha), alpha ** (1 - dim))
                       for alpha in _brown_almost_linear_roots(dim))
    stationary = (np.append(np.zeros(dim - 1), dim + 1.0),) if dim >= 3 else ()
    return _mgh_objective(f"Brown almost-linear ({dim}-D)", _brown_almost_linear, dim, np.full(dim, 0.5),
                          minimizers, stationary_points=stationary)


def _brown_almost_linear_roots(n):
    """The real roots of n a^n - (n + 1) a^(n-1) + 1, in increasing order, to full precision."""
    from optlib.second_order import newton_root      # imported here: a sibling package of this one

    def polynomial(a):
        return n * a ** n - (n + 1.0) * a ** (n - 1) + 1.0

    def derivative(a):
        return n * n * a ** (n - 1) - (n + 1.0) * (n - 1.0) * a ** (n - 2)

    coefficients = np.zeros(n + 1)                   # highest power first, as numpy.roots takes them
    coefficients[0] += n
    coefficients[1] -= n + 1.0
    coefficients[n] += 1.0
    guesses = sorted(root.real for root in np.roots(coefficients) if abs(root.imag) < 1e-6)
    return [float(newton_root(polynomial, guess, fprime=derivative, tol=1e-15).x) for guess in guesses]


def _discrete_boundary_value(x):
    n = x.shape[0]
    h = 1.0 / (n + 1.0)
    t = _column(h * np.arange(1.0, n + 1.0), x)
    second_difference = 2.0 * np.eye(n) - np.eye(n, k=1) - np.eye(n, k=-1)      # x_0 = x_{n+1} = 0
    residuals = np.einsum("ij,j...->i...", second_difference, x) + 0.5 * h ** 2 * (x + t + 1.0) ** 3
    return np.sum(residuals ** 2, axis=0)


def discrete_boundary_value(dim=10):
    r"""The discrete boundary value function (MGH problem 28), :math:`m = n`.

    Parameters
    ----------
    dim : int
        The number of variables :math:`n \ge 1`.

    Returns
    -------
    Objective
        Minimum 0 at the solution of the discretised boundary value problem
        (computed at construction), start :math:`\xi_j = t_j (t_j - 1)`.

    Notes
    -----
    With :math:`h = 1/(n + 1)`, :math:`t_i = i h` and :math:`x_0 = x_{n+1} = 0`,

    .. math::

        f = \sum_{i=1}^{n} \Bigl(2 x_i - x_{i-1} - x_{i+1} + \tfrac12 h^2 (x_i + t_i + 1)^3\Bigr)^2,

    the finite-difference form of :math:`u'' = \tfrac12 (u + t + 1)^3`,
    :math:`u(0) = u(1) = 0`, with :math:`x_i \approx u(t_i)`.

    References
    ----------
    :cite:`more1981`, problem 28.
    """
    dim = _checks.integer("dim", dim, minimum=1)
    t = np.arange(1.0, dim + 1.0) / (dim + 1.0)
    start = t * (t - 1.0)
    minimizer = _critical_point(_discrete_boundary_value, tuple(start))
    return _mgh_objective(f"discrete boundary value ({dim}-D)", _discrete_boundary_value, dim, start,
                          (minimizer,))


def _discrete_integral_equation(x):
    n = x.shape[0]
    h = 1.0 / (n + 1.0)
    t = _column(h * np.arange(1.0, n + 1.0), x)
    cubes = (x + t + 1.0) ** 3
    up_to_i = np.einsum("ij,j...->i...", np.tril(np.ones((n, n))), t * cubes)             # sum over j <= i
    after_i = np.einsum("ij,j...->i...", np.triu(np.ones((n, n)), k=1), (1.0 - t) * cubes)  # sum over j > i
    residuals = x + 0.5 * h * ((1.0 - t) * up_to_i + t * after_i)
    return np.sum(residuals ** 2, axis=0)


def discrete_integral_equation(dim=10):
    r"""The discrete integral equation function (MGH problem 29), :math:`m = n`.

    Parameters
    ----------
    dim : int
        The number of variables :math:`n \ge 1`.

    Returns
    -------
    Objective
        Minimum 0 at the solution of the discretised integral equation
        (computed at construction), start :math:`\xi_j = t_j (t_j - 1)`.

    Notes
    -----
    With :math:`h = 1/(n + 1)` and :math:`t_i = i h`,

    .. math::

        f = \sum_{i=1}^{n} \Bigl(x_i + \frac h2 \Bigl[(1 - t_i) \sum_{j=1}^{i} t_j (x_j + t_j + 1)^3
            + t_i \sum_{j=i+1}^{n} (1 - t_j)(x_j + t_j + 1)^3\Bigr]\Bigr)^2,

    the trapezoidal discretisation of the integral form of the boundary value
    problem of :func:`discrete_boundary_value`. Every residual depends on
    every variable, so the Jacobian is dense.

    References
    ----------
    :cite:`more1981`, problem 29.
    """
    dim = _checks.integer("dim", dim, minimum=1)
    t = np.arange(1.0, dim + 1.0) / (dim + 1.0)
    start = t * (t - 1.0)
    minimizer = _critical_point(_discrete_integral_equation, tuple(start))
    return _mgh_objective(f"discrete integral equation ({dim}-D)", _discrete_integral_equation, dim, start,
                          (minimizer,))


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
    dim = _checks.integer("dim", dim, minimum=1)
    minimizer = _critical_point(_broyden_tridiagonal, (-0.6,) * dim)
    return _mgh_objective(f"Broyden tridiagonal ({dim}-D)", _broyden_tridiagonal, dim, -np.ones(dim),
                          (minimizer,))


def _broyden_banded(x):
    n = x.shape[0]
    i, j = np.arange(n)[:, None], np.arange(n)[None, :]
    band = ((j != i) & (j >= i - 5) & (j <= i + 1)).astype(float)      # J_i: 5 below, 1 above, not i
    residuals = x * (2.0 + 5.0 * x ** 2) + 1.0 - np.einsum("ij,j...->i...", band, x * (1.0 + x))
    return np.sum(residuals ** 2, axis=0)


def broyden_banded(dim=10):
    r"""Broyden's banded function (MGH problem 31), :math:`m = n`.

    Parameters
    ----------
    dim : int
        The number of variables :math:`n \ge 1`.

    Returns
    -------
    Objective
        Minimum 0 (a root of the banded system, computed at construction),
        start :math:`(-1, \dots, -1)`.

    Notes
    -----
    With :math:`J_i = \{j \ne i : \max(1, i - 5) \le j \le \min(n, i + 1)\}`,

    .. math::

        f = \sum_{i=1}^n \Bigl(x_i (2 + 5 x_i^2) + 1 - \sum_{j \in J_i} x_j (1 + x_j)\Bigr)^2 .

    References
    ----------
    :cite:`more1981`, problem 31.
    """
    dim = _checks.integer("dim", dim, minimum=1)
    minimizer = _critical_point(_broyden_banded, (-0.4,) * dim)
    return _mgh_objective(f"Broyden banded ({dim}-D)", _broyden_banded, dim, -np.ones(dim), (minimizer,))


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
    dim = _checks.integer("dim", dim, minimum=1)
    m = _checks.integer("m", m, minimum=dim)
    return _mgh_objective(f"linear full rank ({dim}-D, m={m})", lambda x: _linear_full_rank(x, m), dim,
                          np.ones(dim),
                (-np.ones(dim),), minimum=float(m - dim))


def linear_rank_1(dim=10, m=20):
    r"""The linear function of rank 1 (MGH problem 33).

    Parameters
    ----------
    dim : int
        The number of variables :math:`n \ge 1`.
    m : int
        The number of residuals, :math:`m \ge n`.

    Returns
    -------
    Objective
        Minimum :math:`\frac{m(m-1)}{2(2m+1)}`, reached on the whole hyperplane
        :math:`\sum_j j x_j = 3/(2m+1)`, so ``minimizers`` is empty;
        ``stationary_points`` holds the point of the hyperplane nearest the
        start :math:`(1, \dots, 1)` (where gradient descent from the start
        converges).

    Notes
    -----
    With residuals :math:`i \sum_{j=1}^n j x_j - 1`, :math:`i = 1, \dots, m`,

    .. math::

        f = \sum_{i=1}^m \Bigl(i \sum_{j=1}^n j x_j - 1\Bigr)^2 .

    References
    ----------
    :cite:`more1981`, problem 33.
    """
    dim = _checks.integer("dim", dim, minimum=1)
    m = _checks.integer("m", m, minimum=dim)
    j = np.arange(1.0, dim + 1.0)
    i = np.arange(1.0, m + 1.0)

    def fun(x):
        weighted = np.sum(_column(j, x) * x, axis=0)
        return np.sum((_column(i, x) * weighted - 1.0) ** 2, axis=0)

    start = np.ones(dim)
    nearest = _nearest_on_hyperplane(start, j, 3.0 / (2.0 * m + 1.0))
    return _mgh_objective(f"linear rank 1 ({dim}-D, m={m})", fun, dim, start,
                          minimum=m * (m - 1.0) / (2.0 * (2.0 * m + 1.0)), stationary_points=(nearest,))


def linear_rank_1_zero_columns_and_rows(dim=10, m=20):
    r"""The linear function of rank 1 with zero columns and rows (MGH problem 34).

    Parameters
    ----------
    dim : int
        The number of variables :math:`n \ge 3`.
    m : int
        The number of residuals, :math:`m \ge n`.

    Returns
    -------
    Objective
        Minimum :math:`\frac{m^2 + 3m - 6}{2(2m - 3)}`, reached on the whole
        hyperplane :math:`\sum_{j=2}^{n-1} j x_j = 3/(2m - 3)`, so ``minimizers``
        is empty; ``stationary_points`` holds the point of the hyperplane
        nearest the start :math:`(1, \dots, 1)`.

    Notes
    -----
    The residuals are :math:`-1` for :math:`i = 1` and :math:`i = m`, and
    :math:`(i - 1) \sum_{j=2}^{n-1} j x_j - 1` in between, so that
    :math:`x_1` and :math:`x_n` do not appear:

    .. math::

        f = 2 + \sum_{i=2}^{m-1} \Bigl((i - 1) \sum_{j=2}^{n-1} j x_j - 1\Bigr)^2 .

    References
    ----------
    :cite:`more1981`, problem 34.
    """
    dim = _checks.integer("dim", dim, minimum=3)
    m = _checks.integer("m", m, minimum=dim)
    j = np.concatenate([[0.0], np.arange(2.0, dim), [0.0]])       # x_1 and x_n carry weight 0
    i = np.arange(2.0, m)

    def fun(x):
        weighted = np.sum(_column(j, x) * x, axis=0)
        return 2.0 + np.sum((_column(i - 1.0, x) * weighted - 1.0) ** 2, axis=0)

    start = np.ones(dim)
    nearest = _nearest_on_hyperplane(start, j, 3.0 / (2.0 * m - 3.0))
    return _mgh_objective(f"linear rank 1 with zero columns and rows ({dim}-D, m={m})", fun, dim, start,
                          minimum=(m * m + 3.0 * m - 6.0) / (2.0 * (2.0 * m - 3.0)),
                          stationary_points=(nearest,))


def _nearest_on_hyperplane(point, normal, level):
    """The orthogonal projection of ``point`` onto the hyperplane ``normal @ x = level``."""
    return point - (normal @ point - level) / (normal @ normal) * normal


def _chebyquad(x, m):
    n = x.shape[0]
    y = 2.0 * x - 1.0                                 # [0, 1] mapped to [-1, 1]
    previous, current = 0.0 * y + 1.0, y              # T_0 and T_1 at every x_j
    total = 0.0
    for i in range(1, m + 1):
        integral = -1.0 / (i * i - 1.0) if i % 2 == 0 else 0.0      # of T_i(2t - 1) over [0, 1]
        total = total + (np.sum(current, axis=0) / n - integral) ** 2
        previous, current = current, 2.0 * y * current - previous
    return total


def _chebyquad_square(x):
    return _chebyquad(x, x.shape[0])


#: Minimizers of the square Chebyquad problem (m = n) near which Newton's method is started, by n.
_CHEBYQUAD_GUESSES = {
    8: (0.04315, 0.1931, 0.2663, 0.5, 0.5, 0.7337, 0.8069, 0.9568),
    10: (0.05962, 0.1667, 0.2392, 0.3989, 0.3989, 0.6011, 0.6011, 0.7608, 0.8333, 0.9404),
}


def chebyquad(dim=8, m=None):
    r"""The Chebyquad function (MGH problem 35): nodes of an equal-weight quadrature rule.

    Parameters
    ----------
    dim : int
        The number of variables (quadrature nodes) :math:`n \ge 1`.
    m : int, optional
        The number of residuals, :math:`m \ge n`; :math:`n` by default.

    Returns
    -------
    Objective
        Start :math:`x_j = j/(n + 1)`. For :math:`m = n` the minimum is 0 when
        :math:`n \le 7` or :math:`n = 9`, :math:`\approx 3.51687 \cdot 10^{-3}` for
        :math:`n = 8` and :math:`\approx 6.50395 \cdot 10^{-3}` for :math:`n = 10`;
        ``nan`` (not known) otherwise. ``minimizers`` is empty, since permuting
        the nodes of a minimizer gives another; for :math:`n = 8` and
        :math:`n = 10`, one minimizer with increasing coordinates is listed in
        ``stationary_points``, computed at construction.

    Notes
    -----
    With :math:`T_i` the Chebyshev polynomials shifted to :math:`[0, 1]`,
    :math:`T_i(t) = \cos(i \arccos(2t - 1))`,

    .. math::

        f = \sum_{i=1}^{m} \Bigl(\frac1n \sum_{j=1}^n T_i(x_j) - \int_0^1 T_i(t)\, dt\Bigr)^2,
        \qquad \int_0^1 T_i = \begin{cases} -1/(i^2 - 1) & i \text{ even} \\ 0 & i \text{ odd,} \end{cases}

    so :math:`f = 0` exactly when the rule :math:`\frac1n \sum_j g(x_j)`
    integrates :math:`T_1, \dots, T_m` exactly. The polynomials come from the
    recurrence :math:`T_{i+1}(t) = 2(2t - 1) T_i(t) - T_{i-1}(t)`.

    References
    ----------
    :cite:`more1981`, problem 35 (after Fletcher, 1965).
    """
    dim = _checks.integer("dim", dim, minimum=1)
    m = dim if m is None else _checks.integer("m", m, minimum=dim)
    start = np.arange(1.0, dim + 1.0) / (dim + 1.0)
    stationary, minimum = (), np.nan
    if m == dim:
        fun = _chebyquad_square
        if dim in _CHEBYQUAD_GUESSES:
            stationary = (_critical_point(_chebyquad_square, _CHEBYQUAD_GUESSES[dim]),)
            minimum = float(_chebyquad_square(stationary[0]))
        elif dim <= 7 or dim == 9:
            minimum = 0.0
    else:
        def fun(x):
            return _chebyquad(x, m)
    return _mgh_objective(f"Chebyquad ({dim}-D, m={m})", fun, dim, start, minimum=minimum,
                          stationary_points=stationary)
