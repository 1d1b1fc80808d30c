"""The book's single plot style: figure sizes, resolution, fonts and colours, all set here.

Every figure of the book is drawn after :func:`use_style`, so the chapters look
alike, their text is legible on a wide screen and on a phone, and they stay
legible on the online book's dark theme: figures keep an opaque white
background (a light card on a dark page) and use the colour-blind-safe
Okabe-Ito palette. The same optimizer has the same colour in every chapter
(:func:`color_for`).

**Sizes.** The book shows a figure at CSS's own scale, :data:`CSS_DPI` = 96 css px per
inch, so a font of ``s`` points is ``s * 96 / 72`` css px high when the figure
is shown at its natural size, and smaller when the page shrinks it. Figures are
stored at :data:`DPI`, twice that, so they stay sharp on a 2x (retina) display.
The sizes below keep the smallest text (:data:`SMALLEST_FONT` points) at least
:data:`MIN_TEXT_PX` css px high in the figure column of a page 1280 px wide
(:data:`COLUMN_PX`) and of a phone 412 px wide (:data:`PHONE_COLUMN_PX`):

- a single figure is :data:`FIGURE_SIZE`, narrow enough for the phone;
- a figure of several panels is made with :func:`optlib.viz.panels`: its
  panels are :data:`PANEL_SIZE` each and are stored as separate images that
  sit side by side on a wide page (three fit) and stack on a phone.
"""
import matplotlib as mpl

#: CSS pixels per inch of a figure shown at its natural size (CSS's inch).
CSS_DPI = 96
#: Resolution of the stored figures: two image pixels per css px, sharp on a 2x display.
DPI = 2 * CSS_DPI
#: Width of the book's figure column, in css px, on a page 1280 px wide.
COLUMN_PX = 660
#: Width of the book's figure column, in css px, on a phone 412 px wide.
PHONE_COLUMN_PX = 364
#: The smallest text a reader is shown, in css px, at either width.
MIN_TEXT_PX = 9
#: Font size of titles and axis labels, in points.
FONT_SIZE = 10
#: Font size of tick labels, legends and annotations: the smallest text of any figure, in points.
SMALLEST_FONT = 9
#: Width and height in inches of a figure of one panel: at most 4.8 in (461 css px), which
#: the phone's 364-px column shrinks to 79 %, keeping 9-point text at 9.5 css px.
FIGURE_SIZE = (4.8, 3.2)
#: Width and height in inches of one panel of :func:`optlib.viz.panels`: at 2.9 in (278 css px)
#: three panels fit the 660-px column shrunk to 77 %, and a phone shows each at full size.
PANEL_SIZE = (2.9, 2.6)
#: Gap between panels, in css px.
PANEL_GAP_PX = 8
#: The smallest scale the page may show a stored figure at: there its smallest text is
#: MIN_TEXT_PX css px high (9 / (9 * 96 / 72) = 0.75).
MIN_SCALE = MIN_TEXT_PX / (SMALLEST_FONT * CSS_DPI / 72)

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
    "ksd": "#CC6677",
    "coordinate": "#661100",
    "subgradient": "#6699CC",
}

BOOK_STYLE = {
    "figure.figsize": FIGURE_SIZE,
    "figure.dpi": CSS_DPI,
    "savefig.dpi": DPI,
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "axes.facecolor": "white",
    "figure.constrained_layout.use": True,
    "axes.prop_cycle": mpl.cycler(color=PALETTE),
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "font.size": FONT_SIZE,
    "axes.titlesize": FONT_SIZE,
    "axes.labelsize": FONT_SIZE,
    "figure.titlesize": FONT_SIZE,
    "xtick.labelsize": SMALLEST_FONT,
    "ytick.labelsize": SMALLEST_FONT,
    "legend.fontsize": SMALLEST_FONT,
    "legend.title_fontsize": SMALLEST_FONT,
    "legend.frameon": False,
    "lines.linewidth": 1.8,
    "image.cmap": "viridis",
    "animation.html": "jshtml",
    "animation.embed_limit": 8.0,  # MB; keeps stored notebooks small
}


def use_style():
    """Apply the book's plot style to matplotlib (call once, at the top of a chapter).

    In Jupyter it also stores figures as compact palette PNGs at :data:`DPI`,
    shown at :data:`CSS_DPI` (crisp on a 2x display), and the figures of
    :func:`optlib.viz.panels` as one image per panel, which keeps the
    notebooks (stored with their outputs) small.
    """
    from optlib.viz.figures import store_figures_compactly  # here: that module uses these sizes

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
