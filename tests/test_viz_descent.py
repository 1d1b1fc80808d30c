"""viz.contour_with_path: an optimizer's path over the level sets of its objective."""
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest

from optlib import viz


def bowl(x):
    return 0.5 * (x[0] ** 2 + 10 * x[1] ** 2)


def test_contour_with_path_draws_the_level_sets_and_the_path_in_the_window():
    fig, ax = plt.subplots()
    path = np.array([[-2.5, 1.0], [-2.0, -0.5], [-1.0, 0.2]])
    line = viz.contour_with_path(bowl, path, bounds=((-3, 1), (-1.5, 1.5)), ax=ax, label="gd",
                                 xlabel="flat", ylabel="steep")
    np.testing.assert_array_equal(line.get_xydata(), path)
    assert line.get_color() == viz.color_for("gd")
    assert ax.get_xlim() == (-3, 1) and ax.get_ylim() == (-1.5, 1.5)
    assert ax.get_xlabel() == "flat" and ax.get_ylabel() == "steep"
    assert ax.get_aspect() == 1.0
    assert len(ax.collections) > 0 and len(fig.axes) == 1     # contours, no colour bar
    plt.close(fig)


def test_contour_with_path_keeps_the_window_when_the_path_leaves_it():
    fig, ax = plt.subplots()
    path = np.array([[0.5, 0.5], [5.0, -8.0]])
    viz.contour_with_path(bowl, path, bounds=((-1, 1), (-1, 1)), ax=ax, equal_aspect=False,
                          colorbar=True)
    assert ax.get_xlim() == (-1, 1) and ax.get_ylim() == (-1, 1)
    assert ax.get_aspect() == "auto" and len(fig.axes) == 2
    plt.close(fig)


def test_contour_with_path_checks_the_path():
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="path must have shape"):
        viz.contour_with_path(bowl, np.zeros((3, 3)), bounds=((-1, 1), (-1, 1)), ax=ax)
    plt.close(fig)
