"""The status codes of every result in :mod:`optlib.second_order`: one table, one meaning per code.

:func:`optlib.minimize` (every method), :func:`optlib.newton_root` and
:func:`optlib.conjugate_gradient` report how a run ended in ``status``, with
the codes below; ``success`` is ``status == SUCCESS``, and ``message`` says
the same in words, with the numbers of the run. Codes 0 to 3 mean what they
mean in :func:`scipy.optimize.minimize`.

====  ==========================  =====================================================================
code  name                        meaning
====  ==========================  =====================================================================
0     ``SUCCESS``                 the stopping test holds (a small gradient, residual or step)
1     ``MAXITER``                 the iteration limit ``maxiter`` was reached first
2     ``LINE_SEARCH_FAILED``      the line search found no acceptable step (f unbounded below along
                                  the direction, or no decrease left at rounding level)
3     ``NOT_FINITE``              a value, gradient, Hessian or step is NaN or infinite
4     ``NON_POSITIVE_CURVATURE``  linear CG met a direction with :math:`p^\\top A p \\le 0`: A is not
                                  positive definite
5     ``SINGULAR_JACOBIAN``       Newton's step for an equation is undefined: the Jacobian is singular
6     ``TRUST_REGION_COLLAPSED``  the trust radius shrank to rounding level without an acceptable step
====  ==========================  =====================================================================
"""

__all__ = ["STATUS", "SUCCESS", "MAXITER", "LINE_SEARCH_FAILED", "NOT_FINITE", "NON_POSITIVE_CURVATURE",
           "SINGULAR_JACOBIAN", "TRUST_REGION_COLLAPSED"]

SUCCESS = 0
MAXITER = 1
LINE_SEARCH_FAILED = 2
NOT_FINITE = 3
NON_POSITIVE_CURVATURE = 4
SINGULAR_JACOBIAN = 5
TRUST_REGION_COLLAPSED = 6

#: code -> (name, meaning); the meaning is also the default message of a result with that code.
STATUS = {
    SUCCESS: ("SUCCESS", "Optimization terminated successfully."),
    MAXITER: ("MAXITER", "Maximum number of iterations has been exceeded."),
    LINE_SEARCH_FAILED: ("LINE_SEARCH_FAILED", "Line search failed: no acceptable step along the direction."),
    NOT_FINITE: ("NOT_FINITE", "A value, gradient, Hessian or step is not finite."),
    NON_POSITIVE_CURVATURE: ("NON_POSITIVE_CURVATURE",
                             "A direction of non-positive curvature was met: A is not positive definite."),
    SINGULAR_JACOBIAN: ("SINGULAR_JACOBIAN", "The Jacobian is singular: Newton's step is undefined."),
    TRUST_REGION_COLLAPSED: ("TRUST_REGION_COLLAPSED",
                             "The trust radius shrank to rounding level without an acceptable step."),
}
