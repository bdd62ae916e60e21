"""05 in app mode: the area's words come from the item bank, every partner-involving list carries the
safety line, and the private check "Do you ever feel afraid of your partner?" hides the suggestions
meant for the two of you on that page — without writing anything anywhere."""

from __future__ import annotations

from browser_helpers import choose_with_keyboard, new_participant, open_voila, submission_files
from playwright.sync_api import expect

from reconnect.bank.content import load_item_bank

BANK = load_item_bank()
AREA = BANK.area("foundation")
TOGETHER_ADVICE = sum(s.together for s in AREA.advice)
TOGETHER_EXERCISES = sum(s.together for s in AREA.exercise_list)


def _files(home):
    return {p for p in home.rglob("*") if p.is_file()}


def test_private_check_hides_the_together_suggestions_in_app_mode(page, voila, shot):
    new_participant(voila.home)
    open_voila(page, voila, "05_foundation.ipynb")

    # The heading and introduction are the bank's words
    expect(page.locator(".rc-area-intro h1")).to_have_text(f"{AREA.number}. {AREA.title}")
    expect(page.locator(".rc-area-intro p")).to_contain_text(AREA.introduction[:60])

    # "What can help": the partner-involving points are there, with the calm line under the list
    help_list = page.locator(".rc-what-can-help")
    expect(help_list.locator(".rc-together")).to_have_count(TOGETHER_ADVICE)
    expect(page.locator(".rc-together-note").first).to_contain_text("afraid of your partner")

    # Rate and save, so the result with its exercises is on the page too
    choose_with_keyboard(page, [3] * len(AREA.items))
    page.get_by_role("button", name="Save my answers").click()
    expect(page.locator(".rc-ok", has_text="Saved at")).to_be_visible()
    exercises = page.locator(".rc-exercises")
    expect(exercises.locator(".rc-together")).to_have_count(TOGETHER_EXERCISES)
    expect(page.locator(".rc-together-note")).to_have_count(2)  # under What can help and under the exercises
    files_before = _files(voila.home)
    saved = submission_files(voila.home)

    # The private question: "Yes" shows the resources and hides everything meant for the two of you
    check = page.locator(".rc-private-check")
    check.scroll_into_view_if_needed()
    expect(page.get_by_text("Do you ever feel afraid of your partner?")).to_be_visible()
    check.get_by_label("Yes", exact=True).check()
    help_box = page.locator(".rc-afraid-help")
    expect(help_box).to_contain_text("1-800-799-7233")
    expect(help_box).to_contain_text("people facing abuse")
    expect(help_box.locator("li").first).to_contain_text("Domestic Violence Hotline")  # the DV line first
    expect(help_list.locator(".rc-together")).to_have_count(0)
    expect(exercises.locator(".rc-together")).to_have_count(0)
    expect(exercises.locator(".rc-alone")).to_have_count(len(AREA.exercise_list) - TOGETHER_EXERCISES)
    expect(page.locator(".rc-hidden-note")).to_have_count(2)
    expect(page.locator(".rc-together-note")).to_have_count(0)
    help_box.scroll_into_view_if_needed()
    for width, height in ((1366, 900), (1280, 720)):
        page.set_viewport_size({"width": width, "height": height})
        help_box.scroll_into_view_if_needed()
        shot(page, f"afraid-yes-{width}x{height}")

    # Nothing about the answer was written: the data folder holds exactly what it held before
    assert _files(voila.home) == files_before
    assert submission_files(voila.home) == saved
    for path in saved:
        assert "afraid" not in path.read_text(encoding="utf-8").lower()

    # "No" brings the suggestions back (with the line)
    check.get_by_label("No", exact=True).check()
    expect(help_list.locator(".rc-together")).to_have_count(TOGETHER_ADVICE)
    expect(exercises.locator(".rc-together")).to_have_count(TOGETHER_EXERCISES)
    expect(page.locator(".rc-afraid-help")).to_have_count(0)
    assert _files(voila.home) == files_before

    # "I'd rather not say" shows the help lines too, and hides nothing
    check.get_by_label("I'd rather not say", exact=True).check()
    expect(page.locator(".rc-skip-help")).to_contain_text("988")
    expect(help_list.locator(".rc-together")).to_have_count(TOGETHER_ADVICE)
    assert _files(voila.home) == files_before


def test_a_fear_statement_at_5_brings_the_help_on_02_in_app_mode(page, voila, shot):
    """The fear rule: "I worry that my partner will hurt me" at 5 shows the same help as "Yes", under
    the statements, and hides the suggestions for two; the private check is on 02 too."""
    distrust = BANK.area("distrust")
    new_participant(voila.home)
    open_voila(page, voila, "02_distrust.ipynb")
    expect(page.locator(".rc-private-check")).to_have_count(1)
    help_list = page.locator(".rc-what-can-help")
    together = sum(s.together for s in distrust.advice)
    expect(help_list.locator(".rc-together")).to_have_count(together)
    values = [5 if item.fear else 3 for item in distrust.items]
    choose_with_keyboard(page, values)
    fear_help = page.locator(".rc-afraid-help")
    expect(fear_help).to_have_count(1)
    expect(fear_help).to_contain_text(BANK.afraid_note[:40])
    expect(fear_help.locator("li").first).to_contain_text("Domestic Violence Hotline")
    expect(help_list.locator(".rc-together")).to_have_count(0)
    fear_help.scroll_into_view_if_needed()
    shot(page, "fear-rule-02-1366x900")


def _check_then_sign_out(page, home, shot, mode: str) -> None:
    """Person A answers the private check "Yes"; after "I'm done — sign out" the next person finds it unanswered."""
    help_list = page.locator(".rc-what-can-help")
    check = page.locator(".rc-private-check")
    check.scroll_into_view_if_needed()
    check.get_by_label("Yes", exact=True).check()
    expect(page.locator(".rc-afraid-help")).to_contain_text("1-800-799-7233")
    expect(help_list.locator(".rc-together")).to_have_count(0)
    files_before = _files(home)
    page.get_by_role("button", name="I'm done — sign out").last.click()
    expect(page.locator(".rc-ok", has_text="Signed out")).to_be_visible()
    # the second person at the keyboard: no choice, no help box, the suggestions for two back, nothing written
    expect(page.locator(".rc-afraid-help")).to_have_count(0)
    expect(page.locator(".rc-check-thanks")).to_have_count(0)
    for label in ("Yes", "No", "I'd rather not say"):
        expect(check.get_by_label(label, exact=True)).not_to_be_checked()
    expect(help_list.locator(".rc-together")).to_have_count(TOGETHER_ADVICE)
    expect(page.locator(".rc-hidden-note")).to_have_count(0)
    assert page.locator(".rc-choice-group").count() == 0  # the gated form closed with the sign-out
    assert _files(home) == files_before
    check.scroll_into_view_if_needed()
    shot(page, f"after-sign-out-{mode}")


def test_sign_out_clears_the_private_check_in_app_mode(page, voila, shot):
    new_participant(voila.home)
    open_voila(page, voila, "05_foundation.ipynb")
    _check_then_sign_out(page, voila.home, shot, "app")


def test_sign_out_clears_the_private_check_in_jupyterlab(page, lab, shot):
    from browser_helpers import open_lab

    new_participant(lab.home)
    open_lab(page, lab, "05_foundation.ipynb")
    _check_then_sign_out(page, lab.home, shot, "lab")
