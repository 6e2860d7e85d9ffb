"""Document numbers are gap-free and unique even when many desks allocate at once."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from autoservice_desk.db import create_database_engine, parse_database_url
from autoservice_desk.services.numbering import format_number, last_number, next_number
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction


def _allocate(uow_factory: UnitOfWorkFactory, document_type: str = "work_order", year: int = 2026) -> int:
    def work(uow: UnitOfWork) -> int:
        number = next_number(uow, document_type, year)
        uow.commit()
        return number

    return run_in_transaction(uow_factory, work)


def test_numbers_start_at_one_per_type_and_year(uow_factory: UnitOfWorkFactory) -> None:
    assert [_allocate(uow_factory) for _ in range(3)] == [1, 2, 3]
    assert _allocate(uow_factory, year=2027) == 1
    assert _allocate(uow_factory, document_type="receipt") == 1


def test_a_rolled_back_number_is_issued_again(uow_factory: UnitOfWorkFactory) -> None:
    assert _allocate(uow_factory) == 1

    def abandoned(uow: UnitOfWork) -> None:
        assert next_number(uow, "work_order", 2026) == 2
        raise RuntimeError("the work order failed validation")

    with pytest.raises(RuntimeError):
        run_in_transaction(uow_factory, abandoned)
    assert _allocate(uow_factory) == 2


def test_concurrent_desks_get_distinct_consecutive_numbers(database_url: str) -> None:
    desks, per_desk = 6, 15
    allocated: list[int] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def desk() -> None:
        # Each desk has its own engine and connection pool, like a separate PC.
        engine = create_database_engine(parse_database_url(database_url, Path("unused")))
        factory = UnitOfWorkFactory(engine)
        try:
            for _ in range(per_desk):
                number = _allocate(factory)
                with lock:
                    allocated.append(number)
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=desk) for _ in range(desks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert sorted(allocated) == list(range(1, desks * per_desk + 1))


def test_last_number_and_format(uow_factory: UnitOfWorkFactory) -> None:
    _allocate(uow_factory)
    assert run_in_transaction(uow_factory, lambda uow: last_number(uow, "work_order", 2026)) == 1
    assert format_number("ЗН", 2026, 42) == "ЗН-2026-000042"
