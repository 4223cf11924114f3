"""The benchmark of build times (.ci/benchmark.py): its verdicts against the
budgets, and the README's table, which must show the figures last recorded."""

import importlib.util
import json

from conftest import ROOT

_spec = importlib.util.spec_from_file_location("benchmark", ROOT / ".ci" / "benchmark.py")
benchmark = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(benchmark)


def figures(cold=250.0, warm=9.5, lesson_4=96.0):
    return {
        "measured": "2026-11-22T10:00:00+00:00", "commit": "abc1234",
        "machine": {"cores": 2, "system": "Linux", "python": "3.11.7"},
        "data": "offline (auto: no connection to the data sets' server)",
        "budgets_seconds": {"cold build": 300, "warm rebuild": 20, "each lesson": 120},
        "cold_build_seconds": cold, "warm_rebuild_seconds": warm,
        "execution_seconds": {"lessons/01-introduction": 6.1, "lessons/04-refining": lesson_4},
    }


def test_the_budgets_are_the_projects():
    assert benchmark.BUDGETS == {"cold build": 300, "warm rebuild": 20, "each lesson": 120}


def test_every_figure_is_judged_against_its_budget():
    assert benchmark.verdicts(figures()) == [
        ("cold build", 250.0, 300, True),
        ("warm rebuild", 9.5, 20, True),
        ("execution of lessons/01-introduction", 6.1, 120, True),
        ("execution of lessons/04-refining", 96.0, 120, True),
    ]


def test_a_figure_over_budget_is_reported():
    slow = figures(cold=320.0, lesson_4=127.1)
    assert [what for what, *_, within in benchmark.verdicts(slow) if not within] == [
        "cold build", "execution of lessons/04-refining"]
    lines = benchmark.report(slow).splitlines()
    assert lines[1].startswith("cold build") and lines[1].endswith("OVER BUDGET")
    assert lines[2].startswith("warm rebuild") and not lines[2].endswith("OVER BUDGET")
    assert "| execution of lessons/04-refining | 127.1 | 120 (over) |" in (
        benchmark.readme_table(slow))


def test_the_readme_shows_the_figures_last_recorded():
    recorded = json.loads((ROOT / ".ci" / "benchmark.json").read_text())
    assert recorded["machine"]["cores"] == 2  # the budgets are for two cores
    assert set(recorded["execution_seconds"]) >= {f"lessons/{path.stem}"
                                                   for path in (ROOT / "lessons").glob("0*.md")}
    assert benchmark.readme_table(recorded) in (ROOT / "README.md").read_text()
