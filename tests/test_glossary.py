"""The glossary: every topic of the book defined, each linked to its chapter once the chapter exists."""
import re

import pytest

from book_layout import GLOSSARY, ROOT, chapter_paths, read_notebook, source


def glossary_entries():
    """{term: definition text} from the {glossary} directive of glossary.md (extra term lines included)."""
    text = (ROOT / "glossary.md").read_text()
    block = re.search(r"```\{glossary\}\n(.*?)\n```", text, re.S)
    assert block, "glossary.md has no {glossary} directive"
    entries, terms, body = {}, [], []
    for line in block.group(1).splitlines():
        if line.startswith(":") or not line.strip():
            continue
        if line[0].isspace():
            body.append(line.strip())
            continue
        if body:                                   # a new entry starts
            entries.update({t: " ".join(body) for t in terms})
            terms, body = [], []
        terms.append(line.strip())
    entries.update({t: " ".join(body) for t in terms})
    return entries


ENTRIES = glossary_entries()


def test_every_topic_of_the_book_is_defined():
    missing = [term for term in GLOSSARY if term not in ENTRIES]
    assert not missing, f"terms missing from the glossary: {missing}"
    assert len(GLOSSARY) == 37


@pytest.mark.parametrize("term", list(GLOSSARY))
def test_definition_is_a_paragraph(term):
    words = len(ENTRIES.get(term, "").split())
    assert 30 <= words <= 250, f"{term!r}: definition of {words} words"


@pytest.mark.parametrize("term, chapter", list(GLOSSARY.items()))
def test_term_links_to_its_chapter_exactly_when_the_chapter_exists(term, chapter):
    exists = (ROOT / "chapters" / f"{chapter}.ipynb").exists()
    linked = f"{{doc}}`chapters/{chapter}`" in ENTRIES.get(term, "")
    assert linked == exists, (f"{term!r}: chapter {'exists' if exists else 'does not exist yet'}, "
                              f"link {'present' if linked else 'absent'}")


def test_every_doc_link_in_the_glossary_points_to_a_file():
    for target in re.findall(r"\{doc\}`([^`<]+?)`", (ROOT / "glossary.md").read_text()):
        assert any((ROOT / f"{target}{s}").exists() for s in (".md", ".ipynb")), target


def test_every_term_role_in_the_chapters_names_a_defined_term():
    defined = {t.lower() for t in ENTRIES}
    for path in chapter_paths():
        text = "\n".join(source(c) for c in read_notebook(path)["cells"] if c["cell_type"] == "markdown")
        for role in re.findall(r"\{term\}`([^`]+)`", text):
            target = re.search(r"<([^>]+)>", role)
            name = (target.group(1) if target else role).strip().lower()
            assert name in defined, f"{path.name}: {{term}} {role!r} is not in the glossary"
