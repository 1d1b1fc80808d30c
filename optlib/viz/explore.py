"""The chapter widget: live controls in Jupyter, a static fallback in the online book.

Used by the *Play with it* section of every chapter (CONTRIBUTING.md has the recipe).

A chapter writes one function that draws into a figure given the values of its
knobs, and lists the knobs. :func:`explore` turns that into one displayed
object that carries two representations:

- an ipywidgets control (sliders, drop-downs) that redraws the figure live
  when the notebook runs in Jupyter; and
- a static fallback for the rendered book, which has no kernel: either a
  frame slider over the main knob (matplotlib's ``to_jshtml``), or small
  multiples, one panel per value of the main knob.

Jupyter shows the richest representation it can (the live widget); the book's
HTML builder is configured to skip widget views, so it shows the fallback and
loads no widget JavaScript.

Example
-------
>>> def draw(fig, lr, momentum):
...     ax = fig.add_subplot()
...     ...  # run the optimizer and plot its path
>>> explore(draw, {"lr": slider(0.01, 0.5, 0.1, frames=6),
...                "momentum": slider(0.0, 0.95, 0.9)},
...         alt="Paths of gradient descent with momentum for six learning rates")
"""
import base64
import hashlib
import html
import re
from dataclasses import dataclass

import numpy as np
import matplotlib.pyplot as plt
from matplotlib.animation import FuncAnimation

from optlib.viz.compact import compact_embedded_pngs, figure_png

MAX_FRAMES = 15
MAX_PANELS = 6


@dataclass(frozen=True)
class Knob:
    """One control: its label, its live range and the values the static fallback shows."""

    label: str
    value: object
    low: float | None = None
    high: float | None = None
    step: float | None = None
    log: bool = False
    options: tuple = ()
    frames: tuple = ()

    @property
    def is_choice(self):
        return bool(self.options)


def slider(low, high, value, step=None, label=None, log=False, frames=6):
    """A numeric knob.

    Parameters
    ----------
    low, high : float
        The live slider's range.
    value : float
        The starting value (also the value held fixed while another knob is the main one).
    step : float, optional
        The slider's resolution; an int ``low``, ``high`` and ``step`` give an integer slider.
    label : str, optional
        Shown next to the slider and in the fallback's caption; defaults to the knob's name.
    log : bool
        Logarithmic slider and log-spaced frames (learning rates, condition numbers).
    frames : int or sequence
        The values the static fallback shows when this is the main knob: a
        count (evenly spaced over ``[low, high]``, log-spaced when ``log``) or the
        values themselves.
    """
    if not (np.isfinite([low, high, value]).all() and low < high and low <= value <= high):
        raise ValueError(f"slider needs finite low < high and low <= value <= high, "
                         f"got low={low!r}, high={high!r}, value={value!r}")
    if log and low <= 0:
        raise ValueError(f"a log slider needs low > 0, got low={low!r}")
    if np.ndim(frames) == 0:
        count = int(frames)
        if count < 1:
            raise ValueError(f"frames must be a positive count or a list of values, got {frames!r}")
        spaced = np.geomspace(low, high, count) if log else np.linspace(low, high, count)
        integer = all(isinstance(v, (int, np.integer)) for v in (low, high, step or 1))
        frames = tuple(int(round(v)) for v in spaced) if integer else tuple(float(v) for v in spaced)
    else:
        frames = tuple(frames)
        bad = [v for v in frames if not low <= v <= high]
        if bad:
            raise ValueError(f"frame values {bad} lie outside [{low}, {high}]")
    return Knob(label=label, value=value, low=low, high=high, step=step, log=log, frames=frames)


def choice(options, value=None, label=None):
    """A knob with a few named options (a drop-down live; every option is a frame)."""
    options = tuple(options)
    if not options:
        raise ValueError("choice needs at least one option")
    value = options[0] if value is None else value
    if value not in options:
        raise ValueError(f"value {value!r} is not one of the options {list(options)}")
    return Knob(label=label, value=value, options=options, frames=options)


class Explorer:
    """What :func:`explore` returns: displays as the live widget, or as the fallback.

    Attributes
    ----------
    widget : ipywidgets.VBox
        The live control and its output area.
    fallback_html : str
        The static fallback (frame slider or small multiples) as HTML.
    """

    def __init__(self, widget, fallback_html):
        self.widget = widget
        self.fallback_html = fallback_html

    def _repr_mimebundle_(self, include=None, exclude=None):
        # One bundle with both: Jupyter picks the widget, the book's HTML
        # builder (which drops widget MIME types) picks text/html.
        bundle = self.widget._repr_mimebundle_()
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        data = dict(data)
        data["text/html"] = self.fallback_html
        data["text/plain"] = "Interactive figure (run the notebook in Jupyter to use the controls)"
        return data


def explore(draw, knobs, *, alt, main=None, static="frames", figsize=(6.0, 4.0), fps=1.5):
    """Build a chapter's live control and its static fallback from one drawing function.

    Parameters
    ----------
    draw : callable
        ``draw(fig, **values)`` draws into an empty figure (a matplotlib
        ``Figure`` or ``SubFigure``: add axes with ``fig.add_subplot`` or
        ``fig.subplots``). It is called once per fallback frame and on every
        change of a live control.
    knobs : dict
        ``{name: knob}`` with knobs from :func:`slider` or :func:`choice`;
        the names are passed to ``draw`` as keyword arguments.
    alt : str
        Alternative text of the fallback for screen readers: what the figure shows.
    main : str, optional
        The knob the static fallback varies (the others stay at their
        values); defaults to the first knob.
    static : {"frames", "panels"}
        ``"frames"``: a frame slider of at most 15 frames; ``"panels"``: small
        multiples, at most 6 panels in one image.
    figsize : (float, float)
        Size of one frame or panel in inches.
    fps : float
        Playback speed of the frame slider.

    Returns
    -------
    Explorer
        Display it (last expression of a cell) to show the control.
    """
    if not callable(draw):
        raise TypeError(f"draw must be a function draw(fig, **values), got {type(draw).__name__}")
    if not knobs:
        raise ValueError("explore needs at least one knob")
    bad = {name: type(k).__name__ for name, k in knobs.items() if not isinstance(k, Knob)}
    if bad:
        raise TypeError(f"knobs must be made with slider() or choice(), got {bad}")
    main = next(iter(knobs)) if main is None else main
    if main not in knobs:
        raise ValueError(f"main={main!r} is not one of the knobs {list(knobs)}")
    if not alt or not alt.strip():
        raise ValueError("alt must describe the figure for readers who cannot see it")
    frames = knobs[main].frames
    limit = {"frames": MAX_FRAMES, "panels": MAX_PANELS}.get(static)
    if limit is None:
        raise ValueError(f"static must be 'frames' or 'panels', got {static!r}")
    if len(frames) > limit:
        raise ValueError(f"static={static!r} shows at most {limit} values of {main!r}, got {len(frames)}")

    fixed = {name: knob.value for name, knob in knobs.items()}
    settings = [{**fixed, main: value} for value in frames]
    if static == "frames":
        fallback = _frame_slider(draw, settings, figsize, fps)
    else:
        fallback = _small_multiples(draw, settings, figsize)
    caption = _caption(knobs, main, frames)
    fallback_html = (f'<figure class="optlib-static" role="group" aria-label="{html.escape(alt)}">'
                     f'{_with_alt(fallback, alt)}<figcaption>{html.escape(caption)}</figcaption></figure>')
    return Explorer(_live_widget(draw, knobs, figsize), fallback_html)


def _caption(knobs, main, frames):
    label = knobs[main].label or main
    shown = ", ".join(_fmt(v) for v in frames)
    others = ", ".join(f"{knobs[n].label or n} = {_fmt(k.value)}" for n, k in knobs.items() if n != main)
    text = f"Static view: {label} takes the values {shown}"
    return text + (f"; {others}." if others else ".") + " Run the notebook to vary every control."


def _fmt(value):
    return f"{value:.3g}" if isinstance(value, (float, np.floating)) else str(value)


def _frame_slider(draw, settings, figsize, fps):
    fig = plt.figure(figsize=figsize)

    def show(i):
        fig.clear()
        draw(fig, **settings[i])

    # an init_func that draws nothing: otherwise the first frame is drawn twice
    animation = FuncAnimation(fig, show, frames=len(settings), init_func=lambda: [], repeat=False)
    page = compact_embedded_pngs(animation.to_jshtml(fps=fps, default_mode="once"))
    plt.close(fig)
    # The controls' icons come from the book theme's Font Awesome; a link to a
    # CDN copy would fail for readers offline.
    page = re.sub(r'<link rel="stylesheet"\s+href="https?://[^"]*font-awesome[^"]*">', "", page)
    # to_jshtml names its elements with a random id; a digest of the page keeps
    # the stored notebook identical from one run to the next.
    random_id = page.split('id="_anim_img', 1)[1].split('"', 1)[0]
    stable_id = hashlib.sha1(page.replace(random_id, "").encode()).hexdigest()[:16]
    return page.replace(random_id, stable_id)


def _small_multiples(draw, settings, figsize):
    ncols = min(3, len(settings))
    nrows = -(-len(settings) // ncols)
    fig = plt.figure(figsize=(figsize[0] * ncols, figsize[1] * nrows))
    panels = np.atleast_1d(fig.subfigures(nrows, ncols)).ravel()
    for panel, values in zip(panels, settings):
        draw(panel, **values)
    data = base64.b64encode(figure_png(fig)).decode("ascii")
    plt.close(fig)
    return f'<img src="data:image/png;base64,{data}" style="max-width:100%">'


def _with_alt(page, alt):
    return page.replace("<img ", f'<img alt="{html.escape(alt)}" ', 1)


def _live_widget(draw, knobs, figsize):
    import ipywidgets as widgets  # only needed when a chapter builds a control
    from IPython.display import display

    controls = {name: _control(name, knob, widgets) for name, knob in knobs.items()}

    def redraw(**values):
        fig = plt.figure(figsize=figsize)
        draw(fig, **values)
        display(fig)
        plt.close(fig)

    output = widgets.interactive_output(redraw, controls)
    return widgets.VBox([widgets.HBox(list(controls.values())), output])


def _control(name, knob, widgets):
    description = knob.label or name
    style = {"description_width": "initial"}
    if knob.is_choice:
        return widgets.Dropdown(options=list(knob.options), value=knob.value,
                                description=description, style=style)
    if knob.log:
        return widgets.FloatLogSlider(value=knob.value, base=10, min=np.log10(knob.low),
                                      max=np.log10(knob.high), step=knob.step or 0.05,
                                      description=description, continuous_update=False, style=style)
    if all(isinstance(v, (int, np.integer)) for v in (knob.low, knob.high, knob.step or 1, knob.value)):
        return widgets.IntSlider(value=knob.value, min=knob.low, max=knob.high, step=knob.step or 1,
                                 description=description, continuous_update=False, style=style)
    return widgets.FloatSlider(value=knob.value, min=knob.low, max=knob.high,
                               step=knob.step or (knob.high - knob.low) / 100,
                               description=description, continuous_update=False, style=style,
                               readout_format=".3g")
