"""Bad arguments raise at once, naming the argument and the value: TypeError for a wrong type, ValueError for a bad value."""
import numpy as np
import pytest

from optlib import functions, line_search
from optlib.autodiff import value_and_grad
from optlib.second_order import conjugate_gradient, minimize, newton_root

ROSEN = functions.rosenbrock()


def quadratic(x):
    return 0.5 * np.sum(x ** 2)


# ---- complex numbers would lose their imaginary part: refuse them ---------------------------------

def test_minimize_refuses_a_complex_start():
    with pytest.raises(ValueError, match="x0 must be real, got complex values"):
        minimize(quadratic, np.array([1.0 + 2.0j, 0.5]))


def test_minimize_refuses_a_complex_value_of_fun():
    with pytest.raises(ValueError, match=r"fun\(x\) must be real, got complex values"):
        minimize(lambda x: np.sum(x ** 2) + 1j, np.ones(2), jac=lambda x: 2 * x)


def test_minimize_refuses_a_complex_gradient():
    with pytest.raises(ValueError, match="the gradient must be real, got complex values"):
        minimize(quadratic, np.ones(2), jac=lambda x: x + 0j)


def test_newton_root_refuses_a_complex_start_and_a_complex_value():
    with pytest.raises(ValueError, match="x0 must be real, got complex values"):
        newton_root(lambda x: x ** 2 - 2.0, 1.0 + 1.0j)
    with pytest.raises(ValueError, match=r"f\(x\) must be real, got complex values"):
        newton_root(lambda x: x ** 2 - 2.0 + 0j, 1.0, fprime=lambda x: 2 * x)


def test_conjugate_gradient_refuses_complex_systems():
    with pytest.raises(ValueError, match="A must be real, got complex values"):
        conjugate_gradient(np.eye(2) * (1 + 1j), np.ones(2))
    with pytest.raises(ValueError, match="b must be real, got complex values"):
        conjugate_gradient(np.eye(2), np.array([1.0, 1j]))
    with pytest.raises(ValueError, match=r"A\(v\) must be real, got complex values"):
        conjugate_gradient(lambda v: v * (1 + 1j), np.ones(2))


# ---- options that divide by zero or have the wrong type --------------------------------------------

def test_nonlinear_cg_restart_zero_is_a_value_error_naming_it():
    with pytest.raises(ValueError, match="restart must be an integer >= 1, got 0"):
        minimize(quadratic, np.ones(2), method="cg", options={"restart": 0})
    with pytest.raises(TypeError, match=r"restart must be an integer, got 2\.5"):
        minimize(quadratic, np.ones(2), method="cg", options={"restart": 2.5})


def test_ksd_curvature_args_must_be_a_tuple_or_a_non_empty_list_of_tuples():
    with pytest.raises(ValueError, match=r"curvature_args must hold at least one tuple .* got an empty list"):
        minimize(quadratic, np.ones(2), method="ksd", options={"curvature_args": []})
    with pytest.raises(TypeError, match=r"curvature_args must be a tuple .* got array\(.*\) \(ndarray\)"):
        minimize(quadratic, np.ones(2), method="ksd", options={"curvature_args": np.ones((3, 2))})
    with pytest.raises(TypeError, match=r"subspace_args must be a tuple .* \(list\)"):
        minimize(quadratic, np.ones(2), method="ksd", options={"subspace_args": [np.ones(2)]})


def test_wolfe_step_zero_and_other_bad_arguments_raise_naming_them():
    vg = value_and_grad(ROSEN)
    f0, g0 = vg(ROSEN.start)
    with pytest.raises(ValueError, match="step must be a positive finite number, got 0"):
        line_search.wolfe(vg, ROSEN.start, -g0, f0, g0, step=0)
    with pytest.raises(ValueError, match="c2 must lie in .* got 0.4"):
        line_search.wolfe(vg, ROSEN.start, -g0, c1=0.5, c2=0.4)
    with pytest.raises(TypeError, match="maxiter must be an integer, got 3.0"):
        line_search.wolfe(vg, ROSEN.start, -g0, f0, g0, maxiter=3.0)
    with pytest.raises(ValueError, match=r"direction must have shape \(2,\), got shape \(3,\)"):
        line_search.wolfe(vg, ROSEN.start, np.ones(3), f0, g0)


@pytest.mark.parametrize("step", [0.0, -1.0])
def test_backtracking_non_positive_step_is_a_value_error_naming_it(step):
    f0, g0 = value_and_grad(ROSEN)(ROSEN.start)
    with pytest.raises(ValueError, match=f"step must be a positive finite number, got {step}"):
        line_search.backtracking(ROSEN, ROSEN.start, -g0, f0, g0, step=step)


def test_backtracking_without_a_gradient_is_a_type_error():
    with pytest.raises(TypeError, match="gradient must be the gradient at x .* got None"):
        line_search.backtracking(ROSEN, ROSEN.start, -np.ones(2))


def test_conjugate_gradient_nan_in_a_and_rtol_none_raise_naming_them():
    with pytest.raises(ValueError, match="A must hold finite values only, got nan"):
        conjugate_gradient(np.array([[1.0, np.nan], [np.nan, 1.0]]), np.ones(2))
    with pytest.raises(TypeError, match=r"rtol must be a real number, got None \(NoneType\)"):
        conjugate_gradient(np.eye(2), np.ones(2), rtol=None)
    with pytest.raises(TypeError, match=r"maxiter must be an integer, got 2\.5"):
        conjugate_gradient(np.eye(2), np.ones(2), maxiter=2.5)
    with pytest.raises(ValueError, match=r"A\(v\) must return a vector of length 2 .* got 3"):
        conjugate_gradient(lambda v: np.ones(3), np.ones(2))


def test_newton_root_bad_maxiter_and_tol_raise_naming_them():
    cubic = lambda x: x ** 3 - 2.0           # noqa: E731
    with pytest.raises(ValueError, match="maxiter must be an integer >= 0, got -1"):
        newton_root(cubic, 1.0, maxiter=-1)
    with pytest.raises(TypeError, match=r"maxiter must be an integer, got 2\.5"):
        newton_root(cubic, 1.0, maxiter=2.5)
    for tol in (0.0, -1e-3):
        with pytest.raises(ValueError, match=f"tol must be a positive finite number, got {tol}"):
            newton_root(cubic, 1.0, tol=tol)
    with pytest.raises(TypeError, match="f must be a function"):
        newton_root("x ** 3", 1.0)


def test_newton_root_wrong_shape_fprime_is_a_value_error_naming_the_shapes():
    def F(v):
        return np.stack([v[0] ** 2 - v[1], v[0] - v[1]])

    with pytest.raises(ValueError, match=r"fprime\(x\) must have shape \(2, 2\) .* got shape \(2,\)"):
        newton_root(F, np.array([1.0, 2.0]), fprime=lambda v: 2 * v)
    with pytest.raises(ValueError, match=r"fprime\(x\) must have shape \(2, 2\) .* got shape \(3, 3\)"):
        newton_root(F, np.array([1.0, 2.0]), fprime=lambda v: np.eye(3))


def test_minimize_options_and_arguments_of_the_wrong_type_or_value():
    with pytest.raises(ValueError, match="maxiter must be an integer >= 0, got -1"):
        minimize(quadratic, np.ones(2), options={"maxiter": -1})
    with pytest.raises(TypeError, match=r"maxiter must be an integer, got 10\.0"):
        minimize(quadratic, np.ones(2), options={"maxiter": 10.0})
    with pytest.raises(ValueError, match="gtol must be a non-negative finite number, got -1"):
        minimize(quadratic, np.ones(2), options={"gtol": -1})
    with pytest.raises(TypeError, match="tol must be a real number, got '1e-3'"):
        minimize(quadratic, np.ones(2), tol="1e-3")
    with pytest.raises(TypeError, match="callback must be None or a function"):
        minimize(quadratic, np.ones(2), callback=3)
    with pytest.raises(TypeError, match="method must be a string"):
        minimize(quadratic, np.ones(2), method=2)
    with pytest.raises(ValueError, match="m \\(the L-BFGS memory\\) must be an integer >= 1, got 0"):
        minimize(quadratic, np.ones(2), method="lbfgs", options={"m": 0})
    with pytest.raises(ValueError, match="subspace_dim must be an integer >= 1, got 0"):
        minimize(quadratic, np.ones(2), method="ksd", options={"subspace_dim": 0})
    with pytest.raises(ValueError, match="eta must lie in \\[0, 0.25\\), got 0.5"):
        minimize(quadratic, np.ones(2), method="newton", options={"eta": 0.5})
    with pytest.raises(ValueError, match="unknown order 'diagonal'"):
        minimize(quadratic, np.ones(2), method="coordinate", options={"order": "diagonal"})
    with pytest.raises(ValueError, match="step_size must be a positive finite number, got 0"):
        minimize(quadratic, np.ones(2), method="subgradient", options={"step_size": 0})
