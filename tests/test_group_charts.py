"""Group charts: they draw only the protected numbers, carry values as text, and have text alternatives."""

import matplotlib
import pytest

from _group_helpers import BANK, make_store, submission
from reconnect.output import group_charts as gc
from reconnect.records.store import load_store, save_submission
from reconnect.results import group as g
from reconnect.results import group_chart_text as gt

matplotlib.use("agg")


@pytest.fixture
def room(tmp_path):
    make_store(tmp_path, [5] * 6 + [3] * 1 + [1] * 5)
    for i in range(12):
        save_submission(tmp_path, submission(i, "self_esteem", 4, session="after", minute=9000), bank=BANK)
    return load_store(tmp_path, bank=BANK).frame


def texts(ax):
    return " ".join(t.get_text() for t in ax.texts)


def test_band_chart_shows_combined_cells_and_hidden_areas(room):
    import matplotlib.pyplot as plt

    before = dict(matplotlib.rcParams)
    shares = g.band_shares(room, BANK, workshop="TUE", session="before")
    ax = gc.band_chart(shares)
    drawn = texts(ax)
    assert "between or strength" in drawn or "growth or between" in drawn  # the single person is combined
    assert "not shown: fewer than 5 people" in drawn  # areas nobody rated
    assert "8%" not in drawn  # 1 of 12 would be 8 %: never drawn
    assert ax.get_title(loc="left").startswith("Where the room sees")
    assert dict(matplotlib.rcParams) == before  # no global style change
    alt = gt.band_chart_text(shares)
    assert alt.splitlines()[0].startswith("For each area") and "Standing on your own confidence (12 people" in alt
    plt.close(ax.figure)


def test_spread_chart_has_median_and_no_extremes(room):
    spread = g.score_spread(room, BANK, workshop="TUE", session="before")
    ax = gc.spread_chart(spread, bank=BANK)
    assert "median 75" in texts(ax)  # scores 0 x5, 50, 100 x6: the median lies between 50 and 100
    alt = gt.spread_chart_text(spread)
    assert "median 75, middle half 0 to 100" in alt
    assert "minimum" not in alt and "maximum" not in alt


def test_statement_chart_is_centred_on_neutral(room):
    counts = g.statement_counts(room, BANK, area="self_esteem", workshop="TUE", session="before")
    ax = gc.statement_chart(counts, bank=BANK, title="Every statement")
    assert ax.get_xlim() == (-100.0, 100.0)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert any("(reverse-worded)" in label for label in labels)
    # answers 1 and 5 of se1 (5 and 6 people) are drawn on opposite sides of zero
    bars = [p for p in ax.patches if p.get_width() > 0]
    assert any(p.get_x() < 0 for p in bars) and any(p.get_x() + p.get_width() > 0 for p in bars)
    alt = gt.statement_chart_text(counts)
    assert '"I feel good about who I am as a person." (12 people)' in alt


def test_change_chart_and_text(room):
    ch = g.change(room, BANK, workshop="TUE", first="before", second="after")
    ax = gc.change_chart(ch, bank=BANK, first="before", second="after")
    assert "+21" in texts(ax)  # 12 people: mean 54.2 -> 75
    alt = gt.change_chart_text(ch, first="before", second="after")
    assert "Standing on your own confidence (12 people): 54 → 75 (+21)" in alt
    assert "Trusting after past hurts: fewer than 5 people in both sessions" in alt


def test_couples_chart_text_names_no_couple(tmp_path):
    couples = {i: f"PAIR{i // 2}" for i in range(12)}
    f = load_store(make_store(tmp_path, [5, 5] * 3 + [1, 1] * 3, couples=couples), bank=BANK).frame
    cp = g.couple_agreement(f, BANK, workshop="TUE", session="before")
    ax = gc.couples_chart(cp)
    # the bars use the legend's own names (a room reads "shared growth area" in both places)
    assert "shared strength: 3" in texts(ax) and "shared growth area: 3" in texts(ax)
    alt = gt.couples_chart_text(cp)
    assert "shared strength 3, shared growth area 3" in alt and "PAIR" not in alt + texts(ax)


def test_hidden_rows_say_not_shown_once():
    import pandas as pd

    data = pd.DataFrame(
        {
            "rank": [1],
            "area": ["a"],
            "title": ["Trust"],
            "n": [8],
            "mean_score": [60.0],
            "category": ["not shown"],
            "first": [None],
            "last": [None],
            "count": [None],
            "share": [None],
            "note": ["the split is not shown: it would tell each person's answer"],
        }
    )
    shown = texts(gc.band_chart(data))
    assert "the split is not shown" in shown and shown.count("not shown") == 1


def test_change_ticks_sit_where_the_bands_change(tmp_path):
    import pandas as pd

    data = pd.DataFrame(
        {
            "area": ["a"],
            "title": ["Trust"],
            "n_paired": [9],
            "mean_first": [50.0],
            "mean_second": [58.0],
            "change": [8.0],
            "note": [""],
        }
    )
    ticks = set(gc.change_chart(data, bank=BANK, first="before", second="after").get_xticks())
    assert {BANK.growth_below, BANK.strength_from} <= ticks and 20 not in ticks
