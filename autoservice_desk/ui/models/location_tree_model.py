"""The place tree warehouse → rack → shelf → bin as a Qt item model over `LocationNode` results."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from autoservice_desk.i18n import N_, _
from autoservice_desk.services.locations import KIND_LABELS, LocationNode
from autoservice_desk.ui.models.columns import ModelIndex

LOCATION_ID_ROLE = Qt.ItemDataRole.UserRole + 1
MUTED = QColor("#808080")


class PlaceColumn(IntEnum):
    NAME = 0
    CODE = 1
    PARTS = 2


HEADERS = {PlaceColumn.NAME: N_("Place"), PlaceColumn.CODE: N_("Code"), PlaceColumn.PARTS: N_("Stocked")}


def place_title(node: LocationNode) -> str:
    """"Rack A", "Shelf 03"; a warehouse by its own name."""
    if node.kind == "warehouse":
        return node.name
    return _("{kind} {name}").format(kind=_(KIND_LABELS.get(node.kind, node.kind)), name=node.name)


def walk(nodes: Sequence[LocationNode]) -> Iterator[LocationNode]:
    """Every node of the tree, parents before their children."""
    for node in nodes:
        yield node
        yield from walk(node.children)


class LocationTreeModel(QAbstractItemModel):
    """`set_nodes` replaces the tree; each index carries its place's id (internalId), places out of use are grey."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._roots: tuple[LocationNode, ...] = ()
        self._nodes: dict[int, LocationNode] = {}
        self._parents: dict[int, int | None] = {}
        self._rows: dict[int, int] = {}
        self._totals: dict[int, int] = {}

    def set_nodes(self, nodes: Sequence[LocationNode]) -> None:
        self.beginResetModel()
        self._roots = tuple(nodes)
        self._nodes, self._parents, self._rows, self._totals = {}, {}, {}, {}
        self._index_nodes(self._roots, None)
        self.endResetModel()

    def _index_nodes(self, nodes: Sequence[LocationNode], parent_id: int | None) -> int:
        total = 0
        for row, node in enumerate(nodes):
            self._nodes[node.id] = node
            self._parents[node.id] = parent_id
            self._rows[node.id] = row
            self._totals[node.id] = node.stocked_parts + self._index_nodes(node.children, node.id)
            total += self._totals[node.id]
        return total

    @property
    def roots(self) -> tuple[LocationNode, ...]:
        return self._roots

    def node(self, index: ModelIndex) -> LocationNode | None:
        return self._nodes.get(index.internalId()) if index.isValid() else None

    def find(self, location_id: int) -> LocationNode | None:
        return self._nodes.get(location_id)

    def index_of(self, location_id: int, column: int = 0) -> QModelIndex:
        if location_id not in self._nodes:
            return QModelIndex()
        return self.createIndex(self._rows[location_id], column, location_id)

    def _children(self, parent: ModelIndex) -> tuple[LocationNode, ...]:
        if not parent.isValid():
            return self._roots
        node = self._nodes.get(parent.internalId())
        return node.children if node is not None else ()

    # --- Qt overrides ---------------------------------------------------------------------------------------

    def index(self, row: int, column: int, parent: ModelIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        """Qt override: the index of a child of *parent*, carrying the child's place id."""
        children = self._children(parent)
        if not (0 <= row < len(children) and 0 <= column < len(PlaceColumn)):
            return QModelIndex()
        return self.createIndex(row, column, children[row].id)

    def parent(self, index: ModelIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        """Qt override: the index of the place *index* is in (invalid for a warehouse)."""
        if not index.isValid():
            return QModelIndex()
        parent_id = self._parents.get(index.internalId())
        return QModelIndex() if parent_id is None else self.createIndex(self._rows[parent_id], 0, parent_id)

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's own signature
        """Qt override: the places inside *parent* (only the first column has children)."""
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._children(parent))

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's own signature
        """Qt override."""
        return len(PlaceColumn)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Qt override: title, code and how many part lines lie on the place and inside it; the id for its role."""
        node = self.node(index)
        if node is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == PlaceColumn.NAME:
                return place_title(node)
            if column == PlaceColumn.CODE:
                return node.code
            total = self._totals.get(node.id, 0)
            return str(total) if total else ""
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = _("{place}, code {code}").format(place=place_title(node), code=node.code or "—")
            return tip if node.active else _("{place} — out of use").format(place=tip)
        if role == LOCATION_ID_ROLE:
            return node.id
        if role == Qt.ItemDataRole.ForegroundRole and not node.active:
            return QBrush(MUTED)
        if role == Qt.ItemDataRole.FontRole and not node.active:
            font = QFont()
            font.setItalic(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column == PlaceColumn.PARTS:
            return int((Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter).value)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """Qt override: translated column titles."""
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            if 0 <= section < len(PlaceColumn):
                return _(HEADERS[PlaceColumn(section)])
        return None
