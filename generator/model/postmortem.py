"""Blameless post-mortems: the ``postmortem:`` mapping of an incident, written in stages.

A team publishes a first account within an hour of resolution (``immediate``), a summary for
the business within 24 hours (``24h``) and the full analysis within 7 business days
(``analysis``). ``stage`` says how far it is written; the declared stage may be a draft, and
publishing it (a time under ``published:``) is a decision of its own. Every field is optional in
the model; what a stage requires is stated in ``STAGE_REQUIREMENTS`` and checked by
:func:`missing_for_stage` for the stages published, so an author is told exactly which field a
stage still needs before it goes out.

Anything can be kept off the public site: list whole fields under ``internal:``, or mark a
single responder, timeline event, contributing factor or action item, the triage, or the
business or team impact ``internal: true``.
:meth:`Postmortem.public` drops all of it, and the site is built from that public copy only.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import Field, NonNegativeInt, PositiveInt, StringConstraints

from generator.model.components import Name, Text
from generator.model.fields import Model, RecordId, Timestamp

HttpUrl = Annotated[str, StringConstraints(pattern=r"^https?://\S+$")]


class Stage(StrEnum):
    IMMEDIATE = "immediate"
    DAY = "24h"
    ANALYSIS = "analysis"

    @property
    def rank(self) -> int:
        return list(Stage).index(self)

    @property
    def label(self) -> str:
        return {
            Stage.IMMEDIATE: "First account",
            Stage.DAY: "Summary",
            Stage.ANALYSIS: "Full analysis",
        }[self]

    @property
    def promise(self) -> str:
        return {
            Stage.IMMEDIATE: "within 1 hour of resolution",
            Stage.DAY: "within 24 hours of resolution",
            Stage.ANALYSIS: "within 7 business days of resolution",
        }[self]

    def due(self, resolved_at: datetime) -> datetime:
        """When this stage is due, counted from the incident's resolution."""
        if self is Stage.IMMEDIATE:
            return resolved_at + timedelta(hours=1)
        if self is Stage.DAY:
            return resolved_at + timedelta(hours=24)
        return add_business_days(resolved_at, 7)

    @property
    def next(self) -> Stage | None:
        stages = list(Stage)
        return stages[self.rank + 1] if self.rank + 1 < len(stages) else None


def add_business_days(start: datetime, days: int) -> datetime:
    """``days`` working days (Monday to Friday) after ``start``, at the same time of day."""
    moment = start
    while days:
        moment += timedelta(days=1)
        if moment.weekday() < 5:
            days -= 1
    return moment


class Milestone(StrEnum):
    """Moments of an incident's life, each marked at most once on the timeline."""

    IMPACT_STARTED = "impact_started"
    DETECTED = "detected"
    ACKNOWLEDGED = "acknowledged"
    IDENTIFIED = "identified"
    MITIGATED = "mitigated"
    IMPACT_ENDED = "impact_ended"
    RESOLVED = "resolved"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class ActionType(StrEnum):
    PREVENT = "prevent"
    MITIGATE = "mitigate"
    DETECT = "detect"
    REPAIR = "repair"
    INVESTIGATE = "investigate"
    PROCESS = "process"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class Priority(StrEnum):
    P0 = "P0"
    P1 = "P1"
    P2 = "P2"
    P3 = "P3"


class ActionStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    WONT_FIX = "wont_fix"

    @property
    def label(self) -> str:
        return {"wont_fix": "Won't fix"}.get(self.value, self.value.replace("_", " ").capitalize())

    @property
    def is_closed(self) -> bool:
        return self in (ActionStatus.DONE, ActionStatus.WONT_FIX)


class ResponderRole(StrEnum):
    """The roles of an incident response, as incident command systems name them."""

    INCIDENT_COMMAND = "incident command"
    COMMUNICATION = "communication"
    OPERATIONS = "operations"
    PLANNING = "planning"
    SCRIBE = "scribe"
    SUBJECT_MATTER_EXPERT = "subject-matter expert"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class Responder(Model):
    name: Name
    role: Text = Field(
        description="A known role (incident command, communication, operations, planning, "
        "scribe, subject-matter expert), free text beside it allowed: operations (storage)."
    )
    internal: bool = False

    @property
    def known_role(self) -> ResponderRole | None:
        """The known role the ``role`` text begins with; None for a role of the team's own."""
        text = " ".join(self.role.lower().replace("-", " ").split())
        for role in sorted(ResponderRole, key=lambda role: -len(role.value)):
            name = role.value.replace("-", " ")
            if text == name or text.startswith((f"{name} ", f"{name}s", f"{name},")):
                return role
        return None


class TimelineEvent(Model):
    at: Timestamp
    text: Text = Field(description="What happened, in Markdown.")
    milestone: Milestone | None = None
    internal: bool = False


class FactorCategory(StrEnum):
    """What kind of circumstance a contributing factor is, so that the reliability report can
    show the kinds that keep coming back."""

    CHANGE = "change"  # a deploy, a migration, a configuration push
    CONFIGURATION = "configuration"
    CAPACITY = "capacity"
    DEPENDENCY = "dependency"  # a vendor, another team's service
    HARDWARE = "hardware"
    SOFTWARE = "software"  # a defect in code
    PROCESS = "process"  # a runbook, a handover, an on-call rule
    MONITORING = "monitoring"  # detection came late or not at all
    UNKNOWN = "unknown"

    @property
    def label(self) -> str:
        # Not "Monitoring", which is an incident's status: the category is a gap in detection.
        return "Monitoring and alerting" if self is FactorCategory.MONITORING else self.title()


class ContributingFactor(Model):
    text: Text = Field(description="A circumstance, never a person, in Markdown.")
    category: FactorCategory | None = Field(
        default=None, description="change, configuration, capacity, dependency, hardware, ..."
    )
    evidence: list[HttpUrl] = Field(default_factory=list, description="Links to graphs, logs.")
    internal: bool = False


class Likelihood(StrEnum):
    UNLIKELY = "unlikely"
    POSSIBLE = "possible"
    LIKELY = "likely"
    ALMOST_CERTAIN = "almost_certain"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class Forecast(Model):
    """How likely the incident is to happen again, and when, as the analysis judges it."""

    likelihood: Likelihood
    horizon: Text | None = Field(default=None, description="When, e.g. within 6 months.")
    reasoning: Text | None = Field(default=None, description="Why, in Markdown.")


class BusinessImpact(Model):
    """What the incident cost the business beside its users' time: revenue, contracts."""

    description: Text = Field(description="Revenue or contracts affected, in Markdown.")
    amount: float | None = Field(
        default=None, ge=0, allow_inf_nan=False, description="An estimate, in the site's currency."
    )
    internal: bool = False


class TeamImpact(Model):
    """What the incident cost the team: nights, planned work, the sprint."""

    paged_out_of_hours: NonNegativeInt | None = Field(
        default=None, description="How many people were paged outside working hours."
    )
    pulled_from_planned_work: NonNegativeInt | None = Field(
        default=None, description="How many people left planned work for it."
    )
    description: Text | None = Field(
        default=None, description="Sprint disruption and anything else, in Markdown."
    )
    internal: bool = False


class PostmortemImpact(Model):
    description: Text | None = Field(default=None, description="What customers experienced.")
    users_affected: NonNegativeInt | Text | None = Field(
        default=None, description="A number, or an estimate with its method."
    )
    users_reported: NonNegativeInt | None = Field(
        default=None, description="How many customers told us."
    )
    support_tickets: NonNegativeInt | None = None
    areas: list[Text] = Field(default_factory=list, description="Parts of the product affected.")
    data_loss: Text | None = Field(default=None, description="Whether data was lost, and what.")
    business: BusinessImpact | None = None
    team: TeamImpact | None = None


class Triage(Model):
    """The first minutes' decisions: how the severity was judged, and who was called."""

    judged: Text = Field(
        description="How the severity was judged: the signals, the rule applied, in Markdown."
    )
    called: list[Text] = Field(
        default_factory=list,
        description="Who was called, and how: the on-call engineer by page, the storage team.",
    )
    internal: bool = False


class Lessons(Model):
    went_well: list[Text] = Field(default_factory=list)
    went_wrong: list[Text] = Field(default_factory=list)
    lucky: list[Text] = Field(default_factory=list, description="Where we got lucky.")


class ActionItem(Model):
    title: Text = Field(description="A finished end state, verb first.")
    type: ActionType
    priority: Priority
    owner: Text | None = None
    ticket: HttpUrl | None = Field(
        default=None, description="Required unless the status is wont_fix with a reason."
    )
    status: ActionStatus = ActionStatus.OPEN
    due: date | None = None
    reason: Text | None = Field(default=None, description="Why it will not be done (wont_fix).")
    internal: bool = False

    def is_overdue(self, today: date) -> bool:
        return not self.status.is_closed and self.due is not None and self.due < today


class EffortPhase(StrEnum):
    """Where an incident's time goes, in the order it is spent: the response, then what comes
    after it. Fixing is a small part: the interruption itself (wrapping up the task at hand, and
    refocusing on it afterwards) and the follow-up cost as much."""

    RESPOND = "respond"  # to the alert
    WRAP_UP = "wrap_up"  # the task at hand, to be interrupted
    CLASSIFY = "classify"  # what it is, how severe
    GATHER = "gather"  # the responders
    COORDINATE = "coordinate"
    COLLECT = "collect"  # information
    DIAGNOSE = "diagnose"
    COMMUNICATE = "communicate"
    DEVISE_FIX = "devise_fix"
    IMPLEMENT_FIX = "implement_fix"
    TEST_FIX = "test_fix"
    DEPLOY_FIX = "deploy_fix"
    VERIFY_FIX = "verify_fix"
    SUMMARISE = "summarise"
    TRACK_IMPACT = "track_impact"  # judge and track the impact
    ANALYSE = "analyse"  # the causes
    DEVISE_CHANGES = "devise_changes"  # systemic ones
    IMPLEMENT_CHANGES = "implement_changes"
    RETROSPECTIVE = "retrospective"  # communicate it
    REFOCUS = "refocus"  # on the work the incident interrupted

    @property
    def label(self) -> str:
        return PHASE_LABELS[self]

    @property
    def is_interrupt(self) -> bool:
        """Time an incident costs by interrupting other work, which a fix-time figure hides."""
        return self in (EffortPhase.WRAP_UP, EffortPhase.REFOCUS)


PHASE_LABELS = {
    EffortPhase.RESPOND: "Responding to the alert",
    EffortPhase.WRAP_UP: "Wrapping up the task at hand",
    EffortPhase.CLASSIFY: "Classifying",
    EffortPhase.GATHER: "Gathering responders",
    EffortPhase.COORDINATE: "Coordinating",
    EffortPhase.COLLECT: "Collecting information",
    EffortPhase.DIAGNOSE: "Diagnosing",
    EffortPhase.COMMUNICATE: "Communicating",
    EffortPhase.DEVISE_FIX: "Devising the fix",
    EffortPhase.IMPLEMENT_FIX: "Implementing the fix",
    EffortPhase.TEST_FIX: "Testing the fix",
    EffortPhase.DEPLOY_FIX: "Deploying the fix",
    EffortPhase.VERIFY_FIX: "Verifying the fix",
    EffortPhase.SUMMARISE: "Summarising",
    EffortPhase.TRACK_IMPACT: "Judging and tracking the impact",
    EffortPhase.ANALYSE: "Analysing causes",
    EffortPhase.DEVISE_CHANGES: "Devising systemic changes",
    EffortPhase.IMPLEMENT_CHANGES: "Implementing systemic changes",
    EffortPhase.RETROSPECTIVE: "Communicating the retrospective",
    EffortPhase.REFOCUS: "Refocusing on the interrupted work",
}


class Effort(Model):
    phase: EffortPhase = Field(description="Which phase of the incident's cost, e.g. diagnose.")
    minutes: PositiveInt
    people: PositiveInt = 1
    note: Text | None = Field(default=None, description="What the time went on, if worth saying.")


InternalField = Literal[
    "owner", "authors", "summary", "impact", "triage", "responders", "timeline", "trigger",
    "contributing_factors", "detection", "resolution", "lessons", "action_items", "related",
    "effort", "recurrence_of", "forecast",
]  # fmt: skip


class Postmortem(Model):
    stage: Stage = Field(description="How far it is written: immediate, 24h or analysis.")
    published: dict[Stage, Timestamp] = Field(
        default_factory=dict, description="When each stage reached so far was published."
    )
    owner: Text | None = None
    authors: list[Text] = Field(default_factory=list)
    summary: Text | None = Field(default=None, description="The tl;dr, in Markdown.")
    impact: PostmortemImpact | None = None
    triage: Triage | None = Field(
        default=None, description="How the severity was judged, and who was called."
    )
    responders: list[Responder] = Field(default_factory=list)
    timeline: list[TimelineEvent] = Field(default_factory=list)
    trigger: Text | None = None
    contributing_factors: list[ContributingFactor] = Field(default_factory=list)
    detection: Text | None = None
    resolution: Text | None = None
    lessons: Lessons | None = None
    action_items: list[ActionItem] = Field(default_factory=list)
    related: list[RecordId] = Field(default_factory=list, description="Ids of other incidents.")
    recurrence_of: RecordId | None = Field(
        default=None,
        description="An earlier incident this one repeats: the same lead-up and cause, without "
        "a long-term fix yet.",
    )
    forecast: Forecast | None = Field(
        default=None, description="How likely it is to happen again, and when (analysis)."
    )
    effort: list[Effort] = Field(default_factory=list)
    imported: Text | None = Field(
        default=None,
        description="A post-mortem written before the move to Flare (flare import), kept whole "
        "in Markdown: it stands in for the fields the first account (immediate) requires.",
    )
    internal: list[InternalField] = Field(
        default_factory=list, description="Fields kept off the public site."
    )

    @property
    def milestones(self) -> dict[Milestone, datetime]:
        """Each milestone's time; the first mark wins should validation have been skipped."""
        marks: dict[Milestone, datetime] = {}
        for event in self.timeline:
            if event.milestone is not None:
                marks.setdefault(event.milestone, event.at)
        return marks

    @property
    def sorted_timeline(self) -> list[TimelineEvent]:
        return sorted(self.timeline, key=lambda event: event.at)

    def public(self) -> Postmortem:
        """This post-mortem without anything marked internal: what the public site may show."""
        cleared: dict[str, Any] = {}
        for name in self.internal:
            cleared[name] = _default_of(type(self), name)
        for name in ("responders", "timeline", "contributing_factors", "action_items"):
            if name not in cleared:
                cleared[name] = [item for item in getattr(self, name) if not item.internal]
        if self.triage is not None and self.triage.internal:
            cleared["triage"] = None
        impact = cleared.get("impact", self.impact)
        if impact is not None:  # business and team impact, each public or internal
            cleared["impact"] = impact.model_copy(
                update={
                    name: None
                    for name in ("business", "team")
                    if (part := getattr(impact, name)) is not None and part.internal
                }
            )
        return self.model_copy(update={**cleared, "internal": []})

    # -- what is public at an instant ------------------------------------------------------------
    @property
    def published_stage(self) -> Stage | None:
        """The latest stage published, whenever; None while the whole post-mortem is a draft.

        ``stage`` says how far it is written: the declared stage may be a draft, published
        when the author decides (``flare postmortem ID --publish``)."""
        out = [
            stage for stage in Stage if stage.rank <= self.stage.rank and stage in self.published
        ]
        return out[-1] if out else None

    @property
    def is_draft(self) -> bool:
        """Whether the declared stage is written but not yet published."""
        return self.stage not in self.published

    def published_by(self, instant: datetime) -> dict[Stage, datetime]:
        """The stages reached so far and published at or before ``instant``, in stage order."""
        return {
            stage: self.published[stage]
            for stage in Stage
            if stage.rank <= self.stage.rank
            and stage in self.published
            and self.published[stage] <= instant
        }

    def as_published_at(self, stage: Stage) -> Postmortem:
        """The post-mortem as it reads at ``stage``: what only later stages require is left out,
        since a later stage's fields are drafts until that stage is published."""
        shown = self
        for later in Stage:
            if later.rank > stage.rank:
                for path in (*STAGE_REQUIREMENTS[later], *STAGE_OPTIONS.get(later, ())):
                    shown = _cleared(shown, path)
        return shown


def _cleared(model: Any, path: tuple[str, ...]) -> Any:
    """``model`` with the field at ``path`` back to its default."""
    name, rest = path[0], path[1:]
    if rest:
        inner = getattr(model, name)
        return model if inner is None else model.model_copy(update={name: _cleared(inner, rest)})
    return model.model_copy(update={name: _default_of(type(model), name)})


def _default_of(kind: type[Model], name: str) -> Any:
    """The default of the field ``name``. The factories here take no arguments; pydantic's
    get_default would inspect each one's signature on every call, a second of a big build."""
    field = kind.model_fields[name]
    return field.default if field.default_factory is None else field.default_factory()  # type: ignore[call-arg]


# What each stage needs, as field paths; a stage needs its own and every earlier stage's.
STAGE_REQUIREMENTS: dict[Stage, tuple[tuple[str, ...], ...]] = {
    Stage.IMMEDIATE: (
        ("owner",),
        ("impact", "description"),
        ("responders",),
        ("timeline",),
        ("resolution",),
    ),
    Stage.DAY: (
        ("summary",),
        ("impact", "users_affected"),
        ("impact", "users_reported"),
        ("impact", "areas"),
        ("action_items",),
    ),
    Stage.ANALYSIS: (
        ("authors",),
        ("trigger",),
        ("contributing_factors",),
        ("detection",),
        ("impact", "data_loss"),
        ("lessons", "went_well"),
        ("lessons", "went_wrong"),
        ("lessons", "lucky"),
    ),
}


# What a stage may add without requiring it: kept off the earlier stages all the same.
STAGE_OPTIONS: dict[Stage, tuple[tuple[str, ...], ...]] = {Stage.ANALYSIS: (("forecast",),)}


def missing_for_stage(postmortem: Postmortem) -> list[tuple[tuple[str, ...], Stage]]:
    """The fields the published stages require and the post-mortem lacks: a stage drafted but
    not published yet may still lack some (publishing it checks them). An imported post-mortem's
    text stands in for the first account's fields."""
    missing = []
    published = postmortem.published_stage
    for stage in Stage:
        if published is None or stage.rank > published.rank:
            break
        if stage is Stage.IMMEDIATE and postmortem.imported is not None:
            continue  # an imported post-mortem names no owner or responders it never had
        missing.extend(
            (path, stage) for path in STAGE_REQUIREMENTS[stage] if lacks(postmortem, path)
        )
    return missing


def lacks(postmortem: Postmortem, path: tuple[str, ...]) -> bool:
    """Whether the field at ``path`` is missing or empty."""
    value: Any = postmortem
    for name in path:
        value = getattr(value, name, None) if value is not None else None
    return value is None or value == [] or value == ""
