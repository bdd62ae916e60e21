"""App mode (Voilà, template "reconnect"): the start page, nothing from other computers, readable pages."""

from __future__ import annotations

import json
from pathlib import Path

from browser_helpers import open_voila
from playwright.sync_api import expect

from reconnect.apps.navigation import title_of

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
SERIES = sorted(p.name for p in NOTEBOOKS.glob("0*.ipynb"))


def _title(name: str) -> str:
    return title_of(json.loads((NOTEBOOKS / name).read_text(encoding="utf-8")))


def test_start_page_in_the_products_words(page, voila, shot):
    page.goto(voila.url + "/")
    expect(page).to_have_title("Reconnect: start page")
    expect(page.get_by_role("heading", name="Reconnect", exact=True)).to_be_visible()
    assert "Select items" not in page.inner_text("body") and ".ipynb" not in page.inner_text("body")
    participants = page.locator("main > ol a")
    # participant notebooks first, in order, by their titles; the facilitator's set apart below
    expect(participants).to_have_count(len(SERIES) - 1)
    for n, name in enumerate(SERIES[:-1]):
        expect(participants.nth(n)).to_contain_text(_title(name))
    facilitator = page.locator("section.facilitator a")
    expect(facilitator).to_have_count(1)
    expect(facilitator).to_contain_text("7. Group discussion")
    shot(page, "start-page")
    participants.first.click()
    page.wait_for_url("**/voila/render/00_start_here.ipynb")
    open_voila(page, voila, None)
    expect(page).to_have_title(f"{_title('00_start_here.ipynb')} · Reconnect")


def test_contents_link_lands_at_the_list(page, voila, shot):
    open_voila(page, voila, "01_self_esteem.ipynb")
    page.get_by_role("link", name="Contents").first.click()
    page.wait_for_url("**/00_start_here.ipynb#Contents")
    open_voila(page, voila, None)
    heading = page.locator("#Contents")
    expect(heading).to_be_in_viewport()
    shot(page, "contents")


def test_pages_keep_a_readable_line_length(page, voila):
    page.set_viewport_size({"width": 1366, "height": 900})
    open_voila(page, voila, "01_self_esteem.ipynb")
    # characters per line of the longer paragraphs: text length / rendered lines (was about 170)
    per_line = page.evaluate(
        """[...document.querySelectorAll('#rendered_cells .jp-RenderedMarkdown p')].map(p => {
             const lines = Math.round(p.getBoundingClientRect().height / parseFloat(getComputedStyle(p).lineHeight));
             return lines >= 3 ? p.innerText.length / lines : 0; })"""
    )
    assert max(per_line) > 0, "no long paragraph measured"
    assert max(per_line) <= 90, per_line
