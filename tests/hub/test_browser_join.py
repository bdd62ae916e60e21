"""One participant joins the room in a real browser: login form → 00 in app mode → 01, answer, Save.

Uses Debian's Chromium through Playwright (as tests/browser does); skipped without them, failing in CI.
Screenshots of the login page and of 00 go to tests/browser/screenshots/hub-* (1366x900 and 1280x720).
"""

from __future__ import annotations

import os
import re
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "browser"))
from browser_helpers import choose_with_keyboard, chosen_labels, open_voila  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-sync"]
SHOTS = Path(__file__).resolve().parents[1] / "browser" / "screenshots"
TIMEOUT_MS = 120_000  # the first start of a participant's server on a busy 2-core machine


def in_own_thread(journey):
    """Run ``journey(page)`` with a Chromium of its own, in a thread of its own: the browser tests'
    session-wide Playwright keeps an event loop running in the main thread, and a second sync
    Playwright cannot start beside it there."""
    if not Path(CHROMIUM).is_file():
        if os.environ.get("CI"):
            pytest.fail(f"no Chromium at {CHROMIUM}; CI must run the browser journey")
        pytest.skip(f"no Chromium at {CHROMIUM}")
    pytest.importorskip("playwright.sync_api")
    with ThreadPoolExecutor(1) as pool:
        pool.submit(_with_page, journey).result()


def _with_page(journey):
    from playwright import sync_api

    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport={"width": 1366, "height": 900})
        context.set_default_timeout(TIMEOUT_MS)
        context.route(
            "**/*",
            lambda r: (
                r.continue_()
                if "//127.0.0.1" in r.request.url or r.request.url.startswith(("data:", "blob:"))
                else r.abort()
            ),
        )
        sync_api.expect.set_options(timeout=TIMEOUT_MS)
        try:
            journey(context.new_page())
        finally:
            browser.close()


def test_a_participant_joins_in_the_browser_and_saves_in_01(room):
    in_own_thread(lambda page: _journey(room, page))


def _journey(room, page):
    from playwright.sync_api import expect

    SHOTS.mkdir(exist_ok=True)
    page.goto(f"{room.base}/hub/login")
    expect(page.get_by_label(re.compile("Workshop passcode"))).to_be_visible()
    expect(page.get_by_label(re.compile("participant code"))).to_be_visible()
    page.screenshot(path=str(SHOTS / "hub-01-login.png"))
    page.set_viewport_size({"width": 1280, "height": 720})
    page.screenshot(path=str(SHOTS / "hub-01-login-1280x720.png"))
    page.set_viewport_size({"width": 1366, "height": 900})
    page.get_by_label(re.compile("Workshop passcode")).fill(room.passcode)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/user/[^/]+/voila/render/notebooks/00_start_here\.ipynb"))
    open_voila(page, None, None)
    who = page.locator(".rc-who .rc-code")
    expect(who).to_be_visible()
    code = who.inner_text().strip()
    name = re.search(r"/user/([^/]+)/", page.url).group(1)
    assert name == f"{room.prefix}{code.lower()}"
    expect(page.locator(".rc-who")).to_contain_text("HUBTEST")
    text = page.locator("body").inner_text()
    assert "from reconnect" not in text and "import" not in text  # app mode: no code
    page.screenshot(path=str(SHOTS / "hub-02-start-here.png"))
    page.set_viewport_size({"width": 1280, "height": 720})
    page.screenshot(path=str(SHOTS / "hub-02-start-here-1280x720.png"))
    page.set_viewport_size({"width": 1366, "height": 900})

    page.goto(f"{room.base}/user/{name}/voila/render/notebooks/01_self_esteem.ipynb")
    open_voila(page, None, None)
    expect(page.locator(".rc-info").first).to_contain_text(f"Answering as {code}")
    count = page.locator(".rc-choice-group").count()
    wanted = [(n % 5) + 1 for n in range(count)]
    choose_with_keyboard(page, wanted)
    assert all(label is not None for label in chosen_labels(page, count))
    page.get_by_role("button", name="Save my answers").click()
    expect(page.locator(".rc-ok", has_text="Saved at")).to_contain_text("handed in")
    # the copy landed in the room's collection folder, under this participant's code
    drop = room.dir / "hub" / "room" / "collect"
    assert any(code in f.read_text() for f in drop.glob("sub-*.csv"))
