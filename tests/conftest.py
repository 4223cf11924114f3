"""What several test modules share: the repository root, the built site, and a
browser to open it in."""

import functools
import subprocess
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
BUILD = ["jupyter-book", "build", ".", "-W", "--keep-going"]


@pytest.fixture(scope="session")
def html():
    """The built site; builds the book (reusing cached execution where unchanged)."""
    result = subprocess.run(BUILD, cwd=ROOT, capture_output=True, text=True, timeout=3000)
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-5000:]
    return ROOT / "_build" / "html"


def built_pages(html):
    """Every page of the built site, relative to it; the folders starting with _
    hold its assets."""
    return sorted(path.relative_to(html).as_posix() for path in html.rglob("*.html")
                  if not path.relative_to(html).parts[0].startswith("_"))


CHROMIUM = "/usr/bin/chromium"  # Debian's package: Playwright downloads no browser
# Without the network switches, Chromium keeps calling Google's services, which
# this machine's closed network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def site(html):
    """The built site, served on a free local port."""
    handler = functools.partial(QuietHandler, directory=str(html))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()


def chromium(path=CHROMIUM):
    """The browser's path, or a failure that says how to install it."""
    if not Path(path).is_file():
        pytest.fail(f"The browser tests need Chromium at {path}: install it with "
                    "`sudo apt-get install chromium` (Debian, Ubuntu).", pytrace=False)
    return path


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def open_page(browser, site):
    """Open pages of the site; return them with their console errors and web requests.

    ``load(path, color_scheme="light")`` opens one page, in the reader's light
    or dark preference, once it has loaded everything it asks for.
    """
    contexts, problems, external = {}, [], []

    def route(request_route):
        url = request_route.request.url
        if url.startswith(site):
            request_route.continue_()
        else:
            external.append(url)
            request_route.fulfill(status=200, body="")

    def load(path, color_scheme="light"):
        if color_scheme not in contexts:
            contexts[color_scheme] = browser.new_context(color_scheme=color_scheme)
        page = contexts[color_scheme].new_page()
        page.on("console", lambda message: message.type == "error" and problems.append(
            f"console: {message.text}"))
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        page.route("**/*", route)
        page.goto(site + path, wait_until="load")
        page.wait_for_load_state("networkidle")
        return page

    yield load, problems, external
    for context in contexts.values():
        context.close()
