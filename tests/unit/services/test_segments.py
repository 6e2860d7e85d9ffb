"""Segment rules: each segment from its documented visit pattern, thresholds from the rules object."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from autoservice_desk.services.segments import Segment, SegmentRules, VisitHistory, segment_of

TODAY = date(2026, 11, 22)
RULES = SegmentRules(new_within_days=90, lost_after_days=365, loyal_min_visits=5)


def days_ago(days: int) -> date:
    return TODAY - timedelta(days=days)


@pytest.mark.parametrize(
    ("history", "expected"),
    [
        (VisitHistory(), Segment.NEW),
        (VisitHistory(1, days_ago(30), None, days_ago(30)), Segment.NEW),
        (VisitHistory(1, days_ago(120), None, days_ago(120)), Segment.ACTIVE),
        (VisitHistory(3, days_ago(700), days_ago(200), days_ago(20)), Segment.ACTIVE),
        (VisitHistory(5, days_ago(900), days_ago(100), days_ago(10)), Segment.LOYAL),
        (VisitHistory(8, days_ago(2000), days_ago(1000), days_ago(400)), Segment.LOST),
        (VisitHistory(4, days_ago(2000), days_ago(500), days_ago(10)), Segment.RETURNED),
        (VisitHistory(9, days_ago(900), days_ago(100), days_ago(10), blocked=True), Segment.BLOCKED),
    ],
)
def test_segment_rules(history: VisitHistory, expected: Segment) -> None:
    assert segment_of(history, TODAY, RULES) is expected


def test_thresholds_come_from_the_rules() -> None:
    history = VisitHistory(3, days_ago(300), days_ago(200), days_ago(100))
    assert segment_of(history, TODAY, RULES) is Segment.ACTIVE
    assert segment_of(history, TODAY, SegmentRules(lost_after_days=60)) is Segment.LOST
    assert segment_of(history, TODAY, SegmentRules(loyal_min_visits=3)) is Segment.LOYAL
