"""The `quote ARTICLE` and `import price-list SUPPLIER FILE` commands."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import asdict
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from autoservice_desk.i18n import _, ngettext
from autoservice_desk.services.errors import NotFoundError

if TYPE_CHECKING:  # the services load only when a command runs, to keep `--help` quick
    from autoservice_desk.services.quoting import QuoteResult, SourceAnswer
    from autoservice_desk.services.unit_of_work import UnitOfWorkFactory


def add_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser], add_db: Callable[..., None]) -> None:
    quote = commands.add_parser("quote", help="parts quote: own stock, analogs, price lists and online suppliers")
    quote.add_argument("article")
    quote.add_argument("--brand", help="only this brand (default: every brand of the article)")
    quote.add_argument("--client", type=int, metavar="ID", help="apply this client's discount")
    quote.add_argument("--refresh", action="store_true", help="ask online suppliers again, not the cache")
    quote.add_argument("--offline", action="store_true", help="own stock, analogs and price lists only")
    quote.add_argument("--json", action="store_true", help="print the result as JSON")
    add_db(quote)


def add_import_parser(kinds: argparse._SubParsersAction[argparse.ArgumentParser], add_db: Callable[..., None]) -> None:
    """`import price-list SUPPLIER FILE` (added to the `import` command's kinds)."""
    kind = kinds.add_parser("price-list", help="a supplier's price list, replacing its previous one")
    kind.add_argument("supplier", help="the supplier's name or id")
    kind.add_argument("file", type=Path)
    kind.add_argument("--mapping", metavar="JSON", help='columns as JSON or a JSON file: {"article": "Артикул", '
                                                        '"price": 4} (default: the supplier\'s last, or guessed)')
    kind.add_argument("--dry-run", action="store_true", help="check the file and print the report only")
    kind.add_argument("--skip-invalid", action="store_true", help="import the valid rows when some are invalid")
    add_db(kind)


def _supplier_id(uow_factory: UnitOfWorkFactory, text: str) -> int:
    from autoservice_desk.services.suppliers import list_suppliers
    from autoservice_desk.services.text_keys import fold_text

    suppliers = list_suppliers(uow_factory)
    for supplier in suppliers:
        if (text.isdigit() and supplier.id == int(text)) or fold_text(supplier.name) == fold_text(text):
            return supplier.id
    raise NotFoundError(_("There is no supplier “{name}”.").format(name=text))


def command_import_price_list(options: argparse.Namespace) -> int:
    from autoservice_desk.cli import environment_and_target
    from autoservice_desk.cli_transfer import _mapping_argument, _print_report
    from autoservice_desk.services.price_list_import import (
        PRICE_LIST_FIELDS,
        PriceListImportRejected,
        import_price_list,
    )
    from autoservice_desk.services.price_lists import mapping_for_headers, saved_mapping
    from autoservice_desk.services.startup import open_database

    environment, target = environment_and_target(options)
    database = open_database(environment, target)
    try:
        supplier_id = _supplier_id(database.uow_factory, options.supplier)
        preview = PRICE_LIST_FIELDS.preview_file(options.file)
        by_name = _mapping_argument(options.mapping)
        if by_name is not None:
            mapping = PRICE_LIST_FIELDS.mapping_from_headers(preview.headers, by_name)
        else:
            saved = saved_mapping(database.uow_factory, supplier_id)
            mapping = mapping_for_headers(saved, preview.headers, preview.mapping)

        def report_progress(done: int, total: int) -> None:
            print(f"\r{done}/{total}", end="", file=sys.stderr, flush=True)

        try:
            report = import_price_list(database.uow_factory, supplier_id, options.file, mapping,
                                       skip_invalid=options.skip_invalid, dry_run=options.dry_run,
                                       progress=report_progress if sys.stderr.isatty() else None)  # fmt: skip
        except PriceListImportRejected as rejected:
            _print_report(rejected.report, PRICE_LIST_FIELDS)
            raise
        _print_report(report, PRICE_LIST_FIELDS)
        if report.written:
            print(ngettext("Price list loaded: {count} offer (the previous list had {old}).",
                           "Price list loaded: {count} offers (the previous list had {old}).",
                           report.valid_rows).format(count=report.valid_rows, old=report.replaced_rows))  # fmt: skip
        if options.dry_run:
            print(_("Dry run: nothing was written."))
            return 2 if report.invalid_rows else 0
        return 0
    finally:
        database.close()


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value


def result_json(result: QuoteResult) -> dict[str, Any]:
    """The quote as JSON-safe data: every answer with its status, and the offers with best/fastest marked."""
    return {
        "article": result.article, "brand": result.brand, "client_id": result.client_id,
        "sources": [{"source": answer.source_id, "kind": answer.kind, "label": answer.label,
                     "status": answer.status.value, "reason": answer.reason, "from_cache": answer.from_cache,
                     "offers": len(answer.offers)} for answer in result.answers],
        "offers": [_plain(asdict(offer)) for offer in result.offers],
    }  # fmt: skip


def _money(value: Decimal | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _print_answer(answer: SourceAnswer, marked: dict[int, tuple[bool, bool]]) -> None:
    status = "" if answer.status == "ok" else f" — {answer.reason}"
    cached = _(" (cached)") if answer.from_cache else ""
    print(f"== {answer.label}{cached}{status}")
    for offer in answer.offers:
        best, fastest = marked.get(id(offer), (False, False))
        marks = ("*" if best else " ") + ("!" if fastest else " ")
        quantity = "?" if offer.quantity is None else f"{offer.quantity.normalize():f}"
        days = "?" if offer.delivery_days is None else str(offer.delivery_days)
        where = offer.location or ""
        print(f"{marks} {offer.brand:<14} {offer.article:<16} {offer.name[:34]:<34} {offer.source_name[:16]:<16} "
              f"{where:<8} {quantity:>7} {days:>3} {_money(offer.purchase_price):>10} {_money(offer.sale_price):>10} "
              f"{_money(offer.margin):>9}")  # fmt: skip


def command_quote(options: argparse.Namespace) -> int:
    from autoservice_desk.cli import environment_and_target
    from autoservice_desk.services.quoting import mark_best, search
    from autoservice_desk.services.startup import open_database

    environment, target = environment_and_target(options)
    database = open_database(environment, target)
    try:
        result = search(database.uow_factory, options.article, options.brand, client_id=options.client,
                        refresh=options.refresh, include_online=not options.offline)  # fmt: skip
    finally:
        database.close()
    if options.json:
        print(json.dumps(result_json(result), ensure_ascii=False, indent=2))
        return 0
    every = [offer for answer in result.answers for offer in answer.offers]
    marked = {id(original): (offer.best_price, offer.fastest) for original, offer in zip(every, mark_best(every),
                                                                                       strict=True)}  # fmt: skip
    for answer in result.answers:
        _print_answer(answer, marked)
    print(_("* best price, ! fastest; quantity, days, purchase price, sale price, margin."))
    return 0
