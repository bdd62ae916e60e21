"""The app-mode template: start-page titles and page titles match the notebooks' headings."""

import json
import re
from pathlib import Path

import pytest

from reconnect.apps.navigation import title_of

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "src" / "reconnect" / "app_template"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("0*.ipynb"))
SPANISH = sorted((ROOT / "notebooks" / "es").glob("0*.ipynb"))


def _listed(lang: str) -> dict[str, str]:
    """The start page's titles of one language (the template's titles_by_language block)."""
    text = (TEMPLATE / "tree-lab.html").read_text(encoding="utf-8")
    block = re.search(rf'\n  "{lang}": {{\n(.*?)\n  }},', text, re.S)
    assert block, f"the start page has no titles in {lang}"
    return dict(re.findall(r'"(\d\d_\w+\.ipynb)": "([^"]+)"', block.group(1)))


@pytest.mark.parametrize("lang", ["en", "es"])
def test_start_page_titles_are_the_notebooks_headings(lang):
    listed = _listed(lang)
    folder = NOTEBOOKS[0].parent if lang == "en" else NOTEBOOKS[0].parent / lang
    assert set(listed) == {p.name for p in NOTEBOOKS}, "add every notebook to the start page's titles"
    for path in NOTEBOOKS:
        heading = title_of(json.loads((folder / path.name).read_text(encoding="utf-8")), lang)
        assert heading.startswith(listed[path.name]), (path.name, listed[path.name], heading)
    if lang != "en":
        english = _listed("en")
        assert all(listed[name] != english[name] for name in listed), "a title still in English"


def test_the_start_page_speaks_the_language_of_its_folder():
    """Rendered like Voilà does: the es folder (or reconnect_language=es at the top) in Spanish, links into es/."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATE)))
    template = env.get_template("tree-lab.html")
    items = [{"type": "notebook", "name": p.name, "path": p.name} for p in NOTEBOOKS]
    english = template.render(contents={"path": "", "content": items}, base_url="/")
    in_folder = template.render(
        contents={"path": "es", "content": [{**i, "path": "es/" + i["name"]} for i in items]}, base_url="/"
    )
    at_top = template.render(contents={"path": "", "content": items}, base_url="/", reconnect_language="es")
    assert '<html lang="en">' in english and "For participants" in english
    assert 'href="/voila/render/es/00_start_here.ipynb"' in english  # the way to the Spanish series
    for page in (in_folder, at_top):
        assert '<html lang="es">' in page and "Para participantes" in page and "For participants" not in page
        assert 'href="/voila/render/es/01_self_esteem.ipynb"' in page
        assert 'href="/voila/render/00_start_here.ipynb"' in page  # and back to the English one


def test_page_titles_are_the_headings_not_file_names():
    for path in NOTEBOOKS:
        nb = json.loads(path.read_text(encoding="utf-8"))
        assert nb["metadata"].get("title") == f"{title_of(nb)} · Reconnect", path.name
    assert [p.name for p in SPANISH] == [p.name for p in NOTEBOOKS]
    for path in SPANISH:
        nb = json.loads(path.read_text(encoding="utf-8"))
        assert nb["metadata"].get("title") == f"{title_of(nb, 'es')} · Reconnect", path.name
        assert nb["metadata"]["reconnect"] == {"series": True, "language": "es"}


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
