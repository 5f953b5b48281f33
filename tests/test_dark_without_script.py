"""The theme's colours where its script or its stylesheet is not there (the MkDocs adapter): the
dark palette chosen by CSS on a page whose scripts do not run, and the site's primary colour for
the status page in the light layout."""

from __future__ import annotations

from pathlib import Path

from generator.mkdocs_plugin.palette import (
    dark_without_script,
    primary_colours,
    schemes_by_preference,
    style_rules,
    theme_colours,
)

LIGHT_FIRST = [
    {"media": "(prefers-color-scheme: light)", "scheme": "default"},
    {"media": "(prefers-color-scheme: dark)", "scheme": "slate"},
]
THEME_CSS = (
    '@charset "UTF-8";'
    "[data-md-color-accent=red]{--md-accent-fg-color:#ff1a47}"
    "[data-md-color-primary=deep-orange],[data-md-color-primary=teal]{--md-primary-bg-color:#fff}"
    "[data-md-color-primary=deep-orange]{--md-primary-fg-color:#ff6e42}"
    "@media screen{[data-md-color-scheme=slate]{--md-default-bg-color:#1e2129;color-scheme:dark}"
    "[data-md-color-primary=amber]:not([data-md-color-scheme=slate]){--x:1}}"
    "@media screen and (min-width:60em){[data-md-color-scheme=slate] .md-nav{--y:2}}"
    "@font-face{font-family:x;src:url(x.woff)}"
)
OWN_CSS = '[data-md-color-scheme="slate"] {\n  --flare-operational: #3fb950;\n}\n'


def theme_folder(tmp_path: Path) -> str:
    stylesheets = tmp_path / "assets" / "stylesheets"
    stylesheets.mkdir(parents=True)
    (stylesheets / "palette.0123abcd.min.css").write_text(THEME_CSS, encoding="utf-8")
    return str(tmp_path)


def test_the_dark_scheme_is_the_one_bound_to_a_dark_preference():
    assert schemes_by_preference(LIGHT_FIRST) == ("default", "slate")
    assert schemes_by_preference(list(reversed(LIGHT_FIRST))) is None  # dark already first
    assert schemes_by_preference({"scheme": "slate"}) is None  # one palette: no choice
    assert schemes_by_preference([{"scheme": "default"}, {"scheme": "slate"}]) is None  # a toggle


def test_style_rules_keep_their_media_and_leave_other_at_rules_out():
    rules = list(style_rules(THEME_CSS))
    assert [(media, selector) for media, selector, _ in rules] == [
        ((), "[data-md-color-accent=red]"),
        ((), "[data-md-color-primary=deep-orange],[data-md-color-primary=teal]"),
        ((), "[data-md-color-primary=deep-orange]"),
        (("@media screen",), "[data-md-color-scheme=slate]"),
        (("@media screen",), "[data-md-color-primary=amber]:not([data-md-color-scheme=slate])"),
        (("@media screen and (min-width:60em)",), "[data-md-color-scheme=slate] .md-nav"),
    ]


def test_the_dark_rules_apply_without_script_to_a_reader_who_prefers_dark(tmp_path: Path):
    css = dark_without_script([theme_folder(tmp_path)], LIGHT_FIRST, OWN_CSS)
    body = css[css.index("@media (prefers-color-scheme: dark) {") :]
    assert body.splitlines()[1:] == [
        '@media screen{.no-js [data-md-color-scheme="default"]'
        "{--md-default-bg-color:#1e2129;color-scheme:dark}}",
        '@media screen and (min-width:60em){.no-js [data-md-color-scheme="default"] .md-nav'
        "{--y:2}}",
        '.no-js [data-md-color-scheme="default"]{--flare-operational: #3fb950;}',
        "}",
    ]


def test_a_site_without_a_dark_preference_gets_nothing(tmp_path: Path):
    assert dark_without_script([theme_folder(tmp_path)], [{"scheme": "default"}], OWN_CSS) == ""


def test_the_body_gets_the_colour_attributes_the_theme_would_write():
    assert theme_colours(LIGHT_FIRST) == {
        "data-md-color-scheme": "default",
        "data-md-color-primary": "indigo",
        "data-md-color-accent": "indigo",
    }
    assert theme_colours({"scheme": "slate", "primary": "deep orange"}) == {
        "data-md-color-scheme": "slate",
        "data-md-color-primary": "deep-orange",
        "data-md-color-accent": "indigo",
    }
    assert theme_colours(None) == {}  # no palette: the theme writes none


def test_the_primary_colours_rules_are_the_themes_own_for_that_colour(tmp_path: Path):
    folder = [theme_folder(tmp_path)]
    css = primary_colours(folder, {"primary": "deep orange"})
    assert css.splitlines()[1:] == [
        "[data-md-color-primary=deep-orange]{--md-primary-bg-color:#fff}",
        "[data-md-color-primary=deep-orange]{--md-primary-fg-color:#ff6e42}",
    ]
    assert primary_colours(folder, {"primary": "amber"}) == ""  # only within :not() and @media
    assert primary_colours(folder, None) == ""
