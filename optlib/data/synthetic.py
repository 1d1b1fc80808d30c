"""Synthetic data sets: two moons, spirals, linear and polynomial regression, sparse features.

Defined here, used in :chapter:`02_training/epoch`, :chapter:`02_training/batch_size`,
:chapter:`02_training/early_stopping`, :chapter:`03_landscape/error_surface` and
:chapter:`04_first_order/adagrad`.

Every generator takes ``rng``: a ``np.random.Generator`` (``np.random.default_rng(seed)``)
or an int seed (default 0), and draws all its random numbers from it. Inputs
come back as float64 arrays, class labels as int64.
"""
from __future__ import annotations

import numpy as np

from optlib import _checks

__all__ = ["two_moons", "spirals", "linear_regression", "polynomial_regression",
           "polynomial_features", "sparse_classification"]


def _shuffled(rng, X, y):
    order = rng.permutation(len(y))
    return X[order], y[order]


def two_moons(n=200, noise=0.1, rng=0):
    r"""Two interleaving half circles, one per class: not linearly separable.

    Parameters
    ----------
    n : int
        Number of points (``n // 2`` in class 0, the rest in class 1).
    noise : float
        Standard deviation of the Gaussian noise added to every coordinate.
    rng : Generator or int

    Returns
    -------
    X : ndarray of shape (n, 2)
    y : ndarray of shape (n,), labels 0 and 1 (in random order)

    Notes
    -----
    With :math:`\theta \sim \mathcal U[0, \pi]`, class 0 is :math:`(\cos\theta, \sin\theta)`
    and class 1 is :math:`(1 - \cos\theta, \tfrac12 - \sin\theta)`.

    References
    ----------
    :cite:`goodfellow2016`
    """
    n = _checks.integer("n", n, minimum=2)
    noise = _checks.non_negative("noise", noise)
    rng = _checks.rng(rng)
    n0 = n // 2
    theta = rng.uniform(0.0, np.pi, size=n)
    upper = np.stack([np.cos(theta[:n0]), np.sin(theta[:n0])], axis=1)
    lower = np.stack([1.0 - np.cos(theta[n0:]), 0.5 - np.sin(theta[n0:])], axis=1)
    X = np.concatenate([upper, lower]) + noise * rng.standard_normal((n, 2))
    y = np.concatenate([np.zeros(n0, dtype=np.int64), np.ones(n - n0, dtype=np.int64)])
    return _shuffled(rng, X, y)


def spirals(n=300, n_classes=2, turns=1.0, noise=0.05, rng=0):
    r"""Interleaved spiral arms, one per class.

    Parameters
    ----------
    n : int
        Number of points, shared out equally among the classes.
    n_classes : int, default 2
    turns : float, default 1.0
        How many full turns each arm makes: more turns, a harder problem.
    noise : float
        Standard deviation of the Gaussian noise on every coordinate.
    rng : Generator or int

    Returns
    -------
    X : ndarray of shape (n, 2)
    y : ndarray of shape (n,), labels 0 .. n_classes - 1 (in random order)

    Notes
    -----
    A point of class :math:`k` at radius :math:`r \sim \mathcal U[0, 1]` lies at angle
    :math:`2\pi(\text{turns}\cdot r + k / K)`.

    References
    ----------
    :cite:`goodfellow2016`
    """
    n = _checks.integer("n", n, minimum=1)
    n_classes = _checks.integer("n_classes", n_classes, minimum=2)
    turns = _checks.non_negative("turns", turns)
    noise = _checks.non_negative("noise", noise)
    rng = _checks.rng(rng)
    y = np.arange(n, dtype=np.int64) % n_classes
    r = rng.uniform(0.0, 1.0, size=n)
    angle = 2 * np.pi * (turns * r + y / n_classes)
    X = r[:, None] * np.stack([np.cos(angle), np.sin(angle)], axis=1)
    X = X + noise * rng.standard_normal((n, 2))
    return _shuffled(rng, X, y)


def linear_regression(n=200, n_features=2, scale=1.0, correlation=0.0, noise=0.1, coef=None, rng=0,
                      return_coef=False):
    r"""A linear model with noise, whose features have chosen scales and correlation.

    Parameters
    ----------
    n : int
        Number of examples.
    n_features : int, default 2
    scale : float or sequence of floats, default 1.0
        Standard deviation of each feature (one number for all, or one per
        feature). Unequal scales make the least-squares problem ill conditioned.
    correlation : float, default 0.0
        Correlation :math:`\rho` between every pair of features, in
        :math:`(-1/(d-1), 1)`; close to 1, ill conditioned too.
    noise : float, default 0.1
        Standard deviation of the noise on the targets.
    coef : array of shape (n_features,), optional
        The true weights; drawn from :math:`\mathcal N(0, 1)` when omitted.
    rng : Generator or int
    return_coef : bool, default False
        Also return the true weights.

    Returns
    -------
    X : ndarray of shape (n, n_features)
    y : ndarray of shape (n,)
    coef : ndarray of shape (n_features,), only with ``return_coef=True``

    Notes
    -----
    :math:`x = D L z` with :math:`z \sim \mathcal N(0, I)`, :math:`L L^\top = C`
    (:math:`C_{jj} = 1`, :math:`C_{jk} = \rho`), :math:`D = \operatorname{diag}(\text{scale})`,
    and :math:`y = x^\top w + \sigma \varepsilon`. The Hessian of the mean squared
    error is :math:`\tfrac2n X^\top X \approx 2 D C D`, whose condition number
    grows with the spread of the scales and with :math:`\rho`.

    References
    ----------
    :cite:`bottou2018`
    """
    n = _checks.integer("n", n, minimum=1)
    d = _checks.integer("n_features", n_features, minimum=1)
    scales = _checks.real_array("scale", scale, copy=False)
    scales = np.broadcast_to(scales, (d,)) if scales.ndim == 0 else scales
    if scales.shape != (d,) or not np.all(np.isfinite(scales)) or np.any(scales <= 0):
        raise ValueError(f"scale must be a positive number or {d} positive numbers, got {scale!r}")
    lower = -1.0 / (d - 1) if d > 1 else -np.inf
    correlation = _checks.in_interval("correlation", correlation, lower, 1.0, closed="neither",
                                      meaning=f"for {d} features (a positive definite covariance)")
    noise = _checks.non_negative("noise", noise)
    rng = _checks.rng(rng)
    if coef is None:
        coef = rng.standard_normal(d)
    coef = _checks.real_array("coef", coef, copy=False)
    if coef.shape != (d,):
        raise ValueError(f"coef must have shape ({d},), got {coef.shape}")
    C = np.full((d, d), float(correlation)) + (1.0 - correlation) * np.eye(d)
    X = (rng.standard_normal((n, d)) @ np.linalg.cholesky(C).T) * scales
    y = X @ coef + noise * rng.standard_normal(n)
    return (X, y, coef) if return_coef else (X, y)


def polynomial_features(x, degree):
    r"""The matrix :math:`[1, x, x^2, \dots, x^{\text{degree}}]` of a 1-D input (a Vandermonde matrix).

    >>> polynomial_features(np.array([2.0]), 3)
    array([[1., 2., 4., 8.]])
    """
    x = _checks.real_array("x", x, copy=False)
    if x.ndim == 2 and x.shape[1] == 1:
        x = x[:, 0]
    if x.ndim != 1:
        raise ValueError(f"x must have shape (n,) or (n, 1), got {x.shape}")
    degree = _checks.integer("degree", degree, minimum=0)
    return x[:, None] ** np.arange(degree + 1)


def polynomial_regression(n=30, degree=3, noise=0.3, coef=None, rng=0):
    r"""Noisy samples of a polynomial on :math:`[-1, 1]`: the set-up for over-fitting.

    Parameters
    ----------
    n : int, default 30
        Number of samples (few, so that a high-degree fit can memorise them).
    degree : int, default 3
        Degree of the true polynomial.
    noise : float, default 0.3
        Standard deviation of the noise on the targets.
    coef : array of shape (degree + 1,), optional
        True coefficients, constant term first; drawn from :math:`\mathcal N(0, 1)`
        when omitted.
    rng : Generator or int

    Returns
    -------
    x : ndarray of shape (n,), uniform on [-1, 1]
    y : ndarray of shape (n,), :math:`y = \sum_k c_k x^k + \sigma\varepsilon`

    Fit a model of degree :math:`p` with :func:`polynomial_features`; for
    :math:`p` well above ``degree`` the training error keeps falling while
    the error on fresh samples rises.

    References
    ----------
    :cite:`goodfellow2016`
    """
    n = _checks.integer("n", n, minimum=1)
    degree = _checks.integer("degree", degree, minimum=0)
    noise = _checks.non_negative("noise", noise)
    rng = _checks.rng(rng)
    if coef is None:
        coef = rng.standard_normal(degree + 1)
    coef = _checks.real_array("coef", coef, copy=False)
    if coef.shape != (degree + 1,):
        raise ValueError(f"coef must have shape ({degree + 1},), got {coef.shape}")
    x = rng.uniform(-1.0, 1.0, size=n)
    y = polynomial_features(x, degree) @ coef + noise * rng.standard_normal(n)
    return x, y


def sparse_classification(n=1000, n_features=50, p_max=0.5, p_min=0.005, noise=0.1, rng=0,
                          return_coef=False):
    r"""Binary classification from sparse binary features, some frequent and most rare.

    Parameters
    ----------
    n : int
        Number of examples.
    n_features : int, default 50
    p_max, p_min : float
        Frequencies of the most and least common features; the frequencies in
        between are spaced geometrically, so most features are rare.
    noise : float, default 0.1
        Standard deviation of the noise added to the score before thresholding.
    rng : Generator or int
    return_coef : bool, default False
        Also return the true weights.

    Returns
    -------
    X : ndarray of shape (n, n_features), entries 0.0 or 1.0
    y : ndarray of shape (n,), labels 0 and 1
    coef : ndarray of shape (n_features,), only with ``return_coef=True``

    Notes
    -----
    Feature :math:`j` is on with probability
    :math:`p_j = p_\max (p_\min / p_\max)^{j / (d - 1)}`, independently;
    :math:`w \sim \mathcal N(0, I)` and :math:`y = [x^\top w + \sigma\varepsilon > 0]`. A rare
    feature is as informative as a common one but appears in few gradients,
    which is the case for per-coordinate step sizes (AdaGrad).

    References
    ----------
    :cite:`duchi2011`
    """
    n = _checks.integer("n", n, minimum=1)
    d = _checks.integer("n_features", n_features, minimum=1)
    p_max = _checks.probability("p_max", p_max)
    p_min = _checks.probability("p_min", p_min)
    if not 0 < p_min <= p_max:
        raise ValueError(f"need 0 < p_min <= p_max, got p_min={p_min}, p_max={p_max}")
    noise = _checks.non_negative("noise", noise)
    rng = _checks.rng(rng)
    freq = p_max * (p_min / p_max) ** (np.arange(d) / max(d - 1, 1))
    X = (rng.uniform(size=(n, d)) < freq).astype(np.float64)
    coef = rng.standard_normal(d)
    y = (X @ coef + noise * rng.standard_normal(n) > 0).astype(np.int64)
    return (X, y, coef) if return_coef else (X, y)
