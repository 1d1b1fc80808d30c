"""Sphinx extension: tidy the scripts of each page.

- Write each inline script once. Extensions that register an inline script
  (``add_js_file(None, body=...)``) after the HTML builder has started, as
  sphinx-thebe and sphinx-togglebutton do, end up listed twice under Sphinx 7.4
  (once with the file name ``None``, once with ``""``): every page declared
  ``const THEBE_JS_URL`` twice and the browser reported "Identifier
  'THEBE_JS_URL' has already been declared".
- Leave out the ipywidgets state that a freshly executed notebook carries: the
  book loads no widget manager (pages show each widget's static fallback), so
  nothing would read it.
"""

WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def tidy_scripts(app, pagename, templatename, context, doctree):
    seen, kept = set(), []
    for script in context.get("script_files", []):
        key = (script.filename or "", tuple(sorted(script.attributes.items())))
        if key in seen or script.attributes.get("type") == WIDGET_STATE:
            continue
        seen.add(key)
        kept.append(script)
    context["script_files"] = kept


def setup(app):
    app.connect("html-page-context", tidy_scripts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
