"""Personal data requests (152-FZ / GDPR): everything held about one client as JSON, and anonymisation."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select, update

from autoservice_desk.i18n import _
from autoservice_desk.models.audit import AuditRecord
from autoservice_desk.models.clients import (
    Client,
    ClientConsent,
    ClientContactPerson,
    ClientMessenger,
    ClientPhone,
    ClientTag,
    MileageReading,
    Vehicle,
    VehicleOwnership,
)
from autoservice_desk.models.timeline import TimelineEvent
from autoservice_desk.services import audit, timeline
from autoservice_desk.services.audit import json_safe
from autoservice_desk.services.clients import load_client, reindex
from autoservice_desk.services.errors import ConfigurationError, PermissionDeniedError, ValidationError
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction

EXPORT_ROLES = ("manager", "advisor")
FORMAT_VERSION = 1
# Keys of audit snapshots that identify the person; anonymisation blanks them in the client's own audit rows.
PERSONAL_KEYS = frozenset(
    {"surname", "given_name", "patronymic", "company_name", "inn", "kpp", "email", "address", "birthday", "notes",
     "phones", "messengers", "contact_persons", "blocked_reason"}
)  # fmt: skip
REMOVED = "[removed]"


def _row(instance: object) -> dict[str, Any]:
    table = instance.__table__  # type: ignore[attr-defined]
    return {column.key: json_safe(getattr(instance, column.key)) for column in table.columns}


def _rows(uow: UnitOfWork, model: Any, where: Any) -> list[dict[str, Any]]:
    return [_row(item) for item in uow.session.scalars(select(model).where(where).order_by(model.id))]


def collect_personal_data(uow_factory: UnitOfWorkFactory, client_id: int) -> dict[str, Any]:
    """Every row about *client_id*: the card, contacts, consents, cars (with mileage and owners), timeline, audit.

    The export itself is audited (who asked, when), so a data request leaves a trace as the law expects.
    """

    def work(uow: UnitOfWork) -> dict[str, Any]:
        if not uow.actor.has_role(*EXPORT_ROLES):
            raise PermissionDeniedError(_("Only advisors, managers and administrators can export personal data."))
        client = load_client(uow, client_id)
        vehicle_ids = list(
            uow.session.scalars(
                select(VehicleOwnership.vehicle_id).where(VehicleOwnership.client_id == client_id).distinct()
            )
        )
        data = {
            "format": "autoservice_desk.personal_data", "version": FORMAT_VERSION,
            "exported_at": json_safe(uow.clock()), "client": _row(client),
            "phones": _rows(uow, ClientPhone, ClientPhone.client_id == client_id),
            "messengers": _rows(uow, ClientMessenger, ClientMessenger.client_id == client_id),
            "contact_persons": _rows(uow, ClientContactPerson, ClientContactPerson.client_id == client_id),
            "tags": [tag.tag for tag in uow.session.scalars(select(ClientTag).where(ClientTag.client_id == client_id))],
            "consents": _rows(uow, ClientConsent, ClientConsent.client_id == client_id),
            "vehicles": _rows(uow, Vehicle, Vehicle.id.in_(vehicle_ids)),
            "ownerships": _rows(uow, VehicleOwnership, VehicleOwnership.client_id == client_id),
            "mileage": _rows(uow, MileageReading, MileageReading.vehicle_id.in_(vehicle_ids)),
            "timeline": _rows(uow, TimelineEvent, TimelineEvent.client_id == client_id),
            "audit": _rows(
                uow, AuditRecord, (AuditRecord.entity == "client") & (AuditRecord.entity_id == str(client_id))
            ),
        }  # fmt: skip
        audit.record(uow, "client", client_id, "personal_data_export")
        uow.commit()
        return data

    return run_in_transaction(uow_factory, work)


def write_personal_data(uow_factory: UnitOfWorkFactory, client_id: int, path: Path) -> None:
    """Write `collect_personal_data` to *path* as UTF-8 JSON, atomically (a half-written file is never left)."""
    data = collect_personal_data(uow_factory, client_id)
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".personal-data-", suffix=".json")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(data, stream, ensure_ascii=False, indent=2)
        os.replace(temporary, path)
    except OSError as error:
        raise ConfigurationError(
            _("The file {path} could not be written: {reason}").format(path=path, reason=error.strerror or error)
        ) from error


def anonymise_client(uow_factory: UnitOfWorkFactory, client_id: int, reason: str) -> None:
    """Remove what identifies the person (names, phones, e-mail, messengers, address, birthday, contacts, notes).

    Cars, visits and documents stay for accounting, pointing at a card named "Client #id". Timeline notes, card
    changes and consent lines are deleted (they may quote personal data); the client's audit rows keep who did
    what and when, with the personal values blanked.
    """
    text = reason.strip()
    if not text:
        raise ValidationError(_("Say why the client is anonymised (for example, the client's written request)."))

    def work(uow: UnitOfWork) -> None:
        if "admin" not in uow.actor.roles:
            raise PermissionDeniedError(_("Only an administrator can anonymise a client."))
        client = load_client(uow, client_id, for_update=True)
        if client.anonymised_at is not None:
            raise ValidationError(_("This client is already anonymised."))
        session = uow.session
        for model in (ClientPhone, ClientMessenger, ClientContactPerson, ClientTag):
            session.execute(delete(model).where(model.client_id == client_id))
        session.execute(
            delete(TimelineEvent).where(
                TimelineEvent.client_id == client_id, TimelineEvent.kind.in_(("note", "card", "consent"))
            )
        )
        session.execute(
            update(Client).where(Client.id == client_id).values(
                surname=None, given_name=None, patronymic=None, company_name=None, email=None, address=None,
                birthday=None, notes=None, source=None, inn=None, kpp=None, blocked_reason=None,
                sort_key="", anonymised_at=uow.clock(), version=Client.version + 1,
            )
        )  # fmt: skip
        _redact_audit(uow, client_id)
        session.flush()
        session.expire_all()
        reindex(uow, load_client(uow, client_id))
        audit.record(uow, "client", client_id, "anonymise", None, {"reason": text})
        timeline.add_event(uow, client_id, timeline.CARD_CHANGE, _("Personal data removed on request"))
        uow.mark_changed("client", client_id)
        uow.commit()

    run_in_transaction(uow_factory, work)


def _redact(snapshot: dict[str, Any] | None) -> dict[str, Any] | None:
    if snapshot is None:
        return None
    return {key: REMOVED if key in PERSONAL_KEYS and value else value for key, value in snapshot.items()}


def _redact_audit(uow: UnitOfWork, client_id: int) -> None:
    """The one edit the append-only audit log allows: the right to erasure outranks keeping old values.

    Who changed what and when stays; the personal values in the client's own rows become "[removed]".
    """
    rows = uow.session.scalars(
        select(AuditRecord).where(AuditRecord.entity == "client", AuditRecord.entity_id == str(client_id))
    )
    for row in rows:
        row.before, row.after = _redact(row.before), _redact(row.after)
