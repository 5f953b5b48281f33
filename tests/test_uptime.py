"""Uptime per day: the rule stated on the status page, pinned at its edges."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from generator.derive.state import state_intervals
from generator.derive.uptime import daily_uptime as daily_uptime_from_intervals
from generator.derive.uptime import day_bounds, uptime_ratio
from generator.model.components import ComponentState
from generator.model.records import Incident, Maintenance, Record

UTC_ZONE = ZoneInfo("UTC")
NOW = datetime(2026, 11, 10, 12, 0, tzinfo=UTC)


def outage(start: str, end: str, impact: str = "critical", id: str = "outage") -> Incident:
    return Incident.model_validate(
        {
            "id": id,
            "title": "Elevated API errors",
            "impact": impact,
            "components": ["api"],
            "updates": [
                {"at": start, "status": "investigating", "body": "Looking."},
                {"at": end, "status": "resolved", "body": "Fixed."},
            ],
        }
    )


def daily_uptime(
    records: list[Record], component_id: str, days: int, now: datetime, zone: ZoneInfo
):
    """The days of ``component_id`` from its state intervals over exactly those days up to now."""
    first = now.astimezone(zone).date() - timedelta(days=days - 1)
    start, _ = day_bounds(first, zone)
    intervals = state_intervals(records, component_id, start, now)
    return daily_uptime_from_intervals(intervals, days, now, zone)


def by_day(days):
    return {day.day: day for day in days}


def test_a_30_minute_major_outage_costs_30_of_the_days_1440_minutes():
    record = outage("2026-11-03T14:00:00Z", "2026-11-03T14:30:00Z")
    days = by_day(daily_uptime([record], "api", 90, NOW, UTC_ZONE))
    assert days[date(2026, 11, 3)].uptime == pytest.approx(1 - 30 / 1440)
    assert days[date(2026, 11, 3)].worst is ComponentState.MAJOR_OUTAGE
    assert days[date(2026, 11, 3)].record_ids == ("outage",)
    assert days[date(2026, 11, 2)].uptime == 1.0
    assert days[date(2026, 11, 2)].record_ids == ()


def test_partial_outage_counts_three_tenths_and_degraded_performance_counts_as_up():
    partial = outage("2026-11-03T10:00:00Z", "2026-11-03T11:40:00Z", impact="major")
    slow = outage("2026-11-04T10:00:00Z", "2026-11-04T20:00:00Z", impact="minor", id="slow")
    days = by_day(daily_uptime([partial, slow], "api", 30, NOW, UTC_ZONE))
    assert days[date(2026, 11, 3)].uptime == pytest.approx(1 - 0.3 * 100 / 1440)
    assert days[date(2026, 11, 4)].uptime == 1.0
    assert days[date(2026, 11, 4)].worst is ComponentState.DEGRADED_PERFORMANCE


def test_an_incident_across_midnight_is_split_between_the_two_days():
    record = outage("2026-11-05T23:00:00Z", "2026-11-06T01:30:00Z")
    days = by_day(daily_uptime([record], "api", 30, NOW, UTC_ZONE))
    assert days[date(2026, 11, 5)].downtime == timedelta(hours=1)
    assert days[date(2026, 11, 6)].downtime == timedelta(hours=1, minutes=30)


def test_days_follow_the_sites_timezone():
    paris = ZoneInfo("Europe/Paris")  # UTC+1 in November
    record = outage("2026-11-05T23:00:00Z", "2026-11-06T01:30:00Z")  # 00:00 to 02:30 in Paris
    days = by_day(daily_uptime([record], "api", 30, NOW, paris))
    assert days[date(2026, 11, 5)].downtime == timedelta(0)
    assert days[date(2026, 11, 6)].downtime == timedelta(hours=2, minutes=30)


def test_a_daylight_saving_day_has_its_real_length():
    start, end = day_bounds(date(2026, 10, 25), ZoneInfo("Europe/Paris"))
    assert end - start == timedelta(hours=25)


def test_maintenance_costs_nothing_but_shows_as_the_days_state():
    window = Maintenance.model_validate(
        {
            "kind": "maintenance",
            "id": "upgrade",
            "title": "Upgrade",
            "components": ["api"],
            "scheduled": {"start": "2026-11-03T02:00:00Z", "end": "2026-11-03T04:00:00Z"},
        }
    )
    day = by_day(daily_uptime([window], "api", 30, NOW, UTC_ZONE))[date(2026, 11, 3)]
    assert day.uptime == 1.0
    assert day.worst is ComponentState.UNDER_MAINTENANCE
    assert day.time_in_state == {ComponentState.UNDER_MAINTENANCE: timedelta(hours=2)}


def test_today_counts_only_up_to_now_and_the_window_ends_today():
    record = outage("2026-11-10T11:00:00Z", "2026-11-10T11:30:00Z")
    days = daily_uptime([record], "api", 90, NOW, UTC_ZONE)
    assert len(days) == 90
    assert days[-1].day == date(2026, 11, 10)
    assert days[0].day == date(2026, 8, 13)
    assert days[-1].uptime == pytest.approx(1 - 30 / 720)


def test_an_incident_still_open_counts_up_to_now():
    record = Incident.model_validate(
        {
            "id": "open",
            "title": "API down",
            "impact": "critical",
            "components": ["api"],
            "updates": [{"at": "2026-11-10T10:00:00Z", "status": "investigating", "body": "Down."}],
        }
    )
    today = daily_uptime([record], "api", 1, NOW, UTC_ZONE)[0]
    assert today.downtime == timedelta(hours=2)


def test_uptime_over_a_window_weighs_days_by_their_length():
    record = outage("2026-11-03T00:00:00Z", "2026-11-04T00:00:00Z")  # a whole day down
    days = daily_uptime([record], "api", 10, NOW, UTC_ZONE)  # 9.5 days elapsed
    assert uptime_ratio(days) == pytest.approx(1 - 24 / (9 * 24 + 12))


def test_a_component_no_record_touches_is_up_every_day():
    days = daily_uptime(
        [outage("2026-11-03T14:00:00Z", "2026-11-03T15:00:00Z")], "web", 90, NOW, UTC_ZONE
    )
    assert {day.uptime for day in days} == {1.0}
    assert uptime_ratio(days) == 1.0
