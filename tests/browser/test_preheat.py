"""Pages Voilà prepared before anyone opened them (``make app``'s preheated kernels) are nobody's until opened.

A personal computer (``SHARED=0``: "Remember me" allowed), Voilà started with ``make app``'s speed settings
(:func:`reconnect.apps.servers.voila_speed_args`) over a folder holding 01 alone, so its one ready page is the one
these tests open. Voilà's log says which page load got a prepared kernel ("Using pre-heated kernel"), and
when the next one was started ("Kernel pool of ... is filled"): each test checks that the page it opened was
prepared, and prepared *before* what it must not show (A remembered) or must show (a save).
"""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

import pytest
from browser_helpers import (
    Server,
    choose_with_keyboard,
    free_port,
    new_participant,
    open_voila,
    server_env,
    start_process,
    wait_ready,
)
from playwright.sync_api import expect

from reconnect.apps.servers import voila_speed_args
from reconnect.bank.content import load_item_bank

PAGE = "01_self_esteem.ipynb"
AREA = load_item_bank().area("self_esteem")
USED = "Using pre-heated kernel"
FILLED = f"Kernel pool of {PAGE} is filled"
SETTLE_S = 6  # after a ready page's kernel started: time for it to run up to where it waits for a visitor


@pytest.fixture(scope="module")
def ready_voila(project):
    """Voilà as ``make app SHARED=0`` runs it (pages kept ready ahead), over a folder with 01 only."""
    base = project["base"] / "preheat"
    folder = base / "notebooks"
    folder.mkdir(parents=True)
    shutil.copy2(project["notebooks"] / PAGE, folder / PAGE)
    home = base / "home"
    env = server_env(project, home, base / "jupyter")
    env["RECONNECT_SHARED"] = "0"  # a computer that is one person's: "Remember me" is allowed
    port = free_port()
    cmd = [
        str(Path(sys.executable).parent / "voila"),
        str(folder),
        "--template=reconnect",
        "--no-browser",
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        *voila_speed_args("en", root=folder),
    ]
    log = base / "voila.log"
    server = Server(
        "Voilà (ready pages)", f"http://127.0.0.1:{port}", home, start_process(cmd, cwd=folder, env=env, log=log), log
    )
    try:
        wait_ready(server, "/voila/static/voila.js", {}, time.monotonic() + 60)
        _wait_for_log(server, FILLED, 1)
        yield server
    finally:
        server.stop()


def _count(server: Server, text: str) -> int:
    return server.log.read_text(errors="replace").count(text)


def _wait_for_log(server: Server, text: str, count: int, timeout: float = 90) -> None:
    """Wait until Voilà's log holds ``text`` ``count`` times, then for the kernel to reach its wait."""
    deadline = time.monotonic() + timeout
    while _count(server, text) < count:
        assert time.monotonic() < deadline, f"{text!r} not {count} times in Voilà's log"
        time.sleep(0.2)
    time.sleep(SETTLE_S)


def _open_ready_page(page, server: Server) -> None:
    """Open 01 and check that Voilà gave it a kernel prepared ahead (not one started for the request)."""
    used = _count(server, USED)
    open_voila(page, server, PAGE)
    assert _count(server, USED) == used + 1, "the page did not get a prepared kernel"


def test_a_ready_page_opened_by_b_after_a_holds_nothing_of_as(page, ready_voila):
    a = new_participant(ready_voila.home)  # A, remembered on this computer
    filled = _count(ready_voila, FILLED)
    _open_ready_page(page, ready_voila)
    expect(page.locator(".rc-who .rc-code")).to_have_text(a)
    choose_with_keyboard(page, [3] * AREA.min_answered)
    page.get_by_role("button", name="Save my answers").click()
    expect(page.locator(".rc-ok", has_text="Saved at")).to_be_visible()
    # The next page was prepared while A was remembered and A's answers were on screen.
    _wait_for_log(ready_voila, FILLED, filled + 1)
    page.goto("about:blank")

    b = new_participant(ready_voila.home)  # now B is remembered, as 00 does when B ticks "Remember me"
    _open_ready_page(page, ready_voila)
    expect(page.locator(".rc-who .rc-code")).to_have_text(b)
    expect(page.locator(".rc-progress")).to_contain_text(f"0 of {len(AREA.items)} answered")
    text = page.locator("body").inner_text() + page.content()
    for secret in (a, a.replace("-", ""), "Saved at", "shown again"):
        assert secret not in text, f"{secret!r} of person A is on B's page"


def test_a_page_ready_before_a_save_shows_that_save(page, ready_voila):
    code = new_participant(ready_voila.home)
    filled = _count(ready_voila, FILLED)
    _open_ready_page(page, ready_voila)
    expect(page.locator(".rc-progress")).to_contain_text(f"0 of {len(AREA.items)} answered")
    _wait_for_log(ready_voila, FILLED, filled + 1)  # the next page is ready: prepared before the save below
    choose_with_keyboard(page, [2] * AREA.min_answered)
    page.get_by_role("button", name="Save my answers").click()
    expect(page.locator(".rc-ok", has_text="Saved at")).to_be_visible()
    page.goto("about:blank")

    _open_ready_page(page, ready_voila)
    expect(page.locator(".rc-who .rc-code")).to_have_text(code)
    expect(page.locator(".rc-progress")).to_contain_text(f"{AREA.min_answered} of {len(AREA.items)} answered")
    expect(page.locator(".rc-info", has_text="shown again")).to_be_visible()
