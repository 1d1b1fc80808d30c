"""Sphinx extension: write each inline script once per page.

Extensions that register an inline script (``add_js_file(None, body=...)``)
after the HTML builder has started, as sphinx-thebe and sphinx-togglebutton do,
end up listed twice under Sphinx 7.4: once with the file name ``None`` and once
with ``""``. Every page then declared ``const THEBE_JS_URL`` twice, and the
browser reported "Identifier 'THEBE_JS_URL' has already been declared".
"""


def drop_repeated_scripts(app, pagename, templatename, context, doctree):
    seen, kept = set(), []
    for script in context.get("script_files", []):
        key = (script.filename or "", tuple(sorted(script.attributes.items())))
        if key not in seen:
            seen.add(key)
            kept.append(script)
    context["script_files"] = kept


def setup(app):
    app.connect("html-page-context", drop_repeated_scripts)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
