"""A desk killed half-way through posting 5,000 lines leaves all of the document's moves or none, never a part."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from autoservice_desk.models.inventory import Part, StockBalance, StockDocument, StockLocation, StockMove
from autoservice_desk.services.stock_documents import create_receipt
from autoservice_desk.services.stock_forms import LineInput
from autoservice_desk.services.stock_posting import post_document
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory

LINES = 5_000
CHILD = Path(__file__).with_name("stock_kill_child.py")


def _ledger(uow_factory: UnitOfWorkFactory, document_id: int) -> tuple[str, int, dict[tuple[int, int], Decimal]]:
    """(the document's status, its moves, the balances that differ from the sum of their moves)."""
    with uow_factory(read_only=True) as uow:
        status = uow.session.execute(select(StockDocument.status).where(StockDocument.id == document_id)).scalar_one()
        moves = uow.session.scalar(select(func.count()).where(StockMove.document_id == document_id)) or 0
        sums = dict(
            (tuple(row[:2]), row[2])
            for row in uow.session.execute(
                select(StockMove.part_id, StockMove.location_id, func.sum(StockMove.quantity)).group_by(
                    StockMove.part_id, StockMove.location_id
                )
            )
        )
        wrong = {
            (row.part_id, row.location_id): row.quantity
            for row in uow.session.scalars(select(StockBalance))
            if sums.get((row.part_id, row.location_id), Decimal(0)) != row.quantity
        }
    return status, int(moves), wrong


@pytest.mark.slow
def test_a_desk_killed_mid_posting_leaves_the_ledger_whole(
    uow_factory: UnitOfWorkFactory, database_url: str, tmp_path: Path
) -> None:
    with uow_factory() as uow:
        warehouse = StockLocation(kind="warehouse", name="Основной")
        uow.session.add(warehouse)
        uow.session.flush()
        shelves = [
            StockLocation(parent_id=warehouse.id, warehouse_id=warehouse.id, kind="shelf", name=f"S{n}")
            for n in range(10)
        ]
        parts = [
            Part(article=f"A{n}", article_key=f"A{n}", name=f"Деталь {n}", name_key=f"деталь {n}") for n in range(250)
        ]
        uow.session.add_all(shelves + parts)
        uow.session.flush()
        lines = [
            LineInput(parts[n % 250].id, Decimal(1 + n % 3), Decimal("10.50"), to_location_id=shelves[n % 10].id)
            for n in range(LINES)
        ]
        uow.commit()
    draft = create_receipt(uow_factory, None, lines)
    signal_file = tmp_path / "half-way"
    child = subprocess.Popen(
        [sys.executable, str(CHILD), database_url, str(draft.id), str(draft.version), str(signal_file)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=dict(os.environ),
    )  # fmt: skip
    deadline = time.monotonic() + 300
    while not signal_file.exists():
        assert child.poll() is None, child.communicate()[1].decode()
        assert time.monotonic() < deadline, "the child never got half-way"
        time.sleep(0.05)
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL

    assert _ledger(uow_factory, draft.id) == ("draft", 0, {})  # none of it
    posted = post_document(uow_factory, draft.id, draft.version)  # the draft posts fine afterwards, whole
    assert posted.number == 1  # the killed desk's number went back to the sequence
    assert _ledger(uow_factory, draft.id) == ("posted", LINES, {})
