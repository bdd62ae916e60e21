"""JupyterLab with the series' extension: notebooks come alive on open, never ask to be saved, and a
walk through the series by its links keeps at most two kernels running."""

from __future__ import annotations

import json
from pathlib import Path

from browser_helpers import CURRENT_PANEL, new_participant, open_lab, wait_alive
from playwright.sync_api import expect

SERIES = sorted(p.name for p in (Path(__file__).resolve().parents[2] / "notebooks").glob("0*.ipynb"))
BROKEN_WIDGET = ("Error displaying widget", "Loading widget", "Model not found")


def _api(page, lab, method: str, path: str):
    response = page.request.fetch(f"{lab.url}{path}", method=method, headers={"Authorization": f"token {lab.token}"})
    assert response.ok, f"{method} {path}: {response.status}"
    return json.loads(response.text() or "null")


def _series_sessions(page, lab) -> list[dict]:
    return [s for s in _api(page, lab, "GET", "/api/sessions") if Path(s["path"]).name in SERIES]


def _wait_sessions(page, lab, done, seconds: float = 10) -> list[str]:
    """Poll the series' kernel sessions (shutting one down takes a moment) until ``done(names)``."""
    for _ in range(int(seconds * 4)):
        names = sorted(Path(s["path"]).name for s in _series_sessions(page, lab))
        if done(names):
            break
        page.wait_for_timeout(250)
    return names


def _assert_alive_and_clean(page, name: str) -> None:
    panel = page.locator(CURRENT_PANEL)
    tab = page.locator(".jp-mod-current.lm-TabBar-tab", has_text=name.removesuffix(".ipynb"))
    expect(tab).to_be_visible()
    # widgets drawn by the kernel's run, with no click on Run
    expect(panel.locator(".jp-OutputArea-output .jupyter-widgets").first).to_be_visible()
    text = panel.inner_text()
    assert not [b for b in BROKEN_WIDGET if b in text], f"{name}: a widget did not come alive"
    # opening and running changed nothing a participant should save: no "changed" dot on the tab
    expect(tab).not_to_have_class("jp-mod-dirty")
    assert page.locator(".lm-TabBar-tab.jp-mod-dirty").count() == 0, f"{name}: a tab is marked as changed"


def test_walking_the_series_by_its_links(page, lab, shot):
    """00 -> 07 through the "next" links: each page alive with no click, clean, kernels never pile up."""
    for session in _series_sessions(page, lab):  # kernels left by earlier tests on this shared server
        _api(page, lab, "DELETE", f"/api/sessions/{session['id']}")
    open_lab(page, lab, SERIES[0])
    _assert_alive_and_clean(page, SERIES[0])
    shot(page, "00-alive")
    most = len(_series_sessions(page, lab))
    for previous, name in zip(SERIES, SERIES[1:]):
        link = page.locator(CURRENT_PANEL + f' .jp-RenderedMarkdown a[href*="/files/{name}"]').first
        link.click()
        expect(page.locator(".lm-TabBar-tab", has_text=previous.removesuffix(".ipynb"))).to_have_count(0)
        expect(page.locator(CURRENT_PANEL + " .jp-Notebook")).to_be_visible()
        wait_alive(page)
        _assert_alive_and_clean(page, name)
        most = max(most, len(_series_sessions(page, lab)))
        assert most <= 2, f"after opening {name}: {_series_sessions(page, lab)}"
    shot(page, "07-alive")
    # one notebook tab open, and the kernels of the pages left behind have been shut down
    expect(page.locator(".jp-NotebookPanel")).to_have_count(1)
    left = _wait_sessions(page, lab, lambda names: names == [SERIES[-1]])
    assert left == [SERIES[-1]], f"kernels still running after the walk: {left}"


def test_closing_asks_nothing_and_stops_the_kernel(page, lab):
    new_participant(lab.home)  # someone answering, whatever the tests before left on this server
    open_lab(page, lab, "01_self_esteem.ipynb")
    # a choice made on the page changes the kernel's state, not the notebook
    page.locator(".rc-choice-group").first.locator("input").nth(2).check()
    page.wait_for_timeout(500)
    _assert_alive_and_clean(page, "01_self_esteem.ipynb")
    page.locator(".jp-mod-current.lm-TabBar-tab .lm-TabBar-tabCloseIcon").click()
    expect(page.locator(".jp-NotebookPanel")).to_have_count(0)
    assert page.locator(".jp-Dialog").count() == 0, "closing asked something"
    left = _wait_sessions(page, lab, lambda names: "01_self_esteem.ipynb" not in names)
    assert "01_self_esteem.ipynb" not in left, "closing the notebook left its kernel running"


def test_answers_stay_on_one_row_of_equal_width(page, lab):
    """At 1366 px with the file browser open, and down to 1024 px: five equal boxes on one row, before and
    after choosing (a chosen, bold answer does not grow); narrower, a plain vertical list."""
    geometry = """[...document.querySelectorAll('.rc-choice-group')].slice(0, 2).map(g =>
        [...g.querySelectorAll('.rc-option')].map(o => { const r = o.getBoundingClientRect();
          return [Math.round(r.top), Math.round(r.width)]; }))"""
    page.set_viewport_size({"width": 1366, "height": 900})
    new_participant(lab.home)  # someone answering, whatever the tests before left on this server
    open_lab(page, lab, "01_self_esteem.ipynb")
    expect(page.locator("#jp-left-stack")).to_be_visible()  # the file browser takes its share
    for width in (1366, 1024):
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(300)
        before = page.evaluate(geometry)
        page.locator(".rc-choice-group").first.locator("input").nth(4).check()
        page.wait_for_timeout(300)
        after = page.evaluate(geometry)
        for group in before + after:
            assert len({top for top, _ in group}) == 1, f"{width} px: the answers wrapped: {group}"
            assert max(w for _, w in group) - min(w for _, w in group) <= 1, f"{width} px: unequal: {group}"
        widths = [[w for _, w in group] for group in before], [[w for _, w in group] for group in after]
        assert widths[0] == widths[1], f"{width} px: choosing changed the widths: {widths}"
    page.set_viewport_size({"width": 900, "height": 900})
    page.wait_for_timeout(300)
    narrow = page.evaluate(geometry)[0]
    assert len({top for top, _ in narrow}) == len(narrow), f"below 1024 px a vertical list: {narrow}"
