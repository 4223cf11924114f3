"""What several test modules share: the repository root and the built site."""

import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BUILD = ["jupyter-book", "build", ".", "-W", "--keep-going"]


@pytest.fixture(scope="session")
def html():
    """The built site; builds the book (reusing cached execution where unchanged)."""
    result = subprocess.run(BUILD, cwd=ROOT, capture_output=True, text=True, timeout=3000)
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-5000:]
    return ROOT / "_build" / "html"
