"""Profile scoring against hand-computed fixtures: reverse keying, the 75% rule, bands, ranks, change."""

import math
import re

import pandas as pd
import pytest

from _profile_fixtures import BANK, ME, all_areas, rate, settings
from reconnect.core.errors import InputError
from reconnect.results.profile import ParticipantNotFound, ProfileSource
from reconnect.results.scoring import (
    NOT_RATED,
    band_for,
    change_direction,
    profile_table,
    rank_areas,
    session_order,
)


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (0, "growth area"),
        (49.99, "growth area"),
        (50, "in between"),
        (74.99, "in between"),
        (75, "strength"),
        (100, "strength"),
        (float("nan"), NOT_RATED),
    ],
)
def test_bands_at_and_around_the_cut_points(score, band):
    assert band_for(score, BANK) == band


def test_hand_computed_profile_with_reverse_keying_and_the_75_percent_rule(tmp_path):
    # self_esteem: raw 4,4,4,4 and reverse items raw 2,2 -> keyed all 4 -> mean 4 -> 75 (strength, at the cut)
    rate(tmp_path, ME, "self_esteem", [4, 4, 4, 4, 4, 4])
    # distrust: five answered (the minimum), keyed 3 -> 50 (in between, at the cut)
    rate(tmp_path, ME, "distrust", [3, 3, 3, 3, 3, None])
    # insecurity: keyed 2,2,2,3,3,3 -> mean 2.5 -> 37.5 (growth area)
    rate(tmp_path, ME, "insecurity", [2, 2, 2, 3, 3, 3])
    # communication: only four answered (< 5 needed) -> not yet rated, never zero
    rate(tmp_path, ME, "communication", [1, 1, 1, 1, None, None])
    # foundation: never rated
    p = ProfileSource(tmp_path, bank=BANK).profile(ME)
    t = p.table.set_index("area")
    assert t.loc["self_esteem", "score"] == 75.0 and t.loc["self_esteem", "band"] == "strength"
    assert t.loc["distrust", "score"] == 50.0 and t.loc["distrust", "band"] == "in between"
    assert t.loc["insecurity", "score"] == 37.5 and t.loc["insecurity", "band"] == "growth area"
    for area in ("communication", "foundation"):
        assert math.isnan(t.loc[area, "score"]) and t.loc[area, "band"] == NOT_RATED
        assert pd.isna(t.loc[area, "rank"])
    assert t["rank"].dropna().tolist() == [1, 2, 3]
    assert list(p.strengths["area"]) == ["self_esteem"]
    assert list(p.growth["area"]) == ["insecurity"]
    text = p.text()
    assert "Talking so both are heard: not yet rated" in text
    assert not re.search(r"(?<![0-9.])0 of 100", text)
    assert any("too few statements" in n and "Talking so both are heard" in n for n in p.notes)
    assert [t for t, _ in p.exercises()] == ["Feeling chosen"]
    assert p.exercises()[0][1] == list(BANK.area("insecurity").exercises)


def test_raw_reverse_ratings_are_recoded(tmp_path):
    # All raw ratings 5: four normal items keyed 5, two reverse items keyed 1 -> mean 11/3*... = (20+2)/6
    from reconnect.records.store import Submission, save_submission

    save_submission(
        tmp_path,
        Submission(
            ME, "self_esteem", {i.id: 5 for i in BANK.area("self_esteem").items}, "before", bank_version=BANK.version
        ),
        bank=BANK,
    )
    score = ProfileSource(tmp_path, bank=BANK).profile(ME).table.set_index("area").loc["self_esteem", "score"]
    assert score == pytest.approx(25 * ((5 * 4 + 1 * 2) / 6 - 1))  # 66.67


def test_ranking_ties_share_a_rank():
    ranks = rank_areas(pd.DataFrame({"score": [62.5, 87.5, 62.5, None, 12.5]}))
    assert ranks.tolist() == [2, 1, 2, pd.NA, 4]


def test_newest_save_wins_and_sessions_keep_their_order(tmp_path):
    rate(tmp_path, ME, "distrust", [2] * 6, session="before", minutes=0)
    rate(tmp_path, ME, "distrust", [3] * 6, session="before", minutes=5)  # a correction: replaces the first
    rate(tmp_path, ME, "distrust", [5] * 6, session="after", minutes=60 * 24 * 28)
    src = ProfileSource(tmp_path, bank=BANK)
    scores = src.scores(ME)
    assert session_order(scores) == ["before", "after"]
    before = profile_table(scores, BANK, session="before").set_index("area")
    assert before.loc["distrust", "score"] == 50.0
    newest = src.profile(ME).table.set_index("area")
    assert newest.loc["distrust", "score"] == 100.0 and newest.loc["distrust", "session"] == "after"
    with pytest.raises(InputError, match="no answers in session 'later'"):
        src.profile(ME, session="later")


def test_change_between_sessions_hand_computed(tmp_path):
    before = {"self_esteem": 2, "distrust": 3, "insecurity": 4, "communication": 3, "foundation": 4}
    after = {"self_esteem": 3, "distrust": 3, "insecurity": 3, "communication": 3, "foundation": 4}
    all_areas(tmp_path, ME, before, session="before")
    all_areas(tmp_path, ME, after, session="after", minutes=1000)
    change = ProfileSource(tmp_path, bank=BANK).change(ME)
    assert change.available and (change.first, change.last) == ("before", "after")
    t = change.table.set_index("area")
    assert t.loc["self_esteem", "change"] == 25 and t.loc["self_esteem", "direction"] == "higher"
    assert t.loc["self_esteem", "band_first"] == "growth area" and t.loc["self_esteem", "band_last"] == "in between"
    assert t.loc["insecurity", "change"] == -25 and t.loc["insecurity", "direction"] == "lower"
    assert t.loc["distrust", "direction"] == "about the same"
    words = " ".join(change.lines())
    assert "Standing on your own confidence: higher, 25 → 50 (+25 points, from growth area to in between)" in words
    assert len(change.long) == 10 and set(change.long["session"]) == {"before", "after"}


def test_change_words_at_the_threshold():
    assert change_direction(9.99) == "about the same"
    assert change_direction(10) == "higher"
    assert change_direction(-10) == "lower"
    assert change_direction(float("nan")) == "not rated in both"


def test_change_needs_two_sessions_and_says_so(tmp_path):
    rate(tmp_path, ME, "distrust", [3] * 6)
    change = ProfileSource(tmp_path, bank=BANK).change(ME)
    assert not change.available
    assert "two sessions" in change.message and "only 'before'" in change.message


def test_area_rated_in_one_session_only_has_no_change(tmp_path):
    rate(tmp_path, ME, "distrust", [3] * 6, session="before")
    rate(tmp_path, ME, "distrust", [4] * 6, session="after", minutes=100)
    rate(tmp_path, ME, "foundation", [4] * 6, session="after", minutes=101)
    change = ProfileSource(tmp_path, bank=BANK).change(ME)
    t = change.table.set_index("area")
    assert t.loc["foundation", "direction"] == "not rated in both"
    assert math.isnan(t.loc["foundation", "change"])
    assert t.loc["distrust", "change"] == 25


def test_two_item_bank_versions_are_scored_and_explained(tmp_path):
    rate(tmp_path, ME, "distrust", [3] * 6, bank_version="0.9")
    rate(tmp_path, ME, "foundation", [4] * 6)
    p = ProfileSource(tmp_path, bank=BANK).profile(ME)
    assert p.table.set_index("area").loc["distrust", "score"] == 50.0
    note = " ".join(p.notes)
    assert "earlier version of the statements (0.9" in note and "'Trusting after past hurts'" in note


def test_unreadable_files_are_counted_not_hidden(tmp_path):
    rate(tmp_path, ME, "distrust", [3] * 6)
    (tmp_path / "submissions" / "sub-broken.csv").write_text("not,a,submission\n", encoding="utf-8")
    p = ProfileSource(tmp_path, bank=BANK).profile(ME)
    assert any("1 answer file(s)" in n and "reconnect validate" in n for n in p.notes)


def test_unknown_participant_is_a_clear_error(tmp_path):
    rate(tmp_path, ME, "distrust", [3] * 6)
    with pytest.raises(ParticipantNotFound, match="no answers and no settings for participant ACD-EFG"):
        ProfileSource(tmp_path, bank=BANK).profile("acd-efg")
    with pytest.raises(InputError):
        ProfileSource(tmp_path, bank=BANK).profile("not a code")


def test_settings_without_answers_gives_an_empty_profile_not_an_error(tmp_path):
    settings(tmp_path, ME)
    p = ProfileSource(tmp_path, bank=BANK).profile(ME)
    assert p.is_empty
    assert "No area has been rated yet" in p.summary_lines()[0]
    assert p.exercises() == []


def test_no_growth_area_offers_ideas_for_the_lowest(tmp_path):
    all_areas(tmp_path, ME, {"self_esteem": 5, "distrust": 4, "insecurity": 5, "communication": 3, "foundation": 5})
    p = ProfileSource(tmp_path, bank=BANK).profile(ME)
    assert p.growth.empty
    assert [t for t, _ in p.exercises()] == ["Talking so both are heard"]
    assert "None of your areas is in the growth band" in p.exercises_intro()
