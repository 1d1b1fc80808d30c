r"""The Moré-Garbow-Hillstrom test set: all 35 unconstrained problems of :cite:`more1981`, by name.

Used by the tests and benchmarks of :mod:`optlib.second_order`: every problem
comes with its standard start, so ``minimize(p, p.start, ...)`` for every
``p`` in :func:`more_garbow_hillstrom` repeats the paper's experiment.
"""
from optlib.functions.classic import beale, rosenbrock
from optlib.functions.mgh_fixed import (bard, biggs_exp6, box_3d, brown_badly_scaled, brown_dennis,
                                        freudenstein_roth, gaussian, gulf_research, helical_valley,
                                        jennrich_sampson, kowalik_osborne, meyer, osborne_1, osborne_2,
                                        powell_badly_scaled, powell_singular, watson, wood)
from optlib.functions.mgh_variable import (broyden_banded, broyden_tridiagonal, brown_almost_linear,
                                           chebyquad, discrete_boundary_value, discrete_integral_equation,
                                           extended_powell_singular, extended_rosenbrock, linear_full_rank,
                                           linear_rank_1, linear_rank_1_zero_columns_and_rows, penalty_1,
                                           penalty_2, trigonometric, variably_dimensioned)

__all__ = ["more_garbow_hillstrom"]


def more_garbow_hillstrom():
    r"""The 35 Moré-Garbow-Hillstrom test problems, by name, in the paper's order, with standard starts.

    Returns
    -------
    dict of str to Objective
        Problems 1 to 20 have a fixed size: Rosenbrock (1), Freudenstein and
        Roth (2), Powell badly scaled (3), Brown badly scaled (4), Beale (5),
        Jennrich and Sampson (6, :math:`m = 10`), helical valley (7), Bard (8),
        Gaussian (9), Meyer (10), Gulf research and development (11,
        :math:`m = 99`), Box 3-D (12, :math:`m = 10`), Powell singular (13),
        Wood (14), Kowalik and Osborne (15), Brown and Dennis (16,
        :math:`m = 20`), Osborne 1 (17), Biggs EXP6 (18, :math:`m = 13`),
        Osborne 2 (19) and Watson (20, :math:`n = 6`). Problems 21 to 35 have
        a variable size, here: extended Rosenbrock (21, :math:`n = 10`),
        extended Powell singular (22, :math:`n = 12`), penalty I (23,
        :math:`n = 4`), penalty II (24, :math:`n = 4`), variably dimensioned
        (25, :math:`n = 10`), trigonometric (26, :math:`n = 10`), Brown
        almost-linear (27, :math:`n = 10`), discrete boundary value (28,
        :math:`n = 10`), discrete integral equation (29, :math:`n = 10`),
        Broyden tridiagonal (30, :math:`n = 10`), Broyden banded (31,
        :math:`n = 10`), linear full rank (32), linear rank 1 (33) and linear
        rank 1 with zero columns and rows (34), all three with :math:`n = 10`,
        :math:`m = 20`, and Chebyquad (35, :math:`n = m = 8`).

        Where the paper gives a second, local minimum or a standard start is
        known to lead to one (Freudenstein and Roth, Biggs EXP6,
        trigonometric), and for minimizers that are not isolated points (Box
        3-D, the two rank-1 problems, Chebyquad), the points are listed in
        ``stationary_points``.

    Notes
    -----
    Every problem is rebuilt on each call (the minimizers computed at
    construction are cached, so later calls are fast), and each has its own
    constructor with its size as a parameter: ``extended_rosenbrock(100)``,
    ``chebyquad(10)``, ...

    References
    ----------
    :cite:`more1981`.
    """
    return {
        "rosenbrock": rosenbrock(), "freudenstein_roth": freudenstein_roth(),
        "powell_badly_scaled": powell_badly_scaled(), "brown_badly_scaled": brown_badly_scaled(),
        "beale": beale(), "jennrich_sampson": jennrich_sampson(), "helical_valley": helical_valley(),
        "bard": bard(), "gaussian": gaussian(), "meyer": meyer(), "gulf_research": gulf_research(99),
        "box_3d": box_3d(), "powell_singular": powell_singular(), "wood": wood(),
        "kowalik_osborne": kowalik_osborne(), "brown_dennis": brown_dennis(), "osborne_1": osborne_1(),
        "biggs_exp6": biggs_exp6(), "osborne_2": osborne_2(), "watson": watson(),
        "extended_rosenbrock": extended_rosenbrock(10),
        "extended_powell_singular": extended_powell_singular(12), "penalty_1": penalty_1(4),
        "penalty_2": penalty_2(4), "variably_dimensioned": variably_dimensioned(10),
        "trigonometric": trigonometric(10), "brown_almost_linear": brown_almost_linear(10),
        "discrete_boundary_value": discrete_boundary_value(10),
        "discrete_integral_equation": discrete_integral_equation(10),
        "broyden_tridiagonal": broyden_tridiagonal(10), "broyden_banded": broyden_banded(10),
        "linear_full_rank": linear_full_rank(10, 20), "linear_rank_1": linear_rank_1(10, 20),
        "linear_rank_1_zero_columns_and_rows": linear_rank_1_zero_columns_and_rows(10, 20),
        "chebyquad": chebyquad(8),
    }
