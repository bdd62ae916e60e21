"""axe-core (WCAG 2.1 A/AA) on the series' pages in JupyterLab and app mode.

Violations in the product's own markup (the notebook's outputs: our widgets, messages and charts) fail
the test; those in JupyterLab's or Voilà's own chrome are listed in the output, not failed.
axe-core comes from the npm registry (a devDependency in labextension/package.json: `npm ci` there).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from browser_helpers import new_participant, open_lab, open_voila
from playwright.sync_api import expect

AXE = Path(
    os.environ.get("AXE_CORE", Path(__file__).resolve().parents[2] / "labextension/node_modules/axe-core/axe.min.js")
)
PAGES = ["00_start_here.ipynb", "01_self_esteem.ipynb", "06_my_profile.ipynb", "07_group_discussion.ipynb"]
PRODUCT = ".jp-OutputArea-output"  # where the product's own markup lives, in Lab and in Voilà
RUN = """async (product) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), ours: !!document.querySelector(n.target[0])?.closest(product)}))}));
}"""


def _audit(page, where: str) -> None:
    if not AXE.is_file():
        pytest.skip(f"axe-core not installed at {AXE} (cd labextension && npm ci)")
    height = page.evaluate("Math.max(document.body.scrollHeight, 900)")
    page.set_viewport_size({"width": 1280, "height": min(height, 8000)})  # axe skips what is below the fold
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(RUN, PRODUCT)
    ours = [(v["id"], v["help"], n["target"]) for v in violations for n in v["nodes"] if n["ours"]]
    chrome = sorted({f"{v['id']} ({v['impact']})" for v in violations if any(not n["ours"] for n in v["nodes"])})
    if chrome:
        print(f"{where}: JupyterLab/Voilà chrome, not ours: {chrome}")
    assert not ours, f"{where}: accessibility violations in Reconnect's own markup: {ours}"


def _show_choice_is_exposed(page) -> None:
    """06's "Show": a radio group named "Show" whose chosen option is exposed as checked, not only
    coloured, and follows a change made with the keyboard (no JupyterLab extension needed)."""
    show = page.get_by_role("group", name="Show", exact=True)
    own = show.get_by_role("radio", name="My own answers", exact=True)
    demo = show.get_by_role("radio", name="A demo participant (synthetic)", exact=True)
    expect(own).to_be_checked()
    expect(demo).not_to_be_checked()
    own.focus()
    page.keyboard.press("ArrowRight")
    expect(demo).to_be_checked()
    expect(own).not_to_be_checked()
    expect(page.get_by_role("combobox", name="Demo participant")).to_be_visible()  # the kernel took it
    expect(show.locator(".mod-active")).to_have_text("A demo participant (synthetic)")


def _presentation_toggle_says_pressed(page) -> None:
    """07's "Presentation mode" is a toggle button: its state is exposed (aria-pressed), not only coloured."""
    toggle = page.get_by_role("button", name="Presentation mode")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(page.locator(".rc-dashboard.rc-present")).to_have_count(1)  # the kernel took it


@pytest.mark.parametrize("nb", PAGES + ["es/00_start_here.ipynb", "es/01_self_esteem.ipynb"])
def test_axe_app_mode(page, voila, nb):
    open_voila(page, voila, nb)
    _audit(page, f"app mode {nb}")
    if nb == "06_my_profile.ipynb":
        _show_choice_is_exposed(page)
    if nb == "07_group_discussion.ipynb":
        _presentation_toggle_says_pressed(page)


@pytest.mark.parametrize("nb", PAGES)
def test_axe_jupyterlab(page, lab, nb):
    open_lab(page, lab, nb)
    _audit(page, f"JupyterLab {nb}")
    if nb == "06_my_profile.ipynb":
        _show_choice_is_exposed(page)
    if nb == "07_group_discussion.ipynb":
        _presentation_toggle_says_pressed(page)


@pytest.mark.parametrize("mode", ["lab", "app"])
def test_focus_stays_on_save_after_saving_with_enter(page, request, mode):
    """Enter on "Save my answers": the focus stays on the button (or the message), never the page body."""
    server = request.getfixturevalue("lab" if mode == "lab" else "voila")
    new_participant(server.home)
    if mode == "lab":
        open_lab(page, server, "01_self_esteem.ipynb")
    else:
        open_voila(page, server, "01_self_esteem.ipynb")
    groups = page.locator(".rc-choice-group")
    expect(groups.first).to_be_visible()
    for n in range(groups.count()):
        groups.nth(n).locator("input").nth(3).check()
    page.wait_for_function("document.querySelectorAll('.rc-choice-group[data-pending]').length === 0")
    save = page.locator("button.jupyter-button", has_text="Save my answers")
    save.focus()
    page.keyboard.press("Enter")
    expect(page.locator(".rc-ok", has_text="Saved at")).to_be_visible()
    page.wait_for_timeout(300)  # any late state change from the kernel has reached the page
    focused = page.evaluate(
        "(() => { const a = document.activeElement; return a === document.body || !a ? 'body' :"
        " a.closest('.rc-msg') ? 'message' : a.textContent.trim(); })()"
    )
    assert focused in ("Save my answers", "message"), f"{mode}: after Save the focus is on {focused!r}"
    page.keyboard.press("Enter")  # the same answers again: no second file, the page says so
    expect(page.locator(".rc-ok", has_text="Already saved at")).to_be_visible()
