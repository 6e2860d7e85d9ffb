"""Merging two cards of one client: everything of the absorbed card moves to the surviving one, fully audited."""

from __future__ import annotations

from sqlalchemy import select, update

from autoservice_desk.i18n import _
from autoservice_desk.models.clients import (
    Client,
    ClientConsent,
    ClientContactPerson,
    ClientMessenger,
    ClientPhone,
    ClientTag,
    Vehicle,
    VehicleOwnership,
)
from autoservice_desk.models.timeline import TimelineEvent
from autoservice_desk.services import audit, timeline
from autoservice_desk.services.clients import client_name, load_client, reindex
from autoservice_desk.services.errors import PermissionDeniedError, ValidationError
from autoservice_desk.services.search_terms import index_client
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction

MERGE_ROLES = ("manager",)
# Fields copied from the absorbed card only where the survivor's are empty.
FILLABLE = ("surname", "given_name", "patronymic", "company_name", "inn", "kpp", "email", "address", "birthday",
            "source", "notes")  # fmt: skip


def _ids(uow: UnitOfWork, column: object, where: object) -> list[int]:
    return list(uow.session.scalars(select(column).where(where)))  # type: ignore[call-overload]


def merge_clients(uow_factory: UnitOfWorkFactory, survivor_id: int, absorbed_id: int) -> None:
    """Move cars, phones, messengers, contacts, tags, consents and the timeline of *absorbed_id* to *survivor_id*.

    Empty fields of the survivor are filled from the absorbed card; the absorbed card stays as a tombstone pointing
    at the survivor (documents that name it keep a valid reference) and disappears from search. The audit row lists
    every moved row id and the absorbed card as it was, so the merge is fully recorded and can be traced back.
    """
    if survivor_id == absorbed_id:
        raise ValidationError(_("Choose two different clients to merge."))

    def work(uow: UnitOfWork) -> None:
        if not uow.actor.has_role(*MERGE_ROLES):
            raise PermissionDeniedError(_("Only managers and administrators can merge clients."))
        # Lock both rows in id order, so two desks merging the same pair the other way round cannot deadlock.
        first, second = sorted((survivor_id, absorbed_id))
        locked = {client_id: load_client(uow, client_id, for_update=True) for client_id in (first, second)}
        survivor, absorbed = locked[survivor_id], locked[absorbed_id]
        for client in (survivor, absorbed):
            if client.merged_into_id is not None:
                raise ValidationError(
                    _("{name} was already merged into another card.").format(name=client_name(client))
                )
            if client.anonymised_at is not None:
                raise ValidationError(_("{name} is anonymised and cannot be merged.").format(name=client_name(client)))
        moved = _move_rows(uow, survivor, absorbed)
        filled = {name: getattr(absorbed, name) for name in FILLABLE
                  if not getattr(survivor, name) and getattr(absorbed, name)}  # fmt: skip
        for name, value in filled.items():
            setattr(survivor, name, value)
        _merge_visits(survivor, absorbed)
        absorbed_name = client_name(absorbed)
        absorbed.merged_into_id = survivor.id
        uow.session.flush()
        uow.session.expire(survivor)
        reindex(uow, survivor)
        index_client(uow, absorbed.id)  # no terms: a merged card is not found any more
        audit.record(
            uow, "client", survivor.id, "merge",
            {"absorbed_id": absorbed.id, "absorbed_name": absorbed_name, "filled_fields": sorted(filled)},
            {"moved": moved},
        )  # fmt: skip
        audit.record(uow, "client", absorbed.id, "merged_into", None, {"survivor_id": survivor.id})
        timeline.add_event(
            uow, survivor.id, timeline.MERGE,
            _("Card {name} (#{id}) merged into this one").format(name=absorbed_name, id=absorbed.id),
            entity="client", entity_id=absorbed.id,
        )  # fmt: skip
        uow.mark_changed("client", survivor.id)
        uow.mark_changed("client", absorbed.id)
        uow.commit()

    run_in_transaction(uow_factory, work)


def _move_rows(uow: UnitOfWork, survivor: Client, absorbed: Client) -> dict[str, list[int]]:
    """Re-point every row of *absorbed* at *survivor*; returns the moved ids per table."""
    session = uow.session
    moved: dict[str, list[int]] = {}
    known_phones = {phone.e164 for phone in survivor.phones}
    next_position = len(survivor.phones)
    moved["client_phones"] = []
    for phone in list(absorbed.phones):
        if phone.e164 in known_phones:
            continue  # the same number on both cards: keep the survivor's
        moved["client_phones"].append(phone.id)
        session.execute(
            update(ClientPhone).where(ClientPhone.id == phone.id).values(client_id=survivor.id, position=next_position)
        )
        next_position += 1
    known_tags = {tag.tag.casefold() for tag in survivor.tags}
    moved_tags = [tag.tag for tag in absorbed.tags if tag.tag.casefold() not in known_tags]
    for tag in moved_tags:
        session.add(ClientTag(client_id=survivor.id, tag=tag))
    moved["tags"] = []  # tags are values, not rows: listed by name in the audit's before/after instead
    for table, column in (
        (Vehicle, Vehicle.owner_id), (VehicleOwnership, VehicleOwnership.client_id),
        (ClientMessenger, ClientMessenger.client_id), (ClientContactPerson, ClientContactPerson.client_id),
        (ClientConsent, ClientConsent.client_id), (TimelineEvent, TimelineEvent.client_id),
    ):  # fmt: skip
        ids = _ids(uow, table.id, column == absorbed.id)
        if ids:
            session.execute(update(table).where(table.id.in_(ids)).values({column.key: survivor.id}))
        moved[str(table.__tablename__)] = ids
    moved["tag_names"] = moved_tags  # type: ignore[assignment]
    return moved


def _merge_visits(survivor: Client, absorbed: Client) -> None:
    survivor.visit_count += absorbed.visit_count
    firsts = [day for day in (survivor.first_visit_on, absorbed.first_visit_on) if day]
    survivor.first_visit_on = min(firsts) if firsts else None
    visits = sorted({day for client in (survivor, absorbed) for day in (client.previous_visit_on, client.last_visit_on)
                     if day})  # fmt: skip
    survivor.last_visit_on = visits[-1] if visits else None
    survivor.previous_visit_on = visits[-2] if len(visits) > 1 else None
