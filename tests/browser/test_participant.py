"""The participant's journey in a real browser: JupyterLab and Voilà app mode.

Each test asserts what the page shows and what landed on disk. Screenshots of each step go to
``tests/browser/screenshots/`` (git-ignored); look at them after a change to the views.
"""

from __future__ import annotations

import re

from browser_helpers import (
    choose_with_keyboard,
    collapse_sidebar,
    expect_chosen,
    new_participant,
    open_lab,
    open_voila,
    read_ratings,
    restart_and_run_all,
    submission_files,
)
from playwright.sync_api import expect

from reconnect.bank.content import load_item_bank

BANK = load_item_bank()
AREA = BANK.area("self_esteem")
LABELS = {value: label for value, label in BANK.scale}
HOSTILE_NAME = "<img src=x onerror=window.__pwned=1>"
HOSTILE_NOTE = '<img src=x onerror="window.__pwned=1"> and <script>window.__pwned=1</script> & more'


def create_code(page) -> str:
    """Tick "Remember me" (these servers are personal computers), press "Create my participant code";
    return the new code as the page shows it."""
    expect(
        page.locator(".rc-who, .rc-info", has_text=re.compile("working as|Nobody is signed in")).first
    ).to_be_visible()
    if page.locator(".rc-who .rc-code").count():  # someone an earlier test remembered: they leave first
        page.get_by_role("button", name="I'm done — sign out").first.click()
        expect(page.locator(".rc-info", has_text="Nobody is signed in on this page")).to_be_visible()
    page.get_by_role("checkbox", name=re.compile("Remember me on this computer")).check()
    page.get_by_role("button", name="Create my participant code").click()
    message = page.locator(".rc-ok", has_text="Your new participant code is")
    expect(message).to_be_visible()
    code = re.search(r"code is ([A-Z0-9]{3}-[A-Z0-9]{3})", message.inner_text()).group(1)
    expect(page.locator(".rc-who .rc-code")).to_have_text(code)
    return code


def test_participant_journey_in_jupyterlab(page, lab, shot):
    # 00 Start here: create a code, read it from the page
    before = set(submission_files(lab.home))  # other tests share this server's data folder
    open_lab(page, lab, "00_start_here.ipynb")
    collapse_sidebar(page)
    code = create_code(page)
    assert (lab.home / "current.json").read_text().count(code) == 1
    page.locator(".rc-ok").scroll_into_view_if_needed()
    shot(page, "start-code-created")

    # 01: answer every statement with the keyboard only, then Save with Enter
    open_lab(page, lab, "01_self_esteem.ipynb")
    collapse_sidebar(page)
    expect(page.locator(".rc-choice-group")).to_have_count(len(AREA.items))
    expect(page.locator(".rc-info").first).to_contain_text(f"Answering as {code}")
    wanted = [4, 2, 5, 1, 3, 4][: len(AREA.items)]
    choose_with_keyboard(page, wanted)
    # Shift+Tab back to statement 5 and lower it by one with the arrow key
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("ArrowLeft")
    wanted[-2] -= 1
    expect_chosen(page, [LABELS[v] for v in wanted])
    expect(page.locator(".rc-progress")).to_contain_text(f"{len(wanted)} of {len(wanted)} answered")
    page.keyboard.press("Tab")  # back to the last statement (its chosen answer has the focus)
    page.keyboard.press("Tab")  # on to Save
    assert page.evaluate("document.activeElement.textContent").strip() == "Save my answers"
    page.keyboard.press("Enter")
    ok = page.locator(".rc-ok", has_text="Saved at")
    expect(ok).to_contain_text(f"({len(wanted)} of {len(wanted)} answered)")
    expect(page.locator(".rc-score")).to_contain_text("of 100")
    files = sorted(set(submission_files(lab.home)) - before)
    assert len(files) == 1
    expected = {item.id: v for item, v in zip(AREA.items, wanted)}
    assert read_ratings(files[0]) == (code, expected)
    ok.evaluate("e => e.scrollIntoView({block: 'center'})")
    shot(page, "area-saved")

    # restart the kernel, run again: the saved answers come back (chosen answers are marked)
    restart_and_run_all(page)
    expect(page.locator(".rc-info", has_text="are shown again")).to_be_visible()
    expect_chosen(page, [LABELS[v] for v in wanted])
    active = page.locator(".rc-option.mod-active")
    expect(active).to_have_count(len(wanted))
    assert active.first.locator("input").is_checked()
    shot(page, "restored-after-restart")

    # a private reflection goes to the journal, never into a submission
    note = "Walking alone in the morning helps me feel like myself."
    page.get_by_placeholder("Write for yourself").fill(note)
    page.get_by_role("button", name="Save to my private journal").click()
    expect(page.locator(".rc-ok", has_text="Saved to your private journal.")).to_be_visible()
    expect(page.locator(".rc-note", has_text=note)).to_be_visible()
    journal = list((lab.home / "journal" / code).glob("note-*.json"))
    assert len(journal) == 1 and note in journal[0].read_text(encoding="utf-8")
    assert all(note not in f.read_text(encoding="utf-8") for f in submission_files(lab.home))
    assert sorted(set(submission_files(lab.home)) - before) == files  # restart and reflection saved no ratings
    shot(page, "reflection-saved")


def test_participant_journey_in_voila_app_mode(page, voila, shot):
    # the start page `make app` opens links every notebook (by title; test_app_mode checks the words)
    page.goto(voila.url + "/")
    for notebook in sorted(p.name for p in voila.extra["notebooks"].glob("0*.ipynb")):
        expect(page.locator(f'a[href$="/voila/render/{notebook}"]')).to_have_count(1)
    open_voila(page, voila, "00_start_here.ipynb")
    # 00 in app mode: no code cells, create the participant there
    code = create_code(page)
    assert (voila.home / "current.json").read_text().count(code) == 1
    shot(page, "start-code-created")
    text = page.locator("body").inner_text()
    assert "from reconnect" not in text and "import" not in text

    # the contents link leads to 01 in app mode
    page.get_by_role("link", name=re.compile(r"^1\. ")).first.click()
    expect(page).to_have_url(re.compile(r"/voila/render/01_self_esteem\.ipynb$"))
    open_voila(page, voila, None)
    expect(page.locator(".rc-info").first).to_contain_text(f"Answering as {code}")
    wanted = [2, 3, 4, 5, 1, 2][: len(AREA.items)]
    choose_with_keyboard(page, wanted)
    expect_chosen(page, [LABELS[v] for v in wanted])
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator(".rc-ok", has_text="Saved at")).to_be_visible()
    files = [f for f in submission_files(voila.home) if read_ratings(f)[0] == code]
    assert len(files) == 1
    assert read_ratings(files[0]) == (code, {item.id: v for item, v in zip(AREA.items, wanted)})
    text = page.locator("body").inner_text()
    assert "from reconnect" not in text and "rating_form(" not in text
    assert "reconnect.notebook" not in page.content()  # not even hidden in the HTML
    assert page.locator(".cm-editor, .jp-CodeMirrorEditor").count() == 0
    expect(page.locator(".rc-score")).to_contain_text("of 100")
    page.locator(".rc-ok").evaluate("e => e.scrollIntoView({block: 'center'})")
    shot(page, "area-saved")

    # the navigation link to the next notebook stays in app mode
    page.get_by_role("link", name=re.compile(r"^2\. ")).first.click()
    expect(page).to_have_url(re.compile(r"/voila/render/02_distrust\.ipynb$"))
    open_voila(page, voila, None)
    expect(page.locator(".rc-choice-group")).to_have_count(len(BANK.area("distrust").items))


def test_hostile_text_is_shown_as_text_and_never_runs(page, lab, shot):
    new_participant(lab.home)
    open_lab(page, lab, "00_start_here.ipynb")
    page.get_by_label("Name (optional)").fill(HOSTILE_NAME)
    page.get_by_role("button", name="Save my settings").click()
    who = page.locator(".rc-who")
    expect(who).to_contain_text(HOSTILE_NAME)
    assert who.locator("img, script").count() == 0
    shot(page, "hostile-name")

    open_lab(page, lab, "01_self_esteem.ipynb")
    page.get_by_placeholder("Write for yourself").fill(HOSTILE_NOTE)
    page.get_by_role("button", name="Save to my private journal").click()
    shown = page.locator(".rc-note")
    expect(shown).to_have_text(HOSTILE_NOTE)
    assert page.locator(".rc-note img, .rc-note script").count() == 0
    page.wait_for_timeout(300)  # give a payload that did get in the chance to run
    assert page.evaluate("typeof window.__pwned") == "undefined"
    shot(page, "hostile-note")


def test_every_rating_control_is_named_by_its_statement_and_keyboard_reachable(page, voila):
    new_participant(voila.home)
    open_voila(page, voila, "01_self_esteem.ipynb")
    for n, item in enumerate(AREA.items, start=1):
        group = page.get_by_role("radiogroup", name=f"{n}. {item.text}", exact=True)
        expect(group).to_have_count(1)
        for _value, label in BANK.scale:
            expect(group.get_by_role("radio", name=label, exact=True)).to_have_count(1)
    snapshot = page.locator("body").aria_snapshot()
    for n, item in enumerate(AREA.items, start=1):
        assert f'radiogroup "{n}. {item.text}"' in snapshot
    # Tab alone visits every statement once, in order, and then Save
    first = page.get_by_role("radiogroup").first.get_by_role("radio").first
    first.focus()
    visited = []
    for _ in AREA.items:
        visited.append(page.evaluate("document.activeElement.closest('fieldset').querySelector('legend').textContent"))
        page.keyboard.press("Tab")
    assert visited == [f"{n}. {item.text}" for n, item in enumerate(AREA.items, start=1)]
    assert page.evaluate("document.activeElement.textContent").strip() == "Save my answers"
    # the chosen answer is exposed as checked, not only drawn in colour
    page.keyboard.press("Shift+Tab")
    focused = page.evaluate("document.activeElement.parentElement.textContent").strip()
    page.keyboard.press("Space")
    last = page.get_by_role("radiogroup").last
    expect(last.get_by_role("radio", checked=True)).to_have_accessible_name(focused)
    expect(last.locator(".rc-option.mod-active")).to_have_text(focused)
