"""Cross-references on SQLite and PostgreSQL: groups join and merge, analogs, the CSV/XLSX import of pairs."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from autoservice_desk.models.inventory import CrossReference
from autoservice_desk.services import crosses
from autoservice_desk.services.audit import list_entries
from autoservice_desk.services.cross_import import (
    CrossImportRejected,
    auto_mapping,
    import_crosses,
    preview_file,
)
from autoservice_desk.services.crosses import Analog, add_cross, analogs_of, list_analogs, remove_cross
from autoservice_desk.services.errors import FieldErrors, PermissionDeniedError
from autoservice_desk.services.part_forms import PartForm
from autoservice_desk.services.parts import create_part
from autoservice_desk.services.table_files import write_table
from autoservice_desk.services.unit_of_work import Actor, UnitOfWorkFactory


def groups(uow_factory: UnitOfWorkFactory) -> dict[int, set[str]]:
    """group id -> "ARTICLEKEY/BRANDKEY" of its members."""
    with uow_factory(read_only=True) as uow:
        found: dict[int, set[str]] = {}
        for row in uow.session.scalars(select(CrossReference)):
            found.setdefault(row.group_id, set()).add(f"{row.article_key}/{row.brand_key}")
        return found


def test_pairs_join_groups_and_a_pair_across_two_groups_merges_them(uow_factory: UnitOfWorkFactory) -> None:
    first = add_cross(uow_factory, "OC 90", "Mahle", "W 712/75", "Mann-Filter")
    assert add_cross(uow_factory, "W712/75", "MANN FILTER", "0 451 103 316", "Bosch") == first  # joins the group
    second = add_cross(uow_factory, "26300-35503", "Hyundai/Kia", "C-507", "Hyundai")
    assert second != first
    assert len(groups(uow_factory)) == 2
    # a pair linking the two groups: the smaller (2 members) takes the larger one's id (3 members)
    merged = add_cross(uow_factory, "26300 35503", "hyundai/kia", "0451103316", "bosch")
    assert merged == first
    assert groups(uow_factory) == {first: {"OC90/MAHLE", "W71275/MANNFILTER", "0451103316/BOSCH",
                                           "2630035503/HYUNDAIKIA", "C507/HYUNDAI"}}  # fmt: skip
    assert add_cross(uow_factory, "OC90", "Mahle", "C507", "Hyundai") == first  # already together: nothing changes
    assert len(groups(uow_factory)[first]) == 5
    entry = list_entries(uow_factory, None, 1)[0]
    assert entry.entity == "cross" and entry.action == "link"


def test_analogs_name_the_parts_the_shop_keeps(uow_factory: UnitOfWorkFactory) -> None:
    add_cross(uow_factory, "OC 90", "Mahle", "W 712/75", "Mann-Filter")
    add_cross(uow_factory, "OC 90", "Mahle", "0 451 103 316", "Bosch")
    bosch = create_part(uow_factory, PartForm(article="0451103316", brand="BOSCH", name="Фильтр масляный"))
    assert list_analogs(uow_factory, "oc90", "MAHLE") == [
        Analog("0 451 103 316", "Bosch", bosch), Analog("W 712/75", "Mann-Filter", None)
    ]
    with uow_factory(read_only=True) as uow:
        assert [item.article for item in analogs_of(uow, "0451103316", "BOSCH")] == ["OC 90", "W 712/75"]
        assert analogs_of(uow, "NOPE", "") == []


def test_removing_a_member_and_the_checks(uow_factory: UnitOfWorkFactory) -> None:
    add_cross(uow_factory, "A1", "X", "B1", "Y")
    add_cross(uow_factory, "A1", "X", "C1", "Z")
    assert remove_cross(uow_factory, "b-1", "y")
    assert [item.article for item in list_analogs(uow_factory, "A1", "X")] == ["C1"]
    assert remove_cross(uow_factory, "C1", "Z")
    assert groups(uow_factory) == {}  # a group of one is no group
    assert not remove_cross(uow_factory, "C1", "Z")
    with pytest.raises(FieldErrors) as caught:
        add_cross(uow_factory, "a-1", "x", "A1", "X")
    assert "analog of itself" in caught.value.problems["article_b"]
    with pytest.raises(FieldErrors) as caught:
        add_cross(uow_factory, "--", "x", "A1", "X" * 61)
    assert set(caught.value.problems) == {"article_a", "brand_b"}
    advisor = uow_factory.acting_as(Actor(None, "priemka", roles=frozenset({"advisor"})))
    with pytest.raises(PermissionDeniedError):
        add_cross(advisor, "A1", "X", "B1", "Y")


ROWS = [
    ("Артикул", "Бренд", "Артикул аналога", "Бренд аналога"),
    ("OC 90", "Mahle", "W 712/75", "Mann-Filter"),
    ("W712/75", "MANN", "", "Bosch"),  # row 3: no analog article
    ("0 451 103 316", "Bosch", "OC90", "MAHLE"),
    ("GDB1550", "TRW", "P 85 020", "Brembo"),
    ("GDB1550", "TRW", "gdb-1550", "trw"),  # row 6: itself
]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_import_reports_checks_and_joins_with_the_stored_groups(
    uow_factory: UnitOfWorkFactory, tmp_path: Path, suffix: str
) -> None:
    stored = add_cross(uow_factory, "P85020", "Brembo", "13.0460-7184.2", "ATE")
    lonely = add_cross(uow_factory, "W 712/75", "Mann-Filter", "LS 932", "Knecht")
    path = tmp_path / f"crosses{suffix}"
    write_table(path, ROWS[0], ROWS[1:])
    preview = preview_file(path)
    mapping = auto_mapping(preview.headers)
    assert mapping == {"article_a": 0, "brand_a": 1, "article_b": 2, "brand_b": 3}
    with pytest.raises(CrossImportRejected) as rejected:
        import_crosses(uow_factory, path, mapping)
    assert [(problem.row, problem.column) for problem in rejected.value.report.problems] == [
        (3, "article_b"), (6, "article_b")
    ]
    dry = import_crosses(uow_factory, path, mapping, dry_run=True)
    assert (dry.written, dry.total_rows, dry.valid_rows, dry.added, dry.known) == (False, 5, 3, 3, 2)
    assert len(groups(uow_factory)) == 2
    report = import_crosses(uow_factory, path, mapping, skip_invalid=True)
    assert (report.written, report.added, report.groups_created, report.groups_merged) == (True, 3, 0, 0)
    assert groups(uow_factory) == {
        stored: {"P85020/BREMBO", "13046071842/ATE", "GDB1550/TRW"},
        lonely: {"W71275/MANNFILTER", "LS932/KNECHT", "OC90/MAHLE", "0451103316/BOSCH"},
    }
    # a second file linking the two groups merges them; the first one's rows are already there
    write_table(path, ROWS[0], [("LS932", "Knecht", "GDB 1550", "TRW"), ("OC 90", "Mahle", "W 712/75", "Mann-Filter")])
    report = import_crosses(uow_factory, path, mapping)
    assert (report.added, report.known, report.groups_merged) == (0, 4, 1)
    assert list(groups(uow_factory)) == [lonely]  # 4 members beat 3
    assert list_entries(uow_factory, None, 1)[0].entity == "cross_import"


@pytest.mark.parametrize("full_read", [True, False])
def test_both_ways_of_finding_stored_members_agree(
    uow_factory: UnitOfWorkFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, full_read: bool
) -> None:
    for number in range(30):
        add_cross(uow_factory, f"S{number}", "Stored", f"T{number}", "Stored")
    monkeypatch.setattr(crosses, "FULL_READ_SHARE", 1000 if full_read else 0)
    path = tmp_path / "pairs.csv"
    write_table(path, ("article", "brand", "analog", "analog brand"),
                [(f"S{number}", "stored", f"S{number + 1}", "STORED") for number in range(0, 20, 2)])  # fmt: skip
    report = import_crosses(uow_factory, path, {"article_a": 0, "brand_a": 1, "article_b": 2, "brand_b": 3})
    assert (report.added, report.known, report.groups_merged) == (0, 20, 10)
    assert sorted(len(members) for members in groups(uow_factory).values()) == [2] * 10 + [4] * 10
