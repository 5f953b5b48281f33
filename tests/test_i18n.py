"""Flare's pages in the site's language: the catalogs, and sites built in German, Japanese and
Arabic (a language the theme speaks and Flare has no catalog for yet).

The catalogs are checked against the messages extracted afresh from the sources, so a word added
to a template or to the render code and left out of a catalog fails here; the built sites are
checked against the catalog too (every message a build asked for was in it), and the templates
are read for words written outside the translation calls. English stays as it was: the golden
files (tests/test_golden.py) hold it byte for byte.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import lxml.html
import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po
from jinja2 import nodes
from lxml.html import HtmlElement
from test_postmortem_pages import RECORDS as POSTMORTEM_RECORDS
from test_site_pages import content, has_class, text

from conftest import REPO, SiteFolder, copy_example_site, flare
from generator.derive.snapshot import derive_snapshot
from generator.load.settings import SiteSettings
from generator.model.components import ComponentState
from generator.model.postmortem import Stage
from generator.model.records import Impact, IncidentStatus
from generator.render import format as formatting
from generator.render.i18n import (
    LABELLED,
    SOURCE_LANGUAGE,
    TEMPLATE,
    catalog_languages,
    catalog_path,
    extracted_catalog,
    join_sentences,
    language,
    nearest_catalog,
)
from generator.render.pages import Renderer

# The languages every message is translated into; Arabic reads right to left.
COMPLETE = ("ar", "de", "es", "fr", "ja", "pt")
TEMPLATES = sorted((REPO / "generator" / "render" / "templates").glob("*.html"))
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%%")
TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def read_catalog(path: Path, code: str | None = None) -> Catalog:
    with path.open("rb") as file:
        return read_po(file, locale=code)


def messages(catalog: Catalog) -> dict[object, Message]:
    return {message.id: message for message in catalog if message.id}


def strings(message: Message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def ids(message: Message) -> tuple[str, ...]:
    return message.id if isinstance(message.id, tuple) else (message.id,)


def files(message: Message) -> list[str]:
    """The files a message is in (the template leaves out line numbers, which move)."""
    return sorted({path for path, _ in message.locations})


# -- the catalogs ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def fresh() -> Catalog:
    """Every message of the sources, extracted now."""
    return extracted_catalog()


def test_flare_has_a_catalog_of_english_and_of_each_complete_language():
    assert set(catalog_languages()) >= {SOURCE_LANGUAGE, *COMPLETE}


def test_the_template_holds_every_message_of_the_sources_as_extracted_now(fresh):
    template = messages(read_catalog(TEMPLATE))
    missing = sorted(map(str, set(messages(fresh)) - set(template)))
    gone = sorted(map(str, set(template) - set(messages(fresh))))
    advice = "run `python -m generator.render.i18n extract` and translate what it reports"
    assert missing == [], f"not in flare.pot: {missing}; {advice}"
    assert gone == [], f"in flare.pot but no longer in the sources: {gone}; {advice}"
    for message_id, message in messages(fresh).items():
        kept = template[message_id]
        # A long comment is wrapped over lines in the file.
        assert (files(kept), kept.flags, " ".join(kept.auto_comments)) == (
            files(message),
            message.flags,
            " ".join(message.auto_comments),
        ), f"{message_id!r} changed in the sources; {advice}"


def test_there_are_enough_messages_to_be_the_pages_words(fresh):
    # Every template word and the model's labels: far more than a handful.
    assert len(messages(fresh)) > 250


@pytest.mark.parametrize("code", catalog_languages())
def test_every_catalog_holds_every_message_of_the_sources(fresh, code):
    catalog = messages(read_catalog(catalog_path(code), code))
    missing = sorted(map(str, set(messages(fresh)) - set(catalog)))
    assert missing == [], f"{code} lacks {missing}: run `python -m generator.render.i18n extract`"
    assert set(catalog) == set(messages(fresh)), f"{code} holds messages no source has"


@pytest.mark.parametrize("code", COMPLETE)
def test_a_complete_language_translates_every_message_in_every_plural_form(code):
    catalog = read_catalog(catalog_path(code), code)
    assert catalog.plural_forms == get_plural(code).plural_forms  # the header is the language's
    assert catalog.num_plurals == {"ja": 1, "ar": 6}.get(code, 2)
    for message in messages(catalog).values():
        assert not message.fuzzy, f"{code}: {message.id!r} is fuzzy: check its translation"
        expected = catalog.num_plurals if message.pluralizable else 1
        assert len(strings(message)) == expected, f"{code}: {message.id!r}"
        assert all(strings(message)), f"{code}: {message.id!r} is not translated"


def test_english_is_the_messages_themselves():
    for message in messages(read_catalog(catalog_path("en"), "en")).values():
        assert set(strings(message)) <= {"", *ids(message)}, message.id


@pytest.mark.parametrize("code", catalog_languages())
def test_a_translation_keeps_the_placeholders_and_the_markup_of_its_message(code):
    for message in messages(read_catalog(catalog_path(code), code)).values():
        wanted = sorted(PLACEHOLDER.findall(ids(message)[-1]))
        tags = sorted(TAG.findall(ids(message)[0]))
        for translation in filter(None, strings(message)):
            found = sorted(PLACEHOLDER.findall(translation))
            # A count may be left out of a form that names one thing ("Letzter Tag").
            assert found in (wanted, sorted(set(wanted) - {"num"})), (
                f"{code}: {message.id!r} → {translation!r}"
            )
            assert sorted(TAG.findall(translation)) == tags, f"{code}: {translation!r}"
            # The pages insert a translation as HTML: no markup of its own, nothing that
            # would end an attribute it is written in.
            assert not set(TAG.sub("", translation)) & set('<>&"'), f"{code}: {translation!r}"


def test_every_model_label_pages_show_is_a_message(fresh):
    found = set(messages(fresh))
    for enum, in_sentence in LABELLED.items():
        for member in enum:
            assert member.label in found
            assert member.label.lower() in found or not in_sentence
    assert {stage.promise for stage in Stage} <= found


# -- the templates say nothing outside the translation calls ---------------------------------------
def template_words(path: Path) -> list[str]:
    """The words of a template written as template text, not through ``_()``/``ngettext()``:
    its text, in order, with the HTML tags, comments and character references taken out (a tag
    may hold an expression, ``<td data-label="{{ _('Due') }}">``: it stands in as a NUL)."""
    env = Renderer(SiteSettings.model_validate({"components": [{"id": "a", "name": "A"}]})).env
    tree = env.parse(path.read_text(encoding="utf-8"))
    written = "\0".join(data.data for data in tree.find_all(nodes.TemplateData))
    plain = re.sub(r"<!--.*?-->|<[^>]*>|&#?\w+;", " ", written, flags=re.S)
    return [word for word in plain.replace("\0", " ").split() if any(c.isalpha() for c in word)]


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: path.name)
def test_a_template_has_no_word_outside_the_translation_calls(path):
    assert template_words(path) == []


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda path: path.name)
def test_a_template_applies_no_filter_to_a_constant(path):
    """Jinja would compute it as it compiles, in the language of the first build of the process,
    and the compiled code is shared by every build's environment (pages.CompiledTemplates)."""
    env = Renderer(SiteSettings.model_validate({"components": [{"id": "a", "name": "A"}]})).env
    tree = env.parse(path.read_text(encoding="utf-8"))
    constant = [
        f"{node.node.value!r} | {node.name}"
        for node in tree.find_all(nodes.Filter)
        if isinstance(node.node, nodes.Const)
    ]
    assert constant == []


def test_the_compiled_templates_serve_every_language(example_site, example_now):
    """The templates' compiled code is kept for the process: each language still gets its own
    words and numbers, whichever built first."""
    report = derive_snapshot(example_site, example_now).reliability.report()
    for code, shown in [("de", "mindestens 90\xa0% der"), ("en", "at least 90% of")] * 2:
        html = Renderer(example_site.settings, code).reliability(report, url=lambda path: path)
        assert shown in html


def test_the_template_check_finds_a_word_left_in_english(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(
        '<p class="flare-note" title="x">{{ _("Uptime") }} · 3&nbsp;%</p>\n<p>Uptime</p>\n',
        encoding="utf-8",
    )
    assert template_words(path) == ["Uptime"]


# -- the render code says nothing outside the translation calls ------------------------------------
RENDER_MODULES = [
    REPO / "generator" / "render" / name for name in ("format.py", "views.py", "charts.py")
] + [REPO / "generator" / "outputs" / "pages.py"]
TRANSLATING = {"gettext", "ngettext", "N_", "lookup", "lookup_plural"}
# English that format.py keeps on purpose, for the badges (which are not pages).
ENGLISH_ON_PURPOSE = {"SHORT_STATE_LABELS"}
WORDS = re.compile(r"\b[A-Za-z]{2,} [A-Za-z]{2,}\b")


def untranslated_literals(path: Path) -> list[str]:
    """String literals of a module that read as English words (two words in a row) and reach
    no translation call: neither a docstring, nor an exception's message."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    for node in ast.walk(tree):
        call_name = ""
        if isinstance(node, ast.Call):
            func = node.func
            call_name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        kept = isinstance(node, ast.Assign) and any(
            getattr(target, "id", "") in ENGLISH_ON_PURPOSE for target in node.targets
        )
        if call_name in TRANSLATING or isinstance(node, ast.Raise) or kept:
            skipped.update(id(inner) for inner in ast.walk(node))
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                skipped.add(id(first.value))
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in skipped
        and WORDS.search(node.value)
    ]


@pytest.mark.parametrize("path", RENDER_MODULES, ids=lambda path: path.name)
def test_the_render_code_has_no_english_outside_the_translation_calls(path):
    assert untranslated_literals(path) == []


def test_the_render_code_check_finds_english_left_in_a_literal(tmp_path):
    path = tmp_path / "module.py"
    path.write_text(
        '"""Docs are fine."""\n'
        'def f(language):\n    """So are these."""\n'
        '    ok = language.gettext("All components")\n'
        '    css = "flare-chart__bar flare-chart__bar--x"\n'
        '    raise ValueError("an error says what went wrong")\n'
        'LEFT = "no data"\n',
        encoding="utf-8",
    )
    assert untranslated_literals(path) == ["no data"]


# -- choosing a language ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("requested", "catalog"),
    [
        ("de", "de"),
        ("de-CH", "de"),
        ("de_AT", "de"),
        ("DE", "de"),
        ("ja", "ja"),
        ("ja-JP", "ja"),
        ("en", "en"),
        ("en-GB", "en"),
        ("tlh", None),  # Klingon: no catalog, nor any locale data
        ("", "en"),
    ],
)
def test_a_language_takes_its_own_catalog_or_that_of_its_language(requested, catalog):
    assert nearest_catalog(requested) == catalog


def test_a_region_keeps_its_own_dates_and_numbers_with_its_languages_words():
    swiss = language("de-CH")
    assert (swiss.code, str(swiss.locale)) == ("de", "de_CH")
    assert formatting.format_count(18400, swiss) == "18’400"
    assert swiss.gettext("Uptime") == "Verfügbarkeit"


@pytest.mark.parametrize("requested", ["tlh", "xx-YY", "not a language", None])
def test_a_language_flare_has_no_catalog_for_is_english(requested):
    assert language(requested) is language("en")
    assert language(requested).gettext("System status") == "System status"


def test_a_catalog_is_loaded_once_per_process():
    assert language("de") is language("de")


def test_sentences_are_parted_by_a_space_but_not_after_an_ideographic_full_stop():
    assert join_sentences(["One.", "Two."]) == "One. Two."
    assert join_sentences(["一。", "二。"]) == "一。二。"


# -- formatting in each language -------------------------------------------------------------------
NOV_3 = datetime(2026, 11, 3, 14, 5, tzinfo=UTC)
ZONE = SiteSettings.model_validate({"components": [{"id": "a", "name": "A"}]}).zone


def formats(code: str) -> dict[str, str]:
    words = language(code)
    return {
        "date": formatting.format_date(NOV_3, ZONE, words),
        "time": formatting.format_time(NOV_3, ZONE, words),
        "month": formatting.format_month(date(2026, 9, 1), words),
        "long month": formatting.format_long_month(date(2026, 9, 1), words),
        "percent": formatting.format_percent(0.9995, words),
        "bad day": formatting.format_percent(0.99996, words),
        "count": formatting.format_count(18400, words),
        "money": formatting.format_money(12345.4, "USD", words),
        "rate": formatting.format_rate(95.5, "EUR", words),
        "hours": formatting.format_hours(1234.5, words),
        "duration": formatting.format_duration(timedelta(hours=2, minutes=5), words),
        "days": formatting.format_duration(timedelta(days=3, hours=4), words),
        "list": formatting.format_list(["API", "Web", "Email"], words),
    }


ENGLISH_FORMATS = {
    "date": "3 Nov 2026",
    "time": "3 Nov 2026, 14:05 UTC",
    "month": "Sep 2026",
    "long month": "September 2026",
    "percent": "99.95%",
    "bad day": "99.99%",
    "count": "18,400",
    "money": "12,345 USD",
    "rate": "95.50 EUR",
    "hours": "1,234.5",
    "duration": "2 h 5 min",
    "days": "3 d 4 h",
    "list": "API, Web, Email",
}


def test_english_keeps_flares_own_style_after_other_languages_were_used():
    # Babel's locale data is shared within a process: another language must not leak into it.
    for code in ("ja", "de", "ar", "pt-BR", "de-CH"):
        formats(code)
    assert formats("en") == ENGLISH_FORMATS
    assert formats("en") == {
        "date": formatting.format_date(NOV_3, ZONE),
        "time": formatting.format_time(NOV_3, ZONE),
        "month": formatting.format_month(date(2026, 9, 1)),
        "long month": formatting.format_long_month(date(2026, 9, 1)),
        "percent": formatting.format_percent(0.9995),
        "bad day": formatting.format_percent(0.99996),
        "count": formatting.format_count(18400),
        "money": formatting.format_money(12345.4, "USD"),
        "rate": formatting.format_rate(95.5, "EUR"),
        "hours": formatting.format_hours(1234.5),
        "duration": formatting.format_duration(timedelta(hours=2, minutes=5)),
        "days": formatting.format_duration(timedelta(days=3, hours=4)),
        "list": formatting.format_list(["API", "Web", "Email"]),
    }


def test_german_writes_dates_and_numbers_the_german_way():
    assert formats("de") == {
        "date": "3. Nov. 2026",
        "time": "3. Nov. 2026, 14:05 UTC",
        "month": "Sept. 2026",
        "long month": "September 2026",
        "percent": "99,95\xa0%",
        "bad day": "99,99\xa0%",
        "count": "18.400",
        "money": "12.345 USD",
        "rate": "95,50 EUR",
        "hours": "1.234,5",
        "duration": "2 Std. 5 Min.",
        "days": "3 Tg. 4 Std.",
        "list": "API, Web, Email",
    }


def test_japanese_writes_dates_and_numbers_the_japanese_way():
    assert formats("ja") == {
        "date": "2026年11月3日",
        "time": "2026年11月3日 14:05 UTC",
        "month": "2026年9月",
        "long month": "2026年9月",
        "percent": "99.95%",
        "bad day": "99.99%",
        "count": "18,400",
        "money": "12,345 USD",
        "rate": "95.50 EUR",
        "hours": "1,234.5",
        "duration": "2時間5分",
        "days": "3日4時間",
        "list": "API、Web、Email",
    }


# -- sites built in a language ---------------------------------------------------------------------
def set_language(config: Path, code: str) -> None:
    """Give the site's theme a language, as an author would in mkdocs.yml."""
    source = config.read_text(encoding="utf-8")
    if "  language:" in source:
        source = re.sub(r"(?m)^  language: .*$", f"  language: {code}", source)
    else:
        source = source.replace("theme:\n", f"theme:\n  language: {code}\n", 1)
    config.write_text(source, encoding="utf-8")


def build(root: Path, code: str) -> tuple[Path, set[str]]:
    """Build the site at ``root`` in ``code`` with `flare build`; the site, and every message
    the build asked for that its catalog lacks."""
    set_language(root / "mkdocs.yml", code)
    words = language(code)
    words.missed.clear()
    # In one process: a message is recorded as missed in the process that renders the page.
    result = flare("build", str(root), "-d", str(root / "site"), env={"FLARE_WORKERS": "1"})
    assert result.returncode == 0, result.stderr
    return root / "site", set(words.missed)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str, str], tuple[Path, set[str]]]:
    """``built("example", "de")``: the example site, or the post-mortem site (every stage, action
    items, the cost of incidents), built in a language, once each."""
    done: dict[tuple[str, str], tuple[Path, set[str]]] = {}

    def make(kind: str, code: str) -> tuple[Path, set[str]]:
        if (kind, code) not in done:
            root = tmp_path_factory.mktemp(f"{kind}-{code}")
            if kind == "example":
                copy_example_site(root)
            else:
                folder = SiteFolder(root)
                for name, record in POSTMORTEM_RECORDS.items():
                    folder.record(name, record)
                config = folder.config.read_text(encoding="utf-8")
                folder.config.write_text(
                    config.replace("  - flare:\n", "  - flare:\n      hourly_rate: 95.5\n"),
                    encoding="utf-8",
                )
            done[kind, code] = build(root, code)
        return done[kind, code]

    return make


def parse(site: Path, path: str = "") -> HtmlElement:
    return lxml.html.parse(str(site / path / "index.html")).getroot()


def flare_html_pages(site: Path) -> list[Path]:
    """The pages Flare writes: the status page, history, records, components, reports."""
    kinds = ("history", "incidents", "components", "reliability")
    return [site / "index.html"] + [
        page for kind in kinds for page in sorted((site / kind).rglob("index.html"))
    ]


@pytest.mark.parametrize("kind", ["example", "postmortems"])
@pytest.mark.parametrize("code", COMPLETE)
def test_every_word_a_build_asked_for_was_in_the_catalog(built, kind, code):
    site, missed = built(kind, code)
    assert missed == set()
    assert len(flare_html_pages(site)) > 10


@pytest.mark.parametrize("code", COMPLETE)
def test_no_english_message_of_flares_is_left_on_a_page(built, code):
    """Every page's own content, against the catalog: no message whose translation differs
    shows in English (author text, which is English here, is left out)."""
    catalog = read_catalog(catalog_path(code), code)
    # Long messages only: a short one ("Status") may be part of what an author wrote.
    sentences = [
        message.id
        for message in messages(catalog).values()
        if isinstance(message.id, str)
        and "%" not in message.id
        and len(message.id.split()) >= 4
        and message.string != message.id
    ]
    for kind in ("example", "postmortems"):
        site, _ = built(kind, code)
        for page in flare_html_pages(site):
            shown = text(content(lxml.html.parse(str(page)).getroot()))
            left = [sentence for sentence in sentences if sentence in shown]
            assert left == [], f"{page.relative_to(site)}: {left}"


def test_the_german_home_page(built, site_folder: SiteFolder):
    site, _ = built("example", "de")
    home = content(parse(site))
    assert text(home.xpath(".//h1")[0]) == "Systemstatus"
    banner = home.xpath(f".//*[{has_class('flare-banner__updated')}]")[0]
    assert text(banner) == "Zuletzt aktualisiert am 23. Nov. 2026, 12:00 UTC"
    assert "Beeinträchtigte Leistung" in text(home)  # the open webhook incident
    assert "99,99\xa0% Verfügbarkeit über 90 Tage" in home.text_content()
    assert parse(site, "history").xpath("//title")[0].text.startswith("Verlauf - ")
    assert parse(site).xpath("/html/@lang") == ["de"]

    # A quiet site: every system operational.
    site_folder.record(
        "2026/2026-11-03-api-errors.yaml",
        """\
        title: Elevated error rates on the public API
        impact: major
        components: [api]
        updates:
          - at: 2026-11-03T14:05:00Z
            status: investigating
            components: {api: major_outage}
            body: We are seeing elevated error rates.
          - at: 2026-11-03T15:10:00Z
            status: resolved
            body: Error rates are back to normal.
        """,
    )
    quiet, missed = build(site_folder.root, "de")
    assert missed == set()
    page = content(parse(quiet))
    assert text(page.xpath(".//*[@id='flare-overall']")[0]) == "Alle Systeme betriebsbereit"
    day = page.xpath(f".//path[{has_class('flare-cell--major_outage')}]")[0]
    assert day.findtext("title").startswith("3. Nov. 2026: 1 Std. 5 Min. größerer Ausfall")
    record = content(parse(quiet, "incidents/2026-11-03-api-errors"))
    assert "3. Nov. 2026, 14:05 UTC" in text(record)
    assert "Erhebliche Auswirkung" in text(record)


def test_the_japanese_pages(built):
    site, _ = built("example", "ja")
    home = content(parse(site))
    assert text(home.xpath(".//h1")[0]) == "システムステータス"
    banner = home.xpath(f".//*[{has_class('flare-banner__updated')}]")[0]
    assert text(banner) == "最終更新：2026年11月23日 12:00 UTC"
    history = content(parse(site, "history"))
    assert text(history.xpath(".//h2")[0]) == "2026年11月"
    report = content(parse(site, "reliability"))
    assert "月ごとの稼働率" in text(report)
    labels = [t.text for t in report.xpath(".//*[local-name()='text']")]
    assert "11月" in labels and "現時点" in labels  # a chart's months and "so far"


def test_a_post_mortem_in_german(built):
    site, _ = built("postmortems", "de")
    page = text(content(parse(site, "incidents/2026-11-03-api-outage/postmortem")))
    assert "Stufe: Vollständige Analyse" in page
    assert "Ein Post-Mortem erscheint in drei Stufen: erster Bericht" in page
    assert "Zeit bis zur Erkennung" in page
    report = text(content(parse(site, "reliability")))
    assert "Kosten der Vorfälle" in report
    assert "95,50 USD" in report


def test_a_right_to_left_language_builds_right_to_left(tmp_path: Path):
    """Arabic: the theme writes the page right to left (Material sets ``dir`` on the body from
    the language), and Flare's words are Arabic."""
    site, missed = build(copy_example_site(tmp_path), "ar")
    assert missed == set()
    tree = parse(site)
    assert tree.get("lang") == "ar"
    assert tree.xpath("//body")[0].get("dir") == "rtl"
    heading = text(content(tree).xpath(".//h1")[0])
    assert heading == language("ar").gettext("System status") != "System status"


def test_flares_templates_set_no_direction_of_their_own():
    """Content follows the page's direction; only the light layout, a whole page, sets it."""
    for path in TEMPLATES:
        if path.name != "light_layout.html":
            assert not re.search(r"\bdir=|direction", path.read_text(encoding="utf-8")), path.name


def test_a_components_state_reads_in_a_sentence_as_the_language_writes_it():
    assert language("de").in_sentence(ComponentState.PARTIAL_OUTAGE) == "teilweiser Ausfall"
    assert language("en").in_sentence(ComponentState.PARTIAL_OUTAGE) == "partial outage"
    assert language("de").in_sentence(Impact.MAJOR) == "große Auswirkung"  # as it changes
    with pytest.raises(ValueError):  # a status is only ever a heading or a badge
        language("de").in_sentence(IncidentStatus.RESOLVED)


def test_the_words_the_plugin_adds_and_the_search_index_speak_the_language(built):
    site, _ = built("example", "de")
    (light_skip,) = parse(site).xpath("//a[@class='flare-light__skip']")  # the status page
    assert text(light_skip) == "Zum Inhalt springen"
    page = parse(site, "history")
    (skip,) = page.xpath("//a[@class='md-skip']")
    assert text(skip) == "Zum Inhalt springen"
    (dialog,) = page.xpath("//div[@data-md-component='search']")
    assert dialog.get("aria-label") == "Suche"
    index = json.loads((site / "search" / "search_index.json").read_text("utf-8"))
    (storage,) = [
        doc
        for doc in index["docs"]
        if doc["location"] == "incidents/2026-08-04-file-storage-outage/"
    ]
    words = language("de")
    assert f" · {words.label(Impact.CRITICAL)} · " in storage["text"]


def test_a_message_the_catalog_lacks_is_recorded_as_missed():
    """The builds' check that no message missed the catalog reads this record: it must fill."""
    words = language("de")
    before = set(words.missed)
    try:
        assert words.gettext("Not a message of Flare's") == "Not a message of Flare's"
        assert words.gettext("System status") == "Systemstatus"
        assert words.missed - before == {"Not a message of Flare's"}
    finally:
        words.missed.clear()
        words.missed.update(before)
