"""How the book stores a figure: a sharp, compact PNG, or one image per panel that reflows.

A figure is stored at :data:`~optlib.viz.style.DPI` (two image pixels per css
px) and shown at :data:`~optlib.viz.style.CSS_DPI`, so it is sharp on a 2x
display and its fonts have their size in points on the page.

A figure made with :func:`panels` is stored as one image per panel, in an HTML
row that wraps: the panels sit side by side while the page is wide enough for
their smallest text to stay :data:`~optlib.viz.style.MIN_TEXT_PX` css px high,
and stack on a narrow page (a phone), each at its natural size. The static
view of :func:`optlib.viz.explore` lays out its frames the same way.

After :func:`optlib.viz.use_style`, IPython stores every figure like this.
"""
import base64
import html
import io
import weakref

from matplotlib.figure import Figure
from PIL import Image

from optlib import _checks
from optlib.viz.compact import compact_image
from optlib.viz.style import CSS_DPI, DPI, MIN_SCALE, PANEL_GAP_PX, PANEL_SIZE

# The figures made by panels(): figure -> (its panels, left to right; the row's alt text).
_PANELS = weakref.WeakKeyDictionary()


def panels(fig, n, *, alt=None, size=PANEL_SIZE):
    """Make a figure a row of ``n`` panels: side by side on a wide page, stacked on a phone.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        An empty figure, e.g. ``plt.figure()``; it is resized to ``n`` panels of ``size``.
    n : int
        The number of panels (three fit side by side in the book's column).
    alt : str, optional
        Alternative text of the whole row, for readers who cannot see it (a
        figure that a chapter shows needs one).
    size : (float, float)
        Width and height of one panel in inches; defaults to the style's
        :data:`~optlib.viz.style.PANEL_SIZE`.

    Returns
    -------
    list of matplotlib.figure.SubFigure
        One per panel, left to right: draw into each with ``panel.add_subplot()``
        or ``panel.subplots()``.

    Notes
    -----
    Each panel is stored as its own image, so on a phone a panel is read on
    its own: give each its own axis labels rather than sharing them. Put the
    message of the whole row in the cell's caption, not in ``fig.suptitle``
    (which no panel would show).

    Examples
    --------
    >>> fig = plt.figure()
    >>> for panel, lr in zip(viz.panels(fig, 3, alt="Paths for three rates"), (0.1, 0.3, 0.5)):
    ...     ax = panel.add_subplot()
    ...     ax.set_title(f"learning rate {lr}")
    """
    if not isinstance(fig, Figure):
        raise TypeError(f"fig must be a matplotlib Figure (plt.figure()), got {type(fig).__name__}")
    count = _checks.integer("n", n, minimum=1)
    width, height = check_size("size", size)
    if alt is not None and (not isinstance(alt, str) or not alt.strip()):
        raise ValueError(f"alt must describe the figure for readers who cannot see it, got {alt!r}")
    if fig.axes or fig.subfigs:
        raise ValueError("panels needs an empty figure; call it before drawing")
    fig.set_size_inches(count * width, height)
    row = list(fig.subfigures(1, count, squeeze=False).ravel())
    _PANELS[fig] = (row, alt)
    return row


def check_size(name, size):
    """``size`` as ``(width, height)`` in inches, two positive numbers; else an error naming it."""
    try:
        width, height = size
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be (width, height) in inches, got {size!r}") from None
    return _checks.positive(f"{name}[0]", width), _checks.positive(f"{name}[1]", height)


def figure_png(fig, tight=True):
    """A figure as compact PNG bytes at the style's resolution (``None`` for an empty figure).

    ``tight`` crops the white margin (``bbox_inches="tight"``); without it every
    figure of one size gives images of one size, as the frames of a static view need.
    """
    if not fig.axes and not fig.subfigs:
        return None
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight" if tight else None)
    return compact_image(Image.open(buffer))


def figure_pngs(fig, tight=True):
    """The images a figure is stored as: one per panel for :func:`panels`, else one.

    Panels are cut out of one rendering of the whole figure, each exactly its
    panel's box, so the panels of a row have equal sizes.
    """
    if fig not in _PANELS:
        png = figure_png(fig, tight=tight)
        return [] if png is None else [png]
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=DPI)
    image = Image.open(buffer)
    width, height = image.size
    pngs = []
    for panel in _PANELS[fig][0]:
        # the panel's box as fractions of the figure, y up; the image's rows run down
        (x0, y0), (x1, y1) = panel.bbox_relative.get_points()
        box = (round(x0 * width), round((1 - y1) * height), round(x1 * width), round((1 - y0) * height))
        pngs.append(compact_image(image.crop(box)))
    return pngs


def images_html(pngs, alt):
    """A row of stored images that wraps: side by side while their text stays legible, else stacked.

    Each image is shown at most at its natural size (:data:`~optlib.viz.style.CSS_DPI`)
    and at least at :data:`~optlib.viz.style.MIN_SCALE` of it, where the smallest
    text is :data:`~optlib.viz.style.MIN_TEXT_PX` css px; a row whose images do
    not fit at that scale wraps. One image carries ``alt`` itself; a row of
    several is one image for a screen reader, labelled ``alt``.
    """
    alt = alt or ""
    single = len(pngs) == 1
    tags = "".join(_img_tag(png, alt if single else "") for png in pngs)
    label = "" if single else f' role="img" aria-label="{html.escape(alt)}"'
    return (f'<div class="optlib-panels"{label} style="display:flex;flex-wrap:wrap;'
            f'gap:{PANEL_GAP_PX}px;justify-content:center">{tags}</div>')


def figure_html(fig, alt=None, tight=True):
    """A figure as :func:`images_html`; ``alt`` defaults to the one given to :func:`panels`."""
    if alt is None and fig in _PANELS:
        alt = _PANELS[fig][1]
    return images_html(figure_pngs(fig, tight=tight), alt)


def _img_tag(png, alt):
    width, height = Image.open(io.BytesIO(png)).size
    css_width, css_height = width * CSS_DPI / DPI, height * CSS_DPI / DPI
    data = base64.b64encode(png).decode("ascii")
    # flex-basis at the smallest legible width decides when the row wraps; the
    # image then grows, up to its natural width
    return (f'<img src="data:image/png;base64,{data}" alt="{html.escape(alt)}" '
            f'width="{round(css_width)}" height="{round(css_height)}" '
            f'style="flex:1 1 {css_width * MIN_SCALE:.0f}px;min-width:0;'
            f'max-width:{css_width:.0f}px;height:auto">')


def _png_for_ipython(fig):
    """IPython's PNG of a figure: the PNG and the width to show it at (None for panels)."""
    if fig in _PANELS:
        return None                     # shown as one image per panel, by _html_for_ipython
    png = figure_png(fig)
    if png is None:
        return None
    width = Image.open(io.BytesIO(png)).size[0]
    return png, {"width": round(width * CSS_DPI / DPI)}


def _html_for_ipython(fig):
    return figure_html(fig) if fig in _PANELS else None


def store_figures_compactly():
    """Make IPython store figures as sharp compact PNGs, panels as a row (no effect outside IPython)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None:
        return
    import matplotlib.pyplot as plt

    # The inline backend installs its own PNG formatter when the first figure
    # activates it; activate it now so that ours, installed next, stays.
    plt.close(plt.figure())
    formatters = shell.display_formatter.formatters
    formatters["image/png"].for_type(Figure, _png_for_ipython)
    formatters["text/html"].for_type(Figure, _html_for_ipython)
