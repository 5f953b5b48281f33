"""The release workflow, run as far as a machine without GitHub allows, and a new site's first
push, run with its own workflows' steps.

Both read their steps from the YAML and run them in order, in a copy of this checkout or of a
new site, with nothing but the package index: no step is written out again here.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from conftest import REPO, flare
from generator.__about__ import __version__
from generator.load.yamlsource import read_yaml_file
from support import tool_missing
from support.receiver import closed_port_address

BIN = Path(sys.executable).parent


def run_steps(steps: list[dict], cwd: Path, env: dict[str, str], expressions: dict[str, str]):
    """Each ``run:`` step in order, as the runner's bash would, ``${{ ... }}`` filled in from
    ``expressions``; the first that fails fails the test."""
    ran = []
    for step in steps:
        if "run" not in step:
            continue
        step_env = {
            name: re.sub(r"\$\{\{\s*([\w.]+)\s*\}\}", lambda m: expressions[m[1]], str(value))
            for name, value in step.get("env", {}).items()
        }
        result = subprocess.run(
            ["bash", "-e", "-o", "pipefail", "-c", step["run"]],
            cwd=cwd,
            env={**env, **step_env},
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert result.returncode == 0, (step.get("name", step["run"]), result.stdout, result.stderr)
        ran.append(step.get("name", step["run"]))
    return ran


def tracked_copy(destination: Path) -> Path:
    """This checkout's tracked files, as a fresh clone has them."""
    if not (REPO / ".git").exists():
        pytest.skip("this copy of Flare is not a git checkout: the release starts from one")
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout
    for name in filter(None, listed.split("\0")):
        target = destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes((REPO / name).read_bytes())
    return destination


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tracked_copy(tmp_path_factory.mktemp("checkout"))


@pytest.fixture(scope="module")
def wheelhouse(checkout: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The distributions the release workflow's build job makes, in order, from a checkout."""
    workflow = read_yaml_file(checkout / ".github" / "workflows" / "release.yml").value
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    ran = run_steps(
        workflow["jobs"]["build"]["steps"], checkout, env, {"github.ref_name": f"v{__version__}"}
    )
    assert ran == [
        "The tag names the version in generator/__about__.py",
        "Install the release tools, at the versions the tests use",
        "Build the sdist and the wheel",
        "Check them, and build a new site with the wheel in a clean environment",
    ]
    return checkout / "dist"


def test_the_release_job_builds_checks_and_tries_both_distributions(wheelhouse: Path):
    names = sorted(path.name for path in wheelhouse.iterdir())
    assert names == [
        f"flare_status-{__version__}-py3-none-any.whl",
        f"flare_status-{__version__}.tar.gz",
    ]


def test_a_tag_that_does_not_name_the_version_stops_the_release(checkout: Path):
    result = subprocess.run(
        [sys.executable, ".github/release.py", "check-tag", "v9.9.9"],
        cwd=checkout,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert f"the tag v9.9.9 does not name the version {__version__}" in result.stderr


def test_the_release_publishes_only_after_the_checks_and_by_trusted_publishing(checkout: Path):
    workflow = read_yaml_file(checkout / ".github" / "workflows" / "release.yml").value
    assert workflow["on"] == {"push": {"tags": ["v*"]}}
    assert workflow["permissions"] == {"contents": "read"}
    publish = workflow["jobs"]["publish"]
    assert publish["needs"] == "build"
    assert publish["permissions"] == {"id-token": "write"}
    assert publish["environment"]["name"] == "pypi"
    uses = [step["uses"].split("@")[0] for step in publish["steps"]]
    assert uses == ["actions/download-artifact", "pypa/gh-action-pypi-publish"]
    assert all("with" not in step or "password" not in step["with"] for step in publish["steps"])


# -- a new site's first push -----------------------------------------------------------------------
def test_a_new_sites_first_push_is_green_with_its_own_workflow_steps(
    wheelhouse: Path, tmp_path: Path
):
    """`flare init`, then the generated GitHub workflow's build job: its install, validate and
    build steps, in a fresh environment, with this checkout's wheel served as an index would
    serve it (PIP_FIND_LINKS) and everything else from the package index."""
    site = tmp_path / "status"
    assert flare("init", str(site)).returncode == 0
    fresh = tmp_path / "runner"
    venv.create(fresh, with_pip=True)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHON"))},
        "PATH": f"{fresh / 'bin'}{os.pathsep}{os.environ['PATH']}",
        "PIP_FIND_LINKS": str(wheelhouse),
        "GITHUB_ACTIONS": "true",
    }
    workflow = read_yaml_file(site / ".github" / "workflows" / "status.yml").value

    ran = run_steps(workflow["jobs"]["build"]["steps"], site, env, {})

    assert ran == ["Install Flare", "Validate the records", "Build the site"]
    assert (site / "site" / "api" / "v2" / "status.json").is_file()
    installed = subprocess.run(
        [str(fresh / "bin" / "flare"), "--version"], capture_output=True, text=True, check=True
    )
    assert __version__ in installed.stdout


GITLAB_CI_LOCAL = REPO / "node_modules" / ".bin" / "gitlab-ci-local"


def test_a_new_sites_first_gitlab_pipeline_passes_with_its_own_jobs(
    wheelhouse: Path, tmp_path: Path
):
    """The generated .gitlab-ci.yml's default-branch pipeline (validate, then pages), run by
    gitlab-ci-local with its shell executor in a fresh environment, the wheel served as an index
    would serve it."""
    if not GITLAB_CI_LOCAL.is_file() or shutil.which("rsync") is None:
        tool_missing("gitlab-ci-local or rsync is missing: run `make test-tools`")
    site = tmp_path / "status"
    assert flare("init", str(site)).returncode == 0
    # The author sets site_url, as `flare init` asks; here to a local port nobody listens on,
    # so that the pages job's look at the live site stays on this machine (and finds none).
    config = site / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text.replace("https://status.example.com/", closed_port_address()), encoding="utf-8"
    )
    git = ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com"]
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "A site"]):
        subprocess.run([*git, *args], cwd=site, check=True, capture_output=True)
    fresh = tmp_path / "runner"
    venv.create(fresh, with_pip=True)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHON"))},
        "PATH": f"{fresh / 'bin'}{os.pathsep}{os.environ['PATH']}",
        "PIP_FIND_LINKS": str(wheelhouse),
        "HOME": str(tmp_path / "home"),
    }

    result = subprocess.run(
        [str(GITLAB_CI_LOCAL), "--force-shell-executor", "--home", str(tmp_path / "home")],
        cwd=site,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )

    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert re.search(r"PASS\s+validate", result.stdout), result.stdout[-3000:]
    assert re.search(r"PASS\s+pages", result.stdout), result.stdout[-3000:]
    # No site was live before (the example address does not answer): nothing to announce.
    assert re.search(r"PASS\s+notify", result.stdout), result.stdout[-3000:]
    assert (site / "public" / "api" / "v2" / "status.json").is_file()
