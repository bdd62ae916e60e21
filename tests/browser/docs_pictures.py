"""Retake the documentation's pictures (docs/images/*.png) from the current product: `make pictures`.

Starts JupyterLab and Voilà over a temporary copy of the notebooks with the browser tests' own helpers
(a synthetic demo workshop, nothing from a real data folder), walks each page as a person would and
saves a 1366x900 screenshot. ``--changed DIR`` also saves the pages a change touched at a projector's
1280x720 (06's "Show" choice, 01 after Save, 07) into DIR. Look at every picture after taking it.

    .venv/bin/python tests/browser/docs_pictures.py [--out docs/images] [--changed DIR]
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import browser_helpers as bh  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
README_SIZE = {"width": 1366, "height": 900}
PROJECTOR = {"width": 1280, "height": 720}


def _center(locator) -> None:
    locator.first.evaluate("e => e.scrollIntoView({block: 'center'})")


def _answer_all(page, choices: list[int]) -> None:
    from playwright.sync_api import expect

    groups = page.locator(".rc-choice-group")
    expect(groups.first).to_be_visible()
    for n in range(groups.count()):
        groups.nth(n).locator(".rc-option").nth(choices[n % len(choices)] - 1).click()
    bh.settled(page)


def start_here(page, servers, path: Path) -> None:
    """00 in JupyterLab after creating a participant code (file browser closed, as a participant keeps it)."""
    from playwright.sync_api import expect

    lab = servers["lab"]
    (lab.home / "current.json").unlink(missing_ok=True)  # nobody remembered: a first visit
    bh.open_lab(page, lab, "00_start_here.ipynb")
    bh.collapse_sidebar(page)
    page.get_by_role("checkbox", name=re.compile("Remember me on this computer")).check()
    page.get_by_role("button", name="Create my participant code").click()
    message = page.locator(".rc-ok", has_text="Your new participant code is")
    expect(message).to_be_visible()
    page.wait_for_timeout(500)
    # the whole start panel from its top: who is answering, the settings, the new code under Save
    message.first.evaluate("e => e.closest('.jp-OutputArea').scrollIntoView({block: 'start'})")
    page.mouse.move(0, 0)
    page.screenshot(path=str(path))


def area_saved(page, servers, path: Path, *, mode: str = "app") -> None:
    """01 after answering every statement and pressing Save with Enter; the message and result in view."""
    from playwright.sync_api import expect

    server = servers["voila" if mode == "app" else "lab"]
    bh.new_participant(server.home)
    if mode == "app":
        bh.open_voila(page, server, "01_self_esteem.ipynb")
    else:
        bh.open_lab(page, server, "01_self_esteem.ipynb")
        bh.collapse_sidebar(page)
    _answer_all(page, [4, 3, 5, 2, 4, 3])
    page.locator("button.jupyter-button", has_text="Save my answers").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".rc-score")).to_contain_text("of 100")
    page.wait_for_timeout(800)  # the result's chart image
    _center(page.locator(".rc-ok"))
    page.screenshot(path=str(path))


def facilitator_bands(page, servers, path: Path, *, mode: str = "app") -> None:
    """07 on the demo workshop: the room's bands per area, strongest on top, beside the discussion prompts."""
    from playwright.sync_api import expect

    if mode == "app":
        bh.open_voila(page, servers["voila"], "07_group_discussion.ipynb")
    else:
        bh.open_lab(page, servers["lab"], "07_group_discussion.ipynb")
        bh.collapse_sidebar(page)
    heading = page.locator("h3", has_text="The room's strengths and growth areas")
    expect(page.locator(".jp-OutputArea-output img").first).to_be_visible()
    page.wait_for_function("[...document.querySelectorAll('.jp-OutputArea-output img')].every(i => i.complete)")
    heading.first.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.screenshot(path=str(path))


def facilitator_present(page, servers, path: Path, *, mode: str) -> None:
    """07 after "Presentation mode": larger type, the charts grown to their full drawn size (nothing redrawn)."""
    from playwright.sync_api import expect

    if mode == "app":
        bh.open_voila(page, servers["voila"], "07_group_discussion.ipynb")
    else:
        bh.open_lab(page, servers["lab"], "07_group_discussion.ipynb")
        bh.collapse_sidebar(page)
    page.get_by_role("button", name="Presentation mode").click()
    expect(page.locator(".rc-dashboard.rc-present")).to_be_visible()
    page.wait_for_timeout(500)
    page.locator("img.rc-chart").first.evaluate("e => e.scrollIntoView({block: 'center'})")
    page.screenshot(path=str(path))


def choice_waiting(page, servers, path: Path) -> None:
    """01 in app mode with a choice that cannot reach Python (its message is dropped): the note under it."""
    from playwright.sync_api import expect

    voila = servers["voila"]
    bh.new_participant(voila.home)

    bh.filter_kernel_messages(page, to_kernel=lambda data: b'"choose"' not in data)  # no choice gets through
    bh.open_voila(page, voila, "01_self_esteem.ipynb")
    group = page.locator(".rc-choice-group").nth(1)
    group.locator(".rc-option").nth(3).click()
    note = group.locator(".rc-choice-note")
    expect(note).to_be_visible(timeout=30_000)
    _center(note)
    page.screenshot(path=str(path))


def private_check(page, servers, path: Path) -> None:
    """05 in app mode after "Yes" to the private question: the help, and only what is safe alone."""
    from playwright.sync_api import expect

    voila = servers["voila"]
    bh.new_participant(voila.home)
    bh.open_voila(page, voila, "05_foundation.ipynb")
    _answer_all(page, [3])
    page.locator("button.jupyter-button", has_text="Save my answers").click()
    expect(page.locator(".rc-ok", has_text="Saved at")).to_be_visible()
    check = page.locator(".rc-private-check")
    check.scroll_into_view_if_needed()
    check.get_by_label("Yes", exact=True).check()
    help_box = page.locator(".rc-afraid-help")
    expect(help_box).to_be_visible()
    page.wait_for_timeout(300)
    help_box.scroll_into_view_if_needed()
    page.screenshot(path=str(path))


def profile_show(page, servers, path: Path, *, mode: str) -> None:
    """06 with "Show: A demo participant (synthetic)" chosen with the keyboard."""
    from playwright.sync_api import expect

    server = servers["voila" if mode == "app" else "lab"]
    bh.new_participant(server.home)
    if mode == "app":
        bh.open_voila(page, server, "06_my_profile.ipynb")
    else:
        bh.open_lab(page, server, "06_my_profile.ipynb")
        bh.collapse_sidebar(page)
    show = page.get_by_role("group", name="Show", exact=True)
    show.get_by_role("radio", name="My own answers", exact=True).focus()
    page.keyboard.press("ArrowRight")
    expect(page.locator(".widget-dropdown", has_text="Demo participant")).to_be_visible()
    page.wait_for_timeout(1500)  # the demo participant's chart
    show.evaluate("e => e.scrollIntoView({block: 'start'})")
    page.screenshot(path=str(path))


def _couple_with_guesses(home: Path) -> str:
    """A partner who answered 02, guessed and opted in (made-up), and a new person with the same couple code."""
    from reconnect.bank.content import load_item_bank
    from reconnect.records import guesses as gs
    from reconnect.records import participant as pt
    from reconnect.records.store import Submission, save_submission

    bank = load_item_bank()
    couple = "PICTURE-" + pt.new_participant_code().replace("-", "")
    partner = pt.save_settings(
        home,
        pt.Settings(
            code=pt.new_participant_code(),
            couple=couple,
            share_with_partner=True,
            share_sensitive=True,
            share_guesses=True,
        ),
        make_current=False,
    ).code
    theirs = {"dt1": 3, "dt7": 4, "dt8": 5, "dt4": 3, "dt9": 4, "dt10": 2}
    save_submission(
        home,
        Submission(participant=partner, area="distrust", ratings=theirs, couple=couple, session="before"),
        bank=bank,
    )
    gs.save_guesses(
        home,
        participant=partner,
        couple=couple,
        session="before",
        area="distrust",
        guesses={"dt8": 1, "dt4": 2},
        bank=bank,
    )
    return bh.new_participant(home, couple=couple, share_with_partner=True, share_sensitive=True)


def _guess_02(page, voila) -> None:
    from playwright.sync_api import expect

    bh.open_voila(page, voila, "02_distrust.ipynb")
    groups = page.locator(".rc-choice-group")
    expect(groups).to_have_count(6)
    for n, value in enumerate([4, 4, 4, 2, 4, 1]):
        groups.nth(n).locator(".rc-option").nth(value - 1).click()
    bh.settled(page)
    page.locator("button.jupyter-button", has_text="Save my answers").click()
    expect(page.locator(".rc-ok", has_text="Saved at")).to_be_visible()
    page.get_by_role("button", name="Guess my partner's answers").click()
    guesses = page.locator(".rc-guess .rc-choice-group")
    expect(guesses).to_have_count(2)
    guesses.nth(0).locator(".rc-option").nth(0).click()
    guesses.nth(1).locator(".rc-option").nth(5).click()  # I don't know
    bh.settled(page)


def guess_offer(page, servers, path: Path) -> None:
    """02 in app mode after Save: the optional guesses about the partner, one guess and "I don't know"."""
    voila = servers["voila"]
    _couple_with_guesses(voila.home)
    _guess_02(page, voila)
    page.locator(".rc-guess-title").evaluate("e => e.scrollIntoView({block: 'start'})")
    page.mouse.move(0, 0)
    page.screenshot(path=str(path))


def reading_each_other(page, servers, path: Path) -> None:
    """06 in app mode: "How well we read each other" after both partners ticked its box (made-up couple)."""
    from playwright.sync_api import expect

    voila = servers["voila"]
    _couple_with_guesses(voila.home)
    _guess_02(page, voila)
    page.get_by_role("button", name="Save my guesses").click()
    expect(page.locator(".rc-ok", has_text="Your guesses are saved")).to_be_visible()
    bh.open_voila(page, voila, "06_my_profile.ipynb")
    page.get_by_role("checkbox", name=re.compile("Show how well we read each other")).check()
    expect(page.locator(".rc-gap")).to_have_count(2)
    page.wait_for_timeout(300)
    page.locator(".rc-guess-what").evaluate("e => e.scrollIntoView({block: 'start'})")
    page.mouse.move(0, 0)
    page.screenshot(path=str(path))


README = {
    "start-here.png": start_here,
    "area-saved.png": area_saved,
    "facilitator-bands.png": facilitator_bands,
    "private-check.png": private_check,
    "guesses-02.png": guess_offer,
    "reading-each-other.png": reading_each_other,
}
CHANGED = {
    "06-show-demo-app-1280x720.png": lambda p, s, f: profile_show(p, s, f, mode="app"),
    "06-show-demo-lab-1280x720.png": lambda p, s, f: profile_show(p, s, f, mode="lab"),
    "01-after-save-enter-lab-1280x720.png": lambda p, s, f: area_saved(p, s, f, mode="lab"),
    "01-after-save-enter-app-1280x720.png": lambda p, s, f: area_saved(p, s, f, mode="app"),
    "07-bands-lab-1280x720.png": lambda p, s, f: facilitator_bands(p, s, f, mode="lab"),
    "07-bands-app-1280x720.png": lambda p, s, f: facilitator_bands(p, s, f, mode="app"),
    "07-present-lab-1280x720.png": lambda p, s, f: facilitator_present(p, s, f, mode="lab"),
    "07-present-app-1280x720.png": lambda p, s, f: facilitator_present(p, s, f, mode="app"),
    "01-choice-waiting-app-1280x720.png": choice_waiting,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images", help="where the README pictures go")
    parser.add_argument("--changed", type=Path, help="also take the changed pages at 1280x720 into this folder")
    parser.add_argument("--only", nargs="*", help="only these picture names")
    args = parser.parse_args(argv)
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=90_000)
    base = Path(tempfile.mkdtemp(prefix="reconnect-pictures-"))
    servers = {}
    jobs = [(args.out / name, take, README_SIZE) for name, take in README.items()]
    if args.changed:
        args.changed.mkdir(parents=True, exist_ok=True)
        jobs += [(args.changed / name, take, PROJECTOR) for name, take in CHANGED.items()]
    if args.only:
        jobs = [job for job in jobs if job[0].name in args.only]
    try:
        servers = bh.start_servers(bh.make_project(base))
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=bh.CHROMIUM, args=bh.CHROMIUM_ARGS)
            for path, take, size in jobs:
                context = browser.new_context(viewport=size)
                context.set_default_timeout(90_000)
                page = context.new_page()
                try:
                    take(page, servers, path)
                    print(f"took {path}")
                finally:
                    context.close()
            browser.close()
    finally:
        for server in servers.values():
            server.stop()
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
