"""A component's uptime bar drawn as one small SVG: a day's cell per slot, in a few paths.

A bar of 90 days drawn as 90 elements, each with its own tooltip, made the status page 1,400
elements heavier than it needs to be. Here the quiet days (operational, nothing recorded) share
one path, and each day with something to say is a path of its own whose ``<title>`` tells what
happened: eight bars of 90 days are some fifty elements. The detail every reader reaches (touch,
keyboard, screen readers) is the list of eventful days under the bar, not the tooltips.

Each state is drawn with a shape of its own, so the bar reads without telling colours apart: the
worse the state, the more of the cell is cut away from the top (full for operational, three
quarters for degraded performance, half for a partial outage, a quarter for a major outage), and
maintenance is striped. The bar's units: each day a slot ``DAY_SLOT`` wide with a gap after it,
``HEIGHT`` tall; flare.css stretches the SVG to the width of the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from generator.model.components import ComponentState
from generator.render.palette import LIGHT
from generator.render.views import UptimeCell

DAY_SLOT = 10
DAY_WIDTH = 8  # the rest of the slot is the gap before the next day
HEIGHT = 40
# How much of its cell a state cuts away from the top.
CUT_AWAY = {
    ComponentState.OPERATIONAL: 0,
    ComponentState.DEGRADED_PERFORMANCE: HEIGHT // 4,
    ComponentState.PARTIAL_OUTAGE: HEIGHT // 2,
    ComponentState.MAJOR_OUTAGE: HEIGHT * 3 // 4,
}
STRIPE, STRIPE_GAP = 6, 4  # maintenance: stripes across the cell


@dataclass(frozen=True)
class DayShapes:
    """Days drawn in one path: the quiet days together, or one eventful day."""

    state: ComponentState
    path: str  # SVG path data
    cell: UptimeCell | None  # the eventful day, whose label is the tooltip; None: quiet days

    @property
    def colour(self) -> str:
        """The light palette's, for a bar read without the stylesheet."""
        return LIGHT.states[self.state]


@dataclass(frozen=True)
class UptimeBar:
    width: int
    height: int
    shapes: tuple[DayShapes, ...]


def draw_uptime_bar(cells: Sequence[UptimeCell]) -> UptimeBar:
    """The bar of ``cells``, oldest first: the quiet days' path, then each eventful day's."""
    quiet = "".join(
        day_shape(slot, cell.state) for slot, cell in enumerate(cells) if not cell.eventful
    )
    shapes = [DayShapes(ComponentState.OPERATIONAL, quiet, None)] if quiet else []
    shapes += [
        DayShapes(cell.state, day_shape(slot, cell.state), cell)
        for slot, cell in enumerate(cells)
        if cell.eventful
    ]
    return UptimeBar(len(cells) * DAY_SLOT, HEIGHT, tuple(shapes))


def day_shape(slot: int, state: ComponentState) -> str:
    """The path data of the day in ``slot`` (0 the oldest) in ``state``."""
    x = slot * DAY_SLOT
    if state is ComponentState.UNDER_MAINTENANCE:
        return "".join(
            _rectangle(x, top, min(STRIPE, HEIGHT - top))
            for top in range(0, HEIGHT, STRIPE + STRIPE_GAP)
        )
    top = CUT_AWAY[state]
    return _rectangle(x, top, HEIGHT - top)


def _rectangle(x: int, top: int, height: int) -> str:
    return f"M{x} {top}h{DAY_WIDTH}v{height}h-{DAY_WIDTH}z"
