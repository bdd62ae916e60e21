"""07 on a 1280x720 projector, in JupyterLab and in app mode: each chart fits one screen, and its smallest
lettering is at least the page's body text size (measured on the rendered page: the image's drawn width
against its own pixel width, times the smallest font the figure uses); no chart holds a taller place on
the page than its own height."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from browser_helpers import collapse_sidebar, open_lab, open_voila, wait_idle
from playwright.sync_api import expect

NB = "07_group_discussion.ipynb"
SHOTS = Path("/work/wt/shots/14")
MEASURE = """() => {
  const body = parseFloat(getComputedStyle(document.querySelector('.jp-RenderedMarkdown p')).fontSize);
  return [...document.querySelectorAll('img.rc-chart')].map(img => {
    const box = img.getBoundingClientRect();
    const scale = box.width / img.naturalWidth;
    const place = img.closest('.widget-output').getBoundingClientRect().height;
    return {alt: img.alt, body, width: box.width, height: box.height, place,
            smallest: parseFloat(img.dataset.smallestPt) * parseFloat(img.dataset.pxPerPt) * scale};
  });
}"""


def _check(page, screen_height: float, where: str) -> list[dict]:
    charts = page.evaluate(MEASURE)
    assert len(charts) >= 3, f"{where}: {charts}"
    for chart in charts:
        assert chart["alt"], f"{where}: a chart without alt text"
        assert chart["height"] <= screen_height, f"{where}: taller than the screen ({screen_height:.0f} px): {chart}"
        assert chart["smallest"] >= chart["body"] - 0.05, f"{where}: lettering smaller than the body text: {chart}"
        # its place on the page is the chart's own height (no blank screen under it before the next section)
        assert chart["place"] <= chart["height"] + 40, f"{where}: a chart's place is taller than the chart: {chart}"
    return charts


def _shot(page, name: str) -> None:
    if SHOTS.parent.is_dir():
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / name))


@pytest.mark.parametrize("size", [(1280, 720), (1366, 900)], ids=["1280x720", "1366x900"])
def test_projector_in_jupyterlab(page, lab, size):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    open_lab(page, lab, NB)
    collapse_sidebar(page)
    wait_idle(page)
    expect(page.locator("img.rc-chart").first).to_be_visible()
    visible = page.evaluate(
        "document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer').clientHeight"
    )
    _check(page, visible, "JupyterLab")
    page.locator("img.rc-chart").first.scroll_into_view_if_needed()
    _shot(page, f"lab-07-{size[0]}x{size[1]}.png")


@pytest.mark.parametrize("size", [(1280, 720), (1366, 900)], ids=["1280x720", "1366x900"])
def test_projector_in_app_mode(page, voila, size):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    open_voila(page, voila, NB)
    expect(page.locator("img.rc-chart").first).to_be_visible()
    _check(page, size[1], "app mode")
    page.locator("img.rc-chart").first.scroll_into_view_if_needed()
    _shot(page, f"app-07-{size[0]}x{size[1]}.png")


def test_other_pages_screenshots(page, lab, voila):
    """Pictures of the changed pages for people to look at (no assertion beyond loading)."""
    if not shutil.which("true") or not SHOTS.parent.is_dir():
        pytest.skip("no shots folder")
    for width, height in ((1366, 900), (1280, 720)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(voila.url + "/")
        _shot(page, f"app-start-{width}x{height}.png")
        for nb in ("00_start_here.ipynb", "01_self_esteem.ipynb", "06_my_profile.ipynb"):
            open_voila(page, voila, nb)
            _shot(page, f"app-{nb[:2]}-{width}x{height}.png")
            open_lab(page, lab, nb)
            _shot(page, f"lab-{nb[:2]}-{width}x{height}.png")
