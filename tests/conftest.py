"""What several test modules share: the repository root and the built site."""

import importlib.util
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BUILD = ["jupyter-book", "build", ".", "-W", "--keep-going"]

# The book's notebook generator, which also reads the table of contents and the
# repository settings; it lives in _ext/, which is not a package.
_spec = importlib.util.spec_from_file_location(
    "lesson_notebooks", ROOT / "_ext" / "lesson_notebooks.py"
)
lesson_notebooks = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(lesson_notebooks)


@pytest.fixture(scope="session")
def html():
    """The built site; builds the book (reusing cached execution where unchanged)."""
    result = subprocess.run(BUILD, cwd=ROOT, capture_output=True, text=True, timeout=3000)
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-5000:]
    return ROOT / "_build" / "html"
