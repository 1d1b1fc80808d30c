"""Smaller PNG figures for the stored notebooks.

Chapters are stored with their outputs, so every figure lives in the
repository. A plot has few distinct colours (its lines and fills; the rest are
their anti-aliased blends), so a 128-colour palette PNG looks the same as
matplotlib's full-colour one, keeps the plot's own colours exactly, and is a
third of the size.
"""
import io

from PIL import Image


#: Colours of the palette: 128 keep a plot's colours exact (256 cost a sixth more bytes).
COLOURS = 128


def compact_image(image):
    """A PIL image as PNG bytes with a palette of COLOURS colours (visually lossless for plots)."""
    palette = image.convert("RGB").quantize(colors=COLOURS, method=Image.Quantize.MEDIANCUT,
                                            dither=Image.Dither.NONE)
    out = io.BytesIO()
    palette.save(out, format="png", optimize=True)
    return out.getvalue()


def compact_png(data):
    """Re-encode PNG bytes with a palette (visually lossless for plots)."""
    return compact_image(Image.open(io.BytesIO(data)))
