"""The README tells the truth about the product: the series table names every notebook by its own title,
every `make` target and setting it mentions exists, and what it says about Node.js matches the Makefile."""

from __future__ import annotations

import json
import re
from pathlib import Path

from reconnect.apps.navigation import title_of

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
MAKEFILE = (ROOT / "Makefile").read_text(encoding="utf-8")


def _series_rows() -> list[list[str]]:
    section = README[README.index("## What the series covers") :].splitlines()
    start = next(i for i, line in enumerate(section) if line.startswith("| "))
    rows = []
    for line in section[start:]:  # the first table of the section, to its first line that is not a row
        if not line.startswith("|"):
            break
        if line.startswith("| "):
            rows.append(line)
    header, *body = rows
    assert [c.strip() for c in header.strip("|").split("|")][:3] == ["#", "notebook", "its title"], header
    return [[c.strip() for c in row.strip("|").split("|")] for row in body]


def test_series_table_lists_every_notebook_by_its_own_title():
    rows = _series_rows()
    names = [row[1].strip("`") for row in rows]
    assert names == sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))
    for number, name, title, *_ in rows:
        name = name.strip("`")
        nb = json.loads((ROOT / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8"))
        own = re.sub(r"^\d+\.\s*", "", title_of(nb))  # "1. Standing on ..." is numbered in the # column
        assert title == own, f"README calls {name} {title!r}; the notebook's own title is {own!r}"
        assert name.startswith(f"0{number}_"), (number, name)


def test_every_make_target_and_setting_the_readme_names_exists():
    targets = set(re.findall(r"^([a-z][a-z-]*):", MAKEFILE, flags=re.M))
    settings = set(re.findall(r"^([A-Z_]+)\s*[?:]?=", MAKEFILE, flags=re.M)) | {"LANG"}
    for command in re.findall(r"`(?:sudo )?make ([^`]*)`", README):
        words = command.split()
        for word in words:
            if "=" in word:
                assert word.split("=")[0] in settings, f"README: `make {command}`: no setting {word} in the Makefile"
            else:
                assert word in targets, f"README: `make {command}`: no target {word} in the Makefile"


def test_what_the_readme_says_about_node_is_true():
    assert "npm" in MAKEFILE  # the hub's web proxy comes from npm
    assert not re.search(r"no node\b", README, flags=re.I), "the README says no node is needed, but the hub needs npm"
    setup = README[README.index("## Three commands") : README.index("## A workshop room")]
    assert "Node.js" in setup and "JupyterHub" in setup
