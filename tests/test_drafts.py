"""Unsaved answers survive a new form (a reloaded page, a restarted kernel); Save clears them."""

from datetime import datetime, timedelta, timezone

import pytest
import traitlets

from reconnect.bank.content import load_item_bank
from reconnect.records import participant as pt
from reconnect.records.drafts import draft_path, load_draft, save_draft
from reconnect.records.store import Submission, load_store, save_submission
from reconnect.ui.area import RatingForm
from reconnect.ui.choice import RatingChoice


@pytest.fixture
def home(tmp_path):
    pt.start_new(tmp_path, session="before")
    return tmp_path


def _key(home, area="self_esteem"):
    s = pt.current_settings(home)
    return {"participant": s.code, "session": s.session, "area": area}


def test_choices_come_back_in_a_new_form_until_saved(home):
    form = RatingForm("self_esteem", home=home)
    ids = list(form.questions)
    form.questions[ids[0]].value = 4
    form.questions[ids[2]].value = 1
    again = RatingForm("self_esteem", home=home)
    assert again.questions[ids[0]].value == 4 and again.questions[ids[2]].value == 1
    assert again.questions[ids[1]].value is None
    assert "not saved yet are back on screen" in again.message.value
    assert not (home / "submissions").exists()  # a draft is never a submission
    for box in again.questions.values():
        box.value = box.value or 3
    again.save_button.click()
    assert len(load_store(home).frame["submission_id"].unique()) == 1
    assert not draft_path(home, **_key(home)).exists()
    third = RatingForm("self_esteem", home=home)
    assert "are shown again" in third.message.value
    assert third.ratings == again.ratings


def test_a_draft_older_than_the_newest_save_is_ignored(home):
    bank = load_item_bank()
    area = bank.area("self_esteem")
    save_draft(home, ratings={area.items[0].id: 1}, **_key(home))
    s = pt.current_settings(home)
    later = datetime.now(timezone.utc) + timedelta(seconds=5)
    ratings = {i.id: 5 for i in area.items}
    save_submission(home, Submission(s.code, area.id, ratings, s.session, saved_at=later, bank_version=bank.version))
    form = RatingForm("self_esteem", home=home)
    assert form.ratings == ratings
    assert "are shown again" in form.message.value


def test_a_damaged_draft_is_ignored(home):
    path = draft_path(home, **_key(home))
    path.parent.mkdir(parents=True)
    path.write_text("{not json")
    assert load_draft(home, **_key(home)) is None
    assert RatingForm("self_esteem", home=home).answered == 0


def test_rating_choice_names_its_statement_and_refuses_other_values():
    box = RatingChoice(statement="I like who I am.", number=3, options=[("No", 1), ("Yes", 2)])
    assert (box.statement, box.number) == ("I like who I am.", 3)
    with pytest.raises(traitlets.TraitError):
        box.value = 7
    with pytest.raises(traitlets.TraitError):
        box.value = True
    box.value = 2
    box.value = None
    assert box.value is None


def test_form_questions_carry_the_numbered_statements():
    bank = load_item_bank()
    area = bank.area("distrust")
    form = RatingForm("distrust", bank=bank)
    assert [(q.number, q.statement) for q in form.questions.values()] == [
        (n, i.text) for n, i in enumerate(area.items, start=1)
    ]


def test_a_choice_made_in_the_browser_is_taken_and_a_wrong_one_ignored():
    box = RatingChoice(statement="I like who I am.", number=1, options=[("No", 1), ("Yes", 2)])
    box._on_frontend_message(box, {"choose": 2, "seq": 1}, [])
    assert (box.value, box.ack) == (2, 1)
    box._on_frontend_message(box, {"choose": 9, "seq": 2}, [])
    box._on_frontend_message(box, {"something": "else"}, [])
    assert (box.value, box.ack) == (2, 2)
    # quick choices can arrive out of order: the newest by number wins
    box._on_frontend_message(box, {"choose": 2, "seq": 4}, [])
    box._on_frontend_message(box, {"choose": 1, "seq": 3}, [])
    assert (box.value, box.ack) == (2, 4)
    # a second view (another tab) can never reuse a number: the page numbers choices by their time,
    # so one with the number already taken is not newer and changes nothing
    box._on_frontend_message(box, {"choose": 1, "seq": 4}, [])
    assert (box.value, box.ack) == (2, 4)


def test_a_repeated_or_late_choice_is_acknowledged_again_and_changes_nothing(monkeypatch):
    """The page sends a choice again until it is acknowledged; the kernel takes it once and, for a repeat
    (its acknowledgement was lost) or a late older choice, sends which choice counts again."""
    box = RatingChoice(statement="I like who I am.", number=1, options=[("No", 1), ("Yes", 2)])
    sent = []
    monkeypatch.setattr(box, "send_state", lambda key=None: sent.append(sorted(key or [])))
    box._on_frontend_message(box, {"choose": 2, "seq": 10}, [])
    assert (box.value, box.ack) == (2, 10)
    assert sent == [["ack", "value"]]  # the new choice and its number, in one update
    box._on_frontend_message(box, {"choose": 2, "seq": 10}, [])  # the same choice again
    box._on_frontend_message(box, {"choose": 1, "seq": 7}, [])  # an older one, late
    assert (box.value, box.ack) == (2, 10)  # nothing changed ...
    assert sent == [["ack", "value"]] * 3  # ... and each time the page is told again which choice counts


def test_a_page_given_an_older_picture_of_the_state_gets_the_current_one(monkeypatch):
    """A page connecting to a running kernel fetches every widget's state; a late reply is older than what
    the page already has. The page asks again ("resync"), and the kernel sends its current state."""
    box = RatingChoice(statement="I like who I am.", number=1, options=[("No", 1), ("Yes", 2)])
    box._on_frontend_message(box, {"choose": 2, "seq": 10}, [])
    sent = []
    monkeypatch.setattr(box, "send_state", lambda key=None: sent.append(sorted(key or [])))
    box._on_frontend_message(box, {"resync": True}, [])
    assert sent == [["ack", "value"]] and (box.value, box.ack) == (2, 10)
    box._on_frontend_message(box, {"resync": "yes"}, [])  # anything else is not that message
    assert sent == [["ack", "value"]]


def test_the_waiting_note_is_in_the_page_language():
    from reconnect.bank.i18n import language

    with language("es"):
        box = RatingChoice(statement="Me gusto.", number=1, options=[("No", 1), ("Sí", 2)])
    assert box.waiting_note.startswith("Esta respuesta todavía no quedó registrada")
    assert RatingChoice(statement="x", number=1, options=[("No", 1)]).waiting_note.startswith("This answer")


def test_a_late_choice_on_a_replaced_view_reaches_the_form_on_screen(home, monkeypatch):
    """The page runs again (Run All after the page came alive) while a key press is on its way to the
    old view: the choice arrives after the new form restored the draft, and must still win."""
    from reconnect import notebook

    monkeypatch.setenv("RECONNECT_HOME", str(home))
    monkeypatch.setattr(notebook, "_forms", {})
    monkeypatch.setattr(notebook, "_replaced", {})
    notebook.rating_form("self_esteem")
    old = notebook._forms["self_esteem"]
    first_id, old_box = next(iter(old.questions.items()))
    old_box._on_frontend_message(old_box, {"choose": 2, "seq": 1}, [])
    notebook.rating_form("self_esteem")  # the page ran again: a new form restores the draft (2)
    new = notebook._forms["self_esteem"]
    assert new is not old and new.questions[first_id].value == 2
    old_box._on_frontend_message(old_box, {"choose": 5, "seq": 2}, [])  # the late key press
    assert new.questions[first_id].value == 5
    assert load_draft(home, **_key(home)).ratings[first_id] == 5
    # another person signing in: nothing passes from the last person's form to theirs
    pt.start_new(home)
    notebook.rating_form("self_esteem")
    newest = notebook._forms["self_esteem"]
    new.questions[first_id].value = 1
    assert newest.questions[first_id].value is None


def test_changing_an_answer_after_saving_says_so(home):
    form = RatingForm("self_esteem", home=home)
    for box in form.questions.values():
        box.value = 3
    form.save_button.click()
    first = next(iter(form.questions.values()))
    first.value = 5
    assert "changed answers since you saved" in form.message.value
    assert load_draft(home, **_key(home)).ratings[next(iter(form.questions))] == 5


def test_a_save_from_another_tab_is_named_and_the_newest_counts(home):
    from reconnect.records.store import latest_submissions

    first, second = RatingForm("self_esteem", home=home), RatingForm("self_esteem", home=home)
    for box in first.questions.values():
        box.value = 2
    first.save_button.click()
    for box in second.questions.values():
        box.value = 4
    second.save_button.click()
    assert "from another tab or window" in second.message.value
    frame = load_store(home).frame
    assert frame["submission_id"].nunique() == 2
    assert set(latest_submissions(frame)["rating"]) == {4}
