"""Every built page is readable without seeing it: every image has meaningful alt
text, and an audit by axe-core (from npm), run in Debian's Chromium in the light
and the dark theme, finds nothing serious or critical (slow, but for the rules)."""

import fnmatch
import re

import pytest
from bs4 import BeautifulSoup

import lesson_notebooks
from conftest import ROOT, built_pages

AXE = ROOT / "tests" / "node_modules" / "axe-core" / "axe.min.js"
# axe sorts what it finds by impact: minor, moderate, serious, critical. The
# course allows none of the last two, whether from a lesson or from the theme.
FORBIDDEN = {"serious", "critical"}


GENERIC = {"image", "figure", "plot", "picture", "photo", "graph", "chart", "diagram", "output"}


def alt_text_problem(alt, in_lesson_text):
    """What is wrong with an image's alt text for a reader who cannot see it, or None.

    A figure in a page's text needs a description (five words at least); an
    icon elsewhere, such as a logo in a menu, needs a name.
    """
    text = " ".join((alt or "").split())
    if not text:
        return "no alt text"
    if re.search(r"\.(png|jpe?g|gif|svg|webp)$", text, re.IGNORECASE):
        return "a file name"
    if text.lower().strip(".") in GENERIC or not re.search(r"[a-zA-Z]{2}", text):
        return "says nothing about the image"
    if in_lesson_text and len(text.split()) < 5:
        return "too short to describe a figure"
    return None


@pytest.mark.parametrize("alt, in_lesson_text, problem", [
    ("A line chart of the loss falling over ten epochs.", True, None),
    ("Colab logo", False, None),
    ("", False, "no alt text"),
    ("   ", True, "no alt text"),
    ("loss-curve.png", True, "a file name"),
    ("Figure", True, "says nothing about the image"),
    ("-", False, "says nothing about the image"),
    ("Loss curve", True, "too short to describe a figure"),
])
def test_alt_text_rules(alt, in_lesson_text, problem):
    assert alt_text_problem(alt, in_lesson_text) == problem


@pytest.mark.slow
def test_every_image_on_every_page_has_meaningful_alt_text(html):
    found, figures = [], 0
    for path in built_pages(html):
        soup = BeautifulSoup((html / path).read_text(), "html.parser")
        for image in soup.find_all("img"):
            in_lesson_text = image.find_parent("article") is not None
            figures += in_lesson_text
            problem = alt_text_problem(image.get("alt"), in_lesson_text)
            if problem:
                found.append(f"{path}: {image.get('src')}: {problem} ({image.get('alt')!r})")
    assert figures >= 30  # the lessons' figures were seen
    assert not found, "\n".join(found)


def audit(page):
    """The serious and critical violations axe finds on an open page, one line each."""
    assert AXE.is_file(), "axe-core is missing: npm install --prefix tests"
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{violation['impact']} {violation['id']} ({violation['help']}): "
        f"{node['target']} {node['html'][:120]}"
        for violation in result["violations"] if violation["impact"] in FORBIDDEN
        for node in violation["nodes"]
    ]


@pytest.mark.slow
def test_the_audit_covers_every_page_of_the_table_of_contents(html):
    pages = built_pages(html)
    assert {"index.html", "search.html", "genindex.html"} <= set(pages)
    for name, _ in lesson_notebooks.toc_documents(ROOT):
        assert f"{name}.html" in pages, name
    # The API reference's modules, which _toc.yml lists by a glob.
    assert fnmatch.filter(pages, "lessons/api/dlcourse/dlcourse.*.html")


@pytest.mark.slow
def test_the_audit_finds_what_it_must(browser):
    page = browser.new_page()
    page.set_content('<html lang="en"><head><title>Broken</title></head><body><main>'
                     '<img src="chart.png"><p style="color: #bbbbbb">Pale text</p>'
                     '<button><i class="icon"></i></button></main></body></html>')
    found = " ".join(audit(page))
    page.close()
    assert "image-alt" in found and "color-contrast" in found and "button-name" in found


@pytest.mark.slow
@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_no_page_has_a_serious_or_critical_violation(html, open_page, color_scheme):
    load, _, _ = open_page
    found = []
    for path in built_pages(html):
        page = load(path, color_scheme)
        found += [f"{path}: {line}" for line in audit(page)]
        page.close()
    assert not found, "\n".join(found)
