"""Safety for someone who may be afraid of their partner: the calm line under every suggestion that
involves the partner (added by the code, from the item bank), and the private check in 05 that hides
those suggestions and is never stored."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

from helpers import CODE
from reconnect.bank.model import AREA_IDS
from reconnect.records import participant as pt
from reconnect.results.profile import ProfileSource
from reconnect.ui.area import AreaResult, RatingForm
from reconnect.ui.intro import AreaIntro
from reconnect.ui.safety import NO, SKIP, YES, PageSafety, PrivateSafetyCheck, WhatCanHelp, suggestions_html

#: Wording that means doing something with the partner (unless it says to go on your own first).
PARTNER_ACTIVITY = re.compile(r"\b(with your partner|tell your partner|together|each of you|both of you)\b", re.I)


def _text(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", markup))


def _files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def test_the_safety_lines_name_the_danger_the_step_and_the_dv_line(bank):
    line = bank.together_line
    for needed in ("afraid of your partner", "control", "threaten", "hurt", "on your own first", "1-800-799-7233"):
        assert needed in line, needed
    help_text = " ".join(bank.help)
    assert "hotpeachpages.net" not in help_text  # could not be verified (docs/item-bank.md, help lines)
    assert "people facing abuse" in help_text and "findahelpline.com" in help_text  # outside the US
    assert "private browser window or a device you trust" in help_text
    assert "journal" in help_text and "reports" in help_text  # Reconnect's own files can be found
    assert "clear your browsing history" not in help_text


@pytest.mark.parametrize("area_id", AREA_IDS)
def test_suggestions_worded_as_done_with_the_partner_are_marked_together(bank, area_id):
    area = bank.area(area_id)
    for s in (*area.advice, *area.exercise_list):
        if PARTNER_ACTIVITY.search(f"{s.title} {s.text}") and "on your own" not in s.text:
            assert s.together, f"{area_id}: mark together: true — {s.text}"


@pytest.mark.parametrize("area_id", AREA_IDS)
def test_every_list_with_a_together_suggestion_carries_the_line(bank, area_id):
    area = bank.area(area_id)
    for suggestions in (area.advice, area.exercise_list):
        markup = suggestions_html(suggestions, bank)
        together = [s for s in suggestions if s.together]
        assert (bank.together_line in _text(markup)) == bool(together)
        assert markup.count('class="rc-together"') == len(together)
    assert any(s.together for s in (*area.advice, *area.exercise_list)), "each area has something to do together"


def test_what_can_help_and_the_intro_come_from_the_bank(bank):
    for area in bank.areas:
        shown = _text(WhatCanHelp(area.id, bank=bank).widget.value)
        for point in area.advice:
            assert point.title in shown and point.text in shown
        intro = _text(AreaIntro(area.id, bank=bank).widget.value)
        assert f"{area.number}. {area.title}" in intro and area.introduction in intro


def test_foundation_sends_an_unsafe_person_to_individual_help_first(bank):
    advice = " ".join(s.text for s in bank.area("foundation").advice)
    assert "If you feel unsafe with your partner, talk first with a counselor on your own" in advice
    assert "couples counselling is for when both of you feel safe" in advice
    assert "The decision about your relationship is yours" in advice
    assert "may reveal" in bank.area("foundation").introduction


@pytest.fixture
def me(home) -> pt.Settings:
    return pt.save_settings(home, pt.Settings(code=CODE, workshop="TUESDAY", session="before"))


def _saved_result(home, bank, page: PageSafety) -> AreaResult:
    form = RatingForm("foundation", home=home, bank=bank)
    for item in bank.area("foundation").items:
        form.questions[item.id].value = 3
    result = AreaResult(form, page=page)
    form.save_button.click()
    return result


def test_yes_shows_the_resources_and_hides_the_together_suggestions_of_the_page(home, me, bank, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    page = PageSafety()
    help_box = WhatCanHelp("foundation", page=page, bank=bank)
    result = _saved_result(home, bank, page)
    check = PrivateSafetyCheck(page=page, bank=bank)
    together = [s.text for s in bank.area("foundation").exercise_list if s.together]
    assert together and all(t in _text(result.summary.value) for t in together)
    assert 'class="rc-together"' in help_box.widget.value
    before = _files(tmp_path)

    check.choice.value = YES

    assert page.afraid is True
    shown = _text(check.response.value)
    assert bank.afraid_note in shown and "1-800-799-7233" in shown and "people facing abuse" in shown
    # after "Yes" the domestic-violence lines come first
    assert shown.index("1-800-799-7233") < shown.index("988")
    assert 'class="rc-together"' not in help_box.widget.value
    assert "hidden on this page" in _text(help_box.widget.value)
    summary = _text(result.summary.value)
    assert not any(t in summary for t in together)
    alone = [s.text for s in bank.area("foundation").exercise_list if not s.together]
    assert all(t in summary for t in alone)  # what is safe to do alone stays
    assert "hidden on this page" in summary
    assert _files(tmp_path) == before, "the answer to the private check must never be written anywhere"

    check.choice.value = NO
    assert page.afraid is False
    assert all(t in _text(result.summary.value) for t in together)
    assert 'class="rc-together"' in help_box.widget.value
    check.choice.value = SKIP
    assert page.afraid is False and "rc-afraid-help" not in check.response.value
    skipped = _text(check.response.value)  # "I'd rather not say": the help lines are shown too
    assert all(line in skipped for line in bank.help)
    assert skipped.index("1-800-799-7233") < skipped.index("988")
    assert _files(tmp_path) == before


def test_the_check_starts_unanswered_and_is_not_part_of_any_submission(home, me, bank):
    page = PageSafety()
    check = PrivateSafetyCheck(page=page, bank=bank)
    assert check.answer is None and page.afraid is False and check.response.value == ""
    check.choice.value = YES
    _saved_result(home, bank, page)
    for path in (home / "submissions").glob("*.csv"):
        text = path.read_text(encoding="utf-8").lower()
        assert "afraid" not in text and "yes" not in text


def test_notebook_calls_share_one_page_state_and_a_rerun_starts_unanswered():
    from reconnect import notebook as nb

    check = nb.safety_check()  # the cells in the order of 05: the check, then What can help
    help_box = nb.what_can_help("foundation")
    assert 'class="rc-together"' in help_box.value
    radio = next(c for c in check.children if hasattr(c, "options"))
    radio.value = YES
    assert 'class="rc-together"' not in help_box.value
    # Run All again: a fresh, unanswered check, and the views after it show everything again
    check = nb.safety_check()
    help_box = nb.what_can_help("foundation")
    assert next(c for c in check.children if hasattr(c, "options")).value is None
    assert 'class="rc-together"' in help_box.value


def test_06_ideas_with_together_exercises_carry_the_line(tmp_path, bank):
    from _profile_fixtures import ME, rate, settings
    from reconnect.records.participant import set_current
    from reconnect.ui.profile import ProfileView

    settings(tmp_path, ME)
    set_current(tmp_path, ME)
    rate(tmp_path, ME, "self_esteem", [4] * 6)  # a strength
    rate(tmp_path, ME, "communication", [1] * 6, minutes=1)  # a growth area; its exercises are done together
    assert ProfileSource(tmp_path, bank=bank).profile(ME).has_together_exercises()
    view = ProfileView(home=tmp_path, demo=tmp_path / "no-demo", bank=bank)
    shown = _text(view.profile_text.value)
    assert bank.area("communication").exercises[0] in shown
    assert bank.together_line in shown


# -- the fear rule: a statement about fear counts as fear ------------------------------------------------


def test_only_fear_statements_are_marked_and_they_are_sensitive(bank):
    fear = [i for a in bank.areas for i in a.items if i.fear]
    assert [i.id for i in fear] == ["dt10"]
    assert all(i.sensitive for i in fear)


@pytest.mark.parametrize("value, afraid", [(1, False), (3, False), (4, True), (5, True)])
def test_dt10_at_4_or_5_brings_the_same_help_as_yes(home, me, bank, tmp_path, monkeypatch, value, afraid):
    monkeypatch.chdir(tmp_path)
    page = PageSafety()
    help_box = WhatCanHelp("distrust", page=page, bank=bank)
    form = RatingForm("distrust", home=home, bank=bank, page=page)
    result = AreaResult(form, page=page)
    for item in bank.area("distrust").items:
        form.questions[item.id].value = 3
    form.save_button.click()
    before = _files(tmp_path)
    assert page.afraid is False and form.fear_help.value == ""

    form.questions["dt10"].value = value

    assert page.afraid is afraid and form.fear_signal is afraid
    shown = _text(form.fear_help.value)
    if afraid:
        # the same help as "Yes" on the check: the note, every help line, the DV line first
        yes = PrivateSafetyCheck(page=PageSafety(), bank=bank)
        yes.choice.value = YES
        assert shown == _text(yes.response.value)
        assert bank.afraid_note in shown and all(line in shown for line in bank.help)
        assert shown.index("1-800-799-7233") < shown.index("988")
        assert 'class="rc-together"' not in help_box.widget.value  # suggestions for two hidden, as after "Yes"
        assert "hidden on this page" in _text(result.summary.value)
    else:
        assert shown == "" and 'class="rc-together"' in help_box.widget.value
    form.questions["dt10"].value = 2  # changed back: the help goes, quietly
    assert page.afraid is False and form.fear_help.value == ""

    def not_drafts(files):  # a chosen answer is kept as a draft, as always; the fear rule adds nothing
        return {f for f in files if "/drafts/" not in f}

    assert not_drafts(_files(tmp_path)) == not_drafts(before), "the fear rule writes nothing"
    for path in home.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace").lower()
            assert "afraid" not in text and "fear" not in text


def test_a_fear_answer_restored_from_a_save_brings_the_help_again(home, me, bank):
    form = RatingForm("distrust", home=home, bank=bank)
    for item in bank.area("distrust").items:
        form.questions[item.id].value = 5 if item.id == "dt10" else 3
    form.save_button.click()
    page = PageSafety()
    again = RatingForm("distrust", home=home, bank=bank, page=page)
    assert page.afraid and bank.afraid_note in _text(again.fear_help.value)


def test_the_fear_rule_never_shows_in_the_couple_view(tmp_path, bank):
    from _profile_fixtures import ME, couple_folder
    from reconnect.records.participant import set_current
    from reconnect.ui.profile import ProfileView

    couple_folder(tmp_path, me_share=True, partner_share=True)  # both answered dt10 at 4 and 5
    set_current(tmp_path, ME)
    view = ProfileView(home=tmp_path, demo=tmp_path / "no-demo", bank=bank)

    def html(widget) -> str:
        out = getattr(widget, "value", "") if isinstance(getattr(widget, "value", ""), str) else ""
        return out + "".join(html(c) for c in getattr(widget, "children", ()))

    couple = _text(html(view.couple_widget))
    assert "The two of us" in couple or "both" in couple.lower()  # the couple view is there
    assert bank.afraid_note not in couple and "rc-afraid-help" not in html(view.couple_widget)


def test_the_notebook_form_tells_the_page_and_a_rerun_of_the_check_keeps_the_fear_rule(home, me, monkeypatch):
    from reconnect import notebook as nb

    monkeypatch.setattr(nb, "data_home", lambda: home)
    nb._forms.clear()
    nb.safety_check()
    help_box = nb.what_can_help("distrust")
    form = nb._form_for("distrust")
    form.questions["dt10"].value = 5
    assert 'class="rc-together"' not in help_box.value
    nb.safety_check()  # the page's check runs again: unanswered, but dt10 still says afraid
    help_box = nb.what_can_help("distrust")
    assert nb._page.answer is None and nb._page.afraid
    assert 'class="rc-together"' not in help_box.value
    nb._forms.clear()


def test_clear_forgets_the_check_and_the_fear_signal():
    page = PageSafety()
    check = PrivateSafetyCheck(page=page)
    seen = []
    page.on_change(lambda: seen.append(page.afraid))
    check.choice.value = YES
    page.set_fear(True)
    check.clear()
    assert check.answer is None and check.response.value == "" and page.afraid is False
    assert seen[-1] is False


# -- the private check on every area page and on 06 ------------------------------------------------------
NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
CHECK_CALL = "from reconnect.notebook import safety_check; safety_check()"


@pytest.mark.parametrize("folder", ["", "es"])
@pytest.mark.parametrize(
    "name",
    ["01_self_esteem", "02_distrust", "03_insecurity", "04_communication", "05_foundation", "06_my_profile"],
)
def test_the_private_check_is_on_every_area_page_and_on_06(folder, name):
    import json

    cells = json.loads((NOTEBOOKS / folder / f"{name}.ipynb").read_text(encoding="utf-8"))["cells"]
    sources = ["".join(c["source"]) for c in cells]
    assert sources.count(CHECK_CALL) == 1, f"{folder}/{name}: the private check, once"
    at = sources.index(CHECK_CALL)
    who = next(i for i, s in enumerate(sources) if "who_is_answering()" in s)
    assert who < at, "after who is answering"
    later = [
        i for i, s in enumerate(sources) if any(k in s for k in ("what_can_help(", "rating_form(", "profile_view("))
    ]
    assert later and at < min(later), "before the suggestions, the statements and the profile"


@pytest.mark.parametrize("area_id", AREA_IDS)
def test_yes_on_each_area_page_hides_its_together_suggestions(bank, area_id):
    page = PageSafety()
    help_box = WhatCanHelp(area_id, page=page, bank=bank)
    check = PrivateSafetyCheck(page=page, bank=bank)
    together = any(s.together for s in bank.area(area_id).advice)
    assert ('class="rc-together"' in help_box.widget.value) == together
    check.choice.value = YES
    assert 'class="rc-together"' not in help_box.widget.value
    shown = _text(check.response.value)
    assert shown.index("1-800-799-7233") < shown.index("988")
