"""The instructor's one-command grading of a learner's exercise notebook."""

import csv
import json
import sys

import nbformat
import pytest

from dlcourse import grade
from dlcourse.check import FEEDBACK_KEY

SETUP = "from dlcourse import check"


def notebook(tmp_path, *cells, name="learner.ipynb", marked=True):
    """A notebook laid out like exercises/student/, from ("md"|"code", source) pairs and
    exercise() statements. As the notebook generator does, it marks each statement with
    its exercise's number and title, and the cells after it as the exercise's answers;
    `marked=False` leaves the marks out, as in a copy made before there were any."""
    new = {"md": nbformat.v4.new_markdown_cell, "code": nbformat.v4.new_code_cell}
    made, current = [], None
    for kind, source, *mark in cells:
        made.append(new[kind](source))
        if mark:
            current = mark[0]["exercise"]
        if current and marked:
            made[-1].metadata["dlcourse"] = (mark[0] if mark else
                                             {"exercise": current, "role": "answer"})
    book = nbformat.v4.new_notebook(cells=made)
    book.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                   "language": "python"}
    path = tmp_path / name
    nbformat.write(book, path)
    return path


def exercise(number, title, text="Work it out."):
    """An exercise's statement as the generator writes it, with its mark."""
    return ("md", f"> **Exercise {number}: {title}**\n>\n> {text}",
            {"exercise": number, "role": "exercise", "title": title})


LEARNER_CELLS = [
    ("md", "# Exercises: 2. Neurons"),
    ("code", SETUP),
    exercise("2.1", "Right"),
    ("code", "output = 1.25  # a number\ncheck.neuron_output(output)"),
    exercise("2.2", "Wrong"),
    ("code", "output = 0.25  # a number\ncheck.neuron_output(output)"),
    exercise("2.3", "Blank"),
    ("code", "output = ...  # a number\ncheck.neuron_output(output)"),
    exercise("2.4", "Broken"),
    ("code", "mse = [1, 2  # a number\ncheck.mean_squared_error(mse)"),
    exercise("2.5", "Half done"),
    ("code", "output = 1.25\ncheck.neuron_output(output)"),
    ("code", "mse = ...\ncheck.mean_squared_error(mse)"),
    exercise("2.6", "Nonsense"),
    ("code", 'new_weight = "three"\ncheck.gradient_step(new_weight)'),
    exercise("2.7", "In words"),
    ("md", "*Your answer:* The loss grows,\nbecause each step overshoots."),
    exercise("2.8", "Left blank"),
    ("md", "*Your answer:*"),
    exercise("2.9", "Call removed"),
    ("code", "output = 1.25"),
    ("code", "import numpy as np\nnp.linspace(0, 1, 3)"),
]


@pytest.fixture(scope="module")
def learner(tmp_path_factory):
    """One learner's notebook with every kind of answer, graded once."""
    path = notebook(tmp_path_factory.mktemp("learner"), *LEARNER_CELLS)
    # The learner's saved outputs must not count: this one claims success.
    saved = nbformat.read(path, as_version=4)
    saved.cells[5].outputs = [nbformat.v4.new_output(
        "execute_result", {"text/plain": "Correct! The output is 1.25."}, execution_count=1,
        metadata={FEEDBACK_KEY: {"status": "correct", "message": "Correct! The output is 1.25."}})]
    nbformat.write(saved, path)
    return grade.grade(path)


def by_number(report):
    return {exercise.number: exercise for exercise in report.exercises}


def test_every_exercise_gets_its_own_result(learner):
    statuses = {number: exercise.status for number, exercise in by_number(learner).items()}
    assert statuses == {
        "2.1": "correct", "2.2": "not correct", "2.3": "not answered", "2.4": "error",
        "2.5": "not correct", "2.6": "not correct", "2.7": "to read", "2.8": "not answered",
        "2.9": "nothing to check",
    }
    assert learner.stopped is None and learner.first_error is None


def test_a_wrong_answer_shows_the_answer_and_the_checkers_hint(learner):
    (check,) = by_number(learner)["2.2"].checks
    assert check.status == "incorrect"
    assert check.answer == "output = 0.25  # a number"
    assert check.message.startswith("Not quite.")


def test_an_error_is_one_line_not_a_traceback(learner):
    (check,) = by_number(learner)["2.4"].checks
    assert check.status == grade.ERROR
    assert check.message.startswith("The cell stopped with SyntaxError:")
    assert "\n" not in check.message and "Traceback" not in check.message


def test_each_checker_call_of_an_exercise_is_reported(learner):
    half_done = by_number(learner)["2.5"]
    assert [check.status for check in half_done.checks] == ["correct", "not yet"]
    assert by_number(learner)["2.6"].checks[0].status == "invalid"


def test_words_written_for_a_discussion_are_kept_to_read(learner):
    assert by_number(learner)["2.7"].written == ("The loss grows,\n"
                                                 "because each step overshoots.")
    assert by_number(learner)["2.8"].written == ""


def test_the_text_report_has_one_line_per_exercise_and_a_summary(learner):
    text = grade.format_report(learner)
    for number, exercise in by_number(learner).items():
        (line,) = [line for line in text.splitlines() if f"Exercise {number} " in line]
        assert exercise.title in line and line.endswith(exercise.status)
    assert "      | because each step overshoots." in text
    assert text.splitlines()[-1] == ("  9 exercises: 1 correct, 3 not correct, 1 error, "
                                     "2 not answered, 1 to read, 1 nothing to check.")


def test_an_error_outside_the_exercises_is_named_once(tmp_path):
    report = grade.grade(notebook(
        tmp_path,
        ("code", "from dlcourse import no_such_module"),
        exercise("1.1", "First"),
        ("code", "answer = 3\ncheck.neuron_output(answer)"),
    ))
    assert report.first_error.startswith("cell 1 stopped with ImportError: cannot import "
                                         "name 'no_such_module' from 'dlcourse'")
    assert report.exercises[0].checks[0].message == (
        "The cell stopped with NameError: name 'check' is not defined")
    assert "later cells may fail because of it" in grade.format_report(report)


def test_a_cell_that_runs_too_long_stops_the_run_and_later_checks_say_not_run(tmp_path):
    report = grade.grade(notebook(
        tmp_path,
        ("code", SETUP),
        exercise("1.1", "Slow"),
        ("code", "import time\ntime.sleep(30)"),
        ("code", "output = 1.25\ncheck.neuron_output(output)"),
    ), timeout=2)
    assert report.stopped == "a cell ran for more than 2 s, and the run was stopped there"
    assert [check.status for check in report.exercises[0].checks] == [grade.NOT_RUN]


@pytest.mark.parametrize("make, message", [
    (lambda tmp_path: tmp_path / "absent.ipynb", "There is no notebook at "),
    (lambda tmp_path: notebook(tmp_path, ("md", "# Notes"), ("code", "1 + 1")),
     "has no cells marked as exercises of this course"),
])
def test_a_file_that_is_not_a_course_notebook_gets_one_sentence(tmp_path, make, message):
    with pytest.raises(ValueError, match=message):
        grade.grade(make(tmp_path))


def test_a_file_that_is_not_a_notebook_gets_one_sentence(tmp_path):
    path = tmp_path / "answers.txt"
    path.write_text("the answer is 1.25")
    with pytest.raises(ValueError, match=r"answers.txt is not a Jupyter notebook \("):
        grade.grade(path)


@pytest.mark.parametrize("timeout", [0, -5, "60", True])
def test_a_bad_timeout_gets_one_sentence(tmp_path, timeout):
    with pytest.raises(ValueError, match="timeout must be a positive number of seconds"):
        grade.grade(tmp_path / "absent.ipynb", timeout=timeout)


def test_the_command_grades_several_notebooks_and_prints_json(tmp_path, capsys):
    good = notebook(tmp_path, ("code", SETUP), exercise("1.1", "Only"),
                    ("code", "output = 1.25\ncheck.neuron_output(output)"))
    assert grade.main([str(good), str(tmp_path / "absent.ipynb"), "--json"]) == 1
    out, err = capsys.readouterr()
    (report,) = json.loads(out)
    assert report["path"] == str(good)
    assert report["exercises"] == [{
        "number": "1.1", "title": "Only", "written": None, "status": "correct",
        "checks": [{"cell": 3, "answer": "output = 1.25", "status": "correct",
                    "message": "Correct! The neuron's output is 1.25."}],
    }]
    assert err == f"There is no notebook at {tmp_path / 'absent.ipynb'}.\n"
    assert grade.main([str(good)]) == 0
    assert "1 exercise: 1 correct." in capsys.readouterr().out


def test_without_jupyters_packages_grading_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "nbclient", None)  # as if it were not installed
    with pytest.raises(ValueError, match=r"install it with `python -m pip install nbclient"):
        grade.grade(tmp_path / "absent.ipynb")


def test_reworded_headings_and_messages_give_the_same_grades(tmp_path, learner):
    """The grades come from the cells' marks and the checkers' data, not from words."""
    reworded = []
    for kind, source, *mark in LEARNER_CELLS:
        if mark:
            source = f"### Task {mark[0]['exercise']}, new wording\n\nSomething else entirely."
        if source == SETUP:  # every checker's sentence starts differently now
            source += ("\ncheck.MESSAGE_STARTS.update({'correct': 'Bravo.', "
                       "'incorrect': 'Hmm.', 'invalid': 'Huh?'})\n"
                       "check._NOT_YET = check.Feedback('not yet', 'Waiting for you.')")
        reworded.append((kind, source, *mark))
    report = grade.grade(notebook(tmp_path, *reworded))

    def grades(report):
        return [(exercise.number, exercise.title, exercise.status, exercise.written,
                 [check.status for check in exercise.checks]) for exercise in report.exercises]

    assert grades(report) == grades(learner)
    messages = [check.message for exercise in report.exercises for check in exercise.checks]
    assert "Bravo. The neuron's output is 1.25." in messages  # the words did change


def test_a_copy_made_before_the_marks_gets_one_sentence(tmp_path):
    old = notebook(tmp_path, ("code", SETUP), exercise("1.1", "Only"),
                   ("code", "output = 1.25\ncheck.neuron_output(output)"), marked=False)
    with pytest.raises(ValueError, match="has no cells marked as exercises of this course"):
        grade.grade(old)


def test_several_notebooks_end_with_the_class_table_and_csv_writes_it(tmp_path, capsys):
    cells = [("code", SETUP), exercise("1.1", "Neuron"), None, exercise("1.2", "Gradient"),
             ("code", "new_weight = ...\ncheck.gradient_step(new_weight)")]
    paths = []
    for name, answer in [("ada", "1.25"), ("ben", "0.5")]:
        cells[2] = ("code", f"output = {answer}\ncheck.neuron_output(output)")
        paths.append(str(notebook(tmp_path, *cells, name=f"{name}.ipynb")))
    paths.append(str(tmp_path / "cat.ipynb"))  # never handed in
    table_file = tmp_path / "class.csv"
    assert grade.main([*paths, "--csv", str(table_file)]) == 1  # one could not be graded
    out = capsys.readouterr().out
    table = out[out.index("notebook "):].splitlines()
    assert table[0].split() == ["notebook", "1.1", "1.2", "note"]
    assert table[1].split() == [paths[0], "right", "blank"]
    assert table[2].split() == [paths[1], "wrong", "blank"]
    assert table[3].startswith(paths[2]) and table[3].endswith(
        f"There is no notebook at {paths[2]}.")
    assert table[4].split() == ["right", "1/2", "0/2"]
    with table_file.open(newline="") as file:
        rows = list(csv.reader(file))
    assert rows == [
        ["notebook", "1.1", "1.2", "note"],
        [paths[0], "correct", "not answered", ""],
        [paths[1], "not correct", "not answered", ""],
        [paths[2], "", "", f"There is no notebook at {paths[2]}."],
        ["right", "1/2", "0/2", ""],
    ]


def test_a_notebook_that_stopped_early_says_so_in_its_row():
    report = grade.Report("slow.ipynb", [grade.Exercise("1.1", "Slow")], 2.0,
                          stopped="a cell ran for more than 2 s")
    rows = grade.class_table([("slow.ipynb", report)])
    assert rows[1] == ["slow.ipynb", "nothing to check",
                       "The run stopped early: a cell ran for more than 2 s."]


def test_a_class_table_that_cannot_be_written_gets_one_sentence(tmp_path, capsys):
    good = notebook(tmp_path, ("code", SETUP), exercise("1.1", "Only"),
                    ("code", "output = 1.25\ncheck.neuron_output(output)"))
    assert grade.main([str(good), "--csv", str(tmp_path / "no" / "such" / "x.csv")]) == 1
    assert capsys.readouterr().err == (f"Could not write the class table to "
                                       f"{tmp_path / 'no' / 'such' / 'x.csv'}: "
                                       "No such file or directory.\n")
