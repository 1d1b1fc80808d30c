"""The built book in a real browser: headless Chromium opens pages from the file system.

Asserts what a reader would see: typeset math (no raw $$), every image loaded,
the widget's static fallback visible, and no error in the console. Screenshots
are written to _build/screenshots/. Without Chromium the tests skip, unless
OPTBOOK_REQUIRE_BROWSER=1 (set by .ci/run) demands them.
"""
import os
import shutil
import time

import pytest

from book_layout import ROOT, chapter_paths

SCREENSHOTS = ROOT / "_build" / "screenshots"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "chrome")


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


def test_index_page_renders(browser, built_book):
    html, result = built_book
    assert (html / "intro.html").exists(), result.stdout[-2000:]
    check_page(browser, html / "intro.html", "index")
    assert browser.find_elements("css selector", "mjx-container"), "no typeset math on the index page"


@pytest.mark.parametrize("notebook", chapter_paths(), ids=lambda p: p.stem)
def test_chapter_page_renders_with_math_figures_and_static_fallback(browser, built_book, notebook):
    html, _ = built_book
    page = html / notebook.relative_to(ROOT).with_suffix(".html")
    check_page(browser, page, notebook.stem)
    assert len(browser.find_elements("css selector", "mjx-container")) >= 3, "math is not typeset"
    figures = browser.execute_script(
        "return Array.from(document.querySelectorAll('.cell_output img'))"
        ".filter(i => i.complete && i.naturalWidth > 0).length")
    assert figures >= 2, f"only {figures} figures loaded"
    fallback = browser.find_element("css selector", "figure.optlib-static")
    browser.execute_script("arguments[0].scrollIntoView()", fallback)
    assert fallback.is_displayed() and fallback.size["height"] > 100, "static fallback not visible"
    frame = fallback.find_element("css selector", "img")
    assert browser.execute_script("return arguments[0].naturalWidth", frame) > 0
    assert frame.get_attribute("alt"), "the fallback has no alt text"
    browser.save_screenshot(str(SCREENSHOTS / f"{notebook.stem}-widget.png"))
