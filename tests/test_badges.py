"""Status badges, read back as XML and drawn by a real browser."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime, timedelta

import pytest
from pydantic import ValidationError

from conftest import EXAMPLE_NOW
from generator.derive.snapshot import derive_snapshot
from generator.derive.state import component_states_at
from generator.load.settings import SiteSettings
from generator.model.components import Component
from generator.model.records import Incident, IncidentUpdate, Maintenance, Window
from generator.outputs import badges
from generator.outputs.badges import text_width
from generator.render.links import SiteLinks
from generator.validate.site import Site
from support import tool_missing
from support.browser import browser_missing_reason, launch

SVG = "{http://www.w3.org/2000/svg}"
LINKS = SiteLinks("https://status.example.com/")  # badges link nowhere; part of the signature
STATE_WORDS = {
    "operational": "operational",
    "under_maintenance": "maintenance",
    "degraded_performance": "degraded performance",
    "partial_outage": "partial outage",
    "major_outage": "major outage",
}


def badge_files(site: Site, now: datetime) -> dict[str, bytes]:
    return badges.files(derive_snapshot(site, now), LINKS)


def parse(data: bytes) -> ET.Element:
    svg = ET.fromstring(data)
    assert svg.tag == f"{SVG}svg"
    return svg


def words(svg: ET.Element) -> tuple[str, str]:
    """The label and the message, as drawn (the shadow copies, filled dark, left out)."""
    label, message = [text.text for text in svg.iter(f"{SVG}text") if "fill" not in text.attrib]
    return label, message


def contrast(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two sRGB colours written #rgb or #rrggbb."""

    def luminance(colour: str) -> float:
        digits = colour.lstrip("#")
        if len(digits) == 3:
            digits = "".join(digit * 2 for digit in digits)
        channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def site_of(*components: Component, records=()) -> Site:
    return Site(SiteSettings(components=list(components)), tuple(records))


def opened(incident_id: str, impact: str, component_id: str) -> Incident:
    """An incident opened an hour before EXAMPLE_NOW and still open."""
    return Incident(
        id=incident_id,
        title=f"Trouble with {component_id}",
        impact=impact,
        components=[component_id],
        updates=[
            IncidentUpdate(
                at=EXAMPLE_NOW - timedelta(hours=1), status="investigating", body="Looking into it."
            )
        ],
    )


@pytest.fixture(scope="module")
def every_state() -> Site:
    """Five components, one in each state at EXAMPLE_NOW."""
    return site_of(
        Component(id="fine", name="Fine"),
        Component(id="planned", name="Planned"),
        Component(id="slow", name="Slow"),
        Component(id="partly", name="Partly down"),
        Component(id="down", name="Down"),
        records=[
            Maintenance(
                kind="maintenance",
                id="work",
                title="Work",
                components=["planned"],
                scheduled=Window(
                    start=EXAMPLE_NOW - timedelta(hours=1), end=EXAMPLE_NOW + timedelta(hours=1)
                ),
            ),
            opened("minor", "minor", "slow"),
            opened("major", "major", "partly"),
            opened("critical", "critical", "down"),
        ],
    )


# -- the example site --------------------------------------------------------------------------
def test_one_badge_for_the_site_and_one_per_component(example_site, example_now):
    files = badge_files(example_site, example_now)

    assert sorted(files) == sorted(
        ["badges/status.svg"]
        + [f"badges/{component_id}.svg" for component_id in example_site.settings.component_ids]
    )


def test_every_badge_is_a_named_svg_image(example_site, example_now):
    for path, data in badge_files(example_site, example_now).items():
        svg = parse(data)
        assert int(svg.get("width")) > 0 and int(svg.get("height")) == 20, path
        assert svg.get("role") == "img", path
        title = svg.find(f"{SVG}title")
        assert title is not None and title.text == svg.get("aria-label"), path
        assert title.text == "{}: {}".format(*words(svg)), path


def test_badges_say_the_states_at_now(example_site, example_now):
    files = badge_files(example_site, example_now)
    states = component_states_at(
        example_site.records, example_site.settings.component_ids, example_now
    )

    for component in example_site.settings.components:
        svg = parse(files[f"badges/{component.id}.svg"])
        assert words(svg) == (component.name, STATE_WORDS[states[component.id]])
    assert states["webhooks"].value == "degraded_performance"
    assert {state.value for key, state in states.items() if key != "webhooks"} == {"operational"}
    status = parse(files["badges/status.svg"])
    assert words(status) == ("status", "degraded performance")
    assert status.get("aria-label") == "status: degraded performance"


def test_the_same_inputs_give_the_same_bytes(example_site, example_now):
    assert badge_files(example_site, example_now) == badge_files(example_site, example_now)


# -- every state -------------------------------------------------------------------------------
def test_each_state_has_its_own_colour_and_white_text_is_legible_on_it(every_state):
    files = badge_files(every_state, EXAMPLE_NOW)
    message_colours = {}
    for component in every_state.settings.components:
        svg = parse(files[f"badges/{component.id}.svg"])
        assert svg.find(f"{SVG}g").get("fill") == "#fff"  # the text
        label_colour, message_colour = [path.get("fill") for path in svg.iter(f"{SVG}path")]
        message_colours[words(svg)[1]] = message_colour
        assert contrast("#fff", label_colour) >= 4.5
        assert contrast("#fff", message_colour) >= 4.5, (component.name, message_colour)

    assert sorted(message_colours) == sorted(STATE_WORDS.values())
    assert len(set(message_colours.values())) == 5
    assert words(parse(files["badges/status.svg"])) == ("status", "major outage")


def test_the_site_is_under_maintenance_when_nothing_is_worse():
    site = site_of(
        Component(id="api", name="API"),
        records=[
            Maintenance(
                kind="maintenance",
                id="work",
                title="Work",
                components=["api"],
                scheduled=Window(start=EXAMPLE_NOW, end=EXAMPLE_NOW + timedelta(hours=1)),
            )
        ],
    )
    status = parse(badge_files(site, EXAMPLE_NOW)["badges/status.svg"])

    assert status.get("aria-label") == "status: maintenance"


# -- awkward names -----------------------------------------------------------------------------
AWKWARD = "R&D <beta> \"edge\" & 'co'"


def test_a_name_with_markup_characters_stays_escaped_and_intact():
    data = badge_files(site_of(Component(id="rnd", name=AWKWARD)), EXAMPLE_NOW)["badges/rnd.svg"]

    assert b"R&amp;D &lt;beta&gt;" in data
    assert b'aria-label="R&amp;D &lt;beta&gt; &quot;edge&quot;' in data
    svg = parse(data)
    assert words(svg) == (AWKWARD, "operational")
    assert svg.get("aria-label") == svg.find(f"{SVG}title").text == f"{AWKWARD}: operational"


def test_longer_text_makes_a_wider_badge():
    short = Component(id="api", name="API")
    long = Component(id="long", name="Public API and webhooks in the European region")
    files = badge_files(site_of(short, long), EXAMPLE_NOW)

    assert (
        int(parse(files["badges/long.svg"]).get("width"))
        > int(parse(files["badges/api.svg"]).get("width")) + 200
    )
    # Per character, not per count of characters.
    assert text_width("WWWWW") > text_width("iiiii") * 2
    assert text_width("東京") > text_width("ab")


def test_a_component_cannot_take_the_site_badges_name():
    """The settings refuse it, so no component badge can overwrite badges/status.svg."""
    with pytest.raises(ValidationError, match="taken by the overall status badge"):
        SiteSettings(components=[Component(id="status", name="Status page")])


# -- as a browser draws them -------------------------------------------------------------------
LONG_NAMES = [
    "Reports, exports and scheduled deliveries (EU)",
    "WWWWW MMMMM @@@@@ %%%%% mmmmm",
    AWKWARD,
    "Zürich – Société Générale — Ünïcödé",
]

MEASURE = """() => [...document.querySelectorAll('svg')].map(svg => {
  const boxes = [...svg.querySelectorAll('path')].map(path => path.getBBox());
  const texts = [...svg.querySelectorAll('text')].filter(text => !text.hasAttribute('fill'));
  return texts.map((text, index) => {
    const drawn = text.getBBox();
    const allotted = Number(text.getAttribute('textLength'));
    text.removeAttribute('textLength');
    const natural = text.getComputedTextLength();
    text.setAttribute('textLength', allotted);
    const box = boxes[index];
    return {text: text.textContent, natural, allotted, left: drawn.x - box.x,
            right: box.x + box.width - (drawn.x + drawn.width)};
  });
}).flat()"""


def test_long_names_fit_inside_their_badges_in_a_browser():
    """Chromium draws the text in the font it has (DejaVu Sans here, where Verdana is missing):
    the widths estimated leave room for it, and the text stays inside its box."""
    reason = browser_missing_reason()
    if reason:
        tool_missing(reason)
    site = site_of(*(Component(id=f"c{n}", name=name) for n, name in enumerate(LONG_NAMES)))
    page = "".join(f"<p>{data.decode()}</p>" for data in badge_files(site, EXAMPLE_NOW).values())

    with launch() as browser:
        tab = browser.new_page()
        tab.set_content(f"<!doctype html><html><body>{page}</body></html>")
        measured = tab.evaluate(MEASURE)

    assert {item["text"] for item in measured} >= set(LONG_NAMES)
    for item in measured:
        assert item["natural"] <= item["allotted"] + 0.5, item  # no squeezing to speak of
        assert item["left"] >= 4 and item["right"] >= 4, item  # padding on both sides
