"""How a client is named on screens and sorted in lists: one rule for the list, the card, documents and migrations."""

from __future__ import annotations

from autoservice_desk.services.text_keys import fold_text

SORT_KEY_LENGTH = 200  # models.clients.SORT_KEY_LENGTH; repeated so a migration can import this without the models


def display_name(
    kind: str, surname: str | None, given_name: str | None, patronymic: str | None, company_name: str | None
) -> str:
    """`Иванов Пётр Сергеевич` for a person (missing parts left out), the company's name for a company."""
    if kind == "company" and company_name:
        return company_name.strip()
    person = " ".join(part.strip() for part in (surname, given_name, patronymic) if part and part.strip())
    return person or (company_name or "").strip()


def sort_key(
    kind: str, surname: str | None, given_name: str | None, patronymic: str | None, company_name: str | None
) -> str:
    """The list's order: the folded display name (ё = е, case ignored), so "ёлкин" sorts with "елкин"."""
    return fold_text(display_name(kind, surname, given_name, patronymic, company_name))[:SORT_KEY_LENGTH]
