"""The few visual constants screens share, so an error looks the same everywhere."""

from __future__ import annotations

ERROR_STYLE = "color: #b00020;"
SUCCESS_STYLE = "color: #1b7f3a;"
NOTE_STYLE = "font-style: italic;"
TITLE_STYLE = "font-size: 15pt; font-weight: 600;"
