"""Couple agreement and consent: no partner data anywhere unless both partners chose to share."""

import pandas as pd
import pytest

from _profile_fixtures import BANK, ME, PARTNER, THIRD, couple_folder, rate, settings
from reconnect.apps.demo import demo_submissions, write_demo
from reconnect.records.participant import load_settings
from reconnect.results import profile as pr
from reconnect.results import profile_views as pv
from reconnect.results.profile import ProfileSource, demo_choices
from reconnect.results.scoring import FAR_APART, SOME_DIFFERENCE, agreement_for


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (100, 75, "shared strength"),  # 25 apart, but both in the strength band: that comes first
        (75, 75, "shared strength"),
        (0, 45.8, "shared growth area"),  # 45.8 apart, both growth
        (50, 75, "far apart"),  # exactly FAR_APART
        (50, 100, "far apart"),
        (60, 84.9, "some difference"),  # 24.9: just under the threshold
        (60, 72.5, "some difference"),  # exactly SOME_DIFFERENCE
        (60, 72.4, "close"),
        (74.9, 75, "close"),  # different bands, nearly the same score
        (49.9, 50, "close"),
        (float("nan"), 60, "not rated by both"),
    ],
)
def test_agreement_categories(a, b, expected):
    assert agreement_for(a, b, BANK) == expected


def test_thresholds_are_the_documented_ones():
    assert (FAR_APART, SOME_DIFFERENCE) == (25.0, 12.5)


def _partner_traces(text: str) -> list[str]:
    return [t for t in (PARTNER, "Sam", "your partner: ", "Your partner 0", "Your partner 100") if t in text]


def test_both_sharing_gives_the_couple_view(tmp_path):
    couple_folder(tmp_path, me_share=True, partner_share=True)
    cv = ProfileSource(tmp_path, bank=BANK).couple(ME)
    assert cv.ready and cv.partner == PARTNER
    t = cv.table.set_index("area")
    assert t["score_a"].tolist() == [100, 25, 50, 75, 75]
    assert t["score_b"].tolist() == [75, 0, 100, 50, 75]
    assert t["agreement"].tolist() == [
        "shared strength",
        "shared growth area",
        "far apart",
        "far apart",
        "shared strength",
    ]
    # statements two steps or more apart: only the insecurity ones (me 3, partner 5), in bank order
    assert cv.differences["item"].tolist() == ["in1", "in2", "in7"]
    assert cv.differences["steps"].tolist() == [2, 2, 2]
    first = cv.difference_lines()[0]
    assert "you: Somewhat true of me; your partner: Completely true of me" in first
    assert cv.questions[0].startswith("You see 'Feeling chosen' quite differently")
    assert any("'Trusting after past hurts'" in q and "room to grow" in q for q in cv.questions)
    chart = cv.chart_data()
    assert len(chart) == 10 and set(chart["person"]) == {"You", "Your partner"}
    text = cv.text()
    assert "Feeling chosen: You 50, Your partner 100 (far apart)" in text
    # the partner's view works the same way from the other side
    other = ProfileSource(tmp_path, bank=BANK).couple(PARTNER)
    assert other.ready and other.table["score_a"].tolist() == [75, 0, 100, 50, 75]


@pytest.mark.parametrize(
    ("me_share", "partner_share", "status"),
    [
        (False, False, pv.YOU_NOT_SHARING),
        (False, True, pv.YOU_NOT_SHARING),
        (True, False, pv.PARTNER_NOT_SHARING),
    ],
)
def test_without_both_consents_no_partner_data_anywhere(tmp_path, me_share, partner_share, status):
    couple_folder(tmp_path, me_share=me_share, partner_share=partner_share)
    src = ProfileSource(tmp_path, bank=BANK)
    for code in (ME, PARTNER):
        cv = src.couple(code)
        assert not cv.ready
        assert cv.partner is None
        assert cv.table.empty and cv.differences.empty and cv.questions == []
        assert cv.chart_data().empty
        assert cv.agreement_lines() == [cv.message] and cv.difference_lines() == []
        for text in (cv.text(), cv.message):
            assert ME not in text and PARTNER not in text
            assert not _partner_traces(text)
    assert src.couple(ME).status == status


def test_consent_follows_the_newest_settings(tmp_path):
    couple_folder(tmp_path, me_share=True, partner_share=True)
    assert ProfileSource(tmp_path, bank=BANK).couple(ME).ready
    settings(tmp_path, PARTNER, couple="OURS", share=False)  # the partner switches sharing off again
    cv = ProfileSource(tmp_path, bank=BANK).couple(ME)
    assert cv.status == pv.PARTNER_NOT_SHARING and cv.table.empty


def test_partner_who_has_not_answered(tmp_path):
    couple_folder(tmp_path, me_share=True, partner_share=True, partner_rates=False)
    cv = ProfileSource(tmp_path, bank=BANK).couple(ME)
    assert cv.status == pv.PARTNER_NOT_ANSWERED and cv.table.empty
    assert "not rated any area yet" in cv.message


def test_no_couple_code_and_no_partner(tmp_path):
    settings(tmp_path, ME, share=True)
    rate(tmp_path, ME, "distrust", [3] * 6)
    assert ProfileSource(tmp_path, bank=BANK).couple(ME).status == pv.NO_COUPLE_CODE
    settings(tmp_path, ME, couple="OURS", share=True)
    cv = ProfileSource(tmp_path, bank=BANK).couple(ME)
    assert cv.status == pv.NO_PARTNER and cv.message == pr.NOT_BOTH_SHARING.format(couple="OURS")


def test_a_couple_code_used_by_three_shows_no_couple_view(tmp_path):
    couple_folder(tmp_path, me_share=True, partner_share=True)
    settings(tmp_path, THIRD, couple="ours", share=True)  # same code, other case: still the same code
    rate(tmp_path, THIRD, "distrust", [3] * 6, couple="ours")
    cv = ProfileSource(tmp_path, bank=BANK).couple(ME)
    assert cv.status == pv.TOO_MANY and cv.table.empty and cv.partner is None
    assert "used by 3 participants" in cv.message and "new, unusual code" in cv.message


def test_answers_without_settings_count_toward_the_couple_code(tmp_path):
    couple_folder(tmp_path, me_share=True, partner_share=True)
    rate(tmp_path, THIRD, "distrust", [3] * 6, couple="OURS")  # a third person with the code, no settings
    assert ProfileSource(tmp_path, bank=BANK).couple(ME).status == pv.TOO_MANY


def test_no_settings_means_no_consent(tmp_path):
    rate(tmp_path, ME, "distrust", [3] * 6, couple="OURS")
    rate(tmp_path, PARTNER, "distrust", [4] * 6, couple="OURS")
    cv = ProfileSource(tmp_path, bank=BANK).couple(ME)
    assert cv.status == pv.NO_SETTINGS and cv.table.empty


def test_demo_writes_settings_and_keeps_its_submissions(tmp_path):
    n = write_demo(tmp_path, bank=BANK, sync=False)
    subs = demo_submissions(bank=BANK)
    assert n == len(subs)
    on_disk = {p.name for p in (tmp_path / "submissions").iterdir()}
    assert on_disk == {f"sub-{s.submission_id}.csv" for s in subs}  # same seed -> same submissions
    codes = sorted({s.participant for s in subs})
    assert sorted(p.name for p in (tmp_path / "participants").iterdir()) == codes
    couples = {s.participant: s.couple for s in subs}
    for code in codes:
        st = load_settings(tmp_path, code)
        assert st.couple == couples[code]
        assert st.share_with_partner == (bool(couples[code]) and code != _holdout(couples))
    assert "SYNTHETIC" in (tmp_path / "README-SYNTHETIC-DATA.txt").read_text()
    # couples first in the demo chooser, each couple together
    choices = demo_choices(tmp_path, bank=BANK)
    assert len(choices) == len(codes)
    assert choices[0][0].endswith("(couple DEMO-COUPLE-1)") and choices[1][0].endswith("(couple DEMO-COUPLE-1)")
    assert choices[-1][0].endswith("(on their own)")
    src = ProfileSource(tmp_path, bank=BANK)
    assert src.couple(choices[0][1]).ready
    assert src.change(choices[0][1]).available


def _holdout(couples: dict) -> str:
    last = sorted({c for c in couples.values() if c}, key=lambda c: (len(c), c))[-1]
    return sorted(p for p, c in couples.items() if c == last)[-1]


def test_demo_settings_can_be_added_to_an_older_demo_folder(tmp_path):
    import shutil

    from reconnect.apps.demo import write_demo_settings

    write_demo(tmp_path, bank=BANK, sync=False)
    first = {p.relative_to(tmp_path): p.read_bytes() for p in (tmp_path / "participants").rglob("*.json")}
    shutil.rmtree(tmp_path / "participants")
    assert write_demo_settings(tmp_path) == len(first)
    again = {p.relative_to(tmp_path): p.read_bytes() for p in (tmp_path / "participants").rglob("*.json")}
    assert again == first  # deterministic, whether written with the demo or afterwards
    assert write_demo_settings(tmp_path) == 0  # never a second file


def test_item_differences_need_both_answers():
    from reconnect.results.scoring import item_differences

    mine = pd.DataFrame({"area": ["distrust"] * 3, "item": ["dt1", "dt7", "dt8"], "rating": [1, 5, None]})
    theirs = pd.DataFrame({"area": ["distrust"] * 3, "item": ["dt1", "dt7", "dt8"], "rating": [4, 4, 1]})
    out = item_differences(mine, theirs, BANK)
    assert out[["item", "rating_a", "rating_b", "steps"]].values.tolist() == [["dt1", 1, 4, 3]]


# -- one neutral message, sensitive statements, shared strengths, structured talks ---------------------
def _sharing(home, code, *, share=True, sensitive=False):
    from reconnect.records.participant import Settings, save_settings

    save_settings(
        home,
        Settings(code=code, couple="OURS", share_with_partner=share, share_sensitive=sensitive),
        make_current=False,
    )


@pytest.mark.parametrize(("me_share", "partner_share"), [(False, False), (True, False), (False, True)])
def test_one_neutral_message_on_both_sides(tmp_path, me_share, partner_share):
    couple_folder(tmp_path, me_share=me_share, partner_share=partner_share)
    src = ProfileSource(tmp_path, bank=BANK)
    neutral = pr.NOT_BOTH_SHARING.format(couple="OURS")
    assert src.couple(ME).message == src.couple(PARTNER).message == neutral
    assert "has not" not in neutral and "(yet)" not in neutral


def test_no_partner_yet_reads_the_same_as_not_sharing(tmp_path):
    _sharing(tmp_path, ME, share=True)
    rate(tmp_path, ME, "distrust", [3] * 6)
    assert ProfileSource(tmp_path, bank=BANK).couple(ME).message == pr.NOT_BOTH_SHARING.format(couple="OURS")


def _distrust_apart(home, *, me_sensitive, partner_sensitive):
    """Both share; dt10 (sensitive) is answered 4 steps apart, dt1 3 steps apart, fd1 high by both."""
    _sharing(home, ME, sensitive=me_sensitive)
    _sharing(home, PARTNER, sensitive=partner_sensitive)
    for code, dt1, dt6, se6 in ((ME, 1, 5, 1), (PARTNER, 4, 1, 1)):
        ratings = {"dt1": dt1, "dt4": 3, "dt7": 3, "dt8": 3, "dt9": 3, "dt10": dt6}
        rate_raw(home, code, "distrust", ratings)
        rate_raw(home, code, "self_esteem", {"se1": 5, "se2": 3, "se4": 3, "se5": 3, "se6": se6, "se7": 3})


def rate_raw(home, code, area, ratings):
    from reconnect.records.store import Submission, save_submission

    save_submission(home, Submission(code, area, ratings, "before", "", "OURS", BANK.version), bank=BANK)


@pytest.mark.parametrize(("me", "partner"), [(False, False), (True, False), (False, True)])
def test_sensitive_statements_stay_out_unless_both_agree(tmp_path, me, partner):
    _distrust_apart(tmp_path, me_sensitive=me, partner_sensitive=partner)
    cv = ProfileSource(tmp_path, bank=BANK).couple(ME)
    assert cv.ready and not cv.sensitive_included
    sensitive = {i.id for a in BANK.areas for i in a.items if i.sensitive}
    assert sensitive == {"se6", "in5", "dt10"}
    # Issue 22: dt1 beside the distrust score would give dt10 by subtraction, so no statement of an area
    # holding a private one is compared (self-esteem, distrust, insecurity); foundation's still are.
    private = {"self_esteem", "distrust", "insecurity"}
    assert set(cv.differences["item"]) == set() and not private & set(cv.strengths["area"])
    assert not sensitive & set(cv.strengths["item"]) and "se1" not in set(cv.strengths["item"])
    text = cv.text()
    for item in (i for a in BANK.areas for i in a.items if i.sensitive):
        assert item.text not in text
    assert "left out of the statement comparison" in cv.sensitive_note()


def test_sensitive_statements_compared_when_both_agree(tmp_path):
    _distrust_apart(tmp_path, me_sensitive=True, partner_sensitive=True)
    cv = ProfileSource(tmp_path, bank=BANK).couple(ME)
    assert cv.sensitive_included
    assert cv.differences["item"].tolist()[:2] == ["dt10", "dt1"]
    assert "se6" in set(cv.strengths["item"])  # both "Not at all true": hiding nothing, a shared strength


def test_shared_strengths_are_the_statements_both_rate_high(tmp_path):
    couple_folder(tmp_path, me_share=True, partner_share=True)
    cv = ProfileSource(tmp_path, bank=BANK).couple(ME)
    # keyed 5 vs 4 in self_esteem and 4 vs 4 in foundation: both high; distrust 2 vs 1: not
    assert set(cv.strengths["area"]) <= {"self_esteem", "foundation"} and len(cv.strengths) == 5
    assert cv.strength_lines()[0].startswith("“I feel good about who I am as a person.” — you: Completely true of me")


def test_a_structured_talk_for_each_area_far_apart_first(tmp_path):
    couple_folder(tmp_path, me_share=True, partner_share=True)
    talks = ProfileSource(tmp_path, bank=BANK).couple(ME).conversations()
    assert [t[0] for t in talks][:2] == ["Feeling chosen", "Talking so both are heard"]  # far apart
    assert {t[0] for t in talks} == {a.title for a in BANK.areas}
    for _title, _agreement, talk in talks:
        assert {s.speaks for s in talk.steps} >= {"Partner A", "Partner B"}
        assert all(s.listens and s.minutes >= 1 for s in talk.steps) and 8 <= talk.minutes <= 20
