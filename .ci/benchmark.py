"""Measure the book's build against its budgets: a cold build (nothing cached,
every lesson executed), a warm rebuild (nothing changed), and how long each
page took to execute. Prints the figures beside the budgets and writes them to
a JSON file; a figure over budget is reported, not a failure (the machine's
speed varies from run to run).

    python .ci/benchmark.py            # figures in _build/benchmark.json
    python .ci/benchmark.py --record   # also .ci/benchmark.json and the README's table

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
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ["jupyter-book", "build", ".", "-W", "--keep-going"]
BUDGETS = {"cold build": 300, "warm rebuild": 20, "each lesson": 120}  # seconds, 2 cores
RECORD = ROOT / ".ci" / "benchmark.json"
README = ROOT / "README.md"
TABLE_START = "<!-- benchmark: written by python .ci/benchmark.py --record -->"
TABLE_END = "<!-- end of benchmark -->"


def timed_build():
    """Build the book, its log going to this process's output; return the seconds."""
    start = time.perf_counter()
    result = subprocess.run(BUILD, cwd=ROOT)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"benchmark: the build failed (exit status {result.returncode}); see above")
    return round(seconds, 1)


def execution_seconds():
    """Each executed page's execution time, from myst-nb's execution cache."""
    from jupyter_cache import get_cache

    seconds = {}
    for record in get_cache(ROOT / "_build" / ".jupyter_cache").list_cache_records():
        page = Path(record.uri).resolve().relative_to(ROOT).with_suffix("").as_posix()
        seconds[page] = round(record.data["execution_seconds"], 1)
    return dict(sorted(seconds.items()))


def data_used():
    """Which data the lessons could use: the mode set, and in "auto" whether the
    server of the full data sets answered (the offline data are far smaller,
    so the times differ)."""
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


def measure():
    # As cold as a fresh clone: no build folder and no generated API pages.
    shutil.rmtree(ROOT / "_build", ignore_errors=True)
    shutil.rmtree(ROOT / "lessons" / "api", ignore_errors=True)
    cold = timed_build()
    warm = timed_build()
    return {
        "measured": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "commit": git_commit(),
        # The cores this process may use, which a container can limit.
        "machine": {"cores": len(os.sched_getaffinity(0)), "system": platform.platform(),
                    "python": platform.python_version()},
        "data": data_used(),
        "budgets_seconds": BUDGETS,
        "cold_build_seconds": cold,
        "warm_rebuild_seconds": warm,
        "execution_seconds": execution_seconds(),
    }


def verdicts(figures):
    """(what, seconds, budget, within budget) for every figure measured."""
    budgets = figures["budgets_seconds"]
    rows = [("cold build", figures["cold_build_seconds"], budgets["cold build"]),
            ("warm rebuild", figures["warm_rebuild_seconds"], budgets["warm rebuild"])]
    rows += [(f"execution of {page}", seconds, budgets["each lesson"])
             for page, seconds in figures["execution_seconds"].items()]
    return [(what, seconds, budget, seconds <= budget) for what, seconds, budget in rows]


def report(figures):
    lines = [f"{'':<40} {'seconds':>8} {'budget':>7}"]
    for what, seconds, budget, within in verdicts(figures):
        lines.append(f"{what:<40} {seconds:>8.1f} {budget:>7} {'' if within else 'OVER BUDGET'}")
    return "\n".join(lines)


def readme_table(figures):
    """The README's table of the figures, in Markdown."""
    machine = figures["machine"]
    lines = [TABLE_START,
             f"Measured {figures['measured'][:10]} at commit `{figures['commit']}`, on "
             f"{machine['cores']} cores with Python {machine['python']}; data: "
             f"{figures['data']}.",
             "",
             "| What | Seconds | Budget |",
             "|---|---:|---:|"]
    for what, seconds, budget, within in verdicts(figures):
        lines.append(f"| {what} | {seconds:.1f} | {budget}{'' if within else ' (over)'} |")
    lines.append(TABLE_END)
    return "\n".join(lines)


def update_readme(figures):
    text = README.read_text()
    pattern = re.compile(re.escape(TABLE_START) + ".*?" + re.escape(TABLE_END), re.S)
    if not pattern.search(text):
        sys.exit(f"benchmark: README.md has no table to update (between {TABLE_START!r} "
                 f"and {TABLE_END!r})")
    README.write_text(pattern.sub(lambda match: readme_table(figures), text))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=ROOT / "_build" / "benchmark.json",
                        help="where to write the figures (default: _build/benchmark.json)")
    parser.add_argument("--record", action="store_true",
                        help="also write .ci/benchmark.json and the README's table")
    args = parser.parse_args(argv)
    figures = measure()
    text = json.dumps(figures, indent=2) + "\n"
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text)
    if args.record:
        RECORD.write_text(text)
        update_readme(figures)
    print("\n=== benchmark\n" + report(figures))
    print(f"figures written to {args.output}" + (", .ci/benchmark.json and README.md"
                                                  if args.record else ""))


if __name__ == "__main__":
    main()
