"""Scores against hand-computed values: reverse keying, the 75% rule, band cut points, area_scores."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from helpers import raw_bank
from reconnect.bank.content import load_item_bank
from reconnect.records.store import to_frame
from reconnect.results.scoring import NOT_RATED, SCORE_NOTE, area_scores, band_for, keyed, score_ratings, to_100

STAMP = "2026-11-26T18:30:00.000+00:00"


def _rows(participant, area, ratings, *, submission="s", session="before", couple="", saved_at=STAMP):
    return [
        dict(
            format_version=1,
            submission_id=submission,
            participant=participant,
            workshop="W",
            couple=couple,
            session=session,
            area=area,
            item=item,
            rating=rating,
            saved_at=saved_at,
            bank_version="1.0",
            source=f"{submission}.csv",
        )
        for item, rating in ratings.items()
    ]


# -- to_100 ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("mean", "expected"), [(1, 0.0), (2, 25.0), (3, 50.0), (4, 75.0), (5, 100.0), (3.5, 62.5)])
def test_to_100(mean, expected):
    assert to_100(mean) == expected


def test_to_100_other_scale():
    assert to_100(4, low=0, high=8) == 50.0


# -- reverse keying ------------------------------------------------------------------------------


def test_reverse_items_are_recoded_six_minus_rating(bank):
    # self_esteem: se5 and se6 are reverse-worded.
    ratings = {"se1": 4, "se2": 5, "se7": 3, "se4": 4, "se5": 2, "se6": 1}
    frame = to_frame(_rows("KM7-4TX", "self_esteem", ratings))
    assert keyed(frame, bank).tolist() == [4.0, 5.0, 3.0, 4.0, 4.0, 5.0]
    # mean (4+5+3+4+4+5)/6 = 25/6; score 100*(25/6-1)/4 = 79.1666...
    score, band = score_ratings(ratings, area="self_esteem", bank=bank)
    assert score == pytest.approx(79.16666, abs=1e-3)
    assert band == "strength"


def test_reverse_keying_can_move_the_band(bank):
    # The same answers with the reverse items agreed with strongly: mean (4+5+3+4+1+1)/6 = 3.
    ratings = {"se1": 4, "se2": 5, "se7": 3, "se4": 4, "se5": 5, "se6": 5}
    score, band = score_ratings(ratings, area="self_esteem", bank=bank)
    assert score == pytest.approx(50.0)
    assert band == "in between"


def test_ratings_are_stored_as_given(bank):
    frame = to_frame(_rows("KM7-4TX", "self_esteem", {"se5": 2}))
    assert int(frame["rating"].iloc[0]) == 2, "recoding happens only at scoring time"


# -- the 75% rule ----------------------------------------------------------------------------------


def test_six_items_five_answered_scores(bank):
    ratings = {"dt1": 5, "dt7": 4, "dt8": 3, "dt4": 4, "dt9": None, "dt10": 2}  # dt10 reverse: 6-2 = 4
    score, band = score_ratings(ratings, area="distrust", bank=bank)
    assert score == pytest.approx(100 * ((5 + 4 + 3 + 4 + 4) / 5 - 1) / 4)  # mean 4.0 -> 75
    assert score == pytest.approx(75.0) and band == "strength"


def test_six_items_four_answered_is_missing(bank):
    ratings = {"dt1": 5, "dt7": 4, "dt8": 3, "dt4": None, "dt9": None, "dt10": 2}
    score, band = score_ratings(ratings, area="distrust", bank=bank)
    assert math.isnan(score) and band == NOT_RATED


def _four_item_bank(broken_bank):
    def four(d):
        for area in d["areas"]:
            if area["id"] == "communication":
                area["items"] = area["items"][:4]  # cm1-cm7, none reverse

    return load_item_bank(broken_bank(four))


def test_four_items_three_answered_scores(broken_bank):
    bank = _four_item_bank(broken_bank)
    assert bank.area("communication").min_answered == 3
    score, band = score_ratings({"cm1": 2, "cm2": 3, "cm3": 4, "cm7": None}, area="communication", bank=bank)
    assert score == pytest.approx(50.0) and band == "in between"


def test_four_items_two_answered_is_missing(broken_bank):
    bank = _four_item_bank(broken_bank)
    score, band = score_ratings({"cm1": 5, "cm2": 5, "cm3": None, "cm7": None}, area="communication", bank=bank)
    assert math.isnan(score) and band == NOT_RATED


def test_five_items_needs_four(broken_bank):
    def five(d):
        d["areas"][0]["items"] = d["areas"][0]["items"][:5]

    bank = load_item_bank(broken_bank(five))
    assert bank.area("self_esteem").min_answered == 4  # ceil(3.75)
    three = {"se1": 5, "se2": 5, "se7": 5}
    assert math.isnan(score_ratings(three, area="self_esteem", bank=bank)[0])
    assert score_ratings({**three, "se4": 5}, area="self_esteem", bank=bank)[0] == 100.0


# -- bands -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (0, "growth area"),
        (49.99, "growth area"),
        (50, "in between"),
        (50.01, "in between"),
        (74.99, "in between"),
        (75, "strength"),
        (75.01, "strength"),
        (100, "strength"),
        (float("nan"), NOT_RATED),
        (None, NOT_RATED),
        (pd.NA, NOT_RATED),
    ],
)
def test_band_cut_points(bank, score, band):
    assert band_for(score, bank) == band


def test_band_cut_points_come_from_the_item_bank(broken_bank):
    def move(d):
        d["bands"] = {"growth_below": 40, "strength_from": 60}

    bank = load_item_bank(broken_bank(move))
    assert [band_for(s, bank) for s in (39.9, 40, 59.9, 60)] == ["growth area", "in between", "in between", "strength"]


def test_the_score_note_says_it_is_not_a_diagnosis():
    assert "not a diagnosis" in SCORE_NOTE


# -- area_scores on a frame ----------------------------------------------------------------------


def test_area_scores_two_participants(bank):
    rows = (
        # A: self_esteem all 4 except reverse se5=2, se6=2 -> keyed 4,4,4,4,4,4 -> 75, strength
        _rows("KM7-4TX", "self_esteem", {"se1": 4, "se2": 4, "se7": 4, "se4": 4, "se5": 2, "se6": 2}, submission="a1")
        # A: distrust only 3 answered of 6 -> missing
        + _rows(
            "KM7-4TX",
            "distrust",
            {"dt1": 5, "dt7": 5, "dt8": 5, "dt4": None, "dt9": None, "dt10": None},
            submission="a2",
        )
        # B: self_esteem 5 answered: 2,2,2,2,(se5 open),se6=4 -> keyed 2,2,2,2,2 -> 25, growth area
        + _rows(
            "HJK-679",
            "self_esteem",
            {"se1": 2, "se2": 2, "se7": 2, "se4": 2, "se5": None, "se6": 4},
            submission="b1",
            couple="C1",
        )
        # B: foundation: 3,3,3,4,4 and fd6 reverse 3 -> keyed 3 -> mean 20/6 -> 58.33, in between
        + _rows(
            "HJK-679",
            "foundation",
            {"fd1": 3, "fd2": 3, "fd7": 3, "fd4": 4, "fd8": 4, "fd6": 3},
            submission="b2",
            couple="C1",
        )
    )
    out = area_scores(to_frame(rows), bank).set_index("submission_id")
    assert list(out.columns) == [
        "participant",
        "workshop",
        "couple",
        "session",
        "area",
        "saved_at",
        "n_items",
        "n_answered",
        "mean",
        "score",
        "band",
    ]
    assert len(out) == 4
    assert out.loc["a1", ["n_items", "n_answered"]].tolist() == [6, 6]
    assert out.loc["a1", "mean"] == pytest.approx(4.0)
    assert out.loc["a1", "score"] == pytest.approx(75.0) and out.loc["a1", "band"] == "strength"
    assert out.loc["a2", "n_answered"] == 3
    assert math.isnan(out.loc["a2", "score"]) and math.isnan(out.loc["a2", "mean"])
    assert out.loc["a2", "band"] == NOT_RATED
    assert out.loc["b1", "n_answered"] == 5
    assert out.loc["b1", "score"] == pytest.approx(25.0) and out.loc["b1", "band"] == "growth area"
    assert out.loc["b2", "score"] == pytest.approx(100 * (20 / 6 - 1) / 4)
    assert out.loc["b2", "band"] == "in between"
    assert out.loc["b2", "participant"] == "HJK-679" and out.loc["b2", "couple"] == "C1"


def test_area_scores_keeps_each_submission_apart(bank):
    rows = _rows("KM7-4TX", "insecurity", dict.fromkeys(["in1", "in2", "in7", "in8"], 1), submission="old") + _rows(
        "KM7-4TX",
        "insecurity",
        dict.fromkeys(["in1", "in2", "in7", "in8"], 5),
        submission="new",
        saved_at="2026-12-01T18:30:00.000+00:00",
    )
    out = area_scores(to_frame(rows), bank).set_index("submission_id")
    # in5 and in6 are not in the files at all: 4 of 6 answered is below the 75% rule.
    assert out["n_answered"].tolist() == [4, 4]
    assert out["score"].isna().all()


def test_area_scores_of_nothing(bank):
    out = area_scores(to_frame([]), bank)
    assert out.empty and "score" in out.columns


def test_bank_fixture_is_the_project_bank(bank):
    assert [a["id"] for a in raw_bank()["areas"]] == [a.id for a in bank.areas]
