"""The site's colours, in one place: the pages' CSS, the charts and the badges all read them.

Every state colour reaches WCAG AA (4.5:1) against its palette's page: in the light palette
white text on it is legible too, which the badges rely on. The page's stylesheet gets them as
custom properties (:func:`palette_css`), so a change here reaches the CSS, the SVG charts and
the badges together.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from generator.model.components import ComponentState
from generator.model.records import Impact


@dataclass(frozen=True)
class Palette:
    states: Mapping[ComponentState, str]
    muted: str  # secondary text, and an incident of no impact
    line: str  # rules and grid lines
    background: str
    chart_uptime: str  # the reliability report's uptime bars
    text: str  # body text, where Flare sets it itself (the embed)
    link: str

    def impact(self, impact: Impact) -> str:
        """An incident's impact in the colour of the state it implies (none: muted)."""
        if impact is Impact.NONE:
            return self.muted
        return self.states[impact.implied_state]


LIGHT = Palette(
    states={
        ComponentState.OPERATIONAL: "#1a7f37",
        ComponentState.UNDER_MAINTENANCE: "#0969da",
        ComponentState.DEGRADED_PERFORMANCE: "#8a5c00",
        ComponentState.PARTIAL_OUTAGE: "#bc4c00",
        ComponentState.MAJOR_OUTAGE: "#cf222e",
    },
    muted="#57606a",
    line="#d0d7de",
    background="#ffffff",
    chart_uptime="#0969da",
    text="#1f2328",
    link="#0969da",
)

DARK = Palette(
    states={
        ComponentState.OPERATIONAL: "#3fb950",
        ComponentState.UNDER_MAINTENANCE: "#58a6ff",
        ComponentState.DEGRADED_PERFORMANCE: "#d29922",
        ComponentState.PARTIAL_OUTAGE: "#f0883e",
        ComponentState.MAJOR_OUTAGE: "#ff7b72",
    },
    muted="#b1bac4",
    line="#444c56",
    background="#1e2129",
    chart_uptime="#58a6ff",
    text="#e6edf3",
    link="#58a6ff",
)

# mkdocs-material's names of its two colour schemes.
_SCHEMES = (
    (LIGHT, ':root,\n[data-md-color-scheme="default"]'),
    (DARK, '[data-md-color-scheme="slate"]'),
)


def palette_css() -> str:
    """The palettes as the custom properties flare.css uses: ``--flare-<state>``,
    ``--flare-muted``, ``--flare-line``, ``--flare-chart-uptime``, and the page's own colours
    (``--flare-text``, ``--flare-background``, ``--flare-link``) for the light layout."""
    blocks = []
    for palette, selector in _SCHEMES:
        lines = [f"  --flare-{state.value}: {colour};" for state, colour in palette.states.items()]
        lines += [
            f"  --flare-muted: {palette.muted};",
            f"  --flare-line: {palette.line};",
            f"  --flare-chart-uptime: {palette.chart_uptime};",
            f"  --flare-text: {palette.text};",
            f"  --flare-background: {palette.background};",
            f"  --flare-link: {palette.link};",
        ]
        blocks.append(selector + " {\n" + "\n".join(lines) + "\n}\n")
    return "/* Flare's palette, generated from generator/render/palette.py. */\n" + "\n".join(
        blocks
    )


def palette_json() -> dict:
    """Both palettes as plain data, for the embed's script: states by name, and the page's."""
    return {
        name: {
            "states": {state.value: colour for state, colour in palette.states.items()},
            "text": palette.text,
            "background": palette.background,
            "link": palette.link,
        }
        for name, palette in (("light", LIGHT), ("dark", DARK))
    }
