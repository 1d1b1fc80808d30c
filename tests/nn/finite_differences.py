"""Central finite differences of a scalar function of a pytree, coordinate by coordinate."""
import numpy as np

from optlib.tree import ravel


def numerical_gradient(f, params, eps=1e-6):
    """(f(p + eps e_i) - f(p - eps e_i)) / (2 eps) for every coordinate i, with p's structure."""
    flat, unravel = ravel(params)
    g = np.empty_like(flat)
    for i in range(flat.size):
        step = np.zeros_like(flat)
        step[i] = eps
        g[i] = (float(f(unravel(flat + step))) - float(f(unravel(flat - step)))) / (2 * eps)
    return unravel(g)


def assert_gradients_match(autodiff_grads, numeric_grads, rtol=1e-5, atol=1e-8):
    a, _ = ravel(autodiff_grads)
    n, _ = ravel(numeric_grads)
    np.testing.assert_allclose(a, n, rtol=rtol, atol=atol)


def jitter(params, seed=0, scale=0.1):
    """Params plus small random offsets: biases leave 0, so no ReLU input sits exactly on its kink."""
    from optlib.tree import tree_map
    rng = np.random.default_rng(seed)
    return tree_map(lambda a: a + scale * rng.standard_normal(np.shape(a)), params)
