"""The built book in a real browser: headless Chromium opens pages from the file system.

Asserts what a reader would see: typeset math (no raw $$), every image loaded,
the widget's static view visible and working, and no error in the console; on a
page 1280 px wide and on a phone 412 px wide, in light and dark mode: figure
text at least 9 css px high and sharp on a 2x display, code blocks that do not
scroll sideways, and controls whose text keeps its contrast. Screenshots are
written to _build/screenshots/. Without Chromium the tests skip, unless
OPTBOOK_REQUIRE_BROWSER=1 (set by .ci/run) demands them.
"""
import os
import shutil
import time

import pytest

from book_layout import ROOT, chapter_paths
from optlib.viz import style

SCREENSHOTS = ROOT / "_build" / "screenshots"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "chrome")
WIDTHS = {"wide": 1280, "phone": 412}
MODES = ("light", "dark")
#: WCAG AA contrast for normal text
MIN_CONTRAST = 4.5


def find_browser():
    browser = os.environ.get("CHROME_BINARY") or next(filter(None, map(shutil.which, BROWSERS)), None)
    driver = shutil.which("chromedriver")
    return browser, driver


@pytest.fixture(scope="module")
def browser():
    binary, driver_path = find_browser()
    if not (binary and driver_path):
        message = "Chromium and chromedriver are needed for the browser tests (apt install chromium chromium-driver)"
        if os.environ.get("OPTBOOK_REQUIRE_BROWSER") == "1":
            pytest.fail(message + "; OPTBOOK_REQUIRE_BROWSER=1 demands them")
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--window-size=1280,2000",
                 "--allow-file-access-from-files"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


@pytest.fixture
def reader(browser):
    """The browser, set up as a reader's screen by ``reader.view(width, mode)``; reset afterwards."""

    class Reader:
        driver = browser

        def view(self, width, mode="light"):
            """A page ``width`` css px wide (a phone below 600 px), in the theme's light or dark mode.

            The theme follows the reader's system preference (``default_mode: auto``), which
            Chromium emulates here, as a reader's browser would report it.
            """
            browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
                "width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600})
            browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {
                "features": [{"name": "prefers-color-scheme", "value": mode}]})

    yield Reader()
    browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})


def open_page(driver, page):
    driver.get(page.as_uri())
    # MathJax typesets after the page has loaded: wait for its startup promise.
    driver.set_script_timeout(30)
    driver.execute_async_script("""
        const done = arguments[arguments.length - 1];
        const wait = () => (window.MathJax && MathJax.startup && MathJax.startup.promise)
            ? MathJax.startup.promise.then(() => done(true)) : setTimeout(wait, 100);
        if (document.querySelector('script[src*="mathjax"]')) { wait(); } else { done(false); }
    """)
    driver.execute_script("window.scrollTo(0, document.body.scrollHeight)")   # load lazy images
    time.sleep(0.5)
    driver.execute_script("window.scrollTo(0, 0)")


def console_errors(driver):
    return [entry for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


def visible_text(driver):
    return driver.execute_script("return document.querySelector('main') ? "
                                 "document.querySelector('main').innerText : document.body.innerText")


def full_page_screenshot(driver, name, width):
    """A screenshot of the whole page, ``width`` css px wide."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    height = min(driver.execute_script("return document.documentElement.scrollHeight"), 16000)
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})
    time.sleep(0.3)
    driver.save_screenshot(str(SCREENSHOTS / f"{name}.png"))


def check_page(driver, page, name):
    open_page(driver, page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(SCREENSHOTS / f"{name}.png"))
    assert "$$" not in visible_text(driver), f"{name}: raw $$ on the page (math not typeset)"
    broken = driver.execute_script(
        "return Array.from(document.images).filter(i => i.offsetParent !== null)"
        ".filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src.slice(0, 80))")
    assert not broken, f"{name}: images that did not load: {broken}"
    errors = console_errors(driver)
    assert not errors, f"{name}: console errors: {errors}"


def chapter_page(html, notebook):
    return html / notebook.relative_to(ROOT).with_suffix(".html")


def test_index_page_renders(browser, built_book):
    html, result = built_book
    assert (html / "intro.html").exists(), result.stdout[-2000:]
    check_page(browser, html / "intro.html", "index")
    assert browser.find_elements("css selector", "mjx-container"), "no typeset math on the index page"


def test_book_stylesheet_is_on_every_page(built_book):
    """Jupyter Book links every CSS file of _static/ from every page: the figure and dark-mode rules."""
    html, _ = built_book
    pages = [html / "intro.html"] + [chapter_page(html, nb) for nb in chapter_paths()]
    for page in pages:
        assert "_static/optlib.css" in page.read_text(), f"{page.name} does not load optlib.css"
    assert (html / "_static" / "optlib.css").exists()


@pytest.mark.parametrize("notebook", chapter_paths(), ids=lambda p: p.stem)
def test_chapter_page_renders_with_math_figures_and_static_fallback(browser, built_book, notebook):
    html, _ = built_book
    check_page(browser, chapter_page(html, notebook), notebook.stem)
    assert len(browser.find_elements("css selector", "mjx-container")) >= 3, "math is not typeset"
    figures = browser.execute_script(
        "return Array.from(document.querySelectorAll('.cell_output img'))"
        ".filter(i => i.complete && i.naturalWidth > 0).length")
    assert figures >= 2, f"only {figures} figures loaded"
    fallback = browser.find_element("css selector", "figure.optlib-static")
    browser.execute_script("arguments[0].scrollIntoView()", fallback)
    assert fallback.is_displayed() and fallback.size["height"] > 100, "static fallback not visible"
    frame = next(img for img in fallback.find_elements("css selector", "img") if img.is_displayed())
    assert browser.execute_script("return arguments[0].naturalWidth", frame) > 0
    # a row of panels is one image for a screen reader, labelled on the row
    label = browser.execute_script(
        "const i = arguments[0]; return i.alt || "
        "i.closest('[role=img][aria-label]')?.getAttribute('aria-label') || ''", frame)
    assert label.strip(), "the fallback has no alt text"
    assert not browser.find_elements("css selector", ".jupyter-widgets, .widget-subarea"), \
        "a widget library's element on the page"
    browser.save_screenshot(str(SCREENSHOTS / f"{notebook.stem}-widget.png"))


# Every figure image shown in a cell's output: its natural width in image pixels,
# the width of its content box on the page (without the theme's padding), and
# whether it is a vector image.
FIGURE_IMAGES = """
return Array.from(document.querySelectorAll('.cell_output img'))
  .filter(img => img.offsetParent !== null && img.naturalWidth > 0)
  .map(img => {
    const s = getComputedStyle(img);
    const content = img.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
    return {natural: img.naturalWidth, shown: content,
            svg: /^data:image\\/svg|\\.svg(\\?|$)/.test(img.currentSrc || img.src),
            where: (img.alt || img.closest('[aria-label]')?.getAttribute('aria-label') || img.src)
                     .slice(0, 60)};
  });
"""


def smallest_text_px(image):
    """The height in css px of the style's smallest font in a figure image as the page shows it.

    A font of s points is s / 72 inch, that is s / 72 * dpi image pixels, and the
    page shows ``shown`` css px for ``natural`` image pixels. A PNG has the style's
    DPI; an SVG's natural width is already in css px (96 per inch).
    """
    dpi = style.CSS_DPI if image["svg"] else style.DPI
    return style.SMALLEST_FONT / 72 * dpi * image["shown"] / image["natural"]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("notebook", chapter_paths(), ids=lambda p: p.stem)
def test_figure_text_is_legible_and_sharp_at_every_width(reader, built_book, notebook, width, mode):
    html, _ = built_book
    reader.view(width, mode)
    open_page(reader.driver, chapter_page(html, notebook))
    assert reader.driver.execute_script("return document.documentElement.dataset.theme") == mode
    images = reader.driver.execute_script(FIGURE_IMAGES)
    assert images, "no figure on the page"
    for image in images:
        text = smallest_text_px(image)
        assert text >= style.MIN_TEXT_PX - 0.05, (
            f"{notebook.stem} at {width} px ({mode}): {style.SMALLEST_FONT}-pt text is {text:.1f} css px "
            f"in '{image['where']}' ({image['natural']} px shown at {image['shown']:.0f}); draw it "
            f"narrower (viz.FIGURE_SIZE) or as viz.panels, which stack on a phone")
        if not image["svg"]:
            assert image["natural"] >= 2 * image["shown"] - 1, (
                f"{notebook.stem} at {width} px: '{image['where']}' has {image['natural']} px for "
                f"{image['shown']:.0f} css px, blurred on a 2x display")
    assert not console_errors(reader.driver)
    full_page_screenshot(reader.driver, f"{notebook.stem}-{width}-{mode}", width)


@pytest.mark.parametrize("notebook", chapter_paths(), ids=lambda p: p.stem)
def test_code_blocks_do_not_scroll_sideways_on_a_wide_page(reader, built_book, notebook):
    html, _ = built_book
    reader.view(WIDTHS["wide"])
    open_page(reader.driver, chapter_page(html, notebook))
    overflowing = reader.driver.execute_script("""
        document.querySelectorAll('main details').forEach(d => { d.open = true; });
        return Array.from(document.querySelectorAll('main pre'))
          .filter(pre => pre.clientWidth > 0 && pre.scrollWidth > pre.clientWidth)
          .map(pre => [pre.scrollWidth - pre.clientWidth,
                       pre.textContent.split('\\n').reduce((a, b) => a.length >= b.length ? a : b)]);
    """)
    assert not overflowing, f"{notebook.stem}: code blocks wider than the column: {overflowing}"


def fallback_chapters():
    """The chapters whose stored notebook shows a static view (each chapter's Play with it)."""
    return [nb for nb in chapter_paths() if 'class=\\"optlib-static\\"' in nb.read_text()
            or 'class="optlib-static"' in nb.read_text()]


# The state of every static view on the page: the index of its visible frame, the
# source of its visible image, the values its controls show.
STATIC_VIEWS = """
return Array.from(document.querySelectorAll('figure.optlib-static')).map(view => {
  const frames = Array.from(view.querySelectorAll('.optlib-frame'));
  const shown = frames.filter(frame => !frame.hidden && frame.offsetParent !== null);
  return {visible: shown.length,
          frame: frames.findIndex(frame => !frame.hidden),
          src: shown.length ? shown[0].querySelector('img').src.slice(-80) : null,
          values: Array.from(view.querySelectorAll('.optlib-knob')).map(k =>
            (k.querySelector('output') || k.querySelector('select option:checked')).textContent)};
});
"""


@pytest.mark.parametrize("notebook", fallback_chapters(), ids=lambda p: p.stem)
def test_static_view_controls_each_change_the_frame(reader, built_book, notebook):
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    html, _ = built_book
    reader.view(WIDTHS["wide"])
    driver = reader.driver
    open_page(driver, chapter_page(html, notebook))
    views = driver.find_elements("css selector", "figure.optlib-static")
    for number, view in enumerate(views):
        controls = view.find_elements("css selector", ".optlib-knob input, .optlib-knob select")
        assert controls, f"{notebook.stem}: static view {number} has no control"
        for control in controls:
            before = driver.execute_script(STATIC_VIEWS)[number]
            assert before["visible"] == 1, f"{notebook.stem}: {before['visible']} frames visible"
            driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", control)
            if control.tag_name == "select":
                menu = Select(control)
                current = [o.get_attribute("value") for o in menu.all_selected_options][0]
                menu.select_by_index(0 if current != "0" else 1)
            else:
                # the arrow key moves a range input by one step, towards its far end
                at_end = control.get_attribute("value") == control.get_attribute("max")
                control.send_keys(Keys.ARROW_LEFT if at_end else Keys.ARROW_RIGHT)
            after = driver.execute_script(STATIC_VIEWS)[number]
            assert after["visible"] == 1
            assert after["frame"] != before["frame"] and after["src"] != before["src"], (
                f"{notebook.stem}: moving a control did not change the frame")
            assert after["values"] != before["values"], "the control's value is not shown"
        play = view.find_elements("css selector", ".optlib-play")
        if play:
            start = driver.execute_script(STATIC_VIEWS)[number]["frame"]
            play[0].click()
            # a frame every 1 / fps seconds; a busy machine may delay the timer, so wait up to 10 s
            deadline = time.time() + 10
            moved = start
            while moved == start and time.time() < deadline:
                time.sleep(0.25)
                moved = driver.execute_script(STATIC_VIEWS)[number]["frame"]
            play[0].click()
            assert moved != start, f"{notebook.stem}: Play did not step through the frames"
            assert play[0].get_attribute("aria-pressed") == "false"
    assert not console_errors(driver), console_errors(driver)


# Contrast (WCAG 2) of the text of the book's own elements against what lies
# behind it: the nearest ancestor with an opaque background, else the page's.
CONTRASTS = """
const rgb = c => (c.match(/[\\d.]+/g) || []).map(Number);
const background = el => {
  for (let e = el; e; e = e.parentElement) {
    const c = rgb(getComputedStyle(e).backgroundColor);
    if (c.length >= 3 && (c.length === 3 || c[3] > 0.5)) { return c; }
  }
  return [255, 255, 255];
};
const luminance = c => {
  const [r, g, b] = c.slice(0, 3).map(v => {
    v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const selector = 'figure.optlib-static figcaption, .optlib-knob span, .optlib-knob output, ' +
                 '.optlib-knob select, .optlib-play, main figure figcaption';
return Array.from(document.querySelectorAll(selector)).filter(e => e.offsetParent !== null).map(e => {
  const fg = luminance(rgb(getComputedStyle(e).color)), bg = luminance(background(e));
  return {what: e.tagName.toLowerCase() + ' ' + e.textContent.trim().slice(0, 30),
          contrast: (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05),
          card: luminance(background(e))};
});
"""

# The backdrop of every figure image: the luminance of its own or its nearest
# ancestor's opaque background.
FIGURE_CARDS = CONTRASTS.split("const selector")[0] + """
return Array.from(document.querySelectorAll('.cell_output img')).filter(i => i.offsetParent !== null)
  .map(i => luminance(background(i)));
"""


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("notebook", chapter_paths(), ids=lambda p: p.stem)
def test_captions_and_controls_keep_their_contrast_in_light_and_dark_mode(reader, built_book, notebook,
                                                                        mode):
    html, _ = built_book
    reader.view(WIDTHS["wide"], mode)
    open_page(reader.driver, chapter_page(html, notebook))
    texts = reader.driver.execute_script(CONTRASTS)
    if notebook in fallback_chapters():
        assert any(t["what"].startswith(("output", "select")) for t in texts), \
            "no static-view control found"
    low = [t for t in texts if t["contrast"] < MIN_CONTRAST]
    assert not low, f"{notebook.stem} ({mode}): text below {MIN_CONTRAST}:1: {low}"
    if mode == "dark":
        # figures are light drawings: each sits on a light card, not on the dark page
        cards = reader.driver.execute_script(FIGURE_CARDS)
        assert cards and min(cards) > 0.5, f"{notebook.stem}: a figure on a dark backdrop {cards}"
