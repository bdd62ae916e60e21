"""Where Reconnect finds its item bank and keeps answers.

Resolution order, so that tests, a workshop laptop and JupyterHub can each point elsewhere:
1. environment variables ``RECONNECT_HOME`` (answers) and ``RECONNECT_ITEM_BANK`` (content);
2. the project folder found by walking up from the working directory (a checkout: notebooks run
   from ``notebooks/``), giving ``data/responses`` and ``data/item_bank.yaml``;
3. next to the installed package source (an editable install), then ``~/reconnect-data``.

The content's language: ``RECONNECT_LANG`` (``es``, ``es_MX``, ``es_MX.UTF-8`` all mean Spanish)
picks ``item_bank.<lang>.yaml`` next to the English bank when that file exists; any other value,
or a language without a bank, gives the English bank. ``RECONNECT_ITEM_BANK`` still wins over both,
except that a bank it names ``item_bank.yaml`` (a hub's room folder) is an English bank whose
translations ``item_bank.<lang>.yaml`` beside it serve the other languages.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from . import settings_env

ITEM_BANK_NAME = "item_bank.yaml"
#: The language of ``item_bank.yaml``; other languages live in ``item_bank.<lang>.yaml`` beside it.
DEFAULT_LANGUAGE = "en"
_BANK_RE = re.compile(r"item_bank\.([a-z]{2,3})\.yaml", re.I)
_LANG_RE = re.compile(r"([a-z]{2,3})(?:[_-][a-z0-9]{2,8})*(?:[.@].*)?", re.I)


def parse_language(value: str | None) -> str | None:
    """The two- or three-letter language code of a setting such as ``es_MX.UTF-8``, or ``None`` when it names none.

    >>> [parse_language(v) for v in ("es_MX.UTF-8", "zz", "", "../x", "C")]
    ['es', 'zz', None, None, None]
    """
    match = _LANG_RE.fullmatch((value or "").strip())
    return match.group(1).lower() if match else None


def normalise_language(value: str | None) -> str:
    """The two- or three-letter language code of a setting such as ``es_MX.UTF-8``; English when unusable.

    Examples
    --------
    >>> [normalise_language(v) for v in ("es", "es_MX", "ES-mx", "es_MX.UTF-8", "pt_BR@latin")]
    ['es', 'es', 'es', 'es', 'pt']
    >>> [normalise_language(v) for v in (None, "", "C", "../etc/passwd", "espanol-de-verdad")]
    ['en', 'en', 'en', 'en', 'en']
    """
    return parse_language(value) or DEFAULT_LANGUAGE


def supported_languages() -> tuple[str, ...]:
    """English and every language Reconnect can show: a catalog of page words or a translated bank
    (beside the project's bank, or beside the one ``RECONNECT_ITEM_BANK`` names).

    Read once per folder and process (a new translation shows after the kernel or command starts again).
    """
    from ..bank.i18n import LOCALE_DIR

    env = settings_env.path("RECONNECT_ITEM_BANK")
    folders = tuple(sorted({str(english_bank_path().parent), *([str(env.parent)] if env else [])}))
    return _languages_in(str(LOCALE_DIR), folders)


@lru_cache(maxsize=16)
def _languages_in(_locale: str, folders: tuple[str, ...]) -> tuple[str, ...]:
    from ..bank.i18n import available_languages

    found = set(available_languages())
    for folder in folders:
        found |= {m.group(1).lower() for p in Path(folder).glob("item_bank.*.yaml") if (m := _BANK_RE.fullmatch(p.name))}
    return (DEFAULT_LANGUAGE, *sorted(found - {DEFAULT_LANGUAGE}))


def supported_language(value: str | None) -> str:
    """``value``'s language when Reconnect can show it, else English (quietly: for values already checked).

    >>> [supported_language(v) for v in ("es_MX", "zz", None)]
    ['es', 'en', 'en']
    """
    lang = normalise_language(value)
    return lang if lang in supported_languages() else DEFAULT_LANGUAGE


_requested: dict[str, str] = {}


def requested_language() -> str:
    """The language asked for with ``RECONNECT_LANG``: one Reconnect can show, else English (said once)."""
    value = settings_env.raw("RECONNECT_LANG")  # the raw value is the cache key; it is checked below
    found = _requested.get(value)
    if found is None:
        found = _requested[value] = settings_env.language("RECONNECT_LANG")
    return found


def bank_name(language: str) -> str:
    """The file name of a language's item bank: ``item_bank.yaml`` for English, ``item_bank.es.yaml`` ..."""
    language = normalise_language(language)
    return ITEM_BANK_NAME if language == DEFAULT_LANGUAGE else f"item_bank.{language}.yaml"


def project_root(start: Path | None = None) -> Path | None:
    """Return the nearest folder at or above ``start`` holding ``data/item_bank.yaml``."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "data" / ITEM_BANK_NAME).is_file():
            return folder
    source_root = Path(__file__).resolve().parents[3]
    if (source_root / "data" / ITEM_BANK_NAME).is_file():
        return source_root
    return None


def item_bank_path(language: str | None = None) -> Path:
    """The item bank in use: ``RECONNECT_ITEM_BANK``, else the bank of ``language`` (default
    ``RECONNECT_LANG``) beside the English one when it exists, else the English bank."""
    env = settings_env.path("RECONNECT_ITEM_BANK")
    if env and env.name != ITEM_BANK_NAME:
        return env
    english = env if env else english_bank_path()
    if language is not None:
        lang = normalise_language(language)
    else:
        from ..bank.i18n import active_language  # this page's language (a participant's choice), else RECONNECT_LANG

        lang = active_language()
    translated = english.with_name(bank_name(lang))
    return translated if translated != english and translated.is_file() else english


def english_bank_path() -> Path:
    """``data/item_bank.yaml`` of this project: the reference every translation is checked against."""
    root = project_root()
    if root is None:
        return Path(__file__).resolve().parents[3] / "data" / ITEM_BANK_NAME
    return root / "data" / ITEM_BANK_NAME


def data_home() -> Path:
    """The folder where this person's answers, journal and settings are kept."""
    env = settings_env.path("RECONNECT_HOME")
    if env:
        return env
    root = project_root()
    if root is not None:
        return root / "data" / "responses"
    return Path.home() / "reconnect-data"


def demo_store() -> Path:
    """The synthetic demo workshop made by ``reconnect demo`` (``make lab`` creates it)."""
    env = settings_env.path("RECONNECT_DEMO")
    if env:
        return env
    root = project_root()
    return (root / "data" / "demo") if root else Path.home() / "reconnect-demo"
