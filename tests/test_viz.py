"""optlib.viz: the book's style, contour/surface helpers and the chapter widget."""
import re

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pytest

from optlib import viz

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def paraboloid(x):
    return (x[0] - 1.0) ** 2 + 3.0 * (x[1] + 0.5) ** 2


class Recorder:
    """A draw function that remembers the values it was called with."""

    def __init__(self):
        self.calls = []

    def __call__(self, fig, lr, momentum=0.0):
        self.calls.append({"lr": lr, "momentum": momentum})
        ax = fig.add_subplot()
        t = np.linspace(0, 1, 20)
        ax.plot(t, lr * t + momentum)
        ax.set_title(f"lr={lr:.3g}")


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def test_use_style_sets_opaque_white_background_for_dark_mode():
    plt.rcdefaults()
    matplotlib.rcParams["figure.facecolor"] = "none"
    viz.use_style()
    assert matplotlib.rcParams["figure.facecolor"] == "white"
    assert matplotlib.rcParams["savefig.facecolor"] == "white"


def test_color_for_is_stable_and_rejects_unknown_names():
    assert viz.color_for("Adam") == viz.color_for("adam") == viz.OPTIMIZER_COLORS["adam"]
    methods = {name: color for name, color in viz.OPTIMIZER_COLORS.items() if name != "gd"}
    assert len(set(methods.values())) == len(methods)          # gd is sgd's full-batch alias
    with pytest.raises(KeyError, match="no book colour for 'adma'"):
        viz.color_for("adma")


def test_evaluate_grid_matches_pointwise_evaluation():
    X, Y, Z = viz.evaluate_grid(paraboloid, ((-2, 3), (-1, 1)), resolution=7)
    assert Z.shape == (7, 7)
    i, j = 3, 5
    assert Z[i, j] == pytest.approx(paraboloid(np.array([X[i, j], Y[i, j]])))
    assert X[0, 0] == -2 and X[0, -1] == 3 and Y[0, 0] == -1 and Y[-1, 0] == 1


def test_evaluate_grid_explains_functions_that_are_not_vectorised():
    with pytest.raises(ValueError, match="coordinate axis first"):
        viz.evaluate_grid(lambda x: float(np.sum(x)), ((0, 1), (0, 1)), resolution=5)


@pytest.mark.parametrize("bounds", [((1, 0), (0, 1)), ((0, np.inf), (0, 1)), (0, 1), None])
def test_bad_bounds_are_rejected_with_the_value(bounds):
    with pytest.raises(ValueError, match="bounds"):
        viz.contour(paraboloid, bounds=bounds)


def test_contour_levels_are_increasing_and_span_the_values():
    fig, ax = plt.subplots()
    lines = viz.contour(paraboloid, bounds=((-2, 3), (-2, 2)), ax=ax, levels=12)
    levels = np.asarray(lines.levels)
    assert np.all(np.diff(levels) > 0)
    assert levels[0] == pytest.approx(0.0, abs=0.05) and len(levels) >= 8
    assert ax.get_xlabel() and ax.get_ylabel()


def test_contour_marks_the_minimizers_of_an_objective():
    class Bowl:
        bounds = ((-2, 3), (-2, 2))
        minimizers = (np.array([1.0, -0.5]),)

        def __call__(self, x):
            return paraboloid(x)

    fig, ax = plt.subplots()
    viz.contour(Bowl(), ax=ax)
    stars = [line for line in ax.lines if line.get_marker() == "*"]
    assert len(stars) == 1 and stars[0].get_xdata()[0] == 1.0 and stars[0].get_ydata()[0] == -0.5


def test_add_path_uses_the_methods_book_colour_and_checks_shape():
    fig, ax = plt.subplots()
    line = viz.add_path(ax, np.array([[0.0, 0.0], [1.0, 1.0], [2.0, 1.5]]), label="adam")
    assert matplotlib.colors.same_color(line.get_color(), viz.color_for("adam"))
    assert list(line.get_xdata()) == [0.0, 1.0, 2.0]
    with pytest.raises(ValueError, match=r"shape \(steps \+ 1, 2\)"):
        viz.add_path(ax, np.zeros((3, 3)))


def test_surface_draws_on_3d_axes():
    fig = plt.figure()
    ax = viz.surface(paraboloid, bounds=((-1, 1), (-1, 1)), resolution=10)
    assert ax.name == "3d" and len(ax.collections) == 1


def test_loss_curves_log_scale_and_legend():
    fig, ax = plt.subplots()
    viz.loss_curves(ax, {"sgd": [1.0, 0.5, 0.25], "adam": [1.0, 0.1, 0.01]})
    assert ax.get_yscale() == "log" and ax.get_legend() is not None
    assert [len(line.get_xdata()) for line in ax.lines] == [3, 3]


def test_slider_frames_are_evenly_or_log_spaced_inside_the_range():
    assert viz.slider(0.0, 1.0, 0.5, frames=5).frames == (0.0, 0.25, 0.5, 0.75, 1.0)
    log_frames = viz.slider(1e-3, 1e-1, 1e-2, log=True, frames=3).frames
    assert np.allclose(log_frames, (1e-3, 1e-2, 1e-1))
    assert viz.slider(1, 9, 3, step=1, frames=3).frames == (1, 5, 9)


@pytest.mark.parametrize("args, message", [
    ((1.0, 0.0, 0.5), "low < high"),
    ((0.0, 1.0, 2.0), "value=2.0"),
    ((0.0, 1.0, 0.5, None, None, True), "low > 0"),
])
def test_slider_rejects_bad_ranges(args, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        viz.slider(*args)


def test_slider_rejects_frames_outside_the_range():
    with pytest.raises(ValueError, match=r"\[1.5\] lie outside"):
        viz.slider(0.0, 1.0, 0.5, frames=[0.2, 1.5])


def test_choice_checks_its_value():
    assert viz.choice(["sgd", "adam"]).value == "sgd"
    with pytest.raises(ValueError, match="'rmsprop' is not one of the options"):
        viz.choice(["sgd", "adam"], value="rmsprop")


def test_explore_bundle_carries_live_widget_and_static_frame_slider():
    draw = Recorder()
    shown = viz.explore(draw, {"lr": viz.slider(0.1, 0.5, 0.2, frames=[0.1, 0.3, 0.5]),
                               "momentum": viz.slider(0.0, 0.9, 0.9)}, alt="Lines for three rates")
    bundle = shown._repr_mimebundle_()
    assert WIDGET_VIEW in bundle and "text/html" in bundle
    page = bundle["text/html"]
    # three frames, each a PNG embedded in the page, and an animation controller
    assert page.count("data:image/png;base64") == 3 and "Animation" in page
    assert 'alt="Lines for three rates"' in page
    assert "https://" not in page                               # works offline: nothing fetched
    assert "0.1, 0.3, 0.5" in page and "0.9" in page           # caption names the values
    # the fallback drew each frame with the main knob varied and the other fixed
    # (each frame exactly once, then the live widget's first drawing)
    assert [c["lr"] for c in draw.calls] == [0.1, 0.3, 0.5, 0.2]
    assert all(c["momentum"] == 0.9 for c in draw.calls)


def test_explore_fallback_is_identical_from_one_run_to_the_next():
    knobs = {"lr": viz.slider(0.1, 0.5, 0.2, frames=2)}
    first = viz.explore(Recorder(), knobs, alt="x").fallback_html
    second = viz.explore(Recorder(), knobs, alt="x").fallback_html
    assert first == second


def test_explore_small_multiples_is_one_image_with_alt_text():
    draw = Recorder()
    shown = viz.explore(draw, {"lr": viz.slider(0.1, 0.5, 0.2, frames=4)}, alt="Four panels",
                        static="panels")
    assert shown.fallback_html.count("<img") == 1 and 'alt="Four panels"' in shown.fallback_html
    assert [c["lr"] for c in draw.calls[:4]] == pytest.approx([0.1, 0.2333333, 0.3666667, 0.5])


def test_explore_live_control_redraws_with_the_new_value():
    draw = Recorder()
    shown = viz.explore(draw, {"lr": viz.slider(0.1, 0.5, 0.2, frames=2),
                               "momentum": viz.slider(0.0, 0.9, 0.0)}, alt="x")
    sliders = shown.widget.children[0].children
    assert [s.description for s in sliders] == ["lr", "momentum"]
    sliders[1].value = 0.45
    assert draw.calls[-1] == {"lr": 0.2, "momentum": 0.45}


def test_explore_uses_log_slider_and_dropdown_controls():
    import ipywidgets

    def draw(fig, lr, method):
        fig.add_subplot().set_title(f"{method} {lr}")

    shown = viz.explore(draw, {"lr": viz.slider(1e-3, 1.0, 1e-2, log=True, frames=2),
                               "method": viz.choice(["sgd", "adam"])}, alt="x")
    log_slider, dropdown = shown.widget.children[0].children
    assert isinstance(log_slider, ipywidgets.FloatLogSlider) and log_slider.value == pytest.approx(1e-2)
    assert isinstance(dropdown, ipywidgets.Dropdown) and dropdown.options == ("sgd", "adam")


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(knobs={}), ValueError, "at least one knob"),
    (dict(knobs={"lr": (0, 1)}), TypeError, "slider"),
    (dict(main="beta"), ValueError, "main='beta'"),
    (dict(alt=" "), ValueError, "alt"),
    (dict(static="movie"), ValueError, "static must be"),
    (dict(knobs={"lr": viz.slider(0.0, 1.0, 0.5, frames=16)}), ValueError, "at most 15"),
    (dict(knobs={"lr": viz.slider(0.0, 1.0, 0.5, frames=7)}, static="panels"), ValueError, "at most 6"),
])
def test_explore_rejects_bad_arguments(kwargs, error, message):
    arguments = dict(knobs={"lr": viz.slider(0.0, 1.0, 0.5, frames=2)}, alt="x")
    arguments.update(kwargs)
    with pytest.raises(error, match=re.escape(message)):
        viz.explore(Recorder(), **arguments)


def contour_png():
    import io
    fig, ax = plt.subplots(figsize=(3, 3))
    viz.contour(paraboloid, bounds=((-2, 3), (-2, 2)), ax=ax)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return fig, buffer.getvalue()


def pixels(data):
    import io
    from PIL import Image
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"), dtype=float)


def test_compact_png_is_smaller_and_looks_the_same():
    from optlib.viz.compact import compact_png
    _, original = contour_png()
    compact = compact_png(original)
    assert len(compact) < 0.6 * len(original)
    before, after = pixels(original), pixels(compact)
    assert before.shape == after.shape
    assert np.abs(before - after).mean() < 2.0          # out of 255: no visible change


def test_compact_embedded_pngs_rewrites_every_frame_of_a_frame_slider():
    from optlib.viz.compact import compact_embedded_pngs
    import base64
    _, original = contour_png()
    encoded = base64.encodebytes(original).decode("ascii").replace("\n", "\\\n")
    page = f'frames[0] = "data:image/png;base64,{encoded}"\nframes[1] = "data:image/png;base64,{encoded}"'
    rewritten = compact_embedded_pngs(page)
    frames = re.findall(r"data:image/png;base64,([A-Za-z0-9+/=]+)\"", rewritten)
    assert len(frames) == 2 and len(rewritten) < 0.6 * len(page)
    assert pixels(base64.b64decode(frames[1])).shape == pixels(original).shape


def test_figure_png_skips_empty_figures():
    from optlib.viz.compact import figure_png
    assert figure_png(plt.figure()) is None
    fig, _ = contour_png()
    assert figure_png(fig).startswith(b"\x89PNG")


def test_use_style_makes_ipython_store_compact_figures():
    from IPython.core.interactiveshell import InteractiveShell
    from matplotlib.figure import Figure
    from optlib.viz.compact import figure_png
    shell = InteractiveShell.instance()
    try:
        viz.use_style()
        formatter = shell.display_formatter.formatters["image/png"]
        assert formatter.lookup_by_type(Figure) is figure_png
        fig, _ = contour_png()
        data = formatter(fig)
        assert pixels(data).shape[2] == 3 and data == figure_png(fig)
    finally:
        InteractiveShell.clear_instance()


def traced_graph():
    import optlib

    def f(x, W):
        h = x[:2]
        return np.sum(np.tanh(W @ x) + h * h)

    return optlib.trace(f, np.ones(3), np.ones((2, 3)))


def test_graph_layout_puts_every_edge_left_to_right_with_inputs_first():
    graph = traced_graph()
    position = viz.graph_layout(graph)
    assert set(position) == {node.id for node in graph.nodes}
    assert all(position[src][0] < position[dst][0] for src, dst in graph.edges)
    assert all(position[i][0] == 0 for i in graph.inputs)
    assert len(set(position.values())) == len(position)        # no two boxes on top of each other


def test_draw_graph_draws_one_box_per_node_and_one_arrow_per_edge():
    graph = traced_graph()
    fig, ax = plt.subplots()
    viz.draw_graph(graph, ax=ax, labels={0: "x", 1: "W"}, title="f(x, W)")
    boxes = [t.get_text() for t in ax.texts if t.get_text()]
    arrows = [t for t in ax.texts if not t.get_text()]          # annotations with an arrow only
    assert len(boxes) == len(graph.nodes) and "x" in boxes and "W" in boxes
    assert "tanh\n(2,)" in boxes
    assert len(arrows) == len(graph.edges)
    bends = sorted(a.arrow_patch.get_connectionstyle().rad for a in arrows)
    assert bends.count(0.25) == 1          # h * h: two arrows from h, the second bent
    assert ax.get_title() == "f(x, W)" and not ax.axison
