"""How Flare writes things for people: times, dates, durations, numbers, plurals and labels.

Every page, feed and report that shows a value to a reader formats it here, so one change of
wording or style reaches every place it appears. Each function takes the site's
:class:`~generator.render.i18n.Language` where the value reads differently from one language to
another; without one it writes English, as the feeds, the calendar, the badges, the API and the
command line do.

English keeps Flare's own style (``3 Nov 2026, 14:05 UTC``, ``99.95%``, ``18,400``); another
language takes its dates, months and numbers from Babel's locale data for it, and its units
(``2 h 5 min``) from its catalog.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date as babel_date
from babel.dates import format_time as babel_time
from babel.numbers import NumberPattern, format_decimal

from generator.derive.metrics import Metric
from generator.derive.reliability import DurationRow
from generator.model.components import ComponentState
from generator.render import i18n
from generator.render.i18n import N_, Language

ENGLISH = i18n.language("en")  # the default: what feeds, badges and the command line write

UPTIME_RULE = N_(
    "A minute of major outage counts as a minute down and a minute of partial outage as 0.3 of "
    "a minute; degraded performance and scheduled maintenance count as up."
)

# Under the reliability report's incidents chart: how incidents are counted by month.
MONTHS_DEFINITION = N_(
    "Months run midnight to midnight in the site's timezone; the current month counts up to "
    "now. Incidents count in the month of their first update."
)

MILESTONE_SOURCES = {
    Metric.TIME_TO_DETECT: N_("From post-mortem milestones only: impact started to detected."),
    Metric.TIME_TO_MITIGATE: N_("From post-mortem milestones only: impact started to mitigated."),
}

OVERALL_LABELS = {
    ComponentState.OPERATIONAL: N_("All systems operational"),
    ComponentState.UNDER_MAINTENANCE: N_("Maintenance in progress"),
    ComponentState.DEGRADED_PERFORMANCE: N_("Degraded performance"),
    ComponentState.PARTIAL_OUTAGE: N_("Partial outage"),
    ComponentState.MAJOR_OUTAGE: N_("Major outage"),
}

# A state in a badge's few characters.
SHORT_STATE_LABELS = {
    ComponentState.OPERATIONAL: "operational",
    ComponentState.UNDER_MAINTENANCE: "maintenance",
    ComponentState.DEGRADED_PERFORMANCE: "degraded performance",
    ComponentState.PARTIAL_OUTAGE: "partial outage",
    ComponentState.MAJOR_OUTAGE: "major outage",
}


def metric_source(row: DurationRow, language: Language = ENGLISH) -> str:
    """Where a reliability report's durations of one metric come from, for its footnote."""
    if row.metric is not Metric.TIME_TO_RESOLVE:
        return language.lookup(MILESTONE_SOURCES[row.metric])
    from_updates = row.overall.from_updates
    milestones = language.ngettext(
        "%(num)d incident", "%(num)d incidents", row.overall.n - from_updates
    )
    updates = language.ngettext("%(num)d incident", "%(num)d incidents", from_updates)
    return language.gettext(
        "From post-mortem milestones (impact started to resolved) for %(milestones)s; from the "
        "updates (first update to the one that resolved it) for %(updates)s without those "
        "milestones. Incidents still open are not counted.",
        milestones=milestones,
        updates=updates,
    )


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """``1 record``, ``2 records``: a count with its noun in the right number, in English (the
    command line's; pages use their catalog's plural forms)."""
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"


def format_list(items: Iterable[str], language: Language = ENGLISH) -> str:
    """``Public API, Dashboard, Email``: names one after another, as the language lists them."""
    names = list(items)
    if not names:
        return ""
    return functools.reduce(
        # Translators: a list, built an item at a time: the list so far, then the next item.
        lambda first, second: language.gettext("%(first)s, %(second)s", first=first, second=second),
        names,
    )


# -- dates and times ------------------------------------------------------------------------------
# Flare's English, and the skeleton (CLDR's field list, which each language orders and punctuates
# its own way) that gives the same fields in another language.
DATE_FORMATS: dict[str, tuple[str, str | None]] = {
    "date": ("d MMM y", "yMMMd"),  # 3 Nov 2026
    "month": ("MMM y", "yMMM"),  # Nov 2026
    "month_long": ("MMMM y", "yMMMM"),  # November 2026
    "clock": ("HH:mm", "Hm"),  # 14:05
    "year": ("y", "y"),  # 2026
    "month_name": ("MMM", None),  # Nov, under a chart's bar: the same pattern in any language
}


@functools.cache
def _date_pattern(locale: Locale, kind: str) -> str:
    english, skeleton = DATE_FORMATS[kind]
    if locale.language == "en" or skeleton is None:
        return english
    skeletons = locale.datetime_skeletons
    if skeleton in skeletons:
        return str(skeletons[skeleton])
    from babel.dates import match_skeleton

    best = match_skeleton(skeleton, skeletons)
    return str(skeletons[best]) if best else english


@functools.cache
def _day_text(day: date, language: Language, kind: str) -> str:
    # Each day is written many times (every component's uptime bar shows the same 90 days).
    return babel_date(day, _date_pattern(language.locale, kind), locale=language.locale)


def format_date(
    day: date | datetime, zone: ZoneInfo | None = None, language: Language = ENGLISH
) -> str:
    """``3 Nov 2026``; an instant is shown on its date in ``zone``, which it then needs."""
    if isinstance(day, datetime):
        if zone is None:
            raise ValueError("an instant's date depends on the timezone: give the site's")
        day = day.astimezone(zone).date()
    return _day_text(day, language, "date")


def format_time(instant: datetime, zone: ZoneInfo, language: Language = ENGLISH) -> str:
    """``3 Nov 2026, 14:05 UTC``: an instant in the site's timezone, with the zone's name."""
    together = "{1}, {0}" if language.locale.language == "en" else _date_time(language.locale)
    return together.replace("{1}", format_date(instant, zone, language)).replace(
        "{0}", format_clock(instant, zone, language)
    )


@functools.cache
def _date_time(locale: Locale) -> str:
    """How the language joins a date and a time: ``{1}, {0}``, ``{1} {0}``."""
    return str(locale.datetime_formats["medium"])


def format_clock(instant: datetime, zone: ZoneInfo, language: Language = ENGLISH) -> str:
    """``14:05 UTC``: the time of day on a day the reader already knows."""
    local = instant.astimezone(zone)
    return _clock_text(local.time(), local.tzname() or "", language)


@functools.cache
def _clock_text(clock: time, zone_name: str, language: Language) -> str:
    # Each time of day is written many times over a big site, and Babel takes its time.
    locale = language.locale
    return f"{babel_time(clock, _date_pattern(locale, 'clock'), locale=locale)} {zone_name}"


def format_month(first: date, language: Language = ENGLISH) -> str:
    """``Nov 2026``."""
    return _day_text(first.replace(day=1), language, "month")


def format_long_month(first: date, language: Language = ENGLISH) -> str:
    """``November 2026``: a month as a heading."""
    return _day_text(first.replace(day=1), language, "month_long")


def format_month_name(first: date, language: Language = ENGLISH) -> str:
    """``Nov``: a month under a chart's bar, its year shown apart."""
    return _day_text(first.replace(day=1), language, "month_name")


def format_year(first: date, language: Language = ENGLISH) -> str:
    """``2026``: a year under a chart's month."""
    return _day_text(first.replace(month=1, day=1), language, "year")


def format_duration(span: timedelta, language: Language = ENGLISH) -> str:
    """``47 min``, ``2 h 5 min``, ``3 d 4 h``: short and unambiguous, rounded to the minute."""
    minutes = round(span.total_seconds() / 60)
    # Translators: durations, written short: "47 min", "2 h 5 min", "3 d 4 h".
    if minutes < 60:
        return language.gettext("%(minutes)s min", minutes=minutes)
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        if minutes:
            return language.gettext("%(hours)s h %(minutes)s min", hours=hours, minutes=minutes)
        return language.gettext("%(hours)s h", hours=hours)
    days, hours = divmod(hours, 24)
    if hours:
        return language.gettext("%(days)s d %(hours)s h", days=days, hours=hours)
    return language.gettext("%(days)s d", days=days)


# -- numbers --------------------------------------------------------------------------------------
# Each figure is rounded by Python first, as Flare always has, then written with the language's
# digits, separators and percent sign: the same digits in every language.
@functools.cache
def _percent_pattern(locale: Locale, least: int, most: int) -> NumberPattern:
    pattern = copy.copy(locale.percent_formats[None])
    pattern.frac_prec = (least, most)
    return pattern


@functools.cache
def _percent(text: str, language: Language, least: int, most: int) -> str:
    """A percentage already rounded (``99.95``) in the language's way: ``99,95 %``."""
    pattern = _percent_pattern(language.locale, least, most)
    return pattern.apply(Decimal(text) / 100, language.locale)


def format_percent(ratio: float, language: Language = ENGLISH) -> str:
    """Uptime as people read it: 99.95%, never rounding a bad day up to 100%."""
    percent = ratio * 100
    if percent < 100 and round(percent, 2) == 100:
        return _percent("99.99", language, 2, 2)
    return _percent(f"{percent:.2f}", language, 2, 2)


def format_percent_tick(value: float, language: Language = ENGLISH) -> str:
    """``99.9%``, ``99.95%``, ``100%``: a percentage on an axis, as short as it is exact."""
    return _percent(f"{value:g}", language, 0, 2)


def format_whole_percent(value: int, language: Language = ENGLISH) -> str:
    """``42%``: a share already rounded to a whole percent."""
    return _percent(str(value), language, 0, 0)


def _number(text: str, language: Language, pattern: str) -> str:
    return format_decimal(Decimal(text), pattern, locale=language.locale)


def format_count(value: int | str, language: Language = ENGLISH) -> str:
    """``18,400``: a number with its thousands marked; an estimate in words stays as written."""
    return _number(str(value), language, "#,##0") if isinstance(value, int) else value


def format_money(amount: float, currency: str, language: Language = ENGLISH) -> str:
    """``12,345 USD``: whole units, for an estimate."""
    return f"{_number(f'{amount:.0f}', language, '#,##0')} {currency}"


def format_rate(amount: float, currency: str, language: Language = ENGLISH) -> str:
    """``120 USD`` or ``95.50 USD``: a rate as configured."""
    if amount == round(amount):
        return f"{_number(f'{amount:.0f}', language, '#,##0')} {currency}"
    return f"{_number(f'{amount:.2f}', language, '#,##0.00')} {currency}"


def format_hours(value: float, language: Language = ENGLISH) -> str:
    """``1,234.5``: person-hours to a tenth."""
    return _number(f"{value:.1f}", language, "#,##0.0")


# -- addresses ------------------------------------------------------------------------------------
def short_url(address: str) -> str:
    """``grafana.example.com/d/storage``: an address as a reader scans it, without the query."""
    parts = urlsplit(address)
    return (parts.netloc + parts.path).rstrip("/")


def ticket_name(address: str) -> str:
    """``OPS-412`` for ``https://tracker.example.com/OPS-412``: the last part of the path."""
    parts = urlsplit(address)
    segments = [segment for segment in parts.path.split("/") if segment]
    return segments[-1] if segments else parts.netloc
