"""The app-mode template: start-page titles and page titles match the notebooks' headings."""

import json
import re
from pathlib import Path

from reconnect.navigation import title_of

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "src" / "reconnect" / "app_template"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("0*.ipynb"))


def test_start_page_titles_are_the_notebooks_headings():
    listed = dict(re.findall(r'"(\d\d_\w+\.ipynb)": "([^"]+)"', (TEMPLATE / "tree-lab.html").read_text()))
    assert set(listed) == {p.name for p in NOTEBOOKS}, "add every notebook to the start page's titles"
    for path in NOTEBOOKS:
        heading = title_of(json.loads(path.read_text(encoding="utf-8")))
        assert heading.startswith(listed[path.name]), (path.name, listed[path.name], heading)


def test_page_titles_are_the_headings_not_file_names():
    for path in NOTEBOOKS:
        nb = json.loads(path.read_text(encoding="utf-8"))
        assert nb["metadata"].get("title") == f"{title_of(nb)} · Reconnect", path.name


def test_template_fetches_nothing_from_other_computers():
    for name in ("index.html.j2", "tree-lab.html"):
        text = (TEMPLATE / name).read_text()
        text = re.sub(r"replace\('[^']*', ''\)", "", text)  # the CDN links the template removes
        links = re.findall(r'(?:href|src)="(https?://[^"]+)"', text)
        assert not links, (name, links)


def test_a_page_that_does_not_start_says_so_and_retries():
    """The watchdog is in the page: a message with role=alert, a reload, and a limit on the retries."""
    text = (TEMPLATE / "index.html.j2").read_text()
    assert "window.voila_process = function" in text and "location.reload()" in text
    assert "role', 'alert'" in text and "RETRIES = 2" in text
