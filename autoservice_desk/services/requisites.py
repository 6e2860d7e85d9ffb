"""Checks of Russian company requisites (INN) shared by shop settings and client companies."""

from __future__ import annotations

from autoservice_desk.i18n import _

_INN10_WEIGHTS = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_WEIGHTS_1 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_WEIGHTS_2 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)


def _check_digit(digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(digit) * weight for digit, weight in zip(digits, weights, strict=False)) % 11 % 10


def inn_problem(inn: str) -> str | None:
    """Return why *inn* is not a valid INN (10 digits for companies, 12 for persons), or None."""
    if not inn.isdigit() or len(inn) not in (10, 12):
        return _("INN must be 10 digits (company) or 12 digits (individual entrepreneur).")
    if len(inn) == 10:
        valid = _check_digit(inn, _INN10_WEIGHTS) == int(inn[9])
    else:
        valid = _check_digit(inn, _INN12_WEIGHTS_1) == int(inn[10]) and _check_digit(
            inn, _INN12_WEIGHTS_2
        ) == int(inn[11])
    return None if valid else _("INN {inn} has a wrong check digit; please check it.").format(inn=inn)
