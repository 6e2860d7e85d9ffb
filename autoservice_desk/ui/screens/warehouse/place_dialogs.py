"""The place dialogs: add a warehouse, rack, shelf or bin; rename one; move one (with all it holds) elsewhere."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QWidget

from autoservice_desk.i18n import _
from autoservice_desk.services.errors import FieldErrors
from autoservice_desk.services.locations import (
    KIND_LABELS,
    KINDS,
    PATH_SEPARATOR,
    LocationNode,
    add_location,
    move_location,
    rename_location,
    set_default_location,
)
from autoservice_desk.ui.context import ScreenContext
from autoservice_desk.ui.models.location_tree_model import place_title, walk
from autoservice_desk.ui.screens.settings.editing import EditDialog


def place_paths(roots: Sequence[LocationNode]) -> dict[int, str]:
    """Every place's path of titles: "Main warehouse › Rack A › Shelf 03"."""
    paths: dict[int, str] = {}
    for node in walk(roots):
        head = paths.get(node.parent_id) if node.parent_id is not None else None
        paths[node.id] = f"{head}{PATH_SEPARATOR}{place_title(node)}" if head else place_title(node)
    return paths


def child_kinds(parent: LocationNode | None) -> list[str]:
    """What may go inside *parent*: the kinds below its own, the next one first; a warehouse at the top."""
    if parent is None:
        return ["warehouse"]
    return list(KINDS[KINDS.index(parent.kind) + 1 :]) if parent.kind in KINDS else []


def _code_edit(code: str = "") -> QLineEdit:
    edit = QLineEdit(code)
    edit.setPlaceholderText(_("empty: made from the code above and the name"))
    edit.setMinimumWidth(edit.fontMetrics().horizontalAdvance(edit.placeholderText()) + 24)
    return edit


class AddPlaceDialog(EditDialog):
    """A new place inside *parent* (None: a new warehouse); `saved` carries its id."""

    def __init__(self, context: ScreenContext, parent_node: LocationNode | None, path: str,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(context, _("New place") if parent_node else _("New warehouse"), parent)
        self.parent_node = parent_node
        self.kind = QComboBox()
        for kind in child_kinds(parent_node):
            self.kind.addItem(_(KIND_LABELS[kind]), kind)
        self.name = QLineEdit()
        self.name.setMinimumWidth(300)
        self.code = _code_edit()
        if parent_node is not None:
            self.add_row("parent_id", _("Inside:"), QLabel(path))
        self.add_row("kind", _("Kind:"), self.kind)
        self.add_row("name", _("Name:"), self.name)
        self.add_row("code", _("Label code:"), self.code)
        self.name.setFocus()

    def save_work(self) -> Callable[[], object]:
        uow_factory = self.context.uow_factory
        assert uow_factory is not None
        parent_id = self.parent_node.id if self.parent_node is not None else None
        kind, name, code = str(self.kind.currentData()), self.name.text(), self.code.text()
        return lambda: add_location(uow_factory, parent_id, kind, name, code)


class RenamePlaceDialog(EditDialog):
    """A new name (and, if wanted, a new label code) for a place."""

    def __init__(self, context: ScreenContext, node: LocationNode, parent: QWidget | None = None) -> None:
        super().__init__(context, _("Rename {place}").format(place=place_title(node)), parent)
        self.node = node
        self.name = QLineEdit(node.name)
        self.name.setMinimumWidth(300)
        self.code = _code_edit(node.code)
        self.add_row("name", _("Name:"), self.name)
        self.add_row("code", _("Label code:"), self.code)

    def save_work(self) -> Callable[[], object]:
        uow_factory, location_id = self.context.uow_factory, self.node.id
        assert uow_factory is not None
        name, code = self.name.text(), self.code.text()
        return lambda: rename_location(uow_factory, location_id, name, code)


class MovePlaceDialog(EditDialog):
    """Put a place, with everything in it, inside another one higher up the tree."""

    def __init__(self, context: ScreenContext, node: LocationNode, roots: Sequence[LocationNode],
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(context, _("Move {place}").format(place=place_title(node)), parent)
        self.node = node
        inside = {place.id for place in walk((node,))}
        level = KINDS.index(node.kind) if node.kind in KINDS else 0
        paths = place_paths(roots)
        self.target = QComboBox()
        for place in walk(roots):
            allowed = place.kind in KINDS and KINDS.index(place.kind) < level
            if place.active and allowed and place.id not in inside and place.id != node.parent_id:
                self.target.addItem(paths[place.id], place.id)
        self.target.setMinimumWidth(360)
        self.add_row("parent_id", _("Move into:"), self.target)

    def save_work(self) -> Callable[[], object]:
        uow_factory, location_id, target = self.context.uow_factory, self.node.id, self.target.currentData()
        assert uow_factory is not None
        if target is None:
            return lambda: _no_target()
        return lambda: move_location(uow_factory, location_id, int(target))


def _no_target() -> None:
    raise FieldErrors({"parent_id": _("There is no place this one can be moved into.")})


class DefaultPlaceDialog(EditDialog):
    """Where a part is put away by default (receipts suggest it); the place chosen in the tree comes first."""

    def __init__(self, context: ScreenContext, part_id: int, part_title: str, current: int | None,
                 roots: Sequence[LocationNode], chosen: int | None, parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(context, _("Default place of {part}").format(part=part_title), parent)
        self.part_id = part_id
        self.place = QComboBox()
        self.place.addItem(_("— none —"), None)
        paths = place_paths(roots)
        for node in walk(roots):
            if node.active or node.id == current:
                self.place.addItem(paths[node.id] + (f" ({node.code})" if node.code else ""), node.id)
        self.place.setMinimumWidth(360)
        wanted = chosen if chosen is not None else current
        self.place.setCurrentIndex(max(self.place.findData(wanted), 0))
        self.add_row("location_id", _("Place:"), self.place)

    def save_work(self) -> Callable[[], object]:
        uow_factory, part_id, location_id = self.context.uow_factory, self.part_id, self.place.currentData()
        assert uow_factory is not None
        return lambda: set_default_location(uow_factory, part_id, location_id)
