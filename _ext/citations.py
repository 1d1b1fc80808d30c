"""Sphinx extension: author-year citations that read the same in the text and in the bibliography.

sphinxcontrib-bibtex formats the bibliography with a pybtex style, whose label
style gives each entry its label, and formats each citation in the text with a
reference style. Out of the box these disagree: the ``author_year`` reference
style writes "Duchi et al., 2011" in the text while the ``alpha`` label style
lists the entry as "[DHS11]", built from the raw BibTeX names (so that
``Doll{\\'a}r`` became "GDollarG+17").

This module registers three plugins, the way sphinxcontrib-bibtex documents it:

- the label style ``author_year``: "Duchi et al., 2011", "Nocedal and Wright,
  2006", "Bottou, 2012"; when two entries would get the same label, the years
  get a letter ("LeCun et al., 1998a" and "LeCun et al., 1998b"), as in natbib;
- the formatting style ``author_year``: pybtex's ``alpha`` (entries sorted by
  author, year and title) with those labels;
- the reference style ``author_year_label``: sphinxcontrib-bibtex's ``label``
  style, which cites an entry by its label, with "; " between the entries of one
  citation ("[Polyak and Juditsky, 1992; Ruppert, 1988]").

``_config.yml`` selects them with ``bibtex_default_style: author_year`` and
``bibtex_reference_style: author_year_label``. A parenthetical citation
(``{cite}`` in MyST, ``:cite:`` in a docstring) then shows exactly the label
that the bibliography shows. The book cites that way only: a textual citation
(``{cite:t}``) would print the names twice, "Duchi et al. [Duchi et al., 2011]",
and ``tests/test_citations.py`` fails on it.
"""
import dataclasses
from collections import Counter

import pybtex.plugin
from pybtex.richtext import Text
from pybtex.style.formatting import toplevel
from pybtex.style.formatting.alpha import Style as AlphaStyle
from pybtex.style.formatting.unsrt import date
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.template import field, join, optional, optional_field, sentence, tag

import sphinxcontrib.bibtex.plugin
from sphinxcontrib.bibtex.style.referencing import BracketStyle
from sphinxcontrib.bibtex.style.referencing.label import LabelReferenceStyle


def plain_text(latex):
    """A BibTeX field as the reader sees it: LaTeX accents decoded, grouping braces dropped."""
    return Text.from_latex(latex).render_as("text")


def surname(person):
    """The surname with its "von" part: "LeCun", "Ben Arous", "van der Maaten"."""
    return plain_text(" ".join(person.prelast_names + person.last_names))


def author_part(entry):
    """Who the label names: one author, two joined by "and", or the first one and "et al.".

    Falls back on the editors, then on the title, as the ``author_year`` reference
    style of sphinxcontrib-bibtex does.
    """
    persons = entry.persons.get("author") or entry.persons.get("editor")
    if not persons:
        return plain_text(entry.fields["title"])
    # "and others" in a BibTeX name list is a person called "others"
    if len(persons) >= 3 or str(persons[-1]) == "others":
        return f"{surname(persons[0])} et al."
    return " and ".join(surname(person) for person in persons)


class AuthorYearLabelStyle(BaseLabelStyle):
    """Labels "Surname, year", "Surname and Surname, year" or "Surname et al., year"."""

    def format_labels(self, sorted_entries):
        labels = [f"{author_part(entry)}, {entry.fields.get('year', 'n.d.')}" for entry in sorted_entries]
        # entries that share a label get a, b, ... after the year, in the bibliography's order
        total, seen = Counter(labels), Counter()
        for label in labels:
            if total[label] == 1:
                yield label
            else:
                yield label + "abcdefghijklmnopqrstuvwxyz"[seen[label]]
                seen[label] += 1


class AuthorYearStyle(AlphaStyle):
    """pybtex's ``alpha`` style (sorted by author, year, title) with author-year labels."""

    default_label_style = "author_year"

    def get_article_template(self, e):
        if "pages" in e.fields or "volume" not in e.fields:
            return super().get_article_template(e)
        # pybtex's article template drops the volume when the pages are unknown
        # (references.bib leaves out page ranges it is not sure of)
        volume = join[field("volume"), optional["(", field("number"), ")"]]
        return toplevel[
            self.format_names("author"),
            self.format_title(e, "title"),
            sentence[tag("em")[field("journal")], volume, date],
            sentence[optional_field("note")],
            self.format_web_refs(e),
        ]


def semicolon_brackets():
    return BracketStyle(sep="; ")


@dataclasses.dataclass
class AuthorYearLabelReferenceStyle(LabelReferenceStyle):
    """Cite by the entry's label, several entries separated by "; "."""

    bracket_parenthetical: BracketStyle = dataclasses.field(default_factory=semicolon_brackets)


def register_styles():
    """Make the three styles known to pybtex and sphinxcontrib-bibtex by name."""
    pybtex.plugin.register_plugin("pybtex.style.labels", "author_year", AuthorYearLabelStyle)
    pybtex.plugin.register_plugin("pybtex.style.formatting", "author_year", AuthorYearStyle)
    sphinxcontrib.bibtex.plugin.register_plugin(
        "sphinxcontrib.bibtex.style.referencing", "author_year_label", AuthorYearLabelReferenceStyle)


def setup(app):
    register_styles()
    return {"parallel_read_safe": True, "parallel_write_safe": True}
