"""Keeping the gettext catalogs complete: which strings the code wraps, which a catalog lacks or has extra.

The strings to translate are found in the source itself (every ``_("...")``, ``N_("...")`` and
``ngettext("...", "...", n)`` under ``src/reconnect``), with Babel's extractor, so there is no list to
keep by hand. :func:`catalog_problems` compares a language's ``reconnect.po`` with them:

- **missing**: wrapped in the code but not in the catalog, or in it with no translation (or fuzzy);
- **extra**: in the catalog but no longer in the code (a string that changed or was removed);
- **placeholders**: a translation whose ``{names}`` differ from the English (the page would break), or
  whose fields are not safe to format: a field the English lacks, attribute or index access
  (``{k.__class__}``, ``{k[0]}``), a positional ``{0}``, a conversion or format spec the English does not
  use (:func:`reconnect.bank.i18n.field_problem`; at run time such an entry is left out and the English shown).

``reconnect translations`` prints these with the item bank's own check; ``make translations`` (or
:func:`update_catalog`) adds new strings to each catalog, untranslated, and marks removed ones obsolete.

The notebooks' own text has a second catalog, ``locale/<lang>/LC_MESSAGES/notebooks.po``: one entry per
markdown cell of ``notebooks/*.ipynb`` (the whole cell, so a translator sees a paragraph in its context;
the generated navigation and contents cells are left out). :func:`notebook_catalog_problems` checks it
the same way (missing, extra, placeholders), and ``python -m reconnect.apps.navigation notebooks`` writes the
translated notebooks ``notebooks/<lang>/`` from it.

Examples
--------
>>> sorted(extract_messages(), key=str)[:1] != []
True
"""

from __future__ import annotations

import re
from pathlib import Path

from ..bank.i18n import DOMAIN, NOTEBOOKS_DOMAIN, catalog_path, field_problem
from ..core.errors import Problem

SOURCE_DIR = Path(__file__).resolve().parents[1]
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


def _read(lang: str, domain: str = DOMAIN):
    from babel.messages.pofile import read_po

    path = catalog_path(lang, domain)
    with open(path, "rb") as f:
        return read_po(f, locale=lang, domain=domain)


def _short(text: str, limit: int = 90) -> str:
    """A msgid as a message names it: a whole markdown cell is cut to its first line's start."""
    first = text.strip().splitlines()[0] if text.strip() else text
    return repr(first if len(first) <= limit and first == text else first[:limit].rstrip() + "…")


def _names(text: str) -> set[str]:
    return set(_PLACEHOLDER.findall(text))


def catalog_problems(lang: str, *, source: Path = SOURCE_DIR) -> list[Problem]:
    """What ``lang``'s catalog lacks, has in excess, or translates with other placeholders (empty: complete)."""
    return _problems(lang, DOMAIN, extract_messages(source))


def notebook_messages(folder: Path | None = None) -> dict[str, list[str]]:
    """Every markdown cell of the English notebooks to translate: ``{cell text: ["00_start_here.ipynb", ...]}``.

    The navigation and contents cells are generated (from the titles), so they are not in the catalog.
    """
    from .navigation import translatable_cells

    found: dict[str, list[str]] = {}
    for name, text in translatable_cells(folder):
        found.setdefault(text, []).append(name)
    return found


def notebook_catalog_problems(lang: str, *, folder: Path | None = None) -> list[Problem]:
    """What ``lang``'s ``notebooks.po`` lacks or has in excess (empty: every markdown cell is translated)."""
    return _problems(lang, NOTEBOOKS_DOMAIN, notebook_messages(folder))


def _problems(lang: str, domain: str, wanted: dict) -> list[Problem]:
    path = catalog_path(lang, domain)
    if not path.is_file():
        return [
            Problem(
                str(path),
                "",
                f"there is no catalog for the language '{lang}'",
                f"create it with `make translations LANGS={lang}` and translate every entry",
            )
        ]
    po = _read(lang, domain)
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
                    f"missing translation: {_short(english)}",
                    "add the translation to the catalog (and remove the fuzzy mark once checked)",
                )
            )
            continue
        forms = key if isinstance(key, tuple) else (key,)
        unsafe = [
            problem
            for text in (strings if isinstance(strings, (tuple, list)) else (strings,))
            if domain == DOMAIN and text and (problem := field_problem(forms, text))
            and "is not in the English" not in problem  # a plain name the English lacks: said below, by name
        ]
        for problem in unsafe[:1]:  # data, not code: the page would show the English instead (i18n._read_catalog)
            problems.append(
                Problem(
                    str(path),
                    f"msgid {_short(english)}",
                    problem,
                    "use only the English's {names}, written as in the English (the English is shown until then)",
                )
            )
        if unsafe:
            continue
        for english_form, text in zip(
            forms, strings if isinstance(strings, (tuple, list)) else (strings,)
        ):
            if _names(english_form) != _names(text):
                problems.append(
                    Problem(
                        str(path),
                        f"msgid {_short(english)}",
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
                f"extra entry no longer in the code: {_short(english)}",
                "delete it from the catalog (or run `make translations`, which marks it obsolete)",
            )
        )
    return problems


def update_catalog(lang: str, *, source: Path = SOURCE_DIR) -> Path:
    """Add the code's new strings to ``lang``'s catalog (untranslated) and drop the ones the code no longer has."""
    from babel.messages.catalog import Catalog

    template = Catalog(domain=DOMAIN, project="Reconnect")
    for key, places in extract_messages(source).items():
        template.add(key, locations=[(p.rsplit(":", 1)[0], int(p.rsplit(":", 1)[1])) for p in places])
    return _update(lang, DOMAIN, template)


def update_notebook_catalog(lang: str, *, folder: Path | None = None) -> Path:
    """Add the notebooks' new markdown cells to ``lang``'s ``notebooks.po`` (untranslated); drop removed ones."""
    from babel.messages.catalog import Catalog

    template = Catalog(domain=NOTEBOOKS_DOMAIN, project="Reconnect")
    for text, names in notebook_messages(folder).items():
        template.add(text, locations=[(name, 0) for name in names])
    return _update(lang, NOTEBOOKS_DOMAIN, template)


def _update(lang: str, domain: str, template) -> Path:
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    from ..core.files import replace_file

    path = catalog_path(lang, domain)
    if path.is_file():
        po = _read(lang, domain)
    else:
        po = Catalog(locale=lang, domain=domain, project="Reconnect")
    template.creation_date = po.creation_date  # a re-run with no new strings leaves the file unchanged
    po.update(template, no_fuzzy_matching=True)
    po.obsolete.clear()
    import io

    out = io.BytesIO()
    write_po(out, po, width=100, omit_header=False, sort_output=False, ignore_obsolete=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    replace_file(path, out.getvalue(), mode=0o644)
    return path
