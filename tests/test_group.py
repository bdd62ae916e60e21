"""Group aggregation against hand-computed values, and the protection rule at k-1, k and k+1."""

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from _group_helpers import BANK, code, make_store, submission
from reconnect.core.errors import InputError
from reconnect.records.store import load_store, save_submission
from reconnect.results import group as g
from reconnect.results import group_csv
from reconnect.results import group_privacy as gp
from reconnect.results import reliability as rb


def frame(root):
    return load_store(root, bank=BANK).frame


def test_min_group_default_and_floor():
    assert gp.check_min_group(None) == 5
    assert gp.check_min_group(5) == 5 and gp.check_min_group("6") == 6
    for bad in (4, 3, 2, 0, -1, "two"):
        with pytest.raises(InputError):
            gp.check_min_group(bad)
    with pytest.raises(InputError, match="never be below 5"):
        g.band_shares(pd.DataFrame(), BANK, workshop=None, session=None, min_group=4)


def test_band_shares_hand_computed(tmp_path):
    # levels 5 -> score 100 (strength), 3 -> 50 (in between), 1 -> 0 (growth area)
    f = frame(make_store(tmp_path, [5] * 5 + [3] * 3 + [1] * 2))
    out = g.band_shares(f, BANK, workshop="TUE", session="before")
    se = out[out["area"] == "self_esteem"]
    # growth (2 people) is combined with in between (3): 5 people, 50 %; strength 5 people, 50 %
    assert list(se["category"]) == ["growth area or in between", "strength"]
    assert list(se["count"]) == [5, 5]
    assert list(se["share"]) == [50.0, 50.0]
    assert se["mean_score"].iloc[0] == pytest.approx((5 * 100 + 3 * 50 + 2 * 0) / 10)
    assert se["rank"].iloc[0] == 1  # the only area with numbers is ranked first
    others = out[out["area"] != "self_esteem"]
    assert others["n"].isna().all() and others["note"].str.contains("fewer than 5 people").all()


def test_band_shares_all_shown_and_sorted(tmp_path):
    make_store(tmp_path, [5] * 6 + [3] * 6 + [1] * 6)
    for i in range(18):
        save_submission(tmp_path, submission(i, "distrust", 2 if i < 12 else 4), bank=BANK)
    out = g.band_shares(frame(tmp_path), BANK, workshop="TUE", session="before")
    se = out[out["area"] == "self_esteem"]
    assert list(se["count"]) == [6, 6, 6]
    assert list(se["share"].round(1)) == [33.3, 33.3, 33.3]
    assert g.area_order(out)[:2] == ["self_esteem", "distrust"]  # mean 50 before mean 41.7
    assert g.weakest_areas(out) == ["distrust", "self_esteem"]
    dt = out[out["area"] == "distrust"]
    assert list(zip(dt["category"], dt["count"])) == [("growth area", 12), ("in between", 0), ("strength", 6)]


@pytest.mark.parametrize("k", [5, 6, 7])
def test_suppression_at_k_minus_1_k_and_k_plus_1(tmp_path, k):
    levels = [5, 3, 1, 5, 3, 1, 5, 3]
    for n, shown in ((k - 1, False), (k, True), (k + 1, True)):
        root = make_store(tmp_path / f"n{n}", levels[:n])
        f = frame(root)
        kw = {"workshop": "TUE", "session": "before", "min_group": k}
        shares = g.band_shares(f, BANK, **kw)
        se = shares[shares["area"] == "self_esteem"]
        assert se["n"].notna().all() == shown
        part = g.participation(f, BANK, **kw).set_index("area")
        assert (part.loc["self_esteem", "n"] == n) if shown else pd.isna(part.loc["self_esteem", "n"])
        spread = g.score_spread(f, BANK, **kw).set_index("area")
        assert pd.notna(spread.loc["self_esteem", "median"]) == shown
        counts = g.statement_counts(f, BANK, area="self_esteem", **kw)
        assert counts["n"].notna().all() == shown
        table = g.summary(f, BANK, **kw)
        text = g.summary_text(table)
        csv_text = group_csv.to_csv_text(table)
        row = [line for line in text.splitlines() if line.startswith("Standing on your own")][0]
        if shown:
            assert row.split()[5] == str(n) and "fewer than" not in row
        else:
            assert row.split()[5] == "-" and f"fewer than {k} people" in row
            assert f"fewer than {k} people" in csv_text
        # every count that is shown anywhere describes 0 or at least k people
        for c in list(shares["count"].dropna()) + list(counts["count"].dropna()):
            assert c == 0 or c >= k


def test_no_small_number_can_be_derived(tmp_path):
    f = frame(make_store(tmp_path, [5] * 10 + [3] * 1 + [1] * 7))
    se = g.band_shares(f, BANK, workshop="TUE", session="before").query("area == 'self_esteem'")
    # the single 'in between' person is combined; total minus the shown counts never gives 1
    assert 1 not in list(se["count"])
    assert se["count"].sum() == se["n"].iloc[0]
    assert all(c == 0 or c >= 5 for c in se["count"])


def test_everybody_in_one_band_is_not_split(tmp_path):
    f = frame(make_store(tmp_path, [5] * 8))
    se = g.band_shares(f, BANK, workshop="TUE", session="before").query("area == 'self_esteem'")
    assert list(se["category"]) == ["not shown"] and se["count"].isna().all()
    assert "each person's answer" in se["note"].iloc[0]


@given(st.lists(st.integers(0, 30), min_size=2, max_size=6), st.integers(5, 8))
def test_combine_small_properties(counts, k):
    cells = gp.combine_small(counts, k)
    if cells is None:
        return
    assert sum(c for _, c in cells) == sum(counts)
    covered = [i for ix, _ in cells for i in ix]
    assert sorted(covered) == list(range(len(counts)))
    for ix, c in cells:
        assert c == 0 or c >= k
        assert list(ix) == list(range(ix[0], ix[-1] + 1))  # only neighbours are combined


def test_statement_counts_hand_computed(tmp_path):
    f = frame(make_store(tmp_path, [5] * 5 + [4] * 5))
    counts = g.statement_counts(f, BANK, area="self_esteem", workshop="TUE", session="before")
    se1 = counts[counts["item"] == "se1"]
    assert list(zip(se1["category"], se1["count"])) == [
        ("Not at all true of me", 0),
        ("A little true of me", 0),
        ("Somewhat true of me", 0),
        ("Mostly true of me", 5),
        ("Completely true of me", 5),
    ]
    se5 = counts[counts["item"] == "se5"]  # reverse-worded: answered 1 and 2
    assert bool(se5["reverse"].iloc[0]) and list(se5["count"]) == [5, 5, 0, 0, 0]


def test_change_of_paired_people(tmp_path):
    make_store(tmp_path, [3, 3, 3, 3, 3] + [1] * 5)  # persons 5-9 only came before
    for person, level in enumerate([4, 4, 5, 5, 3]):
        save_submission(tmp_path, submission(person, "self_esteem", level, session="after", minute=60000), bank=BANK)
    out = g.change(frame(tmp_path), BANK, workshop="TUE", first="before", second="after").set_index("area")
    row = out.loc["self_esteem"]
    assert row["n_paired"] == 5
    assert row["mean_first"] == pytest.approx(50.0)  # the people who did not come back are left out
    assert row["mean_second"] == pytest.approx((75 + 75 + 100 + 100 + 50) / 5)
    assert row["change"] == pytest.approx(30.0)
    assert pd.isna(out.loc["distrust", "n_paired"])


def test_change_hidden_when_one_person_came_only_once(tmp_path):
    # 6 before, 5 of them after: the before mean (n = 6) minus the change's before mean (5 people)
    # would give the sixth person's score, so the change is withheld
    make_store(tmp_path, [3, 3, 3, 3, 3, 1])
    for person, level in enumerate([4, 4, 5, 5, 3]):
        save_submission(tmp_path, submission(person, "self_esteem", level, session="after", minute=60000), bank=BANK)
    out = g.change(frame(tmp_path), BANK, workshop="TUE", first="before", second="after").set_index("area")
    assert pd.isna(out.loc["self_esteem", "n_paired"]) and pd.isna(out.loc["self_esteem", "mean_first"])
    assert "only a few people came to just one" in out.loc["self_esteem", "note"]


def test_couple_agreement_hand_computed(tmp_path):
    levels, couples = [], {}
    plan = [(5, 5)] * 3 + [(1, 1)] * 3 + [(5, 1)]  # 3 shared strength, 3 shared growth, 1 far apart
    for c, (a, b) in enumerate(plan):
        couples[2 * c] = couples[2 * c + 1] = f"C{c}"
        levels += [a, b]
    f = frame(make_store(tmp_path, levels, couples=couples))
    out = g.couple_agreement(f, BANK, workshop="TUE", session="before").query("area == 'self_esteem'")
    assert out["n_couples"].iloc[0] == 7
    got = dict(zip(out["category"], out["count"]))
    # the single far-apart couple (2 people) joins "other" (0) and then the smallest other kind
    assert got["shared growth area"] == 3
    assert got["shared strength or far apart or other"] == 4
    text = " ".join(out["category"]) + " ".join(out["note"])
    assert "C0" not in text and code(0) not in text


def test_couples_hidden_when_a_few_rated_outside_a_couple(tmp_path):
    couples = {i: f"C{i // 2}" for i in range(14)}
    f = frame(make_store(tmp_path, [5, 5, 1, 1] * 3 + [5, 1, 3], couples=couples))  # 7 couples and 1 more
    out = g.couple_agreement(f, BANK, workshop="TUE", session="before").query("area == 'self_esteem'")
    assert out["n_couples"].isna().all() and out["count"].isna().all()
    assert "not in a couple" in out["note"].iloc[0]


def test_couples_need_k_couples(tmp_path):
    couples = {i: f"C{i // 2}" for i in range(8)}
    f = frame(make_store(tmp_path, [5, 5, 1, 1, 5, 1, 3, 3], couples=couples))
    out = g.couple_agreement(f, BANK, workshop="TUE", session="before").query("area == 'self_esteem'")
    assert out["n_couples"].isna().all() and "fewer than 5 couples" in out["note"].iloc[0]


def test_cronbach_alpha_hand_computed():
    table = pd.DataFrame({"a": [1, 2, 3, 4], "b": [2, 2, 4, 4], "c": [1, 3, 3, 5]})
    # item variances 5/3, 4/3, 8/3 (sum 17/3); totals 4, 7, 10, 13 have variance 15
    assert rb.cronbach_alpha(table) == pytest.approx(3 / 2 * (1 - (17 / 3) / 15))
    assert math.isnan(rb.cronbach_alpha(table[["a"]]))


def test_reliability_only_from_30_people(tmp_path):
    levels = [1, 2, 3, 4, 5] * 6  # 30 people
    root = make_store(tmp_path, levels[:29])
    rel = rb.reliability(frame(root), BANK, workshop="TUE", session="before").set_index("area")
    assert pd.isna(rel.loc["self_esteem", "alpha"]) and "at least 30" in rel.loc["self_esteem", "note"]
    save_submission(root, submission(29, "self_esteem", 5), bank=BANK)
    rel = rb.reliability(frame(root), BANK, workshop="TUE", session="before").set_index("area")
    # every statement equals the person's level after recoding: perfectly consistent, alpha = 1
    assert rel.loc["self_esteem", "alpha"] == pytest.approx(1.0)
    assert rel.loc["self_esteem", "n_complete"] == 30


def test_csv_neutralises_formulas():
    table = pd.DataFrame({"title": ["=SUM(A1)", "+1", "-2", "@x", "\tx", "\rx", "ok"], "n": [1, 2, 3, 4, 5, 6, None]})
    table["n"] = table["n"].astype("Int64")
    lines = group_csv.to_csv_text(table).splitlines()
    assert lines[1].startswith("'=SUM(A1)") and lines[2].startswith("'+1") and lines[3].startswith("'-2")
    assert lines[4].startswith("'@x")
    assert '"\'\tx"' in group_csv.to_csv_text(table) or "'\tx" in group_csv.to_csv_text(table)
    assert lines[-1] == "ok,hidden"


def test_no_codes_in_any_group_output(tmp_path):
    couples = {i: f"SECRETCOUPLE{i // 2}" for i in range(12)}
    f = frame(make_store(tmp_path, [5, 4, 3, 2, 1, 5, 4, 3, 2, 1, 5, 5], couples=couples))
    kw = {"workshop": "TUE", "session": "before"}
    outputs = [
        g.participation(f, BANK, **kw),
        g.band_shares(f, BANK, **kw),
        g.score_spread(f, BANK, **kw),
        g.statement_counts(f, BANK, area="self_esteem", **kw),
        g.couple_agreement(f, BANK, **kw),
        rb.reliability(f, BANK, **kw),
        g.summary(f, BANK, **kw),
    ]
    text = "\n".join(group_csv.to_csv_text(o) for o in outputs)
    for o in outputs:
        assert "participant" not in o.columns and "couple" not in o.columns
    for i in range(12):
        assert code(i) not in text
    assert "SECRETCOUPLE" not in text


def test_a_statement_left_open_counts_as_no_answer(tmp_path):
    from reconnect.output import group_charts as gc

    make_store(tmp_path, [3] * 6)
    for person in range(6, 11):  # five more answered everything but se1
        sub = submission(person, "self_esteem", 5)
        sub.ratings["se1"] = None
        save_submission(tmp_path, sub, bank=BANK)
    counts = g.statement_counts(frame(tmp_path), BANK, area="self_esteem", workshop="TUE", session="before")
    assert set(counts["n"]) == {11}  # every statement shows the area's n, never "10 people"
    se1 = counts[counts["item"] == "se1"].set_index("category")["count"]
    assert se1["Somewhat true of me"] == 6 and se1["no answer"] == 5
    ax = gc.statement_chart(counts, bank=BANK)
    assert "none 45%" in [t.get_text() for t in ax.texts]
    assert "no answer (left open), at the right end" in [t.get_text() for t in ax.get_legend().get_texts()]
