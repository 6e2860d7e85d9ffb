"""Small dialogs of the client card: a note, a consent, blocking, mileage, a new owner, merging, anonymising."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from autoservice_desk.i18n import _
from autoservice_desk.services.client_merge import merge_clients
from autoservice_desk.services.client_search import ClientHit, search_clients
from autoservice_desk.services.clients import CONSENT_KINDS, add_note, record_consent, set_blocked
from autoservice_desk.services.errors import DomainError, ValidationError
from autoservice_desk.services.personal_data import anonymise_client
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory
from autoservice_desk.services.vehicles import MAX_KILOMETRES, LowerMileageError, change_owner, record_mileage
from autoservice_desk.ui.background import OperationState
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.dialogs.form import FormDialog

SEARCH_DELAY_MS = 250


def _date_edit() -> QDateEdit:
    edit = QDateEdit(QDate.currentDate())
    edit.setCalendarPopup(True)
    edit.setMaximumDate(QDate.currentDate())
    edit.setDisplayFormat("dd.MM.yyyy")
    return edit


def _day(edit: QDateEdit) -> date:
    value = edit.date()
    return date(value.year(), value.month(), value.day())


class CardDialog(FormDialog):
    """A FormDialog over one client that emits `saved` after its service call succeeded."""

    saved = Signal()

    def __init__(self, context: ScreenContext, title: str, parent: QWidget | None = None) -> None:
        super().__init__(context.runner, title, parent)
        assert context.uow_factory is not None
        self.context = context
        self.uow_factory: UnitOfWorkFactory = context.uow_factory

    def run(self, call: Callable[[], None]) -> None:
        self.submit(lambda state: call(), lambda _result: self.saved.emit())


class NoteDialog(CardDialog):
    def __init__(self, context: ScreenContext, client_id: int, parent: QWidget | None = None) -> None:
        super().__init__(context, _("Note"), parent)
        self.client_id = client_id
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText(_("A call, a wish, anything worth remembering"))
        self.add_field("note", _("Note"), self.text)

    def accept(self) -> None:
        """FormDialog override."""
        text, client_id = self.text.toPlainText(), self.client_id
        self.run(lambda: add_note(self.uow_factory, client_id, text))


class ConsentDialog(CardDialog):
    def __init__(self, context: ScreenContext, client_id: int, parent: QWidget | None = None) -> None:
        super().__init__(context, _("Consent"), parent)
        self.client_id = client_id
        self.kind = QComboBox()
        for kind, label in CONSENT_KINDS.items():
            self.kind.addItem(_(label), kind)
        self.decision = QComboBox()
        self.decision.addItem(_("Given"), True)
        self.decision.addItem(_("Withdrawn"), False)
        self.day = _date_edit()
        self.source = QLineEdit()
        self.source.setPlaceholderText(_("signed form, phone call, website …"))
        self.add_field("kind", _("Messages"), self.kind)
        self.add_field("granted", _("Consent"), self.decision)
        self.add_field("given_on", _("Date"), self.day)
        self.add_field("source", _("How"), self.source)
        self.set_intro(_("Advertising messages need their own consent, separate from service notifications."))

    def accept(self) -> None:
        """FormDialog override."""
        kind, granted = self.kind.currentData(), self.decision.currentData()
        day, source = _day(self.day), self.source.text()
        self.run(lambda: record_consent(self.uow_factory, self.client_id, kind, granted, day, source))


class BlockDialog(CardDialog):
    def __init__(self, context: ScreenContext, client_id: int, parent: QWidget | None = None) -> None:
        super().__init__(context, _("Block the client"), parent)
        self.client_id = client_id
        self.reason = QLineEdit()
        self.add_field("reason", _("Reason"), self.reason)

    def accept(self) -> None:
        """FormDialog override."""
        reason = self.reason.text()
        if not reason.strip():
            self.show_error(ValidationError(_("Say why the client is blocked."), "reason"))
            return
        self.run(lambda: set_blocked(self.uow_factory, self.client_id, reason))


class AnonymiseDialog(CardDialog):
    def __init__(self, context: ScreenContext, client_id: int, parent: QWidget | None = None) -> None:
        super().__init__(context, _("Anonymise the client"), parent)
        self.client_id = client_id
        self.set_intro(_("Names, phones, e-mail, address and notes are removed for good. Cars and documents stay "
                         "for accounting. This cannot be undone."))  # fmt: skip
        self.reason = QLineEdit()
        self.add_field("reason", _("Grounds"), self.reason)
        self.ok_button.setText(_("Anonymise"))

    def accept(self) -> None:
        """FormDialog override."""
        reason = self.reason.text()
        self.run(lambda: anonymise_client(self.uow_factory, self.client_id, reason))


class MileageDialog(CardDialog):
    def __init__(self, context: ScreenContext, vehicle_id: int, parent: QWidget | None = None) -> None:
        super().__init__(context, _("Mileage"), parent)
        self.vehicle_id = vehicle_id
        self.kilometres = QSpinBox()
        self.kilometres.setRange(0, MAX_KILOMETRES)
        self.kilometres.setSuffix(_(" km"))
        self.kilometres.setGroupSeparatorShown(True)
        self.day = _date_edit()
        self.add_field("kilometres", _("Odometer"), self.kilometres)
        self.add_field("read_on", _("Date"), self.day)
        self.confirm_box: QMessageBox | None = None

    def accept(self) -> None:
        """FormDialog override."""
        self._save(confirm_lower=False)

    def _save(self, confirm_lower: bool) -> None:
        kilometres, day = self.kilometres.value(), _day(self.day)
        self.clear_error()
        self.set_busy(True)

        def work(state: OperationState) -> None:
            record_mileage(self.uow_factory, self.vehicle_id, kilometres, day, confirm_lower=confirm_lower)

        self.context.runner.run(work, self._on_saved, self._on_failed)

    def _on_saved(self, _result: None) -> None:
        self.set_busy(False)
        self.saved.emit()
        super(FormDialog, self).accept()

    def _on_failed(self, error: DomainError) -> None:
        self.set_busy(False)
        if not isinstance(error, LowerMileageError):
            self.show_error(error)
            return
        box = QMessageBox(QMessageBox.Icon.Question, _("Lower mileage"), str(error),
                          QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel, self)  # fmt: skip
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda answer: self._save(True) if answer == QMessageBox.StandardButton.Save else None)
        self.confirm_box = box
        box.open()


class ClientPicker(QWidget):
    """A search field and the clients it finds (searched in the background as the person types)."""

    picked = Signal(int)

    def __init__(self, context: ScreenContext, exclude_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        assert context.uow_factory is not None
        self.context = context
        self._uow_factory = context.uow_factory
        self.exclude_id = exclude_id
        self.query = QLineEdit()
        self.query.setPlaceholderText(_("Surname, phone, plate or VIN"))
        self.results = QListWidget()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._generation = 0
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.query)
        layout.addWidget(self.results)
        self.query.textChanged.connect(lambda _text: self._timer.start())
        self._timer.timeout.connect(self._on_timer_timeout)

    def chosen_id(self) -> int | None:
        item = self.results.currentItem()
        return int(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def _on_timer_timeout(self) -> None:
        self._generation += 1
        generation, query = self._generation, self.query.text()

        def work(state: OperationState) -> list[ClientHit]:
            return search_clients(self._uow_factory, query, limit=30)

        self.context.runner.run(work, lambda hits: self._show(generation, hits), lambda error: None)

    def _show(self, generation: int, hits: list[ClientHit]) -> None:
        if generation != self._generation:
            return
        self.results.clear()
        for hit in hits:
            if hit.client_id == self.exclude_id:
                continue
            item = QListWidgetItem(" · ".join(part for part in (hit.display_name, ", ".join(hit.vehicles)) if part))
            item.setData(Qt.ItemDataRole.UserRole, hit.client_id)
            self.results.addItem(item)
        if self.results.count():
            self.results.setCurrentRow(0)


class ChangeOwnerDialog(CardDialog):
    def __init__(self, context: ScreenContext, vehicle_id: int, owner_id: int, parent: QWidget | None = None) -> None:
        super().__init__(context, _("New owner of the car"), parent)
        self.vehicle_id = vehicle_id
        self.picker = ClientPicker(context, exclude_id=owner_id)
        self.day = _date_edit()
        self.add_field("owner", _("New owner"), self.picker)
        self.add_field("on_date", _("Since"), self.day)
        self.set_intro(_("The car's history (mileage, owners, work) stays with the car."))

    def accept(self) -> None:
        """FormDialog override."""
        new_owner, day = self.picker.chosen_id(), _day(self.day)
        if new_owner is None:
            self.show_error(ValidationError(_("Find and choose the new owner."), "owner"))
            return
        self.run(lambda: change_owner(self.uow_factory, self.vehicle_id, new_owner, day))


class MergeDialog(CardDialog):
    """Merge *client_id* into another card chosen by search; everything of this card moves there."""

    merged_into = Signal(int)

    def __init__(self, context: ScreenContext, client_id: int, name: str, parent: QWidget | None = None) -> None:
        super().__init__(context, _("Merge {name} into another card").format(name=name), parent)
        self.client_id = client_id
        self.picker = ClientPicker(context, exclude_id=client_id)
        self.add_field("target", _("Keep the card of"), self.picker)
        self.set_intro(_("Cars, phones, consents and the whole history of this card move to the chosen card; this "
                         "card stays only as a reference to it. The merge is recorded in the audit log."))  # fmt: skip
        self.ok_button.setText(_("Merge"))

    def accept(self) -> None:
        """FormDialog override."""
        target = self.picker.chosen_id()
        if target is None:
            self.show_error(ValidationError(_("Find and choose the card to keep."), "target"))
            return
        self.submit(
            lambda state: merge_clients(self.uow_factory, target, self.client_id),
            lambda _result: self.merged_into.emit(target),
        )
