"""Keeping the gettext catalogs complete: which strings the code wraps, which a catalog lacks or has extra.

The strings to translate are found in the source itself (every ``_("...")``, ``N_("...")`` and
``ngettext("...", "...", n)`` under ``src/reconnect``), with Babel's extractor, so there is no list to
keep by hand. :func:`catalog_problems` compares a language's ``reconnect.po`` with them:

- **missing**: wrapped in the code but not in the catalog, or in it with no translation (or fuzzy);
- **extra**: in the catalog but no longer in the code (a string that changed or was removed);
- **placeholders**: a translation whose ``{names}`` differ from the English (the page would break).

``reconnect translations`` prints these with the item bank's own check; ``make translations`` (or
:func:`update_catalog`) adds new strings to each catalog, untranslated, and marks removed ones obsolete.

Examples
--------
>>> sorted(extract_messages(), key=str)[:1] != []
True
"""

from __future__ import annotations

import re
from pathlib import Path

from .errors import Problem
from .i18n import DOMAIN, catalog_path

SOURCE_DIR = Path(__file__).resolve().parent
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
_PLACEHOLDER = re.compile(r"\{([a-zA-Z_][a-zA-Z0-9_]*)(?:[:!][^}]*)?\}")


def extract_messages(source: Path = SOURCE_DIR) -> dict[object, list[str]]:
    """Every wrapped string of the package: ``{msgid: ["file.py:line", ...]}``; a plural's key is a tuple."""
    from babel.messages.extract import extract_from_dir

    found: dict[object, list[str]] = {}
    method_map = [("**/locale/**", "ignore"), ("**.py", "python")]
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(source), method_map=method_map, keywords=KEYWORDS, strip_comment_tags=True
    ):
        key = tuple(message) if isinstance(message, (tuple, list)) else message
        if isinstance(key, tuple):
            key = tuple(part for part in key if part is not None)
            if len(key) == 1:
                key = key[0]
        if not key:
            continue
        found.setdefault(key, []).append(f"{filename}:{lineno}")
    return found


def _read(lang: str):
    from babel.messages.pofile import read_po

    path = catalog_path(lang)
    with open(path, "rb") as f:
        return read_po(f, locale=lang, domain=DOMAIN)


def _names(text: str) -> set[str]:
    return set(_PLACEHOLDER.findall(text))


def catalog_problems(lang: str, *, source: Path = SOURCE_DIR) -> list[Problem]:
    """What ``lang``'s catalog lacks, has in excess, or translates with other placeholders (empty: complete)."""
    path = catalog_path(lang)
    if not path.is_file():
        return [
            Problem(
                str(path),
                "",
                f"there is no catalog for the language '{lang}'",
                f"create it with `make translations LANGS={lang}` and translate every entry",
            )
        ]
    wanted = extract_messages(source)
    po = _read(lang)
    problems: list[Problem] = []
    have = {}
    for message in po:
        if not message.id:
            continue
        key = tuple(message.id) if isinstance(message.id, (tuple, list)) else message.id
        have[key] = message
    for key, places in sorted(wanted.items(), key=lambda kv: str(kv[0])):
        message = have.get(key)
        english = key[0] if isinstance(key, tuple) else key
        strings = message.string if message is not None else None
        if isinstance(strings, (tuple, list)):
            translated = all(strings)
        else:
            translated = bool(strings)
        if message is None or not translated or message.fuzzy:
            problems.append(
                Problem(
                    str(path),
                    f"used at {places[0]}",
                    f"missing translation: {english!r}",
                    "add the translation to the catalog (and remove the fuzzy mark once checked)",
                )
            )
            continue
        for english_form, text in zip(
            key if isinstance(key, tuple) else (key,), strings if isinstance(strings, (tuple, list)) else (strings,)
        ):
            if _names(english_form) != _names(text):
                problems.append(
                    Problem(
                        str(path),
                        f"msgid {english!r}",
                        f"the translation uses the placeholders {sorted(_names(text))}, the English "
                        f"{sorted(_names(english_form))}",
                        "keep every {name} of the English, spelled the same (only their place may change)",
                    )
                )
    for key in sorted(set(have) - set(wanted), key=str):
        english = key[0] if isinstance(key, tuple) else key
        problems.append(
            Problem(
                str(path),
                "",
                f"extra entry no longer in the code: {english!r}",
                "delete it from the catalog (or run `make translations`, which marks it obsolete)",
            )
        )
    return problems


def update_catalog(lang: str, *, source: Path = SOURCE_DIR) -> Path:
    """Add the code's new strings to ``lang``'s catalog (untranslated) and drop the ones the code no longer has."""
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    from .files import replace_file

    template = Catalog(domain=DOMAIN, project="Reconnect")
    for key, places in extract_messages(source).items():
        template.add(key, locations=[(p.rsplit(":", 1)[0], int(p.rsplit(":", 1)[1])) for p in places])
    path = catalog_path(lang)
    if path.is_file():
        po = _read(lang)
    else:
        po = Catalog(locale=lang, domain=DOMAIN, project="Reconnect")
    template.creation_date = po.creation_date  # a re-run with no new strings leaves the file unchanged
    po.update(template, no_fuzzy_matching=True)
    po.obsolete.clear()
    import io

    out = io.BytesIO()
    write_po(out, po, width=100, omit_header=False, sort_output=False, ignore_obsolete=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    replace_file(path, out.getvalue(), mode=0o644)
    return path
