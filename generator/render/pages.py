"""Render the views as HTML fragments with the packaged Jinja templates.

The page engine places the fragments inside its own layout (navigation, header, palette); links
between pages go through the ``url`` function the engine supplies, which keeps them relative so
the site works at a domain's root and under a sub-path alike.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from generator.derive.reliability import ReliabilityReport
from generator.load.settings import SiteSettings
from generator.model.postmortem import Stage
from generator.render.charts import report_charts
from generator.render.format import (
    format_clock,
    format_count,
    format_date,
    format_duration,
    format_hours,
    format_money,
    format_month,
    format_percent,
    format_rate,
    format_time,
    metric_source,
    plural,
    short_url,
    ticket_name,
)
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
from generator.render.views import (
    ComponentPage,
    HistoryPage,
    PostmortemPage,
    RecordPage,
    StatusPage,
)

UrlFor = Callable[[str], str]


class Renderer:
    """One Jinja environment per build, with the site's timezone for every time shown."""

    def __init__(self, settings: SiteSettings) -> None:
        self.zone = settings.zone
        self.components = {component.id: component for component in settings.components}
        self.env = Environment(
            loader=PackageLoader("generator.render", "templates"),
            autoescape=select_autoescape(default=True, default_for_string=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
        )
        self.env.filters.update(
            markdown=MarkupPolicy.for_site(settings).render,
            time=self.time_element,
            date=lambda day: format_date(day, self.zone),
            month=format_month,
            duration=format_duration,
            percent=format_percent,
            plural=plural,
            metric_source=metric_source,
            money=format_money,
            rate=format_rate,
            hours=format_hours,
            component_name=lambda component_id: self.components[component_id].name,
            clock=self.clock_element,
            count=format_count,
            short_url=short_url,
            ticket_name=ticket_name,
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
        return Markup('<time datetime="{}">{}</time>').format(
            instant.isoformat(), format_time(instant, self.zone)
        )

    def clock_element(self, instant: datetime) -> Markup:
        """``<time datetime="2026-11-03T14:05:00+00:00">14:05 UTC</time>``: a time on a day
        the reader already knows."""
        return Markup('<time datetime="{}">{}</time>').format(
            instant.isoformat(), format_clock(instant, self.zone)
        )
