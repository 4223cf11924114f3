"""Grade learners' exercise notebooks in one command.

An instructor who collects the student notebooks (from ``exercises/student/``,
filled in by the learners) runs::

    python -m dlcourse.grade alice.ipynb bob.ipynb

Each notebook is run from top to bottom in a fresh Python kernel, in its own
folder, exactly as a learner's *Run all* would: it runs the learner's code on
your computer, so grade only notebooks you would open yourself. Then every
exercise gets one line: correct, not correct (with the learner's answer and
the checker's hint), not answered, an error (one sentence, not a traceback),
or, for a question answered in words, the learner's text to read. An error in
one cell does not stop the others. Given several notebooks, it ends with a
table of the class: a row per notebook, a column per exercise, and how many got
each exercise right. ``--csv FILE`` writes that table for a spreadsheet;
``--json`` prints every result for a script.

Nothing here reads the lesson's words. The notebook generator
(``_ext/lesson_notebooks.py``) marks each cell of an exercise in its metadata,
``{"dlcourse": {"exercise": "2.4", "role": "answer"}}``, and a checker's result
carries its status as data in its output's metadata (:data:`dlcourse.check.FEEDBACK_KEY`).
Rewording a heading or a message changes no grade.
"""

import argparse
import csv
import json
import re
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from dlcourse.check import FEEDBACK_KEY

__all__ = ["WRITTEN_ANSWER", "Check", "Exercise", "Report", "class_table", "format_class_table",
           "format_report", "grade", "main"]

#: The statuses of a check beyond the checkers' own.
ERROR, NO_RESULT, NOT_RUN = "error", "no result", "not run"
#: What the cell for an answer in words says before the learner writes.
WRITTEN_ANSWER = "*Your answer:*"

_CHECKER_CALL = re.compile(r"\bcheck\.\w+\(")
# The cells whose checker calls are graded: a learner's answers, and in the
# solutions notebook the solutions (all of them should say Correct!).
_GRADED = {"answer", "solution"}
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_STATUS_ORDER = ["correct", "not correct", "error", "not answered", "to read",
                 "nothing to check"]


@dataclass
class Check:
    """One checker call in a notebook, and what it said when the notebook ran.

    :param cell: the cell's position in the notebook, counting from 1.
    :param answer: the line of the cell that gives the answer, such as ``mse = 0.25``.
    :param status: ``"correct"``, ``"incorrect"``, ``"not yet"`` or ``"invalid"`` (as
        the checker said), ``"error"`` (the cell raised an exception), ``"no result"``
        (the cell ran but no checker spoke) or ``"not run"``.
    :param message: the checker's sentence, or the error in one line.
    """

    cell: int
    answer: str
    status: str
    message: str


@dataclass
class Exercise:
    """One exercise of a notebook and its results.

    :param number: the exercise's number, such as ``"2.4"``.
    :param title: its title.
    :param checks: its checker calls, in order.
    :param written: for a question answered in words, the learner's text (``""`` when
        none was written); ``None`` when the exercise has no place to write.
    """

    number: str
    title: str
    checks: list = field(default_factory=list)
    written: "str | None" = None

    @property
    def status(self):
        """``"correct"``, ``"not correct"``, ``"not answered"``, ``"error"``,
        ``"to read"`` (words to read, nothing to check) or ``"nothing to check"``."""
        statuses = {check.status for check in self.checks}
        if statuses:
            if statuses == {"correct"}:
                return "correct"
            if statuses == {"not yet"}:
                return "not answered"
            if statuses & {ERROR, NO_RESULT, NOT_RUN}:
                return "error"
            return "not correct"
        if self.written is None:
            return "nothing to check"
        return "to read" if self.written else "not answered"


@dataclass
class Report:
    """The results of one notebook.

    :param path: the notebook.
    :param exercises: its exercises, in order.
    :param seconds: how long it took to run.
    :param stopped: why the run stopped before the end, or ``None`` when it finished.
    :param first_error: the first error in a cell that is not a checker's, such as a
        failed import, which can make later cells fail too; ``None`` when there was none.
    """

    path: str
    exercises: list
    seconds: float
    stopped: "str | None" = None
    first_error: "str | None" = None

    def counts(self):
        """How many exercises have each status, as a dictionary."""
        counts = {}
        for exercise in self.exercises:
            counts[exercise.status] = counts.get(exercise.status, 0) + 1
        return counts


def _read(path):
    try:  # Jupyter's own packages: there wherever the course's notebooks run
        import nbclient  # noqa: F401
        import nbformat
    except ImportError:
        raise ValueError("Grading runs notebooks with Jupyter's nbclient: install it with "
                         "`python -m pip install nbclient ipykernel`.") from None

    path = Path(path)
    if not path.is_file():
        raise ValueError(f"There is no notebook at {path}.")
    try:
        notebook = nbformat.read(path, as_version=4)
    except Exception as error:  # nbformat raises several kinds for a bad file
        raise ValueError(f"{path} is not a Jupyter notebook ({error}).") from None
    if not any(_mark(cell).get("exercise") for cell in notebook.cells):
        raise ValueError(
            f"{path} has no cells marked as exercises of this course: grade the notebooks made "
            "from exercises/student/ (a copy made before they were marked cannot be graded; "
            "the learner can move the answers into a new copy)."
        )
    return notebook


def _mark(cell):
    """What the cell is to the exercises, from its metadata (see the module's doc)."""
    mark = cell.get("metadata", {}).get("dlcourse", {})
    return mark if isinstance(mark, dict) else {}


def _run(notebook, folder, timeout):
    """Run every cell, errors or not; return why the run stopped early, or None."""
    from jupyter_client.kernelspec import NoSuchKernel
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    for cell in notebook.cells:  # outputs the learner saved must not count
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                            allow_errors=True, resources={"metadata": {"path": str(folder)}})
    try:
        # The kernel's own log (TensorFlow's start-up messages) is not for the report.
        client.execute(stderr=subprocess.DEVNULL)
    except NoSuchKernel:
        raise ValueError("There is no Jupyter kernel named python3 to run the notebook: "
                         "install one with `python -m pip install ipykernel`.") from None
    except CellTimeoutError:
        return f"a cell ran for more than {timeout} s, and the run was stopped there"
    except DeadKernelError:
        return "the Python kernel died (out of memory?), and the run was stopped there"
    return None


def _error(cell):
    """The cell's error in one line, or None."""
    for output in cell.outputs:
        if output.output_type == "error":
            return _ANSI.sub("", f"{output.ename}: {output.evalue}").strip()
    return None


def _first_error(notebook):
    for position, cell in enumerate(notebook.cells, start=1):
        if cell.cell_type == "code" and _mark(cell).get("role") not in _GRADED:
            error = _error(cell)
            if error:
                return f"cell {position} stopped with {error}"
    return None


def _check_results(cell, position):
    """One :class:`Check` per checker call in a code cell that has run."""
    answer = next((line.strip() for line in cell.source.splitlines()
                   if re.match(r"\s*\w+\s*=", line)), "")
    calls = len(_CHECKER_CALL.findall(cell.source))
    if cell.execution_count is None:
        return [Check(position, answer, NOT_RUN, "This cell did not run.")] * calls
    said, error = [], _error(cell)
    for output in cell.outputs:
        result = output.get("metadata", {}).get(FEEDBACK_KEY)
        if isinstance(result, dict) and {"status", "message"} <= set(result):
            said.append(Check(position, answer, result["status"], result["message"]))
    if error is not None:
        said.append(Check(position, answer, ERROR, f"The cell stopped with {error}"))
    missing = calls - len(said)
    if missing > 0:
        said += [Check(position, answer, NO_RESULT, "The cell ran, but no checker said "
                       "anything: is the checker call still its last line?")] * missing
    return said


def _exercises(notebook):
    exercises = {}  # number -> Exercise, in the notebook's order
    for position, cell in enumerate(notebook.cells, start=1):
        mark = _mark(cell)
        number = mark.get("exercise")
        if not number:
            continue
        exercise = exercises.setdefault(number, Exercise(str(number), ""))
        role = mark.get("role")
        if role == "exercise":
            exercise.title = str(mark.get("title", ""))
        elif role not in _GRADED:
            continue
        elif cell.cell_type == "code" and _CHECKER_CALL.search(cell.source):
            exercise.checks += _check_results(cell, position)
        elif cell.cell_type == "markdown" and role == "answer":
            written = cell.source.strip().removeprefix(WRITTEN_ANSWER).strip()
            exercise.written = ((exercise.written or "") + "\n" + written).strip()
    return list(exercises.values())


def grade(path, timeout=600):
    """Run a learner's exercise notebook and report on each exercise.

    :param path: a notebook made from one of ``exercises/student/``.
    :param timeout: the longest, in seconds, that one cell may run.
    :returns: a :class:`Report`.
    :raises ValueError: when there is no notebook at ``path``, it is not one of the
        course's exercise notebooks, or there is no Python kernel to run it.

    >>> grade("missing.ipynb")
    Traceback (most recent call last):
    ...
    ValueError: There is no notebook at missing.ipynb.
    """
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0:
        raise ValueError(f"timeout must be a positive number of seconds; got {timeout!r}.")
    notebook = _read(path)
    start = time.perf_counter()
    stopped = _run(notebook, Path(path).resolve().parent, timeout)
    seconds = time.perf_counter() - start
    return Report(str(path), _exercises(notebook), seconds, stopped, _first_error(notebook))


def format_report(report):
    """The report as text: one line per exercise, then details and a summary.

    :param report: a :class:`Report` from :func:`grade`.
    :returns: the text.
    """
    lines = [f"{report.path} (ran in {report.seconds:.0f} s)"]
    if report.stopped:
        lines.append(f"  The run stopped early: {report.stopped}.")
    if report.first_error:
        lines.append(f"  Outside the exercises, {report.first_error}; "
                     "later cells may fail because of it.")
    width = max(len(exercise.title) for exercise in report.exercises)
    for exercise in report.exercises:
        lines.append(f"  Exercise {exercise.number:<5} {exercise.title:<{width}}  "
                     f"{exercise.status}")
        for check in exercise.checks:
            if check.status != "correct" and exercise.status != "not answered":
                lines.append(f"      cell {check.cell}: {check.answer}")
                lines.append(f"          {check.message}")
        if exercise.written:
            lines += [f"      | {line}" for line in exercise.written.splitlines()]
    counts = report.counts()
    summary = ", ".join(f"{counts[status]} {status}" for status in _STATUS_ORDER
                        if status in counts)
    count = len(report.exercises)
    lines.append(f"  {count} exercise{'' if count == 1 else 's'}: {summary}.")
    return "\n".join(lines)


#: How the class table on screen writes each status of an exercise: short, so that an
#: exercise's column stays narrow. The CSV file has the statuses in full.
_SHORT = {"correct": "right", "not correct": "wrong", "not answered": "blank",
          "error": "error", "to read": "read", "nothing to check": "-"}


def class_table(results):
    """The class at a glance: a row per notebook, a column per exercise, and a last row
    with how many notebooks got each exercise right.

    :param results: ``(path, report)`` pairs, in order, where ``report`` is a
        :class:`Report`, or the sentence that says why the notebook could not be graded.
    :returns: the table as rows of strings, the first one its header: ``notebook``, the
        exercises' numbers, ``note``. A cell is the exercise's status (see
        :attr:`Exercise.status`), empty where the notebook lacks the exercise; the note
        says why a notebook could not be graded or stopped early.

    >>> class_table([("bob.ipynb", "There is no notebook at bob.ipynb.")])
    [['notebook', 'note'], ['bob.ipynb', 'There is no notebook at bob.ipynb.'], ['right', '']]
    """
    numbers = []
    for _, report in results:
        for exercise in getattr(report, "exercises", []):
            if exercise.number not in numbers:
                numbers.append(exercise.number)
    rows = [["notebook", *numbers, "note"]]
    right = dict.fromkeys(numbers, 0)
    graded = sum(isinstance(report, Report) for _, report in results)
    for path, report in results:
        if not isinstance(report, Report):
            rows.append([str(path), *[""] * len(numbers), str(report)])
            continue
        statuses = {exercise.number: exercise.status for exercise in report.exercises}
        for number, status in statuses.items():
            right[number] += status == "correct"
        note = (f"The run stopped early: {report.stopped}." if report.stopped else
                f"Outside the exercises, {report.first_error}." if report.first_error else "")
        rows.append([str(path), *[statuses.get(number, "") for number in numbers], note])
    rows.append(["right", *[f"{right[number]}/{graded}" for number in numbers], ""])
    return rows


def format_class_table(rows):
    """The class table as text, each status in a word of its own (see :func:`class_table`).

    :param rows: the rows from :func:`class_table`.
    :returns: the text, in aligned columns.
    """
    shown = [rows[0]] + [[row[0], *[_SHORT.get(cell, cell) for cell in row[1:-1]], row[-1]]
                         for row in rows[1:]]
    widths = [max(len(row[column]) for row in shown) for column in range(len(rows[0]) - 1)]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)) +
             (f"  {row[-1]}" if row[-1] else "") for row in shown]
    return "\n".join(line.rstrip() for line in lines)


def main(argv=None):
    """The command line: ``python -m dlcourse.grade NOTEBOOK... [--csv FILE] [--json]
    [--timeout S]``.

    :returns: 0 when every notebook was graded, 1 when one could not be.
    """
    parser = argparse.ArgumentParser(
        prog="python -m dlcourse.grade",
        description="Run learners' exercise notebooks and report each exercise.",
    )
    parser.add_argument("notebooks", nargs="+", help="the notebooks to grade")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--csv", metavar="FILE",
                        help="write the class table (a row per notebook) to FILE")
    parser.add_argument("--timeout", type=float, default=600,
                        help="the longest one cell may run, in seconds (600)")
    arguments = parser.parse_args(argv)
    results = []
    for path in arguments.notebooks:
        try:
            report = grade(path, timeout=arguments.timeout)
        except ValueError as error:
            print(error, file=sys.stderr)
            results.append((path, str(error)))
            continue
        results.append((path, report))
        if not arguments.json:
            print(format_report(report), end="\n\n", flush=True)
    reports = [report for _, report in results if isinstance(report, Report)]
    table = class_table(results)
    if len(results) > 1 and not arguments.json:
        print(format_class_table(table))
    if arguments.csv:
        try:
            with open(arguments.csv, "w", newline="", encoding="utf-8") as file:
                csv.writer(file).writerows(table)
        except OSError as error:
            print(f"Could not write the class table to {arguments.csv}: {error.strerror}.",
                  file=sys.stderr)
            return 1
    if arguments.json:
        print(json.dumps([{**asdict(report), "exercises": [
            {**asdict(exercise), "status": exercise.status} for exercise in report.exercises
        ]} for report in reports], indent=2))
    return 1 if len(reports) < len(results) else 0


if __name__ == "__main__":
    sys.exit(main())
