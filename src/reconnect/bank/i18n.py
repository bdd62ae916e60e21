"""The words around the content, in the reader's language: one gettext catalog per language.

The item bank (``data/item_bank.<lang>.yaml``) holds the *content* a participant reads in an area.
Everything else a person reads (buttons, messages, results sentences, chart titles and axes, the PDF,
the facilitator's dashboard and handout) is written in English in the code, wrapped in :func:`_`, and
translated by ``src/reconnect/bank/locale/<lang>/LC_MESSAGES/reconnect.po``: a plain-text gettext catalog that
translators edit with any PO editor (Poedit, Weblate, a text editor). Catalogs are read with Babel at
first use; no compiled ``.mo`` file is kept, so the catalog in the repository is the one that runs.

Which language (first that applies; docs/architecture.md "Choosing the language"):

1. a :func:`language` block (e.g. the facilitator's handout, written in the facilitator's language);
2. the language of the person answering on this page, chosen in 00 (:func:`use_language`, set by
   :mod:`reconnect.records.participant` on every sign-in and sign-out);
3. the page's own language (:func:`set_page_language`: a generated ``notebooks/es/`` page says ``es``);
4. ``RECONNECT_LANG`` (the installation: ``make app LANG=es``, the hub's default); else English.

A string with no translation yet shows in English (``reconnect translations`` lists those).

Conventions for developers
--------------------------
- Wrap the whole sentence, never pieces: ``_("Saved at {time}.").format(time=...)``; placeholders are
  named so a translator can move them.
- A module-level constant is marked with :func:`N_` (extraction only) and translated where it is used:
  ``_(DONE_LABEL)``.
- Plurals: ``ngettext("{n} file", "{n} files", n).format(n=n)``.
- Numbers, percentages and dates go through :func:`number`, :func:`percent` and :func:`date_time`.

Examples
--------
>>> with language("es"):
...     _("Save my answers") != "Save my answers" or "untranslated"
True
>>> _("Save my answers")
'Save my answers'
>>> from datetime import datetime as dt
>>> with language("es"):
...     date(dt(2026, 11, 28))
'28 de noviembre de 2026'
"""

from __future__ import annotations

import contextlib
import gettext
import io
import re
import string
import threading
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from stat import S_ISREG

from ..core import settings_env
from ..core.errors import Problem, report_once, show
from ..core.paths import english_bank_path

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
    env = settings_env.path("RECONNECT_ITEM_BANK")
    folders = tuple(sorted({str(english_bank_path().parent), *([str(env.parent)] if env else [])}))
    return _languages_in(str(LOCALE_DIR), folders)


@lru_cache(maxsize=16)
def _languages_in(_locale: str, folders: tuple[str, ...]) -> tuple[str, ...]:
    found = set(available_languages())
    for folder in folders:
        found |= {
            m.group(1).lower() for p in Path(folder).glob("item_bank.*.yaml") if (m := _BANK_RE.fullmatch(p.name))
        }
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
        found = _requested[value] = language_setting("RECONNECT_LANG")
    return found


def language_setting(name: str = "RECONNECT_LANG", *, environ=None, value: str | None = None) -> str:
    """A language Reconnect speaks (``es``, ``es_MX``, ``es_MX.UTF-8`` …), else English, reported once.

    The validated reader of a language setting (read through :mod:`reconnect.core.settings_env`, which
    says once what it accepts). ``value`` checks a value from elsewhere (a settings file, a page) under
    ``name``. ``C`` and ``POSIX`` (the locale that names no language) mean English without a word.
    """
    given = settings_env.raw(name, environ) if value is None else str(value).strip()
    if not given or given.upper().split(".")[0] in ("C", "POSIX"):
        return DEFAULT_LANGUAGE
    lang = parse_language(given)
    known = supported_languages()
    if lang in known:
        return lang
    accepts = ", ".join(known) + " (a locale name such as es_MX.UTF-8 means es)"
    settings_env.report(name, show(given), accepts, "English")
    return DEFAULT_LANGUAGE


#: Folder of the catalogs: ``locale/<lang>/LC_MESSAGES/reconnect.po``.
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "reconnect"
#: The Babel locale used to format numbers and dates in each language (Latin-American Spanish).
FORMAT_LOCALES = {"en": "en_US", "es": "es_419"}

_state = threading.local()
_kernel_language: str | None = None
_page_language: str | None = None


#: The second catalog: the notebooks' own text (each markdown cell of notebooks/, whole), see navigation.py.
NOTEBOOKS_DOMAIN = "notebooks"


def catalog_path(lang: str, domain: str = DOMAIN) -> Path:
    """Where a language's catalog lives (it may not exist yet): ``reconnect.po``, or ``notebooks.po``."""
    return LOCALE_DIR / normalise_language(lang) / "LC_MESSAGES" / f"{domain}.po"


def available_languages() -> list[str]:
    """English and every language with a catalog, e.g. ``['en', 'es']``."""
    found = sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return [DEFAULT_LANGUAGE, *[lang for lang in found if lang != DEFAULT_LANGUAGE]]


def use_language(lang: str | None) -> str:
    """Set this kernel's language (``None``: back to the page's, else ``RECONNECT_LANG``); return the language now active."""
    global _kernel_language
    _kernel_language = supported_language(lang) if lang else None
    return active_language()


def set_page_language(lang: str | None) -> str:
    """This page's own language (the language its text is written in); return the language now active."""
    global _page_language
    _page_language = supported_language(lang) if lang else None
    return active_language()


def page_text_language() -> str:
    """The language this page's own text (its markdown) is written in: English unless it said otherwise."""
    return _page_language or DEFAULT_LANGUAGE


def page_language() -> str:
    """The language of this page when nobody has chosen one: the page's own, else ``RECONNECT_LANG``."""
    return _page_language or requested_language()


def active_language() -> str:
    """The language words are shown in now: a :func:`language` block, the person's choice, the page's, ``RECONNECT_LANG``."""
    override = getattr(_state, "lang", None)
    if override:
        return override
    return _kernel_language or page_language()


@contextlib.contextmanager
def language(lang: str | None):
    """Show words in ``lang`` inside the block (this thread only), e.g. for a facilitator's handout."""
    previous = getattr(_state, "lang", None)
    _state.lang = supported_language(lang) if lang else None
    try:
        yield active_language()
    finally:
        _state.lang = previous


def load_catalog(lang: str, domain: str = DOMAIN) -> gettext.NullTranslations:
    """The translations of ``lang`` (English, or a language without a catalog, translates nothing).

    Read from the ``.po`` file with Babel and turned into a standard :class:`gettext.GNUTranslations`
    in memory (entries marked fuzzy are left out: a translator has not confirmed them). Cached until the
    file changes, so a translator sees an edit on the next page run.
    """
    if normalise_language(lang) == DEFAULT_LANGUAGE:
        return _NO_TRANSLATION  # English: no file to look at
    path = catalog_path(lang, domain)
    try:
        stat = path.stat()
    except OSError:
        return _NO_TRANSLATION
    if not S_ISREG(stat.st_mode):
        return _NO_TRANSLATION
    return _read_catalog(str(path), stat.st_mtime_ns, stat.st_size)


_NO_TRANSLATION = gettext.NullTranslations()  # holds nothing, so one is shared


def format_fields(text: str) -> list[tuple[str, str | None, str]]:
    """The replacement fields of a ``str.format`` template: ``(name, conversion, format spec)``, in order.

    Raises ``ValueError`` when ``text`` is not a valid template (a lone ``{`` or ``}``).

    >>> format_fields("{n} of {total:>3}, {k.__class__!r}")
    [('n', None, ''), ('total', None, '>3'), ('k.__class__', 'r', '')]
    """
    return [(name, conv, spec or "") for _t, name, spec, conv in string.Formatter().parse(text) if name is not None]


def field_problem(english: str | tuple | list, translated: str) -> str | None:
    """Why ``translated`` is not safe to format where the code formats ``english`` (``None``: it is).

    A translation is data, not code: each of its fields must be one the English has, written the same
    way: a plain name (no attribute or index access such as ``{k.__class__}`` or ``{k[0]}``, no
    positional ``{0}`` or ``{}``), with no conversion or format spec the English lacks (a width of
    900,000,000 would allocate without limit). A translation may leave a field out (a singular "one
    file" without ``{n}``). ``english`` may be the forms of a plural (singular, plural).

    >>> field_problem("{n} files", "{n} archivos") is None
    True
    >>> field_problem("Saved at {time}.", "Guardado {time.__class__}")
    'the field {time.__class__} is not a plain name (no attribute, index or position): write {time}'
    >>> field_problem("{n} files", "{n:900000000} archivos")
    'the field {n:900000000} has a format the English does not use: write {n}'
    >>> field_problem("{n} files", "{0} archivos {m}")
    'the field {0} is not a plain name (no attribute, index or position): use the names of the English: {n}'
    """
    forms = [english] if isinstance(english, str) else [e for e in english if e]
    allowed: set[tuple[str, str | None, str]] = set()
    for form in forms:
        try:
            allowed.update(format_fields(form))
        except ValueError:
            return None  # the English is no template: the code never formats it
    names = sorted({name for name, _c, _s in allowed if name.isidentifier()})
    try:
        fields = format_fields(translated)
    except ValueError:
        return "it is not a valid template (a lone { or }): write {{ or }} for a brace"
    for name, conv, spec in fields:
        if (name, conv, spec) in allowed:
            continue
        written = "{" + name + (f"!{conv}" if conv else "") + (f":{spec}" if spec else "") + "}"
        base = name.split(".")[0].split("[")[0]
        if not name.isidentifier():
            fix = f"write {{{base}}}" if base in names else "use the names of the English: " + ", ".join(f"{{{n}}}" for n in names)
            return f"the field {written} is not a plain name (no attribute, index or position): " + (fix if names else "the English has no fields")
        if name not in names:
            return f"the field {written} is not in the English" + (": use " + ", ".join(f"{{{n}}}" for n in names) if names else "")
        return f"the field {written} has a format the English does not use: write " + next(
            "{" + n + (f"!{c}" if c else "") + (f":{s}" if s else "") + "}" for n, c, s in allowed if n == name
        )
    return None


def _unsafe_entries(po, path: str) -> None:
    """Leave out (and say once) every entry whose translation is not safe to format: English shows instead."""
    for message in list(po):
        if not message.id or not message.string:
            continue
        strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
        problem = next((p for text in strings if text and (p := field_problem(message.id, text))), None)
        if problem is not None:
            english = message.id[0] if isinstance(message.id, (tuple, list)) else message.id
            report_once(
                f"catalog:{path}:{english}",
                str(Problem(path, f"msgid {english[:60]!r}", problem + "; the English is shown instead", "correct the translation (reconnect translations lists it)")),
            )
            po.delete(message.id, message.context)


@lru_cache(maxsize=8)
def _read_catalog(path: str, _mtime: int, _size: int) -> gettext.GNUTranslations:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with open(path, "rb") as f:
        po = read_po(f, ignore_obsolete=True)
    _unsafe_entries(po, path)
    compiled = io.BytesIO()
    write_mo(compiled, po, use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def _(message: str) -> str:
    """``message`` in the active language (English when it has no translation yet)."""
    return load_catalog(active_language()).gettext(message)


def N_(message: str) -> str:
    """Mark a constant for translation without translating it here (translate it with :func:`_` where used)."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n`` in the active language.

    >>> ngettext("{n} file", "{n} files", 2).format(n=2)
    '2 files'
    """
    return load_catalog(active_language()).ngettext(singular, plural, n)


def language_name(lang: str) -> str:
    """A language's name in that language, for a choice a reader of either can find: ``English``, ``Español``.

    >>> [language_name(x) for x in ("en", "es")]
    ['English', 'Español']
    """
    from babel import Locale

    lang = normalise_language(lang)
    try:
        name = Locale.parse(lang).get_display_name(lang) or lang
    except (ValueError, LookupError):
        return lang
    return name[:1].upper() + name[1:]


def format_locale(lang: str | None = None) -> str:
    """The Babel locale numbers and dates are formatted with (``en_US``, ``es_419`` ...)."""
    lang = supported_language(lang) if lang else active_language()
    if lang in FORMAT_LOCALES:
        return FORMAT_LOCALES[lang]
    return _babel_locale(lang)


@lru_cache(maxsize=16)
def _babel_locale(lang: str) -> str:
    """``lang`` when Babel knows it (numbers and dates then follow it), else English's ``en_US``."""
    from babel import Locale

    try:
        Locale.parse(lang)
    except Exception:  # babel's UnknownLocaleError, or a value it cannot parse
        return FORMAT_LOCALES[DEFAULT_LANGUAGE]
    return lang


def number(value: float, *, digits: int = 0) -> str:
    """A number written the reader's way (grouping and decimal mark of the language), with ``digits`` decimals."""
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(round(value, digits), format=pattern, locale=format_locale())


def percent(share: float, *, digits: int = 0) -> str:
    """A share (0.39) as a percentage the reader's way: ``39%`` / ``39 %``."""
    from babel.numbers import format_percent

    pattern = "#,##0" + ("." + "0" * digits if digits else "") + "%"
    return format_percent(share, format=pattern, locale=format_locale())


def date_time(when: datetime, *, style: str = "short") -> str:
    """A date and time the reader's way (``Nov 28, 2026, 9:05 PM`` / ``28 nov 2026, 9:05 p.m.``)."""
    from babel.dates import format_datetime

    return format_datetime(when, format=style, locale=format_locale())


def date(when: datetime, *, style: str = "long") -> str:
    """A date the reader's way (``November 28, 2026`` / ``28 de noviembre de 2026``)."""
    return _date(when.date() if isinstance(when, datetime) else when, style, format_locale())


@lru_cache(maxsize=64)
def _date(day, style: str, locale: str) -> str:
    """One day written in one style and locale: the same words every time, so Babel is asked once."""
    from babel.dates import format_date

    return format_date(day, format=style, locale=locale)
