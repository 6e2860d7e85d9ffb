"""Part numbers and brands compare the way a warehouse keeper reads them: no spaces, dashes, dots or case."""

from __future__ import annotations

import pytest

from autoservice_desk.services.text_keys import article_key, brand_key


@pytest.mark.parametrize("typed", ["0 986 494-104", "0986494104", "0986.494.104", " 0986/494/104 "])
def test_separators_and_spaces_do_not_count(typed: str) -> None:
    assert article_key(typed) == "0986494104"


def test_cyrillic_lookalikes_typed_on_a_russian_layout_are_latin() -> None:
    assert article_key("ос 90") == article_key("OC-90") == "OC90"


def test_brands_ignore_case_and_separators() -> None:
    assert brand_key("Mann-Filter") == brand_key("MANN FILTER") == "MANNFILTER"
