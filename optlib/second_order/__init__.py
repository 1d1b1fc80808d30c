"""Second-order and line-search methods behind one front door, :func:`minimize`.

Newton's method (:chapter:`05_second_order/newtons_method`), quasi-Newton
(BFGS, L-BFGS: :chapter:`05_second_order/bfgs`), conjugate gradient, linear and
nonlinear, and Hessian-free optimisation (Newton-CG:
:chapter:`05_second_order/conjugate_gradient`), Krylov subspace descent
(:chapter:`05_second_order/krylov_subspace_descent`), coordinate descent
(:chapter:`04_first_order/coordinate_descent`) and the subgradient method
(:chapter:`04_first_order/subgradient_method`). One module per method;
:mod:`optlib.line_search` holds the line searches they share, and
:mod:`optlib.second_order.status` the status codes every result uses.
"""
from optlib.second_order.linear_cg import conjugate_gradient
from optlib.second_order.minimize import METHODS, minimize
from optlib.second_order.newton import newton_root
from optlib.second_order.status import STATUS

__all__ = ["minimize", "newton_root", "conjugate_gradient", "METHODS", "STATUS"]
