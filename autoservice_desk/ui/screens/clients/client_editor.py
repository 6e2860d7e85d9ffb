"""The client form: a new card or changes to one, every wrong field marked where it is, duplicates offered."""

from __future__ import annotations

import re
from datetime import date

from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from autoservice_desk.i18n import N_, _
from autoservice_desk.services.client_forms import (
    MESSENGER_KINDS,
    MESSENGER_LABELS,
    ClientForm,
    ContactPersonEntry,
    MessengerEntry,
    PhoneEntry,
    parse_tags,
)
from autoservice_desk.services.clients import ClientCard, DuplicateClientError, create_client, update_client
from autoservice_desk.services.errors import DomainError, PermissionDeniedError
from autoservice_desk.ui.background import OperationState
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.messages import show_error
from autoservice_desk.ui.questions import open_question
from autoservice_desk.ui.screens.clients.editor_dialog import EditorDialog
from autoservice_desk.ui.screens.clients.row_lists import RowList, show_field_problems, with_error_label

SOURCES = (N_("Recommendation"), N_("Website"), N_("Yandex Maps"), N_("2GIS"), N_("Avito"), N_("Passing by"),
           N_("Returning client"), N_("Social networks"))  # fmt: skip
_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})")
TEXT_FIELDS = ("surname", "given_name", "patronymic", "company_name", "inn", "kpp", "email", "address", "tags",
               "discount_percent", "birthday")  # fmt: skip


class ClientDialog(EditorDialog):
    """Create (card None) or edit a client; saving runs in the background and closes the dialog on success."""

    def __init__(self, context: ScreenContext, card: ClientCard | None, parent: QWidget | None = None) -> None:
        super().__init__(context, parent)
        self.card = card
        self.setWindowTitle(_("New client") if card is None else _("Client: {name}").format(name=card.name))
        self.resize(640, 720)
        self.edits: dict[str, QLineEdit] = {name: QLineEdit() for name in TEXT_FIELDS}
        self.person = QRadioButton(_("Person"))
        self.company = QRadioButton(_("Company"))
        self._kinds = QButtonGroup(self)
        self._kinds.addButton(self.person)
        self._kinds.addButton(self.company)
        self.phones = RowList([_("Phone, e.g. 8 912 345-67-89"), _("Note (work, wife …)")], _("Add phone"))
        messenger_choices = [(kind, _(MESSENGER_LABELS[kind])) for kind in MESSENGER_KINDS]
        self.messengers = RowList([_("Name or number in the messenger")], _("Add messenger"), messenger_choices)
        self.contacts = RowList([_("Name"), _("Position"), _("Phone"), _("E-mail")], _("Add contact person"))
        self.source = QComboBox()
        self.source.setEditable(True)
        self.source.addItems(["", *(_(source) for source in SOURCES)])
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(70)
        self._build()
        self._fill(card)
        self._connect_signals()

    # --- layout -----------------------------------------------------------------------------------------------

    def _row(self, form: QFormLayout, label: str, name: str, widget: QWidget | None = None) -> None:
        holder, self.errors[name] = with_error_label(widget or self.edits[name])
        form.addRow(label, holder)

    def _build(self) -> None:
        kinds = QHBoxLayout()
        kinds.addWidget(self.person)
        kinds.addWidget(self.company)
        kinds.addStretch(1)
        self.person_box = QGroupBox(_("Person"))
        person = QFormLayout(self.person_box)
        names = ((_("Surname"), "surname"), (_("Given name"), "given_name"), (_("Patronymic"), "patronymic"))
        for label, name in names:
            self._row(person, label, name)
        self._row(person, _("Birthday"), "birthday")
        self.edits["birthday"].setPlaceholderText(_("dd.mm.yyyy"))
        self.company_box = QGroupBox(_("Company"))
        company = QFormLayout(self.company_box)
        self._row(company, _("Name"), "company_name")
        self._row(company, _("INN"), "inn")
        self._row(company, _("KPP"), "kpp")
        company.addRow(_("Contact persons"), self.contacts)
        contacts_box = QGroupBox(_("Contacts"))
        contact = QFormLayout(contacts_box)
        contact.addRow(_("Phones"), self.phones)
        self._row(contact, _("E-mail"), "email")
        contact.addRow(_("Messengers"), self.messengers)
        self._row(contact, _("Address"), "address")
        more_box = QGroupBox(_("More"))
        more = QFormLayout(more_box)
        self._row(more, _("Where from"), "source", self.source)
        self._row(more, _("Tags"), "tags")
        self.edits["tags"].setPlaceholderText(_("comma separated: VIP, taxi fleet"))
        self._row(more, _("Discount, %"), "discount_percent")
        self._row(more, _("Notes"), "notes", self.notes)
        content = QWidget()
        column = QVBoxLayout(content)
        column.addLayout(kinds)
        for box in (self.person_box, self.company_box, contacts_box, more_box):
            column.addWidget(box)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)

    def _fill(self, card: ClientCard | None) -> None:
        form = card.form if card is not None else ClientForm()
        (self.company if form.kind == "company" else self.person).setChecked(True)
        for name in TEXT_FIELDS:
            if name == "tags":
                self.edits[name].setText(", ".join(form.tags))
            elif name == "birthday":
                self.edits[name].setText(form.birthday.strftime("%d.%m.%Y") if form.birthday else "")
            else:
                self.edits[name].setText(str(getattr(form, name)))
        self.source.setCurrentText(form.source)
        self.notes.setPlainText(form.notes)
        for phone in form.phones or (PhoneEntry(""),):
            self.phones.add_row([phone.number, phone.label])
        for messenger in form.messengers:
            self.messengers.add_row([messenger.handle], messenger.kind)
        for person in form.contact_persons:
            self.contacts.add_row([person.name, person.position_title, person.phone, person.email])
        self._on_kind_toggled()

    def _connect_signals(self) -> None:
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.company.toggled.connect(self._on_kind_toggled)

    def _on_kind_toggled(self) -> None:
        company = self.company.isChecked()
        self.company_box.setVisible(company)
        self.edits["company_name" if company else "surname"].setFocus()

    # --- saving -----------------------------------------------------------------------------------------------

    def form(self) -> ClientForm | None:
        """The form as typed; None (with the birthday marked) when the birthday is not a date."""
        birthday: date | None = None
        text = self.edits["birthday"].text().strip()
        if text:
            match = _DATE.fullmatch(text)
            try:
                birthday = date(int(match.group(3)), int(match.group(2)), int(match.group(1))) if match else None
            except ValueError:
                birthday = None
            if birthday is None:
                self.show_problems({"birthday": _("Enter the date as 31.12.1980.")})
                return None
        value = {name: self.edits[name].text() for name in TEXT_FIELDS if name not in ("tags", "birthday")}
        return ClientForm(
            kind="company" if self.company.isChecked() else "person", **value, birthday=birthday,
            source=self.source.currentText(), notes=self.notes.toPlainText(),
            phones=tuple(PhoneEntry(texts[0], texts[1]) for _kind, texts in self.phones.values()),
            messengers=tuple(MessengerEntry(kind or "", texts[0]) for kind, texts in self.messengers.values()),
            contact_persons=tuple(ContactPersonEntry(*texts) for _kind, texts in self.contacts.values()),
            tags=parse_tags(self.edits["tags"].text()),
        )  # fmt: skip

    def show_problems(self, problems: dict[str, str]) -> None:
        """Each message under its field, the field outlined; the first wrong field gets the focus."""
        show_field_problems(self.errors, self.edits, problems)
        for rows, key in ((self.phones, "phones"), (self.messengers, "messengers"), (self.contacts, "contact_persons")):
            rows.show_errors({int(name.split(".")[1]): text for name, text in problems.items()
                              if name.startswith(key + ".")})  # fmt: skip
        first = next((self.edits[name] for name in TEXT_FIELDS if name in problems), None)
        first = first or self.phones.first_error_edit() or self.contacts.first_error_edit()
        if first is not None:
            first.setFocus()

    def _save(self, allow_duplicate: bool) -> None:
        form = self.form()
        if form is None:
            return
        self.general_error.hide()
        self.show_problems({})
        uow_factory, card = self.context.uow_factory, self.card
        assert uow_factory is not None

        def work(state: OperationState) -> int:
            if card is None:
                return create_client(uow_factory, form, allow_duplicate=allow_duplicate)
            update_client(uow_factory, card.id, card.version, form, allow_duplicate=allow_duplicate)
            return card.id

        self._save_in_background(work)

    def _show_refusal(self, error: DomainError) -> None:
        """EditorDialog override: a client with the same phone is offered; a refusal of the role gets a box."""
        if isinstance(error, DuplicateClientError):
            self._offer_existing(error)
        elif isinstance(error, PermissionDeniedError):
            show_error(self, error)
        else:
            super()._show_refusal(error)

    def _offer_existing(self, error: DuplicateClientError) -> None:
        box = QMessageBox(QMessageBox.Icon.Question, _("The client may already exist"), str(error),
                          QMessageBox.StandardButton.NoButton, self)  # fmt: skip
        open_button = box.addButton(_("Open that card"), QMessageBox.ButtonRole.AcceptRole)
        save_button = box.addButton(_("Save as a new client"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(_("Back to the form"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(open_button)

        def answered(clicked: QAbstractButton) -> None:
            if clicked is open_button:
                self.open_existing_requested.emit(error.matches[0].id)
                self.reject()
            elif clicked is save_button:
                self._save(allow_duplicate=True)

        self.duplicate_box = open_question(box, answered)
