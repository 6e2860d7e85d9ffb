"""How many SMS a text costs: GSM-7 (160 a single, 153 per part) or UCS-2 (70 / 67), as the phone network counts.

A text goes as GSM-7 when every character is in the GSM 03.38 default alphabet or its extension table; the
extension characters (`{ } [ ] ~ \\ | ^ €` and the form feed) take two septets each. Anything else — any Cyrillic
letter, an emoji — sends the whole text as UCS-2, where a character outside the Basic Multilingual Plane (most
emoji) takes two 16-bit units.
"""

from __future__ import annotations

from dataclasses import dataclass

GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")
GSM7_SINGLE, GSM7_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67


@dataclass(frozen=True)
class SegmentCount:
    """*units*: septets (GSM-7) or 16-bit units (UCS-2) the text takes; *left*: how many more fit the last part."""

    encoding: str  # "GSM-7" or "UCS-2"
    units: int
    segments: int
    per_segment: int
    left: int

    def describe(self) -> str:
        """`45/160 · 1 SMS` — the counter under a message field."""
        limit = self.per_segment * max(self.segments, 1)
        return f"{self.units}/{limit} · {self.segments} SMS"


def is_gsm7(text: str) -> bool:
    return all(character in GSM7_BASIC or character in GSM7_EXTENSION for character in text)


def count_segments(text: str) -> SegmentCount:
    """Count the parts *text* is split into; an empty text is one (empty) SMS."""
    if is_gsm7(text):
        units = sum(2 if character in GSM7_EXTENSION else 1 for character in text)
        single, part = GSM7_SINGLE, GSM7_PART
        encoding = "GSM-7"
    else:
        units = sum(2 if ord(character) > 0xFFFF else 1 for character in text)
        single, part = UCS2_SINGLE, UCS2_PART
        encoding = "UCS-2"
    if units <= single:
        return SegmentCount(encoding, units, 1, single, single - units)
    segments = -(-units // part)
    return SegmentCount(encoding, units, segments, part, segments * part - units)
