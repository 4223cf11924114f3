"""The benchmark of build times and memory (.ci/benchmark.py): its verdicts
against the budgets, offline and at full size, the slowest cells and the peak
memory it finds, the stand-ins of the full-size rehearsal, and the README's
table, which must show the figures last recorded."""

import importlib
import json
import os
import resource
import runpy
import subprocess
import sys

import numpy as np
import pytest

import benchmark  # .ci/benchmark.py
from conftest import ROOT

KERNEL_STARTUP = ROOT / ".ci" / "kernel_startup.py"


def figures(size="offline", cold=250.0, lesson_4=96.0, cell_4=40.0, reference=0.5,
            memory_4=1200):
    builds = {"cold build": cold}
    if size == "offline":
        builds["warm rebuild"] = 9.5
    return {
        "measured": "2026-11-22T10:00:00+00:00", "commit": "abc1234",
        "machine": {"cores": 2, "system": "Linux", "python": "3.11.7"},
        "size": size, "data": "offline (auto: no connection to the data sets' server)",
        "reference_seconds": reference,
        "budgets": benchmark.BUDGETS[size],
        "build_seconds": builds,
        "execution_seconds": {"lessons/01-introduction": 6.1, "lessons/04-refining": lesson_4},
        "slowest_cell": {"lessons/01-introduction": {"seconds": 2.0, "cell": "cell 3: x"},
                         "lessons/04-refining": {"seconds": cell_4, "cell": "cell 9: y"}},
        "peak_memory_mb": {"lessons/01-introduction": 850, "lessons/04-refining": memory_4},
    }


def without_memory(recorded):
    """A record as the benchmark wrote it before it measured memory."""
    old = {key: value for key, value in recorded.items()
           if key not in ("budgets", "peak_memory_mb")}
    old["budgets_seconds"] = {what: budget for what, budget in recorded["budgets"].items()
                              if what != "peak memory"}
    return old


def log_of(cells, tmp_path, name="1"):
    (tmp_path / f"{name}.jsonl").write_text("".join(json.dumps(cell) + "\n" for cell in cells))


def test_the_budgets_are_the_projects():
    assert benchmark.BUDGETS == {
        "offline": {"cold build": 300, "warm rebuild": 20, "each lesson": 120,
                    "peak memory": 1536},
        "full size": {"cold build": 600, "each lesson": 180, "each cell": 60,
                      "peak memory": 1536},
    }


def test_every_figure_is_judged_against_its_budget():
    assert benchmark.verdicts(figures()) == [
        ("cold build", 250.0, "s", 300, True),
        ("warm rebuild", 9.5, "s", 20, True),
        ("execution of lessons/01-introduction", 6.1, "s", 120, True),
        ("  slowest cell of lessons/01-introduction", 2.0, "s", None, True),
        ("  peak memory of lessons/01-introduction", 850, "MB", 1536, True),
        ("execution of lessons/04-refining", 96.0, "s", 120, True),
        ("  slowest cell of lessons/04-refining", 40.0, "s", None, True),
        ("  peak memory of lessons/04-refining", 1200, "MB", 1536, True),
    ]


def test_at_full_size_a_slow_cell_or_lesson_is_over_budget():
    slow = figures("full size", cold=650.0, lesson_4=181.0, cell_4=61.0)
    assert [what.strip() for what, *_, within in benchmark.verdicts(slow) if not within] == [
        "cold build", "execution of lessons/04-refining", "slowest cell of lessons/04-refining"]
    fine = figures("full size", cold=590.0, lesson_4=170.0, cell_4=59.0)
    assert all(within for *_, within in benchmark.verdicts(fine))


@pytest.mark.parametrize("size", ["offline", "full size"])
def test_a_lesson_over_1_5_gb_is_over_budget_at_both_sizes(size):
    over = figures(size, memory_4=1537)
    assert [what.strip() for what, *_, within in benchmark.verdicts(over) if not within] == [
        "peak memory of lessons/04-refining"]
    assert all(within for *_, within in benchmark.verdicts(figures(size, memory_4=1536)))


def test_a_figure_over_budget_is_reported_in_seconds_and_in_references():
    slow = figures(cold=320.0, lesson_4=127.1, reference=0.5)
    lines = benchmark.report(slow).splitlines()
    cold = next(line for line in lines if line.startswith("cold build"))
    assert cold.split()[2:5] == ["320.0", "640×", "300"] and cold.endswith("OVER BUDGET")
    warm = next(line for line in lines if line.startswith("warm rebuild"))
    assert not warm.endswith("OVER BUDGET")
    table = benchmark.readme_table({"offline": slow})
    assert "| execution of lessons/04-refining | 127.1 (254×) | 120 (over) |" in table


def test_peak_memory_is_reported_in_megabytes_beside_its_budget():
    lines = benchmark.report(figures(memory_4=2100)).splitlines()
    memory = next(line for line in lines if "peak memory of lessons/04-refining" in line)
    assert memory.split()[-5:] == ["2100", "MB", "1536", "OVER", "BUDGET"]
    table = benchmark.readme_table({"offline": figures(memory_4=2100)})
    assert "| peak memory of lessons/04-refining | 2100 MB | 1536 MB (over) |" in table


def test_the_readme_table_shows_both_sizes_side_by_side():
    table = benchmark.readme_table({"offline": figures(), "full size": figures("full size")})
    assert "| whole" not in table
    assert ("| slowest cell of lessons/04-refining | 40.0 (80×) |  | 40.0 (80×) | 60 |"
            in table)
    assert "| warm rebuild | 9.5 (19×) | 20 | – | – |" in table
    assert ("| peak memory of lessons/04-refining | 1200 MB | 1536 MB | 1200 MB | 1536 MB |"
            in table)


def test_a_record_made_before_memory_was_measured_still_makes_its_table():
    old = without_memory(figures())
    assert [what.strip() for what, *_ in benchmark.verdicts(old)] == [
        "cold build", "warm rebuild", "execution of lessons/01-introduction",
        "slowest cell of lessons/01-introduction", "execution of lessons/04-refining",
        "slowest cell of lessons/04-refining"]
    assert "peak memory" not in benchmark.readme_table({"offline": old})
    # Beside a size that was measured, its memory is a dash.
    table = benchmark.readme_table({"offline": old, "full size": figures("full size")})
    assert "| peak memory of lessons/04-refining | – | – | 1200 MB | 1536 MB |" in table


def test_the_slowest_cell_is_found_and_named(tmp_path):
    cells = benchmark.code_cells("lessons/01-introduction")
    log = [{"source": source, "seconds": 0.1, "peak_mb": 700.0} for source in cells]
    log[4]["seconds"] = 3.25
    log_of(log, tmp_path)
    logs = benchmark.kernel_logs(tmp_path, ["lessons/01-introduction", "lessons/setup"])
    assert benchmark.slowest_cells(logs) == {"lessons/01-introduction": {
        "seconds": 3.2, "cell": f"cell 5: {benchmark.first_line(cells[4])}"}}


def test_a_lessons_peak_memory_is_the_largest_its_kernel_logged(tmp_path):
    cells = benchmark.code_cells("lessons/01-introduction")
    log = [{"source": source, "seconds": 0.1, "peak_mb": 700.0 + number}
           for number, source in enumerate(cells)]
    log[3]["peak_mb"] = 1234.6
    log_of(log, tmp_path)
    logs = benchmark.kernel_logs(tmp_path, ["lessons/01-introduction", "lessons/setup"])
    assert benchmark.peak_memory(logs) == {"lessons/01-introduction": 1235}


def test_a_kernel_that_logged_no_memory_gives_no_figure(tmp_path):
    cells = benchmark.code_cells("lessons/01-introduction")
    log_of([{"source": source, "seconds": 0.1, "peak_mb": None} for source in cells], tmp_path)
    logs = benchmark.kernel_logs(tmp_path, ["lessons/01-introduction"])
    assert benchmark.peak_memory(logs) == {}
    assert "lessons/01-introduction" in benchmark.slowest_cells(logs)


def test_cells_of_no_page_are_reported_and_left_out(tmp_path, capsys):
    (tmp_path / "1.jsonl").write_text(json.dumps({"source": "print('other')", "seconds": 1}))
    assert benchmark.kernel_logs(tmp_path, ["lessons/01-introduction"]) == {}
    assert "match no page" in capsys.readouterr().out
    assert benchmark.kernel_logs(tmp_path / "empty", ["lessons/01-introduction"]) == {}
    assert "no kernel logged its cells" in capsys.readouterr().out


def test_a_page_executed_twice_keeps_its_slower_run_and_larger_peak(tmp_path):
    cells = benchmark.code_cells("lessons/02-neurons")
    for pid, seconds, peak in [(1, 9.0, 800.0), (2, 4.0, 900.0)]:
        log_of([{"source": source, "seconds": seconds if number == 2 else 0.1, "peak_mb": peak}
                for number, source in enumerate(cells, 1)], tmp_path, pid)
    logs = benchmark.kernel_logs(tmp_path, ["lessons/02-neurons"])
    assert benchmark.slowest_cells(logs)["lessons/02-neurons"]["seconds"] == 9.0
    assert benchmark.peak_memory(logs) == {"lessons/02-neurons": 900}


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


def peak_of_a_new_kernel(code):
    """What the kernels' start-up file logs as peak memory, in a new process that
    has run ``code``."""
    script = f"import runpy\n{code}\nprint(runpy.run_path({str(KERNEL_STARTUP)!r})" \
             "['peak_memory_mb']())"
    environment = {**os.environ, "COURSE_CELL_LOG": "", "COURSE_FULL_SIZE": ""}
    child = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                           check=True, env=environment)
    return float(child.stdout)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="VmHWM is Linux's")
def test_a_kernels_peak_memory_is_its_own():
    held = np.ones(300 * 2**20 // 8)  # the process that starts kernels now holds 300 MB
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 > 300
    idle = peak_of_a_new_kernel("")
    busy = peak_of_a_new_kernel("import numpy\nheld = numpy.ones(200 * 2**20 // 8)")
    assert 0 < idle < 200  # Python, NumPy and IPython, not the parent's 300 MB
    assert busy > idle + 190
    del held


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
