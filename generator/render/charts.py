"""Charts drawn as SVG when the site is built: no script, and readable without the colours.

Every chart is an inline ``<svg role="img">`` named by its ``<title>`` and described by its
``<desc>`` (both referenced by ``aria-labelledby``), with a text label on every bar and a
labelled value axis; the page shows a table with the same numbers beside it. Shapes carry
classes that flare.css colours in both palettes (bars reach 3:1 against the page), and the
light palette's colours as attributes, for a chart read outside the page. Text is sized in the
SVG's own units, so it grows with the reader's font size. Each chart comes in two widths: the
wide one for a screen with room for every month, and a compact one of the latest months for a
phone, which the page shows instead of making the reader scroll sideways to the newest month.

The output is deterministic: coordinates printed with at most two decimals, and the only ids
derived from the chart's name. Documents are built with ElementTree, so every text is escaped.

The first half draws any bar chart; the second half draws the reliability report's charts, in
the site's language.
"""

from __future__ import annotations

import functools
import math
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from generator.derive.budget import ErrorBudget
from generator.derive.reliability import IMPACTS_WORST_FIRST, MonthFigures, ReliabilityReport
from generator.model.records import Impact
from generator.render.format import (
    ENGLISH,
    format_month,
    format_month_name,
    format_percent_tick,
    format_whole_percent,
    format_year,
)
from generator.render.i18n import Language, join_sentences
from generator.render.palette import LIGHT

SVG_NAMESPACE = "http://www.w3.org/2000/svg"

WIDE = 840  # the width of a chart of every month
COMPACT = 360  # the width of a phone's chart, drawn at about its own size at 320 px
COMPACT_MONTHS = 6  # how many of the latest months a phone's chart shows
LEFT = 60  # room for the value axis' tick labels
RIGHT = 8
TOP = 34  # room for the axis title and the labels above the tallest bars
PLOT_HEIGHT = 180
LINE = 15  # the height of a line of text under the bars
LEGEND_HEIGHT = 30
FONT_SIZE = 13
VALUE_FONT_SIZE = 12
GAP = 0.25  # the share of a bar's slot left empty between bars
CHAR_WIDTH = 7.2  # a generous average advance at FONT_SIZE, to lay out the legend

TEXT_COLOUR = "currentColor"  # the page's text colour, inline; black on its own
GRID_COLOUR = LIGHT.line
BACKGROUND = LIGHT.background


@dataclass(frozen=True)
class Tick:
    value: float
    text: str


@dataclass(frozen=True)
class Bar:
    label: str  # under the bar, e.g. ``Nov``
    value: float | None  # None: nothing to draw (no data)
    text: str  # the value as printed above the bar
    sublabels: tuple[str, ...] = ()  # more lines under the label, e.g. the year


@dataclass(frozen=True)
class Series:
    """One layer of a stacked bar chart."""

    key: str  # names its CSS class, ``flare-chart__bar--<key>``
    label: str  # in the legend
    colour: str  # the light palette's, as the fallback fill


@dataclass(frozen=True)
class Stack:
    label: str
    values: tuple[float, ...]  # one per series, drawn from the bottom up
    text: str  # printed above the stack, usually its total
    sublabels: tuple[str, ...] = ()

    @property
    def total(self) -> float:
        return sum(self.values)


def number(value: float) -> str:
    """A coordinate with at most two decimals and no trailing zeros: ``12``, ``12.5``."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def bar_chart(
    name: str,
    title: str,
    description: str,
    bars: Sequence[Bar],
    *,
    floor: float,
    ceiling: float,
    ticks: Iterable[Tick],
    axis_label: str,
    colour: str,
    width: int = WIDE,
) -> str:
    """Vertical bars on a value axis from ``floor`` to ``ceiling``, each labelled with its text.

    A value below the floor is drawn as a bar of no height; its label still says it.
    """
    svg, plot = _frame(name, title, description, bars, axis_label, width, legend_rows=0)
    scale = _Scale(floor, ceiling)
    _grid(plot, ticks, scale, width)
    bars_group = ET.SubElement(plot, "g", {"class": "flare-chart__bars"})
    for index, bar in enumerate(bars):
        x, bar_width = _slot(index, len(bars), width)
        if bar.value is not None:
            top = scale.y(max(min(bar.value, ceiling), floor))
            height = TOP + PLOT_HEIGHT - top
            _rect(bars_group, "flare-chart__bar", x, top, bar_width, height, colour)
            label_y = top - 5
        else:
            label_y = TOP + PLOT_HEIGHT - 5
        _text(plot, "flare-chart__value", x + bar_width / 2, label_y, bar.text, VALUE_FONT_SIZE)
    return _serialise(svg)


def stacked_bar_chart(
    name: str,
    title: str,
    description: str,
    series: Sequence[Series],
    stacks: Sequence[Stack],
    *,
    ceiling: float,
    ticks: Iterable[Tick],
    axis_label: str,
    width: int = WIDE,
) -> str:
    """Bars cut into the series' layers, from 0 to ``ceiling``, with a legend under them.

    Each layer tall enough for it shows its own value; each stack shows its text above it.
    Layers are parted by a thin line of the page's background, so neighbours of similar colour
    stay apart. The legend takes as many lines as the width needs.
    """
    legend = _legend_layout(series, width)
    svg, plot = _frame(name, title, description, stacks, axis_label, width, len(legend))
    scale = _Scale(0, ceiling)
    _grid(plot, ticks, scale, width)
    bars_group = ET.SubElement(plot, "g", {"class": "flare-chart__bars"})
    for index, stack in enumerate(stacks):
        x, bar_width = _slot(index, len(stacks), width)
        base = 0.0
        for layer, value in zip(series, stack.values, strict=True):
            if value <= 0:
                continue
            bottom, top = scale.y(base), scale.y(base + value)
            rect = _rect(
                bars_group,
                f"flare-chart__bar flare-chart__bar--{layer.key}",
                x,
                top,
                bar_width,
                bottom - top,
                layer.colour,
            )
            rect.set("stroke", BACKGROUND)
            rect.set("stroke-width", "1")
            if bottom - top >= VALUE_FONT_SIZE + 4:
                _text(
                    plot,
                    "flare-chart__layer-value",
                    x + bar_width / 2,
                    (top + bottom) / 2 + VALUE_FONT_SIZE * 0.35,
                    number(value),
                    VALUE_FONT_SIZE,
                    fill=BACKGROUND,
                )
            base += value
        _text(
            plot,
            "flare-chart__value",
            x + bar_width / 2,
            scale.y(base) - 5,
            stack.text,
            VALUE_FONT_SIZE,
        )
    _legend(svg, legend, _height(stacks, legend_rows=0))
    return _serialise(svg)


# -- drawing helpers -------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Scale:
    floor: float
    ceiling: float

    def y(self, value: float) -> float:
        share = (value - self.floor) / (self.ceiling - self.floor)
        return TOP + PLOT_HEIGHT * (1 - share)


def _height(columns: Sequence[Bar | Stack], *, legend_rows: int) -> float:
    lines = 1 + max((len(column.sublabels) for column in columns), default=0)
    return TOP + PLOT_HEIGHT + 6 + lines * LINE + legend_rows * LEGEND_HEIGHT


def _slot(index: int, count: int, width: int) -> tuple[float, float]:
    """The left edge and width of bar ``index`` of ``count`` in a chart ``width`` wide."""
    slot = (width - LEFT - RIGHT) / count
    return LEFT + index * slot + slot * GAP / 2, slot * (1 - GAP)


def _frame(
    name: str,
    title: str,
    description: str,
    columns: Sequence[Bar | Stack],
    axis_label: str,
    width: int,
    legend_rows: int,
) -> tuple[ET.Element, ET.Element]:
    """The document, its title and description, the axis title and the labels under the bars."""
    ident = f"flare-chart-{name}"
    height = _height(columns, legend_rows=legend_rows)
    svg = ET.Element(
        "svg",
        {
            "xmlns": SVG_NAMESPACE,
            "class": f"flare-chart__svg flare-chart__svg--{name}",
            "viewBox": f"0 0 {width} {number(height)}",
            "width": str(width),
            "height": number(height),
            "role": "img",
            "aria-labelledby": f"{ident}-title {ident}-desc",
            "font-size": str(FONT_SIZE),
            "font-family": "sans-serif",
        },
    )
    ET.SubElement(svg, "title", {"id": f"{ident}-title"}).text = title
    ET.SubElement(svg, "desc", {"id": f"{ident}-desc"}).text = description
    plot = ET.SubElement(svg, "g", {"class": "flare-chart__plot"})
    _text(plot, "flare-chart__axis-title", 0, 14, axis_label, anchor="start")
    labels = ET.SubElement(svg, "g", {"class": "flare-chart__labels"})
    for index, column in enumerate(columns):
        x, bar_width = _slot(index, len(columns), width)
        for line, text in enumerate((column.label, *column.sublabels)):
            y = TOP + PLOT_HEIGHT + 6 + (line + 1) * LINE - 3
            _text(labels, "flare-chart__label", x + bar_width / 2, y, text)
    return svg, plot


def _grid(plot: ET.Element, ticks: Iterable[Tick], scale: _Scale, width: int) -> None:
    grid = ET.SubElement(plot, "g", {"class": "flare-chart__grid"})
    for tick in ticks:
        y = scale.y(tick.value)
        ET.SubElement(
            grid,
            "line",
            {
                "x1": number(LEFT),
                "x2": number(width - RIGHT),
                "y1": number(y),
                "y2": number(y),
                "stroke": GRID_COLOUR,
                "stroke-width": "1",
            },
        )
        _text(plot, "flare-chart__tick", LEFT - 6, y + FONT_SIZE * 0.35, tick.text, anchor="end")


def text_width(text: str) -> float:
    """A generous estimate of ``text``'s width at FONT_SIZE: a wide character (of Chinese,
    Japanese or Korean) counts as two."""
    return CHAR_WIDTH * sum(
        2 if unicodedata.east_asian_width(character) in "WF" else 1 for character in text
    )


def _legend_layout(series: Sequence[Series], width: int) -> list[list[tuple[float, Series]]]:
    """The legend's lines, each a list of (left edge, series), filled up to ``width``."""
    lines: list[list[tuple[float, Series]]] = [[]]
    x = LEFT
    for layer in series:
        advance = 17 + text_width(layer.label) + 18
        if lines[-1] and x + advance - 18 > width - RIGHT:
            lines.append([])
            x = LEFT
        lines[-1].append((x, layer))
        x += advance
    return lines


def _legend(svg: ET.Element, lines: list[list[tuple[float, Series]]], top: float) -> None:
    legend = ET.SubElement(svg, "g", {"class": "flare-chart__legend"})
    for row, line in enumerate(lines):
        y = top + row * LEGEND_HEIGHT + (LEGEND_HEIGHT - 12) / 2
        for x, layer in line:
            css = f"flare-chart__bar flare-chart__bar--{layer.key}"
            _rect(legend, css, x, y, 12, 12, layer.colour)
            _text(legend, "flare-chart__legend-label", x + 17, y + 11, layer.label, anchor="start")


def _rect(
    parent: ET.Element, css: str, x: float, y: float, width: float, height: float, fill: str
) -> ET.Element:
    return ET.SubElement(
        parent,
        "rect",
        {
            "class": css,
            "x": number(x),
            "y": number(y),
            "width": number(width),
            "height": number(max(height, 0)),
            "fill": fill,
        },
    )


def _text(
    parent: ET.Element,
    css: str,
    x: float,
    y: float,
    text: str,
    size: int | None = None,
    *,
    anchor: str = "middle",
    fill: str = TEXT_COLOUR,
) -> ET.Element:
    attributes = {"class": css, "x": number(x), "y": number(y), "text-anchor": anchor}
    if size is not None:
        attributes["font-size"] = str(size)
    attributes["fill"] = fill
    element = ET.SubElement(parent, "text", attributes)
    element.text = text
    return element


def _serialise(svg: ET.Element) -> str:
    return ET.tostring(svg, encoding="unicode")


# -- the reliability report's charts --------------------------------------------------------------
UPTIME_FLOORS = (99.9, 99.5, 99.0, 98.0, 95.0, 90.0, 80.0, 50.0, 0.0)  # percent
UPTIME_COLOUR = LIGHT.chart_uptime  # 5.2:1 on white
BUDGET_COLOUR = UPTIME_COLOUR
# Bottom to top: the worst at the base, where stacks are easiest to compare; each colour at least
# 4.5:1 on white.
IMPACT_COLOURS = {impact: LIGHT.impact(impact) for impact in IMPACTS_WORST_FIRST}


def impact_series(language: Language = ENGLISH) -> tuple[Series, ...]:
    """The incidents chart's layers, worst first, named in the legend in ``language``."""
    return tuple(
        Series(impact.value, language.label(impact), IMPACT_COLOURS[impact])
        for impact in IMPACTS_WORST_FIRST
    )


def uptime_floor(percents: Iterable[float]) -> float:
    """Where the uptime axis starts, in percent: the highest of UPTIME_FLOORS that leaves the
    lowest month a bar at least a quarter of the chart's height.

    The axis does not start at 0, where every month would look like a full bar, nor just under
    the lowest month, where a few minutes down would look like a collapse; it starts at a round
    figure below, and the page says where.
    """
    lowest = min(percents, default=100.0)
    return next(
        floor for floor in UPTIME_FLOORS if lowest - floor >= (100 - floor) / 4 or floor == 0.0
    )


def count_ceiling(highest: int) -> tuple[int, int]:
    """The top of a count axis and its step: at most five steps of 1, 2 or 5 × 10ⁿ."""
    step = 1
    while highest > 5 * step:
        magnitude = 10 ** (len(str(step)) - 1)
        step = {1: 2, 2: 5, 5: 10}[step // magnitude] * magnitude
    return max(math.ceil(highest / step) * step, step), step


def percent_tick(value: float, language: Language = ENGLISH) -> str:
    """``99.9%``, ``99.95%``, ``100%``."""
    return format_percent_tick(value, language)


def _month_bars(
    months: Sequence[MonthFigures], language: Language
) -> list[tuple[str, tuple[str, ...]]]:
    """Each month's label and the lines under it: the year under the first and each January,
    and ``so far`` under the current month."""
    labelled = []
    for index, month in enumerate(months):
        lines = []
        if index == 0 or month.month.month == 1:
            lines.append(format_year(month.month, language))
        if month.partial:
            # Translators: under the current month's bar in a chart: it is counted up to now.
            lines.append(language.gettext("so far"))
        labelled.append((format_month_name(month.month, language), tuple(lines)))
    return labelled


def _span(months: Sequence[MonthFigures], language: Language) -> str:
    first, last = format_month(months[0].month, language), format_month(months[-1].month, language)
    if months[-1].partial:
        return language.gettext("from %(first)s to %(last)s (so far)", first=first, last=last)
    return language.gettext("from %(first)s to %(last)s", first=first, last=last)


def _subject(report: ReliabilityReport, language: Language) -> str:
    return report.component.name if report.component else language.gettext("All components")


def _chart_months(report: ReliabilityReport, compact: bool) -> Sequence[MonthFigures]:
    return report.months[-COMPACT_MONTHS:] if compact else report.months


def uptime_chart(
    report: ReliabilityReport,
    percent: Callable[[float], str],
    *,
    compact: bool = False,
    language: Language = ENGLISH,
) -> str:
    """Monthly uptime as bars, on an axis from :func:`uptime_floor` to 100%; ``compact``: the
    latest months only, in a phone's width, on the same axis as the wide chart."""
    months = _chart_months(report, compact)
    known = [(m, m.uptime * 100) for m in months if m.uptime is not None]
    floor = uptime_floor(m.uptime * 100 for m in report.months if m.uptime is not None)
    bars = [
        Bar(
            label,
            m.uptime * 100 if m.uptime is not None else None,
            _uptime_text(m, percent, language),
            lines,
        )
        for m, (label, lines) in zip(months, _month_bars(months, language), strict=True)
    ]
    span, top = _span(months, language), percent_tick(100, language)
    if report.component:
        description = language.gettext(
            "Bar chart of the uptime of each month %(span)s. The vertical axis runs from "
            "%(floor)s to %(top)s, not from 0, so that the months can be told apart.",
            span=span,
            floor=percent_tick(floor, language),
            top=top,
        )
    else:
        description = language.gettext(
            "Bar chart of the uptime of each month %(span)s, each month the mean over the "
            "components. The vertical axis runs from %(floor)s to %(top)s, not from 0, so that "
            "the months can be told apart.",
            span=span,
            floor=percent_tick(floor, language),
            top=top,
        )
    sentences = [description]
    if known:
        lowest = min(known, key=lambda item: item[1])[0]
        sentences.append(
            language.gettext(
                "Lowest: %(month)s, %(uptime)s.",
                month=format_month(lowest.month, language),
                uptime=percent(lowest.uptime or 0),
            )
        )
    sentences.append(language.gettext("The table after the chart gives every month's figure."))
    middle = (floor + 100) / 2
    subject = _subject(report, language)
    if compact:
        title = language.ngettext(
            "%(subject)s: uptime per month, the latest %(num)d month",
            "%(subject)s: uptime per month, the latest %(num)d months",
            len(months),
            subject=subject,
        )
    else:
        title = language.gettext("%(subject)s: uptime per month", subject=subject)
    return bar_chart(
        "uptime-compact" if compact else "uptime",
        title,
        join_sentences(sentences),
        bars,
        floor=floor,
        ceiling=100.0,
        ticks=[Tick(value, percent_tick(value, language)) for value in (floor, middle, 100.0)],
        axis_label=language.gettext("Uptime"),
        colour=UPTIME_COLOUR,
        width=COMPACT if compact else WIDE,
    )


def _uptime_text(month: MonthFigures, percent: Callable[[float], str], language: Language) -> str:
    return percent(month.uptime) if month.uptime is not None else language.gettext("no data")


def incidents_chart(
    report: ReliabilityReport, *, compact: bool = False, language: Language = ENGLISH
) -> str:
    """Incidents per month as bars stacked by impact, the worst at the base, with a legend;
    ``compact``: the latest months only, in a phone's width."""
    months = _chart_months(report, compact)
    series = impact_series(language)
    stacks = [
        Stack(
            label,
            tuple(float(m.incidents[Impact(layer.key)]) for layer in series),
            str(m.incident_count),
            lines,
        )
        for m, (label, lines) in zip(months, _month_bars(months, language), strict=True)
    ]
    highest = max((m.incident_count for m in months), default=0)
    ceiling, step = count_ceiling(highest)
    total = sum(m.incident_count for m in months)
    span = _span(months, language)
    if highest:
        busiest = functools.reduce(
            lambda first, second: language.gettext(
                "%(first)s and %(second)s", first=first, second=second
            ),
            [format_month(m.month, language) for m in months if m.incident_count == highest],
        )
        description = language.ngettext(
            "Stacked bar chart of the incidents that began in each month %(span)s, each bar cut "
            "by impact from critical at the bottom, then major and minor, to no impact at the "
            "top: %(num)d incident in all, most in %(months)s (%(most)s).",
            "Stacked bar chart of the incidents that began in each month %(span)s, each bar cut "
            "by impact from critical at the bottom, then major and minor, to no impact at the "
            "top: %(num)d incidents in all, most in %(months)s (%(most)s).",
            total,
            span=span,
            months=busiest,
            most=highest,
        )
    else:
        description = language.ngettext(
            "Stacked bar chart of the incidents that began in each month %(span)s, each bar cut "
            "by impact from critical at the bottom, then major and minor, to no impact at the "
            "top: %(num)d incident in all.",
            "Stacked bar chart of the incidents that began in each month %(span)s, each bar cut "
            "by impact from critical at the bottom, then major and minor, to no impact at the "
            "top: %(num)d incidents in all.",
            total,
            span=span,
        )
    subject = _subject(report, language)
    if compact:
        title = language.ngettext(
            "%(subject)s: incidents per month, by impact, the latest %(num)d month",
            "%(subject)s: incidents per month, by impact, the latest %(num)d months",
            len(months),
            subject=subject,
        )
    else:
        title = language.gettext("%(subject)s: incidents per month, by impact", subject=subject)
    return stacked_bar_chart(
        "incidents-compact" if compact else "incidents",
        title,
        join_sentences(
            [
                description,
                language.gettext("The table after the chart gives every month's counts."),
            ]
        ),
        series,
        stacks,
        ceiling=ceiling,
        ticks=[Tick(i * step, str(i * step)) for i in range(ceiling // step + 1)],
        axis_label=language.gettext("Incidents"),
        width=COMPACT if compact else WIDE,
    )


def budget_chart(
    report: ReliabilityReport,
    budget: ErrorBudget,
    *,
    compact: bool = False,
    language: Language = ENGLISH,
) -> str:
    """The share of each month's error budget a component spent, as bars on an axis from 0 to
    at least 100% (the whole budget); ``compact``: the latest months, in a phone's width."""
    months = _chart_months(report, compact)
    spent = dict(budget.months)
    periods = [spent[month.month] for month in months]
    highest = max((period.spent_share * 100 for _, period in budget.months), default=0.0)
    ceiling = max(100.0, math.ceil(highest / 50) * 50)
    bars = [
        Bar(
            label,
            period.spent_share * 100,
            format_whole_percent(period.spent_percent, language),
            lines,
        )
        for period, (label, lines) in zip(periods, _month_bars(months, language), strict=True)
    ]
    component, span = budget.component.name, _span(months, language)
    missed = sum(1 for period in periods if not period.met)
    sentences = [
        language.gettext(
            "Bar chart of the share of each month's error budget that %(component)s spent "
            "%(span)s: at 100%% the whole budget is spent, and above it the objective of "
            "%(objective)s is missed.",
            component=component,
            span=span,
            objective=format_percent_tick(budget.objective, language),
        ),
        language.ngettext(
            "It was missed in %(num)d month.", "It was missed in %(num)d months.", missed
        ),
        language.gettext("The table before the chart gives every month's figures."),
    ]
    if compact:
        title = language.ngettext(
            "%(component)s: error budget spent per month, the latest %(num)d month",
            "%(component)s: error budget spent per month, the latest %(num)d months",
            len(months),
            component=component,
        )
    else:
        title = language.gettext("%(component)s: error budget spent per month", component=component)
    ticks = dict.fromkeys((0.0, 50.0, 100.0, ceiling))
    return bar_chart(
        f"budget-{budget.component.id}{'-compact' if compact else ''}",
        title,
        join_sentences(sentences),
        bars,
        floor=0.0,
        ceiling=ceiling,
        ticks=[Tick(value, percent_tick(value, language)) for value in ticks],
        axis_label=language.gettext("Budget spent"),
        colour=BUDGET_COLOUR,
        width=COMPACT if compact else WIDE,
    )


@dataclass(frozen=True)
class ReportCharts:
    uptime: Markup
    incidents: Markup
    uptime_compact: Markup  # the latest months, for a phone
    incidents_compact: Markup
    uptime_floor: float  # where the uptime axis starts, in percent, for the note under it
    uptime_floor_text: str  # the same, as the axis writes it
    compact_months: int = COMPACT_MONTHS
    budgets: tuple[tuple[Markup, Markup], ...] = ()  # per objective: every month, the latest


def report_charts(
    report: ReliabilityReport, percent: Callable[[float], str], language: Language = ENGLISH
) -> ReportCharts:
    """The report's charts, ready for the page; ``percent`` formats uptime as its tables do."""
    floor = uptime_floor(m.uptime * 100 for m in report.months if m.uptime is not None)
    return ReportCharts(
        uptime=Markup(uptime_chart(report, percent, language=language)),
        incidents=Markup(incidents_chart(report, language=language)),
        uptime_compact=Markup(uptime_chart(report, percent, compact=True, language=language)),
        incidents_compact=Markup(incidents_chart(report, compact=True, language=language)),
        uptime_floor=floor,
        uptime_floor_text=percent_tick(floor, language),
        budgets=tuple(
            (
                Markup(budget_chart(report, budget, language=language)),
                Markup(budget_chart(report, budget, compact=True, language=language)),
            )
            for budget in report.budgets
        ),
    )
