"""SVG charts: well-formed, named for screen readers, drawn to scale, and the same numbers as the
table beside them.

The report charted here has one known outage: 3 hours of major outage on the API in June (720
hours), so June's overall uptime, the mean over three components, is 1 - 1/720 = 99.861%; and
20 minutes of partial outage in September.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import lxml.html
import pytest

from generator.derive.reliability import ReliabilityReport
from generator.derive.snapshot import derive_snapshot
from generator.load.settings import SiteSettings
from generator.model.records import Incident
from generator.render.charts import (
    CHAR_WIDTH,
    COMPACT,
    IMPACT_COLOURS,
    PLOT_HEIGHT,
    UPTIME_COLOUR,
    Bar,
    Series,
    Stack,
    Tick,
    bar_chart,
    budget_chart,
    count_ceiling,
    incidents_chart,
    stacked_bar_chart,
    uptime_chart,
    uptime_floor,
)
from generator.render.format import format_percent
from generator.render.pages import Renderer
from generator.render.palette import DARK, palette_css
from generator.validate.site import Site

SVG = "{http://www.w3.org/2000/svg}"
SETTINGS = SiteSettings.model_validate(
    {
        "components": [
            {"id": "api", "name": "Public API"},
            {"id": "web", "name": "Dashboard"},
            {"id": "email", "name": "Email"},
        ]
    }
)
NOW = datetime(2026, 11, 15, 12, 0, tzinfo=UTC)


def incident(id: str, impact: str, start: str, end: str) -> Incident:
    return Incident.model_validate(
        {
            "id": id,
            "title": f"Title of {id}",
            "impact": impact,
            "components": ["api"],
            "updates": [
                {"at": start, "status": "investigating", "body": "Looking."},
                {"at": end, "status": "resolved", "body": "Fixed."},
            ],
        }
    )


RECORDS = (
    incident("june", "critical", "2026-06-10T10:00:00Z", "2026-06-10T13:00:00Z"),
    incident("june-2", "minor", "2026-06-20T10:00:00Z", "2026-06-20T11:00:00Z"),
    incident("sep", "major", "2026-09-01T10:00:00Z", "2026-09-01T10:20:00Z"),
    incident("sep-2", "minor", "2026-09-02T10:00:00Z", "2026-09-02T10:20:00Z"),
    incident("sep-3", "minor", "2026-09-03T10:00:00Z", "2026-09-03T10:20:00Z"),
)


def reliability_report(site: Site, now: datetime) -> ReliabilityReport:
    """The site's report as a build makes it: from the snapshot of ``site`` at ``now``."""
    return derive_snapshot(site, now).reliability.report()


@pytest.fixture(scope="module")
def report() -> ReliabilityReport:
    return reliability_report(Site(SETTINGS, RECORDS), NOW)


def parse(svg: str) -> ET.Element:
    """The chart as a standalone SVG document: it must be well-formed XML."""
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def by_class(root: ET.Element, name: str) -> list[ET.Element]:
    return [e for e in root.iter() if name in (e.get("class") or "").split()]


def contrast(one: str, other: str) -> float:
    """The WCAG contrast ratio of two #rrggbb colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(one), luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


# -- every chart --------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["uptime", "incidents"])
def test_a_chart_is_an_image_named_and_described_for_screen_readers(report, name):
    svg = uptime_chart(report, format_percent) if name == "uptime" else incidents_chart(report)
    root = parse(svg)

    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert (title.get("id"), desc.get("id")) == (
        f"flare-chart-{name}-title",
        f"flare-chart-{name}-desc",
    )
    assert title.text.startswith("All components: ")
    assert "Jun 2026" in desc.text or "Sep 2026" in desc.text
    assert "table" in desc.text


def test_the_same_report_always_draws_the_same_charts(report):
    again = reliability_report(Site(SETTINGS, RECORDS), NOW)
    assert uptime_chart(report, format_percent) == uptime_chart(again, format_percent)
    assert incidents_chart(report) == incidents_chart(again)
    # No random ids: the only ids are the title's and the description's.
    ids = re.findall(r'\sid="([^"]+)"', uptime_chart(report, format_percent))
    assert ids == ["flare-chart-uptime-title", "flare-chart-uptime-desc"]


def test_names_are_escaped():
    bar = Bar("<Nov>", 1.0, "1 & 2")
    svg = bar_chart(
        "odd",
        'A "quoted" <title> & more',
        "Described.",
        [bar],
        floor=0,
        ceiling=2,
        ticks=[Tick(0, "0")],
        axis_label="Things",
        colour="#0969da",
    )
    root = parse(svg)
    assert root.find(f"{SVG}title").text == 'A "quoted" <title> & more'
    assert [e.text for e in by_class(root, "flare-chart__label")] == ["<Nov>"]


# -- the uptime chart ---------------------------------------------------------------------------
def test_one_uptime_bar_per_month_to_scale_above_a_labelled_floor(report):
    root = parse(uptime_chart(report, format_percent))

    bars = by_class(root, "flare-chart__bar")
    assert len(bars) == 12
    # June's 99.861% is the lowest month: the axis starts at 99.5%, the round figure below it
    # that leaves June's bar at least a quarter of the height.
    assert [e.text for e in by_class(root, "flare-chart__tick")] == ["99.5%", "99.75%", "100%"]
    heights = [float(bar.get("height")) for bar in bars]
    expected = [(m.uptime * 100 - 99.5) / 0.5 * PLOT_HEIGHT for m in report.months]
    assert heights == pytest.approx(expected, abs=0.01)
    assert heights[6] == pytest.approx((100 - 100 / 720 - 99.5) / 0.5 * PLOT_HEIGHT, abs=0.01)
    assert heights.count(PLOT_HEIGHT) == 10  # all but June and September
    # Every bar stands on the same baseline.
    assert {float(b.get("y")) + float(b.get("height")) for b in bars} == {34 + PLOT_HEIGHT}
    assert [e.text for e in by_class(root, "flare-chart__axis-title")] == ["Uptime"]
    assert "from 99.5% to 100%, not from 0" in root.find(f"{SVG}desc").text


def test_every_month_is_labelled_under_its_bar_and_its_value_above_it(report):
    root = parse(uptime_chart(report, format_percent))

    labels = [e.text for e in by_class(root, "flare-chart__label")]
    assert labels[:3] == ["Dec", "2025", "Jan"]  # the year under the first month and January
    assert labels[-2:] == ["Nov", "so far"]  # the current month counts up to now
    values = [e.text for e in by_class(root, "flare-chart__value")]
    assert values[6] == "99.86%"
    assert values.count("100.00%") == 10


@pytest.mark.parametrize(
    ("lowest", "floor"),
    [
        (100.0, 99.9),
        (99.99, 99.9),
        (99.95, 99.9),  # half the height
        (99.91, 99.5),  # 99.9 would leave a sliver that looks like a collapse
        (99.3, 99.0),
        (99.2, 98.0),
        (97.0, 95.0),
        (60.0, 0.0),
    ],
)
def test_the_uptime_axis_starts_at_a_round_figure_below_the_lowest_month(lowest, floor):
    assert uptime_floor([100.0, lowest]) == floor


# -- the incidents chart ------------------------------------------------------------------------
def test_incidents_are_stacked_by_impact_to_scale_with_a_legend(report):
    root = parse(incidents_chart(report))

    # June: a critical and a minor incident; September: a major and two minor ones.
    # Three at most: the axis runs 0 to 3 in steps of 1.
    assert [e.text for e in by_class(root, "flare-chart__tick")] == ["0", "1", "2", "3"]
    unit = PLOT_HEIGHT / 3
    (bars,) = by_class(root, "flare-chart__bars")
    drawn = [(bar.get("class").split()[-1], float(bar.get("height"))) for bar in bars]
    assert drawn == [
        ("flare-chart__bar--critical", pytest.approx(unit)),
        ("flare-chart__bar--minor", pytest.approx(unit)),
        ("flare-chart__bar--major", pytest.approx(unit)),
        ("flare-chart__bar--minor", pytest.approx(2 * unit)),
    ]
    totals = [e.text for e in by_class(root, "flare-chart__value")]
    assert totals == ["0"] * 6 + ["2", "0", "0", "3", "0", "0"]
    assert [e.text for e in by_class(root, "flare-chart__legend-label")] == [
        "Critical impact",
        "Major impact",
        "Minor impact",
        "No impact",
    ]


def test_a_stack_shows_each_layers_count_when_it_has_room():
    series = [Series("a", "A", "#cf222e"), Series("b", "B", "#57606a")]
    svg = stacked_bar_chart(
        "test",
        "Test",
        "Described.",
        series,
        [Stack("Jan", (3.0, 1.0), "4"), Stack("Feb", (0.0, 0.0), "0")],
        ceiling=20,
        ticks=[Tick(0, "0"), Tick(20, "20")],
        axis_label="Things",
    )
    root = parse(svg)
    # 3 of 20 is 27 units high, room for its label; 1 of 20 (9 units) is too low for one.
    assert [e.text for e in by_class(root, "flare-chart__layer-value")] == ["3"]
    assert [e.text for e in by_class(root, "flare-chart__value")] == ["4", "0"]


@pytest.mark.parametrize(
    ("highest", "ceiling", "step"),
    [(0, 1, 1), (3, 3, 1), (5, 5, 1), (6, 6, 2), (11, 15, 5), (26, 30, 10), (120, 150, 50)],
)
def test_a_count_axis_has_at_most_five_round_steps(highest, ceiling, step):
    assert count_ceiling(highest) == (ceiling, step)


# -- colours --------------------------------------------------------------------------------------
THEME_DARK_BACKGROUND = DARK.background  # mkdocs-material's slate: hsl(225, 15%, 14%)


def css_variables(selector: str) -> dict[str, str]:
    """The custom properties the site's palette stylesheet sets for ``selector``, in order."""
    css = palette_css()
    found: dict[str, str] = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", css):
        if selector in [s.strip() for s in selectors.split(",")]:
            found.update(re.findall(r"(--[\w-]+):\s*(#[0-9a-fA-F]{6})", body))
    return found


def test_bars_reach_three_to_one_against_the_page_in_both_palettes():
    light = css_variables('[data-md-color-scheme="default"]')
    dark = css_variables('[data-md-color-scheme="slate"]')
    variables = [
        "--flare-chart-uptime",
        "--flare-major_outage",  # critical impact
        "--flare-partial_outage",  # major impact
        "--flare-degraded_performance",  # minor impact
        "--flare-muted",  # no impact
    ]
    for name in variables:
        assert contrast(light[name], "#ffffff") >= 3, name
        assert contrast(dark[name], THEME_DARK_BACKGROUND) >= 3, name
    # The colours written into the SVG, for a chart read outside the page, are the light ones.
    assert UPTIME_COLOUR == light["--flare-chart-uptime"]
    assert list(IMPACT_COLOURS.values()) == [light[name] for name in variables[1:]]


# -- beside a table ------------------------------------------------------------------------------
def test_each_chart_has_a_table_beside_it_with_the_same_numbers(report):
    html = Renderer(SETTINGS).reliability(report, url=lambda path: path)
    page = lxml.html.fragment_fromstring(html, create_parent="div")

    for section, column in (
        ("flare-uptime", "All components"),
        ("flare-incidents", "All incidents"),
    ):
        (figure,) = page.xpath(f".//section[@aria-labelledby='{section}']//figure")
        svg = figure.xpath(".//*[local-name()='svg']")[0]
        values = [e.text for e in svg.iter() if "flare-chart__value" in (e.get("class") or "")]
        (table,) = page.xpath(f".//section[@aria-labelledby='{section}']//table")
        headers = [" ".join(th.text_content().split()) for th in table.xpath("./thead/tr/th")]
        index = headers.index(column)
        cells = [row.xpath("./th|./td")[index].text_content() for row in table.xpath("./tbody/tr")]
        assert values == cells, section
        # The figure's chart comes first, then its table.
        assert figure.getparent() is table.getparent().getparent()


# -- the compact charts, for a phone --------------------------------------------------------------
def test_a_phones_chart_shows_the_latest_months_in_its_own_width(report):
    """The latest six months, ending with this one; the legend wraps inside the width."""
    uptime = parse(uptime_chart(report, format_percent, compact=True))
    incidents = parse(incidents_chart(report, compact=True))
    for root in (uptime, incidents):
        assert root.get("viewBox").startswith(f"0 0 {COMPACT} ")
        months = [e.text for e in by_class(root, "flare-chart__label") if e.text[:1].isalpha()]
        assert months[-2:] == ["Nov", "so far"]
        assert [m for m in months if m != "so far"] == ["Jun", "Jul", "Aug", "Sep", "Oct", "Nov"]
    # the same axis as the chart of every month, so the two read alike
    assert [e.text for e in by_class(uptime, "flare-chart__tick")] == [
        e.text for e in by_class(parse(uptime_chart(report, format_percent)), "flare-chart__tick")
    ]
    legend = list(by_class(incidents, "flare-chart__legend-label"))
    assert len(legend) == 4
    assert len({label.get("y") for label in legend}) == 2  # two lines
    assert all(float(label.get("x")) + len(label.text) * CHAR_WIDTH <= COMPACT for label in legend)


def test_a_budget_chart_draws_each_months_share_of_the_budget_on_an_axis_past_100():
    settings = SiteSettings.model_validate(
        {"components": [{"id": "api", "name": "Public API", "slo": 99.9, "slo_window": "month"}]}
    )
    budgeted = reliability_report(Site(settings, RECORDS), NOW)
    (budget,) = budgeted.budgets
    root = parse(budget_chart(budgeted, budget))

    # June (30 days): a budget of 43.2 minutes, 3 hours of major outage spent: 417%. September:
    # 20 minutes of partial outage count 6 minutes: 14%. The axis reaches the next 50% above.
    values = [e.text for e in by_class(root, "flare-chart__value")]
    assert (values[6], values[9], values.count("0%")) == ("417%", "14%", 10)
    assert [e.text for e in by_class(root, "flare-chart__tick")] == ["0%", "50%", "100%", "450%"]
    heights = [float(bar.get("height")) for bar in by_class(root, "flare-chart__bar")]
    assert heights[6] == pytest.approx(180 / 43.2 * 100 / 450 * PLOT_HEIGHT, abs=0.01)
    assert root.find(f"{SVG}title").text == "Public API: error budget spent per month"
    description = root.find(f"{SVG}desc").text
    assert "above it the objective of 99.9% is missed" in description
    assert "It was missed in 1 month." in description
    compact = parse(budget_chart(budgeted, budget, compact=True))
    assert len(by_class(compact, "flare-chart__bar")) == 6
