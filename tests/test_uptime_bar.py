"""The uptime bar's drawing: every day in its slot, a shape per state, the quiet days together."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from generator.derive.uptime import DayUptime
from generator.model.components import ComponentState
from generator.render.uptime_bar import DAY_SLOT, HEIGHT, day_shape, draw_uptime_bar
from generator.render.views import UptimeCell


def cell(day: int, spent: dict[ComponentState, timedelta] | None = None) -> UptimeCell:
    start = datetime(2026, 11, day, tzinfo=UTC)
    uptime = DayUptime(date(2026, 11, day), start, start + timedelta(days=1), spent or {})
    label = f"{day} Nov: something" if spent else ""
    return UptimeCell(uptime, label, label)


def test_each_state_is_drawn_with_a_shape_of_its_own():
    """The bar reads without telling colours apart."""
    shapes = {state: day_shape(0, state) for state in ComponentState}

    assert len(set(shapes.values())) == len(ComponentState)
    assert shapes[ComponentState.OPERATIONAL] == f"M0 0h8v{HEIGHT}h-8z"  # the full cell
    assert shapes[ComponentState.MAJOR_OUTAGE] == "M0 30h8v10h-8z"  # a quarter of it
    assert shapes[ComponentState.UNDER_MAINTENANCE].count("M") == 4  # four stripes


def test_a_day_is_drawn_in_its_slot_and_no_higher_than_the_bar():
    for state in ComponentState:
        path = day_shape(7, state)
        xs = {int(x) for x in re.findall(r"M(\d+) ", path)}
        assert xs == {7 * DAY_SLOT}, state
        for top, height in re.findall(r"M\d+ (\d+)h\d+v(\d+)", path):
            assert 0 <= int(top) and int(top) + int(height) <= HEIGHT, state


def test_quiet_days_share_one_path_and_each_eventful_day_has_its_own():
    outage = {ComponentState.PARTIAL_OUTAGE: timedelta(minutes=47)}
    cells = [cell(1), cell(2, outage), cell(3), cell(4)]

    bar = draw_uptime_bar(cells)

    assert (bar.width, bar.height) == (4 * DAY_SLOT, HEIGHT)
    quiet, eventful = bar.shapes
    assert quiet.cell is None and quiet.state is ComponentState.OPERATIONAL
    assert quiet.path == day_shape(0, quiet.state) + day_shape(2, quiet.state) + day_shape(
        3, quiet.state
    )
    assert eventful.cell is cells[1]
    assert eventful.path == day_shape(1, ComponentState.PARTIAL_OUTAGE)


def test_a_bar_with_no_quiet_day_has_no_empty_path():
    bar = draw_uptime_bar([cell(1, {ComponentState.MAJOR_OUTAGE: timedelta(hours=1)})])

    assert [shape.cell is None for shape in bar.shapes] == [False]
