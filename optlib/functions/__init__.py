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

The package has one module per family: :mod:`~optlib.functions.objective`
(the container), :mod:`~optlib.functions.classic` (the functions the chapters
draw: quadratics, least squares, Rosenbrock, Beale, Himmelblau, the saddles,
Rastrigin), :mod:`~optlib.functions.cliff` (the cliff of a one-unit recurrent
network, for exploding gradients and clipping), :mod:`~optlib.functions.nonsmooth` (L1 and hinge, for the
subgradient method), :mod:`~optlib.functions.noisy` (the noisy quadratic
model, whose runs are rows and whose coordinate axis is therefore the last),
and the Moré-Garbow-Hillstrom test set used by the tests
and benchmarks, :mod:`~optlib.functions.mgh_fixed`,
:mod:`~optlib.functions.mgh_variable` and :mod:`~optlib.functions.mgh`.
Every public name is importable from :mod:`optlib.functions` itself.
"""
from optlib.functions.classic import (beale, himmelblau, least_squares, monkey_saddle, quadratic,
                                      quadratic_bowl, quadratic_bowl_matrix, rastrigin, rosenbrock, saddle)
from optlib.functions.cliff import pascanu_cliff
from optlib.functions.mgh import more_garbow_hillstrom
from optlib.functions.mgh_fixed import (bard, biggs_exp6, box_3d, brown_badly_scaled, brown_dennis,
                                        freudenstein_roth, gaussian, gulf_research, helical_valley,
                                        jennrich_sampson, kowalik_osborne, meyer, osborne_1, osborne_2,
                                        powell_badly_scaled, powell_singular, watson, wood)
from optlib.functions.mgh_variable import (broyden_banded, broyden_tridiagonal, brown_almost_linear,
                                           chebyquad, discrete_boundary_value, discrete_integral_equation,
                                           extended_powell_singular, extended_rosenbrock, linear_full_rank,
                                           linear_rank_1, linear_rank_1_zero_columns_and_rows, penalty_1,
                                           penalty_2, trigonometric, variably_dimensioned)
from optlib.functions.noisy import NoisyQuadratic, noisy_quadratic
from optlib.functions.nonsmooth import hinge, l1
from optlib.functions.objective import Objective

__all__ = [
    "Objective",
    # the book's functions
    "quadratic_bowl", "quadratic_bowl_matrix", "quadratic", "least_squares", "rosenbrock", "beale",
    "himmelblau", "saddle", "monkey_saddle", "rastrigin", "pascanu_cliff",
    # non-smooth
    "l1", "hinge",
    # noisy gradients
    "noisy_quadratic", "NoisyQuadratic",
    # the Moré-Garbow-Hillstrom problems, in the paper's order (Rosenbrock and Beale are above)
    "freudenstein_roth", "powell_badly_scaled", "brown_badly_scaled", "jennrich_sampson", "helical_valley",
    "bard", "gaussian", "meyer", "gulf_research", "box_3d", "powell_singular", "wood", "kowalik_osborne",
    "brown_dennis", "osborne_1", "biggs_exp6", "osborne_2", "watson", "extended_rosenbrock",
    "extended_powell_singular", "penalty_1", "penalty_2", "variably_dimensioned", "trigonometric",
    "brown_almost_linear", "discrete_boundary_value", "discrete_integral_equation", "broyden_tridiagonal",
    "broyden_banded", "linear_full_rank", "linear_rank_1", "linear_rank_1_zero_columns_and_rows", "chebyquad",
    "more_garbow_hillstrom",
]
