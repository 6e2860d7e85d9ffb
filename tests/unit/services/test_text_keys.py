"""Folding rules that parsers and search share."""

from __future__ import annotations

from autoservice_desk.services.text_keys import digits_only, fold_text, plate_key, vin_key


def test_fold_text_ignores_case_yo_and_spacing() -> None:
    assert fold_text("  Семёнов   ПЁТР ") == "семенов петр"
    assert fold_text("ООО «Ёлка»") == fold_text("ооо «елка»")


def test_plate_key_turns_latin_lookalikes_cyrillic() -> None:
    assert plate_key("a 123 bc 77") == "А123ВС77" == plate_key("А123ВС77")
    assert plate_key("x-001-xx 777") == "Х001ХХ777"


def test_vin_key_turns_cyrillic_lookalikes_latin() -> None:
    assert vin_key("ХТА 21099-0") == "XTA210990"


def test_digits_only() -> None:
    assert digits_only("8 (912) 345-67-89") == "89123456789"
