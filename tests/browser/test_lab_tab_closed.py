"""A notebook tab closed in JupyterLab takes the page's Python with it (the series' Lab extension,
``shutDownOnClose``): the page opened again asks who is answering instead of showing the person who signed
in there and closed the tab without pressing "I'm done" (a computer handed round, the person before forgot).

Leaving or reloading the whole browser tab keeps the kernel on purpose (the notebook reconnects to it), so a
page left that way still answers as its person when JupyterLab opens it again (``test_isolation.py``); the
facilitator guide says to use app mode on a computer that is handed round."""

from __future__ import annotations

import json
import time
import urllib.request

from browser_helpers import open_lab
from playwright.sync_api import expect

from reconnect.records import participant as pt


def _kernels(lab) -> list:
    req = urllib.request.Request(lab.url + "/api/kernels", headers={"Authorization": f"token {lab.token}"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.loads(resp.read())


def test_a_closed_tab_forgets_who_signed_in_on_it(page, lab):
    code = pt.start_new(lab.home).code
    pt.forget(lab.home)  # not remembered on this computer: only the page's Python knows who signed in
    open_lab(page, lab, "01_self_esteem.ipynb")
    page.get_by_label("My participant code").fill(code)
    page.get_by_role("button", name="This is me").click()
    expect(page.locator(".rc-who .rc-code")).to_have_text(code)
    assert len(_kernels(lab)) == 1

    page.locator(".jp-mod-current .lm-TabBar-tabCloseIcon").first.click()  # the notebook tab's own ×
    expect(page.locator(".jp-NotebookPanel")).to_have_count(0)
    deadline = time.monotonic() + 60
    while _kernels(lab) and time.monotonic() < deadline:
        time.sleep(0.3)
    assert _kernels(lab) == [], "closing the tab left the page's Python running"

    open_lab(page, lab, "01_self_esteem.ipynb")
    expect(page.locator(".rc-who.rc-nobody")).to_be_visible()
    expect(page.get_by_label("My participant code")).to_be_visible()
    expect(page.locator(".rc-who .rc-code")).to_have_count(0)
    assert code not in page.locator("body").inner_text()
