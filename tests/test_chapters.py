"""Every chapter notebook: saved from a clean run, and built to the chapter anatomy of design/book.md.

These checks read the stored notebooks; nbval (run on the same files) re-executes them.
"""
import re

import pytest

from book_layout import (PARTS, ROOT, SECTIONS, chapter_paths, config, read_notebook, source,
                         toc_files)
from optlib.viz.explore import MAX_FRAMES

CHAPTERS = chapter_paths()
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
IMAGE_TYPES = ("image/png", "image/svg+xml", "image/jpeg")
#: The longest line of code that the book's column shows without scrolling sideways. On a
#: page 1280 px wide a code block holds 640 px of 14-px monospace, 8.43 px a character:
#: 75 characters; a folded (hide-input, hide-cell) block 622 px, 73 characters.
MAX_LINE = 73
#: A chapter is stored with its outputs; every figure is in the repository.
MAX_NOTEBOOK_BYTES = 1_000_000


def chapter_id(path):
    return path.relative_to(ROOT / "chapters").with_suffix("").as_posix()


def sections(nb):
    """{level-2 heading: [its cell and the cells up to the next level-2 heading]}, in notebook order."""
    found, current = {}, None
    for cell in nb["cells"]:
        heading = re.match(r"##\s+(.+?)\s*$", source(cell).split("\n", 1)[0])
        if cell["cell_type"] == "markdown" and heading:
            current = heading.group(1)
            found[current] = []
        if current is not None:
            found[current].append(cell)
    return found


def code_cells(cells):
    return [c for c in cells if c["cell_type"] == "code"]


def outputs(cells):
    return [o for c in code_cells(cells) for o in c.get("outputs", [])]


def tags(cell):
    return cell.get("metadata", {}).get("tags", [])


@pytest.fixture(params=CHAPTERS, ids=chapter_id)
def chapter(request):
    return request.param, read_notebook(request.param)


def test_there_is_at_least_one_chapter():
    assert CHAPTERS, "no notebooks under chapters/"


def test_every_chapter_has_its_fixed_place_and_is_in_the_toc():
    allowed = {f"{part}/{name}" for part, names in PARTS.items() for name in names}
    listed = set(toc_files())
    for path in CHAPTERS:
        assert chapter_id(path) in allowed, f"{chapter_id(path)} is not a chapter of design/book.md"
        assert f"chapters/{chapter_id(path)}" in listed, f"{chapter_id(path)} is missing from _toc.yml"


def test_every_toc_entry_exists():
    for entry in toc_files():
        assert any((ROOT / f"{entry}{suffix}").exists() for suffix in (".md", ".ipynb")), entry


def test_saved_from_a_clean_top_to_bottom_run(chapter):
    path, nb = chapter
    counts = [c.get("execution_count") for c in code_cells(nb["cells"]) if source(c).strip()]
    assert counts == list(range(1, len(counts) + 1)), (
        f"{path.name}: execution counts {counts}; re-run the notebook from a fresh kernel and save it")


def test_no_error_or_warning_output_is_stored(chapter):
    path, nb = chapter
    for cell in code_cells(nb["cells"]):
        for out in cell.get("outputs", []):
            assert out["output_type"] != "error", f"{path.name}: error output in cell\n{source(cell)}"
            assert not (out["output_type"] == "stream" and out["name"] == "stderr"), (
                f"{path.name}: stderr output (a warning?) stored in cell\n{source(cell)}")


def test_no_widget_state_is_stored(chapter):
    path, nb = chapter
    assert "widgets" not in nb["metadata"], (
        f"{path.name}: widget state stored in the notebook metadata; the book would embed it "
        "(run `make execute`, which does not store it)")


def test_first_code_cell_installs_optlib_when_missing(chapter):
    path, nb = chapter
    first = source(code_cells(nb["cells"])[0])
    url = config()["repository"]["url"]
    assert "import optlib" in first and "except ImportError" in first, f"{path.name}: no guarded install cell"
    assert f"git+{url}" in first, f"{path.name}: the install cell must use the repository URL {url}"


def test_imports_optlib_without_path_edits(chapter):
    path, nb = chapter
    code = "\n".join(source(c) for c in code_cells(nb["cells"]))
    assert "sys.path" not in code
    assert re.search(r"^\s*(import optlib|from optlib)", code, re.M)


def test_sections_are_the_chapter_anatomy_in_order(chapter):
    path, nb = chapter
    markdown = [c for c in nb["cells"] if c["cell_type"] == "markdown"]
    assert source(markdown[0]).startswith("# "), f"{path.name}: the first markdown cell is the title"
    assert list(sections(nb)) == SECTIONS, f"{path.name}: level-2 headings {list(sections(nb))}"


def test_definition_writes_out_the_mathematics(chapter):
    path, nb = chapter
    text = "\n".join(source(c) for c in sections(nb)["Definition"] if c["cell_type"] == "markdown")
    assert re.search(r"\$\$|\\begin\{", text), f"{path.name}: no display math in the definition"


def test_build_it_has_code(chapter):
    path, nb = chapter
    assert code_cells(sections(nb)["Build it"]), f"{path.name}: 'Build it' has no code"


def html_of(out):
    return "".join(out.get("data", {}).get("text/html", ""))


def is_figure(out):
    """An image output, or the HTML of a figure of panels (optlib.viz.panels)."""
    return any(k in out.get("data", {}) for k in IMAGE_TYPES) or 'class="optlib-panels"' in html_of(out)


def test_see_it_shows_a_figure_and_every_figure_has_alt_text(chapter):
    path, nb = chapter
    assert any(is_figure(o) for o in outputs(sections(nb)["See it"])), f"{path.name}: 'See it' stores no figure"
    for cell in code_cells(nb["cells"]):
        if any(k in o.get("data", {}) for o in cell.get("outputs", []) for k in IMAGE_TYPES):
            alt = cell["metadata"].get("mystnb", {}).get("image", {}).get("alt", "")
            assert len(alt) > 20, f"{path.name}: figure without alt text in cell\n{source(cell)[:200]}"
        for out in cell.get("outputs", []):
            if WIDGET_VIEW in out.get("data", {}) or 'class="optlib-panels"' not in html_of(out):
                continue
            # a figure of panels is one image for a screen reader: viz.panels(fig, n, alt=...)
            labels = re.findall(r'class="optlib-panels"[^>]*(?:aria-label|alt)="([^"]*)"', html_of(out))
            labels += re.findall(r'<img [^>]*alt="([^"]*)"', html_of(out))
            assert max(map(len, labels), default=0) > 20, (
                f"{path.name}: a figure of panels without alt text in cell\n{source(cell)[:200]}")


def test_no_figure_repr_or_address_in_text_outputs(chapter):
    path, nb = chapter
    for out in outputs(nb["cells"]):
        data = out.get("data", {})
        shown_as_text = not any(k in data for k in (*IMAGE_TYPES, "text/html"))
        text = "".join(out.get("text", "")) + ("".join(data.get("text/plain", "")) if shown_as_text else "")
        assert not re.search(r"<Figure size|<matplotlib\.|object at 0x", text), f"{path.name}: {text[:120]}"


def test_play_with_it_has_a_widget_with_its_static_fallback_in_one_output(chapter):
    path, nb = chapter
    widget_cells = [c for c in code_cells(sections(nb)["Play with it"]) if "widget" in tags(c)]
    assert widget_cells, f"{path.name}: no code cell tagged 'widget' in 'Play with it'"
    for cell in widget_cells:
        shown = [o for o in cell["outputs"] if WIDGET_VIEW in o.get("data", {})]
        assert len(shown) == 1, f"{path.name}: the widget cell must display one explore() result"
        fallback = shown[0]["data"].get("text/html", "")
        fallback = "".join(fallback)
        assert 'class="optlib-static"' in fallback and 'alt="' in fallback, f"{path.name}: no static fallback"
        frames = fallback.count('class="optlib-frame"') or fallback.count("<img")
        assert 1 <= frames <= MAX_FRAMES, f"{path.name}: the static view holds {frames} frames"


def test_check_it_asserts_and_prints_checked_numbers(chapter):
    path, nb = chapter
    cells = code_cells(sections(nb)["Check it"])
    assert any(re.search(r"^\s*assert\b", source(c), re.M) for c in cells), f"{path.name}: no assert"
    checked = [c for c in code_cells(nb["cells"]) if source(c).startswith("# NBVAL_CHECK_OUTPUT")]
    assert checked, f"{path.name}: no cell starting with '# NBVAL_CHECK_OUTPUT'"
    for cell in checked:
        assert cell["outputs"], f"{path.name}: a checked cell has no stored output"
        for out in cell["outputs"]:
            assert out["output_type"] == "stream" and out["name"] == "stdout", (
                f"{path.name}: checked cells print numbers and words only, got {out['output_type']}")


def test_in_practice_cites_and_links(chapter):
    path, nb = chapter
    text = "\n".join(source(c) for c in sections(nb)["In practice"] if c["cell_type"] == "markdown")
    assert "{cite}" in text, f"{path.name}: 'In practice' cites no paper"
    assert "{term}" in text or "{doc}" in text, f"{path.name}: 'In practice' links no related chapter"


def test_exercises_have_folded_solutions(chapter):
    path, nb = chapter
    cells = sections(nb)["Exercises"]
    starts = [i for i, c in enumerate(cells)
              if c["cell_type"] == "markdown" and re.match(r"###\s+Exercise\s+\d", source(c))]
    assert len(starts) >= 2, f"{path.name}: {len(starts)} exercises, at least 2 expected"
    for begin, end in zip(starts, starts[1:] + [len(cells)]):
        title = source(cells[begin]).splitlines()[0]
        solutions = [c for c in cells[begin:end] if "solution" in tags(c)]
        assert solutions, f"{path.name}: {title} has no cell tagged 'solution'"
        for cell in solutions:
            if cell["cell_type"] == "code":
                assert {"hide-cell", "hide-input"} & set(tags(cell)), f"{path.name}: {title} solution not folded"
                assert cell["metadata"].get("jupyter", {}).get("source_hidden"), (
                    f"{path.name}: {title} solution code is not collapsed in Jupyter")
            else:
                assert ":class: dropdown" in source(cell), f"{path.name}: {title} solution not in a dropdown"


def test_every_exercise_has_a_code_cell_for_the_readers_attempt(chapter):
    path, nb = chapter
    cells = sections(nb)["Exercises"]
    starts = [i for i, c in enumerate(cells)
              if c["cell_type"] == "markdown" and re.match(r"###\s+Exercise\s+\d", source(c))]
    for begin, end in zip(starts, starts[1:] + [len(cells)]):
        title = source(cells[begin]).splitlines()[0]
        attempts = [c for c in code_cells(cells[begin:end])
                    if not {"solution", "self-check"} & set(tags(c))]
        assert attempts, f"{path.name}: {title} has no code cell for the reader's own attempt"


def test_code_and_printed_lines_fit_the_column(chapter):
    path, nb = chapter
    for cell in code_cells(nb["cells"]):
        printed = "".join("".join(o.get("text", "")) for o in cell.get("outputs", [])
                          if o["output_type"] == "stream")
        for line in source(cell).splitlines() + printed.splitlines():
            assert len(line) <= MAX_LINE, (
                f"{path.name}: a line of {len(line)} characters scrolls sideways in the book "
                f"(at most {MAX_LINE}):\n{line}")


def test_notebook_is_small_enough_to_store_with_its_figures(chapter):
    path, _ = chapter
    size = path.stat().st_size
    assert size < MAX_NOTEBOOK_BYTES, (
        f"{path.name} is {size / 1e6:.2f} MB with its outputs; draw fewer or smaller frames")


def test_uses_glossary_terms(chapter):
    path, nb = chapter
    text = "\n".join(source(c) for c in nb["cells"] if c["cell_type"] == "markdown")
    assert "{term}" in text, f"{path.name}: no {{term}} reference to the glossary"
