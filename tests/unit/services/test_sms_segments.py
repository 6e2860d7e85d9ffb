"""SMS length counting: GSM-7 160/153 with the extension table counting double, UCS-2 70/67, emoji as pairs."""

from __future__ import annotations

import pytest

from autoservice_desk.services.sms_segments import count_segments


@pytest.mark.parametrize(
    ("text", "encoding", "units", "segments"),
    [
        ("", "GSM-7", 0, 1), ("a" * 160, "GSM-7", 160, 1), ("a" * 161, "GSM-7", 161, 2), ("a" * 306, "GSM-7", 306, 2),
        ("a" * 307, "GSM-7", 307, 3), ("{" * 80, "GSM-7", 160, 1), ("€" * 81, "GSM-7", 162, 2),
        ("Ж" * 70, "UCS-2", 70, 1), ("Ж" * 71, "UCS-2", 71, 2), ("Ж" * 134, "UCS-2", 134, 2),
        ("Ж" * 135, "UCS-2", 135, 3), ("a" * 69 + "😀", "UCS-2", 71, 2), ("Ваша машина готова", "UCS-2", 18, 1),
    ],
)  # fmt: skip
def test_segments(text: str, encoding: str, units: int, segments: int) -> None:
    count = count_segments(text)
    assert (count.encoding, count.units, count.segments) == (encoding, units, segments)
    assert count.left == count.per_segment * count.segments - units


def test_the_counter_line() -> None:
    assert count_segments("Ж" * 71).describe() == "71/134 · 2 SMS"
