"""Every link inside the built site leads somewhere: the file exists and so does
the anchor (slow, but for the checker's own test). Cross-references are checked
by the build itself, which is nitpicky; external links are checked weekly, by
.github/workflows/weekly.yml, since this machine has no internet."""

from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from conftest import built_pages

# Where each kind of element names what it links to.
LINKING = {"a": "href", "link": "href", "img": "src", "script": "src", "iframe": "src"}


def ids_in(path):
    soup = BeautifulSoup(path.read_text(), "html.parser")
    return {tag.get("id") for tag in soup.find_all(id=True)} | {
        tag.get("name") for tag in soup.find_all("a", attrs={"name": True})}


def broken_links(site):
    """Each link in the pages of the site in folder `site` whose file or anchor
    is missing, as "page: link (what is missing)"."""
    site, broken, anchors = Path(site), [], {}
    for page in (site / path for path in built_pages(site)):
        soup = BeautifulSoup(page.read_text(), "html.parser")
        for tag in soup.find_all(LINKING):
            link = tag.get(LINKING[tag.name])
            if not link:
                continue
            parts = urlsplit(link)
            if parts.scheme or parts.netloc:
                continue  # a web address (the weekly check's job), data: or mailto:
            target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            where = f"{page.relative_to(site).as_posix()}: {link}"
            if not target.is_relative_to(site.resolve()):
                broken.append(f"{where} (outside the site)")
            elif not target.is_file():
                broken.append(f"{where} (no such file)")
            elif parts.fragment and target.suffix == ".html":
                if target not in anchors:
                    anchors[target] = ids_in(target)
                if unquote(parts.fragment) not in anchors[target]:
                    broken.append(f"{where} (no such anchor)")
    return broken


def test_the_checker_finds_missing_files_and_anchors(tmp_path):
    (tmp_path / "lessons").mkdir()
    (tmp_path / "index.html").write_text(
        '<a href="lessons/one.html#training">ok</a> <a href="lessons/two.html">gone</a>'
        '<a href="#top">top</a> <img src="_images/plot.png" alt="A plot of the loss.">'
        '<a href="https://example.org/missing">external</a><h1 id="top">Home</h1>')
    (tmp_path / "lessons" / "one.html").write_text(
        '<h2 id="training">Training</h2><a href="../index.html#nowhere">back</a>'
        '<a href="../index.html">home</a><a href="../../README.md">repository</a>')
    (tmp_path / "_static").mkdir()  # assets, not pages: the theme's templates are there
    (tmp_path / "_static" / "macros.html").write_text("<a href=\"{{ pathto('x') }}\">x</a>")
    assert broken_links(tmp_path) == [
        "index.html: lessons/two.html (no such file)",
        "index.html: _images/plot.png (no such file)",
        "lessons/one.html: ../index.html#nowhere (no such anchor)",
        "lessons/one.html: ../../README.md (outside the site)",
    ]


@pytest.mark.slow
def test_every_internal_link_and_anchor_of_the_built_site_resolves(html):
    broken = broken_links(html)
    assert not broken, "\n".join(broken)
