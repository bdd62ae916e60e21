"""Prev / contents / next links for the numbered notebooks, and the translated notebooks, written by one
idempotent script.

Run ``python -m reconnect.apps.navigation`` (``make nav``) after adding or renaming a notebook, editing its
text, or editing a translation; ``--check`` only reports (the test suite uses it). Titles come from each
notebook's first heading (for an area notebook, the item bank's title of the area: run it again after
editing a title there); the contents list goes into the cell of ``00_start_here.ipynb`` tagged ``contents``.

**Translated notebooks.** For every language with a ``locale/<lang>/LC_MESSAGES/notebooks.po``, the
English notebooks are written again into ``notebooks/<lang>/`` with each markdown cell replaced by its
translation (a cell without one stays English, and ``reconnect translations`` lists it), a first hidden
cell ``page_language("<lang>")`` (so the buttons and messages of the page speak its language), the
metadata ``reconnect: {series: true, language: <lang>}``, and links among themselves. The English
notebooks stay the one source: a translator edits the catalog, never a generated notebook.
"""

from __future__ import annotations

import copy
import json
import re
import sys
from pathlib import Path

from ..bank.i18n import N_, NOTEBOOKS_DOMAIN, _, language, language_name, load_catalog

NAV_TAG = "navigation"
CONTENTS_TAG = "contents"
LANGUAGE_TAG = "language"
_NOTEBOOK_RE = re.compile(r"^\d\d_.+\.ipynb$")
ENGLISH_FOLDER = Path(__file__).resolve().parents[3] / "notebooks"
CONTENTS = N_("Contents")

#: The app-mode start page's words (src/reconnect/app_template/tree-lab.html), per language from the catalog.
START_PAGE_WORDS = {
    "page_title": N_("Reconnect: start page"),
    "intro": N_(
        "A short series of pages about emotional closeness in a relationship. Each page looks at one thing "
        "that can wear closeness down, offers ideas that help, and lets you rate yourself with simple buttons."
    ),
    "begin": N_(
        "Begin with <strong>Start here</strong>: it explains how the series works, what happens to your "
        "answers, and gives you your participant code. Your answers stay on this computer."
    ),
    "participants": N_("For participants"),
    "begin_note": N_("Begin here: how it works, privacy, your participant code"),
    "facilitator": N_("For the facilitator"),
    "facilitator_note": N_(
        "The counselor's page for a workshop: the room's anonymous group charts, for the projector. "
        "Participants do not need it."
    ),
    "languages": N_("This series in another language:"),
}
#: The app-mode page's own words (src/reconnect/app_template/index.html.j2), per language from the catalog.
PAGE_WORDS = {
    "stalled_retry": N_(
        "This page is taking much longer than it should to start. Trying again now (your saved answers are safe)."
    ),
    "stalled_failed": N_(
        "This page did not start after {tries} tries. Reload it (F5, or Ctrl+R); if it keeps happening, close "
        "other pages of Reconnect or tell your facilitator."
    ),
    "stopped_retry": N_(
        "This page lost its connection to Reconnect. Starting it again now (your saved answers are safe)."
    ),
    "stopped_failed": N_(
        "This page stopped working and could not be started again. Reload it (F5, or Ctrl+R); if that does "
        "not help, tell your facilitator (Reconnect may have been stopped on this computer)."
    ),
}


def notebooks(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if _NOTEBOOK_RE.match(p.name))


_INTRO_RE = re.compile(r"""area_intro\(\s*["']([a-z_]+)["']\s*\)""")


def title_of(nb: dict, lang: str = "en") -> str:
    """The notebook's first heading: a markdown "# " line, or the item bank's title of the area whose
    introduction an ``area_intro("...")`` cell shows (so a title edited in the bank reaches the links),
    in the bank of ``lang``."""
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown" and NAV_TAG not in cell.get("metadata", {}).get("tags", []):
            for line in _source(cell).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
        if cell["cell_type"] == "code" and (found := _INTRO_RE.search(_source(cell))):
            from ..bank.content import item_bank_path, load_item_bank
            from ..ui.intro import area_heading

            with language(lang):
                return area_heading(load_item_bank(item_bank_path(lang)).area(found.group(1)))
    return "Untitled"


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _nav_cell(text: str, cell_id: str) -> dict:
    return {"cell_type": "markdown", "id": cell_id, "metadata": {"tags": [NAV_TAG]}, "source": text}


def _link(path: Path, title: str) -> str:
    return f"[{title}]({path.name})"


def _generated(cell: dict) -> bool:
    tags = cell.get("metadata", {}).get("tags", [])
    return NAV_TAG in tags or LANGUAGE_TAG in tags


def translatable_cells(folder: Path | None = None):
    """``(notebook name, markdown text)`` of every English markdown cell a translation replaces."""
    for path in notebooks(Path(folder) if folder is not None else ENGLISH_FOLDER):
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            tags = cell.get("metadata", {}).get("tags", [])
            if cell["cell_type"] == "markdown" and not _generated(cell) and CONTENTS_TAG not in tags:
                yield path.name, _source(cell)


def translated_languages() -> list[str]:
    """The languages with a notebooks catalog (``locale/<lang>/LC_MESSAGES/notebooks.po``), e.g. ``['es']``."""
    from ..bank.i18n import LOCALE_DIR

    return sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{NOTEBOOKS_DOMAIN}.po"))


def _language_cell(lang: str) -> dict:
    return {
        "cell_type": "code",
        "execution_count": None,
        "id": "page-language",
        "metadata": {"jupyter": {"source_hidden": True}, "tags": [LANGUAGE_TAG]},
        "outputs": [],
        "source": f'from reconnect.notebook import page_language; page_language("{lang}")',
    }


def translate(nb: dict, lang: str) -> dict:
    """An English notebook in ``lang``: each markdown cell from the notebooks catalog (English where it has
    none), the page-language cell first, the language in the metadata (navigation added by :func:`build`)."""
    catalog = load_catalog(lang, NOTEBOOKS_DOMAIN)
    out = copy.deepcopy(nb)
    cells = []
    for cell in out["cells"]:
        if _generated(cell):
            continue
        if cell["cell_type"] == "markdown" and CONTENTS_TAG not in cell.get("metadata", {}).get("tags", []):
            cell["source"] = catalog.gettext(_source(cell))
        cells.append(cell)
    out["cells"] = [_language_cell(lang), *cells]
    out.setdefault("metadata", {})["reconnect"] = {"series": True, "language": lang}
    return out


def _with_navigation(books: dict[Path, dict], lang: str) -> tuple[dict[Path, str], dict[Path, str]]:
    """Navigation, contents list and page title for one language's set of notebooks: (texts, titles)."""
    paths = sorted(books)
    titles = {p: title_of(nb, lang) for p, nb in books.items()}
    with language(lang):
        contents = _(CONTENTS)
    start = paths[0]
    anchor = contents.replace(" ", "-")
    texts: dict[Path, str] = {}
    for i, path in enumerate(paths):
        nb = books[path]
        parts = []
        if i > 0:
            parts.append("← " + _link(paths[i - 1], titles[paths[i - 1]]))
        parts.append(f"[{contents}]({start.name}#{anchor})")
        if i + 1 < len(paths):
            parts.append(_link(paths[i + 1], titles[paths[i + 1]]) + " →")
        nav = " | ".join(parts)
        cells = [c for c in nb["cells"] if NAV_TAG not in c.get("metadata", {}).get("tags", [])]
        for cell in cells:
            if CONTENTS_TAG in cell.get("metadata", {}).get("tags", []):
                lines = "\n".join(f"- {_link(p, titles[p])}" for p in paths[1:])
                cell["source"] = f"## {contents}\n\n" + lines
        first = 1 if cells and LANGUAGE_TAG in cells[0].get("metadata", {}).get("tags", []) else 0
        nb["cells"] = [*cells[:first], _nav_cell(nav, "nav-top"), *cells[first:], _nav_cell(nav, "nav-bottom")]
        nb.setdefault("metadata", {})["title"] = f"{titles[path]} · Reconnect"  # the page title, app mode too
        texts[path] = json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    return texts, titles


def build(folder: Path) -> dict[Path, str]:
    """The new text of every notebook (English, and each translation) whose content is missing or out of date."""
    paths = notebooks(folder)
    books = {p: json.loads(p.read_text(encoding="utf-8")) for p in paths}
    sets = {"en": _with_navigation(books, "en")}
    project = folder.resolve() == ENGLISH_FOLDER
    if project:
        for lang in translated_languages():
            translated = {folder / lang / p.name: translate(nb, lang) for p, nb in books.items()}
            sets[lang] = _with_navigation(translated, lang)
    changed: dict[Path, str] = {}
    for texts, _titles in sets.values():
        for path, text in texts.items():
            if not path.is_file() or text != path.read_text(encoding="utf-8"):
                changed[path] = text
    # The app-mode start page lists the same titles and says the same words, in every language.
    page = Path(__file__).resolve().parents[1] / "app_template" / "tree-lab.html"
    if page.is_file() and project:
        old = page.read_text(encoding="utf-8")
        new = re.sub(
            r"(\{%- set titles_by_language = \{\n)(.*?)(\} -%\})",
            lambda m: m.group(1) + _template_titles(sets) + m.group(3),
            old,
            flags=re.S,
        )
        new = re.sub(
            r"(\{%- set words_by_language = \{\n)(.*?)(\} -%\})",
            lambda m: m.group(1) + _template_words(list(sets)) + m.group(3),
            new,
            flags=re.S,
        )
        if new != old:
            changed[page] = new
        index = page.with_name("index.html.j2")
        old = index.read_text(encoding="utf-8")
        new = re.sub(
            r"(\{%- set page_words_by_language = \{\n)(.*?)(\} -%\})",
            lambda m: m.group(1) + _template_words(list(sets), PAGE_WORDS, named=False) + m.group(3),
            old,
            flags=re.S,
        )
        if new != old:
            changed[index] = new
    return changed


def _template_titles(sets: dict) -> str:
    out = ""
    for lang, (_texts, titles) in sets.items():
        out += f'  "{lang}": {{\n'
        out += "".join(f'    "{p.name}": {json.dumps(t, ensure_ascii=False)},\n' for p, t in titles.items())
        out += "  },\n"
    return out


def _template_words(langs: list[str], texts: dict | None = None, *, named: bool = True) -> str:
    out = ""
    for lang in langs:
        with language(lang):
            words = {key: _(text) for key, text in (texts or START_PAGE_WORDS).items()}
        if named:
            words["name"] = language_name(lang)
        out += f'  "{lang}": {json.dumps(words, ensure_ascii=False, sort_keys=True)},\n'
    return out


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    check = "--check" in args
    rest = [a for a in args if a != "--check"]
    folder = Path(rest[0]) if rest else Path("notebooks")
    changed = build(folder)
    for path, text in changed.items():
        if check:
            print(f"{path}: navigation or translation is out of date; run python -m reconnect.apps.navigation notebooks")
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"updated {path}")
    return 1 if (check and changed) else 0


if __name__ == "__main__":
    sys.exit(main())
