"""Labels as PDF on SQLite and PostgreSQL: shelf and part labels, pages, a font with Cyrillic or a clear error."""

from __future__ import annotations

import re

import pytest

from autoservice_desk.services import labels
from autoservice_desk.services.errors import ConfigurationError, NotFoundError
from autoservice_desk.services.labels import Label, location_labels, part_labels, render_labels
from autoservice_desk.services.locations import add_location, set_default_location
from autoservice_desk.services.part_forms import PartForm
from autoservice_desk.services.parts import create_part
from autoservice_desk.services.unit_of_work import UnitOfWorkFactory


def pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type /Page\b(?!s)", pdf))


def test_shelf_and_part_labels(uow_factory: UnitOfWorkFactory) -> None:
    main = add_location(uow_factory, None, "warehouse", "Основной склад")
    rack = add_location(uow_factory, main, "rack", "A")
    shelves = [add_location(uow_factory, rack, "shelf", f"{number:02}") for number in range(1, 26)]
    sheet = location_labels(uow_factory, shelves)
    assert sheet.startswith(b"%PDF") and pages(sheet) == 2  # 24 labels a sheet
    assert b"/FontFile2" in sheet  # a TrueType font (the one with Cyrillic) is embedded
    single = location_labels(uow_factory, shelves[:3], layout="single")
    assert pages(single) == 3
    plain = create_part(uow_factory, PartForm(article="OC 90", brand="Mahle", name="Фильтр масляный"))
    coded = create_part(uow_factory, PartForm(article="0986494104", brand="Bosch", name="Колодки",
                                              barcodes=("4006381333931",)))  # fmt: skip
    set_default_location(uow_factory, coded, shelves[0])
    assert pages(part_labels(uow_factory, [plain, coded, coded], layout="single")) == 3
    with pytest.raises(NotFoundError):
        part_labels(uow_factory, [plain, 999_999])


def test_what_a_label_carries(monkeypatch: pytest.MonkeyPatch) -> None:
    drawn: list[Label] = []
    monkeypatch.setattr(labels, "_draw_label", lambda canvas, label, *place: drawn.append(label))
    render_labels([Label("КОФЕ-1", "", "Кофе в зёрнах 1 кг", "КОФЕ-1")] * 30)
    assert len(drawn) == 30


def test_no_font_with_cyrillic_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(labels, "FONT", "NoSuchLabelFont")
    monkeypatch.setattr(labels, "FONT_CANDIDATES", (("/nonexistent/a.ttf", "/nonexistent/b.ttf"),))
    with pytest.raises(ConfigurationError, match="fonts-dejavu-core"):
        render_labels([Label("A", "", "", "A")])
