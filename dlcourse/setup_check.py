"""Check, before the workshop, that a computer can run the lessons.

Run it in a terminal, in the environment you installed the course into::

    python -m dlcourse.setup_check

or in a notebook cell (the setup page has one)::

    from dlcourse import setup_check
    setup_check.run()

It prints one line for each check, PASS or FAIL with what to do, and last one
line to send to the workshop's organisers. In a terminal, the exit status is
0 when every check passed and 1 otherwise.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import json
import math
import platform
import signal
import subprocess
import sys
from dataclasses import dataclass

__all__ = ["Check", "checks", "run", "main"]

#: The Python versions that TensorFlow 2.21 and the course's pinned libraries have wheels for.
PYTHONS = ((3, 11), (3, 13))

#: What the lessons import besides Keras, by the name pip installs it under.
LIBRARIES = {
    "numpy": "numpy", "pandas": "pandas", "scipy": "scipy", "sklearn": "scikit-learn",
    "skimage": "scikit-image", "matplotlib": "matplotlib", "seaborn": "seaborn",
    "mlxtend": "mlxtend", "pooch": "pooch", "tqdm": "tqdm",
}

INSTALL = "pip install -r requirements-learners.txt (see the setup page)"


@dataclass(frozen=True)
class Check:
    """The result of one check.

    :param name: what was checked, in a word or two.
    :param passed: whether it passed.
    :param detail: what was found, and when it failed, what to do.
    :param summary: a few words for the line sent to the organisers.
    """

    name: str
    passed: bool
    detail: str
    summary: str = ""

    def line(self) -> str:
        """The check as one printed line: ``PASS  name: detail``."""
        return f"{'PASS' if self.passed else 'FAIL'}  {self.name}: {self.detail}"


def in_colab() -> bool:
    return "google.colab" in sys.modules


def check_python(version=None) -> Check:
    """Whether this Python has TensorFlow wheels.

    :param version: ``(major, minor, micro)``; this interpreter's when None.
    :returns: the :class:`Check`.

    >>> check_python((3, 12, 4)).line()
    'PASS  Python: 3.12.4'
    >>> check_python((3, 14, 0)).passed
    False
    """
    version = tuple(version or sys.version_info[:3])
    text = ".".join(map(str, version))
    low, high = PYTHONS
    if low <= version[:2] <= high:
        return Check("Python", True, text, f"Python {text}")
    problem = ("has no TensorFlow wheel yet" if version[:2] > high
               else "is too old for the course's libraries")
    return Check("Python", False, f"{text} {problem}: install Python 3.12 or 3.13, "
                                  "then the course again", f"Python {text}")


def check_libraries() -> Check:
    """Whether the lessons' libraries other than Keras import."""
    missing = []
    for module, distribution in LIBRARIES.items():
        try:
            importlib.import_module(module)
        except ImportError:
            missing.append(distribution)
    if missing:
        return Check("libraries", False, f"missing {', '.join(missing)}: {INSTALL}",
                     "libraries missing")
    return Check("libraries", True, f"{len(LIBRARIES)} of {len(LIBRARIES)} import")


#: Run in a Python of its own: TensorFlow can crash the process that imports it (on a
#: processor without AVX), and its start-up log stays out of the check's lines.
PROBE = r"""
import json, time
try:
    import keras, numpy, tensorflow
except ImportError as error:
    print(json.dumps({"missing": error.name or "", "message": str(error)}))
    raise SystemExit
found = {"keras": keras.__version__, "tensorflow": tensorflow.__version__,
         "backend": keras.backend.backend()}
try:
    start = time.perf_counter()
    keras.utils.set_random_seed(0)
    inputs = numpy.random.default_rng(0).normal(size=(256, 4)).astype("float32")
    labels = (inputs.sum(axis=1) > 0).astype("int32")
    model = keras.Sequential([keras.Input(shape=(4,)), keras.layers.Dense(8, activation="relu"),
                              keras.layers.Dense(2, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    history = model.fit(inputs, labels, epochs=1, batch_size=32, verbose=0)
    found.update(seconds=time.perf_counter() - start, loss=float(history.history["loss"][-1]))
except Exception as error:
    text = str(error).strip()
    found["error"] = f"{type(error).__name__}: {text.splitlines()[0] if text else ''}"
print(json.dumps(found))
"""


def probe(timeout: float = 600) -> dict:
    """Import Keras and TensorFlow and train a tiny network for one epoch, in a Python of
    its own; what it found, as a dict (``crashed`` if that Python died)."""
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                            timeout=timeout)
    lines = result.stdout.strip().splitlines()
    if result.returncode == 0 and lines:
        return json.loads(lines[-1])
    if result.returncode < 0:
        try:
            how = signal.Signals(-result.returncode).name
        except ValueError:
            how = f"signal {-result.returncode}"
        return {"crashed": f"Python crashed ({how}) while importing TensorFlow"}
    last = result.stderr.strip().splitlines()
    return {"crashed": f"Python stopped while importing TensorFlow: {last[-1] if last else ''}"}


def check_keras(found: dict) -> Check:
    """Whether Keras 3 imports, with TensorFlow as its backend.

    :param found: what :func:`probe` found.
    :returns: the :class:`Check`.

    >>> check_keras({"keras": "3.15.1", "tensorflow": "2.21.0", "backend": "tensorflow"}).line()
    'PASS  Keras 3: Keras 3.15.1, TensorFlow 2.21.0'
    """
    if "crashed" in found:
        return Check("Keras 3", False, f"{found['crashed']}: an old processor without AVX "
                     "cannot run TensorFlow; use Colab", "TensorFlow crashed")
    if "missing" in found:
        if "DLL load failed" in found["message"]:  # Windows without Microsoft's C++ runtime
            return Check("Keras 3", False, f"{found['message']}: install Microsoft's Visual C++ "
                         "Redistributable (x64), then run the check again", "TensorFlow DLL")
        return Check("Keras 3", False, f"{found['missing'] or found['message']} is not "
                     f"installed: {INSTALL}", "no Keras")
    versions = f"Keras {found['keras']}, TensorFlow {found['tensorflow']}"
    if not found["keras"].startswith("3."):
        return Check("Keras 3", False, f"{versions}: the course needs Keras 3; {INSTALL}",
                     versions)
    if found["backend"] != "tensorflow":
        return Check("Keras 3", False, f"{versions}, but the backend is {found['backend']}: "
                     "unset KERAS_BACKEND", versions)
    return Check("Keras 3", True, versions, versions)


def check_jupyterlab() -> Check:
    """Whether JupyterLab is installed (Colab needs none)."""
    if in_colab():
        return Check("JupyterLab", True, "not needed in Colab", "Colab")
    try:
        version = importlib.metadata.version("jupyterlab")
    except importlib.metadata.PackageNotFoundError:
        return Check("JupyterLab", False, f"not installed: {INSTALL}", "no JupyterLab")
    return Check("JupyterLab", True, f"{version}: start it with `jupyter lab`",
                 f"JupyterLab {version}")


def check_training(found: dict) -> Check:
    """Whether Keras trained a tiny network for one epoch, and how long it took.

    :param found: what :func:`probe` found.
    :returns: the :class:`Check`.
    """
    if "crashed" in found or "missing" in found:
        return Check("training", False, "not tried: Keras does not run (see above)",
                     "no training")
    if "error" in found:
        return Check("training", False, found["error"], "training failed")
    if not math.isfinite(found["loss"]):
        return Check("training", False, f"the loss was {found['loss']}", "training failed")
    return Check("training", True, f"one epoch of a tiny network in {found['seconds']:.1f} s",
                 f"fit {found['seconds']:.1f} s")


def check_data() -> Check:
    """Which data sets and weights are in the download cache already."""
    from .data.__main__ import status_rows

    if in_colab():
        return Check("data", True, "in Colab, each lesson downloads what it needs", "")
    rows = status_rows()
    missing = [row for row in rows if not row.ready]
    there = f"{len(rows) - len(missing)} of {len(rows)} ready"
    if missing:
        needed = sum(row.megabytes for row in missing)
        names = ", ".join(row.name for row in missing)
        return Check("data", False, f"{there}; not yet downloaded: {names} ({needed:.0f} MB in all): "
                     "run `python -m dlcourse.data download` with internet, before the day",
                     f"data {there}")
    return Check("data", True, f"{there}: {', '.join(row.name for row in rows)}",
                 f"data {there}")


def checks() -> list[Check]:
    """Run every check, in order; a check that breaks is reported as failed."""
    results = []
    found = {}
    for name, check in [("Python", check_python), ("libraries", check_libraries),
                        ("Keras 3", lambda: check_keras(found)), ("JupyterLab", check_jupyterlab),
                        ("training", lambda: check_training(found)), ("data", check_data)]:
        try:
            if name == "Keras 3":
                found.update(probe())
            results.append(check())
        except Exception as error:  # one broken check must not hide the others
            results.append(Check(name, False, f"the check itself failed: "
                                 f"{type(error).__name__}: {error}", f"{name} unchecked"))
    return results


def summary(results: list[Check]) -> str:
    """The one line to send to the organisers."""
    from . import __version__

    failed = [result.name for result in results if not result.passed]
    verdict = f"FAIL ({', '.join(failed)})" if failed else "PASS"
    parts = [f"Setup check: {verdict}", f"{platform.platform(terse=True)} {platform.machine()}"]
    parts += [result.summary for result in results if result.summary]
    parts.append(f"dlcourse {__version__}")
    return " | ".join(parts)


def run() -> None:
    """Run the checks; print every check's line, then the line to send to the organisers."""
    _report(checks())


def _report(results: list[Check]) -> bool:
    for result in results:
        print(result.line(), flush=True)
    print(f"\nSend this line to the organisers:\n{summary(results)}")
    return all(result.passed for result in results)


def main(arguments: list[str] | None = None) -> int:
    """The command line: run the checks; 0 if all passed, 1 if one failed."""
    if arguments if arguments is not None else sys.argv[1:]:
        print("usage: python -m dlcourse.setup_check (it takes no arguments)", file=sys.stderr)
        return 2
    return 0 if _report(checks()) else 1


if __name__ == "__main__":
    sys.exit(main())
