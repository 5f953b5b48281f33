"""The alert workflows: GitHub's (repository_dispatch) and GitLab's (a pipeline trigger) turn a
notification into a draft on the alert group's branch, with a pull (merge) request.

Their steps run here in order, as each host runs them (bash, the same shell for a job), in a
scratch git repository whose "origin" is a bare repository on disk: the hosts' own parts are
stood in for only where this machine cannot have them (GitHub's `gh` by a script that keeps
its pull requests in a file; GitLab's merge-request push options by a hook that records them).
What the workflows are (their triggers, permissions, which jobs run) is in test_workflows.py,
with actionlint over the GitHub workflow.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from test_workflows import load

from conftest import REPO, SMALL_CONFIG
from support.alerts import RULES, alertmanager, api_alert

BIN = Path(sys.executable).parent


# -- a scratch repository -------------------------------------------------------------------------
def git(*args: str, cwd: Path, env: Mapping[str, str] | None = None) -> str:
    ran = subprocess.run(
        ["git", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )
    assert ran.returncode == 0, (args, ran.stderr)
    return ran.stdout


def scratch(tmp_path: Path) -> tuple[Path, Path]:
    """A bare 'origin' holding a status site on main, and a clone of it to work in."""
    origin, seed = tmp_path / "origin.git", tmp_path / "seed"
    git("init", "--quiet", "--bare", "--initial-branch=main", str(origin), cwd=tmp_path)
    git("config", "receive.advertisePushOptions", "true", cwd=origin)
    seed.mkdir()
    (seed / "mkdocs.yml").write_text(
        SMALL_CONFIG.replace("site_url:", RULES + "site_url:"), encoding="utf-8"
    )
    (seed / "site_src").mkdir()
    (seed / "site_src" / "about.md").write_text("# About\n", encoding="utf-8")
    (seed / "incidents").mkdir()
    (seed / "incidents" / ".gitkeep").write_text("", encoding="utf-8")
    git("init", "--quiet", "--initial-branch=main", cwd=seed)
    git("add", ".", cwd=seed)
    git("-c", "user.name=T", "-c", "user.email=t@example.com", "commit", "-qm", "Site", cwd=seed)
    git("push", "--quiet", str(origin), "main", cwd=seed)
    return origin, tmp_path / "work"


def branches(origin: Path) -> dict[str, list[str]]:
    """Each branch of origin but main, with the files its last commit changed."""
    found = {}
    for line in git("branch", "--format=%(refname:short)", cwd=origin).split():
        if line != "main":
            found[line] = git("diff", "--name-only", "main", line, cwd=origin).split()
    return found


# -- GitHub ---------------------------------------------------------------------------------------
FAKE_GH = """\
#!{python}
# `gh`, as far as the workflow uses it: pull requests kept in a file beside this script.
import json, pathlib, sys
store = pathlib.Path(__file__).with_name("pulls.json")
pulls = json.loads(store.read_text()) if store.exists() else []
args = sys.argv[1:]
def option(name):
    return args[args.index(name) + 1]
if args[:2] == ["pr", "list"]:
    assert option("--state") == "open" and option("--jq") == "length", args
    print(sum(1 for pull in pulls if pull["head"] == option("--head") and pull["open"]))
elif args[:2] == ["pr", "create"]:
    pulls.append({{"head": option("--head"), "title": option("--title"),
                   "body": option("--body"), "open": True}})
    store.write_text(json.dumps(pulls))
else:
    sys.exit(f"gh: not stood in for: {{args}}")
"""


def expression(text: str, payload: Any, outputs: Mapping[str, Mapping[str, str]]) -> str:
    """The value of a `${{ }}` expression, of the forms the alert workflow uses."""
    text = text.strip()
    if text == "toJSON(github.event.client_payload.notification || github.event.client_payload)":
        return json.dumps(payload.get("notification") or payload, indent=2)
    if text == "secrets.ALERT_TOKEN || github.token":
        return "a-token"
    step, name = re.fullmatch(r"steps\.(\w+)\.outputs\.(\w+)", text).groups()
    return outputs.get(step, {}).get(name, "")


def condition(text: str, payload: Any, outputs: Mapping[str, Mapping[str, str]]) -> bool:
    holds = True
    for clause in text.split("&&"):
        left, right = re.fullmatch(r"\s*(\S+) == '([^']*)'\s*", clause).groups()
        holds &= expression(left, payload, outputs) == right
    return holds


def run_github_workflow(workflow: dict[str, Any], payload: Any, origin: Path, tmp: Path) -> str:
    """Every step of the draft job in order, as a runner would; the log of the run."""
    job = workflow["jobs"]["draft"]
    work, temp, fake = tmp / "work", tmp / "runner-temp", tmp / "fake-bin"
    for folder in (temp, fake):
        folder.mkdir(exist_ok=True)
    gh = fake / "gh"
    gh.write_text(FAKE_GH.format(python=sys.executable), encoding="utf-8")
    gh.chmod(0o755)
    if work.exists():
        subprocess.run(["rm", "-rf", str(work)], check=True)
    outputs: dict[str, dict[str, str]] = {}
    log = []
    base = {**os.environ, "PATH": f"{fake}:{BIN}:{os.environ['PATH']}", "RUNNER_TEMP": str(temp)}
    base |= {name: expression(value[3:-2], payload, outputs) for name, value in job["env"].items()}
    for number, step in enumerate(job["steps"]):
        if "uses" in step:
            if step["uses"].startswith("actions/checkout@"):
                git("clone", "--quiet", str(origin), str(work), cwd=tmp)
            continue
        if step["name"] == "Install Flare":  # installed: this test runs in Flare's environment
            assert step["run"].startswith("python -m pip install")
            continue
        if "if" in step and not condition(step["if"], payload, outputs):
            continue
        output = temp / f"output-{number}"
        output.write_text("", encoding="utf-8")
        env = {**base, "GITHUB_OUTPUT": str(output)}
        for name, value in (step.get("env") or {}).items():
            env[name] = re.sub(
                r"\$\{\{(.*?)\}\}", lambda m: expression(m.group(1), payload, outputs), value
            )
        ran = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        log.append(f"## {step['name']}\n{ran.stdout}{ran.stderr}")
        assert ran.returncode == 0, "\n".join(log)
        if "id" in step:
            pairs = output.read_text(encoding="utf-8").splitlines()
            outputs[step["id"]] = dict(pair.split("=", 1) for pair in pairs)
    return "\n".join(log)


def pulls(tmp: Path) -> list[dict[str, Any]]:
    store = tmp / "fake-bin" / "pulls.json"
    return json.loads(store.read_text(encoding="utf-8")) if store.exists() else []


def test_the_github_workflows_steps_draft_one_pull_request_per_alert_group(tmp_path: Path):
    workflow = load(REPO / ".github" / "workflows" / "alert.yml")
    origin, _ = scratch(tmp_path)

    run_github_workflow(workflow, {"notification": alertmanager()}, origin, tmp_path)  # relayed
    ((branch, changed),) = branches(origin).items()
    assert re.fullmatch(r"alert/higherrorrate-[0-9a-f]{8}", branch)
    assert changed == ["incidents/2026/2026-11-23-higherrorrate.yaml"]
    (pull,) = pulls(tmp_path)
    assert (pull["head"], pull["title"]) == (
        branch,
        "Draft incident: HighErrorRate: More than 5% of requests to api-1 fail",
    )

    # The same notification again: nothing to commit, no second pull request.
    log = run_github_workflow(workflow, alertmanager(), origin, tmp_path)
    assert "Nothing new for the draft." in log
    assert len(pulls(tmp_path)) == 1

    # A second alert of the group: a draft update pushed to the open pull request's branch.
    two = alertmanager("firing", api_alert(), api_alert("api-2", starts="2026-11-23T02:45:00Z"))
    run_github_workflow(workflow, two, origin, tmp_path)
    assert len(pulls(tmp_path)) == 1
    assert list(branches(origin)) == [branch]
    record = git("show", f"{branch}:incidents/2026/2026-11-23-higherrorrate.yaml", cwd=origin)
    assert record.count("draft: true") == 2  # the record, and its new update
    assert (
        git("log", "--format=%s", "main..", branch, cwd=origin).splitlines()
        == ["Draft incident: HighErrorRate: More than 5% of requests to api-1 fail"] * 2
    )


# -- GitLab ---------------------------------------------------------------------------------------
RECORD_PUSH_OPTIONS = """\
#!/bin/sh
# Records the push options a push gave, as GitLab reads them to open a merge request.
i=0
while [ "$i" -lt "${GIT_PUSH_OPTION_COUNT:-0}" ]; do
  eval "echo \\"\\$GIT_PUSH_OPTION_$i\\"" >> "$(dirname "$0")/../push-options"
  i=$((i + 1))
done
"""


def run_gitlab_job(config: dict[str, Any], payload: Any, origin: Path, tmp: Path) -> str:
    """The alert job's script in one shell, as GitLab's runner runs it, in a fresh checkout of
    the default branch (detached, as a runner's is)."""
    work = tmp / "work"
    if work.exists():
        subprocess.run(["rm", "-rf", str(work)], check=True)
    git("clone", "--quiet", str(origin), str(work), cwd=tmp)
    git("checkout", "--quiet", "--detach", "main", cwd=work)
    notification = tmp / "TRIGGER_PAYLOAD"
    notification.write_text(json.dumps(payload), encoding="utf-8")
    env = {
        **os.environ,
        "PATH": f"{BIN}:{os.environ['PATH']}",
        "TRIGGER_PAYLOAD": str(notification),
        "CI_DEFAULT_BRANCH": "main",
        "CI_SERVER_HOST": "gitlab.example.com",
        "CI_PROJECT_PATH": "status/site",
        "ALERT_PUSH_URL": str(origin),
    }
    script = "\n".join(config["alert"]["script"])
    ran = subprocess.run(
        ["bash", "-eo", "pipefail", "-c", script],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert ran.returncode == 0, ran.stdout + ran.stderr
    return ran.stdout + ran.stderr


def test_the_gitlab_jobs_script_drafts_one_merge_request_per_alert_group(tmp_path: Path):
    config = load(REPO / ".gitlab-ci.yml")
    origin, _ = scratch(tmp_path)
    hook = origin / "hooks" / "post-receive"
    hook.write_text(RECORD_PUSH_OPTIONS, encoding="utf-8")
    hook.chmod(0o755)

    run_gitlab_job(config, alertmanager(), origin, tmp_path)
    ((branch, changed),) = branches(origin).items()
    assert changed == ["incidents/2026/2026-11-23-higherrorrate.yaml"]
    options = (origin / "push-options").read_text(encoding="utf-8").splitlines()
    assert options == [
        "merge_request.create",
        "merge_request.target=main",
        "merge_request.remove_source_branch",
        "merge_request.title=Draft incident: HighErrorRate: More than 5% of requests to api-1 fail",
    ]

    assert "Nothing new for the draft." in run_gitlab_job(config, alertmanager(), origin, tmp_path)
    resolved = alertmanager("resolved", api_alert(status="resolved", ends="2026-11-23T03:10:00Z"))
    run_gitlab_job(config, resolved, origin, tmp_path)
    assert list(branches(origin)) == [branch]
    record = git("show", f"{branch}:incidents/2026/2026-11-23-higherrorrate.yaml", cwd=origin)
    assert "status: resolved" in record


def test_the_readme_says_how_to_send_each_tool_here():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Sending alerts to the workflows") :]
    for words in ("Alertmanager", "Grafana", "Uptime Kuma", "repository_dispatch",
                  "TRIGGER_PAYLOAD", "ALERT_TOKEN", "ALERT_PUSH_TOKEN"):  # fmt: skip
        assert words in section, words
