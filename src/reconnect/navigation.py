"""Prev / contents / next links for the numbered notebooks, written by one idempotent script.

Run ``python -m reconnect.navigation`` after adding or renaming a notebook; ``--check`` only reports
(the test suite uses it). Titles come from each notebook's first heading (for an area notebook, the
item bank's title of the area: run it again after editing a title there); the contents list goes
into the cell of ``00_start_here.ipynb`` tagged ``contents``.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

NAV_TAG = "navigation"
CONTENTS_TAG = "contents"
_NOTEBOOK_RE = re.compile(r"^\d\d_.+\.ipynb$")


def notebooks(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if _NOTEBOOK_RE.match(p.name))


_INTRO_RE = re.compile(r"""area_intro\(\s*["']([a-z_]+)["']\s*\)""")


def title_of(nb: dict) -> str:
    """The notebook's first heading: a markdown "# " line, or the item bank's title of the area whose
    introduction an ``area_intro("...")`` cell shows (so a title edited in the bank reaches the links)."""
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown" and NAV_TAG not in cell.get("metadata", {}).get("tags", []):
            for line in _source(cell).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
        if cell["cell_type"] == "code" and (found := _INTRO_RE.search(_source(cell))):
            from .content import load_item_bank
            from .ui.intro import area_heading

            return area_heading(load_item_bank().area(found.group(1)))
    return "Untitled"


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _nav_cell(text: str, cell_id: str) -> dict:
    return {"cell_type": "markdown", "id": cell_id, "metadata": {"tags": [NAV_TAG]}, "source": text}


def _link(path: Path, title: str) -> str:
    return f"[{title}]({path.name})"


def build(folder: Path) -> dict[Path, str]:
    """The new text of every notebook whose navigation is missing or out of date."""
    paths = notebooks(folder)
    books = {p: json.loads(p.read_text(encoding="utf-8")) for p in paths}
    titles = {p: title_of(nb) for p, nb in books.items()}
    start = paths[0]
    changed: dict[Path, str] = {}
    for i, path in enumerate(paths):
        nb = books[path]
        parts = []
        if i > 0:
            parts.append("← " + _link(paths[i - 1], titles[paths[i - 1]]))
        parts.append(f"[Contents]({start.name}#Contents)")
        if i + 1 < len(paths):
            parts.append(_link(paths[i + 1], titles[paths[i + 1]]) + " →")
        nav = " | ".join(parts)
        cells = [c for c in nb["cells"] if NAV_TAG not in c.get("metadata", {}).get("tags", [])]
        for cell in cells:
            if CONTENTS_TAG in cell.get("metadata", {}).get("tags", []):
                lines = "\n".join(f"- {_link(p, titles[p])}" for p in paths[1:])
                cell["source"] = "## Contents\n\n" + lines
        nb["cells"] = [_nav_cell(nav, "nav-top"), *cells, _nav_cell(nav, "nav-bottom")]
        nb.setdefault("metadata", {})["title"] = f"{titles[path]} · Reconnect"  # the page title, app mode too
        text = json.dumps(nb, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
        if text != path.read_text(encoding="utf-8"):
            changed[path] = text
    # The app-mode start page lists the same titles (one source: the notebooks, hence the bank).
    page = Path(__file__).resolve().parent / "app_template" / "tree-lab.html"
    if page.is_file() and folder.resolve() == (Path(__file__).resolve().parents[2] / "notebooks"):
        old = page.read_text(encoding="utf-8")
        block = "".join(f'  "{p.name}": {json.dumps(titles[p], ensure_ascii=False)},\n' for p in paths)
        new = re.sub(
            r"(\{%- set titles = \{\n)(.*?)(\} -%\})", lambda m: m.group(1) + block + m.group(3), old, flags=re.S
        )
        if new != old:
            changed[page] = new
    return changed


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    check = "--check" in args
    rest = [a for a in args if a != "--check"]
    folder = Path(rest[0]) if rest else Path("notebooks")
    changed = build(folder)
    for path, text in changed.items():
        if check:
            print(f"{path}: navigation is out of date; run python -m reconnect.navigation")
        else:
            path.write_text(text, encoding="utf-8")
            print(f"updated {path}")
    return 1 if (check and changed) else 0


if __name__ == "__main__":
    sys.exit(main())
