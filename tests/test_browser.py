"""The built site in a real browser: Debian's Chromium driven by Playwright (slow)."""

import re
from urllib.parse import urlsplit

import pytest

import lesson_notebooks
from conftest import ROOT

pytestmark = pytest.mark.slow

# Pages may load these from the web; here they are answered with an empty file,
# since this machine has no internet. Anything else is a new dependency to review.
EXTERNAL_HOSTS = {"cdn.jsdelivr.net"}  # MathJax

SETTINGS = lesson_notebooks.course_settings(ROOT)
PAGES = [page.relative_to(ROOT).with_suffix(".html").as_posix()
         for page in lesson_notebooks.notebook_pages(ROOT)]


def test_every_notebook_page_is_checked():
    assert {"lessons/setup.html", "lessons/01-introduction.html"} <= set(PAGES)


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_without_console_errors(open_page, path):
    load, problems, external = open_page
    load(path)
    assert not problems
    unexpected = {urlsplit(url).hostname for url in external} - EXTERNAL_HOSTS
    assert not unexpected, f"the page loads from new external hosts: {unexpected}"


@pytest.mark.parametrize("path", PAGES)
def test_launch_and_download_menus_show_the_notebook(open_page, path):
    load, problems, _ = open_page
    page = load(path)
    org_repo = urlsplit(SETTINGS["repository"]).path.strip("/")
    branch = SETTINGS["branch"]
    notebook = path.replace(".html", ".ipynb")

    page.get_by_role("button", name="Launch interactive content").click()
    menu = page.locator(".dropdown-launch-buttons .dropdown-menu")
    colab = menu.get_by_role("link", name="Colab")
    binder = menu.get_by_role("link", name="Binder")
    assert colab.is_visible() and binder.is_visible()
    assert colab.get_attribute("href") == (
        f"https://colab.research.google.com/github/{org_repo}/blob/{branch}/{notebook}")
    assert binder.get_attribute("href") == (
        f"https://mybinder.org/v2/gh/{org_repo}/{branch}?urlpath=lab/tree/{notebook}")

    page.get_by_role("button", name="Download this page").click()
    download = page.locator(".dropdown-download-buttons").get_by_role("link", name=".ipynb")
    assert download.is_visible()
    response = page.request.get(download.evaluate("link => link.href"))
    assert response.ok and response.body() == (ROOT / notebook).read_bytes()
    assert not problems


def test_a_solution_opens_on_click(open_page):
    load, problems, _ = open_page
    page = load("lessons/01-introduction.html")
    solution = page.locator(".solution.dropdown").first
    content = solution.locator("section").first
    assert re.search(r"Solution to\s*Exercise 1", solution.inner_text())
    assert not content.is_visible()
    solution.locator("button.toggle-button").click()
    content.wait_for(state="visible")
    assert "The derivative is positive" in content.inner_text()  # exercise 1.1's solution
    assert not problems


def test_a_solution_with_executed_code_opens_on_click(open_page):
    load, problems, _ = open_page
    page = load("lessons/02-neurons.html")
    solution = page.locator(".solution.dropdown").filter(has_text="Exercise 2.2").first
    answer = solution.get_by_text("Correct! The neuron's output is 1.25.")
    assert not answer.is_visible()
    solution.locator("button.toggle-button").click()
    answer.wait_for(state="visible")
    assert not problems
