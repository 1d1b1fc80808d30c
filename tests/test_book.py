"""The book builds from the stored notebook outputs with no warning, and every page is sound."""
import re

from book_layout import ROOT, toc_files, chapter_paths

WIDGET_SCRIPTS = ("@jupyter-widgets/html-manager", "embed-amd", "application/vnd.jupyter.widget-view+json",
                  "application/vnd.jupyter.widget-state+json")


def test_book_builds_without_warnings(built_book):
    html, result = built_book
    log = result.stdout + result.stderr
    warnings = [line for line in log.splitlines() if "WARNING" in line or "ERROR" in line]
    assert result.returncode == 0 and not warnings, "\n".join(warnings) or log[-3000:]


def test_every_toc_entry_has_a_page(built_book):
    html, _ = built_book
    missing = [entry for entry in toc_files() if not (html / f"{entry}.html").exists()]
    assert not missing, f"no HTML page for {missing}"


def test_no_page_shows_an_error_traceback(built_book):
    html, _ = built_book
    for page in html.rglob("*.html"):
        text = page.read_text(errors="replace")
        assert "Traceback (most recent call last)" not in text, page.relative_to(html)
        assert not re.search(r'class="[^"]*\b(output|cell_output)\b[^"]*\berror\b', text), page


def test_chapter_pages_load_no_widget_javascript(built_book):
    html, _ = built_book
    for notebook in chapter_paths():
        page = html / notebook.relative_to(ROOT).with_suffix(".html")
        text = page.read_text()
        found = [marker for marker in WIDGET_SCRIPTS if marker in text]
        assert not found, f"{page.name} carries widget code: {found}"
        assert "optlib-static" in text, f"{page.name} lacks the widget's static fallback"
        assert "VBox(children" not in text and "interactive(children" not in text


def test_math_is_typeset_from_a_local_mathjax(built_book):
    html, _ = built_book
    assert (html / "_static" / "mathjax" / "tex-chtml.js").exists()
    intro = (html / "intro.html").read_text()
    assert re.search(r'src="_static/mathjax/tex-chtml\.js(\?v=\w+)?"', intro)
    assert "cdn.jsdelivr.net/npm/mathjax" not in intro


def test_pages_declare_each_inline_script_once(built_book):
    html, _ = built_book
    for page in [html / "intro.html", *html.glob("chapters/*/*.html")]:
        text = page.read_text()
        assert text.count("const THEBE_JS_URL") == 1, page.name


def test_launch_buttons_point_at_the_repository(built_book):
    html, _ = built_book
    from book_layout import config
    url = config()["repository"]["url"]
    owner_repo = url.split("github.com/")[1]
    for notebook in chapter_paths():
        page = (html / notebook.relative_to(ROOT).with_suffix(".html")).read_text()
        path = notebook.relative_to(ROOT).as_posix()
        assert f"mybinder.org/v2/gh/{owner_repo}/main?urlpath=lab/tree/{path}" in page.replace("&amp;", "&")
        assert f"colab.research.google.com/github/{owner_repo}/blob/main/{path}" in page
        assert "btn-launch-thebe" in page and "btn-download-source-button" in page
