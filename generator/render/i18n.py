"""Flare's words in the site's language: gettext catalogs for the words, Babel for the rest.

The language is the page engine's (MkDocs' ``theme.language``), handed to the core as a plain
code such as ``de``, ``ja`` or ``pt-BR``. Every word Flare writes on its pages is a message of
the catalog ``locales/<language>/LC_MESSAGES/flare.po``, made from the template
``locales/flare.pot``; a catalog is read and compiled in memory the first time a build asks for
its language, then kept for the process. Dates and numbers come from Babel's locale data for
the language (see :mod:`generator.render.format`).

A language without a catalog falls back to English, words and formats alike, so a site in one
of the many languages the theme speaks still builds; a regional language takes its language's
catalog (``pt-BR`` and ``pt_BR`` read ``pt``, ``zh-Hant`` reads ``zh``) and its own region's
dates and numbers.

The labels of the model's states, impacts, statuses and stages are the model's own English
(feeds and the API show them as they are); pages show them through :meth:`Language.label`, and
:data:`LABELLED` names them for the catalog, so the English lives in one place.

Run as a module, it keeps the catalogs in step with the sources (see README, "Translations")::

    python -m generator.render.i18n extract   # regenerate flare.pot, then update every .po
    python -m generator.render.i18n init fr   # start the catalog of a new language
"""

from __future__ import annotations

import argparse
import functools
import gettext
import inspect
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import Enum
from io import BytesIO
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from babel.support import Translations

from generator.__about__ import __version__
from generator.derive.metrics import Metric
from generator.model.components import ComponentState
from generator.model.postmortem import (
    ActionStatus,
    ActionType,
    EffortPhase,
    FactorCategory,
    Likelihood,
    Milestone,
    ResponderRole,
    Stage,
)
from generator.model.records import Classification, Impact, IncidentStatus, MaintenanceStatus

SOURCE_LANGUAGE = "en"  # the language of the messages themselves
DOMAIN = "flare"
LOCALES = Path(__file__).parent / "locales"
TEMPLATE = LOCALES / f"{DOMAIN}.pot"
PACKAGE = Path(__file__).resolve().parent.parent  # generator/

# The model's values pages show by their label, each label a message of the catalog; those
# with True are also shown inside a sentence, in lower case ("Post-mortem (summary)"), which is
# a message of its own, since not every language lowers a label there.
LABELLED: dict[type[Enum], bool] = {
    ComponentState: True,
    Impact: True,
    IncidentStatus: False,
    MaintenanceStatus: False,
    Stage: True,
    Milestone: True,
    ActionStatus: False,
    ActionType: False,
    Metric: False,
    EffortPhase: False,
    FactorCategory: False,
    Likelihood: False,
    ResponderRole: False,
    Classification: False,
}


def N_(message: str) -> str:
    """Marks ``message`` for the catalog where it is defined; it is translated where shown."""
    return message


@dataclass(eq=False)
class Language:
    """The words and formats of one language: what a build renders its pages with.

    ``gettext`` and ``ngettext`` fill a message's ``%(name)s`` placeholders from keywords, as
    the templates' ``_()`` and ``ngettext()`` do (``num`` is the count); like theirs, every
    message is a format (a percent sign is ``%%``). ``lookup`` gives a message as it is, for
    a message named elsewhere (a model's label, a constant marked with :func:`N_`). Every
    message asked for that the catalog lacks is kept in ``missed``: it showed in English.
    """

    code: str  # the catalog's language: "en", "de"
    locale: Locale  # Babel's, for dates and numbers: de, pt_BR
    translations: gettext.NullTranslations = field(repr=False)
    known: frozenset[str] = field(repr=False)  # the catalog's messages (singular forms)
    missed: set[str] = field(default_factory=set, repr=False)

    @property
    def direction(self) -> str:
        """``rtl`` for a language written right to left (Arabic), else ``ltr``: a page's ``dir``."""
        return "rtl" if self.locale.character_order == "right-to-left" else "ltr"

    def lookup(self, message: str) -> str:
        """``message`` translated, placeholders and all: the templates' ``gettext``."""
        if message not in self.known:
            self.missed.add(message)
        return self.translations.gettext(message)

    def lookup_plural(self, singular: str, plural: str, count: int) -> str:
        """The form of the message for ``count``: the templates' ``ngettext``."""
        if singular not in self.known:
            self.missed.add(singular)
        return self.translations.ngettext(singular, plural, count)

    def gettext(self, message: str, /, **values: object) -> str:
        return self.lookup(message) % values

    def ngettext(self, singular: str, plural: str, count: int, /, **values: object) -> str:
        return self.lookup_plural(singular, plural, count) % {"num": count, **values}

    def label(self, member: Enum) -> str:
        """``Partial outage``: a model value's label, as a heading or a badge shows it."""
        return self.lookup(_label(member))

    def in_sentence(self, member: Enum) -> str:
        """``partial outage``: the label inside a sentence."""
        if not LABELLED.get(type(member)):
            raise ValueError(f"{type(member).__name__} has no label for a sentence")
        return self.lookup(_label(member).lower())

    def promise(self, stage: Stage) -> str:
        """``within 24 hours of resolution``: when a post-mortem stage is due."""
        return self.lookup(stage.promise)


def join_sentences(sentences: Iterable[str]) -> str:
    """Sentences one after another: a space between them, none after an ideographic full stop
    (``。``), after which Chinese and Japanese leave none."""
    text = ""
    for sentence in sentences:
        text += sentence if not text or text.endswith("。") else " " + sentence
    return text


def _label(member: Enum) -> str:
    if type(member) not in LABELLED:
        raise ValueError(
            f"{type(member).__name__} is not in LABELLED: its labels are not in the catalog"
        )
    return member.label  # type: ignore[attr-defined]


# -- finding and loading catalogs -----------------------------------------------------------------
def catalog_path(code: str) -> Path:
    return LOCALES / code / "LC_MESSAGES" / f"{DOMAIN}.po"


def catalog_languages() -> tuple[str, ...]:
    """The languages with a catalog, by folder name: ``("de", "en", "ja")``."""
    return tuple(
        sorted(path.parent.parent.name for path in LOCALES.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    )


def _parts(requested: str) -> list[str]:
    """``["pt", "BR"]`` for ``pt-BR``, ``pt_br`` or ``PT-BR``; ``["zh", "Hant"]`` for zh-Hant."""
    parts = [part for part in re.split(r"[-_.@]", requested.strip()) if part]
    if not parts:
        return [SOURCE_LANGUAGE]
    return [parts[0].lower()] + [
        part.title() if len(part) == 4 else part.upper() for part in parts[1:]
    ]


def nearest_catalog(requested: str) -> str | None:
    """The catalog for a language code: its own, else that of a shorter form of it (pt-BR,
    then pt); None when there is none."""
    parts = _parts(requested)
    available = set(catalog_languages())
    for end in range(len(parts), 0, -1):
        candidate = "_".join(parts[:end])
        if candidate in available:
            return candidate
    return None


def language(requested: str | None = None) -> Language:
    """The language of a site whose theme speaks ``requested`` (``None``: English), loaded once
    per process: ``language("pt-BR") is language("pt_br")``."""
    return _language("_".join(_parts(requested or SOURCE_LANGUAGE)))


@functools.cache
def _language(requested: str) -> Language:
    code = nearest_catalog(requested)
    if code is None:
        if requested != SOURCE_LANGUAGE:
            return _language(SOURCE_LANGUAGE)
        code = SOURCE_LANGUAGE  # English has no catalog yet: its messages are its words
    try:  # the region's own formats when Babel knows it: pt_BR's dates for pt-BR
        locale = Locale.parse(requested)
    except (UnknownLocaleError, ValueError):
        locale = Locale.parse(code)
    if locale.language != Locale.parse(code).language:
        locale = Locale.parse(code)
    translations, known = _compiled(code)
    return Language(code, locale, translations, known)


@functools.cache
def _compiled(code: str) -> tuple[gettext.NullTranslations, frozenset[str]]:
    """A catalog read from its .po and compiled in memory (no .mo is kept), with its messages."""
    if not catalog_path(code).is_file():
        return gettext.NullTranslations(), frozenset()
    with catalog_path(code).open("rb") as file:
        catalog = read_po(file, locale=code, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    known = frozenset(
        message.id[0] if isinstance(message.id, tuple) else message.id
        for message in catalog
        if message.id
    )
    return Translations(compiled, domain=DOMAIN), known


# -- keeping the catalogs in step with the sources ------------------------------------------------
# Where the messages are: the render stage's code and templates, and the pages' titles.
PYTHON_SOURCES = ("render/*.py", "outputs/pages.py", "mkdocs_plugin/*.py")
TEMPLATE_SOURCES = ("render/templates/*.html",)
JINJA_OPTIONS = {"extensions": "jinja2.ext.i18n", "trim_blocks": "true", "lstrip_blocks": "true"}
COMMENT_TAGS = ("Translators:",)
COPYRIGHT = "Flare's authors"


def source_files() -> list[tuple[str, Path]]:
    """(extraction method, file) of every source that holds messages."""
    found = [("python", path) for pattern in PYTHON_SOURCES for path in PACKAGE.glob(pattern)]
    found += [
        ("jinja2.ext:babel_extract", path)
        for pattern in TEMPLATE_SOURCES
        for path in PACKAGE.glob(pattern)
    ]
    return sorted(found, key=lambda item: item[1])


def _relative(path: Path) -> str:
    return path.resolve().relative_to(PACKAGE.parent).as_posix()


def model_messages() -> Iterator[tuple[str, str, int, str]]:
    """(message, file, line, comment) of the model's labels that pages show (:data:`LABELLED`)."""
    for enum, in_sentence in LABELLED.items():
        file = _relative(Path(inspect.getsourcefile(enum) or ""))
        line = inspect.getsourcelines(enum)[1]
        for member in enum:
            label = member.label  # type: ignore[attr-defined]
            yield label, file, line, f"The label of {enum.__name__}.{member.name}."
            if in_sentence:
                yield (
                    label.lower(),
                    file,
                    line,
                    f"{enum.__name__}.{member.name} inside a sentence, e.g. after a duration.",
                )
        if enum is Stage:
            for member in Stage:
                yield (
                    member.promise,
                    file,
                    line,
                    f"When the {member.label.lower()} of a post-mortem is due.",
                )


def extracted_catalog() -> Catalog:
    """Every message of the sources, as a fresh template."""
    from babel.messages.extract import extract_from_file

    catalog = Catalog(
        project="Flare",
        version=__version__,
        copyright_holder=COPYRIGHT,
        domain=DOMAIN,
        charset="utf-8",
        creation_date=datetime(2026, 1, 1, tzinfo=UTC),  # fixed: the template diffs cleanly
        fuzzy=False,
    )
    for method, path in source_files():
        options = JINJA_OPTIONS if method != "python" else None
        for lineno, message, comments, context in extract_from_file(
            method, path, comment_tags=COMMENT_TAGS, options=options, strip_comment_tags=True
        ):
            catalog.add(
                message,
                None,
                [(_relative(path), lineno)],
                auto_comments=comments,
                context=context,
            )
    for message, file, line, comment in model_messages():
        catalog.add(message, None, [(file, line)], auto_comments=[comment])
    return catalog


def _write(path: Path, catalog: Catalog) -> None:
    buffer = BytesIO()
    write_po(buffer, catalog, width=100, sort_output=True, include_lineno=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.is_file() or path.read_bytes() != buffer.getvalue():
        path.write_bytes(buffer.getvalue())


def extract() -> list[str]:
    """Regenerate the template from the sources and update every catalog from it; returns
    what each catalog still lacks, one line each."""
    template = extracted_catalog()
    _write(TEMPLATE, template)
    report = [f"{TEMPLATE.relative_to(PACKAGE.parent)}: {len(template)} messages"]
    for code in catalog_languages():
        report.append(update(code, template))
    return report


def update(code: str, template: Catalog) -> str:
    path = catalog_path(code)
    with path.open("rb") as file:
        catalog = read_po(file, locale=code, domain=DOMAIN)
    catalog.update(template, update_creation_date=False)
    catalog.obsolete.clear()  # a message no source holds any more is gone, not kept
    for message in catalog:
        if message.fuzzy and not any(_strings(message)):
            message.flags.discard("fuzzy")  # nothing translated to check again
    _write(path, catalog)
    if code == SOURCE_LANGUAGE:
        return f"{path.relative_to(PACKAGE.parent)}: the messages are its words"
    untranslated = [message for message in catalog if message.id and not _translated(message)]
    return f"{path.relative_to(PACKAGE.parent)}: {len(untranslated)} to translate"


def _strings(message: Message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def _translated(message: Message) -> bool:
    return all(_strings(message)) and not message.fuzzy


def init(code: str) -> str:
    """Start the catalog of a new language from the template."""
    path = catalog_path(code)
    if path.exists():
        raise SystemExit(f"{path} exists already: run `extract` to update it")
    Locale.parse(code)  # a language Babel knows, or an error naming it
    with TEMPLATE.open("rb") as file:
        template = read_po(file)
    catalog = Catalog(
        locale=code,
        domain=DOMAIN,
        project="Flare",
        version=__version__,
        copyright_holder=COPYRIGHT,
        charset="utf-8",
        creation_date=template.creation_date,
        revision_date=template.creation_date,
        fuzzy=False,
    )
    catalog.update(template, update_creation_date=False)
    _write(path, catalog)
    return f"{path.relative_to(PACKAGE.parent)}: {len(template)} to translate"


def main(arguments: Iterable[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m generator.render.i18n",
        description="Keep Flare's translation catalogs in step with its sources.",
        epilog="README.md, section Translations, says how to add and update a language.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("extract", help="regenerate flare.pot and update every .po from it")
    start = commands.add_parser("init", help="start the catalog of a new language")
    start.add_argument("language", help="a language code, e.g. fr or pt_BR")
    options = parser.parse_args(list(arguments) if arguments is not None else None)
    lines = extract() if options.command == "extract" else [init(options.language)]
    sys.stdout.write("".join(f"{line}\n" for line in lines))


if __name__ == "__main__":
    main()
