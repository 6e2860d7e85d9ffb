"""A stock document's lines as a Qt table model: the columns its kind needs, cells edited in place on a draft."""

from __future__ import annotations

from dataclasses import replace
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont

from autoservice_desk.formatting import format_number
from autoservice_desk.i18n import N_, _
from autoservice_desk.services.form_values import parse_decimal
from autoservice_desk.services.part_forms import UNITS
from autoservice_desk.services.stock_forms import DocumentInfo, DocumentKind, LineInfo, LineInput, quantity_text
from autoservice_desk.ui.models.columns import EnumColumnsModel, ModelIndex

LINE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SHORTAGE = QColor("#fde2e1")  # counted less than the books say, or the line a posting refused
SURPLUS = QColor("#e2f3e4")


class LineColumn(IntEnum):
    POSITION = 0
    ARTICLE = 1
    BRAND = 2
    NAME = 3
    FROM = 4
    TO = 5
    BOOK = 6
    QUANTITY = 7
    DIFFERENCE = 8
    UNIT = 9
    PRICE = 10
    AMOUNT = 11


HEADERS = {
    LineColumn.POSITION: N_("#"),
    LineColumn.ARTICLE: N_("Article"),
    LineColumn.BRAND: N_("Brand"),
    LineColumn.NAME: N_("Name"),
    LineColumn.FROM: N_("From place"),
    LineColumn.TO: N_("To place"),
    LineColumn.BOOK: N_("Book"),
    LineColumn.QUANTITY: N_("Quantity"),
    LineColumn.DIFFERENCE: N_("Difference"),
    LineColumn.UNIT: N_("Unit"),
    LineColumn.PRICE: N_("Price"),
    LineColumn.AMOUNT: N_("Amount"),
}
NUMERIC = (LineColumn.POSITION, LineColumn.BOOK, LineColumn.QUANTITY, LineColumn.DIFFERENCE, LineColumn.PRICE,
           LineColumn.AMOUNT)  # fmt: skip
COMMON = {LineColumn.POSITION, LineColumn.ARTICLE, LineColumn.BRAND, LineColumn.NAME, LineColumn.QUANTITY,
          LineColumn.UNIT}  # fmt: skip
KIND_COLUMNS = {
    DocumentKind.RECEIPT: COMMON | {LineColumn.TO, LineColumn.PRICE, LineColumn.AMOUNT},
    DocumentKind.ISSUE: COMMON | {LineColumn.FROM},
    DocumentKind.TRANSFER: COMMON | {LineColumn.FROM, LineColumn.TO},
    DocumentKind.SUPPLIER_RETURN: COMMON | {LineColumn.FROM, LineColumn.PRICE, LineColumn.AMOUNT},
    DocumentKind.COUNT: COMMON | {LineColumn.FROM, LineColumn.BOOK, LineColumn.DIFFERENCE},
    DocumentKind.WRITE_OFF: COMMON | {LineColumn.FROM},
}
# Where a single place column is shown it is simply "Place"; a transfer has both ends.
PLACE_TITLES = {LineColumn.FROM: N_("Place"), LineColumn.TO: N_("Place")}


def line_input(line: LineInfo) -> LineInput:
    """What the form would submit to keep *line* as it is."""
    return LineInput(line.part_id, line.quantity, line.price, line.from_location_id, line.to_location_id,
                     line.reservation_id)  # fmt: skip


def visible_columns(kind: DocumentKind) -> frozenset[LineColumn]:
    return frozenset(KIND_COLUMNS[kind])


class DocumentLinesModel(EnumColumnsModel):
    """Shows one DocumentInfo; an edit is not applied here but asked for (`line_edited`, `counted_edited`): the
    editor saves it through the service and shows the document that comes back."""

    columns = LineColumn
    headers = HEADERS

    line_edited = Signal(int, object)  # line id, the LineInput to save
    counted_edited = Signal(int, object)  # line id, the counted Decimal (a count sheet)
    edit_refused = Signal(str)  # what was wrong with the typed value

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._document: DocumentInfo | None = None
        self._lines: tuple[LineInfo, ...] = ()
        self._problem: tuple[int, int | None] | None = None  # (part, place) a posting refused

    @property
    def kind(self) -> DocumentKind | None:
        return self._document.kind if self._document is not None else None

    @property
    def editable(self) -> bool:
        return self._document is not None and self._document.is_draft

    def set_document(self, document: DocumentInfo | None) -> None:
        self.beginResetModel()
        self._document = document
        self._lines = document.lines if document is not None else ()
        self._problem = None
        self.endResetModel()

    def line(self, row: int) -> LineInfo:
        return self._lines[row]

    def row_of(self, line_id: int) -> int | None:
        return next((row for row, line in enumerate(self._lines) if line.id == line_id), None)

    def set_problem(self, part_id: int | None, location_id: int | None = None) -> int | None:
        """Mark the line a refusal names (None clears it); returns its row."""
        self._problem = (part_id, location_id) if part_id is not None else None
        if self._lines:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._lines) - 1, len(LineColumn) - 1))
        return next((row for row, line in enumerate(self._lines) if self._is_problem(line)), None)

    def _is_problem(self, line: LineInfo) -> bool:
        if self._problem is None or line.part_id != self._problem[0]:
            return False
        place = self._problem[1]
        return place is None or place in (line.from_location_id, line.to_location_id)

    # --- Qt overrides ---------------------------------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's own signature
        """Qt override: one row per line."""
        return 0 if parent.isValid() else len(self._lines)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Qt override: "Counted" on a count sheet, "Place" where the kind has one place column."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            if section == LineColumn.QUANTITY and self.kind == DocumentKind.COUNT:
                return _("Counted")
            if section in PLACE_TITLES and self.kind not in (DocumentKind.TRANSFER, None):
                return _(PLACE_TITLES[LineColumn(section)])
        return super().headerData(section, orientation, role)

    def _text(self, line: LineInfo, column: LineColumn) -> str:
        difference = line.quantity - line.book_quantity if line.book_quantity is not None else None
        texts: dict[LineColumn, str] = {
            LineColumn.POSITION: str(line.position),
            LineColumn.ARTICLE: line.article,
            LineColumn.BRAND: line.brand,
            LineColumn.NAME: line.part_name,
            LineColumn.FROM: line.from_location,
            LineColumn.TO: line.to_location,
            LineColumn.BOOK: quantity_text(line.book_quantity) if line.book_quantity is not None else "",
            LineColumn.QUANTITY: quantity_text(line.quantity),
            LineColumn.DIFFERENCE: "",
            LineColumn.UNIT: _(UNITS.get(line.unit, line.unit)),
            LineColumn.PRICE: format_number(line.price, 2) if line.price is not None else "",
            LineColumn.AMOUNT: format_number(line.amount, 2) if line.amount is not None else "",
        }
        if column == LineColumn.DIFFERENCE and difference:
            return ("+" if difference > 0 else "−") + quantity_text(abs(difference))  # a true minus sign
        return texts[column]

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Qt override: texts; plain numbers and place ids to edit; count differences and refusals highlighted."""
        if not index.isValid() or not 0 <= index.row() < len(self._lines):
            return None
        line, column = self._lines[index.row()], LineColumn(index.column())
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._text(line, column)
        if role == Qt.ItemDataRole.EditRole:
            return self._edit_value(line, column)
        if role == LINE_ID_ROLE:
            return line.id
        if role == Qt.ItemDataRole.TextAlignmentRole and column in NUMERIC:
            return int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._background(line, column)
        if role == Qt.ItemDataRole.FontRole and column == LineColumn.DIFFERENCE and line.book_quantity is not None:
            if line.quantity != line.book_quantity:
                font = QFont()
                font.setBold(True)
                return font
        return None

    def _background(self, line: LineInfo, column: LineColumn) -> QBrush | None:
        if self._is_problem(line):
            return QBrush(SHORTAGE)
        if line.book_quantity is None or line.quantity == line.book_quantity:
            return None
        if column in (LineColumn.QUANTITY, LineColumn.DIFFERENCE, LineColumn.BOOK):
            return QBrush(SHORTAGE if line.quantity < line.book_quantity else SURPLUS)
        return None

    def _edit_value(self, line: LineInfo, column: LineColumn) -> Any:
        if column == LineColumn.QUANTITY:
            return str(line.quantity.normalize()) if line.quantity else "0"
        if column == LineColumn.PRICE:
            return str(line.price) if line.price is not None else ""
        if column == LineColumn.FROM:
            return line.from_location_id
        if column == LineColumn.TO:
            return line.to_location_id
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        """Qt override: on a draft, quantities, prices and places the kind uses can be edited."""
        flags = super().flags(index)
        if index.isValid() and self._editable_column(LineColumn(index.column())):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def _editable_column(self, column: LineColumn) -> bool:
        kind = self.kind
        if kind is None or not self.editable or column not in KIND_COLUMNS[kind]:
            return False
        if column == LineColumn.QUANTITY:
            return True
        if column == LineColumn.PRICE:
            return kind == DocumentKind.RECEIPT  # a return goes back at the receipt's price
        if column in (LineColumn.FROM, LineColumn.TO):
            return kind != DocumentKind.COUNT  # a count line is the place's own
        return False

    def setData(self, index: ModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        """Qt override: ask for the edit to be saved (the cell changes once the saved document comes back)."""
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or not 0 <= index.row() < len(self._lines):
            return False
        column = LineColumn(index.column())
        if not self._editable_column(column):
            return False
        line = self._lines[index.row()]
        current = line_input(line)
        if column in (LineColumn.FROM, LineColumn.TO):
            if value is None or value == self._edit_value(line, column):
                return False
            if column == LineColumn.FROM:
                self.line_edited.emit(line.id, replace(current, from_location_id=int(value)))
            else:
                self.line_edited.emit(line.id, replace(current, to_location_id=int(value)))
            return True
        number = parse_decimal(str(value))
        if number is None:
            self.edit_refused.emit(_("“{text}” is not a number.").format(text=value))
            return False
        if column == LineColumn.QUANTITY and self.kind == DocumentKind.COUNT:
            if number != line.quantity:
                self.counted_edited.emit(line.id, number)
            return True
        if column == LineColumn.QUANTITY and number != line.quantity:
            self.line_edited.emit(line.id, replace(current, quantity=number))
        elif column == LineColumn.PRICE and number != line.price:
            self.line_edited.emit(line.id, replace(current, price=number))
        return True
