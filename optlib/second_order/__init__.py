"""Second-order and line-search methods behind one front door, :func:`minimize`.

Taught in the part *Second-order methods*: Newton's method, quasi-Newton
(BFGS, L-BFGS), conjugate gradient (linear and nonlinear), Hessian-free
optimisation (Newton-CG), Krylov subspace descent, coordinate descent and the
subgradient method. One module per method; :mod:`optlib.line_search` holds
the line searches they share.
"""
from optlib.second_order.linear_cg import conjugate_gradient
from optlib.second_order.minimize import METHODS, minimize
from optlib.second_order.newton import newton_root

__all__ = ["minimize", "newton_root", "conjugate_gradient", "METHODS"]
