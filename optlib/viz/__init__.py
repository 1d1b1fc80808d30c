"""Plotting for the book: one style, contour and surface plots, loss curves, computation graphs,
and the chapter widget.

Call :func:`use_style` once at the top of a chapter. :func:`explore` builds a
chapter's interactive figure together with the static fallback that the
online book shows.
"""
from optlib.viz.style import PALETTE, OPTIMIZER_COLORS, use_style, color_for
from optlib.viz.plots import evaluate_grid, contour, add_path, surface, loss_curves
from optlib.viz.explore import Knob, Explorer, slider, choice, explore
from optlib.viz.graph import graph_layout, draw_graph

__all__ = ["PALETTE", "OPTIMIZER_COLORS", "use_style", "color_for", "evaluate_grid", "contour",
           "add_path", "surface", "loss_curves", "Knob", "Explorer", "slider", "choice", "explore",
           "graph_layout", "draw_graph"]
