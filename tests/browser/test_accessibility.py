"""axe-core (WCAG 2.1 A/AA) on the series' pages in JupyterLab and app mode.

Violations in the product's own markup (the notebook's outputs: our widgets, messages and charts) fail
the test; those in JupyterLab's or Voilà's own chrome are listed in the output, not failed.
axe-core comes from the npm registry (a devDependency in labextension/package.json: `npm ci` there).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from browser_helpers import open_lab, open_voila
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


@pytest.mark.parametrize("nb", PAGES + ["es/00_start_here.ipynb", "es/01_self_esteem.ipynb"])
def test_axe_app_mode(page, voila, nb):
    open_voila(page, voila, nb)
    _audit(page, f"app mode {nb}")


@pytest.mark.parametrize("nb", PAGES)
def test_axe_jupyterlab(page, lab, nb):
    open_lab(page, lab, nb)
    _audit(page, f"JupyterLab {nb}")
    if nb == "06_my_profile.ipynb":  # "Show": the chosen button says so, not only by its colour
        toggles = page.locator(".widget-toggle-button")
        expect(toggles.first).to_have_attribute("aria-pressed", "true")
        expect(toggles.nth(1)).to_have_attribute("aria-pressed", "false")
