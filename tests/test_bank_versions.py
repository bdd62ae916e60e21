"""Item bank 1.1: reworded statements got new ids; answers saved with 1.0 still load, score and compare.

``tests/data/item_bank_1.0.yaml`` is the bank as it was released as 1.0 (a copy, never edited).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from _profile_fixtures import ME, rate
from helpers import broken_bank_file
from reconnect.bank.content import load_item_bank, validate_item_bank
from reconnect.core.errors import SubmissionError
from reconnect.records.collect import collect
from reconnect.records.store import COLUMNS_V1, Submission, check_submission, load_store
from reconnect.results.profile import ProfileSource
from reconnect.results.scoring import area_scores

OLD_BANK = Path(__file__).parent / "data" / "item_bank_1.0.yaml"
#: Every statement 1.1 replaced, and what took its place (the issue's list).
REPLACED = {
    "se3": "se7",
    "dt2": "dt7",
    "dt3": "dt8",
    "dt5": "dt9",
    "dt6": "dt10",
    "in3": "in7",
    "in4": "in8",
    "cm4": "cm7",
    "fd3": "fd7",
    "fd5": "fd8",
}
SID = "3f9a0c2d7be14e0f9a1c2b3d"


def _old_items() -> dict[tuple[str, str], dict]:
    old = yaml.safe_load(OLD_BANK.read_text(encoding="utf-8"))
    assert old["version"] == "1.0"
    return {(a["id"], i["id"]): i for a in old["areas"] for i in a["items"]}


def _write_1_0(store: Path, area: str, ratings: dict[str, int | None], *, session="before", sid=SID) -> Path:
    """A submission file exactly as Reconnect 1.0 wrote it (bank_version 1.0, the old ids)."""
    lines = [",".join(COLUMNS_V1)]  # format 1: no language column
    for item, rating in ratings.items():
        value = "" if rating is None else str(rating)
        lines.append(f"1,{sid},{ME},TUESDAY,,{session},{area},{item},{value},2026-10-06T18:00:00.000+00:00,1.0")
    folder = store / "submissions"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"sub-{sid}.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_bank_is_1_1_and_validates(bank):
    assert bank.version == "1.1"
    assert validate_item_bank(bank.path) == []
    assert bank.known_versions == ("1.0", "1.1")


def test_every_1_0_statement_is_still_known_with_its_exact_text_and_keying(bank):
    """A changed statement must get a new id: an id never changes its wording or its keying."""
    index = bank.item_index()
    for key, old in _old_items().items():
        assert key in index, f"1.0 statement {key} is unknown to the bank: keep it under retired:"
        assert index[key].text == old["text"], f"{key} changed its wording but kept its id"
        assert index[key].reverse == old["reverse"]


def test_the_replaced_statements_are_retired_after_1_0_and_point_to_their_successor(bank):
    for area in bank.areas:
        current = {i.id for i in area.items}
        for item in area.retired:
            assert item.retired_after == "1.0"
            assert REPLACED[item.id] == item.replaced_by and item.replaced_by in current
            assert item.id not in current
    retired = {i.id for a in bank.areas for i in a.retired}
    assert retired == set(REPLACED)
    new_ids = {i.id for a in bank.areas for i in a.items} - {k[1] for k in _old_items()}
    assert new_ids == set(REPLACED.values())


def test_sensitive_statements_are_marked(bank):
    index = bank.item_index()
    assert {k[1] for k, i in index.items() if i.sensitive} == {"se6", "dt6", "dt10", "in5"}
    assert all(isinstance(i.sensitive, bool) for i in index.values())


def test_1_0_answers_load_and_score_with_their_own_keying(tmp_path, bank):
    # dt6 ("brace myself ...") is reverse-worded in 1.0: 2 is recoded to 4, so every keyed value is 4.
    _write_1_0(tmp_path, "distrust", {"dt1": 4, "dt2": 4, "dt3": 4, "dt4": 4, "dt5": None, "dt6": 2})
    data = load_store(tmp_path, bank=bank)
    assert data.problems == []
    scores = area_scores(data.frame, bank)
    assert scores["score"].tolist() == [75.0]
    assert scores["band"].tolist() == ["strength"]


def test_a_new_save_accepts_only_the_current_statements(bank):
    sub = Submission(ME, "distrust", {"dt2": 4}, "before", bank_version=bank.version)
    with pytest.raises(SubmissionError) as err:
        check_submission(sub, bank)
    assert "dt2" in str(err.value.problems[0])


def test_change_across_versions_compares_by_area_and_says_the_statements_changed(tmp_path, bank):
    _write_1_0(tmp_path, "distrust", {"dt1": 2, "dt2": 2, "dt3": 2, "dt4": 2, "dt5": 2, "dt6": 4})  # keyed 2: 25
    _write_1_0(tmp_path, "foundation", dict.fromkeys(["fd1", "fd2", "fd3", "fd4", "fd5", "fd6"], 3), sid="1" * 24)
    rate(tmp_path, ME, "distrust", [4] * 6, session="after", minutes=60)  # 1.1 statements, keyed 4: 75
    rate(tmp_path, ME, "self_esteem", [4] * 6, session="after", minutes=61)
    change = ProfileSource(tmp_path, bank=bank).change(ME)
    t = change.table.set_index("area")
    assert t.loc["distrust", "change"] == 50
    notes = " ".join(change.notes)
    assert "Trusting after past hurts: 4 of the 6 statements changed between 'before' and 'after'" in notes
    assert "(item bank 1.0 → 1.1)" in notes
    assert '"I can count on my partner to keep their promises." became' in notes
    assert "Looking at the foundation" not in notes  # rated in one session only: nothing to explain


def test_same_statements_in_both_sessions_need_no_note(tmp_path, bank):
    rate(tmp_path, ME, "distrust", [2] * 6, session="before")
    rate(tmp_path, ME, "distrust", [4] * 6, session="after", minutes=60)
    assert ProfileSource(tmp_path, bank=bank).change(ME).notes == []


def test_collect_accepts_answers_saved_with_1_0(tmp_path, bank):
    source = _write_1_0(tmp_path / "handed-in", "distrust", {"dt1": 4, "dt2": 4, "dt3": 4, "dt4": 4, "dt5": 4})
    result = collect([source], tmp_path / "store", bank=bank)
    assert len(result.imported) == 1 and not result.rejected
    assert load_store(tmp_path / "store", bank=bank).frame["bank_version"].astype(str).unique().tolist() == ["1.0"]


# -- broken 1.1 banks --------------------------------------------------------------------------------


def _area(data, area_id):
    return next(a for a in data["areas"] if a["id"] == area_id)


def _drop(mapping: dict, key: str) -> None:
    del mapping[key]


@pytest.mark.parametrize(
    "mutate, where, words",
    [
        (
            lambda d: _area(d, "distrust")["retired"][0].update(retired_after="1.1"),
            "retired statement dt2",
            "own version",
        ),
        (
            lambda d: _area(d, "distrust")["retired"][0].update(replaced_by="zz9"),
            "retired statement dt2",
            "replaced_by",
        ),
        (
            lambda d: _drop(_area(d, "distrust")["retired"][0], "retired_after"),
            "retired statement dt2",
            "retired_after",
        ),
        (lambda d: _area(d, "distrust")["retired"][0].update(id="dt7"), "dt7", "also used"),
        (lambda d: _area(d, "self_esteem")["items"][5].update(sensitive="yes"), "statement se6", "sensitive"),
        (lambda d: _area(d, "foundation")["exercises"][0].update(together="yes"), "exercise 1", "together"),
        (lambda d: _drop(_area(d, "foundation")["advice"][0], "title"), "advice 1", "title"),
        (lambda d: _drop(d["safety"], "together"), "safety.together", "afraid of their partner"),
        (lambda d: _drop(d["safety"], "afraid"), "safety.afraid", "afraid of your partner"),
    ],
    ids=[
        "retired-after-own-version",
        "replaced-by-unknown",
        "retired-without-version",
        "retired-id-reused",
        "sensitive-not-bool",
        "together-not-bool",
        "advice-without-title",
        "no-together-line",
        "no-afraid-note",
    ],
)
def test_broken_1_1_fields_are_refused_with_place_and_fix(tmp_path, mutate, where, words):
    problems = validate_item_bank(broken_bank_file(tmp_path, mutate))
    assert problems, "the broken bank was accepted"
    text = " | ".join(str(p) for p in problems)
    assert where in text and words in text, text


def test_the_1_0_bank_file_itself_is_kept_unchanged():
    assert load_item_bank().version != "1.0"
    assert len(_old_items()) == 30
