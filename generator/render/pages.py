"""Render the views as HTML fragments with the packaged Jinja templates.

The page engine places the fragments inside its own layout (navigation, header, palette); links
between pages go through the ``url`` function the engine supplies, which keeps them relative so
the site works at a domain's root and under a sub-path alike.

The templates are written in the site's language: every word of theirs is a message of the
catalog (``_()`` and ``ngettext()``, Jinja's i18n extension), and their filters format dates,
numbers and labels in that language (:mod:`generator.render.i18n`).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from datetime import datetime

from jinja2 import (
    BytecodeCache,
    Environment,
    PackageLoader,
    StrictUndefined,
    select_autoescape,
)
from jinja2.bccache import Bucket, FileSystemBytecodeCache
from markupsafe import Markup

from generator.derive.reliability import PERCENTILE, ReliabilityReport
from generator.load.settings import SiteSettings
from generator.model.postmortem import Stage
from generator.render.charts import report_charts
from generator.render.format import (
    MONTHS_DEFINITION,
    UPTIME_RULE,
    format_clock,
    format_count,
    format_date,
    format_duration,
    format_hours,
    format_list,
    format_long_month,
    format_money,
    format_month,
    format_percent,
    format_percent_tick,
    format_rate,
    format_time,
    format_whole_percent,
    metric_source,
    short_url,
    ticket_name,
)
from generator.render.i18n import language as language_named
from generator.render.layout import SiteFrame
from generator.render.links import (
    STATUS_PAGE_PATH,
    OutputPaths,
    component_page_path,
    history_page_path,
    postmortem_page_path,
    record_page_path,
    reliability_page_path,
)
from generator.render.markup import MarkupPolicy
from generator.render.uptime_bar import draw_uptime_bar
from generator.render.views import (
    ComponentPage,
    HistoryPage,
    PostmortemPage,
    RecordPage,
    StatusPage,
)

UrlFor = Callable[[str], str]


class CompiledTemplates(BytecodeCache):
    """The templates' compiled code, kept for the process and, between processes, in Jinja's
    cache folder of the user (in the system's temporary folder). Each build has an environment
    of its own (its filters know the site's settings and language) but compiles the same
    templates the same way, and compiling is most of what rendering costs: each template is
    compiled once, not once per build. A changed template does not match its checksum and is
    compiled again. The MkDocs adapter gives the theme's templates the same cache.

    Jinja computes a filter of a constant (``{{ 90 | percent }}``) once, as it compiles, with
    the filters of the environment compiling it: the code would keep one site's language for
    the next. So no template applies a filter to a constant (tests/test_i18n.py holds this)."""

    def __init__(self, folder: str | None = None) -> None:
        """``folder``: where to keep the code between processes (None: Jinja's own)."""
        self._code: dict[str, bytes] = {}
        self._disk: FileSystemBytecodeCache | None
        try:
            self._disk = FileSystemBytecodeCache(folder)
        except RuntimeError:  # Jinja found no folder of the user's own: compile once a process
            self._disk = None

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)
        elif self._disk is not None:
            self._disk.load_bytecode(bucket)  # checks the checksum and Python's bytecode magic
            if bucket.code is not None:
                self._code[bucket.key] = bucket.bytecode_to_string()

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()
        if self._disk is not None:
            with contextlib.suppress(OSError):  # a full or read-only disk: compile again later
                self._disk.dump_bytecode(bucket)


TEMPLATE_CODE = CompiledTemplates()


class Renderer:
    """One Jinja environment per build, with the site's timezone for every time shown and its
    language (the theme's, e.g. ``de``; English when Flare has no catalog for it) for every
    word, date and number."""

    def __init__(self, settings: SiteSettings, language: str = "en") -> None:
        self.zone = settings.zone
        self.language = words = language_named(language)
        self.components = {component.id: component for component in settings.components}
        self.env = Environment(
            loader=PackageLoader("generator.render", "templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            extensions=["jinja2.ext.i18n"],
            bytecode_cache=TEMPLATE_CODE,
        )
        self.env.install_gettext_callables(words.lookup, words.lookup_plural, newstyle=True)
        self.env.filters.update(
            markdown=MarkupPolicy.for_site(settings).render,
            time=self.time_element,
            date=lambda day: format_date(day, self.zone, words),
            month=lambda first: format_month(first, words),
            long_month=lambda first: format_long_month(first, words),
            duration=lambda span: format_duration(span, words),
            percent=self.percent,
            whole_percent=lambda value: format_whole_percent(value, words),
            objective=lambda value: format_percent_tick(value, words),
            metric_source=lambda row: metric_source(row, words),
            money=lambda amount, currency: format_money(amount, currency, words),
            rate=lambda amount, currency: format_rate(amount, currency, words),
            hours=lambda value: format_hours(value, words),
            component_name=lambda component_id: self.components[component_id].name,
            listed=lambda names: format_list(names, words),
            clock=self.clock_element,
            count=lambda value: format_count(value, words),
            short_url=short_url,
            ticket_name=ticket_name,
            # Words that are not in the templates, each a message of the catalog: a model
            # value's label, the same inside a sentence, a stage's promise, a view's text.
            label=words.label,
            in_sentence=words.in_sentence,
            promise=words.promise,
            translate=words.lookup,
        )
        self.env.globals.update(
            latest_update=lambda record: record.timeline[-1] if record.timeline else None,
            record_page_path=record_page_path,
            postmortem_page_path=postmortem_page_path,
            postmortem_stages=list(Stage),
            component_page_path=component_page_path,
            history_page_path=history_page_path,
            reliability_page_path=reliability_page_path,
            status_page_path=STATUS_PAGE_PATH,
            outputs=OutputPaths,
            components=self.components,
            uptime_rule=UPTIME_RULE,
            months_definition=MONTHS_DEFINITION,
            percentile=PERCENTILE,
            draw_uptime_bar=draw_uptime_bar,
        )

    def status(self, view: StatusPage, url: UrlFor) -> str:
        return self._render("status.html", view=view, url=url)

    def record(self, view: RecordPage, url: UrlFor) -> str:
        return self._render("record.html", view=view, url=url)

    def history(self, view: HistoryPage, url: UrlFor) -> str:
        return self._render("history.html", view=view, url=url)

    def component(self, view: ComponentPage, url: UrlFor) -> str:
        return self._render("component.html", view=view, url=url)

    def postmortem(self, view: PostmortemPage, url: UrlFor) -> str:
        return self._render("postmortem.html", view=view, url=url)

    def reliability(self, view: ReliabilityReport, url: UrlFor) -> str:
        charts = report_charts(view, self.percent, self.language)
        return self._render("reliability.html", view=view, charts=charts, url=url)

    def light_layout(self, frame: SiteFrame, content: str) -> str:
        """A whole page: ``content`` (HTML) in the light layout (:mod:`.layout`)."""
        return self._render(
            "light_layout.html", frame=frame, content=Markup(content), language=self.language
        )

    def _render(self, name: str, **context: object) -> str:
        return self.env.get_template(name).render(**context)

    # -- filters ----------------------------------------------------------------------------------
    def percent(self, ratio: float) -> str:
        return format_percent(ratio, self.language)

    def time_element(self, instant: datetime) -> Markup:
        """``<time datetime="2026-11-03T14:05:00+00:00">3 Nov 2026, 14:05 UTC</time>``."""
        return Markup('<time datetime="{}">{}</time>').format(
            instant.isoformat(), format_time(instant, self.zone, self.language)
        )

    def clock_element(self, instant: datetime) -> Markup:
        """``<time datetime="2026-11-03T14:05:00+00:00">14:05 UTC</time>``: a time on a day
        the reader already knows."""
        return Markup('<time datetime="{}">{}</time>').format(
            instant.isoformat(), format_clock(instant, self.zone, self.language)
        )
