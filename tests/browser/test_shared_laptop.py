"""Two people, one after the other, on one laptop in shared app mode (``make app``, ``RECONNECT_SHARED=1``).

Person A creates a code in 00 (with a name, workshop and couple code), rates and saves 01 with a
private reflection, and signs out. Person B then opens 00, 01 and 06 and must find nothing of A's:
no code, name, workshop, couple code, answers, notes or profile, neither on screen nor in the page.
Screenshots of 00 and 06 at 1366x900 and 1280x720 go to ``tests/browser/screenshots/``.
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import pytest
from browser_helpers import (
    Server,
    choose_with_keyboard,
    free_port,
    open_voila,
    read_ratings,
    server_env,
    start_process,
    submission_files,
    wait_ready,
)
from playwright.sync_api import expect

from reconnect.apps.servers import voila_speed_args
from reconnect.bank.content import load_item_bank

BANK = load_item_bank()
AREA = BANK.area("self_esteem")
NAME, WORKSHOP, COUPLE = "Robin Testperson", "TUESDAY-42", "SMITHS-9"
NOTE = "A private thought of person A that nobody else may read."
SIZES = {"1366x900": {"width": 1366, "height": 900}, "1280x720": {"width": 1280, "height": 720}}


@pytest.fixture(scope="module")
def shared_voila(project, browser):
    """Voilà over the notebooks as `make app` runs it on a handed-round laptop: shared device, pages kept
    ready ahead (so person B's pages were prepared while person A was using the laptop)."""
    bin_dir = Path(sys.executable).parent
    base = project["base"]
    home = base / "home-shared"
    jupyter = base / "jupyter-shared"
    port = free_port()
    env = server_env(project, home, jupyter)
    env["RECONNECT_SHARED"] = "1"  # a laptop handed round
    log = base / "voila-shared.log"
    cmd = [
        str(bin_dir / "voila"),
        str(project["notebooks"]),
        "--template=reconnect",
        "--no-browser",
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        "--MappingKernelManager.cull_idle_timeout=60",
        "--MappingKernelManager.cull_interval=20",
        *voila_speed_args("en", root=project["notebooks"]),  # make app's: pages kept ready ahead
    ]
    process = start_process(cmd, cwd=project["notebooks"], env=env, log=log)
    server = Server("Voilà (shared)", f"http://127.0.0.1:{port}", home, process, log, extra=project)
    try:
        wait_ready(server, "/voila/static/voila.js", {}, time.monotonic() + 60)
        yield server
    finally:
        server.stop()


def _page_text(page) -> str:
    """What the page shows, and what its HTML holds (hidden parts included)."""
    return page.locator("body").inner_text() + "\n" + page.content()


def _nothing_of(page, secrets: list[str]) -> None:
    text = _page_text(page)
    for secret in secrets:
        assert secret not in text, f"{secret!r} is on the page"


def _screens(page, shot, step: str, at: str = ".rc-who") -> list[Path]:
    """Screenshots at both laptop sizes, scrolled so that ``at`` (who is answering) is near the top."""
    paths = []
    for label, size in SIZES.items():
        page.set_viewport_size(size)
        page.locator(at).first.evaluate("e => e.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(300)
        paths.append(shot(page, f"{step}-{label}"))
    return paths


def test_the_next_person_sees_nothing_of_the_last(page, context, shared_voila, shot):
    home = shared_voila.home
    # -- person A: 00, create a code with a name, a workshop and a couple code --------------------------
    open_voila(page, shared_voila, "00_start_here.ipynb")
    expect(page.locator(".rc-info", has_text="Nobody is signed in on this page")).to_be_visible()
    expect(page.locator(".rc-shared-note").first).to_contain_text("set up as shared")
    expect(page.get_by_role("checkbox", name=re.compile("Remember me"))).to_have_count(0)
    page.get_by_label("Name (optional)").fill(NAME)
    page.get_by_label("Workshop code (optional)").fill(WORKSHOP)
    page.get_by_label("Couple code (optional)").fill(COUPLE)
    page.get_by_role("button", name="Create my participant code").click()
    message = page.locator(".rc-ok", has_text="Your new participant code is")
    expect(message).to_be_visible()
    code = re.search(r"code is ([A-Z0-9]{3}-[A-Z0-9]{3})", message.inner_text()).group(1)
    expect(page.locator(".rc-who .rc-code")).to_have_text(code)
    assert not (home / "current.json").exists()  # a shared computer remembers nobody
    _screens(page, shot, "00-person-A-signed-in")

    # a second "create" asks first and names the code that stays
    page.get_by_role("button", name=re.compile("Create a new code instead")).click()
    expect(page.locator(".rc-confirm-new .rc-old-code")).to_have_text(code)
    page.get_by_role("button", name="No, keep my code").click()

    # -- person A: 01, say who is answering, rate, save, write a private note, sign out ------------------
    open_voila(page, shared_voila, "01_self_esteem.ipynb")
    expect(page.locator(".rc-gated").first).to_be_visible()
    expect(page.locator(".rc-choice-group")).to_have_count(0)  # nothing until A says who is answering
    page.get_by_label("My participant code").fill(code.lower())
    page.get_by_role("button", name="This is me").click()
    expect(page.locator(".rc-who .rc-code")).to_have_text(code)
    expect(page.locator(".rc-choice-group")).to_have_count(len(AREA.items))
    wanted = [4, 2, 5, 1, 3, 4][: len(AREA.items)]
    choose_with_keyboard(page, wanted)
    page.get_by_role("button", name="Save my answers").click()
    expect(page.locator(".rc-ok", has_text="Saved at")).to_be_visible()
    files = [f for f in submission_files(home) if read_ratings(f)[0] == code]
    assert len(files) == 1
    page.get_by_placeholder("Write for yourself").fill(NOTE)
    page.get_by_role("button", name="Save to my private journal").click()
    expect(page.locator(".rc-note", has_text=NOTE)).to_be_visible()
    page.get_by_role("button", name="I'm done — sign out").last.click()
    expect(page.locator(".rc-ok", has_text="Signed out")).to_be_visible()
    expect(page.locator(".rc-choice-group")).to_have_count(0)
    _nothing_of(page, [NOTE, code, NAME])

    # -- person B, in a fresh browser profile on the same laptop ------------------------------------------
    secrets = [code, code.replace("-", ""), NAME, WORKSHOP, COUPLE, NOTE]
    other = context.browser.new_context(viewport=SIZES["1366x900"])
    other.set_default_timeout(60_000)
    other.route("**/*", lambda route: route.continue_() if "127.0.0.1" in route.request.url else route.abort())
    b = other.new_page()
    try:
        open_voila(b, shared_voila, "00_start_here.ipynb")
        expect(b.locator(".rc-info", has_text="Nobody is signed in on this page")).to_be_visible()
        _nothing_of(b, secrets)
        for label in ("Name (optional)", "Workshop code (optional)", "Couple code (optional)"):
            expect(b.get_by_label(label)).to_have_value("")
        expect(b.locator(".rc-gated", has_text="What is stored about you")).to_be_visible()
        _screens(b, shot, "00-person-B-arrives", at=".rc-info")

        open_voila(b, shared_voila, "01_self_esteem.ipynb")
        expect(b.locator(".rc-gated").first).to_be_visible()
        expect(b.locator(".rc-choice-group")).to_have_count(0)
        _nothing_of(b, [*secrets, "Your earlier notes", "are shown again", "Answering as"])

        open_voila(b, shared_voila, "06_my_profile.ipynb")
        expect(b.locator(".rc-info", has_text="Nobody is signed in on this page")).to_be_visible()
        _nothing_of(b, [*secrets, "Your profile, participant", "Your own notes"])
        share = b.get_by_role("checkbox", name=re.compile("Share my results with my partner"))
        expect(share).not_to_be_checked()
        expect(share).to_be_disabled()
        expect(b.get_by_role("button", name="Make my printable report (PDF)")).to_be_disabled()
        _screens(b, shot, "06-person-B-arrives")
    finally:
        other.close()

    # -- and A, back with their code, finds their own profile (the data is there, only hidden) ---------
    open_voila(page, shared_voila, "06_my_profile.ipynb")
    page.get_by_label("My participant code").fill(code)
    page.get_by_role("button", name="This is me").click()
    expect(page.locator(".rc-info", has_text=f"Your profile, participant {code}")).to_be_visible()
    expect(page.locator(".rc-own-notes")).to_contain_text(NOTE)
    _screens(page, shot, "06-person-A-signed-in")
