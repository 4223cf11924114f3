"""A lesson executed twice glues the same values into its text (slow). The
lessons fix their seeds, so a rebuild tells the same story; only the times a
lesson measures may differ from run to run."""

import json

import jupytext
import pytest
from nbclient import NotebookClient

from conftest import ROOT

pytestmark = pytest.mark.slow

LESSONS = sorted(path.stem for path in (ROOT / "lessons").glob("0*.md"))
RECORD = "application/papermill.record/"  # where myst-nb's glue keeps a value


def comparable(values):
    """Glued values by name, without the times measured (their names say seconds)."""
    return {name: value for name, value in values.items() if "seconds" not in name}


def glued(notebook):
    return {output["metadata"]["scrapbook"]["name"]: output["data"][RECORD + "text/plain"]
            for cell in notebook.cells for output in cell.get("outputs", [])
            if "scrapbook" in output.get("metadata", {})}


def test_every_lesson_is_compared():
    assert LESSONS[0] == "01-introduction" and len(LESSONS) == 6


@pytest.mark.parametrize("lesson", LESSONS)
def test_a_second_execution_glues_the_same_values_as_the_build(html, lesson):
    saved = ROOT / "_build" / "jupyter_execute" / "lessons" / f"{lesson}.glue.json"
    built = {name: output["data"]["text/plain"]
             for name, output in json.loads(saved.read_text()).items()}
    notebook = jupytext.read(ROOT / "lessons" / f"{lesson}.md")
    NotebookClient(notebook, kernel_name="python3", timeout=600,
                   resources={"metadata": {"path": str(ROOT / "lessons")}}).execute()
    again = glued(notebook)
    assert again.keys() == built.keys()
    assert len(comparable(built)) >= 5
    assert comparable(again) == comparable(built)
