"""Each browser test starts from a known state (conftest's ``known_state``), also after a test that failed
with a page signed in: what the fixture does between two tests, done here inside one test."""

from __future__ import annotations

from browser_helpers import open_lab, reset_data_folder, shut_down_lab_kernels
from playwright.sync_api import expect

from reconnect.records import participant as pt


def test_a_page_left_signed_in_is_nobodys_for_the_next_test(page, lab):
    # what a failed test can leave: 01 signed in (in its kernel's memory) and someone remembered on the computer
    code = pt.start_new(lab.home).code
    pt.forget(lab.home)
    open_lab(page, lab, "01_self_esteem.ipynb")
    page.get_by_label("My participant code").fill(code)
    page.get_by_role("button", name="This is me").click()
    expect(page.locator(".rc-who .rc-code")).to_have_text(code)
    page.goto("about:blank")  # the tab goes, as the test's browser profile does; Lab keeps the kernel
    open_lab(page, lab, "01_self_esteem.ipynb")
    expect(page.locator(".rc-who .rc-code")).to_have_text(code)  # the kernel still answers as them

    # between two tests: Lab's kernels shut down, nobody remembered, no device setting
    pt.start_new(lab.home, remember=True)
    pt.set_device(lab.home, shared=True)
    page.goto("about:blank")
    shut_down_lab_kernels(lab)
    reset_data_folder(lab.home)
    assert not (lab.home / "current.json").exists() and not (lab.home / "device.json").exists()
    open_lab(page, lab, "01_self_esteem.ipynb")
    expect(page.locator(".rc-who.rc-nobody")).to_be_visible()
    expect(page.get_by_label("My participant code")).to_be_visible()
    expect(page.locator(".rc-choice-group")).to_have_count(0)
