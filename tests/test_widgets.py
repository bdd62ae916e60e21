"""The views driven from Python as a participant would: set ``.value``, ``.click()``, read the HTML."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from helpers import CODE
from reconnect.records import participant as pt
from reconnect.records.store import latest_ratings, load_store, submissions_folder
from reconnect.ui.area import AreaResult, RatingForm, ReflectionBox
from reconnect.ui.start import StartPanel

XSS = "<img src=x onerror=alert(1)>"


def _files(folder: Path) -> dict[str, bytes]:
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _submission_files(home: Path) -> list[Path]:
    folder = submissions_folder(home)
    return sorted(folder.rglob("sub-*.csv")) if folder.exists() else []


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


@pytest.fixture
def me(home) -> pt.Settings:
    return pt.save_settings(home, pt.Settings(code=CODE, workshop="TUESDAY", couple="SMITHS", session="before"))


def _answer(form: RatingForm, values: dict[str, int | None]) -> None:
    for item_id, value in values.items():
        form.questions[item_id].value = value


# -- 00 Start here ---------------------------------------------------------------------------------


def test_new_participant_gets_a_code_and_settings(home):
    panel = StartPanel()  # the home fixture points RECONNECT_HOME here
    assert "Nobody is signed in on this page" in panel.status.value
    panel.workshop.value = "Tuesday group"
    panel.new_button.click()

    code = pt.current_code(home)
    assert code is not None and re.fullmatch(r"[A-Z0-9]{3}-[A-Z0-9]{3}", code)
    assert code in panel.status.value and code in panel.message.value
    assert "rc-ok" in panel.message.value
    settings_files = list((home / "participants" / code).glob("settings-*.json"))
    assert len(settings_files) == 1
    saved = json.loads(settings_files[0].read_text())
    assert saved["code"] == code and saved["workshop"] == "Tuesday group" and saved["session"] == "before"
    assert pt.load_settings(home, code).workshop == "Tuesday group"


def test_resume_with_a_typed_lowercase_code(home):
    panel = StartPanel(home=home)
    panel.resume_code.value = "  km7 4tx "
    panel.resume_button.click()
    assert pt.current_code(home) == CODE
    assert CODE in panel.status.value
    assert "You are now working as KM7-4TX" in _text(panel.message.value)


def test_resume_a_known_code_brings_back_its_settings(home, me):
    pt.start_new(home)  # someone else used this folder in between
    assert pt.current_code(home) != CODE
    panel = StartPanel(home=home)
    panel.resume_code.value = "km7-4tx"
    panel.resume_button.click()
    assert pt.current_code(home) == CODE
    assert "Welcome back" in panel.message.value
    assert panel.workshop.value == "TUESDAY" and panel.couple.value == "SMITHS"


@pytest.mark.parametrize("typed", ["hello!", "KM7-4T", "../../etc/passwd", "<b>KM7-4TX</b>", ""])
def test_bad_code_shows_an_error_and_changes_nothing(home, me, typed):
    before = _files(home)
    panel = StartPanel(home=home)
    status = panel.status.value
    panel.resume_code.value = typed
    panel.resume_button.click()
    assert "rc-error" in panel.message.value
    # an empty box is told what to type (a plain sentence, not "'' is not a participant code")
    assert ("code box is empty" if not typed else "not a participant code") in panel.message.value
    assert "''" not in panel.message.value
    assert "<b>KM7" not in panel.message.value, "the typed text is escaped"
    assert panel.status.value == status
    assert pt.current_code(home) == CODE
    assert _files(home) == before


def test_display_name_with_markup_is_shown_escaped(home):
    panel = StartPanel(home=home)
    panel.new_button.click()
    panel.display_name.value = XSS
    panel.save_button.click()
    assert "Settings saved" in panel.message.value
    assert "<img" not in panel.status.value
    assert "&lt;img src=x onerror=alert(1)&gt;" in panel.status.value
    # Coming back later (a new kernel) shows it escaped as well.
    again = StartPanel(home=home)
    assert "<img" not in again.status.value and "&lt;img" in again.status.value
    assert again.display_name.value == XSS


def test_bad_settings_keep_the_old_ones(home, me):
    panel = StartPanel(home=home)
    panel.workshop.value = "<script>"
    panel.save_button.click()
    assert "rc-error" in panel.message.value and "unchanged" in panel.message.value
    assert "<script>" not in panel.message.value
    assert pt.load_settings(home, CODE).workshop == "TUESDAY"


def test_saving_settings_without_a_code_says_what_to_do(home):
    panel = StartPanel(home=home)
    panel.save_button.click()
    assert "Create a participant code first" in panel.message.value
    assert _files(home) == {}


# -- rating form -------------------------------------------------------------------------------------


def test_too_few_answers_names_the_open_statements_and_saves_nothing(home, me, bank):
    form = RatingForm("self_esteem", home=home, bank=bank)
    _answer(form, {"se1": 4, "se2": 4, "se4": 3, "se5": 2})
    assert "4 of 6 answered" in form.progress.value and "at least 5" in form.progress.value
    form.save_button.click()
    message = _text(form.message.value)
    assert "rc-error" in form.message.value
    assert "statements 3, 6" in message and "Nothing was saved" in message
    assert _submission_files(home) == []


def test_save_once_then_unchanged_then_changed(home, me, bank):
    form = RatingForm("self_esteem", home=home, bank=bank)
    assert form.save_button.disabled is False
    _answer(form, {"se1": 4, "se2": 4, "se7": 4, "se4": 4, "se5": 2})
    form.save_button.click()
    assert "Saved at" in form.message.value and "5 of 6 answered" in form.message.value
    assert "Statement 6 left open" in form.message.value
    assert len(_submission_files(home)) == 1

    form.save_button.click()  # nothing changed: no second file
    assert "Already saved" in form.message.value
    assert len(_submission_files(home)) == 1

    time.sleep(0.005)  # saved_at is stored to the millisecond
    form.questions["se1"].value = 1
    form.save_button.click()
    assert "Saved at" in form.message.value
    assert len(_submission_files(home)) == 2

    frame = load_store(home, bank=bank).frame
    ratings, _ = latest_ratings(frame, participant=CODE, area="self_esteem", session="before")
    assert ratings == {"se1": 1, "se2": 4, "se7": 4, "se4": 4, "se5": 2, "se6": None}
    assert set(frame["workshop"]) == {"TUESDAY"} and set(frame["couple"]) == {"SMITHS"}


def test_a_new_form_shows_the_saved_answers(home, me, bank):
    form = RatingForm("distrust", home=home, bank=bank)
    answers = {"dt1": 5, "dt7": 4, "dt8": 3, "dt4": 2, "dt9": 1, "dt10": 5}
    _answer(form, answers)
    form.save_button.click()

    restarted = RatingForm("distrust", home=home, bank=bank)  # a kernel restart builds a new form
    assert restarted.ratings == answers
    assert "shown again" in restarted.message.value
    assert "6 of 6 answered" in restarted.progress.value
    restarted.save_button.click()
    assert "Already saved" in restarted.message.value
    assert len(_submission_files(home)) == 1
    # Another area and another session start empty.
    assert set(RatingForm("insecurity", home=home, bank=bank).ratings.values()) == {None}
    pt.save_settings(home, pt.Settings(code=CODE, session="after"))
    assert set(RatingForm("distrust", home=home, bank=bank).ratings.values()) == {None}


def test_result_appears_after_save_with_score_band_and_help(home, me, bank):
    form = RatingForm("self_esteem", home=home, bank=bank)
    result = AreaResult(form)
    assert "appears here once you have saved" in result.summary.value
    assert "988" in result.safety.value and "1-800-799-7233" in result.safety.value

    # Reverse items se5, se6 answered 2 count as 4: mean 4 -> 75 of 100, a strength.
    _answer(form, {"se1": 4, "se2": 4, "se7": 4, "se4": 4, "se5": 2, "se6": 2})
    form.save_button.click()
    summary = _text(result.summary.value)
    assert "75 of 100" in summary and "strength" in summary
    assert "not a diagnosis" in summary
    assert bank.area("self_esteem").exercises[0] in summary
    assert "988" in result.safety.value and "1-800-799-7233" in result.safety.value

    time.sleep(0.005)
    _answer(form, {"se1": 1, "se2": 1, "se7": 1, "se4": 1, "se5": 5, "se6": 5})
    form.save_button.click()
    assert "0 of 100" in _text(result.summary.value) and "growth area" in result.summary.value


def test_result_of_a_restarted_kernel_shows_the_saved_score(home, me, bank):
    form = RatingForm("foundation", home=home, bank=bank)
    _answer(form, {i.id: 3 for i in bank.area("foundation").items})
    form.save_button.click()
    result = AreaResult(RatingForm("foundation", home=home, bank=bank))
    assert "50 of 100" in _text(result.summary.value) and "in between" in result.summary.value


def test_without_a_participant_code_the_form_explains_and_cannot_save(home, bank):
    form = RatingForm("communication", home=home, bank=bank)
    assert "00 Start here" in form.header.value and "no participant code" in form.header.value
    assert form.save_button.disabled is True
    _answer(form, {i.id: 4 for i in bank.area("communication").items})
    form._on_save()  # even if the button were clicked somehow
    assert "nothing was saved" in form.message.value
    assert _submission_files(home) == []


# -- private reflection -------------------------------------------------------------------------------


def test_reflection_goes_to_the_journal_and_never_into_a_submission(home, me, bank):
    form = RatingForm("distrust", home=home, bank=bank)
    _answer(form, {i.id: 4 for i in bank.area("distrust").items})
    form.save_button.click()

    secret = "We argued about money <b>again</b>"
    box = ReflectionBox("distrust", home=home, bank=bank)
    box.prompt.value = box.prompt.options[1]
    box.text.value = secret
    box.save_button.click()
    assert "Saved to your private journal" in box.message.value
    assert box.text.value == ""
    assert "We argued about money &lt;b&gt;again&lt;/b&gt;" in box.earlier.value

    notes = list((home / "journal" / CODE).glob("note-*.json"))
    assert len(notes) == 1
    record = json.loads(notes[0].read_text(encoding="utf-8"))
    assert record["text"] == secret and record["area"] == "distrust" and record["prompt"] == box.prompt.options[1]

    # Save ratings again after writing the note: still nothing of it in any submission.
    time.sleep(0.005)
    form.questions["dt1"].value = 2
    form.save_button.click()
    subs = _submission_files(home)
    assert len(subs) == 2
    for path in subs:
        content = path.read_text(encoding="utf-8")
        assert "money" not in content and "argued" not in content
    frame = load_store(home, bank=bank).frame
    assert not frame.astype(str).apply(lambda col: col.str.contains("money")).any().any()

    # A new box (kernel restart) lists the earlier note; another area does not.
    assert "money" in ReflectionBox("distrust", home=home, bank=bank).earlier.value
    assert "money" not in ReflectionBox("foundation", home=home, bank=bank).earlier.value


@pytest.mark.parametrize("text", ["", "   \n\t "])
def test_empty_reflection_is_refused_and_nothing_written(home, me, bank, text):
    before = _files(home)
    box = ReflectionBox("insecurity", home=home, bank=bank)
    box.text.value = text
    box.save_button.click()
    assert "rc-error" in box.message.value and "empty" in box.message.value
    assert _files(home) == before
    assert not (home / "journal").exists()


def test_reflection_without_a_code_keeps_the_text(home, bank):
    box = ReflectionBox("insecurity", home=home, bank=bank)
    box.text.value = "a thought"
    box.save_button.click()
    assert "00 Start here" in box.message.value
    assert box.text.value == "a thought"
    assert _files(home) == {}


def test_a_long_name_is_cut_as_typed_and_the_workshop_code_is_kept(tmp_path):
    from reconnect.records.codes import MAX_NAME
    from reconnect.ui.start import StartPanel

    panel = StartPanel(home=tmp_path)
    panel.new_button.click()
    panel.workshop.value = "TUE"
    panel.display_name.value = "A" * (MAX_NAME + 25)
    assert panel.display_name.value == "A" * MAX_NAME and f"at most {MAX_NAME}" in panel.message.value
    panel.save_button.click()
    assert "Settings saved" in panel.message.value
    assert panel.workshop.value == "TUE"
