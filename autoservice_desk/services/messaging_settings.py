"""The shop's messaging settings shared by every desk: quiet hours, limits, provider choice, triggers, intervals.

They live in the database (one `messaging_settings` row), not in a desk's TOML file, because whichever desk
delivers must apply the same quiet hours and limits. Provider secrets are in the keyring (messaging_providers).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import delete, select

from autoservice_desk.i18n import N_, _
from autoservice_desk.models.messaging import MaintenanceInterval, MessageTrigger, MessagingSettings
from autoservice_desk.services import audit
from autoservice_desk.services.errors import ConflictError, FieldErrors, PermissionDeniedError, ValidationError
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction

SETTINGS_ROW_ID = 1
SETTINGS_ROLES = ("manager",)
SMS_PROVIDERS = {"": N_("None (messages wait)"), "smsru": N_("SMS.ru"), "smsc": N_("SMSC.ru")}
# The automatic messages, in the order the settings page lists them.
TRIGGERS: dict[str, str] = {
    "booking_created": N_("Booking confirmation"),
    "booking_reminder": N_("Reminder the day before"),
    "car_ready": N_("Car ready"),
    "parts_arrived": N_("Parts have arrived"),
    "visit_follow_up": N_("Next-day follow-up after the visit"),
    "maintenance_due": N_("Maintenance due"),
    "declined_follow_up": N_("Declined recommendations follow-up"),
}


@dataclass(frozen=True)
class MessagingSettingsInfo:
    """The settings as the screens and the delivery job see them; times of day are in *timezone*."""

    timezone: str = "Europe/Moscow"
    language: str = "ru"
    quiet_start_minute: int = 21 * 60
    quiet_end_minute: int = 9 * 60
    daily_limit: int = 3
    reminder_hour: int = 12
    sms_provider: str = ""
    sms_base_url: str = ""
    sms_login: str = ""
    sms_sender: str = ""
    telegram_enabled: bool = False
    telegram_base_url: str = ""
    shop_name: str = ""
    shop_phone: str = ""
    maintenance_months: int = 12
    maintenance_kilometres: int = 15_000
    maintenance_notice_days: int = 14
    declined_follow_up_days: int = 30
    version: int = 0  # 0: never saved (the defaults)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def quiet_start(self) -> time:
        return time(self.quiet_start_minute // 60, self.quiet_start_minute % 60)

    @property
    def quiet_end(self) -> time:
        return time(self.quiet_end_minute // 60, self.quiet_end_minute % 60)

    def local_moment(self, day: datetime, hour: int) -> datetime:
        """*hour*:00 on *day*'s local date, as an aware datetime in the shop's zone."""
        local = day.astimezone(self.zone)
        return datetime(local.year, local.month, local.day, hour, tzinfo=self.zone)

    def next_allowed(self, moment: datetime) -> datetime:
        """*moment*, or the end of the quiet hours it falls into (UTC)."""
        local = moment.astimezone(self.zone)
        minute = local.hour * 60 + local.minute
        start, end = self.quiet_start_minute, self.quiet_end_minute
        quiet = (start <= minute or minute < end) if start > end else (start <= minute < end)
        if start == end or not quiet:
            return moment
        wake = local.replace(hour=end // 60, minute=end % 60, second=0, microsecond=0)
        if wake <= local:
            wake = (local + timedelta(days=1)).replace(hour=end // 60, minute=end % 60, second=0, microsecond=0)
        return wake.astimezone(moment.tzinfo)


@dataclass(frozen=True)
class TriggerInfo:
    code: str
    label: str
    enabled: bool


@dataclass(frozen=True)
class IntervalInfo:
    make: str
    months: int
    kilometres: int


FIELDS = tuple(name for name in asdict(MessagingSettingsInfo()) if name != "version")


def load_settings(uow: UnitOfWork) -> MessagingSettingsInfo:
    """The settings inside *uow* (the defaults until someone saves them)."""
    row = uow.session.get(MessagingSettings, SETTINGS_ROW_ID)
    if row is None:
        return MessagingSettingsInfo()
    return MessagingSettingsInfo(**{name: getattr(row, name) for name in FIELDS}, version=row.version)


def get_settings(uow_factory: UnitOfWorkFactory) -> MessagingSettingsInfo:
    return run_in_transaction(uow_factory, load_settings, read_only=True)


def _problems(settings: MessagingSettingsInfo) -> dict[str, str]:
    problems: dict[str, str] = {}
    try:
        ZoneInfo(settings.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        problems["timezone"] = _("Unknown time zone: {zone}.").format(zone=settings.timezone)
    for name in ("quiet_start_minute", "quiet_end_minute"):
        if not 0 <= getattr(settings, name) < 24 * 60:
            problems[name] = _("A time of day must be between 00:00 and 23:59.")
    if not 0 <= settings.reminder_hour <= 23:
        problems["reminder_hour"] = _("The hour must be between 0 and 23.")
    for name in ("daily_limit", "maintenance_months", "maintenance_kilometres", "maintenance_notice_days",
                 "declined_follow_up_days"):  # fmt: skip
        if getattr(settings, name) <= 0:
            problems[name] = _("The value must be greater than zero.")
    if settings.sms_provider not in SMS_PROVIDERS:
        problems["sms_provider"] = _("Unknown SMS provider: {name}.").format(name=settings.sms_provider)
    for name in ("sms_base_url", "telegram_base_url"):
        url = getattr(settings, name).strip()
        if url and not url.startswith(("https://", "http://")):
            problems[name] = _("The address must start with https://.")
    return problems


def require_settings_editor(uow: UnitOfWork) -> None:
    if not uow.actor.has_role(*SETTINGS_ROLES):
        raise PermissionDeniedError(_("Only a manager can change the messaging settings."))


def update_settings(uow_factory: UnitOfWorkFactory, settings: MessagingSettingsInfo) -> MessagingSettingsInfo:
    """Save *settings* (edited from what `get_settings` returned, `version` unchanged); refused if stale."""
    if problems := _problems(settings):
        raise FieldErrors(problems)

    def work(uow: UnitOfWork) -> MessagingSettingsInfo:
        require_settings_editor(uow)
        row = uow.session.get(MessagingSettings, SETTINGS_ROW_ID, with_for_update=True)
        before = load_settings(uow)
        if before.version != settings.version:
            raise ConflictError(_("Someone else has changed the messaging settings; look at them again."))
        if row is None:
            row = MessagingSettings(id=SETTINGS_ROW_ID)
            uow.session.add(row)
        for name in FIELDS:
            setattr(row, name, getattr(settings, name))
        uow.session.flush()
        after = load_settings(uow)
        audit.record(uow, "messaging_settings", SETTINGS_ROW_ID, "update", asdict(before), asdict(after))
        uow.mark_changed("messaging_settings", SETTINGS_ROW_ID)
        uow.commit()
        return after

    return run_in_transaction(uow_factory, work)


def trigger_enabled(uow: UnitOfWork, code: str) -> bool:
    """Whether the automatic message *code* is on (every trigger is on until switched off)."""
    row = uow.session.get(MessageTrigger, code)
    return True if row is None else row.enabled


def list_triggers(uow_factory: UnitOfWorkFactory) -> list[TriggerInfo]:
    def work(uow: UnitOfWork) -> list[TriggerInfo]:
        return [TriggerInfo(code, _(label), trigger_enabled(uow, code)) for code, label in TRIGGERS.items()]

    return run_in_transaction(uow_factory, work, read_only=True)


def set_trigger_enabled(uow_factory: UnitOfWorkFactory, code: str, enabled: bool) -> None:
    if code not in TRIGGERS:
        raise ValidationError(_("Unknown automatic message: {code}.").format(code=code), "code")

    def work(uow: UnitOfWork) -> None:
        require_settings_editor(uow)
        row = uow.session.get(MessageTrigger, code)
        before = True if row is None else row.enabled
        if row is None:
            uow.session.add(MessageTrigger(code=code, enabled=enabled))
        else:
            row.enabled = enabled
        audit.record(uow, "message_trigger", code, "update", {"enabled": before}, {"enabled": enabled})
        uow.mark_changed("messaging_settings", code)
        uow.commit()

    run_in_transaction(uow_factory, work)


def list_intervals(uow_factory: UnitOfWorkFactory) -> list[IntervalInfo]:
    def work(uow: UnitOfWork) -> list[IntervalInfo]:
        rows = uow.session.scalars(select(MaintenanceInterval).order_by(MaintenanceInterval.make))
        return [IntervalInfo(row.make, row.months, row.kilometres) for row in rows]

    return run_in_transaction(uow_factory, work, read_only=True)


def set_interval(uow_factory: UnitOfWorkFactory, make: str, months: int, kilometres: int) -> None:
    """Set the maintenance interval of *make* (upper-cased); replaces the one there was."""
    key = " ".join(make.split()).upper()
    problems = {}
    if not key:
        problems["make"] = _("Enter the make.")
    if months <= 0:
        problems["months"] = _("The value must be greater than zero.")
    if kilometres <= 0:
        problems["kilometres"] = _("The value must be greater than zero.")
    if problems:
        raise FieldErrors(problems)

    def work(uow: UnitOfWork) -> None:
        require_settings_editor(uow)
        uow.session.execute(delete(MaintenanceInterval).where(MaintenanceInterval.make == key))
        uow.session.add(MaintenanceInterval(make=key, months=months, kilometres=kilometres))
        audit.record(uow, "maintenance_interval", key, "update", None, {"months": months, "kilometres": kilometres})
        uow.mark_changed("messaging_settings", key)
        uow.commit()

    run_in_transaction(uow_factory, work)


def remove_interval(uow_factory: UnitOfWorkFactory, make: str) -> None:
    key = " ".join(make.split()).upper()

    def work(uow: UnitOfWork) -> None:
        require_settings_editor(uow)
        uow.session.execute(delete(MaintenanceInterval).where(MaintenanceInterval.make == key))
        audit.record(uow, "maintenance_interval", key, "delete")
        uow.mark_changed("messaging_settings", key)
        uow.commit()

    run_in_transaction(uow_factory, work)
