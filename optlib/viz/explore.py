"""The chapter widget: live controls in Jupyter, a static view of one or two knobs in the online book.

Used by the *Play with it* section of every chapter (CONTRIBUTING.md has the recipe).

A chapter writes one function that draws into a figure given the values of its
knobs, and lists the knobs. :func:`explore` turns that into one displayed
object that carries two representations:

- an ipywidgets control (sliders, drop-downs) that redraws the figure live
  when the notebook runs in Jupyter; and
- a static view for the rendered book, which has no kernel: precomputed
  frames over one or two knobs, with one control per knob (a grid of at most
  :data:`MAX_FRAMES` frames), written in plain HTML and a few lines of
  JavaScript that work from the file system and need no widget library; or
  small multiples, one image per value of one knob.

Jupyter shows the richest representation it can (the live widget); the book's
HTML builder is configured to skip widget views, so it shows the static view
and loads no widget JavaScript.

Example
-------
>>> def draw(fig, lr, momentum):
...     ax = fig.add_subplot()
...     ...  # run the optimizer and plot its path
>>> explore(draw, {"lr": slider(0.01, 0.5, 0.1, frames=5),
...                "momentum": slider(0.0, 0.9, 0.9, frames=[0.0, 0.5, 0.9])},
...         main=("lr", "momentum"),
...         alt="Paths of gradient descent with momentum for five rates and three momenta")
"""
import html
import itertools
import json
from dataclasses import dataclass

import numpy as np
import matplotlib.pyplot as plt

from optlib import _checks
from optlib.viz.figures import check_size, figure_pngs, images_html
from optlib.viz.style import FIGURE_SIZE

#: The static view shows at most this many frames (the product of the varied knobs' frame counts).
MAX_FRAMES = 20
#: Small multiples show at most this many panels.
MAX_PANELS = 6
#: The static view varies at most this many knobs.
MAX_VARIED = 2


@dataclass(frozen=True)
class Knob:
    """One control: its label, its live range and the values the static view shows."""

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
        The starting value (also the value held fixed while the static view varies other knobs,
        and the value its control starts at when it varies this one).
    step : float, optional
        The slider's resolution; an int ``low``, ``high`` and ``step`` give an integer slider.
    label : str, optional
        Shown next to the slider and in the static view's caption; defaults to the knob's name.
    log : bool
        Logarithmic slider and log-spaced frames (learning rates, condition numbers).
    frames : int or sequence
        The values the static view shows when it varies this knob: a count
        (evenly spaced over ``[low, high]``, log-spaced when ``log``) or the
        values themselves.
    """
    for name, number in (("low", low), ("high", high), ("value", value)):
        _checks.real(name, number)
    if step is not None:
        _checks.positive("step", step)
    if not (low < high and low <= value <= high):
        raise ValueError(f"slider needs low < high and low <= value <= high, "
                         f"got low={low!r}, high={high!r}, value={value!r}")
    log = _checks.flag("log", log)
    if log and low <= 0:
        raise ValueError(f"a log slider needs low > 0, got low={low!r}")
    if np.ndim(frames) == 0:
        count = _checks.integer("frames", frames, minimum=1)
        spaced = np.geomspace(low, high, count) if log else np.linspace(low, high, count)
        integer = all(isinstance(v, (int, np.integer)) for v in (low, high, step or 1))
        frames = tuple(int(round(v)) for v in spaced) if integer else tuple(float(v) for v in spaced)
    else:
        _checks.real_array("frames", frames, ndim=1, finite=True)
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
    """What :func:`explore` returns: displays as the live widget, or as the static view.

    Attributes
    ----------
    widget : ipywidgets.VBox
        The live control and its output area.
    fallback_html : str
        The static view (frames with their controls, or small multiples) as HTML.
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


def explore(draw, knobs, *, alt, main=None, static="frames", figsize=None, fps=1.5):
    """Build a chapter's live control and its static view from one drawing function.

    Parameters
    ----------
    draw : callable
        ``draw(fig, **values)`` draws into an empty matplotlib ``Figure`` (add
        axes with ``fig.add_subplot()``, or split it with
        :func:`optlib.viz.panels` into panels that stack on a phone). It is
        called once per frame of the static view and on every change of a live control.
    knobs : dict
        ``{name: knob}`` with knobs from :func:`slider` or :func:`choice`;
        the names are passed to ``draw`` as keyword arguments.
    alt : str
        Alternative text of the static view for screen readers: what the figure shows.
    main : str or (str, str), optional
        The knob the static view varies, or two knobs: then it holds one frame
        per pair of their frame values, with one control per knob. The other
        knobs stay at their values. Defaults to the first knob.
    static : {"frames", "panels"}
        ``"frames"``: one frame at a time, chosen with the controls (at most
        :data:`MAX_FRAMES` frames in all); ``"panels"``: small multiples, one
        image per value of one knob (at most :data:`MAX_PANELS`), side by side
        or stacked as the page's width allows.
    figsize : (float, float), optional
        Size of one frame or panel in inches; defaults to the style's
        :data:`~optlib.viz.style.FIGURE_SIZE`.
    fps : float
        Speed of the static view's Play button, which steps through the first
        varied knob's values.

    Returns
    -------
    Explorer
        Display it (last expression of a cell) to show the control.
    """
    _checks.function("draw", draw, "a function draw(fig, **values)")
    if not isinstance(knobs, dict) or not knobs:
        raise ValueError(f"explore needs at least one knob, as a dict {{name: knob}}, got {knobs!r}")
    bad = {name: type(k).__name__ for name, k in knobs.items() if not isinstance(k, Knob)}
    if bad:
        raise TypeError(f"knobs must be made with slider() or choice(), got {bad}")
    if not isinstance(alt, str) or not alt.strip():
        raise ValueError(f"alt must describe the figure for readers who cannot see it, got {alt!r}")
    static = _checks.choice("static", static, ("frames", "panels"))
    varied = _varied(main, knobs, static)
    figsize = FIGURE_SIZE if figsize is None else check_size("figsize", figsize)
    fps = _checks.positive("fps", fps)
    count = int(np.prod([len(knobs[name].frames) for name in varied]))
    limit = MAX_FRAMES if static == "frames" else MAX_PANELS
    if count > limit:
        shown = " x ".join(f"{len(knobs[name].frames)} ({name})" for name in varied)
        raise ValueError(f"static={static!r} shows at most {limit} frames, got {shown} = {count}; "
                         f"give the knobs fewer frames")

    fixed = {name: knob.value for name, knob in knobs.items()}
    grid = list(itertools.product(*(knobs[name].frames for name in varied)))
    settings = [{**fixed, **dict(zip(varied, values))} for values in grid]
    images = [_draw_once(draw, values, figsize) for values in settings]
    if static == "frames":
        body = _frames(images, grid, knobs, varied, alt, fps)
    else:
        body = images_html([png for pngs in images for png in pngs], alt)
    caption = html.escape(_caption(knobs, varied, static))
    fallback_html = (f'<figure class="optlib-static" role="group" aria-label="{html.escape(alt)}">'
                     f'{body}<figcaption>{caption}</figcaption></figure>')
    return Explorer(_live_widget(draw, knobs, figsize), fallback_html)


def _varied(main, knobs, static):
    """The names of the knobs the static view varies, checked."""
    names = [next(iter(knobs))] if main is None else [main] if isinstance(main, str) else list(main)
    most = MAX_VARIED if static == "frames" else 1
    if len(names) > most or len(set(names)) < len(names):
        raise ValueError(f"static={static!r} varies at most {most} different knob(s), got main={main!r}")
    if not names or any(name not in knobs for name in names):
        raise ValueError(f"main={main!r} must name one or two of the knobs {list(knobs)}")
    return names


def _draw_once(draw, values, figsize):
    """The images of one frame: draw on a fresh figure, store it at a fixed size."""
    fig = plt.figure(figsize=figsize)
    draw(fig, **values)
    pngs = figure_pngs(fig, tight=False)     # untrimmed: every frame has the same size
    plt.close(fig)
    return pngs


def _frames(images, grid, knobs, varied, alt, fps):
    """The frames, one shown at a time, and a control per varied knob."""
    start = tuple(_nearest(knobs[name]) for name in varied)
    shape = [len(knobs[name].frames) for name in varied]
    first = int(np.ravel_multi_index(start, shape))
    frames = []
    for index, (pngs, values) in enumerate(zip(images, grid)):
        shown = ", ".join(f"{knobs[n].label or n} = {_fmt(v)}" for n, v in zip(varied, values))
        hidden = "" if index == first else " hidden"
        row = images_html(pngs, f"{alt} Shown: {shown}.")
        frames.append(f'<div class="optlib-frame"{hidden}>{row}</div>')
    controls = [_control_html(name, knobs[name], position) for name, position in zip(varied, start)]
    if shape[0] > 1:
        play = '<button type="button" class="optlib-play" aria-pressed="false">Play</button>'
        controls.insert(0, play)
    script = _SCRIPT.replace("INTERVAL_MS", str(round(1000 / fps)))
    return (f'<div class="optlib-frames">{"".join(frames)}</div>'
            f'<div class="optlib-controls">{"".join(controls)}</div><script>{script}</script>')


def _nearest(knob):
    """Where the knob's value lies among its frames (the nearest frame)."""
    if knob.is_choice:
        return knob.frames.index(knob.value)
    return int(np.argmin(np.abs(np.asarray(knob.frames, dtype=float) - knob.value)))


def _control_html(name, knob, position):
    label = html.escape(knob.label or name)
    shown = [_fmt(v) for v in knob.frames]
    values = html.escape(json.dumps(shown))
    if knob.is_choice:
        options = "".join(f'<option value="{i}"{" selected" if i == position else ""}>'
                          f'{html.escape(v)}</option>' for i, v in enumerate(shown))
        control = f'<select data-values="{values}">{options}</select>'
    else:
        control = (f'<input type="range" min="0" max="{len(shown) - 1}" step="1" value="{position}" '
                   f'data-values="{values}" aria-valuetext="{html.escape(shown[position])}">'
                   f'<output>{html.escape(shown[position])}</output>')
    return f'<label class="optlib-knob"><span>{label}</span>{control}</label>'


# The static view's behaviour: each control picks its knob's value, the pair picks
# the frame (row-major: the first knob's index varies slowest); Play steps the first knob.
_SCRIPT = """(function () {
  var root = document.currentScript && document.currentScript.closest(".optlib-static");
  if (!root) { return; }
  var frames = root.querySelectorAll(".optlib-frame");
  var controls = Array.prototype.slice.call(root.querySelectorAll("[data-values]"));
  var valuesOf = function (control) { return JSON.parse(control.getAttribute("data-values")); };
  var show = function () {
    var index = 0;
    controls.forEach(function (control) {
      var values = valuesOf(control), i = Number(control.value);
      index = index * values.length + i;
      if (control.type === "range") { control.setAttribute("aria-valuetext", values[i]); }
      var output = control.parentNode.querySelector("output");
      if (output) { output.textContent = values[i]; }
    });
    for (var k = 0; k < frames.length; k++) { frames[k].hidden = k !== index; }
  };
  // a menu may report its choice only as "change" (and a slider only as "input")
  controls.forEach(function (control) {
    control.addEventListener("input", show);
    control.addEventListener("change", show);
  });
  var play = root.querySelector(".optlib-play"), timer = null;
  if (play) {
    play.addEventListener("click", function () {
      if (timer === null) {
        timer = setInterval(function () {
          var first = controls[0];
          first.value = String((Number(first.value) + 1) % valuesOf(first).length);
          show();
        }, INTERVAL_MS);
      } else {
        clearInterval(timer);
        timer = null;
      }
      play.textContent = timer === null ? "Play" : "Pause";
      play.setAttribute("aria-pressed", String(timer !== null));
    });
  }
  show();
})();"""


def _caption(knobs, varied, static):
    def values(name):
        return ", ".join(_fmt(v) for v in knobs[name].frames)

    named = [f"{knobs[n].label or n} ({values(n)})" for n in varied]
    if static == "frames":
        text = f"Static view: the controls vary {' and '.join(named)}"
    else:
        text = f"Static view: one panel for each value of {named[0]}"
    others = [f"{knobs[n].label or n} = {_fmt(k.value)}" for n, k in knobs.items() if n not in varied]
    if others:
        text += f"; {', '.join(others)} {'stays' if len(others) == 1 else 'stay'} fixed"
    text += "."
    return text + " Run the notebook to vary every knob freely."


def _fmt(value):
    return f"{value:.3g}" if isinstance(value, (float, np.floating)) else str(value)


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
