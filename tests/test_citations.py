"""Citations: author-year labels in the text and in the bibliography alike, every name spelled right.

Two levels: every entry of references.bib formatted with the book's pybtex style (so entries that no page
cites yet are checked too), and the built bibliography page with the citations of every built page.
"""
import re

import pytest
from bs4 import BeautifulSoup
from pybtex.backends.plaintext import Backend
from pybtex.database import parse_file

from book_layout import ROOT, extension

citations = extension("citations")
citations.register_styles()

BIB = parse_file(ROOT / "references.bib")
FORMATTED = {entry.key: entry for entry in citations.AuthorYearStyle().format_entries(BIB.entries.values())}

#: what is left when LaTeX leaks into rendered text: a command, a brace, a backslash, a tie
LATEX_RESIDUE = re.compile(r"[\\{}~$]")
#: "Surname, 2011", "Surname and Surname, 2006", "Surname et al., 1998a" (surnames may hold spaces,
#: hyphens, apostrophes and accented letters)
SURNAME = r"[^\W\d_][\w'’. -]*"
LABEL = re.compile(rf"{SURNAME}( and {SURNAME}| et al\.)?, (\d{{4}}|n\.d\.)[a-z]?")


def text(key):
    return FORMATTED[key].text.render(Backend())


def test_names_in_references_bib_are_written_in_unicode_not_latex():
    for key, entry in BIB.entries.items():
        for role, persons in entry.persons.items():
            for person in persons:
                assert not LATEX_RESIDUE.search(str(person)), f"{key}: {role} {str(person)!r}"


@pytest.mark.parametrize("key", list(BIB.entries))
def test_every_entry_renders_without_latex_residue(key):
    entry = FORMATTED[key]
    assert not LATEX_RESIDUE.search(entry.label), f"{key}: label {entry.label!r}"
    assert not LATEX_RESIDUE.search(text(key)), f"{key}: {text(key)!r}"


@pytest.mark.parametrize("key", list(BIB.entries))
def test_every_label_is_author_year(key):
    assert LABEL.fullmatch(FORMATTED[key].label), f"{key}: label {FORMATTED[key].label!r}"


def test_labels_are_unique():
    labels = [entry.label for entry in FORMATTED.values()]
    assert len(set(labels)) == len(labels), sorted(label for label in labels if labels.count(label) > 1)


@pytest.mark.parametrize("key, label", [
    ("duchi2011", "Duchi et al., 2011"),                 # three authors
    ("nocedal2006", "Nocedal and Wright, 2006"),         # two
    ("shor1985", "Shor, 1985"),                          # one
    ("dauphin2014", "Dauphin et al., 2014"),             # was [DPGulccehre+14]
    ("goyal2017", "Goyal et al., 2017"),                 # was [GDollarG+17]
    ("more1981", "Moré et al., 1981"),                   # an accent in the first surname
    ("polak1969", "Polak and Ribière, 1969"),
    ("sergeev2018", "Sergeev and Del Balso, 2018"),      # a surname of two words
    ("shalevshwartz2011", "Shalev-Shwartz et al., 2011"),
    ("lecun1998b", "LeCun et al., 1998a"),               # same authors-and-year: a letter each,
    ("lecun1998", "LeCun et al., 1998b"),                # in the bibliography's (alphabetical) order
])
def test_label_of(key, label):
    assert FORMATTED[key].label == label


@pytest.mark.parametrize("key, name", [
    ("dauphin2014", "Çağlar Gülçehre"), ("goyal2017", "Piotr Dollár"), ("lecun1998", "Klaus-Robert Müller"),
    ("baydin2018", "Atılım Güneş Baydin"), ("mikolov2012", "Tomáš Mikolov"),
    ("choromanska2015", "Gérard Ben Arous"), ("muhlenbein1991", "Heinz Mühlenbein"),
])
def test_accented_names_are_spelled_right(key, name):
    assert name in text(key)


@pytest.mark.parametrize("key", [k for k, e in BIB.entries.items() if e.type == "article" and "volume" in e.fields])
def test_an_articles_volume_is_shown_even_without_pages(key):
    assert re.search(rf"\b{re.escape(BIB.entries[key].fields['volume'])}\b", text(key)), text(key)


@pytest.mark.parametrize("key", [k for k, e in BIB.entries.items() if "eprint" in e.fields])
def test_an_arxiv_number_is_given_once(key):
    assert text(key).count(BIB.entries[key].fields["eprint"]) == 1, text(key)


def test_and_others_becomes_et_al_in_a_label():
    from pybtex.database import Entry, Person
    entry = Entry("article", fields={"title": "T", "year": "2000"},
                  persons={"author": [Person("Smith, Ann"), Person("others")]})
    assert list(citations.AuthorYearLabelStyle().format_labels([entry])) == ["Smith et al., 2000"]


# ---------------------------------------------------------------------------------------------------------
# The built book
# ---------------------------------------------------------------------------------------------------------

def bibliography_labels(html):
    """{citation id: label} of the built bibliography page."""
    page = BeautifulSoup((html / "bibliography.html").read_text(), "html.parser")
    labels = {}
    for citation in page.select('div.citation[role="doc-biblioentry"]'):
        label = citation.select_one("span.label")
        for bracket in label.select("span.fn-bracket"):
            bracket.extract()
        labels[citation["id"]] = label.get_text()
    return labels


def test_the_bibliography_page_shows_author_year_labels(built_book):
    html, _ = built_book
    labels = bibliography_labels(html)
    assert len(labels) >= 20, "the bibliography page lists almost nothing"
    bad = [label for label in labels.values() if not LABEL.fullmatch(label) or LATEX_RESIDUE.search(label)]
    assert not bad, f"mangled labels: {bad}"
    assert len(set(labels.values())) == len(labels)


def test_the_bibliography_page_spells_names_without_latex(built_book):
    html, _ = built_book
    page = BeautifulSoup((html / "bibliography.html").read_text(), "html.parser")
    for citation in page.select('div.citation[role="doc-biblioentry"]'):
        entry = citation.get_text(" ", strip=True)
        assert not LATEX_RESIDUE.search(entry), entry


def test_every_citation_in_the_text_reads_as_its_bibliography_label(built_book):
    html, _ = built_book
    labels = bibliography_labels(html)
    checked = 0
    for path in html.rglob("*.html"):
        page = BeautifulSoup(path.read_text(), "html.parser")
        for citation in page.select("span.bibtex-citation"):
            assert citation.get_text().startswith("[") and citation.get_text().endswith("]"), citation
            for link in citation.select("a"):
                target = link["href"].split("#")[-1]
                assert link["href"].split("#")[0].endswith("bibliography.html"), link["href"]
                assert link.get_text() == labels[target], (path.relative_to(html), link.get_text(), labels[target])
                checked += 1
    assert checked >= 20, f"only {checked} citations found in the built pages"
