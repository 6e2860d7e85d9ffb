"""The quoting screen's plain lists as Qt models: saved quotes, a saved quote's offers, online suppliers, price
lists."""

from __future__ import annotations

from decimal import Decimal
from enum import IntEnum
from zoneinfo import ZoneInfo

from PySide6.QtCore import QObject
from PySide6.QtGui import QColor

from autoservice_desk.formatting import format_number
from autoservice_desk.i18n import N_, _
from autoservice_desk.services.online_suppliers import OnlineSupplierInfo
from autoservice_desk.services.price_lists import PriceListInfo
from autoservice_desk.services.quotes import QuoteOfferInfo, QuoteSummary
from autoservice_desk.ui.models.quote_offers_model import SOURCE_TITLES, money_text, quantity_text
from autoservice_desk.ui.models.work_order_lines_models import RowsModel

CHOSEN_COLOR = QColor("#1b7f3a")
KIND_TITLES = {"abcp": N_("ABCP platform"), "json": N_("JSON API")}


def when_text(moment: object, zone: ZoneInfo) -> str:
    return f"{moment.astimezone(zone):%d.%m.%Y %H:%M}"  # type: ignore[attr-defined]


class QuoteColumn(IntEnum):
    NUMBER = 0
    CREATED = 1
    ARTICLE = 2
    OFFERS = 3
    FOR = 4
    BY = 5
    COMMENT = 6


class QuoteListModel(RowsModel[QuoteSummary]):
    columns = QuoteColumn
    headers = {
        QuoteColumn.NUMBER: N_("Number"), QuoteColumn.CREATED: N_("Saved"), QuoteColumn.ARTICLE: N_("Article"),
        QuoteColumn.OFFERS: N_("Offers"), QuoteColumn.FOR: N_("For"), QuoteColumn.BY: N_("By"),
        QuoteColumn.COMMENT: N_("Comment"),
    }  # fmt: skip
    numeric = frozenset({QuoteColumn.OFFERS})

    def __init__(self, zone: ZoneInfo, parent: QObject | None = None) -> None:
        self._zone = zone
        self.client_names: dict[int, str] = {}
        super().__init__(parent)

    def cells(self, row: QuoteSummary) -> tuple[str, ...]:
        """RowsModel override."""
        return (
            row.display_number, when_text(row.created_at, self._zone), f"{row.article} {row.brand}".strip(),
            str(row.offer_count), self.linked_text(row), row.created_by, row.comment,
        )  # fmt: skip

    def linked_text(self, row: QuoteSummary) -> str:
        parts = []
        if row.client_id is not None:
            parts.append(self.client_names.get(row.client_id) or _("client #{id}").format(id=row.client_id))
        if row.work_order_id is not None:
            parts.append(_("work order #{id}").format(id=row.work_order_id))
        if row.booking_id is not None:
            parts.append(_("booking #{id}").format(id=row.booking_id))
        return ", ".join(parts) or _("standalone")


class SavedOfferColumn(IntEnum):
    CHOSEN = 0
    BRAND = 1
    ARTICLE = 2
    NAME = 3
    SOURCE = 4
    QUANTITY = 5
    DELIVERY = 6
    PURCHASE = 7
    SALE = 8


class SavedOffersModel(RowsModel[QuoteOfferInfo]):
    """A saved quote's offers as they were when it was saved; the chosen ones green."""

    columns = SavedOfferColumn
    headers = {
        SavedOfferColumn.CHOSEN: N_("Chosen"), SavedOfferColumn.BRAND: N_("Brand"),
        SavedOfferColumn.ARTICLE: N_("Article"), SavedOfferColumn.NAME: N_("Name"),
        SavedOfferColumn.SOURCE: N_("Source"), SavedOfferColumn.QUANTITY: N_("Quantity"),
        SavedOfferColumn.DELIVERY: N_("Delivery, days"), SavedOfferColumn.PURCHASE: N_("Purchase price"),
        SavedOfferColumn.SALE: N_("Our price"),
    }  # fmt: skip
    numeric = frozenset({SavedOfferColumn.QUANTITY, SavedOfferColumn.DELIVERY, SavedOfferColumn.PURCHASE,
                         SavedOfferColumn.SALE})  # fmt: skip

    def cells(self, row: QuoteOfferInfo) -> tuple[str, ...]:
        """RowsModel override."""
        name = f"{row.name} ({_('analog')})" if row.analog else row.name
        return (
            "✓" if row.chosen else "", row.brand, row.article, name,
            f"{row.source_name} · {_(SOURCE_TITLES[row.source])}", quantity_text(row.quantity),
            str(row.delivery_days) if row.delivery_days is not None else "—", money_text(row.purchase_price),
            money_text(row.sale_price),
        )  # fmt: skip

    def colour(self, row: QuoteOfferInfo) -> QColor | None:
        """RowsModel override: the offers the client was offered stand out."""
        return CHOSEN_COLOR if row.chosen else None


class OnlineSupplierColumn(IntEnum):
    SUPPLIER = 0
    KIND = 1
    ADDRESS = 2
    LOGIN = 3
    TIMEOUT = 4
    CACHE = 5
    ACTIVE = 6


class OnlineSuppliersModel(RowsModel[OnlineSupplierInfo]):
    columns = OnlineSupplierColumn
    headers = {
        OnlineSupplierColumn.SUPPLIER: N_("Supplier"), OnlineSupplierColumn.KIND: N_("Kind"),
        OnlineSupplierColumn.ADDRESS: N_("Address"), OnlineSupplierColumn.LOGIN: N_("Login"),
        OnlineSupplierColumn.TIMEOUT: N_("Timeout, s"), OnlineSupplierColumn.CACHE: N_("Keep answers, min"),
        OnlineSupplierColumn.ACTIVE: N_("In use"),
    }  # fmt: skip
    numeric = frozenset({OnlineSupplierColumn.TIMEOUT, OnlineSupplierColumn.CACHE})

    def cells(self, row: OnlineSupplierInfo) -> tuple[str, ...]:
        """RowsModel override."""
        return (
            row.supplier_name, _(KIND_TITLES.get(row.kind, row.kind)), row.base_url, row.login,
            format_number((Decimal(row.timeout_ms) / 1000).normalize()),
            str(row.cache_minutes), _("yes") if row.active else _("no"),
        )  # fmt: skip


class PriceListColumn(IntEnum):
    SUPPLIER = 0
    FILE = 1
    ROWS = 2
    IMPORTED = 3
    BY = 4


class PriceListsModel(RowsModel[PriceListInfo]):
    columns = PriceListColumn
    headers = {
        PriceListColumn.SUPPLIER: N_("Supplier"), PriceListColumn.FILE: N_("File"), PriceListColumn.ROWS: N_("Rows"),
        PriceListColumn.IMPORTED: N_("Imported"), PriceListColumn.BY: N_("By"),
    }  # fmt: skip
    numeric = frozenset({PriceListColumn.ROWS})

    def __init__(self, zone: ZoneInfo, parent: QObject | None = None) -> None:
        self._zone = zone
        super().__init__(parent)

    def cells(self, row: PriceListInfo) -> tuple[str, ...]:
        """RowsModel override."""
        return (row.supplier_name, row.file_name, format_number(row.row_count),
                when_text(row.imported_at, self._zone), row.imported_by)  # fmt: skip

    def row_id(self, row: PriceListInfo) -> int:
        """RowsModel override: a price list is known by its supplier."""
        return row.supplier_id
