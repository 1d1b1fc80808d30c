"""The book builds from the stored notebook outputs with no warning, and every page is sound."""
import ast
import os
import re
import subprocess
import sys

from bs4 import BeautifulSoup

from book_layout import GLOSSARY, PARTS, ROOT, chapter_paths, extension, read_notebook, source, toc_files

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


# ---------------------------------------------------------------------------------------------------------
# Chapter references: the :chapter: role of _ext/chapter_links.py
# ---------------------------------------------------------------------------------------------------------

CHAPTER_ROLE = re.compile(r":chapter:`([^`]*)`")
MYST_CHAPTER_ROLE = re.compile(r"\{chapter\}`([^`]*)`")
#: a chapter named as plain text: a path under chapters/, or "the chapter(s) *Title*" / "chapter "Title""
PLAIN_CHAPTER_PATH = re.compile(r"chapters/\w+")
PLAIN_CHAPTER_TITLE = re.compile(r"\bchapters?\s+(\*[^*\n]+\*|\"[^\"\n]+\"|“[^”\n]+”)", re.IGNORECASE)
#: ... or "the chapter (on) Title" with a chapter's title, not set off at all
PLAIN_CHAPTER_NAME = re.compile(r"\bchapters?\s+(?:on\s+)?(?:%s)\b" % "|".join(map(re.escape, GLOSSARY)),
                                re.IGNORECASE)


def role_target(text):
    """The part/name of a role's text, ``part/name`` or ``words <part/name>``."""
    explicit = re.fullmatch(r"(?s).*<([^>]*)>", text)
    return (explicit.group(1) if explicit else text).strip()


def optlib_docstrings():
    """(file, line, text) of every docstring in optlib: modules, classes, functions, and the strings
    and ``#:`` comments that document attributes (autodoc shows all of them)."""
    for path in sorted((ROOT / "optlib").rglob("*.py")):
        source = path.read_text()
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) \
                    and isinstance(node.value.value, str):
                yield path.relative_to(ROOT).as_posix(), node.lineno, node.value.value
        for number, line in enumerate(source.splitlines(), 1):
            if line.strip().startswith("#:"):
                yield path.relative_to(ROOT).as_posix(), number, line.strip()[2:]


def api_module_docstrings():
    """The docstrings of the modules that the API pages document (``automodule:: optlib.x``)."""
    for page in sorted((ROOT / "api").glob("*.md")):
        for module in re.findall(r"automodule:: (optlib[\w.]*)", page.read_text()):
            base = ROOT / module.replace(".", "/")
            path = base / "__init__.py" if (base / "__init__.py").exists() else base.with_suffix(".py")
            yield ast.get_docstring(ast.parse(path.read_text())) or ""


def book_chapters():
    return [f"{part}/{name}" for part, names in PARTS.items() for name in names]


def chapter_title(chapter):
    """The title of a written chapter: the first line of its notebook, "# Title"."""
    first = source(read_notebook(ROOT / "chapters" / f"{chapter}.ipynb")["cells"][0]).splitlines()[0]
    return first.removeprefix("# ").strip()


def test_every_chapter_role_in_the_docstrings_names_a_chapter_of_the_book():
    chapters = set(book_chapters())
    unknown = [f"{path}:{line}: {target!r}" for path, line, text in optlib_docstrings()
               for target in map(role_target, CHAPTER_ROLE.findall(text)) if target not in chapters]
    assert not unknown, "\n".join(unknown)


def test_no_docstring_names_a_chapter_as_plain_text():
    plain = []
    for path, line, text in optlib_docstrings():
        outside_roles = CHAPTER_ROLE.sub("", text)
        for pattern in (PLAIN_CHAPTER_PATH, PLAIN_CHAPTER_TITLE, PLAIN_CHAPTER_NAME):
            for match in pattern.finditer(outside_roles):
                plain.append(f"{path}:{line + outside_roles[:match.start()].count(chr(10))}: {match.group(0)!r}")
    assert not plain, ("write chapter references as :chapter:`<part>/<name>`:\n" + "\n".join(plain))


def test_the_roles_table_of_titles_is_the_books_list_of_chapters():
    titles = extension("chapter_links").CHAPTERS
    assert list(titles) == book_chapters()
    assert titles == {chapter: term for term, chapter in GLOSSARY.items()}


def test_the_introduction_names_every_chapter_in_order_by_the_role():
    named = [role_target(t) for t in MYST_CHAPTER_ROLE.findall((ROOT / "intro.md").read_text())]
    assert named == book_chapters()


def plain_quotes(text):
    """Text with the typographic apostrophes and quotes that Sphinx puts in made straight again,
    and no-break spaces made plain."""
    return text.translate(str.maketrans("‘’“”\u00a0", "''\"\" "))


def chapter_references(page):
    """The rendered :chapter: roles of a built page, as BeautifulSoup elements."""
    return BeautifulSoup(page.read_text(), "html.parser").select("span.chapter-ref")


def assert_chapter_reference_is_right(html, page, reference):
    """A written chapter is a link to its page, showing its title; any other shows "(in preparation)".

    Returns the chapter the reference is to, and whether it is a link."""
    chapter_links = extension("chapter_links")
    where = page.relative_to(html).as_posix()
    chapter = next((c for c in book_chapters() if chapter_links.chapter_class(c) in reference["class"]), None)
    assert chapter, f"{where}: a chapter reference without its chapter: {reference}"
    written = (ROOT / "chapters" / f"{chapter}.ipynb").exists()
    link = reference.find("a")
    if not written:
        assert link is None and "in-preparation" in reference["class"], (where, str(reference))
        assert plain_quotes(reference.get_text()).endswith(" (in preparation)"), (where, reference.get_text())
        return chapter, False
    assert link is not None and "in-preparation" not in reference["class"], (where, str(reference))
    target = (page.parent / link["href"].split("#")[0]).resolve()
    assert target == (html / "chapters" / f"{chapter}.html").resolve(), (where, link["href"])
    assert target.is_file(), f"{where}: the link {link['href']} leads nowhere"
    return chapter, True


def test_chapter_references_in_the_api_pages_link_the_written_chapters(built_book):
    html, _ = built_book
    linked = set()
    for page in sorted((html / "api").glob("*.html")):
        assert ":chapter:" not in page.read_text(), f"{page.name} shows an unrendered :chapter: role"
        for reference in chapter_references(page):
            chapter, is_link = assert_chapter_reference_is_right(html, page, reference)
            if is_link:
                linked.add(chapter)
    # every written chapter named in the docstring of a module that an API page documents is linked
    named = {role_target(t) for text in api_module_docstrings() for t in CHAPTER_ROLE.findall(text)}
    written = {c for c in named if (ROOT / "chapters" / f"{c}.ipynb").exists()}
    assert written <= linked, f"written chapters named in docstrings but not linked: {written - linked}"


def test_the_introduction_links_written_chapters_and_marks_the_others(built_book):
    html, _ = built_book
    results = [assert_chapter_reference_is_right(html, html / "intro.html", r)
               for r in chapter_references(html / "intro.html")]
    assert [chapter for chapter, _ in results] == book_chapters()
    written = {p.relative_to(ROOT / "chapters").with_suffix("").as_posix() for p in chapter_paths()}
    assert {chapter for chapter, is_link in results if is_link} == written
    for chapter in written:                 # a written chapter's link shows the chapter's own title
        link = BeautifulSoup((html / "intro.html").read_text(), "html.parser").select_one(
            f"span.{extension('chapter_links').chapter_class(chapter)} a")
        assert plain_quotes(link.get_text()) == chapter_title(chapter)


def build_small_book(folder, pages, chapters=(), fresh=False):
    """Build a small Sphinx project that uses the :chapter: role, with warnings as errors.

    *pages* maps a page name to its reStructuredText body; *chapters* lists the chapters
    (``part/name``) written in it, each a page titled "Written: part/name". Returns the
    HTML folder and the finished process.
    """
    source_dir, html = folder / "source", folder / "html"

    def write(name, text):
        # an unchanged file keeps its time stamp, so that Sphinx sees it as unchanged
        path = source_dir / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text() != text:
            path.write_text(text)

    for chapter in chapters:
        title = f"Written: {chapter}"
        write(f"chapters/{chapter}.rst", f"{title}\n{'=' * len(title)}\n\nA chapter.\n")
    for name, body in pages.items():
        write(f"{name}.rst", f"{name.title()}\n{'=' * len(name)}\n\n{body}\n")
    toctree = "\n".join(f"   {name}" for name in [*pages, *(f"chapters/{c}" for c in chapters)])
    write("index.rst", f"Index\n=====\n\n.. toctree::\n\n{toctree}\n")
    write("conf.py", f"import sys\nsys.path.insert(0, {str(ROOT / '_ext')!r})\nextensions = ['chapter_links']\n")
    result = subprocess.run([sys.executable, "-m", "sphinx", "-W", "-b", "html", *(["-E"] if fresh else []),
                             str(source_dir), str(html)], capture_output=True, text=True)
    return html, result


def test_chapter_role_links_a_written_chapter_and_marks_one_in_preparation(tmp_path):
    html, result = build_small_book(tmp_path, {"api": (
        "Taught in :chapter:`03_landscape/error_surface` and :chapter:`05_second_order/natural_gradient`;\n"
        "see also :chapter:`the surface <03_landscape/error_surface>`.")},
        chapters=["03_landscape/error_surface"])
    assert result.returncode == 0, result.stderr
    written, missing, explicit = chapter_references(html / "api.html")
    assert written.find("a")["href"] == "chapters/03_landscape/error_surface.html"
    assert written.get_text() == "Written: 03_landscape/error_surface"        # the chapter's own title
    assert missing.find("a") is None and plain_quotes(missing.get_text()) == "Natural gradient (in preparation)"
    assert missing.find("em").get_text() == "Natural gradient"
    assert "in-preparation" in missing["class"] and "in-preparation" not in written["class"]
    assert explicit.get_text() == "the surface" and explicit.find("a")["href"].endswith("error_surface.html")


def test_chapter_role_with_an_unknown_chapter_fails_the_build(tmp_path):
    _, result = build_small_book(tmp_path, {"api": "Taught in :chapter:`05_second_order/newton`."})
    assert result.returncode != 0
    assert "unknown chapter '05_second_order/newton'" in result.stderr


def test_a_page_naming_a_chapter_shows_the_link_once_the_chapter_is_written(tmp_path):
    pages = {"api": "Taught in :chapter:`04_first_order/adam`."}
    html, result = build_small_book(tmp_path, pages)
    assert result.returncode == 0, result.stderr
    assert plain_quotes(chapter_references(html / "api.html")[0].get_text()) == "Adam (in preparation)"
    html, result = build_small_book(tmp_path, pages, chapters=["04_first_order/adam"])   # incremental
    assert result.returncode == 0, result.stderr
    assert chapter_references(html / "api.html")[0].get_text() == "Written: 04_first_order/adam"


# ---------------------------------------------------------------------------------------------------------
# make lab
# ---------------------------------------------------------------------------------------------------------

def make_lab_command(*variables):
    """The command `make lab` would run (make -n prints it without running it)."""
    result = subprocess.run(["make", "-n", "lab", *variables], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return next(line.split() for line in result.stdout.splitlines() if "jupyter lab" in line)


def test_make_lab_passes_allow_root_only_when_run_as_root():
    assert "--allow-root" in make_lab_command("LAB_UID=0")
    assert "--allow-root" not in make_lab_command("LAB_UID=1000")
    assert ("--allow-root" in make_lab_command()) == (os.geteuid() == 0)


def test_make_lab_passes_extra_options_on():
    assert make_lab_command("LAB_ARGS=--no-browser --port=8890")[-2:] == ["--no-browser", "--port=8890"]
