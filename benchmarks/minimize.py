"""optlib.minimize against scipy.optimize.minimize on the 35 Moré-Garbow-Hillstrom problems.

For every problem of :func:`optlib.functions.more_garbow_hillstrom`, from its
standard start, each of optlib's methods runs next to its SciPy counterpart
with the same exact derivatives and default settings:

======================  ==========================================================
optlib                  SciPy
======================  ==========================================================
``newton``              ``trust-exact`` (exact Hessian, exact trust-region steps)
``bfgs``                ``BFGS``
``lbfgs``               ``L-BFGS-B``
``cg``                  ``CG``
``newton-cg``           ``Newton-CG`` (Hessian-vector products)
======================  ==========================================================

SciPy gets the value and gradient from one autodiff pass (``jac=True``) and the
Hessian or Hessian-vector products from autodiff; optlib uses its defaults,
which are the same derivatives. A run *solves* a problem when its final value is
within ``1e-6 * max(1, |f*|)`` of the global minimum or of a documented local
minimum. The cost of a run is its number of function plus gradient evaluations,
``nfev + njev``, counted as SciPy counts them. The summary gives, per method,
the problems each side solves and the median over the problems both solve of
the cost ratio optlib / SciPy.

Then ``optlib.conjugate_gradient`` is compared with ``scipy.sparse.linalg.cg``
on random SPD systems (sizes 50 to 400, condition numbers 10 to 1e4): the
iteration counts to the same relative residual.

Run: ``python benchmarks/minimize.py``.
"""
import time
import warnings

import numpy as np
import scipy.optimize
import scipy.sparse.linalg

import optlib.autodiff as ad
from optlib import functions
from optlib.second_order import conjugate_gradient, minimize

PAIRS = [("newton", "trust-exact"), ("bfgs", "BFGS"), ("lbfgs", "L-BFGS-B"), ("cg", "CG"),
         ("newton-cg", "Newton-CG")]


def solved(objective, value):
    targets = [objective.minimum] + [float(objective(p)) for p in objective.stationary_points]
    return bool(np.isfinite(value)) and any(value - t <= 1e-6 * max(1.0, abs(t)) for t in targets
                                            if np.isfinite(t))


def run_scipy(objective, method):
    kwargs = dict(jac=True)
    if method == "Newton-CG":
        kwargs["hessp"] = lambda x, p: ad.hvp(objective, x, p)
    if method == "trust-exact":
        kwargs["hess"] = ad.hessian(objective)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return scipy.optimize.minimize(ad.value_and_grad(objective), objective.start, method=method, **kwargs)


def run_optlib(objective, method):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return minimize(objective, objective.start, method=method)


def minimize_table():
    problems = functions.more_garbow_hillstrom()
    summary = {ours: dict(ours_solved=0, scipy_solved=0, ratios=[]) for ours, _ in PAIRS}
    width = 22
    print(f"{len(problems)} Moré-Garbow-Hillstrom problems: nfev + njev (* = not solved), optlib / SciPy")
    print(f"{'problem':28s} {'n':>3s} " + " ".join(f"{o + ' / ' + s:>{width}s}" for o, s in PAIRS))
    for name, objective in problems.items():
        cells = []
        for ours, theirs in PAIRS:
            mine, ref = run_optlib(objective, ours), run_scipy(objective, theirs)
            cost_mine, cost_ref = mine.nfev + mine.njev, ref.nfev + ref.njev
            ok_mine, ok_ref = solved(objective, mine.fun), solved(objective, ref.fun)
            entry = summary[ours]
            entry["ours_solved"] += ok_mine
            entry["scipy_solved"] += ok_ref
            if ok_mine and ok_ref:
                entry["ratios"].append(cost_mine / cost_ref)
            cells.append(f"{cost_mine:>6d}{' ' if ok_mine else '*'} / {cost_ref:>6d}{' ' if ok_ref else '*'}")
        print(f"{name:28s} {objective.dim:>3d} " + " ".join(f"{c:>{width}s}" for c in cells))
    print()
    print("Summary: problems solved, and the median over the problems both solve of (nfev + njev) optlib / SciPy")
    print(f"{'optlib':10s} {'solved':>7s}   {'SciPy':12s} {'solved':>7s}   {'both':>4s}   {'median ratio':>12s}")
    for ours, theirs in PAIRS:
        entry = summary[ours]
        median = np.median(entry["ratios"]) if entry["ratios"] else np.nan
        print(f"{ours:10s} {entry['ours_solved']:>3d}/{len(problems):<3d}   {theirs:12s} "
              f"{entry['scipy_solved']:>3d}/{len(problems):<3d}   {len(entry['ratios']):>4d}   {median:>12.3f}")
    return summary


def spd_system(n, condition, seed):
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    eigenvalues = np.geomspace(1.0, condition, n)
    A = (Q * eigenvalues) @ Q.T
    return 0.5 * (A + A.T), rng.standard_normal(n)


def cg_table(rtol=1e-8):
    print(f"Linear CG iterations to relative residual {rtol:g}: optlib / scipy.sparse.linalg.cg")
    worst = 0
    sizes, conditions = (50, 100, 200, 400), (1e1, 1e2, 1e3, 1e4)
    print(f"{'n':>5s} " + " ".join(f"{'cond ' + format(c, 'g'):>14s}" for c in conditions))
    for n in sizes:
        cells = []
        for condition in conditions:
            A, b = spd_system(n, condition, seed=n)
            _, info = conjugate_gradient(A, b, rtol=rtol, maxiter=10 * n)
            count = [0]
            scipy.sparse.linalg.cg(A, b, rtol=rtol, maxiter=10 * n, callback=lambda xk: count.__setitem__(
                0, count[0] + 1))
            worst = max(worst, abs(info.nit - count[0]))
            cells.append(f"{info.nit:>5d} / {count[0]:<5d}")
        print(f"{n:>5d} " + " ".join(f"{c:>14s}" for c in cells))
    print(f"Largest difference in iteration counts: {worst}")
    return worst


if __name__ == "__main__":
    start = time.perf_counter()
    minimize_table()
    print()
    cg_table()
    print(f"\n(total time {time.perf_counter() - start:.1f} s)")
