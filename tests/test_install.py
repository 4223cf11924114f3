"""The installs the setup page and the README name resolve on Linux, Windows and macOS.

pip resolves each one for another platform without installing anything
(``--dry-run --platform``), against PyPI. pip evaluates environment markers for
the machine it runs on, not for ``--platform``, so the markers are evaluated
here for each platform first. GitHub's macOS and Windows runners install the
learners' file for real every week (``.github/workflows/weekly.yml``).
"""

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from conftest import ROOT

LEARNERS = ROOT / "requirements-learners.txt"
MAINTAINERS = ROOT / "requirements.txt"

# What pip and the markers see on each platform. TensorFlow's Linux wheels are
# manylinux_2_27 and _2_28, which pip does not find from one newer tag alone.
PLATFORMS = {
    "linux": (["manylinux_2_28_x86_64", "manylinux_2_27_x86_64", "manylinux_2_17_x86_64",
               "manylinux2014_x86_64", "linux_x86_64"],
              {"sys_platform": "linux", "platform_system": "Linux",
               "platform_machine": "x86_64", "os_name": "posix"}),
    "windows": (["win_amd64"],
                {"sys_platform": "win32", "platform_system": "Windows",
                 "platform_machine": "AMD64", "os_name": "nt"}),
    "macos-arm64": (["macosx_14_0_arm64"],
                    {"sys_platform": "darwin", "platform_system": "Darwin",
                     "platform_machine": "arm64", "os_name": "posix"}),
    # A Raspberry Pi, or Linux in a virtual machine on an Apple-silicon Mac.
    "linux-aarch64": (["manylinux_2_28_aarch64", "manylinux_2_27_aarch64",
                       "manylinux_2_17_aarch64", "manylinux2014_aarch64"],
                      {"sys_platform": "linux", "platform_system": "Linux",
                       "platform_machine": "aarch64", "os_name": "posix"}),
}
PYTHONS = ["3.12", "3.13"]


def requirement_lines(path):
    """The requirement lines of a file, with the files it includes (``-r``) in their place."""
    lines = []
    for line in path.read_text().splitlines():
        line = line.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("-r "):
            lines += requirement_lines(path.parent / line[3:].strip())
        else:
            lines.append(line)
    return lines


def for_platform(lines, markers, python):
    """The lines that apply on a platform with a Python version: markers evaluated, and
    taken off the lines they keep."""
    environment = {**markers, "python_version": python, "python_full_version": f"{python}.0",
                   "implementation_name": "cpython", "platform_python_implementation": "CPython"}
    kept = []
    for line in lines:
        if line.startswith("-"):  # an option, such as -e .
            kept.append(line)
            continue
        requirement = Requirement(line)
        if requirement.marker is None or requirement.marker.evaluate(environment):
            requirement.marker = None
            kept.append(str(requirement))
    return kept


def test_markers_pick_tensorflow_for_each_platform():
    lines = requirement_lines(LEARNERS)
    picked = {name: [line for line in for_platform(lines, markers, "3.12")
                     if line.startswith("tensorflow")]
              for name, (_, markers) in PLATFORMS.items()}
    # tensorflow-cpu has no wheel for Apple silicon; tensorflow runs there on the CPU.
    assert picked == {"linux": ["tensorflow-cpu==2.21.0"], "windows": ["tensorflow-cpu==2.21.0"],
                      "macos-arm64": ["tensorflow==2.21.0"],
                      "linux-aarch64": ["tensorflow==2.21.0"]}


def test_the_maintainers_install_holds_the_learners_with_no_second_pin():
    learners, maintainers = requirement_lines(LEARNERS), requirement_lines(MAINTAINERS)
    assert set(learners) <= set(maintainers)
    names = [canonicalize_name(Requirement(line).name) for line in maintainers
             if not line.startswith("-")]
    assert len(names) == len(set(names)), "a library is pinned twice"
    wanted = {"jupyterlab", "keras", "numpy", "scikit-learn", "matplotlib", "pandas"}
    assert wanted <= {canonicalize_name(Requirement(line).name) for line in learners
                      if not line.startswith("-")}
    assert "-e ." in learners
    for tool in ["jupyter-book", "pytest", "playwright", "zizmor"]:  # not a learner's
        assert not any(line.startswith(tool) for line in learners)


def resolve(path, platform, python, folder):
    """What pip would install from ``path`` on a platform and Python: {name: (version, file)},
    or the end of pip's error message."""
    tags, markers = PLATFORMS[platform]
    flat = folder / f"{path.stem}-{platform}-{python}.txt"
    flat.write_text("\n".join(for_platform(requirement_lines(path), markers, python)) + "\n")
    report = folder / f"{flat.stem}.json"
    command = [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed",
               "--quiet", "--target", str(folder / flat.stem), "--only-binary=:all:",
               *[option for tag in tags for option in ("--platform", tag)],
               "--python-version", python, "--report", str(report), "-r", str(flat)]
    # From the repository's root, where learners run it: `-e .` is this checkout.
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=1200)
    if result.returncode != 0:
        return result.stderr[-3000:]
    return {canonicalize_name(item["metadata"]["name"]):
            (item["metadata"]["version"], item["download_info"]["url"].rsplit("/", 1)[-1])
            for item in json.loads(report.read_text())["install"]}


# The learners' install with both Pythons on the three systems, and with one on ARM Linux;
# the maintainers' (which holds it) on the three systems, with the first Python.
SYSTEMS = ["linux", "windows", "macos-arm64"]
RESOLUTIONS = [(LEARNERS, platform, python) for platform in SYSTEMS for python in PYTHONS] + [
    (LEARNERS, "linux-aarch64", "3.12")] + [(MAINTAINERS, platform, "3.12") for platform in SYSTEMS]


@pytest.fixture(scope="module")
def resolved(tmp_path_factory):
    """Every resolution, side by side: pip's resolver is slow, and mostly waits on one core."""
    folder = tmp_path_factory.mktemp("resolve")
    with ThreadPoolExecutor(max_workers=max(2, len(os.sched_getaffinity(0)))) as pool:
        futures = {case: pool.submit(resolve, *case, folder) for case in RESOLUTIONS}
    return {case: future.result() for case, future in futures.items()}


@pytest.mark.parametrize("path, platform, python", RESOLUTIONS,
                         ids=lambda value: getattr(value, "name", value))
def test_install_resolves_on_every_platform(path, platform, python, resolved, capsys):
    installs = resolved[path, platform, python]
    assert isinstance(installs, dict), (f"{path.name} does not resolve on {platform} with "
                                        f"Python {python}:\n{installs}")
    expected = "tensorflow-cpu" if platform in {"linux", "windows"} else "tensorflow"
    assert installs[expected][0] == "2.21.0"
    assert {"jupyterlab", "keras", "dlcourse"} <= set(installs)
    with capsys.disabled():  # the wheel of each platform goes into the CI log
        print(f"\n{path.name}, {platform}, Python {python}: {installs[expected][1]}")
