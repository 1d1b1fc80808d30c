"""optlib.minimize against scipy.optimize.minimize on the Moré-Garbow-Hillstrom problems.

For every problem, from its standard start, each of optlib's ``bfgs``, ``lbfgs``,
``cg`` and ``newton-cg`` runs next to SciPy's ``BFGS``, ``L-BFGS-B``, ``CG`` and
``Newton-CG``, with the same exact gradients (and Hessian-vector products) and
default settings. A run *solves* a problem when its final value is within
``1e-6 * max(1, |f*|)`` of the global minimum or of a documented local
minimum. The cost of a run is its number of function plus gradient
evaluations, ``nfev + njev``.

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

PAIRS = [("bfgs", "BFGS"), ("lbfgs", "L-BFGS-B"), ("cg", "CG"), ("newton-cg", "Newton-CG")]


def solved(objective, value):
    targets = [objective.minimum] + [float(objective(p)) for p in objective.stationary_points]
    return any(np.isfinite(value) and value - t <= 1e-6 * max(1.0, abs(t)) for t in targets
               if np.isfinite(t))


def run_scipy(objective, method):
    value_and_grad = ad.value_and_grad(objective)
    options = {}
    kwargs = dict(jac=True)
    if method == "Newton-CG":
        kwargs["hessp"] = lambda x, p: ad.hvp(objective, x, p)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = scipy.optimize.minimize(value_and_grad, objective.start, method=method, options=options,
                                      **kwargs)
    return res


def minimize_table():
    problems = functions.more_garbow_hillstrom()
    rows, summary = [], {ours: dict(ours_solved=0, scipy_solved=0, ratios=[]) for ours, _ in PAIRS}
    header = f"{'problem':22s} {'n':>3s} " + " ".join(f"{o + ' / ' + s:>28s}" for o, s in PAIRS)
    print("Moré-Garbow-Hillstrom problems: function+gradient evaluations (* = not solved), optlib / SciPy")
    print(header)
    for name, objective in problems.items():
        cells = []
        for ours, theirs in PAIRS:
            mine = minimize(objective, objective.start, method=ours)
            ref = run_scipy(objective, theirs)
            cost_mine, cost_ref = mine.nfev + mine.njev, ref.nfev + ref.njev
            ok_mine, ok_ref = solved(objective, mine.fun), solved(objective, ref.fun)
            entry = summary[ours]
            entry["ours_solved"] += ok_mine
            entry["scipy_solved"] += ok_ref
            if ok_mine and ok_ref:
                entry["ratios"].append(cost_mine / cost_ref)
            cells.append(f"{cost_mine:>6d}{' ' if ok_mine else '*'} / {cost_ref:>6d}{' ' if ok_ref else '*'}")
        rows.append(name)
        print(f"{name:22s} {objective.dim:>3d} " + " ".join(f"{c:>28s}" for c in cells))
    print()
    print("Summary (median ratio over the problems both solve):")
    for ours, theirs in PAIRS:
        entry = summary[ours]
        median = np.median(entry["ratios"]) if entry["ratios"] else np.nan
        print(f"  {ours:10s} solved {entry['ours_solved']:2d}/{len(problems)}, {theirs:9s} solved "
              f"{entry['scipy_solved']:2d}/{len(problems)}; median (nfev+njev) ratio {median:.3f}")
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
