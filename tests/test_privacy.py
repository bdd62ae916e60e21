"""Seeing and erasing what is stored about a participant (design.md §5)."""

from __future__ import annotations

import pytest

from reconnect.core.errors import InputError
from reconnect.records import participant as pt
from reconnect.records.drafts import save_draft
from reconnect.records.journal import save_reflection
from reconnect.records.privacy import erase_participant, stored_about
from reconnect.records.store import Submission, load_store, save_submission
from reconnect.ui.privacy import MyDataPanel


def _person(home, bank, code, *, reflect=True):
    pt.save_settings(home, pt.Settings(code=code, display_name="Sam"))
    area = bank.area("distrust")
    save_submission(home, Submission(code, area.id, {i.id: 4 for i in area.items}, "before"), bank=bank)
    save_draft(home, participant=code, session="before", area="insecurity", ratings={"in1": 2})
    if reflect:
        save_reflection(home, participant=code, area="distrust", prompt="p", text="private words")


def test_stored_about_lists_only_that_person(tmp_path, bank):
    _person(tmp_path, bank, "KM7-4TX")
    _person(tmp_path, bank, "QX3-7KM")
    found = stored_about(tmp_path, "km7 4tx")
    assert len(found.submissions) == 1
    assert [len(found.personal[k]) for k in ("journal", "drafts", "participants")] == [1, 1, 1]
    assert found.is_current is False  # QX3-7KM was made current last
    assert "Saved ratings: 1 file(s) in submissions/" in found.lines()


def test_erase_removes_everything_of_one_person_and_nothing_else(tmp_path, bank):
    _person(tmp_path, bank, "QX3-7KM")
    _person(tmp_path, bank, "KM7-4TX")
    others_before = stored_about(tmp_path, "QX3-7KM").files
    found = erase_participant(tmp_path, "KM7-4TX", confirm="KM7-4TX")
    assert len(found.files) == 4
    assert stored_about(tmp_path, "KM7-4TX").files == []
    assert not (tmp_path / "journal" / "KM7-4TX").exists()
    assert not (tmp_path / "current.json").exists()  # it pointed at the erased person
    assert all(p.exists() for p in others_before)
    frame = load_store(tmp_path, bank=bank).frame
    assert set(frame["participant"]) == {"QX3-7KM"}


@pytest.mark.parametrize("typed", ["", "QX3-7KM", "KM7-4T", "<script>"])
def test_erase_needs_the_code_typed_again(tmp_path, bank, typed):
    _person(tmp_path, bank, "KM7-4TX")
    before = stored_about(tmp_path, "KM7-4TX").files
    with pytest.raises(InputError, match="Nothing was erased"):
        erase_participant(tmp_path, "KM7-4TX", confirm=typed)
    assert all(p.exists() for p in before)


def test_a_shared_batch_file_is_listed_never_rewritten(tmp_path, bank):
    _person(tmp_path, bank, "KM7-4TX", reflect=False)
    own = stored_about(tmp_path, "KM7-4TX").submissions[0]
    batch = tmp_path / "submissions" / "batch-abc.csv"
    other = own.read_text().replace("KM7-4TX", "QX3-7KM").splitlines()[1:]
    batch.write_text(own.read_text() + "\n".join(other).replace(own.stem[4:], "f" * 24) + "\n")
    before = batch.read_bytes()
    found = erase_participant(tmp_path, "KM7-4TX", confirm="km74tx")
    assert found.shared_batches == [batch]
    assert batch.read_bytes() == before


def test_panel_shows_then_erases_after_confirmation(tmp_path, bank):
    _person(tmp_path, bank, "KM7-4TX")
    panel = MyDataPanel(home=tmp_path)
    panel.show_button.click()
    assert "Saved ratings: 1 file(s)" in panel.message.value and "KM7-4TX" in panel.message.value
    panel.erase_button.click()  # nothing typed
    assert "Nothing was erased" in panel.message.value
    assert stored_about(tmp_path, "KM7-4TX").files
    panel.confirm.value = "KM7-4TX"
    panel.erase_button.click()
    assert "Erased 4 file(s)" in panel.message.value
    assert stored_about(tmp_path, "KM7-4TX").files == []
    panel.show_button.click()
    assert "no participant code" in panel.message.value
