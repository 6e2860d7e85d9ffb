"""Translation catalogs: extract the template from the sources, update ru/en, check them (used by the tests).

    python scripts/i18n.py extract   rewrite translations/autoservice_desk.pot and merge it into every .po
    python scripts/i18n.py check     fail when the template is stale, placeholders differ or Russian is incomplete
"""

from __future__ import annotations

import re
import sys
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = "autoservice_desk"
TEMPLATE = ROOT / "translations" / f"{DOMAIN}.pot"
LANGUAGES = ("ru", "en")
COMPLETE_LANGUAGES = ("ru",)  # English is the source language: its catalog may stay empty
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
PLACEHOLDER = re.compile(r"\{([a-zA-Z_][a-zA-Z0-9_]*)[^{}]*\}")


def po_path(language: str) -> Path:
    return ROOT / "translations" / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def extract() -> Catalog:
    """Every translatable string in the package (and the PDF/SMS templates it may contain)."""
    catalog = Catalog(project="autoservice_desk", domain=DOMAIN, charset="utf-8")
    package = ROOT / "autoservice_desk"
    for filename, _lineno, message, _comments, _context in extract_from_dir(
        package, method_map=[("migrations/**", "ignore"), ("**.py", "python")], keywords=KEYWORDS
    ):
        catalog.add(message, locations=[(f"autoservice_desk/{filename}", None)])
    return catalog


def _serialise(catalog: Catalog) -> bytes:
    buffer = BytesIO()
    write_po(buffer, catalog, width=120, sort_output=True, include_lineno=False, omit_header=False)
    return buffer.getvalue()


def _read(path: Path, language: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=language)


def write_catalogs() -> None:
    template = extract()
    TEMPLATE.parent.mkdir(parents=True, exist_ok=True)
    TEMPLATE.write_bytes(_serialise(template))
    for language in LANGUAGES:
        path = po_path(language)
        if path.exists():
            catalog = _read(path, language)
            catalog.update(_read(TEMPLATE), no_fuzzy_matching=True)
            catalog.obsolete.clear()
        else:
            catalog = Catalog(locale=language, domain=DOMAIN, project="autoservice_desk", charset="utf-8")
            catalog.update(_read(TEMPLATE))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(_serialise(catalog))


def _ids(message_id: str | tuple[str, ...]) -> tuple[str, ...]:
    return message_id if isinstance(message_id, tuple) else (message_id,)


def problems() -> list[str]:
    """Everything wrong with the catalogs, one line each (empty when all is well)."""
    found: list[str] = []
    extracted = {_ids(message.id) for message in extract() if message.id}
    if not TEMPLATE.exists():
        return [f"{TEMPLATE} is missing: run python scripts/i18n.py extract"]
    in_template = {_ids(message.id) for message in _read(TEMPLATE) if message.id}
    for missing in sorted(extracted - in_template):
        found.append(f"template is stale, missing: {missing[0]!r} (run python scripts/i18n.py extract)")
    for stale in sorted(in_template - extracted):
        found.append(f"template is stale, no longer used: {stale[0]!r} (run python scripts/i18n.py extract)")
    for language in LANGUAGES:
        catalog = _read(po_path(language), language)
        for message in catalog:
            if not message.id:
                continue
            ids = _ids(message.id)
            if ids not in in_template:
                found.append(f"{language}: {ids[0]!r} is not in the template")
            strings = [s for s in (message.string if isinstance(message.string, tuple) else (message.string,)) if s]
            expected = set(PLACEHOLDER.findall(ids[-1]))
            for translated in strings:
                if set(PLACEHOLDER.findall(translated)) != expected:
                    found.append(f"{language}: placeholders differ in {ids[0]!r}: {translated!r}")
            if language in COMPLETE_LANGUAGES and (message.fuzzy or not strings):
                found.append(f"{language}: not translated: {ids[0]!r}")
    return found


def main() -> int:
    if sys.argv[1:] == ["extract"]:
        write_catalogs()
        print(f"wrote {TEMPLATE.relative_to(ROOT)} and merged it into: {', '.join(LANGUAGES)}")
        return 0
    if sys.argv[1:] == ["check"]:
        issues = problems()
        print("\n".join(issues) or "catalogs are complete and current")
        return 1 if issues else 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main())
