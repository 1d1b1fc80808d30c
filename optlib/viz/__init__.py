"""Plotting for the book: one style, contour and surface plots, loss curves, computation graphs,
panels that reflow, and the chapter widget.

Call :func:`use_style` once at the top of a chapter: it sets the figure sizes,
fonts and resolution that keep every figure legible on a wide screen and on a
phone (:mod:`optlib.viz.style`). :func:`panels` makes a figure of several
panels that sit side by side or stack. :func:`explore` builds a chapter's
interactive figure together with the static view (one or two knobs) that the
online book shows.
"""
from optlib.viz.style import (PALETTE, OPTIMIZER_COLORS, FIGURE_SIZE, PANEL_SIZE, use_style,
                              color_for)
from optlib.viz.figures import panels
from optlib.viz.plots import evaluate_grid, contour, add_path, surface, loss_curves
from optlib.viz.plots import contour_with_path
from optlib.viz.explore import Knob, Explorer, slider, choice, explore
from optlib.viz.graph import graph_layout, draw_graph, draw_unrolled, draw_time_steps

__all__ = ["PALETTE", "OPTIMIZER_COLORS", "FIGURE_SIZE", "PANEL_SIZE", "use_style", "color_for",
           "panels", "evaluate_grid", "contour", "add_path", "surface", "loss_curves", "Knob",
           "Explorer", "slider", "choice", "explore", "graph_layout", "draw_graph", "draw_unrolled",
           "draw_time_steps"]
__all__ += ["contour_with_path"]
