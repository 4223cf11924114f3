"""Measure the book's build against its budgets: a cold build (nothing cached,
every lesson executed), a warm rebuild (nothing changed), how long each page
took to execute, its slowest cell, and the peak resident memory of its kernel.
Prints the figures beside the budgets and writes them to a JSON file; a figure
over budget is reported, not a failure (the machine's speed varies from run to
run).

    python .ci/benchmark.py               # figures in _build/benchmark.json
    python .ci/benchmark.py --full-size   # rehearse the online sizes, offline
    python .ci/benchmark.py --record      # also .ci/benchmark.json and the README's table

Offline, lessons 3 and 6 read 4,000 MNIST training images and lesson 5 a few
crops of five photos; online (GitHub's build, Colab) they read 60,000 images
and as many flower photos as lesson 5 asks for. `--full-size` executes
every lesson at those sizes without internet, with stand-ins made from the
offline data (see .ci/kernel_startup.py): they measure time, not accuracy.
Neither the downloads nor the reading of the 218 MiB flower archive are
timed: the stand-ins are made in memory.

Machines of the same size differ by a factor of two, so every figure of time is
also given in multiples of a fixed reference workload timed on the same machine
just before the build: one epoch of lesson 3's network on 4,000 MNIST images.
A page's peak memory is the most resident memory its kernel used, which the
kernel logs after every cell (see .ci/kernel_startup.py); it does not depend on
the machine's speed.

The exit status is 1 only if a build fails.
"""

import argparse
import datetime
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ["jupyter-book", "build", ".", "-W", "--keep-going"]
OFFLINE, FULL_SIZE = "offline", "full size"
MEMORY = "peak memory"  # of each page's kernel, in MB (2**20 bytes)
BUDGETS = {  # seconds, on 2 cores; MEMORY in MB (mybinder.org gives a session 2 GB)
    OFFLINE: {"cold build": 300, "warm rebuild": 20, "each lesson": 120, MEMORY: 1536},
    FULL_SIZE: {"cold build": 600, "each lesson": 180, "each cell": 60, MEMORY: 1536},
}
RECORD = ROOT / ".ci" / "benchmark.json"
README = ROOT / "README.md"
TABLE_START = "<!-- benchmark: written by python .ci/benchmark.py --record -->"
TABLE_END = "<!-- end of benchmark -->"
KERNEL_STARTUP = ROOT / ".ci" / "kernel_startup.py"


def reference_seconds(epochs=5):
    """The median time of one epoch of lesson 3's network on 4,000 MNIST images
    (the offline subset), after one epoch to warm up."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import keras

    from dlcourse.data import load_mnist

    digits = load_mnist(mode="offline")
    x, y = digits.x_train[..., None] / 255.0, digits.y_train
    keras.utils.set_random_seed(0)
    # Written out here, not read from the lesson, so that the yardstick stays
    # the same when the lesson changes.
    model = keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        keras.layers.Conv2D(16, 5, padding="same", activation="relu"),
        keras.layers.MaxPooling2D(pool_size=2, strides=2),
        keras.layers.Conv2D(32, 5, padding="same", activation="relu"),
        keras.layers.MaxPooling2D(pool_size=2, strides=2),
        keras.layers.Flatten(),
        keras.layers.Dense(128, activation="relu"),
        keras.layers.Dropout(0.4),
        keras.layers.Dense(10, activation="softmax"),
    ])
    model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
    model.fit(x, y, batch_size=128, epochs=1, verbose=0)
    times = []
    for _ in range(epochs):
        start = time.perf_counter()
        model.fit(x, y, batch_size=128, epochs=1, verbose=0)
        times.append(time.perf_counter() - start)
    return round(statistics.median(times), 3)


def kernel_environment(folder, full_size):
    """Environment variables under which every kernel of the build logs its cells'
    times into ``folder / "cells"`` (and, for the rehearsal, uses full-size
    stand-ins); the book's extension has the kernels run the start-up file."""
    startup = folder / "kernel_startup.py"
    # run_path keeps the start-up code's names out of the lessons' namespace.
    startup.write_text(f"import runpy\nrunpy.run_path({str(KERNEL_STARTUP)!r})\ndel runpy\n")
    (folder / "cells").mkdir()
    variables = {"COURSE_KERNEL_STARTUP": str(startup), "COURSE_CELL_LOG": str(folder / "cells")}
    if full_size:
        # Nothing but the stand-ins: no download is attempted or timed.
        variables.update(COURSE_FULL_SIZE="1", DLCOURSE_DATA="offline")
    return {**os.environ, **variables}


def timed_build(build, environment=None):
    """Build the book, its log going to this process's output; return the seconds."""
    start = time.perf_counter()
    result = subprocess.run(build, cwd=ROOT, env=environment)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"benchmark: the build failed (exit status {result.returncode}); see above")
    return round(seconds, 1)


def execution_seconds(build_folder):
    """Each executed page's execution time, from myst-nb's execution cache."""
    from jupyter_cache import get_cache

    seconds = {}
    for record in get_cache(build_folder / ".jupyter_cache").list_cache_records():
        seconds[page_of(record.uri)] = round(record.data["execution_seconds"], 1)
    return dict(sorted(seconds.items()))


def page_of(path):
    return Path(path).resolve().relative_to(ROOT).with_suffix("").as_posix()


def code_cells(page):
    import jupytext

    notebook = jupytext.read(ROOT / f"{page}.md")
    return [cell.source for cell in notebook.cells if cell.cell_type == "code"]


def kernel_logs(folder, pages):
    """The cells each page's kernel logged in ``folder`` (one list per kernel: a
    page executed twice has two): each log is matched to the page with the most
    cells of the same source. A log that matches no page is reported and left
    out: a glitch in measuring must not fail the build step of CI."""
    sources = {page: set(code_cells(page)) for page in pages}
    if not any(folder.glob("*.jsonl")):
        print(f"benchmark: no kernel logged its cells in {folder}; does "
              "_ext/course_build.py still give the kernels COURSE_KERNEL_STARTUP?")
    logs = {}
    for log in sorted(folder.glob("*.jsonl")):
        cells = [json.loads(line) for line in log.read_text().splitlines()]
        page = max(sources, key=lambda page: sum(c["source"] in sources[page] for c in cells))
        if sum(c["source"] in sources[page] for c in cells) <= len(cells) / 2:
            print(f"benchmark: the {len(cells)} cells logged in {log.name} match no page")
            continue
        logs.setdefault(page, []).append(cells)
    return dict(sorted(logs.items()))


def slowest_cells(logs):
    """The slowest cell of each page, from its kernels' logs (see kernel_logs)."""
    slowest = {}
    for page, runs in logs.items():
        if len(runs) > 1:
            print(f"benchmark: {page} was executed twice; its slower cell is kept")
        number, cell = max((item for cells in runs for item in enumerate(cells, 1)),
                           key=lambda item: item[1]["seconds"])
        slowest[page] = {"seconds": round(cell["seconds"], 1),
                         "cell": f"cell {number}: {first_line(cell['source'])}"}
    return slowest


def peak_memory(logs):
    """The most resident memory each page's kernel used, in MB, from its kernels'
    logs (see kernel_logs): the larger, for a page executed twice. A page whose
    kernel logged no memory (a system without Linux's /proc) has no figure."""
    peaks = {page: [cell["peak_mb"] for cells in runs for cell in cells
                    if cell.get("peak_mb") is not None]
             for page, runs in logs.items()}
    return {page: round(max(figures)) for page, figures in peaks.items() if figures}


def first_line(source, width=60):
    """The first line of code of a cell, shortened to ``width`` characters."""
    lines = [line.strip() for line in source.splitlines()]
    line = next((line for line in lines if line and not line.startswith(("#", "---", ":"))),
                "")
    return line if len(line) <= width else line[:width - 1] + "…"


def data_used(full_size):
    """Which data the lessons could use: the rehearsal's stand-ins, or the mode
    set, and in "auto" whether the server of the full data sets answered."""
    if full_size:
        return "full-size stand-ins made from the offline data (time, not accuracy)"
    from dlcourse.data import data_mode

    mode = data_mode()
    if mode != "auto":
        return mode
    try:
        socket.create_connection(("storage.googleapis.com", 443), timeout=5).close()
        return "online (auto)"
    except OSError:
        return "offline (auto: no connection to the data sets' server)"


def git_commit():
    result = subprocess.run(["git", "describe", "--always", "--dirty"], cwd=ROOT,
                            capture_output=True, text=True)
    return result.stdout.strip() or None


def measure(full_size):
    data = data_used(full_size)
    # The real online build runs at full size too, and is judged by its budgets.
    size = FULL_SIZE if full_size or data.startswith("online") else OFFLINE
    reference = reference_seconds()
    # As cold as a fresh clone: no build folder and no generated API pages.
    shutil.rmtree(ROOT / "lessons" / "api", ignore_errors=True)
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        if full_size:
            # Pages made from stand-ins must never be cached or published: the
            # rehearsal builds outside _build.
            output = folder / "book"
            build = BUILD + ["--path-output", str(output)]
        else:
            output = ROOT
            build = BUILD
        shutil.rmtree(output / "_build", ignore_errors=True)
        builds = {"cold build": timed_build(build, kernel_environment(folder, full_size))}
        executed = execution_seconds(output / "_build")
        logs = kernel_logs(folder / "cells", executed)
        if "warm rebuild" in BUDGETS[size]:
            builds["warm rebuild"] = timed_build(build)
    return {
        "measured": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "commit": git_commit(),
        # The cores this process may use, which a container can limit.
        "machine": {"cores": len(os.sched_getaffinity(0)), "system": platform.platform(),
                    "python": platform.python_version()},
        "size": size,
        "data": data,
        "reference_seconds": reference,
        "budgets": BUDGETS[size],  # in seconds; MEMORY in MB
        "build_seconds": builds,
        "execution_seconds": executed,
        "slowest_cell": slowest_cells(logs),
        "peak_memory_mb": peak_memory(logs),
    }


def verdicts(figures):
    """(what, figure, unit, budget, within budget) for every figure measured: unit
    is "s" (seconds) or "MB" (peak memory); budget is None where there is none.
    A record made before memory was measured has no memory figures, and calls
    its budgets budgets_seconds."""
    budgets = figures.get("budgets", figures.get("budgets_seconds"))
    peaks = figures.get("peak_memory_mb", {})
    rows = [(what, seconds, "s", budgets.get(what))
            for what, seconds in figures["build_seconds"].items()]
    for page, seconds in figures["execution_seconds"].items():
        rows.append((f"execution of {page}", seconds, "s", budgets["each lesson"]))
        if page in figures["slowest_cell"]:
            rows.append((f"  slowest cell of {page}", figures["slowest_cell"][page]["seconds"],
                         "s", budgets.get("each cell")))
        if page in peaks:
            rows.append((f"  peak memory of {page}", peaks[page], "MB", budgets.get(MEMORY)))
    return [(what, figure, unit, budget, budget is None or figure <= budget)
            for what, figure, unit, budget in rows]


def times_reference(seconds, figures):
    return f"{seconds / figures['reference_seconds']:.0f}×"


def report(figures):
    reference = figures["reference_seconds"]
    lines = [f"{figures['size']} ({figures['data']}); reference workload {reference:.2f} s",
             f"{'':<50} {'seconds':>8} {'× ref':>7} {'budget':>7}"]
    for what, figure, unit, budget, within in verdicts(figures):
        if unit == "s":
            shown, multiple = f"{figure:.1f}", times_reference(figure, figures)
        else:  # memory has no multiple of the reference: that column gives its unit
            shown, multiple = f"{figure:.0f}", unit
        lines.append(f"{what:<50} {shown:>8} {multiple:>7} "
                     f"{'' if budget is None else budget:>7} {'' if within else 'OVER BUDGET'}")
    for page, cell in figures["slowest_cell"].items():
        lines.append(f"slowest of {page}: {cell['cell']}")
    return "\n".join(lines)


def readme_table(recorded):
    """The README's table of the figures last recorded at each size, in Markdown."""
    sizes = [size for size in (OFFLINE, FULL_SIZE) if size in recorded]
    lines = [TABLE_START]
    for size in sizes:
        figures = recorded[size]
        machine = figures["machine"]
        lines.append(
            f"- **{size.capitalize()}**: measured {figures['measured'][:10]} at commit "
            f"`{figures['commit']}`, on {machine['cores']} cores with Python "
            f"{machine['python']}; data: {figures['data']}; reference workload "
            f"{figures['reference_seconds']:.2f} s.")
    header = " | ".join(f"{size.capitalize()}: seconds (× reference) | Budget" for size in sizes)
    lines += ["", f"| What | {header} |", "|---" + "|---:|---:" * len(sizes) + "|"]
    rows = {}
    for size in sizes:
        for what, figure, unit, budget, within in verdicts(recorded[size]):
            if unit == "s":
                shown = f"{figure:.1f} ({times_reference(figure, recorded[size])})"
                limit = "" if budget is None else budget
            else:  # memory, whose budget is in MB too
                shown, limit = f"{figure:.0f} {unit}", f"{budget} {unit}"
            rows.setdefault(what.strip(), {})[size] = (
                f"{shown} | {limit}{'' if within else ' (over)'}")
    for what, cells in rows.items():
        lines.append(f"| {what} | " + " | ".join(cells.get(size, "– | –") for size in sizes) + " |")
    lines.append(TABLE_END)
    return "\n".join(lines)


def update_readme(recorded):
    text = README.read_text()
    pattern = re.compile(re.escape(TABLE_START) + ".*?" + re.escape(TABLE_END), re.S)
    if not pattern.search(text):
        sys.exit(f"benchmark: README.md has no table to update (between {TABLE_START!r} "
                 f"and {TABLE_END!r})")
    README.write_text(pattern.sub(lambda match: readme_table(recorded), text))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--full-size", action="store_true",
                        help="execute the lessons with the online data's sizes, from "
                             "stand-ins (times only)")
    parser.add_argument("--output", type=Path, default=ROOT / "_build" / "benchmark.json",
                        help="where to write the figures (default: _build/benchmark.json)")
    parser.add_argument("--record", action="store_true",
                        help="also write .ci/benchmark.json and the README's table")
    args = parser.parse_args(argv)
    figures = measure(args.full_size)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(figures, indent=2) + "\n")
    if args.record:
        previous = json.loads(RECORD.read_text()) if RECORD.exists() else {}
        # The figures of the other size stay as they were recorded.
        recorded = {size: previous[size] for size in BUDGETS if size in previous}
        recorded[figures["size"]] = figures
        RECORD.write_text(json.dumps(recorded, indent=2) + "\n")
        update_readme(recorded)
    print("\n=== benchmark\n" + report(figures))
    print(f"figures written to {args.output}" + (", .ci/benchmark.json and README.md"
                                                  if args.record else ""))


if __name__ == "__main__":
    main()
