"""Identity parsers of the client card: phones, VINs, chassis numbers and plates, on examples and any text."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vininfo import Vin

from autoservice_desk.services.errors import ValidationError
from autoservice_desk.services.identity import (
    PlateInfo,
    VinInfo,
    format_phone,
    parse_chassis_number,
    parse_phone,
    parse_plate,
    parse_vin,
    vin_check_digit,
)
from autoservice_desk.services.text_keys import LATIN_TO_CYRILLIC, LOOKALIKE_PAIRS

TODAY = date(2025, 6, 1)
# More examples than the default, no deadline: a few examples are 3,000-character strings.
PROPERTY = settings(max_examples=300, deadline=None)


def _error(parse: Callable[[str], object], text: str) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        parse(text)
    return caught.value


# --- phones ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["8 (912) 345-67-89", "+7 912 345-67-89", "+79123456789", "912 345 67 89", "89123456789", "7 912 345 67 89",
     "8-912-345-67-89", "\u00a08 912 345 67 89\n", "８９１２３４５６７８９"],
)  # fmt: skip
def test_russian_mobile_numbers_typed_any_common_way(typed: str) -> None:
    assert parse_phone(typed) == "+79123456789"


@pytest.mark.parametrize(
    ("typed", "e164"),
    [
        ("8 343 123-45-67", "+73431234567"),
        ("+7 (495) 123-45-67", "+74951234567"),
        ("8 800 555-35-35", "+78005553535"),
        ("810 49 30 1234567", "+49301234567"),
        ("+375 29 123-45-67", "+375291234567"),
        ("+7 700 123 45 67", "+77001234567"),
    ],
)
def test_landlines_toll_free_and_foreign_numbers(typed: str, e164: str) -> None:
    assert parse_phone(typed) == e164


def test_a_number_without_a_country_code_belongs_to_the_default_region() -> None:
    assert parse_phone("030 1234567", default_region="DE") == "+49301234567"


ONLY_PHONE_CHARACTERS = "A phone number may contain only digits, spaces, brackets, dashes and a leading “+”."


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter a phone number."),
        ("   ", "Enter a phone number."),
        ("8 912 DEF 67 89", ONLY_PHONE_CHARACTERS),
        ("8 912 345 67 89 доб. 12", ONLY_PHONE_CHARACTERS),
        ("9", "This is not a phone number. Type it as 8 912 345-67-89 or +7 912 345-67-89."),
        ("+999 123 45 67", "Unknown country code after “+”. Russian numbers start with +7 or 8."),
        ("+7 912 345", "The phone number is too short."),
        ("8 912 345", "The phone number is too short: type it with the area code, as 8 343 123-45-67."),
        ("+7 912 345 67 89 0", "The phone number has the wrong number of digits."),
        ("+7 912 345 67 89 012345", "The phone number is too long."),
        ("1" * 100, "The phone number is too long."),
        ("123-45-67", "The phone number is too short: type it with the area code, as 8 343 123-45-67."),
        ("+7 123 456 78 90", "There is no such phone number: check the digits and the area code."),
    ],
)
def test_bad_phone_numbers_are_refused_with_a_message(typed: str, message: str) -> None:
    error = _error(parse_phone, typed)
    assert (error.field, str(error)) == ("phone", message)


def test_format_phone_for_display() -> None:
    assert format_phone("+79123456789") == "+7 912 345-67-89"
    assert format_phone("+73431234567") == "+7 343 123-45-67"
    assert format_phone("not a number") == "not a number"  # legacy data is shown, not crashed on


@given(st.from_regex(r"912[0-9]{7}", fullmatch=True), st.sampled_from(["8 ", "+7 ", "7", "", "8("]))
@PROPERTY
def test_every_typing_of_a_mobile_number_gives_one_e164(national: str, prefix: str) -> None:
    spaced = f"{national[:3]} {national[3:6]}-{national[6:8]}-{national[8:]}"
    assert parse_phone(prefix + spaced) == parse_phone(prefix + national) == f"+7{national}"


# --- VINs -----------------------------------------------------------------------------------------------------


def test_the_classic_north_american_vin() -> None:
    info = parse_vin("1M8GDM9AXKP042788", today=TODAY)
    assert (info.vin, info.check_digit_ok, info.warnings, info.country) == (
        "1M8GDM9AXKP042788", True, (), "United States"
    )  # fmt: skip
    assert info.model_year == 1989  # position 7 is a digit: the 1980-2009 cycle


def test_vins_valid_by_check_digit() -> None:
    assert parse_vin("11111111111111111", today=TODAY).check_digit_ok is True
    honda = parse_vin("1HGCM82633A004352", today=TODAY)
    assert (honda.check_digit_ok, honda.make, honda.model_year) == (True, "Honda", 2003)


def test_a_north_american_vin_with_a_wrong_check_digit_is_refused() -> None:
    error = _error(parse_vin, "1M8GDM9A1KP042788")
    assert error.field == "vin"
    assert str(error) == "The check digit (9th character) does not match the rest of the VIN: a character is mistyped."


def test_a_lada_vin_is_decoded() -> None:
    info = parse_vin("XTA210990Y2766389", today=TODAY)
    assert info == VinInfo(
        vin="XTA210990Y2766389", check_digit_ok=True, warnings=(), manufacturer="AvtoVAZ", make="Lada",
        model_year=2000, country="Russia",
    )  # fmt: skip


def test_a_vin_typed_in_cyrillic_lookalikes_with_spaces_and_dashes() -> None:
    assert parse_vin(" хта 21099-0у2766389 ", today=TODAY).vin == "XTA210990Y2766389"


def test_outside_north_america_a_wrong_check_digit_is_only_a_warning() -> None:
    info = parse_vin("XTA210991Y2766389", today=TODAY)
    assert info.check_digit_ok is False
    assert info.warnings == (
        "The check digit (9th character) does not match. Many makers outside North America do not use it,"
        " but compare the VIN with the vehicle documents.",
    )


def test_kia_and_toyota_are_decoded_and_the_check_rule_skipped_where_position_9_is_no_digit() -> None:
    kia = parse_vin("KNAFX411BC5123456", today=TODAY)
    assert (kia.make, kia.country, kia.check_digit_ok, kia.warnings, kia.model_year) == (
        "Kia", "South Korea", None, (), 2012
    )  # fmt: skip
    toyota = parse_vin("JTDBR32E530012345", today=TODAY)
    assert (toyota.manufacturer, toyota.make, toyota.country) == ("Toyota", "Toyota", "Japan")
    assert parse_vin("WVWZZZ1JZ3W386752", today=TODAY).check_digit_ok is None


def test_an_unknown_maker_decodes_to_nothing_but_the_vin_is_accepted() -> None:
    info = parse_vin("Z8T4C5S19BM005269", today=TODAY)  # a Russian assembly plant vininfo does not know
    assert (info.manufacturer, info.make, info.country) == (None, None, "Russia")


@pytest.mark.parametrize(
    ("code", "year"), [("Y", 2000), ("A", 2010), ("S", 2025), ("T", 2026), ("V", 1997), ("1", 2001), ("Z", None)]
)
def test_model_year_is_the_latest_not_after_next_year(code: str, year: int | None) -> None:
    vin = "XTA210990" + code + "2766389"
    assert parse_vin(vin[:8] + vin_check_digit(vin) + vin[9:], today=TODAY).model_year == year


def test_north_american_model_year_follows_position_7() -> None:
    assert parse_vin("1HGCM82633A004352", today=TODAY).model_year == 2003  # position 7 "2": 1980-2009
    letter = "5YJSA1E2XAF000001"  # position 7 "E": the 2010-2039 cycle
    letter = letter[:8] + vin_check_digit(letter) + letter[9:]
    assert parse_vin(letter, today=TODAY).model_year == 2010


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the VIN."),
        ("XTA21099", "A VIN has 17 characters; this one has 8."),
        ("XTA210990Y27663891", "A VIN has 17 characters; this one has 18."),
        ("XTA21O990Y2766389", "A VIN never contains the letter O: it is probably the digit 0."),
        ("XTA21Q990Y2766389", "A VIN never contains the letter Q: it is probably the digit 0."),
        ("xta21i990y2766389", "A VIN never contains the letter I: it is probably the digit 1."),
        ("ХТА21О990У2766389", "A VIN never contains the letter O: it is probably the digit 0."),  # Cyrillic О
        ("XTA21Ж990Y2766389", "A VIN may contain only Latin letters and digits; “Ж” is not allowed."),
        ("XTA21#990Y2766389", "A VIN may contain only Latin letters and digits; “#” is not allowed."),
        ("XTA21\x00990Y2766389", "A VIN may contain only Latin letters and digits; “U+0000” is not allowed."),
    ],
)
def test_bad_vins_are_refused_with_a_message(typed: str, message: str) -> None:
    error = _error(parse_vin, typed)
    assert (error.field, str(error)) == ("vin", message)


VIN_CHARACTERS = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"


@given(st.text(alphabet=VIN_CHARACTERS, min_size=17, max_size=17))
@PROPERTY
def test_check_digit_agrees_with_vininfo(vin: str) -> None:
    vin = "1" + vin[1:]  # a North American WMI, where vininfo always applies the rule
    assert (vin_check_digit(vin) == vin[8]) is Vin(vin).verify_checksum(check_year=False)


@given(st.text(alphabet=VIN_CHARACTERS, min_size=16, max_size=16))
@PROPERTY
def test_a_vin_with_its_check_digit_is_accepted_and_one_without_is_refused_in_north_america(body: str) -> None:
    vin = body[:8] + vin_check_digit(body[:8] + "0" + body[8:]) + body[8:]
    info = parse_vin(vin.lower(), today=TODAY)
    assert info.vin == vin
    assert info.check_digit_ok is not False and info.warnings == ()
    wrong = "1" + vin[1:8] + ("0" if vin_check_digit("1" + vin[1:]) != "0" else "1") + vin[9:]
    with pytest.raises(ValidationError):
        parse_vin(wrong, today=TODAY)


# --- chassis numbers ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("JZX100-0123456", "JZX100-0123456"),
        ("jzx 100 – 0123456", "JZX100-0123456"),
        ("-AE86--012345-", "AE86-012345"),
        ("ХТА 12345", "XTA12345"),  # all lookalikes: a Russian layout left on
        ("ГАЗ 24 12345", "ГАЗ2412345"),  # real Cyrillic: kept as typed
    ],
)
def test_chassis_numbers_are_stored_compact_upper_case(typed: str, stored: str) -> None:
    assert parse_chassis_number(typed) == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("  ", "Enter the chassis or body number."),
        ("---", "Enter the chassis or body number."),
        ("12-34", "A chassis number has 5 to 20 letters and digits; this one has 4."),
        ("A" * 21, "A chassis number has 5 to 20 letters and digits; this one has 21."),
        ("JZX100/0123456", "A chassis number may contain only letters, digits and dashes; “/” is not allowed."),
    ],
)
def test_bad_chassis_numbers_are_refused_with_a_message(typed: str, message: str) -> None:
    error = _error(parse_chassis_number, typed)
    assert (error.field, str(error)) == ("chassis", message)


# --- plates ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "plate", "region"),
    [
        ("А123ВС77", "А123ВС77", "77"),
        ("a 123 bc 177", "А123ВС177", "177"),  # Latin lookalikes
        ("А123bc-77 RUS", "А123ВС77", "77"),
        ("х 001 хх 797", "Х001ХХ797", "797"),
        ("ТХ 123 77", "ТХ12377", "77"),  # taxi
        ("АВ 1234 77", "АВ123477", "77"),  # trailer
        ("ав1234 177", "АВ1234177", "177"),
        ("1234 АВ 77", "1234АВ77", "77"),  # motorcycle
        ("АВ 123 177", "АВ123177", None),  # a taxi of 177 or a trailer of 77: cannot tell
    ],
)
def test_russian_plates_are_normalised_to_cyrillic(typed: str, plate: str, region: str | None) -> None:
    assert parse_plate(typed) == PlateInfo(plate, "russian", region)


@pytest.mark.parametrize(
    ("typed", "plate"),
    [
        ("M-AB 1234", "MAB1234"),
        ("aa 1234 bb", "AA1234BB"),  # Ukrainian: only lookalike letters, but no Russian layout
        ("АХ001Х797", "АХ001Х797"),  # three letters after the number: no Russian layout, kept as typed
        ("京A·12345", "京A12345"),
        ("D123BC77", "D123BC77"),  # D is not a plate letter, and Latin: a foreign plate
    ],
)
def test_foreign_plates_are_kept_as_typed(typed: str, plate: str) -> None:
    assert parse_plate(typed) == PlateInfo(plate, "other", None)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the plate number."),
        (" - ", "Enter the plate number."),
        ("!!!", "A plate number may contain only letters and digits; “!” is not allowed."),
        ("А123ВС77 🚗", "A plate number may contain only letters and digits; “🚗” is not allowed."),
        ("7", "A plate number has 2 to 12 letters and digits; this one has 1."),
        ("A" * 13, "A plate number has 2 to 12 letters and digits; this one has 13."),
        ("А000ВС77", "Russian plates have no number 000."),
        ("1234АВ00", "00 is not a Russian region code."),
        ("А123ВС077", "077 is not a Russian region code."),
        ("Д123ВС77", "Russian plates do not use the letter Д; only А, В, Е, К, М, Н, О, Р, С, Т, У, Х."),
    ],
)
def test_bad_plates_are_refused_with_a_message(typed: str, message: str) -> None:
    error = _error(parse_plate, typed)
    assert (error.field, str(error)) == ("plate", message)


_LETTER = st.sampled_from([letter for pair in LOOKALIKE_PAIRS for letter in pair])
_REGION = st.one_of(st.integers(1, 99).map(lambda code: f"{code:02d}"), st.integers(100, 999).map(str))
_SEPARATOR = st.sampled_from(["", " ", "-", " "])


@given(_LETTER, st.integers(1, 999), _LETTER, _LETTER, _REGION, _SEPARATOR, st.booleans())
@PROPERTY
def test_generated_car_plates_parse_as_russian_with_their_region(
    first: str, number: int, second: str, third: str, region: str, separator: str, lower: bool
) -> None:
    typed = f"{first}{number:03d}{separator}{second}{third}{separator}{region}"
    typed = typed.lower() if lower else typed
    canonical = f"{first}{number:03d}{second}{third}{region}".translate(LATIN_TO_CYRILLIC)
    assert parse_plate(typed) == PlateInfo(canonical, "russian", region)


@given(_LETTER, _LETTER, st.integers(1, 9999), _REGION, _SEPARATOR, st.sampled_from(["taxi", "trailer", "moto"]))
@PROPERTY
def test_generated_taxi_trailer_and_motorcycle_plates_parse_as_russian(
    first: str, second: str, number: int, region: str, separator: str, layout: str
) -> None:
    letters = first + second
    digits = f"{number % 1000 or 1:03d}" if layout == "taxi" else f"{number:04d}"
    parts = [digits, letters, region] if layout == "moto" else [letters, digits, region]
    info = parse_plate(separator.join(parts))
    assert (info.kind, info.plate) == ("russian", "".join(parts).translate(LATIN_TO_CYRILLIC))
    # Only a taxi with a three-digit region and a trailer with a two-digit one read two ways (АВ123177).
    if (layout, len(region)) in (("taxi", 3), ("trailer", 2)):
        assert info.region in (region, None, region[1:], digits[-1] + region)
    else:
        assert info.region == region


# --- any text at all ------------------------------------------------------------------------------------------

_NEAR_MISSES = st.text(
    alphabet="0123456789 +-()АВЕКМНОРСТУХавекмнорстухABCEHKMOPTXYabcehkmoptxyIOQДЖ#/.·\u00a0\t\n", max_size=24
)
ANY_TEXT = st.one_of(st.text(), _NEAR_MISSES, st.text(min_size=200, max_size=3000))


@given(ANY_TEXT)
@PROPERTY
def test_parse_phone_returns_e164_or_refuses_and_is_idempotent(text: str) -> None:
    try:
        e164 = parse_phone(text)
    except ValidationError as error:
        assert error.field == "phone" and str(error)
        return
    assert e164.startswith("+") and e164[1:].isdigit()
    assert parse_phone(e164) == e164 == parse_phone(format_phone(e164))


@given(ANY_TEXT)
@PROPERTY
def test_parse_vin_returns_info_or_refuses_and_is_idempotent(text: str) -> None:
    try:
        info = parse_vin(text, today=TODAY)
    except ValidationError as error:
        assert error.field == "vin" and str(error)
        return
    assert isinstance(info, VinInfo) and len(info.vin) == 17
    assert parse_vin(info.vin, today=TODAY) == info


@given(ANY_TEXT)
@PROPERTY
def test_parse_plate_returns_info_or_refuses_and_is_idempotent(text: str) -> None:
    try:
        info = parse_plate(text)
    except ValidationError as error:
        assert error.field == "plate" and str(error)
        return
    assert isinstance(info, PlateInfo) and 2 <= len(info.plate) <= 12
    assert parse_plate(info.plate) == info


@given(ANY_TEXT)
@PROPERTY
def test_parse_chassis_number_returns_text_or_refuses_and_is_idempotent(text: str) -> None:
    try:
        number = parse_chassis_number(text)
    except ValidationError as error:
        assert error.field == "chassis" and str(error)
        return
    assert isinstance(number, str) and parse_chassis_number(number) == number


@pytest.mark.parametrize("parse", [parse_phone, parse_vin, parse_plate, parse_chassis_number])
@pytest.mark.parametrize("text", ["А" * 1_000_000, "\x00" * 100_000, "🚗" * 100_000, " " * 1_000_000 + "X"])
def test_huge_input_is_refused_quickly(parse: Callable[[str], object], text: str) -> None:
    with pytest.raises(ValidationError):
        parse(text)
