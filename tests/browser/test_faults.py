"""Faults in a real browser: a reload while rating, a kernel restart before Save, a double click on
Save, and a second tab saving too. No answer may be lost and the newest save must count."""

from __future__ import annotations

import re

import pytest
from browser_helpers import (
    choose_with_keyboard,
    chosen_labels,
    expect_chosen,
    filter_kernel_messages,
    keys_log,
    new_participant,
    open_lab,
    open_voila,
    read_ratings,
    restart_and_run_all,
    route_kernel_messages,
    settled,
    submission_files,
    wait_alive,
    wait_idle,
)
from playwright.sync_api import expect

from reconnect.bank.content import load_item_bank
from reconnect.records.drafts import load_draft
from reconnect.records.store import latest_submissions, load_store

BANK = load_item_bank()
AREA = BANK.area("distrust")
LABELS = {value: label for value, label in BANK.scale}
NB = "02_distrust.ipynb"


def test_reload_restart_double_click_and_a_second_tab_lose_no_answer(page, context, lab, shot):
    page.on("dialog", lambda dialog: dialog.accept())  # "leave this page?" on reload
    code = new_participant(lab.home)
    before = set(submission_files(lab.home))
    wanted = [3, 4, 2, 5, 1, 4, 3][: len(AREA.items)]

    # a reload in the middle of rating: the choices so far come back after running again
    open_lab(page, lab, NB)
    choose_with_keyboard(page, wanted[:2])
    page.reload()
    expect(page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook")).to_be_visible()
    wait_alive(page)  # the extension runs the notebook again: nothing to click
    expect(page.locator(".rc-info", has_text="not saved yet are back on screen")).to_be_visible()
    assert chosen_labels(page, len(AREA.items)) == [LABELS[v] for v in wanted[:2]] + [None] * (len(wanted) - 2)
    shot(page, "after-reload")

    # the kernel restarts before Save: still nothing lost
    choose_with_keyboard(page, wanted[2:], start=2)
    expect_chosen(page, [LABELS[v] for v in wanted])
    # every widget message went to the kernel's main thread (the product's Lab settings): over a subshell,
    # ipykernel 7 ran one answer's messages on two threads and kept an older answer (reconnect.ui.serial)
    assert "over a kernel subshell" not in keys_log(page)
    draft = load_draft(lab.home, participant=code, session="before", area=AREA.id)
    assert draft.ratings == {item.id: v for item, v in zip(AREA.items, wanted)}
    restart_and_run_all(page)
    expect(page.locator(".rc-info", has_text="not saved yet are back on screen")).to_be_visible()
    expect_chosen(page, [LABELS[v] for v in wanted])
    assert set(submission_files(lab.home)) == before  # a draft is never a submission

    # Save clicked twice quickly: one new file, and the page says it is saved
    page.get_by_role("button", name="Save my answers").dblclick()
    expect(page.locator(".rc-ok", has_text="aved at")).to_be_visible()
    page.wait_for_timeout(500)  # let the second click arrive
    wait_idle(page)
    expect(page.locator(".rc-ok", has_text="aved at")).to_be_visible()
    new = sorted(set(submission_files(lab.home)) - before)
    assert len(new) == 1
    first = {item.id: v for item, v in zip(AREA.items, wanted)}
    assert read_ratings(new[0]) == (code, first)
    shot(page, "saved-after-double-click")

    # a second tab of the same notebook saves too; then the first tab saves again
    other = context.new_page()
    open_lab(other, lab, NB)
    expect(other.locator(".rc-info", has_text="are shown again")).to_be_visible()
    assert chosen_labels(other, len(AREA.items)) == [LABELS[v] for v in wanted]
    other.locator(".rc-choice-group").nth(0).get_by_role("radio", name=LABELS[1], exact=True).click()
    settled(other)
    other.get_by_role("button", name="Save my answers").click()
    expect(other.locator(".rc-ok", has_text="Saved at")).to_be_visible()
    second = dict(first, **{AREA.items[0].id: 1})

    page.bring_to_front()
    page.locator(".rc-choice-group").nth(1).get_by_role("radio", name=LABELS[5], exact=True).click()
    settled(page)
    page.get_by_role("button", name="Save my answers").click()
    expect(page.locator(".rc-ok", has_text="from another tab or window")).to_be_visible()
    third = dict(first, **{AREA.items[1].id: 5})  # what the first tab showed when it saved
    shot(page, "first-tab-saved-after-second")

    new = sorted(set(submission_files(lab.home)) - before)
    new.sort(key=lambda f: f.stat().st_mtime_ns)
    assert [read_ratings(f)[1] for f in new] == [first, second, third]  # every save kept, none doubled
    frame = load_store(lab.home).frame
    mine = latest_submissions(frame[(frame["participant"] == code) & (frame["area"] == AREA.id)])
    assert dict(zip(mine["item"], mine["rating"].astype(int))) == third  # the newest counts

    # running the notebook again shows the newest answers
    restart_and_run_all(other)
    expect(other.locator(".rc-info", has_text="are shown again")).to_be_visible()
    assert chosen_labels(other, len(AREA.items)) == [LABELS[third[item.id]] for item in AREA.items]
    other.close()


def _lose_first(page, *, to_kernel, to_page) -> list[str]:
    """Drop, on the page's kernel websockets, the first message to the kernel that ``to_kernel`` matches and
    the first message to the page that ``to_page`` matches (regular expressions on bytes), as a lost packet
    or a reconnecting page would; everything else passes. Returns what was dropped."""
    dropped: list[str] = []

    def first_only(pattern, side):
        def keep(data: bytes) -> bool:
            if side not in dropped and pattern.search(data):
                dropped.append(side)
                return False
            return True

        return keep

    filter_kernel_messages(page, to_kernel=first_only(to_kernel, "kernel"), to_page=first_only(to_page, "page"))
    return dropped


@pytest.mark.parametrize("mode", ["lab", "app"])
def test_a_lost_choice_or_acknowledgement_is_sent_again(page, request, mode):
    """A choice that never reaches the kernel, and an acknowledgement that never reaches the page, are both
    made good: the page sends the newest unacknowledged choice again, and the kernel says again which
    choice counts. The page, the kernel and the draft end with the last choice."""
    server = request.getfixturevalue("lab" if mode == "lab" else "voila")
    code = new_participant(server.home)
    # the choice to the kernel; the kernel's update of a choice and its number (not the widget's creation)
    dropped = _lose_first(
        page,
        to_kernel=re.compile(rb'"choose"'),
        to_page=re.compile(rb'"method":\s*"update".*"ack":\s*[1-9]', re.S),
    )
    if mode == "lab":
        open_lab(page, server, NB)
    else:
        open_voila(page, server, NB)
    groups = page.locator(".rc-choice-group")
    expect(groups).to_have_count(len(AREA.items))
    groups.nth(0).get_by_role("radio", name=LABELS[4], exact=True).click()  # its message is lost
    groups.nth(1).get_by_role("radio", name=LABELS[2], exact=True).click()  # its acknowledgement is lost
    settled(page)  # both acknowledged in the end
    assert sorted(dropped) == ["kernel", "page"]
    assert chosen_labels(page, len(AREA.items))[:2] == [LABELS[4], LABELS[2]]
    draft = load_draft(server.home, participant=code, session="before", area=AREA.id)
    assert draft is not None and [draft.ratings[item.id] for item in AREA.items[:2]] == [4, 2]
    expect(page.locator(".rc-choice-note:visible")).to_have_count(0)  # no note left behind


def test_a_choice_that_cannot_reach_python_says_so_until_it_does(page, voila):
    """While a choice gets no answer from the kernel, a note under the statement says so (after a few
    seconds); once it gets through, the note goes and the choice counts."""
    code = new_participant(voila.home)
    blocked = {"on": True}
    # the kernel never hears of a choice, for now
    filter_kernel_messages(page, to_kernel=lambda data: not (blocked["on"] and b'"choose"' in data))
    open_voila(page, voila, NB)
    group = page.locator(".rc-choice-group").nth(2)
    group.get_by_role("radio", name=LABELS[5], exact=True).click()
    note = group.locator(".rc-choice-note")
    expect(note).to_be_visible(timeout=20_000)
    expect(note).to_contain_text("This answer is not recorded yet")
    blocked["on"] = False  # the connection works again: the next repeat gets through
    expect(note).to_be_hidden(timeout=20_000)
    settled(page)
    draft = load_draft(voila.home, participant=code, session="before", area=AREA.id)
    assert draft is not None and draft.ratings[AREA.items[2].id] == 5


def _late_first_update(page, pattern: re.Pattern) -> dict:
    """On the page's kernel websockets, hold back the kernel's first update to the page that ``pattern``
    matches, and deliver it right after the next one: the page gets an older picture of the state after a
    newer one, as a page connecting to a running kernel does when its fetch of every widget's state
    answers late. Returns ``{"released": True}`` once the held update went out."""
    state = {"held": None, "released": False}

    def to_page(message, data, send):
        if state["released"] or not pattern.search(data):
            send(message)
        elif state["held"] is None:
            state["held"] = message  # the first one: kept back for now
        else:
            send(message)
            send(state["held"])  # ... and delivered after the newer one
            state["released"] = True

    route_kernel_messages(page, to_page=to_page)
    return state


@pytest.mark.parametrize("mode", ["lab", "app"])
def test_an_older_picture_of_an_answer_arriving_late_is_never_shown(page, request, mode):
    """Two quick choices on one statement; the kernel's update for the first reaches the page after its
    update for the second. The page keeps showing the second (it was seen showing the first again on a
    busy machine), and the page, the kernel and the draft agree."""
    server = request.getfixturevalue("lab" if mode == "lab" else "voila")
    code = new_participant(server.home)
    state = _late_first_update(page, re.compile(rb'"method":\s*"update".*"ack":\s*[1-9]', re.S))
    if mode == "lab":
        open_lab(page, server, NB)
    else:
        open_voila(page, server, NB)
    group = page.locator(".rc-choice-group").nth(0)
    group.get_by_role("radio", name=LABELS[2], exact=True).click()
    group.get_by_role("radio", name=LABELS[4], exact=True).click()  # the newer choice
    settled(page)
    assert state["released"], "the older update was never held back and delivered late"
    page.wait_for_timeout(1500)  # the older picture has arrived by now, and any answer to it
    assert chosen_labels(page, len(AREA.items))[0] == LABELS[4]
    draft = load_draft(server.home, participant=code, session="before", area=AREA.id)
    assert draft is not None and draft.ratings[AREA.items[0].id] == 4


def test_an_older_picture_of_06s_show_choice_arriving_late_is_never_shown(page, voila):
    """The same for 06's "Show" (a Switch): two quick choices, the kernel's update for the first delivered
    after its update for the second; the page keeps the second checked, as the kernel has it."""
    new_participant(voila.home)
    state = _late_first_update(page, re.compile(rb'"method":\s*"update".*"version":\s*[1-9]', re.S))
    open_voila(page, voila, "06_my_profile.ipynb")
    demo = page.get_by_role("radio", name="A demo participant (synthetic)")
    own = page.get_by_role("radio", name="My own answers")
    demo.click()
    own.click()  # the newer choice
    expect(page.locator(".widget-dropdown", has_text="Demo participant")).to_be_hidden()  # the kernel has it
    page.wait_for_timeout(1500)  # the older picture has arrived by now, and any answer to it
    assert state["released"], "the older update was never held back and delivered late"
    expect(own).to_be_checked()
    expect(demo).not_to_be_checked()


def _kill_kernel_of(page) -> None:
    """Kill (SIGKILL) the kernel process of the app-mode page shown in ``page``: found by the kernel id in
    its connection file's name, as a crash or the system's out-of-memory killer would end it."""
    import json
    import os
    import signal
    from pathlib import Path

    kernel = json.loads(page.locator("#jupyter-config-data").text_content())["kernelId"]
    killed = []
    for proc in Path("/proc").iterdir():
        try:
            line = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if proc.name.isdigit() and f"kernel-{kernel}" in line and "ipykernel" in line:
            os.kill(int(proc.name), signal.SIGKILL)
            killed.append(proc.name)
    assert killed, f"no kernel process of {kernel}"


def test_a_page_whose_kernel_dies_starts_again_once_then_says_what_to_do(page, voila):
    """App mode: the page's kernel is killed; the page says so and reloads with a fresh kernel that works;
    killed again soon after, the page says plainly what to do (reload, or tell the facilitator)."""
    code = new_participant(voila.home)
    open_voila(page, voila, NB)
    expect(page.locator(".rc-who .rc-code")).to_have_text(code)
    _kill_kernel_of(page)
    alert = page.locator(".reconnect-stopped")
    expect(alert).to_contain_text("Starting it again now", timeout=30_000)
    page.wait_for_event("framenavigated", timeout=30_000)  # the reload: a fresh kernel
    open_voila(page, voila, None)
    expect(page.locator(".rc-who .rc-code")).to_have_text(code)
    group = page.locator(".rc-choice-group").first
    group.get_by_role("radio", name=LABELS[4], exact=True).click()
    expect(page.locator(".rc-progress")).to_contain_text("1 of ")  # the new kernel answers
    _kill_kernel_of(page)
    expect(alert).to_contain_text("could not be started again", timeout=30_000)
    expect(alert).to_contain_text("tell your facilitator")
    page.wait_for_timeout(3000)
    expect(alert).to_be_visible()  # no reload this time: the message stays
