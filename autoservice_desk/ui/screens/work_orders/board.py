"""The kanban of work orders: one column per status, cards dragged between columns; refusals shown on the card."""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from PySide6.QtCore import QByteArray, QMimeData, QPoint, Qt, Signal
from PySide6.QtGui import QDrag, QDragEnterEvent, QDragLeaveEvent, QDropEvent, QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from autoservice_desk.i18n import _
from autoservice_desk.services.work_order_board import BoardColumn, WorkOrderRow
from autoservice_desk.services.work_order_types import WorkOrderStatus
from autoservice_desk.ui.style import ERROR_STYLE

CARD_MIME = "application/x-autoservice-work-order"
COLUMN_WIDTH = 130
CARD_STYLE = "QFrame#card {{ background: {background}; border: {width}px solid {border}; border-radius: 4px; }}"
NORMAL = {"background": "#ffffff", "width": 1, "border": "#b9bec7"}
SELECTED = {"background": "#eef4ff", "width": 2, "border": "#2f6fd6"}
REFUSED = {"background": "#fff1f1", "width": 2, "border": "#b00020"}
COLUMN_STYLE = "QFrame#column {{ background: {background}; border-radius: 6px; }}"


def encode_card(order_id: int, version: int, status: WorkOrderStatus) -> QByteArray:
    return QByteArray(f"{order_id}:{version}:{status.value}".encode())


def decode_card(data: QMimeData) -> tuple[int, int, WorkOrderStatus] | None:
    if not data.hasFormat(CARD_MIME):
        return None
    order_id, version, status = bytes(data.data(CARD_MIME).data()).decode().split(":")
    return int(order_id), int(version), WorkOrderStatus(status)


class OrderCard(QFrame):
    """One work order on the board: number, car and plate, client, promised time, mechanics; overdue in red."""

    pressed = Signal(int)
    activated = Signal(int)

    def __init__(self, row: WorkOrderRow, zone: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.row = row
        self.setObjectName("card")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        # Preferred height: the column's layout then asks the wrapped labels how tall they are at its width.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self._press: QPoint | None = None
        number = QLabel(f"<b>{row.number}</b>")
        promised = row.planned_at.astimezone(zone).strftime("%d.%m %H:%M") if row.planned_at else "—"
        self.promised = QLabel(_("Promised {when}").format(when=promised))
        if row.overdue:
            self.promised.setText(_("Overdue: {when}").format(when=promised))
            self.promised.setStyleSheet(ERROR_STYLE + " font-weight: 600;")
        car = " · ".join(part for part in (row.car, row.plate) if part) or _("(no car)")
        lines = [number, QLabel(car), QLabel(row.client_name), self.promised]
        if row.mechanic_names:
            lines.append(QLabel(", ".join(row.mechanic_names)))
        self.refusal = QLabel()
        self.refusal.setWordWrap(True)
        self.refusal.setStyleSheet(ERROR_STYLE)
        self.refusal.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.setSpacing(1)
        for label in lines:
            label.setWordWrap(True)
            layout.addWidget(label)
        layout.addWidget(self.refusal)
        self.set_look(NORMAL)

    def set_look(self, look: dict[str, object]) -> None:
        self.setStyleSheet(CARD_STYLE.format(**look))

    def show_refusal(self, text: str) -> None:
        self.refusal.setText(text)
        self.refusal.setVisible(bool(text))
        self.set_look(REFUSED if text else NORMAL)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """Qt override: remember where a drag may start; select the card."""
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position().toPoint()
            self.pressed.emit(self.row.id)
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        """Qt override: past the drag distance the card is dragged to another column."""
        if self._press is None or not event.buttons() & Qt.MouseButton.LeftButton:
            return
        if (event.position().toPoint() - self._press).manhattanLength() < QApplication.startDragDistance():
            return
        self._press = None
        data = QMimeData()
        data.setData(CARD_MIME, encode_card(self.row.id, self.row.version, self.row.status))
        drag = QDrag(self)
        drag.setMimeData(data)
        drag.setPixmap(self.grab())
        drag.exec(Qt.DropAction.MoveAction)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        """Qt override: a double click opens the order."""
        self.activated.emit(self.row.id)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Qt override: Enter opens the order."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.activated.emit(self.row.id)
            return
        super().keyPressEvent(event)


class StatusColumn(QFrame):
    """A status's column; a card dropped here asks the board to move its order to this status."""

    dropped = Signal(int, int, object)  # order id, version, WorkOrderStatus

    def __init__(self, status: WorkOrderStatus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status = status
        self.setObjectName("column")
        self.setAcceptDrops(True)
        self.setMinimumWidth(COLUMN_WIDTH)
        self.title = QLabel()
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setWordWrap(True)
        self.cards_box = QVBoxLayout()
        self.cards_box.setSpacing(6)
        inner = QWidget()
        inner_layout = QVBoxLayout(inner)
        inner_layout.setContentsMargins(2, 2, 2, 2)
        inner_layout.addLayout(self.cards_box)
        inner_layout.addStretch(1)
        self.area = QScrollArea()
        self.area.setWidgetResizable(True)
        self.area.setWidget(inner)
        self.area.setFrameShape(QFrame.Shape.NoFrame)
        self.area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 6, 4, 4)
        layout.addWidget(self.title)
        layout.addWidget(self.area, 1)
        self.cards: list[OrderCard] = []
        self._highlight(False)

    def _highlight(self, on: bool) -> None:
        self.setStyleSheet(COLUMN_STYLE.format(background="#d6e6ff" if on else "#eceff3"))

    def set_cards(self, cards: Sequence[OrderCard]) -> None:
        for card in self.cards:
            card.deleteLater()
        self.cards = list(cards)
        for card in self.cards:
            self.cards_box.addWidget(card)
        self.title.setText(f"<b>{self.status.label}</b> ({len(self.cards)})")

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        """Qt override: take cards of other columns."""
        card = decode_card(event.mimeData())
        if card is not None and card[2] != self.status:
            self._highlight(True)
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        """Qt override: the highlight goes."""
        self._highlight(False)

    def dropEvent(self, event: QDropEvent) -> None:
        """Qt override: ask for the move; the board stays as it is until the service answers."""
        self._highlight(False)
        card = decode_card(event.mimeData())
        if card is None or card[2] == self.status:
            event.ignore()
            return
        event.acceptProposedAction()
        self.dropped.emit(card[0], card[1], self.status)


class OrderBoard(QScrollArea):
    """Columns for *statuses*; `move_requested` when a card is dropped on another column, `order_activated` on
    double click or Enter. Refusals stay on their cards through reloads until the card moves or is clicked."""

    move_requested = Signal(int, int, object)  # order id, version, WorkOrderStatus
    order_activated = Signal(int)
    order_selected = Signal(int)

    def __init__(self, statuses: Sequence[WorkOrderStatus], zone: ZoneInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.zone = zone
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        inner = QWidget()
        row = QHBoxLayout(inner)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        self.columns: dict[WorkOrderStatus, StatusColumn] = {}
        for status in statuses:
            column = StatusColumn(status)
            column.dropped.connect(self.move_requested)
            row.addWidget(column, 1)
            self.columns[status] = column
        self.setWidget(inner)
        self._refusals: dict[int, str] = {}
        self.selected_id: int | None = None

    def set_columns(self, columns: Sequence[BoardColumn]) -> None:
        for column in columns:
            target = self.columns.get(column.status)
            if target is None:
                continue
            cards = [OrderCard(row, self.zone) for row in column.rows]
            for card in cards:
                card.pressed.connect(self._on_card_pressed)
                card.activated.connect(self.order_activated)
                if card.row.id in self._refusals:
                    card.show_refusal(self._refusals[card.row.id])
                elif card.row.id == self.selected_id:
                    card.set_look(SELECTED)
            target.set_cards(cards)

    def card(self, order_id: int) -> OrderCard | None:
        return next((card for column in self.columns.values() for card in column.cards if card.row.id == order_id),
                    None)  # fmt: skip

    def column_of(self, order_id: int) -> WorkOrderStatus | None:
        card = self.card(order_id)
        return card.row.status if card else None

    def show_refusal(self, order_id: int, text: str) -> None:
        """Keep *text* on the order's card (red) until it moves or is clicked."""
        self._refusals[order_id] = text
        card = self.card(order_id)
        if card is not None:
            card.show_refusal(text)

    def clear_refusal(self, order_id: int) -> None:
        self._refusals.pop(order_id, None)
        card = self.card(order_id)
        if card is not None:
            card.show_refusal("")

    def _on_card_pressed(self, order_id: int) -> None:
        previous = self.card(self.selected_id) if self.selected_id is not None else None
        if previous is not None and previous.row.id not in self._refusals:
            previous.set_look(NORMAL)
        self.selected_id = order_id
        if order_id in self._refusals:
            self.clear_refusal(order_id)
        card = self.card(order_id)
        if card is not None:
            card.set_look(SELECTED)
        self.order_selected.emit(order_id)
