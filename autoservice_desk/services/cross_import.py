"""Importing cross-references from CSV/XLSX: two (article, brand) per row, joined into groups in one transaction."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Unpack

from autoservice_desk.i18n import N_, _
from autoservice_desk.services import audit
from autoservice_desk.services.crosses import CrossPairs, Resolution, apply, check_pair, lock_crosses, resolve
from autoservice_desk.services.errors import ValidationError
from autoservice_desk.services.parts import require_part_editor
from autoservice_desk.services.table_import import (
    ImportField,
    ImportFields,
    ImportOptions,
    ProgressOptions,
    RowProblem,
    TableImportRejected,
    TableImportReport,
    TablePlan,
    check_rows,
    write_checked,
)
from autoservice_desk.services.unit_of_work import UnitOfWork, UnitOfWorkFactory, run_in_transaction

CROSS_FIELDS = ImportFields((
    ImportField("article_a", N_("Article"), ("артикул", "номер", "каталожный номер", "артикул 1", "номер 1",
                                             "article", "part number", "number", "article 1", "oem")),
    ImportField("brand_a", N_("Brand"), ("бренд", "производитель", "марка", "бренд 1", "производитель 1", "brand",
                                         "manufacturer", "make", "brand 1")),
    ImportField("article_b", N_("Analog article"), ("артикул аналога", "аналог", "номер аналога", "кросс",
                                                    "артикул 2", "номер 2", "analog", "analog article", "cross",
                                                    "cross number", "article 2")),
    ImportField("brand_b", N_("Analog brand"), ("бренд аналога", "производитель аналога", "бренд 2",
                                                "производитель 2", "analog brand", "cross brand", "brand 2")),
))  # fmt: skip
auto_mapping = CROSS_FIELDS.auto_mapping
preview_file = CROSS_FIELDS.preview_file
mapping_from_headers = CROSS_FIELDS.mapping_from_headers


class CrossImportRejected(TableImportRejected):
    """Some pairs are invalid and the person did not choose to import the valid ones only."""


@dataclass
class CrossPlan(TablePlan[int]):
    """A checked file: `rows` are the row numbers of valid pairs, `pairs` the pairs themselves."""

    pairs: CrossPairs = field(default_factory=CrossPairs)


@dataclass(frozen=True)
class CrossImportReport(TableImportReport):
    """What a check or an import of cross-references found or did (a dry run too: it reads the groups)."""

    added: int  # (article, brand) stored for the first time
    known: int  # (article, brand) in some group already
    groups_created: int
    groups_merged: int  # stored groups that joined another one


def check_mapping(mapping: dict[str, int]) -> None:
    if "article_a" not in mapping or "article_b" not in mapping:
        raise ValidationError(_("Choose the columns with the article and with the analog article."), "mapping")


def plan_import(path: Path, mapping: dict[str, int], **options: Unpack[ProgressOptions]) -> CrossPlan:
    """Read and check every row of *path* (nothing is read from the database)."""
    check_mapping(mapping)
    plan = CrossPlan()
    pairs = plan.pairs
    get = dict.get

    def parse(number: int, values: dict[str, str]) -> int | list[RowProblem]:
        article_a, brand_a = get(values, "article_a", ""), get(values, "brand_a", "")
        article_b, brand_b = get(values, "article_b", ""), get(values, "brand_b", "")
        problems, keys = check_pair(article_a, brand_a, article_b, brand_b)
        if problems:
            return [RowProblem(number, column, message) for column, message in problems.items()]
        pairs.add(pairs.node(article_a, keys[0], brand_a, keys[1]), pairs.node(article_b, keys[2], brand_b, keys[3]))
        return number

    check_rows(plan, path, mapping, parse, **options)
    plan.problems.sort(key=lambda problem: problem.row)
    return plan


def _report(plan: CrossPlan, resolution: Resolution, written: bool) -> CrossImportReport:
    return CrossImportReport(
        total_rows=plan.total_rows, valid_rows=plan.valid_rows, invalid_rows=plan.invalid_rows,
        problems=tuple(plan.problems), written=written, added=resolution.added, known=resolution.known_nodes,
        groups_created=resolution.groups_created, groups_merged=len(resolution.rewrites),
    )  # fmt: skip


def import_crosses(
    uow_factory: UnitOfWorkFactory, path: Path, mapping: dict[str, int], **options: Unpack[ImportOptions]
) -> CrossImportReport:
    """Check *path* and, unless `dry_run`, join its valid pairs with the stored groups in one transaction.

    With invalid rows and without `skip_invalid` nothing is written and `CrossImportRejected` carries the report.
    Nothing stored is ever deleted; groups only grow and merge.
    """
    progress, cancelled = options.get("progress"), options.get("cancelled")
    plan = plan_import(path, mapping, progress=progress, cancelled=cancelled)

    def unwritten() -> CrossImportReport:
        resolution = run_in_transaction(uow_factory, lambda uow: resolve(uow, plan.pairs), read_only=True)
        return _report(plan, resolution, written=False)

    def write(uow: UnitOfWork) -> CrossImportReport:
        require_part_editor(uow)
        lock_crosses(uow)
        # Resolved inside the writing transaction, under the lock: the groups are the ones stored right now.
        resolution = resolve(uow, plan.pairs)
        apply(uow, plan.pairs, resolution, progress, cancelled)
        report = _report(plan, resolution, written=True)
        audit.record(
            uow, "cross_import", path.name, "import", None,
            {"rows": plan.total_rows, "pairs": plan.pairs.pair_count, "added": report.added,
             "groups_created": report.groups_created, "groups_merged": report.groups_merged,
             "skipped_rows": plan.invalid_rows, "mapping": mapping},
        )  # fmt: skip
        return report

    return write_checked(uow_factory, plan, unwritten, write, options, CrossImportRejected)
