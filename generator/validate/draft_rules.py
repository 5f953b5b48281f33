"""What keeps an unreviewed record off the public site: the text ``flare alert`` drafts is a
placeholder a person rewrites, and publishing is refused while any of it is left.

An alert knows which service failed, not what customers see; its summary is written into the
draft as ``TODO`` text for the person on call to rewrite. The checks return findings as (field
path, message) pairs inside the record, placed in the file by :mod:`generator.validate.records`.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet

from generator.model.records import Incident
from generator.validate.postmortem_rules import PLACEHOLDER, Finding


def unreviewed_placeholders(incident: Incident) -> list[Finding]:
    """Errors: placeholder text flare alert wrote, in a title or an update that is not a draft
    any more. Only records drafted from an alert are read for it: elsewhere "TODO" is the
    author's own word."""
    if incident.alert is None:
        return []
    message = (
        "still the placeholder flare alert wrote; rewrite it for customers (what they see, "
        "what is affected) before it is published"
    )
    findings: list[Finding] = []
    if not incident.draft and PLACEHOLDER in incident.title:
        findings.append((("title",), message))
    findings.extend(
        (("updates", index, "body"), message)
        for index, update in enumerate(incident.updates)
        if not (incident.draft or update.draft) and PLACEHOLDER in update.body
    )
    return findings


def draft_reference(reference: str, drafts: AbstractSet[str]) -> str | None:
    """Why a published record may not name ``reference``: a draft has no page to link to."""
    if reference in drafts:
        return (
            f"{reference!r} is a draft, shown nowhere yet; publish it first "
            f"(flare publish {reference}) or name another incident"
        )
    return None
