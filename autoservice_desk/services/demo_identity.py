"""Demo VINs, plates and Latin spellings of names: valid, distinct for distinct numbers, millions a run."""

from __future__ import annotations

from autoservice_desk.services import demo_catalog as catalog
from autoservice_desk.services.demo_catalog import CarModel, RegionGroup

VIN_CHARS = "0123456789ABCDEFGHJKLMNPRSTUVWXYZ"  # ISO 3779 leaves out I, O and Q
_VIN_VALUES = dict(zip(VIN_CHARS, (*range(10), *range(1, 9), *range(1, 6), 7, 9, *range(2, 10)), strict=True))
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
_YEAR_CODES = "ABCDEFGHJKLMNPRSTVWXY123456789"  # 1980, 1981 ... 2009; the cycle restarts at A in 2010
# An affine map n -> (n * step + offset) mod space is a bijection when gcd(step, space) == 1 (spaces here factor
# into 2, 3, 5, 11 and 37): distinct vehicle ids give distinct serials and plates that still look scattered.
_VIN_SPACE, _VIN_STEP, _VIN_OFFSET = len(VIN_CHARS) * 10**6, 7_368_787, 1_234_567
_PLATES_PER_CODE = len(catalog.PLATE_LETTERS) ** 3 * 999
_PLATE_STEP, _PLATE_OFFSET = 1_000_003, 424_242
MAX_VEHICLE_ID = _PLATES_PER_CODE * min(len(region.codes) for region in catalog.PLATE_REGIONS)  # 3,452,544


def model_year_code(year: int) -> str:
    """VIN position 10 for *year* (A = 1980 and 2010, Y = 2000, 1-9 = 2001-2009, R = 2024)."""
    return _YEAR_CODES[(year - 1980) % len(_YEAR_CODES)]


def vin_check_digit(vin: str) -> str:
    """The check digit (position 9) of a 17-character VIN, by the North American rule that ISO 3779 VINs
    commonly follow; the character already at position 9 does not count (its weight is 0)."""
    remainder = sum(_VIN_VALUES[char] * weight for char, weight in zip(vin, _VIN_WEIGHTS, strict=True)) % 11
    return "X" if remainder == 10 else str(remainder)


def make_vin(car: CarModel, year: int, number: int) -> str:
    """A VIN of *car* built in *year*; distinct *number*s below 33 million give distinct plant + serial parts."""
    scrambled = (number * _VIN_STEP + _VIN_OFFSET) % _VIN_SPACE
    plant, serial = divmod(scrambled, 10**6)
    head = _vin_heads.get((car.wmi, car.vds, year))
    if head is None:
        head = _vin_heads[(car.wmi, car.vds, year)] = _vin_head(car.wmi + car.vds, model_year_code(year))
    prefix, year_code, head_sum = head
    # vin_check_digit's sum, with the 8 + 1 + 1 leading characters summed once per model and year and the six
    # serial digits from two tables of three-digit halves (millions of VINs per run).
    high, low = divmod(serial, 1000)
    plant_sum = _VIN_VALUES[VIN_CHARS[plant]] * _VIN_WEIGHTS[10]
    remainder = (head_sum + plant_sum + _SERIAL_HIGH[high] + _SERIAL_LOW[low]) % 11
    return f"{prefix}{'X' if remainder == 10 else remainder}{year_code}{VIN_CHARS[plant]}{serial:06d}"


def _vin_head(wmi_vds: str, year_code: str) -> tuple[str, str, int]:
    head = f"{wmi_vds}0{year_code}"
    return wmi_vds, year_code, sum(_VIN_VALUES[char] * weight for char, weight in zip(head, _VIN_WEIGHTS, strict=False))


_vin_heads: dict[tuple[str, str, int], tuple[str, str, int]] = {}
_SERIAL_HIGH, _SERIAL_LOW = (
    [sum(int(digit) * weight for digit, weight in zip(f"{n:03d}", weights, strict=True)) for n in range(1000)]
    for weights in (_VIN_WEIGHTS[11:14], _VIN_WEIGHTS[14:17])
)


def make_plate(region: RegionGroup, number: int) -> str:
    """A ГОСТ Р 50577 plate (`А123ВС77`); distinct *number*s below 3.4 million give distinct plates per region."""
    codes = region.codes
    scrambled = (number * _PLATE_STEP + _PLATE_OFFSET) % (_PLATES_PER_CODE * len(codes))
    rest, code_index = divmod(scrambled, len(codes))
    letters, digits = divmod(rest, 999)
    first, second, third = (catalog.PLATE_LETTERS[i] for i in (letters // 144, letters // 12 % 12, letters % 12))
    return f"{first}{digits + 1:03d}{second}{third}{codes[code_index]}"


_TRANSLIT = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                     "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch - y - e yu ya".split(),
                     strict=True))  # fmt: skip
_translit_cache: dict[str, str] = {}


def transliterate(word: str) -> str:
    """A lower-case Latin spelling for e-mail addresses (Щербаков -> shcherbakov)."""
    cached = _translit_cache.get(word)
    if cached is None:
        letters = (_TRANSLIT.get(char, char if char.isascii() and char.isalnum() else " ") for char in word.lower())
        cached = "-".join("".join(letters).replace("-", "").split())
        _translit_cache[word] = cached
    return cached
