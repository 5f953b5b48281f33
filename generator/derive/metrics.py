"""Incident metrics, derived from a post-mortem's milestones and never typed in.

Each is named in full wherever it is shown: "MTTR" means repair, recovery, respond or resolve
depending on who says it, so Flare never prints it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from generator.model.postmortem import Milestone, Postmortem


class Metric(StrEnum):
    TIME_TO_DETECT = "time_to_detect"
    TIME_TO_ACKNOWLEDGE = "time_to_acknowledge"
    TIME_TO_MITIGATE = "time_to_mitigate"
    TIME_TO_RESOLVE = "time_to_resolve"
    IMPACT_DURATION = "impact_duration"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()

    @property
    def span(self) -> tuple[Milestone, Milestone]:
        """The two milestones the metric runs between."""
        return _SPANS[self]


_SPANS = {
    Metric.TIME_TO_DETECT: (Milestone.IMPACT_STARTED, Milestone.DETECTED),
    Metric.TIME_TO_ACKNOWLEDGE: (Milestone.DETECTED, Milestone.ACKNOWLEDGED),
    Metric.TIME_TO_MITIGATE: (Milestone.IMPACT_STARTED, Milestone.MITIGATED),
    Metric.TIME_TO_RESOLVE: (Milestone.IMPACT_STARTED, Milestone.RESOLVED),
    Metric.IMPACT_DURATION: (Milestone.IMPACT_STARTED, Milestone.IMPACT_ENDED),
}


@dataclass(frozen=True)
class MetricValue:
    metric: Metric
    value: timedelta | None  # None when a milestone it needs is not marked

    @property
    def label(self) -> str:
        return self.metric.label

    @property
    def start(self) -> Milestone:
        return self.metric.span[0]

    @property
    def end(self) -> Milestone:
        return self.metric.span[1]


def incident_metrics(postmortem: Postmortem) -> list[MetricValue]:
    """Every metric, in the order a reader follows an incident; None where milestones lack."""
    marks = postmortem.milestones
    values = []
    for metric in Metric:
        start, end = metric.span
        known = start in marks and end in marks
        values.append(MetricValue(metric, marks[end] - marks[start] if known else None))
    return values
