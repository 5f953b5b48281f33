"""``flare validate`` passing means ``flare build`` passes: what the build would refuse in
mkdocs.yml, validate refuses first, at its line. Every case validate accepts is built here."""

from __future__ import annotations

import pytest

from conftest import SiteFolder, flare

RECORD = """\
title: Elevated API errors
impact: minor
components: [api]
updates:
  - at: 2026-11-23T10:00:00Z
    status: investigating
    body: Some requests fail.
"""

NAV = """\
nav:
  - Status: index.md
  - History: history/index.md
  - Reliability: reliability/index.md
  - API: components/api.md
  - About: about.md
  - Elsewhere: https://example.com/
"""

# (name, change to the small site's mkdocs.yml or files, the error validate gives or None)
CASES = [
    ("as it is", {}, None),
    (
        "a site_url under a path",
        {"site_url: https://status.test.example/": "site_url: https://example.com/status/"},
        None,
    ),
    ("a nav naming Flare's pages", {"site_url:": NAV + "site_url:"}, None),
    (
        "the theme by its name alone",
        {"theme:\n  name: material\n  font: false\n": "theme: material\n"},
        None,
    ),
    (
        "no site_url",
        {"site_url: https://status.test.example/\n": ""},
        "mkdocs.yml:1:1: error: site_url is missing",
    ),
    (
        "a site_url without a scheme",
        {"site_url: https://status.test.example/": "site_url: status.test.example"},
        "mkdocs.yml:17:11: error: site_url: found 'status.test.example'; site_url is the site's "
        "full address with its scheme",
    ),
    (
        "a language the theme does not speak",
        {"  name: material\n": "  name: material\n  language: xx\n"},
        "mkdocs.yml:5:13: error: theme.language: found 'xx', a language mkdocs-material does "
        "not speak",
    ),
    (
        "another theme",
        {"  name: material\n": "  name: mkdocs\n"},
        "mkdocs.yml:4:9: error: theme.name: found the theme 'mkdocs'; Flare's pages are written "
        "for theme: {name: material}",
    ),
    (
        "a docs_dir that does not exist",
        {"docs_dir: site_src": "docs_dir: pages"},
        "mkdocs.yml:2:11: error: docs_dir: the folder of hand-written pages, pages/, does not "
        "exist",
    ),
    (
        "a nav naming a page that does not exist",
        {"site_url:": NAV.replace("about.md", "abuot.md") + "site_url:"},
        "mkdocs.yml:22:12: error: nav[4].About: the navigation names abuot.md, which is neither a "
        "page in site_src/ nor one Flare writes",
    ),
    (
        "flare after a plugin that needs its pages",
        {"plugins:\n  - flare:": "plugins:\n  - redirects\n  - flare:"},
        "mkdocs.yml:7:5: error: plugins[0]: the redirects plugin is listed before flare",
    ),
    (
        "a hand-written page where Flare writes one",
        {"site_src/index.md": "# Home\n"},
        "site_src/index.md: error: Flare writes the page index.md itself; rename or remove this "
        "file",
    ),
]


@pytest.fixture(params=CASES, ids=[case[0] for case in CASES])
def case(request, site_folder: SiteFolder):
    name, changes, error = request.param
    site_folder.record("errors.yaml", RECORD)
    config = site_folder.config.read_text(encoding="utf-8")
    for old, new in changes.items():
        if old.startswith("site_src/"):
            (site_folder.root / old).write_text(new, encoding="utf-8")
            continue
        assert config.count(old) == 1, old
        config = config.replace(old, new)
    site_folder.config.write_text(config, encoding="utf-8")
    return site_folder, error


def test_validate_refuses_what_the_build_would_and_a_build_passes_what_it_accepts(case):
    site, error = case
    validated = flare("validate", cwd=site.root)
    if error is None:
        assert validated.returncode == 0, validated.stderr
        built = flare("build", str(site.root))
        assert built.returncode == 0, built.stderr
    else:
        assert validated.returncode == 1
        errors = [line for line in validated.stderr.splitlines() if ": error: " in line]
        assert len(errors) == 1, validated.stderr
        assert errors[0].startswith(error), errors[0]
        refused = flare("build", str(site.root))
        assert refused.returncode == 1 and "nothing was built" in refused.stderr


@pytest.mark.parametrize(
    ("code", "warned"), [("it", True), ("de", False), ("pt-BR", False), ("en", False)]
)
def test_a_language_flare_has_no_words_for_is_a_warning_at_its_line(
    site_folder: SiteFolder, code: str, warned: bool
):
    """The theme speaks it (Italian) and Flare does not yet: its pages stay English. validate
    says so at the line, and the build, which passes (even with --strict), says it too."""
    site_folder.record("errors.yaml", RECORD)
    config = site_folder.config.read_text(encoding="utf-8")
    site_folder.config.write_text(
        config.replace("  name: material\n", f"  name: material\n  language: {code}\n"),
        encoding="utf-8",
    )
    validated = flare("validate", cwd=site_folder.root)
    assert validated.returncode == 0, validated.stderr
    warnings = [line for line in validated.stderr.splitlines() if "theme.language" in line]
    built = flare("build", str(site_folder.root))
    assert built.returncode == 0, built.stderr
    if warned:
        assert warnings == [
            "mkdocs.yml:5:13: warning: theme.language: Flare has no translation for 'it' yet, "
            "so its pages will be in English (the theme's own words follow 'it'); Flare speaks "
            "ar, de, en, es, fr, ja, pt, and `python -m generator.render.i18n init it` starts a "
            "translation"
        ]
        assert "Flare has no translation for 'it' yet" in built.stderr
    else:
        assert warnings == []
        assert "no translation" not in built.stderr
