"""The benchmark of build times (.ci/benchmark.py): its verdicts against the
budgets, offline and at full size, the slowest cells it finds, the stand-ins of
the full-size rehearsal, and the README's table, which must show the figures
last recorded."""

import importlib
import json
import os
import runpy

import numpy as np
import pytest

import benchmark  # .ci/benchmark.py
from conftest import ROOT


def figures(size="offline", cold=250.0, lesson_4=96.0, cell_4=40.0, reference=0.5):
    builds = {"cold build": cold}
    if size == "offline":
        builds["warm rebuild"] = 9.5
    return {
        "measured": "2026-11-22T10:00:00+00:00", "commit": "abc1234",
        "machine": {"cores": 2, "system": "Linux", "python": "3.11.7"},
        "size": size, "data": "offline (auto: no connection to the data sets' server)",
        "reference_seconds": reference,
        "budgets_seconds": benchmark.BUDGETS[size],
        "build_seconds": builds,
        "execution_seconds": {"lessons/01-introduction": 6.1, "lessons/04-refining": lesson_4},
        "slowest_cell": {"lessons/01-introduction": {"seconds": 2.0, "cell": "cell 3: x"},
                         "lessons/04-refining": {"seconds": cell_4, "cell": "cell 9: y"}},
    }


def test_the_budgets_are_the_projects():
    assert benchmark.BUDGETS == {
        "offline": {"cold build": 300, "warm rebuild": 20, "each lesson": 120},
        "full size": {"cold build": 600, "each lesson": 180, "each cell": 60},
    }


def test_every_figure_is_judged_against_its_budget():
    assert benchmark.verdicts(figures()) == [
        ("cold build", 250.0, 300, True),
        ("warm rebuild", 9.5, 20, True),
        ("execution of lessons/01-introduction", 6.1, 120, True),
        ("  slowest cell of lessons/01-introduction", 2.0, None, True),
        ("execution of lessons/04-refining", 96.0, 120, True),
        ("  slowest cell of lessons/04-refining", 40.0, None, True),
    ]


def test_at_full_size_a_slow_cell_or_lesson_is_over_budget():
    slow = figures("full size", cold=650.0, lesson_4=181.0, cell_4=61.0)
    assert [what.strip() for what, *_, within in benchmark.verdicts(slow) if not within] == [
        "cold build", "execution of lessons/04-refining", "slowest cell of lessons/04-refining"]
    fine = figures("full size", cold=590.0, lesson_4=170.0, cell_4=59.0)
    assert all(within for *_, within in benchmark.verdicts(fine))


def test_a_figure_over_budget_is_reported_in_seconds_and_in_references():
    slow = figures(cold=320.0, lesson_4=127.1, reference=0.5)
    lines = benchmark.report(slow).splitlines()
    cold = next(line for line in lines if line.startswith("cold build"))
    assert cold.split()[2:5] == ["320.0", "640×", "300"] and cold.endswith("OVER BUDGET")
    warm = next(line for line in lines if line.startswith("warm rebuild"))
    assert not warm.endswith("OVER BUDGET")
    table = benchmark.readme_table({"offline": slow})
    assert "| execution of lessons/04-refining | 127.1 (254×) | 120 (over) |" in table


def test_the_readme_table_shows_both_sizes_side_by_side():
    table = benchmark.readme_table({"offline": figures(), "full size": figures("full size")})
    assert "| whole" not in table
    assert ("| slowest cell of lessons/04-refining | 40.0 (80×) |  | 40.0 (80×) | 60 |"
            in table)
    assert "| warm rebuild | 9.5 (19×) | 20 | – | – |" in table


def test_the_slowest_cell_is_found_and_named(tmp_path):
    cells = benchmark.code_cells("lessons/01-introduction")
    log = [{"source": source, "seconds": 0.1} for source in cells]
    log[4]["seconds"] = 3.25
    (tmp_path / "123.jsonl").write_text("".join(json.dumps(cell) + "\n" for cell in log))
    slowest = benchmark.slowest_cells(tmp_path, ["lessons/01-introduction", "lessons/setup"])
    assert slowest == {"lessons/01-introduction": {
        "seconds": 3.2, "cell": f"cell 5: {benchmark.first_line(cells[4])}"}}


def test_cells_of_no_page_are_reported_and_left_out(tmp_path, capsys):
    (tmp_path / "1.jsonl").write_text(json.dumps({"source": "print('other')", "seconds": 1}))
    assert benchmark.slowest_cells(tmp_path, ["lessons/01-introduction"]) == {}
    assert "match no page" in capsys.readouterr().out
    assert benchmark.slowest_cells(tmp_path / "empty", ["lessons/01-introduction"]) == {}
    assert "no kernel logged its cells" in capsys.readouterr().out


def test_a_page_executed_twice_keeps_its_slower_run(tmp_path):
    cells = benchmark.code_cells("lessons/02-neurons")
    for pid, seconds in [(1, 9.0), (2, 4.0)]:
        log = [{"source": source, "seconds": seconds if number == 2 else 0.1}
               for number, source in enumerate(cells, 1)]
        (tmp_path / f"{pid}.jsonl").write_text("".join(json.dumps(cell) + "\n" for cell in log))
    assert benchmark.slowest_cells(tmp_path, ["lessons/02-neurons"])[
        "lessons/02-neurons"]["seconds"] == 9.0


def test_the_books_kernels_run_the_file_the_benchmark_names(tmp_path, monkeypatch):
    import course_build

    # configure_kernels sets variables for the kernels: keep them in a copy.
    monkeypatch.setattr(os, "environ", os.environ.copy())
    monkeypatch.setenv("COURSE_KERNEL_STARTUP", "/tmp/start.py")
    app = type("App", (), {"doctreedir": str(tmp_path / "doctrees")})()
    course_build.configure_kernels(app)
    config = (tmp_path / "ipython" / "profile_default" / "ipython_kernel_config.py").read_text()
    assert "c.InteractiveShellApp.exec_files = ['/tmp/start.py']" in config
    monkeypatch.delenv("COURSE_KERNEL_STARTUP")
    course_build.configure_kernels(app)
    config = (tmp_path / "ipython" / "profile_default" / "ipython_kernel_config.py").read_text()
    assert "exec_files" not in config


def test_the_rehearsals_mnist_has_the_online_sizes_and_says_it_is_a_stand_in():
    startup = runpy.run_path(str(ROOT / ".ci" / "kernel_startup.py"))  # no variable set
    images = np.arange(50, dtype=np.uint8).reshape(2, 5, 5)
    x, y = startup["repeated"](images, np.array([3, 7], dtype=np.uint8), 7)
    assert x.shape == (7, 5, 5) and list(y) == [3, 7] * 3 + [3]
    assert not np.array_equal(x[0], x[2])  # each repetition shifted differently
    assert sorted(x[2].ravel()) == sorted(images[0].ravel())  # the same pixels


def test_the_full_size_stand_ins_replace_the_loaders(monkeypatch):
    import dlcourse.data as data

    monkeypatch.setattr(data, "load_mnist", data.load_mnist)
    monkeypatch.setattr(data, "load_flower_photos", data.load_flower_photos)
    photos_module = importlib.import_module(data.load_flower_photos.__module__)
    monkeypatch.setattr(photos_module, "OFFLINE_CROPS", photos_module.OFFLINE_CROPS)
    monkeypatch.setenv("COURSE_FULL_SIZE", "1")
    runpy.run_path(str(ROOT / ".ci" / "kernel_startup.py"))
    mnist = data.load_mnist()
    assert (mnist.x_train.shape, mnist.x_test.shape) == ((60_000, 28, 28), (10_000, 28, 28))
    assert np.bincount(mnist.y_train).min() >= 5_000  # every digit, as many as online
    assert "measures time, not accuracy" in mnist.source
    flowers = data.load_flower_photos(image_size=32, train_per_class=50, test_per_class=40)
    assert (len(flowers.x_train), len(flowers.x_test)) == (250, 200)  # the online counts
    assert "measures time, not accuracy" in flowers.source



def test_the_readme_shows_the_figures_last_recorded():
    recorded = json.loads((ROOT / ".ci" / "benchmark.json").read_text())
    assert set(recorded) == {"offline", "full size"}
    lessons = {f"lessons/{path.stem}" for path in (ROOT / "lessons").glob("0*.md")}
    for figures_at_size in recorded.values():
        assert figures_at_size["machine"]["cores"] == 2  # the budgets are for two cores
        assert set(figures_at_size["execution_seconds"]) >= lessons
        assert set(figures_at_size["slowest_cell"]) >= lessons
    assert benchmark.readme_table(recorded) in (ROOT / "README.md").read_text()
