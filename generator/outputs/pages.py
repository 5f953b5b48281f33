"""The pages Flare adds to the site: where each goes, its title, and what renders it.

The page engine lays a page out (navigation, header, palette) and decides its final address,
so a page is not bytes but a title and a function of the engine's ``url`` (which keeps links
relative, so the site works under any sub-path) returning the page's HTML content.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from generator.derive.snapshot import Snapshot
from generator.render.layout import SiteFrame
from generator.render.links import (
    STATUS_PAGE_PATH,
    component_page_path,
    history_page_path,
    postmortem_page_path,
    record_page_path,
    reliability_page_path,
)
from generator.render.markup import MarkupPolicy
from generator.render.pages import Renderer, UrlFor
from generator.render.search import (
    component_search_text,
    postmortem_search_text,
    record_search_text,
)
from generator.render.views import SiteViews

# The pages the navigation lists; every other page is reached by its links.
IN_NAVIGATION = (STATUS_PAGE_PATH, history_page_path(1), reliability_page_path())


@dataclass(frozen=True)
class GeneratedPage:
    title: str  # the author's text, not yet escaped
    view: Callable[[], Any]  # what the page shows, derived from the snapshot on demand
    template: Callable[[Any, UrlFor], str]  # the view as HTML, given the engine's url()
    search_text: str = ""  # what the site's search finds besides the title, as plain text
    # For a page Flare lays out itself (the status page, in the light layout): the whole page,
    # given the frame of the site around it and the content; None: the theme lays it out.
    lay_out: Callable[[SiteFrame, str], str] | None = None


def pages(snapshot: Snapshot, language: str = "en") -> dict[str, GeneratedPage]:
    """Every page Flare adds, by source path, in ``language`` (the theme's, e.g. ``de``)."""
    renderer = Renderer(snapshot.settings, language)
    words = renderer.language
    views = SiteViews(snapshot, words)
    policy = MarkupPolicy.for_site(snapshot.settings)
    names = {component.id: component.name for component in snapshot.settings.components}
    found = {
        STATUS_PAGE_PATH: GeneratedPage(
            words.gettext("Status"),
            views.status_page,
            renderer.status,
            lay_out=renderer.light_layout,
        )
    }
    for view in views.history_pages():
        title = (
            words.gettext("History")
            if view.number == 1
            else words.gettext("History, page %(number)s", number=view.number)
        )
        found[history_page_path(view.number)] = GeneratedPage(
            title, lambda view=view: view, renderer.history
        )
    for facts in snapshot.records:
        found[record_page_path(facts.id)] = GeneratedPage(
            facts.record.title,
            lambda facts=facts: views.record_page(facts),
            renderer.record,
            record_search_text(facts, names, policy, words),
        )
    for facts in snapshot.incidents:
        if facts.postmortem is not None:  # beside the incident's page, once a stage is out
            found[postmortem_page_path(facts.id)] = GeneratedPage(
                words.gettext("Post-mortem: %(title)s", title=facts.record.title),
                lambda facts=facts: views.postmortem_page(facts),
                renderer.postmortem,
                postmortem_search_text(facts, policy),
            )
    for component in snapshot.settings.components:
        found[component_page_path(component.id)] = GeneratedPage(
            component.name,
            lambda component=component: views.component_page(component),
            renderer.component,
            component_search_text(component),
        )
    reports = snapshot.reliability
    found[reliability_page_path()] = GeneratedPage(
        words.gettext("Reliability"), reports.report, renderer.reliability
    )
    for component in snapshot.settings.components:
        found[reliability_page_path(component.id)] = GeneratedPage(
            words.gettext("%(component)s: reliability", component=component.name),
            lambda component=component: reports.report(component),
            renderer.reliability,
        )
    return found
