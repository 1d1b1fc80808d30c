r"""The Moré-Garbow-Hillstrom problems of fixed dimension: problems 2 to 4 and 6 to 20.

Each is a sum of squares :math:`f(x) = \sum_{i=1}^m r_i(x)^2` from
:cite:`more1981`, with the paper's standard start, its minimum value and,
where known, its minimizers and notable local minima. Minimizers that the
paper gives to a few digits are computed to full precision at construction
(Newton's method on the gradient, started from the paper's digits; where the
paper gives no minimizer, from digits computed once for this module). Problems
1 and 5, Rosenbrock and Beale, are in :mod:`optlib.functions.classic`.
"""
import numpy as np

from optlib import _checks
from optlib.functions.objective import _column, _critical_point, _mgh_objective

__all__ = ["freudenstein_roth", "powell_badly_scaled", "brown_badly_scaled", "jennrich_sampson",
           "helical_valley", "bard", "gaussian", "meyer", "gulf_research", "box_3d", "powell_singular",
           "wood", "kowalik_osborne", "brown_dennis", "osborne_1", "biggs_exp6", "osborne_2", "watson"]


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
    local = _critical_point(_freudenstein_roth, (11.41, -0.8968))
    return _mgh_objective("Freudenstein and Roth", _freudenstein_roth, 2, np.array([0.5, -2.0]),
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
    minimizer = _critical_point(_powell_badly_scaled, (1.098159e-5, 9.106146))
    return _mgh_objective("Powell badly scaled", _powell_badly_scaled, 2, np.array([0.0, 1.0]), (minimizer,))


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
    return _mgh_objective("Brown badly scaled", _brown_badly_scaled, 2, np.array([1.0, 1.0]),
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
    minimizer = _critical_point(_jennrich_sampson, (0.2578, 0.2578))
    return _mgh_objective("Jennrich and Sampson", _jennrich_sampson, 2, np.array([0.3, 0.4]), (minimizer,),
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
    return _mgh_objective("helical valley", _helical_valley, 3, np.array([-1.0, 0.0, 0.0]),
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
        Minimum :math:`\approx 8.21487 \cdot 10^{-3}` near :math:`(0.0824, 1.133, 2.344)`,
        start :math:`(1, 1, 1)`.

    Notes
    -----
    With :math:`u_i = i`, :math:`v_i = 16 - i`, :math:`w_i = \min(u_i, v_i)` and the data :math:`y_i`,

    .. math::

        f = \sum_{i=1}^{15} \Bigl(y_i - \Bigl(x_1 + \frac{u_i}{v_i x_2 + w_i x_3}\Bigr)\Bigr)^2 .

    References
    ----------
    :cite:`more1981`, problem 8.
    """
    minimizer = _critical_point(_bard, (0.0824, 1.133, 2.344))
    return _mgh_objective("Bard", _bard, 3, np.array([1.0, 1.0, 1.0]), (minimizer,), float(_bard(minimizer)))


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
    minimizer = _critical_point(_gaussian, (0.3989, 1.0, 0.0))
    return _mgh_objective("Gaussian", _gaussian, 3, np.array([0.4, 1.0, 0.0]), (minimizer,),
                float(_gaussian(minimizer)))


_MEYER_Y = np.array([34780.0, 28610.0, 23650.0, 19630.0, 16370.0, 13720.0, 11540.0, 9744.0, 8261.0, 7030.0,
                     6005.0, 5147.0, 4427.0, 3820.0, 3307.0, 2872.0])
_MEYER_T = 45.0 + 5.0 * np.arange(1.0, 17.0)


def _meyer(x):
    t, y = _column(_MEYER_T, x), _column(_MEYER_Y, x)
    return np.sum((x[0] * np.exp(x[1] / (t + x[2])) - y) ** 2, axis=0)


def meyer():
    r"""Meyer's function (MGH problem 10), :math:`m = 16`: a badly scaled exponential fit.

    Returns
    -------
    Objective
        Minimum :math:`\approx 87.9458` near :math:`(0.005610, 6181, 345.2)`,
        start :math:`(0.02, 4000, 250)`.

    Notes
    -----
    With :math:`t_i = 45 + 5i` and the data :math:`y_i`,

    .. math::

        f = \sum_{i=1}^{16} \Bigl(x_1 \exp\Bigl(\frac{x_2}{t_i + x_3}\Bigr) - y_i\Bigr)^2 .

    The coordinates of the minimizer differ by six orders of magnitude and
    :math:`f(x_0) \approx 1.7 \cdot 10^9`, so methods that are not invariant
    to scaling struggle.

    References
    ----------
    :cite:`more1981`, problem 10.
    """
    minimizer = _critical_point(_meyer, (0.0056096, 6181.35, 345.224))
    return _mgh_objective("Meyer", _meyer, 3, np.array([0.02, 4000.0, 250.0]), (minimizer,),
                          float(_meyer(minimizer)))


def gulf_research(m=99):
    r"""The Gulf research and development function (MGH problem 11).

    Parameters
    ----------
    m : int
        The number of residuals, :math:`3 \le m \le 100`.

    Returns
    -------
    Objective
        Minimum 0 at :math:`(50, 25, 1.5)`, start :math:`(5, 2.5, 0.15)`.
        The window is :math:`[1, 60] \times [0, 40] \times [0.1, 3]`, where the
        function is finite (it overflows for :math:`x_1 \le 0`).

    Notes
    -----
    With :math:`t_i = i/100` and :math:`y_i = 25 + (-50 \ln t_i)^{2/3}`,

    .. math::

        f = \sum_{i=1}^{m} \Bigl(\exp\Bigl(-\frac{\lvert y_i - x_2 \rvert^{x_3}}{x_1}\Bigr) - t_i\Bigr)^2 .

    The paper prints :math:`y_i\, m i\, x_2` inside the absolute value, a
    misprint for :math:`y_i - x_2` (only then is :math:`f = 0` at the stated
    minimizer). The default :math:`m = 99` is the largest for which every
    residual is smooth at the minimizer: with :math:`m = 100`,
    :math:`y_{100} = 25 = x_2^\star`, and the derivative of
    :math:`\lvert y_{100} - x_2\rvert^{x_3}` with respect to :math:`x_3` is
    :math:`0 \cdot \log 0` there, which automatic differentiation evaluates to NaN.

    References
    ----------
    :cite:`more1981`, problem 11.
    """
    m = _checks.integer("m", m, minimum=3, maximum=100)
    t = np.arange(1.0, m + 1.0) / 100.0
    y = 25.0 + (-50.0 * np.log(t)) ** (2.0 / 3.0)

    def fun(x):
        tc, yc = _column(t, x), _column(y, x)
        return np.sum((np.exp(-np.abs(yc - x[1]) ** x[2] / x[0]) - tc) ** 2, axis=0)

    return _mgh_objective(f"Gulf research and development (m={m})", fun, 3, np.array([5.0, 2.5, 0.15]),
                          (np.array([50.0, 25.0, 1.5]),), bounds=((1.0, 60.0), (0.0, 40.0), (0.1, 3.0)))


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
    return _mgh_objective("Box 3-D", _box_3d, 3, np.array([0.0, 10.0, 20.0]),
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
    return _mgh_objective("Powell singular", _powell_singular, 4, np.array([3.0, -1.0, 0.0, 1.0]),
                          (np.zeros(4),))


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
    return _mgh_objective("Wood", _wood, 4, np.array([-3.0, -1.0, -3.0, -1.0]), (np.ones(4),))


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
    minimizer = _critical_point(_kowalik_osborne, (0.1928, 0.1913, 0.1231, 0.1361))
    return _mgh_objective("Kowalik and Osborne", _kowalik_osborne, 4, np.array([0.25, 0.39, 0.415, 0.39]),
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
    minimizer = _critical_point(_brown_dennis, (-11.59, 13.20, -0.4034, 0.2368))
    return _mgh_objective("Brown and Dennis", _brown_dennis, 4, np.array([25.0, 5.0, -5.0, -1.0]),
                          (minimizer,),
                float(_brown_dennis(minimizer)))


_OSBORNE_1_Y = np.array([0.844, 0.908, 0.932, 0.936, 0.925, 0.908, 0.881, 0.850, 0.818, 0.784, 0.751,
                         0.718, 0.685, 0.658, 0.628, 0.603, 0.580, 0.558, 0.538, 0.522, 0.506, 0.490,
                         0.478, 0.467, 0.457, 0.448, 0.438, 0.431, 0.424, 0.420, 0.414, 0.411, 0.406])
_OSBORNE_1_T = 10.0 * np.arange(33.0)


def _osborne_1(x):
    t, y = _column(_OSBORNE_1_T, x), _column(_OSBORNE_1_Y, x)
    return np.sum((y - (x[0] + x[1] * np.exp(-t * x[3]) + x[2] * np.exp(-t * x[4]))) ** 2, axis=0)


def osborne_1():
    r"""Osborne's first function (MGH problem 17), :math:`m = 33`: a sum of two exponentials.

    Returns
    -------
    Objective
        Minimum :math:`\approx 5.46489 \cdot 10^{-5}` near
        :math:`(0.3754, 1.936, -1.465, 0.01287, 0.02212)`, start
        :math:`(0.5, 1.5, -1, 0.01, 0.02)`.

    Notes
    -----
    With :math:`t_i = 10 (i - 1)` and the data :math:`y_i`,

    .. math::

        f = \sum_{i=1}^{33} \bigl(y_i - (x_1 + x_2 e^{-t_i x_4} + x_3 e^{-t_i x_5})\bigr)^2 .

    References
    ----------
    :cite:`more1981`, problem 17.
    """
    minimizer = _critical_point(_osborne_1, (0.3754, 1.9358, -1.4647, 0.01287, 0.02212))
    return _mgh_objective("Osborne 1", _osborne_1, 5, np.array([0.5, 1.5, -1.0, 0.01, 0.02]), (minimizer,),
                          float(_osborne_1(minimizer)))


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
    local = _critical_point(_biggs_exp6, (1.711, 17.68, 1.163, 5.186, 1.711, 1.163))
    return _mgh_objective("Biggs EXP6", _biggs_exp6, 6, np.array([1.0, 2.0, 1.0, 1.0, 1.0, 1.0]),
                (np.array([1.0, 10.0, 1.0, 5.0, 4.0, 3.0]), np.array([4.0, 10.0, 3.0, 5.0, 1.0, 1.0])),
                stationary_points=(local,))


_OSBORNE_2_Y = np.array([
    1.366, 1.191, 1.112, 1.013, 0.991, 0.885, 0.831, 0.847, 0.786, 0.725, 0.746, 0.679, 0.608, 0.655,
    0.616, 0.606, 0.602, 0.626, 0.651, 0.724, 0.649, 0.649, 0.694, 0.644, 0.624, 0.661, 0.612, 0.558,
    0.533, 0.495, 0.500, 0.423, 0.395, 0.375, 0.372, 0.391, 0.396, 0.405, 0.428, 0.429, 0.523, 0.562,
    0.607, 0.653, 0.672, 0.708, 0.633, 0.668, 0.645, 0.632, 0.591, 0.559, 0.597, 0.625, 0.739, 0.710,
    0.729, 0.720, 0.636, 0.581, 0.428, 0.292, 0.162, 0.098, 0.054])
_OSBORNE_2_T = np.arange(65.0) / 10.0


def _osborne_2(x):
    t, y = _column(_OSBORNE_2_T, x), _column(_OSBORNE_2_Y, x)
    model = (x[0] * np.exp(-t * x[4]) + x[1] * np.exp(-(t - x[8]) ** 2 * x[5])
             + x[2] * np.exp(-(t - x[9]) ** 2 * x[6]) + x[3] * np.exp(-(t - x[10]) ** 2 * x[7]))
    return np.sum((y - model) ** 2, axis=0)


def osborne_2():
    r"""Osborne's second function (MGH problem 19), :math:`m = 65`: one exponential and three Gaussians.

    Returns
    -------
    Objective
        Minimum :math:`\approx 4.01377 \cdot 10^{-2}` near
        :math:`(1.310, 0.4316, 0.6337, 0.5994, 0.7542, 0.9043, 1.366, 4.824, 2.399, 4.569, 5.675)`,
        start :math:`(1.3, 0.65, 0.65, 0.7, 0.6, 3, 5, 7, 2, 4.5, 5.5)`.

    Notes
    -----
    With :math:`t_i = (i - 1)/10` and the data :math:`y_i`,

    .. math::

        f = \sum_{i=1}^{65} \Bigl(y_i - \bigl(x_1 e^{-t_i x_5} + x_2 e^{-(t_i - x_9)^2 x_6}
            + x_3 e^{-(t_i - x_{10})^2 x_7} + x_4 e^{-(t_i - x_{11})^2 x_8}\bigr)\Bigr)^2 .

    References
    ----------
    :cite:`more1981`, problem 19.
    """
    minimizer = _critical_point(_osborne_2, (1.3100, 0.4316, 0.6337, 0.5994, 0.7542, 0.9043, 1.3658, 4.8237,
                                             2.3987, 4.5689, 5.6753))
    return _mgh_objective("Osborne 2", _osborne_2, 11,
                          np.array([1.3, 0.65, 0.65, 0.7, 0.6, 3.0, 5.0, 7.0, 2.0, 4.5, 5.5]), (minimizer,),
                          float(_osborne_2(minimizer)))


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
    minimizer = _critical_point(_watson, (-0.0157, 1.012, -0.2330, 1.260, -1.513, 0.9930))
    return _mgh_objective("Watson", _watson, 6, np.zeros(6), (minimizer,), float(_watson(minimizer)))
