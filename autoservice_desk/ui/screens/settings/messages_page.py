"""Settings → Messages: the provider and its keys, the sending rules, the automatic messages and their templates.

The rules live in the database (every desk applies the same), the keys in the keyring; Save writes both.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLineEdit,
    QSpinBox,
    QTimeEdit,
    QWidget,
)

from autoservice_desk.config import SHOP_NAME, SHOP_PHONE, SHOP_TIMEZONE
from autoservice_desk.i18n import N_, _
from autoservice_desk.services.errors import DomainError, FieldErrors, SecretStorageUnavailableError
from autoservice_desk.services.messaging_providers import save_secret
from autoservice_desk.services.messaging_settings import (
    MessagingSettingsInfo,
    TriggerInfo,
    get_settings,
    list_triggers,
    set_trigger_enabled,
    update_settings,
)
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.dialogs.secret_prompt import ask_session_only
from autoservice_desk.ui.screens.settings.messages_intervals import IntervalsBox
from autoservice_desk.ui.screens.settings.messages_provider import ProviderBox
from autoservice_desk.ui.screens.settings.messages_templates import LANGUAGE_NAMES, TemplatesBox
from autoservice_desk.ui.screens.settings.page import SettingsPage
from autoservice_desk.ui.screens.settings.time_zones import time_zone_names

Loaded = tuple[MessagingSettingsInfo, list[TriggerInfo]]
# (settings field, label, minimum, maximum) of the number fields.
NUMBERS = (
    ("daily_limit", N_("Messages per client a day, at most:"), 1, 50),
    ("reminder_hour", N_("Reminders and daily checks at (hour):"), 0, 23),
    ("maintenance_months", N_("Maintenance every (months):"), 1, 60),
    ("maintenance_kilometres", N_("or every (km):"), 1000, 100_000),
    ("maintenance_notice_days", N_("Remind about maintenance ahead (days):"), 1, 90),
    ("declined_follow_up_days", N_("Remind of declined work after (days):"), 1, 365),
)


class MessagesPage(SettingsPage):
    """Loads in the background; Save stores the typed keys in the keyring, then the rules and triggers."""

    def __init__(self, context: ScreenContext, parent: QWidget | None = None) -> None:
        super().__init__(
            context, _("Messages"),
            _("SMS and Telegram messages to clients: the provider, when messages may go, which ones go "
              "automatically and what they say."), parent,
        )  # fmt: skip
        assert context.uow_factory is not None
        self.uow_factory = context.uow_factory
        self.settings = MessagingSettingsInfo()
        self.triggers: list[TriggerInfo] = []
        self.provider = ProviderBox(context)
        self.shop_name = QLineEdit()
        self.shop_phone = QLineEdit()
        self.timezone = QComboBox()
        self.timezone.setEditable(True)
        self.timezone.addItems(time_zone_names())
        self.language = QComboBox()
        for code, name in LANGUAGE_NAMES.items():
            self.language.addItem(_(name), code)
        self.quiet_start, self.quiet_end = QTimeEdit(), QTimeEdit()
        for edit in (self.quiet_start, self.quiet_end):
            edit.setDisplayFormat("HH:mm")
        self.numbers: dict[str, QSpinBox] = {}
        for name, _label, low, high in NUMBERS:
            spin = QSpinBox()
            spin.setRange(low, high)
            spin.setObjectName(name)
            self.numbers[name] = spin
        self.trigger_boxes: dict[str, QCheckBox] = {}
        self.templates = TemplatesBox(context, self._shop_values)
        self.intervals = IntervalsBox(context)
        self._build()
        self._connect_signals()
        self.setEnabled(False)  # until the settings are read
        self.load()

    def _shop_values(self) -> dict[str, str]:
        return {"shop_name": self.shop_name.text().strip(), "shop_phone": self.shop_phone.text().strip()}

    def _build(self) -> None:
        rules = QGroupBox(_("Rules"))
        form = QFormLayout(rules)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(_("Shop name in messages:"), self.shop_name)
        form.addRow(_("Shop phone in messages:"), self.shop_phone)
        form.addRow(_("Clients' time zone:"), self.timezone)
        form.addRow(_("Language of messages:"), self.language)
        form.addRow(_("Quiet hours from:"), self.quiet_start)
        form.addRow(_("Quiet hours until:"), self.quiet_end)
        for name, label, _low, _high in NUMBERS:
            form.addRow(_(label), self.numbers[name])
        self.triggers_box = QGroupBox(_("Automatic messages"))
        self.triggers_grid = QGridLayout(self.triggers_box)
        for widget in (self.provider, rules, self.intervals, self.triggers_box, self.templates):
            self.body.addWidget(widget)

    def _connect_signals(self) -> None:
        self.save_button.clicked.connect(self._on_save_button_clicked)
        for edit in (self.shop_name, self.shop_phone):
            edit.textChanged.connect(lambda _text: self.templates.refresh_preview())

    # --- loading ------------------------------------------------------------------------------------------------

    def load(self) -> None:
        uow_factory = self.uow_factory

        def work(_state: object) -> Loaded:
            return get_settings(uow_factory), list_triggers(uow_factory)

        self.context.runner.run(work, self._on_loaded, self._on_load_failed)
        self.templates.load()
        self.intervals.load()

    def _on_load_failed(self, error: DomainError) -> None:
        self.show_status(str(error), error=True)

    def _on_loaded(self, loaded: Loaded) -> None:
        self.settings, self.triggers = loaded
        self.show_settings(self.settings)
        self._fill_triggers(self.triggers)
        self.setEnabled(True)
        if self.settings.sms_provider:
            self.provider.check_balance()

    def show_settings(self, settings: MessagingSettingsInfo) -> None:
        shop = self.context.environment.settings
        never_saved = settings.version == 0
        self.shop_name.setText(settings.shop_name or (shop.get(SHOP_NAME) if never_saved else ""))
        self.shop_phone.setText(settings.shop_phone or (shop.get(SHOP_PHONE) if never_saved else ""))
        self.timezone.setCurrentText(shop.get(SHOP_TIMEZONE) if never_saved else settings.timezone)
        self.language.setCurrentIndex(max(self.language.findData(settings.language), 0))
        self.quiet_start.setTime(QTime(settings.quiet_start_minute // 60, settings.quiet_start_minute % 60))
        self.quiet_end.setTime(QTime(settings.quiet_end_minute // 60, settings.quiet_end_minute % 60))
        for name, spin in self.numbers.items():
            spin.setValue(int(getattr(settings, name)))
        self.provider.show_settings(settings)

    def _fill_triggers(self, triggers: list[TriggerInfo]) -> None:
        for box in self.trigger_boxes.values():
            self.triggers_grid.removeWidget(box)
            box.deleteLater()
        self.trigger_boxes = {}
        for index, trigger in enumerate(triggers):
            box = QCheckBox(trigger.label)
            box.setChecked(trigger.enabled)
            self.trigger_boxes[trigger.code] = box
            self.triggers_grid.addWidget(box, index // 2, index % 2)

    # --- saving -------------------------------------------------------------------------------------------------

    def edited(self) -> MessagingSettingsInfo:
        """The shown settings with what the person changed (the version stays: a stale save is refused)."""
        start, end = self.quiet_start.time(), self.quiet_end.time()
        numbers: dict[str, object] = {name: spin.value() for name, spin in self.numbers.items()}
        settings = replace(
            self.settings, shop_name=self.shop_name.text().strip(), shop_phone=self.shop_phone.text().strip(),
            timezone=self.timezone.currentText().strip(), language=str(self.language.currentData()),
            quiet_start_minute=start.hour() * 60 + start.minute(), quiet_end_minute=end.hour() * 60 + end.minute(),
        )  # fmt: skip
        settings = replace(settings, **numbers)  # type: ignore[arg-type]
        return self.provider.apply(settings)

    def _save_secrets(self) -> bool:
        """Store the typed keys (quick, on the GUI thread like the database password); False when refused."""
        secrets = self.context.environment.secrets
        typed = self.provider.typed_secrets()
        try:
            try:
                for kind, secret in typed.items():
                    save_secret(secrets, kind, secret)
            except SecretStorageUnavailableError as error:
                if not ask_session_only(self, error):
                    self.show_status(_("Nothing was saved."), error=True)
                    return False
                secrets.allow_session_only()
                for kind, secret in typed.items():
                    save_secret(secrets, kind, secret)
        except DomainError as error:
            self.show_status(_("Nothing was saved: {reason}").format(reason=error), error=True)
            return False
        return True

    def _on_save_button_clicked(self) -> None:
        if not self._save_secrets():
            return
        settings, uow_factory = self.edited(), self.uow_factory
        changed = {code: box.isChecked() for code, box in self.trigger_boxes.items()
                   if box.isChecked() != next((t.enabled for t in self.triggers if t.code == code), True)}  # fmt: skip

        def work(_state: object) -> Loaded:
            saved = update_settings(uow_factory, settings)
            for code, enabled in changed.items():
                set_trigger_enabled(uow_factory, code, enabled)
            return saved, list_triggers(uow_factory)

        self.save_button.setEnabled(False)
        self.context.runner.run(work, self._on_saved, self._on_save_failed)

    def _on_saved(self, loaded: Loaded) -> None:
        self.save_button.setEnabled(True)
        self._on_loaded(loaded)
        self.show_status(_("Saved."))

    def _on_save_failed(self, error: DomainError) -> None:
        self.save_button.setEnabled(True)
        reason = " ".join(error.problems.values()) if isinstance(error, FieldErrors) else str(error)
        self.show_status(_("Nothing was saved: {reason}").format(reason=reason), error=True)
