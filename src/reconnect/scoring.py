"""Scores in pandas: reverse-keying, area scores with the 75% rule, 0-100 display, bands.

Tidy frames in (one row per rated item, as :func:`reconnect.store.load_store` returns), tidy frames
out. Scores are self-ratings, not norms or diagnoses.
"""

from __future__ import annotations

import math

import pandas as pd

from .content import ItemBank

BANDS = ("growth area", "in between", "strength")
NOT_RATED = "not yet rated"
SCORE_NOTE = "self-rated, not a diagnosis or a norm"


def to_100(mean: float, *, low: int = 1, high: int = 5) -> float:
    """Map a mean rating on ``low..high`` to 0-100.

    Examples
    --------
    >>> to_100(4.0)
    75.0
    """
    return 100.0 * (mean - low) / (high - low)


def band_for(score_100: float | None, bank: ItemBank) -> str:
    """The band of a 0-100 score using the item bank's cut points ("not yet rated" if missing).

    Examples
    --------
    >>> from reconnect.content import load_item_bank
    >>> band_for(80, load_item_bank())
    'strength'
    """
    if score_100 is None or (isinstance(score_100, float) and math.isnan(score_100)) or pd.isna(score_100):
        return NOT_RATED
    if score_100 >= bank.strength_from:
        return "strength"
    if score_100 < bank.growth_below:
        return "growth area"
    return "in between"


def keyed(frame: pd.DataFrame, bank: ItemBank, *, rating: str = "rating") -> pd.Series:
    """Ratings with reverse-worded statements recoded ((min + max) - rating), as floats."""
    reverse = {(a.id, i.id) for a in bank.areas for i in a.items if i.reverse}
    values = frame[rating].astype("Float64").astype(float)
    if not reverse:
        return values
    is_rev = pd.Series([(a, i) in reverse for a, i in zip(frame["area"], frame["item"])], index=frame.index)
    return values.where(~is_rev, bank.scale_min + bank.scale_max - values)


def area_scores(frame: pd.DataFrame, bank: ItemBank) -> pd.DataFrame:
    """One row per submission: answered count, mean, 0-100 score (NaN under the 75% rule), band.

    Columns: participant, workshop, couple, session, area, submission_id, saved_at, n_items,
    n_answered, mean, score, band.
    """
    keys = ["participant", "workshop", "couple", "session", "area", "submission_id", "saved_at"]
    cols = [*keys, "n_items", "n_answered", "mean", "score", "band"]
    if frame.empty:
        return pd.DataFrame(columns=cols)
    work = frame[keys].copy()
    work["value"] = keyed(frame, bank)
    grouped = work.groupby(keys, observed=True, dropna=False, sort=False)["value"]
    out = grouped.agg(n_answered="count", mean="mean").reset_index()
    n_items = {a.id: len(a.items) for a in bank.areas}
    need = {a.id: a.min_answered for a in bank.areas}
    out["n_items"] = out["area"].map(n_items).astype("int64")
    enough = out["n_answered"] >= out["area"].map(need)
    out["mean"] = out["mean"].where(enough)
    out["score"] = to_100(out["mean"], low=bank.scale_min, high=bank.scale_max)
    out["band"] = [band_for(s, bank) for s in out["score"]]
    return out[cols]


def score_ratings(ratings: dict[str, int | None], *, area: str, bank: ItemBank) -> tuple[float, str]:
    """Score one person's answers to one area (for the form): (0-100 score or NaN, band)."""
    items = bank.area(area).items
    frame = pd.DataFrame({"area": area, "item": [i.id for i in items], "rating": [ratings.get(i.id) for i in items]})
    frame["rating"] = frame["rating"].astype("Int64")
    values = keyed(frame, bank).dropna()
    if len(values) < bank.area(area).min_answered:
        return float("nan"), NOT_RATED
    score = to_100(values.mean(), low=bank.scale_min, high=bank.scale_max)
    return score, band_for(score, bank)
