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


def test_contour_levels_are_evenly_spaced_and_the_colour_bar_says_so():
    fig, ax = plt.subplots()
    lines = viz.contour(paraboloid, bounds=((-2, 3), (-2, 2)), ax=ax, levels=12)
    steps = np.diff(np.asarray(lines.levels))
    assert np.allclose(steps, steps[0])
    # the paraboloid's highest value on the window is at the corner (-2, -2): 9 + 6.75
    assert lines.levels[0] <= 0.0 and lines.levels[-1] >= 15.75
    colour_bars = [a for a in fig.axes if a is not ax]
    assert len(colour_bars) == 1
    assert colour_bars[0].get_ylabel() == "loss (evenly spaced levels)"


def test_contour_log_spacing_rises_by_a_constant_factor_above_the_minimum():
    def rosenbrock(x):
        return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2

    fig, ax = plt.subplots()
    lines = viz.contour(rosenbrock, bounds=((-2, 2), (-1, 3)), ax=ax, levels=10, spacing="log",
                        label="f")
    rise = np.asarray(lines.levels) - lines.levels[0]
    ratios = rise[2:] / rise[1:-1]
    assert np.allclose(ratios, ratios[0], rtol=0.1)                 # rounded to 2 digits
    assert fig.axes[-1].get_ylabel() == "f (log-spaced levels)"


def test_contour_given_levels_are_used_as_they_are():
    fig, ax = plt.subplots()
    lines = viz.contour(paraboloid, bounds=((-2, 3), (-2, 2)), ax=ax, levels=[0.5, 1, 4],
                        colorbar=False)
    assert list(lines.levels) == [0.5, 1, 4] and len(fig.axes) == 1
    with pytest.raises(ValueError, match="increasing"):
        viz.contour(paraboloid, bounds=((-2, 3), (-2, 2)), ax=ax, levels=[1, 0.5])


@pytest.mark.parametrize("f, message", [
    (lambda x: np.full(x.shape[1:], 3.0), r"constant on the grid .*every value is 3"),
    (lambda x: np.full(x.shape[1:], np.nan), "no finite value on the grid"),
])
def test_contour_of_a_constant_or_all_nan_function_says_so(f, message):
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match=message):
        viz.contour(f, bounds=((0, 1), (0, 1)), ax=ax)


@pytest.mark.parametrize("kwargs, error, message", [
    (dict(f="x * y"), TypeError, "f must be a function"),
    (dict(resolution=1.5), TypeError, "resolution must be an integer"),
    (dict(resolution=1), ValueError, "resolution must be an integer >= 2"),
    (dict(spacing="quantile"), ValueError, "unknown spacing 'quantile'"),
    (dict(filled=1), TypeError, "filled must be True or False"),
    (dict(levels=1), ValueError, "levels must be an integer >= 2"),
])
def test_contour_checks_its_arguments(kwargs, error, message):
    fig, ax = plt.subplots()
    arguments = dict(f=paraboloid, bounds=((-2, 3), (-2, 2)), ax=ax)
    arguments.update(kwargs)
    with pytest.raises(error, match=re.escape(message)):
        viz.contour(**arguments)


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


@pytest.mark.parametrize("args, kwargs, error, message", [
    (("0", 1.0, 0.5), {}, TypeError, "low must be a real number"),
    ((0.0, 1.0, 0.5), dict(log="yes"), TypeError, "log must be True or False"),
    ((0.0, 1.0, 0.5), dict(frames=0), ValueError, "frames must be an integer >= 1"),
    ((0.0, 1.0, 0.5), dict(step=-0.1), ValueError, "step must be a positive finite number"),
])
def test_slider_checks_the_types_of_its_arguments(args, kwargs, error, message):
    with pytest.raises(error, match=re.escape(message)):
        viz.slider(*args, **kwargs)


def test_slider_rejects_frames_outside_the_range():
    with pytest.raises(ValueError, match=r"\[1.5\] lie outside"):
        viz.slider(0.0, 1.0, 0.5, frames=[0.2, 1.5])


def test_choice_checks_its_value():
    assert viz.choice(["sgd", "adam"]).value == "sgd"
    with pytest.raises(ValueError, match="'rmsprop' is not one of the options"):
        viz.choice(["sgd", "adam"], value="rmsprop")


def frames_of(page):
    """The frames of a static view: [(hidden, [PNG bytes, ...]), ...] in page order."""
    import base64
    found = []
    for match in re.finditer(r'<div class="optlib-frame"( hidden)?>(.*?)</div></div>', page):
        pngs = re.findall(r"data:image/png;base64,([A-Za-z0-9+/=]+)", match.group(2))
        found.append((bool(match.group(1)), [base64.b64decode(p) for p in pngs]))
    return found


def test_explore_bundle_carries_live_widget_and_static_view():
    draw = Recorder()
    shown = viz.explore(draw, {"lr": viz.slider(0.1, 0.5, 0.3, frames=[0.1, 0.3, 0.5]),
                               "momentum": viz.slider(0.0, 0.9, 0.9)}, alt="Lines for three rates")
    bundle = shown._repr_mimebundle_()
    assert WIDGET_VIEW in bundle and "text/html" in bundle
    page = bundle["text/html"]
    frames = frames_of(page)
    assert len(frames) == 3 and all(len(pngs) == 1 for _, pngs in frames)
    # the frame of the knob's starting value (0.3) is the one shown first
    assert [hidden for hidden, _ in frames] == [True, False, True]
    assert page.count('type="range"') == 1 and 'aria-label="Lines for three rates"' in page
    assert 'alt="Lines for three rates Shown: lr = 0.3."' in page
    assert "https://" not in page and "http://" not in page      # works offline: nothing fetched
    assert "0.1, 0.3, 0.5" in page and "momentum = 0.9 stays fixed" in page    # the caption
    # each frame drawn exactly once with the main knob varied and the other fixed,
    # then the live widget's first drawing
    assert [c["lr"] for c in draw.calls] == [0.1, 0.3, 0.5, 0.3]
    assert all(c["momentum"] == 0.9 for c in draw.calls)


def test_explore_two_knobs_give_a_grid_of_frames_with_one_control_each():
    draw = Recorder()
    shown = viz.explore(draw, {"lr": viz.slider(0.1, 0.5, 0.5, frames=[0.1, 0.3, 0.5]),
                               "momentum": viz.slider(0.0, 0.9, 0.0, frames=[0.0, 0.9])},
                        main=("lr", "momentum"), alt="A grid")
    page = shown.fallback_html
    frames = frames_of(page)
    assert len(frames) == 6
    # row-major: the first knob varies slowest, as the page's script reads the controls
    assert [(c["lr"], c["momentum"]) for c in draw.calls[:6]] == [
        (0.1, 0.0), (0.1, 0.9), (0.3, 0.0), (0.3, 0.9), (0.5, 0.0), (0.5, 0.9)]
    # starts at lr = 0.5 (index 2 of 3), momentum = 0 (index 0 of 2): frame 2 * 2 + 0
    assert [hidden for hidden, _ in frames].index(False) == 4
    sliders = re.findall(r'<input type="range" min="0" max="(\d+)" step="1" value="(\d+)"', page)
    assert sliders == [("2", "2"), ("1", "0")]
    assert 'data-values="[&quot;0.1&quot;, &quot;0.3&quot;, &quot;0.5&quot;]"' in page
    assert page.count('class="optlib-play"') == 1 and "<script>" in page
    assert "the controls vary lr (0.1, 0.3, 0.5) and momentum (0, 0.9)" in page


def test_explore_frames_have_one_size_and_show_the_style_resolution():
    from PIL import Image
    import io

    def draw(fig, width):
        ax = fig.add_subplot()
        ax.plot([0, 1], [0, width * 1e6])       # tick labels of very different widths
        ax.set_ylabel("a long label")

    shown = viz.explore(draw, {"width": viz.slider(1, 1000, 1, frames=[1, 1000])},
                        alt="Two frames", figsize=(3.0, 2.0))
    sizes = {Image.open(io.BytesIO(png)).size for _, pngs in frames_of(shown.fallback_html)
             for png in pngs}
    assert sizes == {(3 * viz.style.DPI, 2 * viz.style.DPI)}
    # shown at the CSS inch: 3 in = 288 css px, allowed to shrink to MIN_SCALE of it
    assert 'width="288"' in shown.fallback_html and "max-width:288px" in shown.fallback_html
    assert f"flex:1 1 {288 * viz.style.MIN_SCALE:.0f}px" in shown.fallback_html


def test_explore_choice_knob_is_a_menu_in_the_static_view():
    def draw(fig, lr, method):
        fig.add_subplot().set_title(f"{method} {lr}")

    shown = viz.explore(draw, {"lr": viz.slider(0.1, 0.5, 0.1, frames=2),
                               "method": viz.choice(["sgd", "adam"], value="adam")},
                        main=("lr", "method"), alt="Two methods")
    page = shown.fallback_html
    assert '<select data-values="[&quot;sgd&quot;, &quot;adam&quot;]">' in page
    assert '<option value="1" selected>adam</option>' in page
    assert [hidden for hidden, _ in frames_of(page)] == [True, False, True, True]


def test_explore_draw_may_split_its_figure_into_panels():
    def draw(fig, lr):
        for panel in viz.panels(fig, 2):
            panel.add_subplot().plot([0, lr])

    frames = frames_of(viz.explore(draw, {"lr": viz.slider(0.1, 0.5, 0.1, frames=2)},
                                   alt="Two panels per frame").fallback_html)
    assert [len(pngs) for _, pngs in frames] == [2, 2]


def test_explore_fallback_is_identical_from_one_run_to_the_next():
    knobs = {"lr": viz.slider(0.1, 0.5, 0.2, frames=2)}
    first = viz.explore(Recorder(), knobs, alt="x").fallback_html
    second = viz.explore(Recorder(), knobs, alt="x").fallback_html
    assert first == second


def test_explore_small_multiples_are_one_image_each_in_a_row_that_wraps():
    draw = Recorder()
    shown = viz.explore(draw, {"lr": viz.slider(0.1, 0.5, 0.2, frames=4)}, alt="Four panels",
                        static="panels")
    page = shown.fallback_html
    assert page.count("<img") == 4 and 'role="img" aria-label="Four panels"' in page
    assert "flex-wrap:wrap" in page and "optlib-frame" not in page
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
    (dict(draw="plot"), TypeError, "draw must be a function draw(fig, **values)"),
    (dict(knobs={}), ValueError, "at least one knob"),
    (dict(knobs={"lr": (0, 1)}), TypeError, "slider"),
    (dict(main="beta"), ValueError, "main='beta'"),
    (dict(main=("lr", "lr")), ValueError, "at most 2 different knob(s)"),
    (dict(main=("lr", "momentum", "beta")), ValueError, "at most 2 different knob(s)"),
    (dict(main=("lr", "momentum"), static="panels"), ValueError, "at most 1 different knob(s)"),
    (dict(alt=" "), ValueError, "alt"),
    (dict(static="movie"), ValueError, "unknown static 'movie'"),
    (dict(fps=0), ValueError, "fps must be a positive finite number"),
    (dict(figsize=(4, -1)), ValueError, "figsize[1] must be a positive finite number"),
    (dict(knobs={"lr": viz.slider(0.0, 1.0, 0.5, frames=21)}), ValueError, "at most 20 frames"),
    (dict(knobs={"lr": viz.slider(0.0, 1.0, 0.5, frames=5), "momentum": viz.slider(0, 1, 0, frames=5)},
          main=("lr", "momentum")), ValueError, "got 5 (lr) x 5 (momentum) = 25"),
    (dict(knobs={"lr": viz.slider(0.0, 1.0, 0.5, frames=7)}, static="panels"), ValueError, "at most 6"),
])
def test_explore_rejects_bad_arguments(kwargs, error, message):
    arguments = dict(draw=Recorder(), knobs={"lr": viz.slider(0.0, 1.0, 0.5, frames=2),
                                             "momentum": viz.slider(0.0, 1.0, 0.5, frames=2)}, alt="x")
    arguments.update(kwargs)
    with pytest.raises(error, match=re.escape(message)):
        viz.explore(**arguments)


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


def test_compact_png_keeps_the_book_colours_exactly():
    import io
    from optlib.viz.compact import compact_png
    colours = sorted(set(viz.PALETTE) | set(viz.OPTIMIZER_COLORS.values()))
    fig, ax = plt.subplots(figsize=(4, 3))
    viz.contour(paraboloid, bounds=((-2, 3), (-2, 2)), ax=ax)      # plus many blends
    for k, colour in enumerate(colours):
        ax.plot([-2, 3], [k / 10 - 1, k / 10 - 1], color=colour, lw=4)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100)
    shown = {tuple(c) for c in pixels(compact_png(buffer.getvalue())).reshape(-1, 3).astype(int)}
    for colour in colours:
        assert tuple(int(round(255 * v)) for v in matplotlib.colors.to_rgb(colour)) in shown, colour


def test_figure_png_skips_empty_figures():
    from optlib.viz.figures import figure_png
    assert figure_png(plt.figure()) is None
    fig, _ = contour_png()
    assert figure_png(fig).startswith(b"\x89PNG")


def test_figure_png_is_stored_at_twice_the_css_resolution_with_an_opaque_white_card():
    from optlib.viz.figures import figure_png
    viz.use_style()
    fig, ax = plt.subplots(figsize=(2.5, 1.5))
    ax.plot([0, 1], [0, 1])
    image = pixels(figure_png(fig, tight=False))
    assert image.shape[:2] == (1.5 * 192, 2.5 * 192)            # 2 image px per css px
    assert (image[0, 0] == 255).all() and (image[-1, -1] == 255).all()


def test_use_style_makes_ipython_store_sharp_figures_shown_at_their_css_width():
    from IPython.core.interactiveshell import InteractiveShell
    from optlib.viz.figures import figure_png
    shell = InteractiveShell.instance()
    try:
        viz.use_style()
        fig, ax = plt.subplots(figsize=(3.0, 2.0))
        ax.plot([0, 1], [0, 1])
        data, metadata = shell.display_formatter.format(fig)
        png = data["image/png"]
        width = pixels(png).shape[1]
        assert png == figure_png(fig) and "text/html" not in data
        assert metadata["image/png"] == {"width": round(width / 2)}
        assert 280 < width / 2 <= 3.0 * 96 + 20     # tight crop of 3 in, plus its padding
    finally:
        InteractiveShell.clear_instance()


def test_ipython_shows_a_figure_of_panels_as_one_image_per_panel():
    from IPython.core.interactiveshell import InteractiveShell
    shell = InteractiveShell.instance()
    try:
        viz.use_style()
        fig = plt.figure()
        for panel in viz.panels(fig, 3, alt="Three panels of a row"):
            panel.add_subplot().plot([0, 1])
        data, _ = shell.display_formatter.format(fig)
        assert "image/png" not in data
        page = data["text/html"]
        assert page.count("<img") == 3 and 'aria-label="Three panels of a row"' in page
    finally:
        InteractiveShell.clear_instance()


def test_panels_are_equal_boxes_cut_from_one_rendering():
    from optlib.viz.figures import figure_pngs
    fig = plt.figure()
    colours = ("red", "green", "blue")
    for panel, colour in zip(viz.panels(fig, 3, size=(2.0, 1.5)), colours):
        panel.set_facecolor(colour)
    assert fig.get_size_inches() == pytest.approx((6.0, 1.5))
    images = [pixels(png) for png in figure_pngs(fig)]
    assert [image.shape[:2] for image in images] == [(1.5 * 192, 2.0 * 192)] * 3
    expected = [(255, 0, 0), (0, 128, 0), (0, 0, 255)]
    for image, colour in zip(images, expected):
        # every pixel of a panel has its colour: no neighbour's edge is included
        assert np.abs(image - colour).max() < 3


def test_panels_row_wraps_before_the_text_shrinks_below_the_floor():
    from optlib.viz.figures import images_html, figure_png
    fig = plt.figure(figsize=(3.0, 2.0))
    fig.add_subplot()
    png = figure_png(fig, tight=False)
    page = images_html([png, png], "Two panels")
    # 3 in = 288 css px, at most; at least 0.75 of it, where 9-pt text is 9 css px
    assert page.count('style="flex:1 1 216px;min-width:0;max-width:288px;height:auto"') == 2
    assert 'style="display:flex;flex-wrap:wrap;gap:8px;justify-content:center"' in page


@pytest.mark.parametrize("args, kwargs, error, message", [
    ((plt.Figure(), 0), {}, ValueError, "n must be an integer >= 1"),
    ((plt.Figure(), 2.0), {}, TypeError, "n must be an integer"),
    ((plt.Figure(), 2), dict(size=(2, 0)), ValueError, "size[1] must be a positive"),
    ((plt.Figure(), 2), dict(alt=""), ValueError, "alt must describe the figure"),
    (("figure", 2), {}, TypeError, "fig must be a matplotlib Figure"),
])
def test_panels_checks_its_arguments(args, kwargs, error, message):
    with pytest.raises(error, match=re.escape(message)):
        viz.panels(*args, **kwargs)


def test_panels_needs_an_empty_figure():
    fig, ax = plt.subplots()
    with pytest.raises(ValueError, match="empty figure"):
        viz.panels(fig, 2)


def test_style_sizes_keep_the_smallest_text_at_9_css_px_on_a_wide_page_and_a_phone():
    style = viz.style
    css_px_per_point = style.CSS_DPI / 72
    smallest = style.SMALLEST_FONT * css_px_per_point           # at the figure's natural size
    # a single figure on a phone: the 412-px page leaves 364 px for it
    figure_px = style.FIGURE_SIZE[0] * style.CSS_DPI
    assert smallest * min(1, 364 / figure_px) >= 9
    # three panels side by side in the 660-px column of a 1280-px page, shrunk at most to MIN_SCALE
    panel_px = style.PANEL_SIZE[0] * style.CSS_DPI
    assert 3 * panel_px * style.MIN_SCALE + 2 * style.PANEL_GAP_PX <= 660
    assert smallest * style.MIN_SCALE == pytest.approx(9)
    # no text of the style is smaller than the smallest font
    viz.use_style()
    sizes = [matplotlib.rcParams[key] for key in ("font.size", "axes.titlesize", "axes.labelsize",
                                                  "xtick.labelsize", "ytick.labelsize",
                                                  "legend.fontsize", "figure.titlesize")]
    assert min(matplotlib.font_manager.FontProperties(size=s).get_size_in_points()
               for s in sizes) >= style.SMALLEST_FONT


def traced_graph():
    import optlib

    def f(x, W):
        h = x[:2]
        return np.sum(np.tanh(W @ x) + h * h)

    return optlib.trace(f, np.ones(3), np.ones((2, 3)))


def test_graph_layout_puts_every_edge_left_to_right_and_each_input_just_before_its_first_use():
    graph = traced_graph()
    position = viz.graph_layout(graph)
    assert set(position) == {node.id for node in graph.nodes}
    assert all(position[src][0] < position[dst][0] for src, dst in graph.edges)
    for i in graph.inputs:
        first_use = min(position[dst][0] for src, dst in graph.edges if src == i)
        assert position[i][0] == first_use - 1
    assert len(set(position.values())) == len(position)        # no two boxes on top of each other


def test_graph_layout_keeps_a_chain_straight_and_late_parameters_next_to_their_use():
    import optlib
    # x -> tanh -> (* w) -> (+ b): w and b are used late, next to the chain, above it
    graph = optlib.trace(lambda x, w, b: np.tanh(x) * w + b, 1.0, 2.0, 3.0)
    position = viz.graph_layout(graph)
    x, w, b, tanh, times, plus = (position[i] for i in range(6))
    assert x == (0.0, 0.0) and tanh == (1.0, 0.0) and times == (2.0, 0.0) and plus == (3.0, 0.0)
    assert w == (1.0, 1.0) and b == (2.0, 1.0)


def test_draw_graph_arrows_end_on_the_borders_of_their_boxes():
    import optlib
    graph = optlib.trace(lambda x, w: np.tanh(x * w), 1.0, 2.0)
    fig, ax = plt.subplots()
    viz.draw_graph(graph, ax=ax)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = {t.get_text(): t.get_bbox_patch().get_window_extent(renderer)
             for t in ax.texts if t.get_text()}
    arrows = [t for t in ax.texts if not t.get_text()]
    # the arrow from "multiply" to "tanh": its points lie between the two boxes, and it
    # comes within 3 points of each box's border (the old 18-point gap left stubs)
    box_from, box_to = boxes["multiply\n()"], boxes["tanh\n()"]
    (arrow,) = [a for a in arrows if a.xyann == (0.5, 0.5) and a.anncoords.get_text() == "multiply\n()"]
    path = arrow.arrow_patch.get_path()                 # display coordinates after a draw
    xs = path.vertices[path.codes != path.CLOSEPOLY, 0]
    gap = 3 * fig.dpi / 72
    assert xs.min() >= box_from.x1 - gap and xs.max() <= box_to.x0 + gap
    assert xs.min() <= box_from.x1 + gap and xs.max() >= box_to.x0 - gap
    plt.close(fig)


def test_draw_graph_highlights_the_given_edges_and_refuses_unknown_ones():
    import optlib
    graph = optlib.trace(lambda x: np.sin(x) + np.cos(x), 1.0)
    fig, ax = plt.subplots()
    path = [(0, 1), (1, 3)]
    viz.draw_graph(graph, ax=ax, highlight=path)
    arrows = [t for t in ax.texts if not t.get_text()]
    colours = [matplotlib.colors.to_hex(a.arrow_patch.get_edgecolor()) for a in arrows]
    marked = matplotlib.colors.to_hex(viz.PALETTE[6])
    assert [c == marked for c in colours] == [(s, d) in path for s, d in graph.edges]
    with pytest.raises(ValueError, match=r"highlight must list edges .*\(0, 3\)"):
        viz.draw_graph(graph, ax=ax, highlight=[(0, 3)])
    plt.close(fig)


def test_draw_unrolled_has_three_boxes_per_step_and_backward_arrows_on_request():
    fig, ax = plt.subplots()
    viz.draw_unrolled(3, ax=ax)
    boxes = [t for t in ax.texts if t.get_bbox_patch() is not None]
    arrows = [t for t in ax.texts if not t.get_text()]
    assert len(boxes) == 1 + 3 * 3                      # h_0, then x_t, h_t, l_t
    assert len(arrows) == 3 * 5                         # three forward, two backward per step
    fig, ax = plt.subplots()
    viz.draw_unrolled(3, ax=ax, backward=False)
    assert len([t for t in ax.texts if not t.get_text()]) == 3 * 3
    with pytest.raises(ValueError, match="steps"):
        viz.draw_unrolled(0)
    plt.close("all")


def test_draw_time_steps_colours_the_read_and_write_steps_and_shades_the_window():
    fig, ax = plt.subplots()
    viz.draw_time_steps(7, ax=ax, read=1, write=6, window=(4, 6), room=11)
    boxes = {t.get_text(): matplotlib.colors.to_hex(t.get_bbox_patch().get_facecolor())
             for t in ax.texts if t.get_bbox_patch() is not None}
    assert len(boxes) == 7
    assert boxes["1"] == viz.graph.NODE_COLORS["input"].lower()
    assert boxes["6"] == viz.graph.NODE_COLORS["output"].lower()
    assert boxes["3"] == "#ffffff"
    (shade,) = ax.patches
    assert shade.get_x() == pytest.approx(3.5) and shade.get_width() == pytest.approx(3.0)
    assert ax.get_xlim() == pytest.approx((0.4, 11.6))
    plt.close(fig)


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
    assert min(t.get_fontsize() for t in ax.texts if t.get_text()) >= viz.style.SMALLEST_FONT
