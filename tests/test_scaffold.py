"""`flare init`: a new status-site repository, used as a newcomer would, with the commands alone.

Every command is the real `flare` console script, run with the example's reference instant
(EXAMPLE_NOW, 23 Nov 2026 12:00 UTC) as SOURCE_DATE_EPOCH.
"""

from __future__ import annotations

import hashlib
import json
import re
import shlex
import subprocess
import sys
import zipfile
from datetime import timedelta
from importlib.metadata import version
from pathlib import Path

import jsonschema
import lxml.html

from conftest import EXAMPLE_NOW, SiteFolder, flare
from generator.load.yamlsource import read_yaml_file

# The example incident is dated the day before EXAMPLE_NOW.
EXAMPLE_RECORD = "incidents/2026/2026-11-22-example.yaml"
SITE_FILES = {
    "mkdocs.yml",
    "README.md",
    "requirements.txt",
    ".gitignore",
    "site_src/about.md",
    EXAMPLE_RECORD,
    "schema/incident.schema.json",
    ".github/workflows/status.yml",
    ".github/workflows/alert.yml",
    ".gitlab-ci.yml",
    ".pre-commit-config.yaml",
}


def init(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    result = flare("init", str(folder), *args)
    assert result.returncode == 0, result.stderr
    return result


def files_under(folder: Path) -> set[str]:
    return {str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file()}


def snapshot(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in folder.rglob("*")
        if path.is_file()
    }


def text(element) -> str:
    return " ".join(element.text_content().split())


def facts(page: Path) -> dict[str, str]:
    """An incident page's fact list (Status, Impact, Started, ...) as {term: value}."""
    tree = lxml.html.parse(str(page)).getroot()
    (facts_list,) = tree.xpath("//dl[contains(@class, 'flare-facts')]")
    return {text(term): text(term.getnext()) for term in facts_list.xpath(".//dt")}


def overall_state(page: Path) -> str:
    tree = lxml.html.parse(str(page)).getroot()
    return text(tree.get_element_by_id("flare-overall"))


def test_init_writes_a_new_site_that_validates_and_builds(tmp_path: Path):
    site = tmp_path / "acme-status"  # does not exist yet: init creates it

    result = init(site)

    assert files_under(site) == SITE_FILES
    listed = {line.strip() for line in result.stdout.splitlines() if line.startswith("  ")}
    assert SITE_FILES <= listed  # it says what it wrote
    assert read_yaml_file(site / "mkdocs.yml", allow_unknown_tags=True).value["site_name"] == (
        "Acme Status"
    )
    assert flare("validate", str(site)).returncode == 0
    built = flare("build", str(site))
    assert built.returncode == 0, built.stderr
    assert "warning" not in built.stderr.lower()
    home = site / "site" / "index.html"
    assert overall_state(home) == "All systems operational"
    assert (site / "site" / "about" / "index.html").is_file()
    example = site / "site" / "incidents" / "2026-11-22-example" / "index.html"
    assert facts(example)["Status"] == "Resolved"


def test_the_example_record_points_at_and_fits_the_schema_written_beside_it(tmp_path: Path):
    init(tmp_path / "site")
    schema_file = tmp_path / "site" / "schema" / "incident.schema.json"
    record_file = tmp_path / "site" / EXAMPLE_RECORD

    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(read_yaml_file(record_file).value)
    assert schema == json.loads(flare("schema").stdout)
    modeline = record_file.read_text(encoding="utf-8").splitlines()[0]
    assert modeline == "# yaml-language-server: $schema=../../schema/incident.schema.json"
    assert (record_file.parent / "../../schema/incident.schema.json").resolve() == schema_file


def test_a_newcomer_reports_updates_and_resolves_an_incident_with_the_commands_alone(
    tmp_path: Path,
):
    site = tmp_path / "status"
    init(site)

    def run(*args: str) -> str:
        result = flare(*args, cwd=site)
        assert result.returncode == 0, result.stderr
        return result.stdout

    opened = run("new", "incident", "Elevated API errors", "--impact", "major",
                 "--component", "api", "--at", "2026-11-23T09:05:00Z",
                 "-m", "Some requests fail with 503 errors.")  # fmt: skip
    record_id = opened.splitlines()[1].removeprefix("id: ")
    run("update", "api errors", "--status", "identified", "--component", "api=partial_outage",
        "--at", "2026-11-23T09:30:00Z", "-m", "A faulty deploy; rolling back.")  # fmt: skip
    run("resolve", record_id, "--at", "2026-11-23T10:10:00Z", "-m", "Error rates are normal.")
    run("build")

    assert record_id == "2026-11-23-elevated-api-errors"
    page = site / "site" / "incidents" / record_id / "index.html"
    assert facts(page) == {
        "Status": "Resolved",
        "Impact": "Major impact",
        "Started": "23 Nov 2026, 09:05 UTC",
        "Resolved": "23 Nov 2026, 10:10 UTC",
        "Duration": "1 h 5 min",
    }
    assert overall_state(site / "site" / "index.html") == "All systems operational"
    tree = lxml.html.parse(str(page)).getroot()
    assert "A faulty deploy; rolling back." in text(tree)


def test_the_next_commands_init_prints_work_as_printed(tmp_path: Path):
    result = init(tmp_path / "new site")  # a space, to see the cd line quoted
    commands = result.stdout.split("Next:\n", 1)[1].replace("\\\n", " ")
    lines = [shlex.split(line, comments=True) for line in commands.splitlines()]

    assert lines[0] == ["cd", str(tmp_path / "new site")]
    assert [line[:2] for line in lines[1:]] == [
        ["flare", "new"],
        ["flare", "build"],
        ["flare", "serve"],  # a server that runs until stopped: not run here
    ]
    for line in lines[1:3]:
        ran = flare(*line[1:], cwd=Path(lines[0][1]))
        assert ran.returncode == 0, ran.stderr
    assert (tmp_path / "new site" / "site" / "index.html").is_file()


def test_the_flare_commands_in_the_new_sites_readme_work_as_written(tmp_path: Path):
    site = tmp_path / "status"
    init(site)
    readme = (site / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"^```sh\n(.*?)^```", readme, flags=re.MULTILINE | re.DOTALL)
    lines = "\n".join(blocks).replace("\\\n", " ").splitlines()
    commands = [shlex.split(line, comments=True) for line in lines if line.startswith("flare ")]

    assert [command[1] for command in commands] == [
        "new", "update", "resolve", "postmortem", "new", "validate", "serve", "build",
    ]  # fmt: skip
    for minutes, command in enumerate(commands):
        if command[1] != "serve":  # a server that runs until stopped
            # An author's commands, a minute apart, as they would be typed.
            result = flare(*command[1:], cwd=site, now=EXAMPLE_NOW + timedelta(minutes=minutes))
            assert result.returncode == 0, (command, result.stderr)
    incidents = {path.name for path in (site / "site" / "incidents").iterdir()}
    assert incidents == {
        "2026-11-22-example",
        "2026-11-23-elevated-api-errors",
        "2026-12-08-database-upgrade",
    }


def test_init_refuses_a_folder_that_already_holds_a_site_and_changes_nothing(
    site_folder: SiteFolder,
):
    before = snapshot(site_folder.root)

    result = flare("init", str(site_folder.root))

    assert result.returncode == 1
    assert "already holds a mkdocs.yml" in result.stderr
    assert snapshot(site_folder.root) == before


def test_init_keeps_the_files_a_fresh_repository_already_has(tmp_path: Path):
    (tmp_path / "README.md").write_text("# Our status page\n", encoding="utf-8")

    result = init(tmp_path, "--name", "Example Cloud Status")

    assert (tmp_path / "README.md").read_text(encoding="utf-8") == "# Our status page\n"
    assert "Kept as they were (already there):\n  README.md\n" in result.stdout
    assert files_under(tmp_path) == SITE_FILES
    config = read_yaml_file(tmp_path / "mkdocs.yml", allow_unknown_tags=True).value
    assert config["site_name"] == "Example Cloud Status"


def test_requirements_pin_the_exact_version_from_the_package_index_and_nothing_else(
    tmp_path: Path,
):
    """The version that made the site, from the index by name: no local folder, no other index
    and no URL that a stranger could register first or that a fresh CI machine lacks."""
    site = tmp_path / "site"
    init(site)
    installed = version("flare-status")
    requirements = (site / "requirements.txt").read_text("utf-8")
    pins = [line for line in requirements.splitlines() if line and not line.startswith("#")]
    assert pins == [f"flare-status=={installed}"]
    index = tmp_path / "index"
    index.mkdir()
    write_metadata_only_wheel(
        index / f"flare_status-{installed}-py3-none-any.whl", "flare-status", installed
    )

    # What `pip install -r requirements.txt` would install, offline and whatever is installed
    # here, with a folder standing in for the package index.
    pip = [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--no-deps"]
    result = subprocess.run(
        [
            *pip,
            "--no-index",
            "--find-links",
            str(index),
            "--quiet",
            "--report",
            "-",
            "-r",
            "requirements.txt",
        ],  # fmt: skip
        cwd=site,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    would_install = [
        (item["metadata"]["name"], item["metadata"]["version"]) for item in report["install"]
    ]
    assert would_install == [("flare-status", installed)]


def write_metadata_only_wheel(path: Path, name: str, release: str) -> None:
    """A wheel that carries only its metadata: enough for pip to resolve the requirement."""
    dist_info = f"{name.replace('-', '_')}-{release}.dist-info"
    files = {
        f"{dist_info}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {release}\n",
        f"{dist_info}/WHEEL": "Wheel-Version: 1.0\nGenerator: tests\nRoot-Is-Purelib: true\n"
        "Tag: py3-none-any\n",
    }
    record = "".join(f"{file},,\n" for file in files) + f"{dist_info}/RECORD,,\n"
    with zipfile.ZipFile(path, "w") as archive:
        for file, content in {**files, f"{dist_info}/RECORD": record}.items():
            archive.writestr(file, content)


def test_a_site_name_is_written_as_yaml_text_whatever_it_holds(tmp_path: Path):
    site_name = 'Acme: "status" #1 – Zürich'
    init(tmp_path / "site", "--name", site_name)
    config = read_yaml_file(tmp_path / "site" / "mkdocs.yml", allow_unknown_tags=True).value
    assert config["site_name"] == site_name


def test_a_new_sites_build_lists_every_page_it_has_in_its_navigation(tmp_path: Path):
    site = tmp_path / "status"
    init(site)
    result = flare("build", str(site))
    assert result.returncode == 0, result.stderr
    assert 'not included in the "nav"' not in result.stderr
    config = read_yaml_file(site / "mkdocs.yml", allow_unknown_tags=True).value
    assert {"Status": "index.md"} in config["nav"]
    assert {"Reliability": "reliability/index.md"} in config["nav"]
