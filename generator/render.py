"""Render the views as HTML fragments with the packaged Jinja templates.

The page engine places the fragments inside its own layout (navigation, header, palette); links
between pages go through the ``url`` function the engine supplies, which keeps them relative so
the site works at a domain's root and under a sub-path alike.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from generator.charts import report_charts
from generator.links import (
    STATUS_PAGE_PATH,
    OutputPaths,
    component_page_path,
    history_page_path,
    postmortem_page_path,
    record_page_path,
    reliability_page_path,
)
from generator.markup import MarkupPolicy
from generator.reliability import ReliabilityReport
from generator.structure.components import SiteSettings
from generator.structure.postmortem import Stage
from generator.views import (
    ComponentPage,
    HistoryPage,
    PostmortemPage,
    RecordPage,
    StatusPage,
    format_duration,
    latest_update,
)

UrlFor = Callable[[str], str]


class Renderer:
    """One Jinja environment per build, with the site's timezone for every time shown."""

    def __init__(self, settings: SiteSettings) -> None:
        self.zone = settings.zone
        self.components = {component.id: component for component in settings.components}
        self.env = Environment(
            loader=PackageLoader("generator", "templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.filters.update(
            markdown=MarkupPolicy.for_site(settings).render,
            time=self.time_element,
            date=self.format_date,
            duration=format_duration,
            percent=format_percent,
            component_name=lambda component_id: self.components[component_id].name,
            clock=self.clock_element,
            count=format_count,
            short_url=short_url,
            ticket_name=ticket_name,
        )
        self.env.globals.update(
            latest_update=latest_update,
            record_page_path=record_page_path,
            postmortem_page_path=postmortem_page_path,
            postmortem_stages=list(Stage),
            component_page_path=component_page_path,
            history_page_path=history_page_path,
            reliability_page_path=reliability_page_path,
            status_page_path=STATUS_PAGE_PATH,
            outputs=OutputPaths,
            components=self.components,
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
        charts = report_charts(view, format_percent)
        return self._render("reliability.html", view=view, charts=charts, url=url)

    def _render(self, name: str, **context: object) -> str:
        return self.env.get_template(name).render(**context)

    # -- filters ----------------------------------------------------------------------------------
    def time_element(self, instant: datetime) -> Markup:
        """``<time datetime="2026-11-03T14:05:00+00:00">3 Nov 2026, 14:05 UTC</time>``."""
        local = instant.astimezone(self.zone)
        text = f"{local.day} {local:%b %Y}, {local:%H:%M} {local.tzname()}"
        return Markup('<time datetime="{}">{}</time>').format(instant.isoformat(), text)

    def clock_element(self, instant: datetime) -> Markup:
        """``<time datetime="2026-11-03T14:05:00+00:00">14:05 UTC</time>``: a time on a day
        the reader already knows."""
        local = instant.astimezone(self.zone)
        text = f"{local:%H:%M} {local.tzname()}"
        return Markup('<time datetime="{}">{}</time>').format(instant.isoformat(), text)

    def format_date(self, day: date | datetime) -> str:
        """``3 Nov 2026``; an instant is shown on its date in the site's timezone."""
        if isinstance(day, datetime):
            day = day.astimezone(self.zone).date()
        return f"{day.day} {day:%b %Y}"


def format_percent(ratio: float) -> str:
    """Uptime as people read it: 99.95%, never rounding a bad day up to 100%."""
    percent = ratio * 100
    if percent < 100 and round(percent, 2) == 100:
        return "99.99%"
    return f"{percent:.2f}%"


def format_count(value: int | str) -> str:
    """``18,400``: a number with its thousands marked; an estimate in words stays as written."""
    return f"{value:,}" if isinstance(value, int) else value


def short_url(address: str) -> str:
    """``grafana.example.com/d/storage``: an address as a reader scans it, without the query."""
    parts = urlsplit(address)
    return (parts.netloc + parts.path).rstrip("/")


def ticket_name(address: str) -> str:
    """``OPS-412`` for ``https://tracker.example.com/OPS-412``: the last part of the path."""
    parts = urlsplit(address)
    segments = [segment for segment in parts.path.split("/") if segment]
    return segments[-1] if segments else parts.netloc
