"""Sphinx extension: repairs to the stock theme (pydata-sphinx-theme under
sphinx-book-theme), each found by the browser tests or the accessibility audit."""

import functools
from pathlib import Path

from bs4 import BeautifulSoup
from myst_nb.sphinx_ import HideCodeCellNode, depart_HideCellInput, visit_HideCellInput

# Copies of two theme components with their accessible names repaired; the
# comment at the top of each says what changed.
TEMPLATES = Path(__file__).parent / "theme_templates"


def use_repaired_templates(app, config):
    # Sphinx looks in templates_path before the theme's own folders.
    config.templates_path.insert(0, str(TEMPLATES))


def drop_repeated_scripts(app, pagename, templatename, context, doctree):
    # sphinx-thebe and sphinx-togglebutton register their inline configuration
    # scripts twice in Jupyter Book 1; the second `const THEBE_JS_URL` is a
    # JavaScript error on every page.
    seen, scripts = set(), []
    for script in context.get("script_files", []):
        attributes = getattr(script, "attributes", {})
        # The copies differ only in `filename`: None in one, "" in the other.
        key = (getattr(script, "filename", script) or None, tuple(sorted(attributes.items())))
        if key not in seen:
            seen.add(key)
            scripts.append(script)
    context["script_files"] = scripts


def name_section_toggles(html):
    """Give each empty ``<summary>`` of the sidebar (a chevron that opens a
    section's pages) a name that a screen reader can say.

    :param html: the sidebar's HTML, as text or parsed by BeautifulSoup
    :returns: the repaired HTML, as text
    """
    soup = BeautifulSoup(str(html), "html.parser")
    for summary in soup.select("li > details > summary"):
        if summary.get_text(strip=True) or summary.get("aria-label"):
            continue
        link = summary.find_parent("li").find("a", recursive=False)
        title = link.get_text(" ", strip=True) if link else "this section"
        summary["aria-label"] = f"Pages under {title}"
    return str(soup)


def label_sidebar_toggles(app, pagename, templatename, context, doctree):
    # The theme builds the sidebar in Python (generate_toctree_html) when the
    # template calls it, so the repair wraps that function.
    generate = context.get("generate_toctree_html")
    if generate is None:
        return

    @functools.cache  # the theme's own function is cached the same way
    def generate_named(kind, *args, **kwargs):
        html = generate(kind, *args, **kwargs)
        return name_section_toggles(html) if kind == "sidebar" else html

    context["generate_toctree_html"] = generate_named


def visit_folded_code(self, node):
    # MyST-NB's own visitor, less its aria-label "Toggle hidden content": a name that is
    # not the toggle's visible text ("Show code cell source") breaks WCAG 2.5.3, and
    # without it screen readers say the visible text.
    start = len(self.body)
    visit_HideCellInput(self, node)
    self.body[start:] = [part.replace(' aria-label="Toggle hidden content"', "")
                         for part in self.body[start:]]


def name_folded_code(app):
    # After MyST-NB's setup, which registered its own visitor for the node.
    app.add_node(HideCodeCellNode, override=True, html=(visit_folded_code, depart_HideCellInput))


def setup(app):
    app.connect("builder-inited", name_folded_code)
    app.connect("config-inited", use_repaired_templates)
    # After the themes' own handlers (priority 500), which set what is repaired.
    app.connect("html-page-context", drop_repeated_scripts, priority=900)
    app.connect("html-page-context", label_sidebar_toggles, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
