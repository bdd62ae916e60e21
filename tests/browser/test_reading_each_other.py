"""Issue 26 in a real browser: guess the partner's answers after saving 02, then "How well we read each
other" in 06, in app mode and in JupyterLab, and in Spanish in app mode.

The partner (B) answered 02, guessed, and opted in from Python beforehand; person A does everything on
the page with the keyboard where it matters: answers 02, opens the guesses, picks one guess and
"I don't know", saves; in 06 ticks the box and finds exactly the two statements that differ by two or
more steps (one each way), as questions, with no score; a "Yes" on 06's private question hides them.
"""

from __future__ import annotations

import json
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

from browser_helpers import choose_with_keyboard, collapse_sidebar, new_participant, open_lab, open_voila
from playwright.sync_api import expect

from reconnect.bank.content import load_item_bank
from reconnect.records import guesses as gs
from reconnect.records import participant as pt
from reconnect.records.store import Submission, save_submission

ROOT = Path(__file__).resolve().parents[2]
BANK = load_item_bank()
AREA = BANK.area("distrust")
MINE = {"dt1": 4, "dt7": 4, "dt8": 4, "dt4": 2, "dt9": 4, "dt10": 1}
THEIRS = {"dt1": 3, "dt7": 4, "dt8": 5, "dt4": 3, "dt9": 4, "dt10": 2}


@dataclass(frozen=True)
class Words:
    """What the person reads on the two pages, in one language (written out, not taken from the catalog:
    a missing translation would fall back to English and must fail here)."""

    folder: str
    bank_file: str
    language: str
    save: str
    saved: str
    start: str
    not_now: str
    save_guesses: str
    guesses_saved: str
    partner: str
    dont_know: str
    consent: str
    you_guessed: str
    partner_guessed: str
    yes: str
    no: str


ENGLISH = Words(
    "", "item_bank.yaml", "en", "Save my answers", "Saved at", "Guess my partner's answers", "Not now",
    "Save my guesses", "Your guesses are saved", "Your partner:", "I don't know", "Show how well we read each other",
    "You guessed your partner would say", "Your partner guessed you would say", "Yes", "No",
)  # fmt: skip
SPANISH = Words(
    "es/", "item_bank.es.yaml", "es", "Guardar mis respuestas", "Guardado a las", "Suponer las respuestas de mi pareja",
    "Ahora no", "Guardar mis suposiciones", "Tus suposiciones se guardaron", "Tu pareja:", "No lo sé",
    "Mostrar cómo nos leemos", "Supusiste que tu pareja diría", "Tu pareja supuso que dirías", "Sí", "No",
)  # fmt: skip


def _partner(home, couple: str) -> str:
    """B: answered 02, guessed A's dt8 at 1 (A says 4) and dt4 at 2 (A says 2), opted in to everything."""
    b = pt.save_settings(
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
    save_submission(
        home, Submission(participant=b, area="distrust", ratings=THEIRS, couple=couple, session="before"), bank=BANK
    )
    gs.save_guesses(home, participant=b, couple=couple, session="before", area="distrust", guesses={"dt8": 1, "dt4": 2})
    return b


def _journey(page, home, open_page, shot, mode: str, words: Words = ENGLISH) -> None:
    bank = load_item_bank(ROOT / "data" / words.bank_file)
    labels = dict(bank.scale)
    couple = "GAP-" + uuid.uuid4().hex[:6].upper()
    _partner(home, couple)
    me = new_participant(home, couple=couple, share_with_partner=True, share_sensitive=True, language=words.language)

    open_page(words.folder + "02_distrust.ipynb")
    expect(page.locator(".rc-choice-group")).to_have_count(len(AREA.items))
    expect(page.locator(".rc-guess-title")).to_have_count(0)  # nothing offered before a save
    choose_with_keyboard(page, [MINE[i.id] for i in AREA.items])
    page.get_by_role("button", name=words.save).click()
    expect(page.locator(".rc-ok", has_text=words.saved)).to_be_visible()

    # the offer, after the save: open it, guess with the keyboard (dt8 at 1, "I don't know" on dt4)
    start = page.get_by_role("button", name=words.start)
    expect(start).to_be_visible()
    expect(page.get_by_role("button", name=words.not_now)).to_be_visible()
    start.click()
    groups = page.locator(".rc-guess .rc-choice-group")
    expect(groups).to_have_count(2)
    expect(groups.first).to_contain_text(words.partner)
    expect(groups.nth(1).get_by_label(words.dont_know, exact=True)).to_have_count(1)
    choose_with_keyboard(page, [1, 6], start=len(AREA.items))  # the sixth answer is "I don't know"
    page.get_by_role("button", name=words.save_guesses).click()
    expect(page.locator(".rc-ok", has_text=words.guesses_saved)).to_be_visible()
    files = list((home / "guesses" / me).glob("guess-*.json"))
    assert len(files) == 1
    saved = json.loads(files[0].read_text(encoding="utf-8"))
    assert saved["guesses"] == {"dt8": 1, "dt4": None} and saved["participant"] == me
    page.locator(".rc-guess").scroll_into_view_if_needed()
    shot(page, f"guesses-02-{mode}")

    # 06: tick the box; both directions' differing statements, nothing else, no score
    open_page(words.folder + "06_my_profile.ipynb")
    consent = page.get_by_role("checkbox", name=re.compile(words.consent))
    expect(consent).to_be_enabled()
    expect(page.locator(".rc-gap")).to_have_count(0)
    consent.check()
    gaps = page.locator(".rc-gap")
    expect(gaps).to_have_count(2)
    dt8 = next(i.text for i in bank.area("distrust").items if i.id == "dt8")
    expect(gaps.filter(has_text=words.you_guessed)).to_contain_text(dt8)
    expect(gaps.filter(has_text=words.you_guessed)).to_contain_text(labels[5])
    expect(gaps.filter(has_text=words.partner_guessed)).to_contain_text(labels[1])
    reading = page.locator(".rc-reading")
    assert "%" not in reading.inner_text()
    gaps.first.scroll_into_view_if_needed()
    page.set_viewport_size({"width": 1366, "height": 900})
    gaps.first.scroll_into_view_if_needed()
    shot(page, f"reading-each-other-06-{mode}-1366x900")

    # "Yes" on 06's private question: the view is gone at once
    check = page.locator(".rc-private-check")
    check.scroll_into_view_if_needed()
    check.get_by_label(words.yes, exact=True).check()
    expect(page.locator(".rc-gap")).to_have_count(0)
    expect(page.locator(".rc-reading-hidden")).to_have_count(1)
    # and unticking it (after "No") saves the withdrawal: gone for both
    check.get_by_label(words.no, exact=True).check()
    expect(page.locator(".rc-gap")).to_have_count(2)
    consent.uncheck()
    expect(page.locator(".rc-gap")).to_have_count(0)
    assert pt.load_settings(home, me).share_guesses is False


def test_reading_each_other_in_app_mode(page, voila, shot):
    _journey(page, voila.home, lambda nb: open_voila(page, voila, nb), shot, "app")


def test_reading_each_other_in_jupyterlab(page, lab, shot):
    def open_page(nb: str) -> None:
        open_lab(page, lab, nb)
        collapse_sidebar(page)

    _journey(page, lab.home, open_page, shot, "lab")


def test_reading_each_other_in_spanish_in_app_mode(page, voila, shot):
    _journey(page, voila.home, lambda nb: open_voila(page, voila, nb), shot, "app-es", SPANISH)
