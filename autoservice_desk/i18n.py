"""Translations: gettext catalogs from translations/, the active language, and `_`, `ngettext`, `N_`."""

from __future__ import annotations

import gettext
import locale
import os
from pathlib import Path

DOMAIN = "autoservice_desk"
SOURCE_LANGUAGE = "en"
LANGUAGES = ("ru", "en")
# Source checkouts and editable installs keep the catalogs beside the package.
TRANSLATIONS_DIR = Path(__file__).resolve().parent.parent / "translations"

_translations: gettext.NullTranslations = gettext.NullTranslations()
_language = SOURCE_LANGUAGE


def _(message: str) -> str:
    """Translate *message* into the active language."""
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """Translate a message that has plural forms (Russian has three)."""
    return _translations.ngettext(singular, plural, count)


def N_(message: str) -> str:
    """Mark *message* for extraction without translating it now (translated later with `_`)."""
    return message


def current_language() -> str:
    return _language


def system_language() -> str:
    """The language the operating system asks for, if we have it; otherwise English."""
    candidates = [os.environ.get(name, "") for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")]
    try:
        candidates.append(locale.getlocale()[0] or "")
    except ValueError:
        pass
    for candidate in candidates:
        for part in candidate.split(":"):
            code = part.split(".")[0].split("_")[0].lower()
            if code in LANGUAGES:
                return code
            if code and code not in ("c", "posix"):
                return SOURCE_LANGUAGE
    return SOURCE_LANGUAGE


def resolve_language(setting: str) -> str:
    """Turn the `ui.language` setting ("auto", "ru", "en") into a language we ship."""
    if setting in LANGUAGES:
        return setting
    return system_language()


def compiled_catalog(language: str, cache_dir: Path) -> Path | None:
    """Return a .mo file for *language*, compiling the .po into *cache_dir* when it is newer.

    Compiled catalogs are build output, so they are made on the user's machine rather than committed.
    """
    po_path = TRANSLATIONS_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po_path.exists():
        return None
    mo_path = cache_dir / "locale" / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
    if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
        return mo_path
    from babel.messages.mofile import write_mo  # only when a catalog changed: keeps start-up fast
    from babel.messages.pofile import read_po

    mo_path.parent.mkdir(parents=True, exist_ok=True)
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale=language)
    temporary = mo_path.with_suffix(".tmp")
    with temporary.open("wb") as mo_file:
        write_mo(mo_file, catalog)
    temporary.replace(mo_path)
    return mo_path


def install_language(setting: str, cache_dir: Path) -> str:
    """Activate the language chosen by *setting*; returns the language code now in use."""
    global _translations, _language
    language = resolve_language(setting)
    mo_path = compiled_catalog(language, cache_dir) if language != SOURCE_LANGUAGE else None
    if mo_path is None:
        _translations = gettext.NullTranslations()
    else:
        with mo_path.open("rb") as mo_file:
            _translations = gettext.GNUTranslations(mo_file)
    _language = language
    return language
