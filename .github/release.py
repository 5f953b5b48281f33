"""The release's steps, run by .github/workflows/release.yml and by tests/test_release.py alike.

    python .github/release.py check-tag v0.2.0   # the tag names the version Flare says it is
    python .github/release.py build dist         # the sdist and the wheel, into dist/
    python .github/release.py check dist         # twine check; a new site built from the wheel

``check`` installs the wheel into a clean virtual environment (its dependencies from the package
index, as a user's pip would) and runs ``flare init``, ``flare build`` and ``flare doctor`` with
it, so a wheel that lacks a template, an asset or a dependency fails before it is published.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ABOUT = ROOT / "generator" / "__about__.py"


def version() -> str:
    """The version in generator/__about__.py, read without importing Flare."""
    match = re.search(r'^__version__ = "([^"]+)"$', ABOUT.read_text(encoding="utf-8"), re.M)
    if match is None:
        sys.exit(f"{ABOUT} sets no __version__")
    return match[1]


def check_tag(tag: str) -> None:
    if tag != f"v{version()}":
        sys.exit(f"the tag {tag} does not name the version {version()} in {ABOUT.name}")
    print(f"{tag} is version {version()}")


def build(out: Path) -> None:
    run(sys.executable, "-m", "build", "--outdir", str(out), str(ROOT))


def check(out: Path) -> None:
    distributions = sorted(out.iterdir())
    wheels = [path for path in distributions if path.suffix == ".whl"]
    sdists = [path for path in distributions if path.name.endswith(".tar.gz")]
    if len(wheels) != 1 or len(sdists) != 1:
        sys.exit(
            f"{out} should hold one wheel and one sdist, not {[p.name for p in distributions]}"
        )
    for path in (*wheels, *sdists):
        if f"-{version()}" not in path.name:
            sys.exit(f"{path.name} is not version {version()}")
    run(sys.executable, "-m", "twine", "check", "--strict", *map(str, distributions))
    with tempfile.TemporaryDirectory(prefix="flare-release-") as folder:
        env_dir, site = Path(folder) / "venv", Path(folder) / "status"
        venv.create(env_dir, with_pip=True)
        python, flare = env_dir / "bin" / "python", env_dir / "bin" / "flare"
        run(str(python), "-m", "pip", "install", "--quiet", str(wheels[0]))
        shown = run(str(flare), "--version", capture=True)
        if version() not in shown:
            sys.exit(f"the installed flare says {shown.strip()!r}, not {version()}")
        run(str(flare), "init", str(site))
        run(str(flare), "build", str(site))
        run(str(flare), "doctor", str(site))
    print(f"flare-status {version()}: both distributions check, and the wheel builds a new site")


def run(*command: str, capture: bool = False) -> str:
    result = subprocess.run(command, text=True, capture_output=capture)
    if result.returncode != 0:
        detail = (result.stdout or "") + (result.stderr or "") if capture else ""
        sys.exit(f"{' '.join(command)} failed with status {result.returncode}\n{detail}")
    return result.stdout or ""


def main(arguments: list[str]) -> None:
    steps = {"check-tag": lambda value: check_tag(value), "build": lambda value: build(Path(value)),
             "check": lambda value: check(Path(value))}  # fmt: skip
    if len(arguments) != 2 or arguments[0] not in steps:
        sys.exit(f"usage: release.py {{{'|'.join(steps)}}} ARGUMENT")
    steps[arguments[0]](arguments[1])


if __name__ == "__main__":
    main(sys.argv[1:])
