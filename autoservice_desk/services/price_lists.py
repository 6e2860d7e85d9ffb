"""Suppliers' price lists: the column mapping each supplier's files use, the lists loaded, removing a list.

The import itself is services/price_list_import.py; the search reads the rows in services/quote_sources.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select, update

from autoservice_desk.i18n import _
from autoservice_desk.models.inventory import Supplier
from autoservice_desk.models.quoting import PriceListBatch, PriceListMapping, PriceListRow
from autoservice_desk.services import audit
from autoservice_desk.services.errors import NotFoundError, PermissionDeniedError
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction

PRICE_LIST_ROLES = ("warehouse", "manager")  # admin is implied by Actor.has_role


@dataclass(frozen=True)
class PriceListInfo:
    """A supplier's current price list."""

    supplier_id: int
    supplier_name: str
    batch_id: int
    file_name: str
    imported_at: datetime
    imported_by: str
    row_count: int


def require_price_list_editor(uow: UnitOfWork) -> None:
    if not uow.actor.has_role(*PRICE_LIST_ROLES):
        raise PermissionDeniedError(_("Only warehouse keepers, managers and administrators can load price lists."))


def saved_mapping(uow_factory: UnitOfWorkFactory, supplier_id: int) -> dict[str, str]:
    """The columns the supplier's last file was imported with: field -> header name (empty when none yet)."""

    def work(uow: UnitOfWork) -> dict[str, str]:
        row = uow.session.get(PriceListMapping, supplier_id)
        return {str(key): str(value) for key, value in (row.columns if row is not None else {}).items()}

    return run_in_transaction(uow_factory, work, read_only=True)


def mapping_for_headers(saved: dict[str, str], headers: Sequence[str], guessed: dict[str, int]) -> dict[str, int]:
    """The saved mapping applied to a file's *headers* (case and spaces ignored); fields whose header the file
    lacks fall back to the *guessed* columns."""
    folded = [" ".join(header.casefold().split()) for header in headers]
    mapping: dict[str, int] = {}
    for key, header in saved.items():
        name = " ".join(header.casefold().split())
        if name in folded:
            mapping[key] = folded.index(name)
    used = set(mapping.values())
    for key, index in guessed.items():
        if key not in mapping and index not in used:
            mapping[key] = index
            used.add(index)
    return mapping


def remember_mapping(uow_factory: UnitOfWorkFactory, supplier_id: int, columns: dict[str, str]) -> None:
    """Save *columns* (field -> header name) as the supplier's mapping for the next import."""

    def work(uow: UnitOfWork) -> None:
        row = uow.session.get(PriceListMapping, supplier_id)
        if row is None:
            uow.session.add(PriceListMapping(supplier_id=supplier_id, columns=dict(columns), updated_at=uow.clock()))
        elif row.columns != columns:
            row.columns, row.updated_at = dict(columns), uow.clock()
        else:
            return
        uow.mark_changed("price_lists", supplier_id)
        uow.commit()

    run_in_transaction(uow_factory, work)


def list_price_lists(uow_factory: UnitOfWorkFactory) -> list[PriceListInfo]:
    """Every supplier's current price list, by supplier name."""

    def work(uow: UnitOfWork) -> list[PriceListInfo]:
        rows = uow.session.execute(
            select(PriceListBatch, Supplier.name)
            .join(Supplier, Supplier.id == PriceListBatch.supplier_id)
            .where(PriceListBatch.current)
            .order_by(Supplier.name)
        )
        return [
            PriceListInfo(batch.supplier_id, name, batch.id, batch.file_name, batch.imported_at, batch.imported_by,
                          batch.row_count)
            for batch, name in rows
        ]  # fmt: skip

    return run_in_transaction(uow_factory, work, read_only=True)


def remove_price_list(uow_factory: UnitOfWorkFactory, supplier_id: int) -> int:
    """Stop searching the supplier's price list and delete its rows; returns how many rows it had."""

    def unpublish(uow: UnitOfWork) -> int:
        require_price_list_editor(uow)
        if uow.session.get(Supplier, supplier_id, with_for_update=True) is None:
            raise NotFoundError(_("The supplier no longer exists."))
        batches = uow.session.execute(
            select(PriceListBatch.id, PriceListBatch.row_count).where(
                PriceListBatch.supplier_id == supplier_id, PriceListBatch.current
            )
        ).all()
        if not batches:
            return 0
        uow.session.execute(update(PriceListBatch).where(PriceListBatch.supplier_id == supplier_id)
                            .values(current=False))  # fmt: skip
        rows = sum(count for _id, count in batches)
        audit.record(uow, "price_list", supplier_id, "remove", {"batch_ids": [batch for batch, _ in batches],
                                                                "rows": rows}, None)  # fmt: skip
        uow.mark_changed("price_lists", supplier_id)
        uow.commit()
        return rows

    removed = run_in_transaction(uow_factory, unpublish)
    drop_stale_batches(uow_factory, supplier_id)
    return removed


def drop_stale_batches(uow_factory: UnitOfWorkFactory, supplier_id: int) -> None:
    """Delete the rows of the supplier's batches that are not current (replaced, removed, or left by a failed
    import); searches never read them, so this runs after the switch, in its own transaction."""

    def work(uow: UnitOfWork) -> None:
        stale = list(uow.session.scalars(select(PriceListBatch.id).where(
            PriceListBatch.supplier_id == supplier_id, PriceListBatch.current.is_(False))))  # fmt: skip
        for batch_id in stale:
            uow.session.execute(delete(PriceListRow).where(PriceListRow.batch_id == batch_id))
            uow.session.execute(delete(PriceListBatch).where(PriceListBatch.id == batch_id))
        if stale:
            uow.commit()

    run_in_transaction(uow_factory, work, attempts=2)
