"""Settings shared by every test, the notebook kernels nbval starts included.

BLAS runs on one thread so that sums are added in the same order on every
machine and the numbers printed by the chapters are reproducible.
"""
import os

for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

# Continuous integration runs the property-based tests on a fixed sequence of
# examples, so a run can be repeated exactly; locally they explore new ones.
if os.environ.get("CI"):
    from hypothesis import settings

    settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
    settings.load_profile("ci")
