"""Printed documents on SQLite and PostgreSQL: numbering per kind, stored bytes, reprints, lists, timeline, rights."""

from __future__ import annotations

import dataclasses
import hashlib
import subprocess
from datetime import date
from typing import TypeVar

import pytest
from print_form_samples import completion_act_form, invoice_form, work_order_form

from autoservice_desk.services import audit
from autoservice_desk.services.client_forms import ClientForm
from autoservice_desk.services.client_merge import merge_clients
from autoservice_desk.services.clients import create_client
from autoservice_desk.services.errors import NotFoundError, PermissionDeniedError
from autoservice_desk.services.print_forms.data import CompletionActForm, DocumentKind, InvoiceForm
from autoservice_desk.services.printed_documents import (
    get_document,
    get_document_pdf,
    list_documents,
    print_document,
)
from autoservice_desk.services.timeline import list_events
from autoservice_desk.services.unit_of_work import Actor, UnitOfWorkFactory

F = TypeVar("F", CompletionActForm, InvoiceForm)
ADVISOR = Actor(user_id=None, login="advisor", full_name="Смирнова А. В.", roles=frozenset({"advisor"}))


def unnumbered(form: F) -> F:
    """The form as the store receives it: its number is given when it is printed."""
    return dataclasses.replace(form, number="")


def pdf_text(pdf: bytes) -> str:
    return subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()


@pytest.fixture
def advisor(uow_factory: UnitOfWorkFactory) -> UnitOfWorkFactory:
    return uow_factory.acting_as(ADVISOR)


@pytest.fixture
def client_id(uow_factory: UnitOfWorkFactory) -> int:
    return create_client(uow_factory, ClientForm(surname="Иванов", given_name="Пётр", patronymic="Сергеевич"))


def test_documents_are_numbered_per_kind_stored_and_listed(advisor: UnitOfWorkFactory, client_id: int) -> None:
    first = print_document(advisor, unnumbered(invoice_form()), work_order_id=7, client_id=client_id)
    second = print_document(advisor, unnumbered(invoice_form(labour=1)), work_order_id=7, client_id=client_id)
    act = print_document(advisor, unnumbered(completion_act_form()), work_order_id=7, client_id=client_id)
    order = print_document(advisor, work_order_form(), work_order_id=7, client_id=client_id)
    assert (first.number, second.number, act.number) == ("INV-2026-000001", "INV-2026-000002", "CA-2026-000001")
    assert order.number == "ЗН-2026-000123"  # a work order is printed under its own number
    assert first.kind is DocumentKind.INVOICE and first.kind_label == "Invoice"
    assert first.title == "Invoice No. INV-2026-000001" and first.actor_login == "advisor"
    assert not first.reprinted and first.language == "en"
    pdf = get_document_pdf(advisor, first.id)
    assert hashlib.sha256(pdf).hexdigest() == first.sha256 and len(pdf) == first.size
    assert "Invoice No. INV-2026-000001 of 3 December 2026" in pdf_text(pdf)
    listed = list_documents(advisor, work_order_id=7)
    assert [document.id for document in listed] == [order.id, act.id, second.id, first.id]  # newest first
    assert [document.id for document in list_documents(advisor, client_id=client_id)] == [d.id for d in listed]
    assert list_documents(advisor, work_order_id=8) == []
    assert get_document(advisor, act.id) == act


def test_a_reprint_returns_the_document_as_first_printed(advisor: UnitOfWorkFactory, client_id: int) -> None:
    form = unnumbered(completion_act_form())
    first = print_document(advisor, form, work_order_id=3, client_id=client_id)
    next_day = print_document(advisor, dataclasses.replace(form, issued_on=date(2026, 12, 4)), work_order_id=3,
                              client_id=client_id)  # fmt: skip
    assert next_day.reprinted and dataclasses.replace(next_day, reprinted=False) == first
    assert get_document_pdf(advisor, next_day.id) == get_document_pdf(advisor, first.id)
    assert "3 December 2026" in pdf_text(get_document_pdf(advisor, first.id))  # the first date, not today's
    changed = print_document(advisor, unnumbered(completion_act_form(labour=4)), work_order_id=3, client_id=client_id)
    assert not changed.reprinted and changed.number == "CA-2026-000002"
    assert len(list_documents(advisor, work_order_id=3)) == 2  # the first one stays as it was


def test_printing_writes_the_timeline_and_the_audit(advisor: UnitOfWorkFactory, client_id: int) -> None:
    info = print_document(advisor, unnumbered(invoice_form()), work_order_id=5, client_id=client_id)
    events = [event for event in list_events(advisor, client_id) if event.kind == "document"]
    assert [(event.summary, event.entity, event.entity_id) for event in events] == [
        ("Invoice No. INV-2026-000001", "printed_document", info.id)
    ]
    print_document(advisor, unnumbered(invoice_form()), work_order_id=5, client_id=client_id)  # a reprint
    assert len([event for event in list_events(advisor, client_id) if event.kind == "document"]) == 1
    audits = [entry for entry in audit.list_entries(advisor, None, 100) if entry.entity == "printed_document"]
    assert [(row.entity_id, row.action, row.user_login) for row in audits] == [(str(info.id), "print", "advisor")]
    assert audits[0].after is not None and audits[0].after["number"] == "INV-2026-000001"


def test_a_document_without_client_or_work_order(advisor: UnitOfWorkFactory) -> None:
    info = print_document(advisor, unnumbered(invoice_form()))
    assert info.client_id is None and info.work_order_id is None
    assert print_document(advisor, unnumbered(invoice_form())).reprinted


def test_documents_of_a_merged_card_are_listed_under_the_survivor(
    uow_factory: UnitOfWorkFactory, advisor: UnitOfWorkFactory, client_id: int
) -> None:
    twin = create_client(uow_factory, ClientForm(surname="Иванов", given_name="Пётр"))
    kept = print_document(advisor, unnumbered(invoice_form()), client_id=client_id)
    absorbed = print_document(advisor, unnumbered(invoice_form(labour=1)), client_id=twin)
    merge_clients(uow_factory, client_id, twin)
    assert [document.id for document in list_documents(advisor, client_id=client_id)] == [absorbed.id, kept.id]


def test_only_advisors_and_managers_print(uow_factory: UnitOfWorkFactory) -> None:
    for role in ("mechanic", "warehouse"):
        other = uow_factory.acting_as(Actor(user_id=None, login=role, roles=frozenset({role})))
        with pytest.raises(PermissionDeniedError):
            print_document(other, unnumbered(invoice_form()))
    manager = uow_factory.acting_as(Actor(user_id=None, login="boss", roles=frozenset({"manager"})))
    assert print_document(manager, unnumbered(invoice_form())).number == "INV-2026-000001"


def test_a_missing_document_is_not_found(advisor: UnitOfWorkFactory) -> None:
    with pytest.raises(NotFoundError):
        get_document_pdf(advisor, 999)
    with pytest.raises(NotFoundError):
        get_document(advisor, 999)
