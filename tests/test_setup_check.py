"""The setup check a learner runs before the workshop: one PASS or FAIL line per check,
each failure with what to do, and one line for the organisers."""

import importlib.metadata
import subprocess
import sys

import pytest

import dlcourse.data.__main__ as data_command
from dlcourse import setup_check


@pytest.mark.parametrize("version, passed, words", [
    ((3, 12, 4), True, "3.12.4"),
    ((3, 13, 0), True, "3.13.0"),
    ((3, 14, 1), False, "3.14.1 has no TensorFlow wheel yet: install Python 3.12 or 3.13"),
    ((3, 9, 18), False, "3.9.18 is too old for TensorFlow 2.21: install Python 3.12 or 3.13"),
])
def test_python_passes_where_tensorflow_has_wheels(version, passed, words):
    check = setup_check.check_python(version)
    assert check.passed is passed
    assert check.line().startswith(f"{'PASS' if passed else 'FAIL'}  Python: {words}")


def test_this_environment_passes_every_check_but_the_data(monkeypatch, tmp_path):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))  # an empty cache
    results = {check.name: check for check in setup_check.checks()}
    assert list(results) == ["Python", "libraries", "Keras 3", "JupyterLab", "training", "data"]
    for name in ["Python", "libraries", "Keras 3", "JupyterLab", "training"]:
        assert results[name].passed, results[name].line()
    assert results["Keras 3"].detail.startswith("Keras 3.")
    assert results["training"].detail.startswith("one epoch of a tiny network in ")
    assert not results["data"].passed
    assert "mnist" in results["data"].detail and "python -m dlcourse.data download" in (
        results["data"].detail)


def test_a_missing_library_is_named_with_the_install_command(monkeypatch):
    monkeypatch.setitem(setup_check.LIBRARIES, "no_such_module_here", "no-such-package")
    check = setup_check.check_libraries()
    assert check.line() == ("FAIL  libraries: missing no-such-package: pip install -r "
                            "requirements-learners.txt (see the setup page)")


def test_keras_missing_or_not_3_fails(monkeypatch):
    monkeypatch.setitem(sys.modules, "keras", None)  # import keras raises ImportError
    check = setup_check.check_keras()
    assert not check.passed and check.detail.startswith("keras is not installed: pip install")
    monkeypatch.setitem(sys.modules, "keras", type(sys)("keras"))
    sys.modules["keras"].__version__ = "2.15.0"
    check = setup_check.check_keras()
    assert not check.passed and "the course needs Keras 3" in check.detail


def test_jupyterlab_is_needed_everywhere_but_colab(monkeypatch):
    def not_installed(name):
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(setup_check.importlib.metadata, "version", not_installed)
    check = setup_check.check_jupyterlab()
    assert check.line().startswith("FAIL  JupyterLab: not installed: pip install -r")
    monkeypatch.setitem(sys.modules, "google.colab", type(sys)("google.colab"))
    assert setup_check.check_jupyterlab().line() == "PASS  JupyterLab: not needed in Colab"


def test_the_data_pass_when_every_download_is_cached(monkeypatch, tmp_path):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setattr(data_command, "verified_copy", lambda remote: tmp_path / "copy")
    check = setup_check.check_data()
    assert check.line() == ("PASS  data: 4 of 4 ready: mnist, fashion-mnist, flower-photos, "
                            "mobilenet-v2")


def test_debians_package_counts_as_fashion_mnist_ready(monkeypatch, tmp_path):
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.setattr(data_command, "_read_fashion_mnist_package", lambda: ({}, ""))
    check = setup_check.check_data()
    assert check.detail.startswith("1 of 4 ready; not yet downloaded: mnist, flower-photos, "
                                   "mobilenet-v2 (250 MB): run `python -m dlcourse.data "
                                   "download`")
    assert "Debian's package has it" in data_command.status()


def test_a_check_that_breaks_is_a_failure_and_the_others_still_run(monkeypatch):
    def broken():
        raise RuntimeError("disk full")

    monkeypatch.setattr(setup_check, "check_training", broken)
    results = setup_check.checks()
    assert [check.name for check in results][4] == "training"
    assert results[4].line() == "FAIL  training: the check itself failed: RuntimeError: disk full"
    assert len(results) == 6


def test_training_that_fails_says_why_in_one_line(monkeypatch):
    import keras

    def refuse(*args, **kwargs):
        raise ValueError("no kernel found\nfor this op")

    monkeypatch.setattr(keras.Model, "fit", refuse)
    check = setup_check.check_training()
    assert check.line() == "FAIL  training: ValueError: no kernel found"


def test_the_line_for_the_organisers_is_one_line_with_the_verdict():
    passed = [setup_check.Check("Python", True, "3.12.4", "Python 3.12.4"),
              setup_check.Check("data", True, "4 of 4 ready", "data 4 of 4 ready")]
    line = setup_check.summary(passed)
    assert line.startswith("Setup check: PASS | ") and "\n" not in line
    assert "Python 3.12.4" in line and "data 4 of 4 ready" in line and "dlcourse " in line
    failed = passed + [setup_check.Check("JupyterLab", False, "not installed", "no JupyterLab")]
    assert setup_check.summary(failed).startswith("Setup check: FAIL (JupyterLab) | ")


def test_the_command_prints_a_line_per_check_and_exits_1_on_a_failure(tmp_path):
    result = subprocess.run([sys.executable, "-m", "dlcourse.setup_check"],
                            capture_output=True, text=True, timeout=300,
                            env={"KERAS_HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    lines = result.stdout.splitlines()
    assert [line.split(":")[0] for line in lines[:6]] == [
        "PASS  Python", "PASS  libraries", "PASS  Keras 3", "PASS  JupyterLab",
        "PASS  training", "FAIL  data"]
    assert lines[-2] == "Send this line to the organisers:"
    assert lines[-1].startswith("Setup check: FAIL (data) | ")
    assert result.returncode == 1


def test_the_command_takes_no_arguments(capsys):
    assert setup_check.main(["--fast"]) == 2
    assert "takes no arguments" in capsys.readouterr().err


def test_the_notebook_form_prints_the_same_lines(monkeypatch, capsys):
    monkeypatch.setattr(setup_check, "checks", lambda: [
        setup_check.Check("Python", True, "3.12.4", "Python 3.12.4")])
    assert setup_check.run() is None
    assert capsys.readouterr().out.splitlines()[0] == "PASS  Python: 3.12.4"
    assert setup_check.main([]) == 0
