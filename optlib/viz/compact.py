"""Smaller PNG figures for the stored notebooks.

Chapters are stored with their outputs, so every figure lives in the
repository. A plot has few distinct colours, so a 256-colour palette PNG looks
the same as matplotlib's full-colour one at a third of the size.
"""
import base64
import io
import re

from PIL import Image


def compact_png(data):
    """Re-encode PNG bytes with a 256-colour palette (visually lossless for plots)."""
    image = Image.open(io.BytesIO(data)).convert("RGB")
    palette = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    palette.save(out, format="png", optimize=True)
    return out.getvalue()


def figure_png(fig, **savefig_kwargs):
    """A figure as compact PNG bytes (``None`` for an empty figure, as IPython expects)."""
    if not fig.axes and not fig.subfigs:
        return None
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight", **savefig_kwargs)
    return compact_png(buffer.getvalue())


def compact_embedded_pngs(html):
    """Re-encode every base64 PNG embedded in an HTML page (e.g. the frames of a frame slider)."""
    def shrink(match):
        data = base64.b64decode(match.group(1).replace("\\\n", "").replace("\n", ""))
        return "data:image/png;base64," + base64.b64encode(compact_png(data)).decode("ascii")

    return re.sub(r"data:image/png;base64,([A-Za-z0-9+/=\\\n]+)", shrink, html)


def store_figures_compactly():
    """Make IPython display matplotlib figures as compact PNGs (no effect outside IPython)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None:
        return
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    # The inline backend installs its own PNG formatter when the first figure
    # activates it; activate it now so that ours, installed next, stays.
    plt.close(plt.figure())
    shell.display_formatter.formatters["image/png"].for_type(Figure, figure_png)
