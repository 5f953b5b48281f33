"""Status badges: small SVG images of the overall state and each component's, for READMEs.

``badges/status.svg`` says ``status | degraded performance``; ``badges/<component id>.svg``
says ``<component name> | <its state>``. They are drawn in the familiar "flat" badge shape: a
grey label on the left and the state's colour on the right, rounded outer corners, white
Verdana 11px text with a faint shadow.

Widths come from a table of Verdana's advance widths at 11px, a little generous, and each text
also carries ``textLength`` so that a renderer with another font fits it to the same width
instead of letting it spill over. The colours are the site's own light palette
(:mod:`generator.render.palette`), all dark enough for white text (WCAG AA, 4.5:1). The document
is built with ElementTree, so every name is escaped on the way out, and it names itself for
screen readers (``role="img"``, an ``aria-label`` and a ``<title>``).
"""

from __future__ import annotations

import math
import unicodedata
import xml.etree.ElementTree as ET

from generator.derive.snapshot import Snapshot
from generator.model.components import ComponentState
from generator.render.format import SHORT_STATE_LABELS
from generator.render.links import BADGES, SiteLinks
from generator.render.markup import xml_text
from generator.render.palette import LIGHT

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
OVERALL_BADGE = "status"
OVERALL_LABEL = "status"

LABEL_COLOUR = "#555"

HEIGHT = 20
RADIUS = 3
PADDING = 6  # on each side of a text
FONT_FAMILY = "Verdana,Geneva,DejaVu Sans,sans-serif"
FONT_SIZE = 11
BASELINE = 14

# Advance widths at 11px, approximately, of Verdana or of DejaVu Sans (what Linux shows in its
# place), whichever is wider, rounded up to a tenth of a pixel.
_WIDTHS: dict[str, float] = {
    " ": 3.9,
    "!": 4.5,
    '"': 5.1,
    "#": 9.3,
    "$": 7.0,
    "%": 11.9,
    "&": 8.6,
    "'": 3.1,
    "(": 5.0,
    ")": 5.0,
    "*": 7.0,
    "+": 9.3,
    ",": 4.1,
    "-": 5.0,
    ".": 4.1,
    "/": 5.0,
    ":": 5.0,
    ";": 5.0,
    "<": 9.3,
    "=": 9.3,
    ">": 9.3,
    "?": 6.0,
    "@": 11.0,
    "[": 5.0,
    "\\": 5.0,
    "]": 5.0,
    "^": 9.3,
    "_": 7.0,
    "`": 7.0,
    "{": 7.0,
    "|": 5.0,
    "}": 7.0,
    "~": 9.3,
    **dict.fromkeys("0123456789", 7.0),
    "A": 7.8,
    "B": 7.6,
    "C": 7.7,
    "D": 8.5,
    "E": 7.0,
    "F": 6.4,
    "G": 8.6,
    "H": 8.3,
    "I": 5.1,
    "J": 5.0,
    "K": 7.7,
    "L": 6.2,
    "M": 9.5,
    "N": 8.3,
    "O": 8.7,
    "P": 6.7,
    "Q": 8.7,
    "R": 7.7,
    "S": 7.6,
    "T": 6.8,
    "U": 8.1,
    "V": 7.6,
    "W": 11.0,
    "X": 7.6,
    "Y": 6.8,
    "Z": 7.6,
    "a": 6.8,
    "b": 7.0,
    "c": 6.1,
    "d": 7.0,
    "e": 6.8,
    "f": 3.9,
    "g": 7.0,
    "h": 7.0,
    "i": 3.1,
    "j": 3.8,
    "k": 6.6,
    "l": 3.1,
    "m": 10.8,
    "n": 7.0,
    "o": 6.8,
    "p": 7.0,
    "q": 7.0,
    "r": 4.8,
    "s": 5.8,
    "t": 4.4,
    "u": 7.0,
    "v": 6.6,
    "w": 9.1,
    "x": 6.6,
    "y": 6.6,
    "z": 5.9,
}
_WIDE = 11.0  # a full-width character (CJK and the like): one em
_UNKNOWN = 8.0  # anything else the table lacks: wider than most letters


def files(snapshot: Snapshot, links: SiteLinks) -> dict[str, bytes]:
    """``badges/status.svg`` for the whole site and ``badges/<id>.svg`` for each component.

    The settings refuse a component whose id is ``status``, which would replace the site's.
    """
    badges = {f"{BADGES}{OVERALL_BADGE}.svg": badge_svg(OVERALL_LABEL, snapshot.overall)}
    for component in snapshot.settings.components:
        badges[f"{BADGES}{component.id}.svg"] = badge_svg(
            component.name, snapshot.states[component.id]
        )
    return badges


def badge_svg(label: str, state: ComponentState) -> bytes:
    """A flat badge: ``label`` on grey, the state's message on the state's colour."""
    label = xml_text(label)  # a control character would make the whole image unreadable
    message = SHORT_STATE_LABELS[state]
    label_width = _box_width(label)
    message_width = _box_width(message)
    width = label_width + message_width
    name = f"{label}: {message}"

    svg = ET.Element(
        "svg",
        {
            "xmlns": SVG_NAMESPACE,
            "width": str(width),
            "height": str(HEIGHT),
            "viewBox": f"0 0 {width} {HEIGHT}",
            "role": "img",
            "aria-label": name,
        },
    )
    ET.SubElement(svg, "title").text = name
    r = RADIUS
    # The label's box with its left corners rounded, the message's with its right ones.
    ET.SubElement(
        svg,
        "path",
        {
            "fill": LABEL_COLOUR,
            "d": f"M{r} 0H{label_width}V{HEIGHT}H{r}A{r} {r} 0 0 1 0 {HEIGHT - r}"
            f"V{r}A{r} {r} 0 0 1 {r} 0Z",
        },
    )
    ET.SubElement(
        svg,
        "path",
        {
            "fill": LIGHT.states[state],
            "d": f"M{label_width} 0H{width - r}A{r} {r} 0 0 1 {width} {r}V{HEIGHT - r}"
            f"A{r} {r} 0 0 1 {width - r} {HEIGHT}H{label_width}Z",
        },
    )
    text = ET.SubElement(
        svg,
        "g",
        {
            "fill": "#fff",
            "text-anchor": "middle",
            "font-family": FONT_FAMILY,
            "font-size": str(FONT_SIZE),
            "aria-hidden": "true",
        },
    )
    for content, left, box in ((label, 0, label_width), (message, label_width, message_width)):
        for fill, y, opacity in (("#010101", BASELINE + 1, ".3"), (None, BASELINE, None)):
            attributes = {
                "x": _number(left + box / 2),
                "y": str(y),
                "textLength": _number(box - 2 * PADDING),
            }
            if fill:
                attributes.update({"fill": fill, "fill-opacity": opacity})
            ET.SubElement(text, "text", attributes).text = content
    return ET.tostring(svg, encoding="unicode").encode("utf-8")


def text_width(text: str) -> float:
    """About how wide ``text`` is in Verdana 11px, erring wide."""
    return sum(_character_width(character) for character in text)


def _character_width(character: str) -> float:
    if character in _WIDTHS:
        return _WIDTHS[character]
    if unicodedata.combining(character):
        return 0.0
    if unicodedata.east_asian_width(character) in ("W", "F"):
        return _WIDE
    base = unicodedata.normalize("NFD", character)[0]  # É is as wide as E
    return _WIDTHS.get(base, _UNKNOWN)


def _box_width(text: str) -> int:
    return math.ceil(text_width(text)) + 2 * PADDING


def _number(value: float) -> str:
    """A coordinate without a needless ``.0``: ``40`` or ``40.5``."""
    return f"{value:g}"
