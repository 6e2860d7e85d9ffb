"""Tooltip rich text for the schedule grid: a booking's details or a row's name, every piece of data escaped."""

from __future__ import annotations

import html

from autoservice_desk.formatting import format_date
from autoservice_desk.i18n import N_, _
from autoservice_desk.services.schedule_view import BookingStatus, GridBooking, GridRow

STATUS_LABELS = {
    BookingStatus.BOOKED: N_("Booked"), BookingStatus.CONFIRMED: N_("Confirmed"), BookingStatus.ARRIVED: N_("Arrived"),
    BookingStatus.IN_WORK: N_("In work"), BookingStatus.DONE: N_("Done"), BookingStatus.NO_SHOW: N_("No-show"),
    BookingStatus.CANCELLED: N_("Cancelled"),
}  # fmt: skip


def booking_tooltip(booking: GridBooking, refusal: str | None = None) -> str:
    """Everything about a booking as tooltip rich text (all data escaped: names may hold "<")."""
    start, end = booking.starts_at, booking.ends_at
    when = f"{format_date(start.date())}, {start:%H:%M}–{end:%H:%M}"
    if end.date() != start.date():
        when = f"{format_date(start.date())} {start:%H:%M} – {format_date(end.date())} {end:%H:%M}"
    lines = [f"<b>{html.escape(booking.client_name)}</b>",
             html.escape(" · ".join(part for part in (booking.car, booking.plate) if part)),
             html.escape(booking.jobs), html.escape(when),
             html.escape(_("Status: {status}").format(status=_(STATUS_LABELS[booking.status])))]  # fmt: skip
    if booking.is_test_drive:
        lines.append(f"<i>{html.escape(_('Test drive'))}</i>")
    if booking.comment:
        lines.append(html.escape(booking.comment))
    if refusal:
        lines.append(f"<span style='color:#c62828'>{html.escape(refusal)}</span>")
    return "<br>".join(line for line in lines if line)


def row_tooltip(row: GridRow) -> str:
    """A row header's tooltip: its full name (it may be cut on screen), and whether it is a lift."""
    return html.escape(row.name) + (f"<br>{html.escape(_('Lift'))}" if row.is_lift else "")
