"""Sphinx extension: the role ``:chapter:`<part>/<name>``` names a chapter of the book.

The book grows one chapter at a time, and the library's docstrings name the
chapters that teach each function before those chapters are written. The role
keeps every such mention honest:

- when the chapter's notebook is part of the book, it renders a link to the
  chapter, showing the chapter's title ("Taught in :chapter:`03_landscape/error_surface`."
  reads "Taught in Error surface.", the title a link);
- when it is not written yet, it renders the chapter's planned title in italics
  followed by "(in preparation)";
- a name that is not a chapter of the book is a build warning (an error under -W).

``:chapter:`other words <part/name>``` shows other words instead of the title. In
MyST Markdown the role is written ``{chapter}`part/name```.

Rendered references sit in an element of class ``chapter-ref``, with a class that
names the chapter (``chapter-05-second-order-bfgs``) and the class ``in-preparation``
when the chapter is not written; the book's tests look for them.
"""
from docutils import nodes
from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.docutils import ReferenceRole

logger = logging.getLogger(__name__)

#: every chapter of the book (part folder/notebook name), in reading order, with its
#: planned title: the glossary term it teaches (design/book.md; tests/book_layout.py
#: holds the same list, and a test checks that the two agree)
CHAPTERS = {
    "01_differentiation/automatic_differentiation": "Automatic differentiation",
    "01_differentiation/backpropagation": "Backpropagation",
    "01_differentiation/bptt": "Backpropagation through time",
    "02_training/epoch": "Epoch",
    "02_training/batch_size": "Batch size",
    "02_training/learning_rate": "Learning rate",
    "02_training/learning_rate_decay": "Learning rate decay",
    "02_training/cosine_decay": "Cosine decay",
    "02_training/momentum": "Momentum",
    "02_training/early_stopping": "Early stopping",
    "02_training/curriculum_learning": "Curriculum learning",
    "02_training/end_to_end": "End-to-end learning",
    "02_training/polyak_averaging": "Polyak averaging",
    "03_landscape/error_surface": "Error surface",
    "03_landscape/saddle_points": "Saddle point",
    "03_landscape/saturation": "Saturation",
    "03_landscape/vanishing_gradients": "Vanishing gradient",
    "03_landscape/exploding_gradients": "Exploding gradient",
    "03_landscape/gradient_clipping": "Gradient clipping",
    "03_landscape/depth": "Depth",
    "04_first_order/optimizers": "Optimizer",
    "04_first_order/nesterov": "Nesterov momentum",
    "04_first_order/adagrad": "AdaGrad",
    "04_first_order/adadelta": "AdaDelta",
    "04_first_order/rmsprop": "RMSProp",
    "04_first_order/adam": "Adam",
    "04_first_order/asgd": "Averaged stochastic gradient descent",
    "04_first_order/coordinate_descent": "Coordinate descent",
    "04_first_order/subgradient_method": "Subgradient method",
    "05_second_order/newtons_method": "Newton's method",
    "05_second_order/bfgs": "BFGS",
    "05_second_order/conjugate_gradient": "Conjugate gradient",
    "05_second_order/krylov_subspace_descent": "Krylov subspace descent",
    "05_second_order/natural_gradient": "Natural gradient",
    "06_distributed/distributed_training": "Distributed training",
    "06_distributed/synchronous_sgd": "Synchronous SGD",
    "06_distributed/asynchronous_sgd": "Asynchronous SGD",
}


class ChapterRole(ReferenceRole):
    def run(self):
        chapter = self.target.strip()
        if chapter not in CHAPTERS:
            logger.warning("unknown chapter %r in :chapter: (expected <part>/<name>, one of the book's "
                           "chapters, e.g. '03_landscape/error_surface')", self.target,
                           location=self.get_location(), type="chapter", subtype="unknown")
            return [nodes.literal(self.rawtext, self.rawtext)], []
        chapters_named(self.env, self.env.docname).add(chapter)
        docname = f"chapters/{chapter}"
        if docname in self.env.found_docs:
            # a cross-reference to the document: Sphinx fills in the chapter's own title
            link = addnodes.pending_xref(self.rawtext, refdomain="std", reftype="doc",
                                         reftarget=f"/{docname}", refexplicit=self.has_explicit_title,
                                         refwarn=True, refdoc=self.env.docname)
            link += nodes.inline(self.title, self.title)
            return [nodes.inline("", "", link, classes=["chapter-ref", chapter_class(chapter)])], []
        # the planned title in italics, as a book's title is written, and the mark after it
        # (a no-break space keeps "(in preparation)" on one line)
        title = self.title if self.has_explicit_title else CHAPTERS[chapter]
        mark = nodes.inline("", "", nodes.emphasis(title, title), nodes.Text(" (in\u00a0preparation)"),
                            classes=["chapter-ref", chapter_class(chapter), "in-preparation"])
        return [mark], []


def chapter_class(chapter):
    """The HTML class that names the chapter a reference is to: "chapter-05-second-order-bfgs"."""
    return nodes.make_id(f"chapter-{chapter}")


def chapters_named(env, docname):
    """The chapters that the document *docname* names with the role (kept in the environment)."""
    if not hasattr(env, "optbook_chapters_named"):
        env.optbook_chapters_named = {}
    return env.optbook_chapters_named.setdefault(docname, set())


def reread_when_chapters_change(app, env, added, changed, removed):
    """A page that names a chapter is read again when that chapter appears or disappears,
    so that "(in preparation)" becomes a link (and back) without a full rebuild."""
    arrived_or_left = {name.removeprefix("chapters/") for name in added | removed}
    return [docname for docname, named in getattr(env, "optbook_chapters_named", {}).items()
            if named & arrived_or_left]


def forget_document(app, env, docname):
    getattr(env, "optbook_chapters_named", {}).pop(docname, None)


def merge_parallel_reads(app, env, docnames, other):
    for docname in docnames:
        if docname in getattr(other, "optbook_chapters_named", {}):
            chapters_named(env, docname).update(other.optbook_chapters_named[docname])


def setup(app):
    app.add_role("chapter", ChapterRole())
    app.connect("env-get-outdated", reread_when_chapters_change)
    app.connect("env-purge-doc", forget_document)
    app.connect("env-merge-info", merge_parallel_reads)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
