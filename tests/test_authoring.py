"""Authoring commands, run as an engineer would at 3 a.m., in a real git repository."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import SiteFolder, flare
from generator.load.yamlsource import read_yaml_file
from generator.model.postmortem import Postmortem

# EXAMPLE_NOW, which `flare` sets as SOURCE_DATE_EPOCH: the default time of every update.
NOW_TEXT = "2026-11-23T12:00:00Z"
MESSAGE = "Some requests fail with **503** errors."


@pytest.fixture
def repo(site_folder: SiteFolder) -> SiteFolder:
    """The small test site, committed in a fresh git repository."""
    git(site_folder.root, "init", "-q")
    git(site_folder.root, "add", "-A")
    git(site_folder.root, "commit", "-q", "-m", "A status site")
    return site_folder


def git(root: Path, *args: str) -> str:
    env_args = ["-c", "user.name=Test", "-c", "user.email=test@example.com"]
    result = subprocess.run(
        ["git", *env_args, *args], cwd=root, capture_output=True, text=True, check=True
    )
    return result.stdout


def changed_files(root: Path) -> list[str]:
    return sorted(line[3:] for line in git(root, "status", "--porcelain").splitlines())


def author(repo: SiteFolder, *args: str) -> subprocess.CompletedProcess[str]:
    return flare(*args, "-C", str(repo.root))


def new_api_incident(repo: SiteFolder) -> tuple[Path, str]:
    result = author(repo, "new", "incident", "Elevated API errors", "--impact", "major",
                    "--component", "api", "-m", MESSAGE)  # fmt: skip
    assert result.returncode == 0, result.stderr
    relative, id_line = result.stdout.splitlines()
    return repo.root / relative, id_line.removeprefix("id: ")


def test_new_incident_writes_a_dated_file_with_a_first_update_now(repo: SiteFolder):
    path, record_id = new_api_incident(repo)

    assert path == repo.incidents / "2026" / "2026-11-23-elevated-api-errors.yaml"
    assert record_id == "2026-11-23-elevated-api-errors"
    record = read_yaml_file(path).value
    assert record["title"] == "Elevated API errors"
    assert record["components"] == ["api"]
    assert [(u["status"], u["body"]) for u in record["updates"]] == [
        ("investigating", "Some requests fail with **503** errors.\n")
    ]
    assert f"  - at: {NOW_TEXT}\n" in path.read_text(encoding="utf-8")  # plain, not quoted
    assert flare("validate", str(repo.root)).returncode == 0
    assert changed_files(repo.root) == ["incidents/"]


def test_the_new_file_points_editors_at_the_schema_when_the_site_has_it(repo: SiteFolder):
    schema = repo.root / "schema" / "incident.schema.json"
    schema.parent.mkdir()
    schema.write_text(flare("schema").stdout, encoding="utf-8")
    path, _ = new_api_incident(repo)
    first_line = path.read_text(encoding="utf-8").splitlines()[0]
    assert first_line == "# yaml-language-server: $schema=../../schema/incident.schema.json"


def test_update_and_resolve_keep_the_authors_comments_and_layout(repo: SiteFolder):
    path, record_id = new_api_incident(repo)
    text = path.read_text(encoding="utf-8").replace(
        "impact: major\n", "impact: major   # raised after the second region failed\n"
    )
    path.write_text(text, encoding="utf-8")

    updated = author(repo, "update", "api errors", "--status", "identified",
                     "-m", "A bad deploy; rolling back.", "--component", "api=partial_outage",
                     "--at", "2026-11-23T12:20:00+01:00")  # fmt: skip
    resolved = author(repo, "resolve", record_id[:14], "--at", "2026-11-23T12:40:00Z")

    assert updated.returncode == 0, updated.stderr
    assert resolved.returncode == 0, resolved.stderr
    after = path.read_text(encoding="utf-8")
    assert after.startswith(text)  # everything the author wrote is still there, byte for byte
    assert after[len(text) :] == (
        "  - at: 2026-11-23T11:20:00Z\n"
        "    status: identified\n"
        "    components: {api: partial_outage}\n"
        "    body: |\n"
        "      A bad deploy; rolling back.\n"
        "  - at: 2026-11-23T12:40:00Z\n"
        "    status: resolved\n"
        "    body: |\n"
        "      This incident has been resolved. Thank you for your patience.\n"
    )
    assert flare("validate", str(repo.root)).returncode == 0


def test_a_component_named_in_an_update_joins_the_incidents_list(repo: SiteFolder):
    path, record_id = new_api_incident(repo)
    result = author(repo, "update", record_id, "--status", "identified", "-m", "Also slow.",
                    "--component", "web=degraded_performance")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert read_yaml_file(path).value["components"] == ["api", "web"]


def test_a_failed_command_changes_nothing(repo: SiteFolder):
    path, record_id = new_api_incident(repo)
    git(repo.root, "add", "-A")
    git(repo.root, "commit", "-q", "-m", "An incident")
    before = path.read_bytes()

    unknown_state = author(repo, "update", record_id, "--status", "identified", "-m", "x",
                           "--component", "api=on_fire")  # fmt: skip
    unknown_component = author(repo, "new", "incident", "Ghost", "--impact", "minor",
                               "--component", "ghost")  # fmt: skip
    nobody = author(repo, "resolve", "no-such-incident")

    assert unknown_state.returncode == 1
    assert "updates[1].components.api" in unknown_state.stderr
    assert "nothing was written" in unknown_state.stderr
    assert unknown_component.returncode == 1
    assert "unknown component 'ghost'" in unknown_component.stderr
    assert nobody.returncode == 1 and "no incident matches 'no-such-incident'" in nobody.stderr
    assert path.read_bytes() == before
    assert changed_files(repo.root) == []
    assert not list(repo.root.rglob("*.flare-tmp"))


def test_an_ambiguous_reference_lists_the_candidates_unless_only_one_is_open(repo: SiteFolder):
    new_api_incident(repo)
    old = author(repo, "new", "incident", "API errors last week", "--impact", "minor",
                 "--component", "api", "--at", "2026-11-16T10:00:00Z")  # fmt: skip
    assert old.returncode == 0, old.stderr
    author(repo, "resolve", "2026-11-16", "--at", "2026-11-16T11:00:00Z")

    picked = author(repo, "update", "api errors", "--status", "monitoring", "-m", "Better.",
                    "--at", "2026-11-23T12:05:00Z")  # fmt: skip
    both_resolved = author(repo, "resolve", "2026-11-23", "--at", "2026-11-23T12:10:00Z")
    ambiguous = author(repo, "update", "api errors", "--status", "monitoring", "-m", "Hm.",
                       "--at", "2026-11-23T12:15:00Z")  # fmt: skip

    assert picked.returncode == 0 and "2026-11-23-elevated-api-errors" in picked.stdout
    assert both_resolved.returncode == 0
    assert ambiguous.returncode == 1
    assert "fits 2 records" in ambiguous.stderr and "2026-11-16-api-errors-last-week" in (
        ambiguous.stderr
    )


def test_new_maintenance_announces_its_window(repo: SiteFolder):
    result = author(repo, "new", "maintenance", "Database upgrade", "--start",
                    "2026-12-08T02:00:00Z", "--end", "2026-12-08T04:00:00Z",
                    "--component", "api", "--component", "web")  # fmt: skip
    assert result.returncode == 0, result.stderr
    path = repo.root / result.stdout.splitlines()[0]
    assert path.name == "2026-12-08-database-upgrade.yaml"
    record = read_yaml_file(path).value
    assert record["kind"] == "maintenance"
    assert record["scheduled"] == {"start": "2026-12-08T02:00:00Z", "end": "2026-12-08T04:00:00Z"}
    assert [u["status"] for u in record["updates"]] == ["scheduled"]


def test_an_end_before_the_start_is_refused(repo: SiteFolder):
    result = author(repo, "new", "maintenance", "Backwards", "--start", "2026-12-08T04:00:00Z",
                    "--end", "2026-12-08T02:00:00Z", "--component", "api")  # fmt: skip
    assert result.returncode == 1
    assert "scheduled.end" in result.stderr
    assert not list(repo.incidents.rglob("*.yaml"))


def test_a_time_without_an_offset_is_wrong_usage(repo: SiteFolder):
    result = author(repo, "new", "incident", "X", "--impact", "minor", "--component", "api",
                    "--at", "2026-11-23T12:00:00")  # fmt: skip
    assert result.returncode == 2
    assert "with an offset" in result.stderr


def fill_in(path: Path) -> None:
    """What the author does between drafting a stage and publishing it: write every TODO."""
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"users_reported: *# TODO[^\n]*", "users_reported: 12", text)
    text = text.replace("https://TODO.example.com/ticket", "https://tracker.example.com/OPS-1")
    text = re.sub(r"'TODO[^'\n]*'|TODO[^\n]*", "Written by the owner.", text)
    path.write_text(text, encoding="utf-8")


def test_postmortem_drafts_each_stage_and_publishes_it_when_told(repo: SiteFolder):
    path, record_id = new_api_incident(repo)
    author(repo, "resolve", record_id, "--at", "2026-11-23T12:30:00Z")

    first = author(repo, "postmortem", record_id, "--at", "2026-11-23T12:40:00Z")
    assert first.returncode == 0, first.stderr
    assert f"publish it with: flare postmortem {record_id} --publish" in first.stdout
    postmortem = read_yaml_file(path).value["postmortem"]
    assert postmortem["stage"] == "immediate" and "published" not in postmortem
    assert postmortem["timeline"][0]["milestone"] == "impact_started"

    refused = author(repo, "postmortem", record_id, "--publish", "--at", "2026-11-23T12:50:00Z")
    assert refused.returncode == 1
    assert "postmortem.owner: still the placeholder" in refused.stderr
    assert "nothing was written" in refused.stderr

    fill_in(path)
    published = author(repo, "postmortem", record_id, "--publish", "--at", "2026-11-23T13:00:00Z")
    assert published.returncode == 0, published.stderr
    assert published.stdout.splitlines()[-1] == "published the first account (immediate)"

    for stage, drafted, out in (("24h", "11-24T08:00", "11-24T09:00"),
                                ("analysis", "11-30T08:00", "11-30T09:00")):  # fmt: skip
        assert author(repo, "postmortem", record_id, "--at", f"2026-{drafted}:00Z").returncode == 0
        assert read_yaml_file(path).value["postmortem"]["stage"] == stage
        fill_in(path)
        ran = author(repo, "postmortem", record_id, "--publish", "--at", f"2026-{out}:00Z")
        assert ran.returncode == 0, ran.stderr

    postmortem = read_yaml_file(path).value["postmortem"]
    assert postmortem["published"] == {
        "immediate": "2026-11-23T13:00:00Z", "24h": "2026-11-24T09:00:00Z",
        "analysis": "2026-11-30T09:00:00Z",
    }  # fmt: skip
    fourth = author(repo, "postmortem", record_id, "--at", "2026-12-01T09:00:00Z")
    assert fourth.returncode == 1 and "already a full analysis" in fourth.stderr
    assert flare("validate", str(repo.root)).returncode == 0


def optional_hints(text: str) -> dict[str, Any]:
    """The optional fields the stage drafted last comments above its first new field,
    uncommented and with each TODO filled in, as the author would."""
    *_, block = re.findall(r"\n  # Optional at this stage.*\n(?:  #.*\n)+", text)  # the newest
    lines = [line.removeprefix("  # ") for line in block.strip("\n").splitlines()[2:]]
    hints = yaml.safe_load("\n".join(lines))

    def filled(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: filled(item) for key, item in value.items() if item is not None}
        if isinstance(value, list):
            return [filled(item) for item in value]
        return "earlier-incident" if isinstance(value, str) and value.startswith("TODO") else value

    return filled(hints)


def test_each_drafted_stage_comments_the_optional_fields_it_may_record(repo: SiteFolder):
    path, record_id = new_api_incident(repo)
    author(repo, "resolve", record_id, "--at", "2026-11-23T12:30:00Z")
    found = {}
    for stage, drafted, out in (("immediate", "11-23T12:40", "11-23T13:00"),
                                ("24h", "11-24T08:00", "11-24T09:00"),
                                ("analysis", "11-30T08:00", "11-30T09:00")):  # fmt: skip
        assert author(repo, "postmortem", record_id, "--at", f"2026-{drafted}:00Z").returncode == 0
        found[stage] = optional_hints(path.read_text(encoding="utf-8"))
        fill_in(path)
        ran = author(repo, "postmortem", record_id, "--publish", "--at", f"2026-{out}:00Z")
        assert ran.returncode == 0, ran.stderr  # the comments hold up nothing

    assert {stage: sorted(hints) for stage, hints in found.items()} == {
        "immediate": ["impact", "triage"],
        "24h": ["effort", "impact"],
        "analysis": ["forecast", "recurrence_of"],  # and a category on contributing factors
    }
    assert found["24h"]["impact"] == {"business": {"description": "earlier-incident", "amount": 0}}
    for stage, hints in found.items():  # each as the model takes it
        Postmortem.model_validate({"stage": stage, **hints})


def test_authoring_output_builds(repo: SiteFolder, tmp_path: Path):
    _, record_id = new_api_incident(repo)
    author(repo, "resolve", record_id)
    result = flare("build", str(repo.root), "-d", str(tmp_path / "site"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "incidents" / record_id / "index.html").is_file()


def test_a_file_that_cannot_be_written_is_a_sentence_not_a_traceback(repo: SiteFolder):
    (repo.incidents / "2026").write_text("a file where the year's folder should be\n")

    result = author(repo, "new", "incident", "Blocked", "--impact", "minor", "--component", "api")

    assert result.returncode == 1
    assert "cannot write" in result.stderr and "nothing was written" in result.stderr
    assert "Traceback" not in result.stderr
    assert not list(repo.incidents.rglob("*.flare-tmp"))
