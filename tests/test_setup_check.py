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
    ((3, 10, 12), False, "3.10.12 is too old for the course's libraries: install Python 3.12 "
                         "or 3.13"),
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


PROBED = {"keras": "3.15.1", "tensorflow": "2.21.0", "backend": "tensorflow",
          "seconds": 0.6, "loss": 0.71}


@pytest.mark.parametrize("found, line", [
    (PROBED, "PASS  Keras 3: Keras 3.15.1, TensorFlow 2.21.0"),
    ({"missing": "keras", "message": "No module named 'keras'"},
     "FAIL  Keras 3: keras is not installed: pip install -r requirements-learners.txt (see the "
     "setup page)"),
    ({**PROBED, "keras": "2.15.0"}, "FAIL  Keras 3: Keras 2.15.0, TensorFlow 2.21.0: the course "
     "needs Keras 3; pip install -r requirements-learners.txt (see the setup page)"),
    ({**PROBED, "backend": "jax"}, "FAIL  Keras 3: Keras 3.15.1, TensorFlow 2.21.0, but the "
     "backend is jax: unset KERAS_BACKEND"),
    ({"missing": "", "message": "DLL load failed while importing _pywrap_tensorflow_internal"},
     "FAIL  Keras 3: DLL load failed while importing _pywrap_tensorflow_internal: install "
     "Microsoft's Visual C++ Redistributable (x64), then run the check again"),
])
def test_keras_3_with_tensorflow_passes_and_anything_else_says_what_to_do(found, line):
    assert setup_check.check_keras(found).line() == line


@pytest.mark.parametrize("found, line", [
    (PROBED, "PASS  training: one epoch of a tiny network in 0.6 s"),
    ({**PROBED, "loss": float("nan")}, "FAIL  training: the loss was nan"),
    ({**PROBED, "error": "ValueError: no kernel found"},
     "FAIL  training: ValueError: no kernel found"),
    ({"missing": "keras", "message": ""},
     "FAIL  training: not tried: Keras does not run (see above)"),
])
def test_training_passes_with_a_finite_loss(found, line):
    assert setup_check.check_training(found).line() == line


def test_tensorflow_that_crashes_python_is_a_failure_not_a_crash_of_the_check(monkeypatch):
    # TensorFlow needs AVX: on an older processor, importing it kills Python (SIGILL).
    monkeypatch.setattr(setup_check, "PROBE", "import os, signal\n"
                                              "os.kill(os.getpid(), signal.SIGILL)")
    found = setup_check.probe()
    assert found == {"crashed": "Python crashed (SIGILL) while importing TensorFlow"}
    assert setup_check.check_keras(found).line() == (
        "FAIL  Keras 3: Python crashed (SIGILL) while importing TensorFlow: an old processor "
        "without AVX cannot run TensorFlow; use Colab")
    monkeypatch.setattr(setup_check, "PROBE", "raise SystemExit('no room left on the disk')")
    assert setup_check.probe() == {
        "crashed": "Python stopped while importing TensorFlow: no room left on the disk"}


def test_the_probe_trains_with_this_environments_keras():
    found = setup_check.probe()
    assert found["keras"].startswith("3.") and found["backend"] == "tensorflow"
    assert found["seconds"] > 0 and found["loss"] > 0


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
                                   "mobilenet-v2 (250 MB in all): run `python -m dlcourse.data "
                                   "download`")
    assert "Debian's package has it" in data_command.status()


def test_a_check_that_breaks_is_a_failure_and_the_others_still_run(monkeypatch):
    def broken():
        raise RuntimeError("disk full")

    monkeypatch.setattr(setup_check, "probe", lambda: PROBED)
    monkeypatch.setattr(setup_check, "check_jupyterlab", broken)
    results = setup_check.checks()
    assert [check.name for check in results] == [
        "Python", "libraries", "Keras 3", "JupyterLab", "training", "data"]
    assert results[3].line() == "FAIL  JupyterLab: the check itself failed: RuntimeError: disk full"
    assert results[2].passed and results[4].passed


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
