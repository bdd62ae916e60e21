"""scoring.area_scores groups on submission_id alone: the same result as grouping on all seven keys.

The reference below is the straightforward version (one groupby on every key a submission carries),
which the archive's summary used before it was made faster; both must agree on any tidy frame.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from _group_helpers import BANK, submission
from reconnect.records.store import COLUMNS, to_frame
from reconnect.results import scoring

KEYS = ["participant", "workshop", "couple", "session", "area", "submission_id", "saved_at"]


def seven_keys(frame: pd.DataFrame) -> pd.DataFrame:
    """area_scores as first written: a groupby on every key."""
    work = frame.assign(value=scoring.keyed(frame, BANK))
    out = work.groupby(KEYS, observed=True, sort=False)["value"].agg(n_answered="count", mean="mean").reset_index()
    out["n_items"] = out["area"].map({a.id: len(a.items) for a in BANK.areas}).astype("int64")
    enough = out["n_answered"] >= out["area"].map({a.id: a.min_answered for a in BANK.areas})
    out["mean"] = out["mean"].where(enough)
    out["score"] = scoring.to_100(out["mean"], low=BANK.scale_min, high=BANK.scale_max)
    out["band"] = scoring.bands(out["score"].to_numpy(dtype=float), BANK)
    return out[[*KEYS, "n_items", "n_answered", "mean", "score", "band"]]


_one = st.tuples(
    st.integers(0, 30),  # person
    st.sampled_from([a.id for a in BANK.areas]),
    st.sampled_from(["before", "after"]),
    st.sampled_from(["MON", "TUE", ""]),
    st.sampled_from(["", "PAIR-1", "PAIR-2"]),
    st.integers(0, 500),  # minute
    st.lists(st.one_of(st.none(), st.integers(1, 5)), min_size=8, max_size=8),  # answers (None: left open)
)


def _frame(specs) -> pd.DataFrame:
    rows = []
    for person, area, session, workshop, couple, minute, answers in specs:
        sub = submission(person, area, 3, session=session, workshop=workshop, couple=couple, minute=minute)
        ratings = {item: answers[n % len(answers)] for n, item in enumerate(sub.ratings)}
        for r in sub.rows():
            rec = dict(zip(COLUMNS, r))
            rec["rating"] = ratings[rec["item"]]
            rec["source"] = ""
            rows.append(rec)
    return to_frame(rows)


@settings(max_examples=60, deadline=None)
@given(st.lists(_one, max_size=25), st.randoms(use_true_random=False))
def test_grouping_on_the_submission_alone_scores_the_same(specs, rnd):
    frame = _frame(specs)
    if len(frame):
        frame = frame.iloc[rnd.sample(range(len(frame)), len(frame))].reset_index(drop=True)  # any row order
    ours = scoring.area_scores(frame, BANK)
    reference = seven_keys(frame) if len(frame) else ours
    key = ["submission_id"]
    pd.testing.assert_frame_equal(
        ours.sort_values(key).reset_index(drop=True),
        reference.sort_values(key).reset_index(drop=True),
        check_dtype=False,
    )
    assert len(ours) == frame["submission_id"].nunique() if len(frame) else ours.empty
    assert np.all(ours["score"].isna() == (ours["band"] == scoring.NOT_RATED))
