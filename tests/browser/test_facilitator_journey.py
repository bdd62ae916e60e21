"""The facilitator's journey in a real browser: 07 on the demo workshop in JupyterLab.

Charts are drawn (real images), the discussion prompts are shown, a minimum group size larger than the
room shows the explanation and no numbers, and an answer saved meanwhile appears after Refresh.
"""

from __future__ import annotations

import re
import shutil

from browser_helpers import collapse_sidebar, open_lab, wait_drawn, wait_idle
from playwright.sync_api import expect

from reconnect.bank.content import load_item_bank
from reconnect.records.store import Submission, save_submission

NB = "07_group_discussion.ipynb"
BANK = load_item_bank()


def _dashboard(page):
    return page.locator(".rc-facilitator, .jp-OutputArea-output").filter(has_text="Store folder").first


def _set_text(page, label: str, value: str) -> None:
    """Type into a labelled text box as a person would: select all, type, Tab away (which sends it)."""
    field = page.get_by_label(label, exact=True)
    field.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(value)
    page.keyboard.press("Tab")
    page.wait_for_timeout(300)


def _refresh(page) -> None:
    page.locator("button.jupyter-button", has_text="Refresh").first.click()
    page.wait_for_timeout(300)  # let the kernel leave "Idle" before waiting for it
    wait_idle(page)
    wait_drawn(page)  # the charts follow the page in the kernel's next turns


def test_facilitator_sees_the_room_prompts_suppression_and_refresh(page, lab, project, tmp_path, shot):
    store = tmp_path / "workshop-store"
    shutil.copytree(project["demo"], store)  # the demo workshop, collected; this test adds to its copy

    open_lab(page, lab, NB)
    collapse_sidebar(page)
    _set_text(page, "Store folder", str(store))
    _refresh(page)
    output = page.locator(".jp-Cell-outputArea").filter(has_text="Store folder").first
    expect(output).to_contain_text("28 people answered in session")

    # The charts are real images that the browser decoded.
    images = output.locator("img")
    expect(images.first).to_be_visible()
    sizes = images.evaluate_all("imgs => imgs.map(i => [i.naturalWidth, i.naturalHeight])")
    assert len(sizes) >= 3 and all(w > 200 and h > 100 for w, h in sizes), sizes
    # The discussion prompts of the weakest areas sit beside the charts.
    expect(output).to_contain_text("To talk about")
    weakest_prompt = BANK.area("communication").discussion_prompts[0]
    expect(output).to_contain_text(weakest_prompt)
    shot(page, "room")
    bands = images.first
    bands.scroll_into_view_if_needed()
    shot(page, "bands-chart", clip=bands.bounding_box())

    # A minimum group size larger than the room: an explanation, and no numbers at all.
    page.get_by_label("Minimum group size", exact=True).select_option("40")
    _refresh(page)
    expect(output).to_contain_text("so nothing is shown yet")
    expect(output.locator("img")).to_have_count(0)
    text = output.inner_text()
    shown = text.split("Store folder", 1)[-1]
    assert not re.search(r"\b\d+\s*%", shown), shown[:500]
    assert "28 people" not in shown and "n = 28" not in shown
    shot(page, "too-small")

    # Back to 5; a participant saves meanwhile; Refresh shows one more person.
    page.get_by_label("Minimum group size", exact=True).select_option("5")
    for area in BANK.areas:
        ratings = {item.id: 4 for item in area.items}
        save_submission(store, Submission("XQ3-7KM", area.id, ratings, "before", "DEMO", "", BANK.version), bank=BANK)
    _refresh(page)
    expect(output).to_contain_text("29 people answered in session")
    assert "XQ3-7KM" not in output.inner_text()  # no participant code in any group view
    shot(page, "after-refresh")
