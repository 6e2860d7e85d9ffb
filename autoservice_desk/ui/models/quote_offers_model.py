"""The quoting search's result as a Qt tree: the article asked for, then its analogs, each offer a row; a proxy that
sorts within each group and filters by availability, delivery time and source.

Offers arrive source by source (`add_offers`), so rows are appended as they come and the best price / fastest marks
are recomputed over everything seen so far (services/quoting.mark_best, the one place that decides them).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QSortFilterProxyModel, Qt
from PySide6.QtGui import QColor, QFont, QIcon
from PySide6.QtWidgets import QApplication, QStyle

from autoservice_desk.formatting import format_number
from autoservice_desk.i18n import N_, _, ngettext
from autoservice_desk.services.quoting import Offer, OfferSource, mark_best
from autoservice_desk.ui.models.columns import ModelIndex

RIGHT = int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)
BEST_COLOR = QColor("#1b7f3a")
ANALOG_COLOR = QColor("#555555")
OFFER_ROLE = Qt.ItemDataRole.UserRole + 1  # the Offer of a row (None on a group row)
GROUP_ID = 0  # internal id of a group row; an offer row's is its group's number + 1
ASKED, ANALOGS = 0, 1
GROUP_TITLES = (N_("Asked for"), N_("Analogs"))
SOURCE_TITLES = {OfferSource.STOCK: N_("Own stock"), OfferSource.PRICE_LIST: N_("Price list"),
                 OfferSource.ONLINE: N_("Online supplier")}  # fmt: skip
SOURCE_ICONS = {OfferSource.STOCK: QStyle.StandardPixmap.SP_DriveHDIcon,
                OfferSource.PRICE_LIST: QStyle.StandardPixmap.SP_FileIcon,
                OfferSource.ONLINE: QStyle.StandardPixmap.SP_DriveNetIcon}  # fmt: skip


class OfferColumn(IntEnum):
    BRAND = 0
    ARTICLE = 1
    NAME = 2
    SOURCE = 3
    QUANTITY = 4
    DELIVERY = 5
    PURCHASE = 6
    SALE = 7
    MARGIN = 8


NUMERIC = frozenset({OfferColumn.QUANTITY, OfferColumn.DELIVERY, OfferColumn.PURCHASE, OfferColumn.SALE,
                     OfferColumn.MARGIN})  # fmt: skip


def money_text(value: Decimal | None) -> str:
    return format_number(value, 2) if value is not None else "—"


def quantity_text(value: Decimal | None) -> str:
    return format_number(value.normalize()) if value is not None else "—"


def source_text(offer: Offer) -> str:
    """The warehouse and bin of own stock, the supplier's name otherwise."""
    return f"{offer.source_name} · {offer.location}" if offer.location else offer.source_name


class QuoteOffersModel(QAbstractItemModel):  # a tree: QAbstractTableModel would not let `parent` be overridden
    """Two group rows ("Asked for", "Analogs"), offers under them in the order they came; the first column of an
    offer is checkable (the offers chosen for the quote)."""

    headers = {
        OfferColumn.BRAND: N_("Brand"), OfferColumn.ARTICLE: N_("Article"), OfferColumn.NAME: N_("Name"),
        OfferColumn.SOURCE: N_("Source"), OfferColumn.QUANTITY: N_("Quantity"),
        OfferColumn.DELIVERY: N_("Delivery, days"), OfferColumn.PURCHASE: N_("Purchase price"),
        OfferColumn.SALE: N_("Our price"), OfferColumn.MARGIN: N_("Margin"),
    }  # fmt: skip

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._offers: list[Offer] = []  # every offer, in arrival order
        self._groups: tuple[list[int], list[int]] = ([], [])  # positions in _offers, per group
        self._chosen: set[int] = set()
        self._icons: dict[OfferSource, QIcon] = {}

    # --- feeding it -------------------------------------------------------------------------------------------

    def clear(self) -> None:
        self.beginResetModel()
        self._offers = []
        self._groups = ([], [])
        self._chosen = set()
        self.endResetModel()

    def add_offers(self, offers: Iterable[Offer]) -> None:
        """Append *offers* (one source's answer) under their groups and mark the best price and the fastest anew."""
        added = list(offers)
        if not added:
            return
        for group in (ASKED, ANALOGS):
            mine = [offer for offer in added if offer.analog == (group == ANALOGS)]
            if not mine:
                continue
            members = self._groups[group]
            parent = self.index(group, 0)
            self.beginInsertRows(parent, len(members), len(members) + len(mine) - 1)
            for offer in mine:
                members.append(len(self._offers))
                self._offers.append(offer)
            self.endInsertRows()
        self._offers = mark_best(self._offers)
        for group, members in enumerate(self._groups):
            if members:
                self.dataChanged.emit(
                    self.index(0, 0, self.index(group, 0)),
                    self.index(len(members) - 1, len(OfferColumn) - 1, self.index(group, 0)),
                )
        self.dataChanged.emit(self.index(ASKED, 0), self.index(ANALOGS, 0))  # the counts in the group titles

    # --- reading it -------------------------------------------------------------------------------------------

    @property
    def offers(self) -> list[Offer]:
        """Every offer in arrival order (the order a saved quote keeps them in)."""
        return list(self._offers)

    @property
    def chosen_positions(self) -> list[int]:
        """Positions (in `offers`) of the offers ticked."""
        return sorted(self._chosen)

    def offer_count(self, group: int) -> int:
        return len(self._groups[group])

    def position(self, index: ModelIndex) -> int | None:
        """The position in `offers` of the offer at *index*; None for a group row."""
        if not index.isValid() or index.internalId() == GROUP_ID:
            return None
        members = self._groups[index.internalId() - 1]
        return members[index.row()] if 0 <= index.row() < len(members) else None

    def offer(self, index: ModelIndex) -> Offer | None:
        position = self.position(index)
        return self._offers[position] if position is not None else None

    def set_chosen(self, position: int, chosen: bool) -> None:
        for group, members in enumerate(self._groups):
            if position in members:
                index = self.index(members.index(position), 0, self.index(group, 0))
                self.setData(index, Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked,
                             Qt.ItemDataRole.CheckStateRole)  # fmt: skip

    def sort_key(self, index: ModelIndex) -> tuple[Any, ...]:
        """What the proxy sorts by: unknown values last, text without case."""
        offer = self.offer(index)
        if offer is None:
            return (index.row(),)
        column = OfferColumn(index.column())
        values: dict[OfferColumn, Any] = {
            OfferColumn.BRAND: offer.brand.casefold(), OfferColumn.ARTICLE: offer.article.casefold(),
            OfferColumn.NAME: offer.name.casefold(), OfferColumn.SOURCE: source_text(offer).casefold(),
            OfferColumn.QUANTITY: offer.quantity, OfferColumn.DELIVERY: offer.delivery_days,
            OfferColumn.PURCHASE: offer.purchase_price, OfferColumn.SALE: offer.sale_price,
            OfferColumn.MARGIN: offer.margin,
        }  # fmt: skip
        value = values[column]
        return (value is None, value if value is not None else 0)

    # --- Qt overrides -----------------------------------------------------------------------------------------

    def index(self, row: int, column: int, parent: ModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        """Qt override: group rows at the top level, offers under them."""
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, GROUP_ID)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, child: ModelIndex) -> QModelIndex:  # type: ignore[override]
        """Qt override: an offer's parent is its group row."""
        if not child.isValid() or child.internalId() == GROUP_ID:
            return QModelIndex()
        return self.createIndex(child.internalId() - 1, 0, GROUP_ID)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's own signature
        """Qt override: the same columns at every level."""
        return len(OfferColumn)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Qt override: the column titles, translated when asked."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            if 0 <= section < len(OfferColumn):
                return _(self.headers[OfferColumn(section)])
        return None

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's own signature
        """Qt override: two groups; a group's offers; nothing under an offer."""
        if not parent.isValid():
            return len(self._groups)
        if parent.column() != 0 or parent.internalId() != GROUP_ID:
            return 0
        return len(self._groups[parent.row()])

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        """Qt override: offers are selectable and tickable in their first column; group rows only enabled."""
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if index.internalId() == GROUP_ID:
            return Qt.ItemFlag.ItemIsEnabled
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return flags | Qt.ItemFlag.ItemIsUserCheckable if index.column() == 0 else flags

    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Qt override: ticking an offer chooses it for the quote."""
        position = self.position(index)
        if position is None or index.column() != 0 or role != Qt.ItemDataRole.CheckStateRole:
            return False
        checked = value in (Qt.CheckState.Checked, Qt.CheckState.Checked.value)
        (self._chosen.add if checked else self._chosen.discard)(position)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        return True

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Qt override: texts, numbers right-aligned, best price and fastest bold and green, analogs greyed."""
        if not index.isValid():
            return None
        if index.internalId() == GROUP_ID:
            return self._group_data(index, role)
        offer = self.offer(index)
        if offer is None:
            return None
        column = OfferColumn(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(offer, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(offer, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in NUMERIC:
            return RIGHT
        if role == Qt.ItemDataRole.CheckStateRole and column == OfferColumn.BRAND:
            chosen = self.position(index) in self._chosen
            return Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.DecorationRole and column == OfferColumn.SOURCE:
            return self._icon(offer.source)
        marked = (column == OfferColumn.SALE and offer.best_price) or (column == OfferColumn.DELIVERY and offer.fastest)
        if role == Qt.ItemDataRole.FontRole and marked:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole:
            return BEST_COLOR if marked else ANALOG_COLOR if offer.analog else None
        if role == OFFER_ROLE:
            return offer
        return None

    def _group_data(self, index: ModelIndex, role: int) -> Any:
        if index.column() != 0:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            count = len(self._groups[index.row()])
            offers = ngettext("{count} offer", "{count} offers", count).format(count=count)
            return f"{_(GROUP_TITLES[index.row()])} — {offers}"
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _text(self, offer: Offer, column: OfferColumn) -> str:
        texts = {
            OfferColumn.BRAND: offer.brand, OfferColumn.ARTICLE: offer.article, OfferColumn.NAME: offer.name,
            OfferColumn.SOURCE: source_text(offer), OfferColumn.QUANTITY: quantity_text(offer.quantity),
            OfferColumn.DELIVERY: str(offer.delivery_days) if offer.delivery_days is not None else "—",
            OfferColumn.PURCHASE: money_text(offer.purchase_price), OfferColumn.SALE: money_text(offer.sale_price),
            OfferColumn.MARGIN: money_text(offer.margin),
        }  # fmt: skip
        return texts[column]

    def _tooltip(self, offer: Offer, column: OfferColumn) -> str:
        if column == OfferColumn.SALE and offer.best_price:
            return _("Best price")
        if column == OfferColumn.DELIVERY and offer.fastest:
            return _("Fastest")
        if column == OfferColumn.SOURCE:
            return _(SOURCE_TITLES[offer.source])
        if column == OfferColumn.QUANTITY and offer.multiplicity > 1:
            return _("Sold in packs of {count}").format(count=offer.multiplicity)
        return self._text(offer, column)

    def _icon(self, source: OfferSource) -> QIcon:
        icon = self._icons.get(source)
        if icon is None:
            style = QApplication.style()
            icon = self._icons[source] = style.standardIcon(SOURCE_ICONS[source]) if style is not None else QIcon()
        return icon


class QuoteOffersProxy(QSortFilterProxyModel):
    """Sorts offers within their group (the groups keep their order) and hides offers the filters leave out; a
    group with nothing left to show disappears."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.in_stock_only = False
        self.max_days: int | None = None
        self.source_name = ""  # "": every source

    def set_filters(self, *, in_stock_only: bool, max_days: int | None, source_name: str) -> None:
        self.beginFilterChange()
        self.in_stock_only, self.max_days, self.source_name = in_stock_only, max_days, source_name
        self.endFilterChange()

    def offers_model(self) -> QuoteOffersModel:
        model = self.sourceModel()
        assert isinstance(model, QuoteOffersModel)
        return model

    def accepts(self, offer: Offer) -> bool:
        """Whether *offer* passes the filters."""
        if self.in_stock_only and not (offer.quantity is not None and offer.quantity > 0):
            return False
        if self.max_days is not None and (offer.delivery_days is None or offer.delivery_days > self.max_days):
            return False
        return not self.source_name or offer.source_name == self.source_name

    def filterAcceptsRow(self, source_row: int, source_parent: ModelIndex) -> bool:
        """Qt override: an offer passing the filters; a group row while any of its offers does (the model signals
        a change of the group row whenever offers are added, so this is asked again then)."""
        model = self.offers_model()
        if not source_parent.isValid():
            group = model.index(source_row, 0)
            return any(self._passes(model, model.index(row, 0, group)) for row in range(model.rowCount(group)))
        return self._passes(model, model.index(source_row, 0, source_parent))

    def _passes(self, model: QuoteOffersModel, index: QModelIndex) -> bool:
        offer = model.offer(index)
        return offer is not None and self.accepts(offer)

    def lessThan(self, left: ModelIndex, right: ModelIndex) -> bool:
        """Qt override: by the model's sort key; the groups stay in their order whichever way offers are sorted."""
        model = self.offers_model()
        if not left.parent().isValid():
            ascending = self.sortOrder() == Qt.SortOrder.AscendingOrder
            return left.row() < right.row() if ascending else left.row() > right.row()
        return model.sort_key(left) < model.sort_key(right)


def source_names(offers: Sequence[Offer]) -> list[str]:
    """The sources offers came from, each once, in the order they came (the source filter's choices)."""
    return list(dict.fromkeys(offer.source_name for offer in offers))
