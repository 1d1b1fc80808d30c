"""The book's single plot style and its colours.

Every figure of the book is drawn after :func:`use_style`, so the chapters look
alike and stay legible on the online book's dark theme: figures keep an opaque
white background (a light card on a dark page) and use the colour-blind-safe
Okabe-Ito palette. The same optimizer has the same colour in every chapter
(:func:`color_for`).
"""
import matplotlib as mpl

from optlib.viz.compact import store_figures_compactly

#: Okabe & Ito's colour-blind-safe palette, black first for single curves.
PALETTE = ("#000000", "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7")

#: One colour per method, used by every chapter. Keys are lower case.
OPTIMIZER_COLORS = {
    "gd": "#000000",
    "sgd": "#000000",
    "momentum": "#E69F00",
    "nesterov": "#D55E00",
    "adagrad": "#56B4E9",
    "adadelta": "#009E73",
    "rmsprop": "#0072B2",
    "adam": "#CC79A7",
    "adamw": "#882255",
    "asgd": "#999933",
    "newton": "#117733",
    "bfgs": "#332288",
    "lbfgs": "#44AA99",
    "cg": "#AA4499",
    "newton-cg": "#DDCC77",
    "natural": "#88CCEE",
}

BOOK_STYLE = {
    "figure.figsize": (6.0, 4.0),
    "figure.dpi": 80,
    "savefig.dpi": 80,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "axes.facecolor": "white",
    "figure.constrained_layout.use": True,
    "axes.prop_cycle": mpl.cycler(color=PALETTE),
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "legend.fontsize": 9,
    "legend.frameon": False,
    "lines.linewidth": 1.8,
    "image.cmap": "viridis",
    "animation.html": "jshtml",
    "animation.embed_limit": 8.0,  # MB; keeps stored notebooks small
}


def use_style():
    """Apply the book's plot style to matplotlib (call once, at the top of a chapter).

    In Jupyter it also stores figures as compact palette PNGs, which keeps the
    notebooks (stored with their outputs) small.
    """
    mpl.rcParams.update(BOOK_STYLE)
    store_figures_compactly()


def color_for(name):
    """The book-wide colour of a method, e.g. ``color_for("adam")``.

    Unknown names raise ``KeyError`` listing the known ones, so a typo cannot
    silently give two optimizers the same colour.
    """
    key = name.lower()
    if key not in OPTIMIZER_COLORS:
        raise KeyError(f"no book colour for {name!r}; known: {sorted(OPTIMIZER_COLORS)}")
    return OPTIMIZER_COLORS[key]
