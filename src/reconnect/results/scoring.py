"""Scores in pandas: reverse-keying, area scores with the 75% rule, 0-100 display, bands.

Tidy frames in (one row per rated item, as :func:`reconnect.records.store.load_store` returns), tidy frames
out. Scores are self-ratings, not norms or diagnoses.
"""

from __future__ import annotations

import math

from ..bank.i18n import N_, _
from ..bank.model import ItemBank
from ..core.lazy import lazy

np = lazy("numpy")
pd = lazy("pandas")

# The words below are data (frames, CSV columns, tests compare them) and stay English; people read them
# through :func:`band_label`, in their own language. SCORE_NOTE is shown with ``_(SCORE_NOTE)``.
BANDS = (N_("growth area"), N_("in between"), N_("strength"))
NOT_RATED = N_("not yet rated")
SCORE_NOTE = N_("self-rated, not a diagnosis or a norm")


def to_100(mean: float, *, low: int = 1, high: int = 5) -> float:
    """Map a mean rating on ``low..high`` to 0-100.

    Examples
    --------
    >>> to_100(4.0)
    75.0
    """
    return 100.0 * (mean - low) / (high - low)


def bands(scores, bank: ItemBank) -> np.ndarray:
    """The band of each 0-100 score: the one band rule (the item bank's cut points) for every view.

    Examples
    --------
    >>> from reconnect.bank.content import load_item_bank
    >>> bands([80, 74.99, 50, 49.99, float("nan")], load_item_bank()).tolist()
    ['strength', 'in between', 'in between', 'growth area', 'not yet rated']
    """
    score = np.asarray(
        pd.array(scores, dtype="Float64").to_numpy(dtype=float, na_value=np.nan)
        if not isinstance(scores, np.ndarray)
        else scores,
        dtype=float,
    )
    return np.select(
        [np.isnan(score), score >= bank.strength_from, score < bank.growth_below],
        [NOT_RATED, "strength", "growth area"],
        default="in between",
    ).astype(object)


def band_ranges(bank: ItemBank) -> list[tuple[float, float, str]]:
    """The three bands as ``(low, high, name)`` on the 0-100 scale, from the boundaries :func:`bands` uses.

    A score is in a band when ``low <= score < high`` (the strength band includes 100). Charts shade these.

    Examples
    --------
    >>> from reconnect.bank.content import load_item_bank
    >>> band_ranges(load_item_bank())
    [(0, 50.0, 'growth area'), (50.0, 75.0, 'in between'), (75.0, 100, 'strength')]
    """
    return [
        (0, bank.growth_below, "growth area"),
        (bank.growth_below, bank.strength_from, "in between"),
        (bank.strength_from, 100, "strength"),
    ]


def band_for(score_100: float | None, bank: ItemBank) -> str:
    """The band of one 0-100 score ("not yet rated" if missing); see :func:`bands`.

    Examples
    --------
    >>> from reconnect.bank.content import load_item_bank
    >>> band_for(80, load_item_bank())
    'strength'
    """
    if score_100 is None or (isinstance(score_100, float) and math.isnan(score_100)) or pd.isna(score_100):
        return NOT_RATED
    return str(bands(np.array([float(score_100)]), bank)[0])  # the one rule; a plain array keeps it quick


def keyed(frame: pd.DataFrame, bank: ItemBank, *, rating: str = "rating") -> pd.Series:
    """Ratings with reverse-worded statements recoded ((min + max) - rating), as floats."""
    # Retired statements count too: answers saved with an earlier item-bank version still score.
    reverse = {key for key, item in bank.item_index().items() if item.reverse}
    values = frame[rating].astype("Float64").astype(float)
    if not reverse:
        return values
    # Vectorised: statement ids are unique across the bank (the loader enforces it), so the item id
    # alone decides; the area check guards frames built by hand.
    is_rev = frame["item"].isin({i for _, i in reverse}).to_numpy(dtype=bool, copy=True)
    if is_rev.any():
        areas = {i: a for a, i in reverse}
        is_rev &= frame["area"].to_numpy(dtype=object) == frame["item"].map(areas).to_numpy(dtype=object)
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
    # Every key is constant within a submission, so its id alone groups it and the other keys come from
    # its first row. The ids are numbered once, in the order they first appear (as groupby(sort=False)
    # and drop_duplicates order them); counts and sums are then array sums per number.
    codes, _ids = pd.factorize(frame["submission_id"].to_numpy(dtype=object))
    value = keyed(frame, bank).to_numpy(dtype=float)
    if not len(codes) or (codes < 0).any():  # a frame made by hand without an id: pandas' way
        work = pd.DataFrame({"submission_id": frame["submission_id"], "value": value})
        agg = work.groupby("submission_id", observed=True, sort=False)["value"].agg(n_answered="count", mean="mean")
        out = frame.drop_duplicates("submission_id")[keys].set_index("submission_id").join(agg).reset_index()
    else:
        first = np.flatnonzero(np.r_[True, codes[1:] > np.maximum.accumulate(codes)[:-1]])  # a new id's first row
        out = frame[keys].take(first).reset_index(drop=True)
        answered = ~np.isnan(value)
        count = np.bincount(codes[answered], minlength=len(first))
        total = np.bincount(codes[answered], weights=value[answered], minlength=len(first))
        out["n_answered"] = count.astype("int64")
        with np.errstate(invalid="ignore", divide="ignore"):
            out["mean"] = np.where(count > 0, total / np.maximum(count, 1), np.nan)  # ratings are whole: exact
    n_items = {a.id: len(a.items) for a in bank.areas}
    need = {a.id: a.min_answered for a in bank.areas}
    out["n_items"] = out["area"].map(n_items).astype("int64")
    enough = out["n_answered"] >= out["area"].map(need)
    out["mean"] = out["mean"].where(enough)
    out["score"] = to_100(out["mean"], low=bank.scale_min, high=bank.scale_max)
    out["band"] = bands(out["score"].to_numpy(dtype=float), bank)
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


# -- profile, change and couples ------------------------------------------------------------------

#: In the couple view, the score of an area that holds a statement kept private (``sensitive``, not
#: shared by both) is shown as the middle of its step of this many points: an exact score with the other
#: answers pins the private one (and 0 or 100 pin it alone). The band cut points (50, 75) are steps.
PRIVATE_STEP = 12.5


def coarse_score(score: float) -> float:
    """A 0-100 score as the middle of its :data:`PRIVATE_STEP`-point step (NaN stays NaN).

    From the step no answer of the area follows: tests/test_privacy_enumeration.py tries every answer.

    >>> [coarse_score(s) for s in (0.0, 12.4, 50.0, 74.9, 75.0, 100.0)]
    [6.25, 6.25, 56.25, 68.75, 81.25, 93.75]
    """
    if score != score:
        return score
    steps = int(round(100 / PRIVATE_STEP))
    return min(int(score // PRIVATE_STEP), steps - 1) * PRIVATE_STEP + PRIVATE_STEP / 2


#: Two partners whose scores for an area are this many points apart or more are "far apart".
#: 25 points is the width of the "in between" band, and the same as every statement of the area
#: being answered one full step differently: a gap worth talking about, not rounding noise.
FAR_APART = 25.0
#: Gaps from this many points up to :data:`FAR_APART` are "some difference"; smaller ones are "close".
SOME_DIFFERENCE = 12.5
#: A change between sessions smaller than this (about two answers moving one step) is "about the same".
CHANGE_NOTICEABLE = 10.0
AGREEMENT = (
    N_("shared strength"),
    N_("shared growth area"),
    N_("far apart"),
    N_("some difference"),
    N_("close"),
    N_("not rated by both"),
)
#: The direction of a change between two sessions (:func:`change_direction`).
DIRECTIONS = (N_("higher"), N_("lower"), N_("about the same"), N_("not rated in both"))
_WORDS = frozenset((*BANDS, NOT_RATED, *AGREEMENT, *DIRECTIONS))


def band_label(word: str) -> str:
    """A band, agreement or change word as the reader sees it (the data keeps the English word).

    >>> from reconnect.bank.i18n import language
    >>> with language("es"):
    ...     band_label("strength") != "strength", band_label("Trust")
    (True, 'Trust')
    """
    return _(word) if word in _WORDS else word


PROFILE_COLUMNS = ["area", "number", "label", "session", "score", "band", "rank", "saved_at", "submission_id"]


def participant_scores(frame: pd.DataFrame, bank: ItemBank, *, participant: str) -> pd.DataFrame:
    """Area scores of one participant: their newest submission per session and area.

    Uses :func:`reconnect.records.store.latest_submissions` and :func:`area_scores`; older saves stay on disk.
    """
    from ..records.store import latest_submissions

    rows = frame[frame["participant"] == participant] if not frame.empty else frame
    return area_scores(latest_submissions(rows), bank)


def session_order(scores: pd.DataFrame) -> list[str]:
    """Session labels in the order they were first used (so "before" comes before "after").

    Examples
    --------
    >>> import pandas as pd
    >>> session_order(pd.DataFrame({"session": ["after", "before"], "saved_at": [2, 1]}))
    ['before', 'after']
    """
    if scores.empty:
        return []
    first = scores.groupby("session", observed=True)["saved_at"].min().sort_values(kind="stable")
    return [str(s) for s in first.index]


def rank_areas(table: pd.DataFrame, *, score: str = "score") -> pd.Series:
    """Rank of each rated area, 1 = highest score; ties share a rank; unrated areas get <NA>.

    Examples
    --------
    >>> import pandas as pd
    >>> rank_areas(pd.DataFrame({"score": [50.0, None, 80.0, 50.0]})).tolist()
    [2, <NA>, 1, 2]
    """
    return table[score].astype(float).rank(ascending=False, method="min").astype("Int64")


def profile_table(scores: pd.DataFrame, bank: ItemBank, *, session: str | None = None) -> pd.DataFrame:
    """One row per area of the item bank (bank order) for one session, ranked.

    ``scores`` is :func:`area_scores` output for one participant. With ``session=None`` the newest
    scored answer of each area is used, whatever its session. Areas without a score are kept, with a
    missing score and the band "not yet rated" (never zero).

    Columns: area, number, label, session, score, band, rank, saved_at, submission_id.
    """
    rows = []
    for area in bank.areas:
        mine = scores[scores["area"] == area.id] if not scores.empty else scores
        if session is not None and not mine.empty:
            mine = mine[mine["session"] == session]
        if not mine.empty:
            scored = mine[mine["score"].notna()]
            mine = scored if not scored.empty else mine
        if mine.empty:
            rows.append((area.id, area.number, area.title, session or "", float("nan"), NOT_RATED, pd.NaT, ""))
            continue
        newest = mine.sort_values("saved_at").iloc[-1]
        rows.append(
            (
                area.id,
                area.number,
                area.title,
                str(newest["session"]),
                float(newest["score"]),
                None,
                newest["saved_at"],
                str(newest["submission_id"]),
            )
        )
    columns = ["area", "number", "label", "session", "score", "band", "saved_at", "submission_id"]
    out = pd.DataFrame(rows, columns=columns)
    out["band"] = [band_for(s, bank) for s in out["score"]]
    out["rank"] = rank_areas(out)
    return out[PROFILE_COLUMNS]


def scores_by_session(scores: pd.DataFrame, bank: ItemBank, *, sessions: list[str] | None = None) -> pd.DataFrame:
    """Long frame for change charts: one row per area and session (missing scores stay missing).

    Columns: area, label, session, score, band.
    """
    sessions = sessions if sessions is not None else session_order(scores)
    parts = []
    for s in sessions:
        t = profile_table(scores, bank, session=s)
        t["session"] = s
        parts.append(t[["area", "label", "session", "score", "band"]])
    if not parts:
        return pd.DataFrame(columns=["area", "label", "session", "score", "band"])
    return pd.concat(parts, ignore_index=True)


def change_direction(change: float) -> str:
    """'higher', 'lower' or 'about the same' (within :data:`CHANGE_NOTICEABLE` points).

    Examples
    --------
    >>> change_direction(12.5), change_direction(-9.9), change_direction(-10)
    ('higher', 'about the same', 'lower')
    """
    if pd.isna(change):
        return "not rated in both"
    if abs(change) < CHANGE_NOTICEABLE:
        return "about the same"
    return "higher" if change > 0 else "lower"


def change_between(scores: pd.DataFrame, bank: ItemBank, *, first: str, last: str) -> pd.DataFrame:
    """Per area: score and band in ``first`` and ``last`` session, the change, and its direction.

    Columns: area, label, score_first, score_last, change, band_first, band_last, direction.
    """
    a = profile_table(scores, bank, session=first)
    b = profile_table(scores, bank, session=last)
    out = pd.DataFrame(
        {
            "area": a["area"],
            "label": a["label"],
            "score_first": a["score"],
            "score_last": b["score"],
            "change": b["score"] - a["score"],
            "band_first": a["band"],
            "band_last": b["band"],
        }
    )
    out["direction"] = [change_direction(c) for c in out["change"]]
    return out


def agreement_for(score_a: float, score_b: float, bank: ItemBank) -> str:
    """The couple agreement category of one area.

    Checked in this order: both in the strength band = "shared strength"; both in the growth band =
    "shared growth area"; at least :data:`FAR_APART` points apart = "far apart"; at least
    :data:`SOME_DIFFERENCE` apart = "some difference"; otherwise "close".

    Examples
    --------
    >>> from reconnect.bank.content import load_item_bank
    >>> bank = load_item_bank()
    >>> agreement_for(80, 95, bank), agreement_for(40, 30, bank), agreement_for(45, 70, bank)
    ('shared strength', 'shared growth area', 'far apart')
    """
    if pd.isna(score_a) or pd.isna(score_b):
        return "not rated by both"
    band_a, band_b = band_for(score_a, bank), band_for(score_b, bank)
    if band_a == band_b == "strength":
        return "shared strength"
    if band_a == band_b == "growth area":
        return "shared growth area"
    gap = abs(score_a - score_b)
    if gap >= FAR_APART:
        return "far apart"
    if gap >= SOME_DIFFERENCE:
        return "some difference"
    return "close"


def couple_agreement(mine: pd.DataFrame, theirs: pd.DataFrame, bank: ItemBank) -> pd.DataFrame:
    """Agreement per area between two :func:`profile_table` frames (``a`` = mine, ``b`` = partner's).

    Columns: area, label, score_a, score_b, band_a, band_b, gap, agreement.
    """
    a = mine.set_index("area")
    b = theirs.set_index("area")
    rows = []
    for area in bank.areas:
        sa = float(a["score"].get(area.id, float("nan")))
        sb = float(b["score"].get(area.id, float("nan")))
        rows.append(
            (
                area.id,
                area.title,
                sa,
                sb,
                band_for(sa, bank),
                band_for(sb, bank),
                abs(sa - sb),
                agreement_for(sa, sb, bank),
            )
        )
    return pd.DataFrame(rows, columns=["area", "label", "score_a", "score_b", "band_a", "band_b", "gap", "agreement"])


def _paired_items(mine: pd.DataFrame, theirs: pd.DataFrame, bank: ItemBank) -> pd.DataFrame | None:
    """The statements both answered, side by side: area, item, rating_a, rating_b, steps, text, _order.

    ``None`` when there are none. ``_order`` is the statement's place in the bank (for ties).
    """
    if mine.empty or theirs.empty:
        return None
    a = mine.dropna(subset=["rating"]).set_index(["area", "item"])["rating"]
    b = theirs.dropna(subset=["rating"]).set_index(["area", "item"])["rating"]
    both = pd.concat({"rating_a": a, "rating_b": b}, axis=1, join="inner").dropna()
    if both.empty:
        return None
    both = both.astype(int).reset_index()
    both["steps"] = (both["rating_a"] - both["rating_b"]).abs()
    texts = {key: item.text for key, item in bank.item_index().items()}
    order = {(a.id, i.id): n for n, (a, i) in enumerate((a, i) for a in bank.areas for i in a.items)}
    both["text"] = [texts.get((x, y), y) for x, y in zip(both["area"], both["item"])]
    both["_order"] = [order.get((x, y), 0) for x, y in zip(both["area"], both["item"])]
    return both


def item_differences(mine: pd.DataFrame, theirs: pd.DataFrame, bank: ItemBank, *, top: int = 3) -> pd.DataFrame:
    """The statements two people answered most differently (at least two steps apart).

    ``mine`` and ``theirs`` are tidy item rows (one per rated statement, as the store gives) holding
    only the submissions to compare. Only statements both answered count.

    Columns: area, item, text, rating_a, rating_b, steps.
    """
    cols = ["area", "item", "text", "rating_a", "rating_b", "steps"]
    both = _paired_items(mine, theirs, bank)
    if both is None:
        return pd.DataFrame(columns=cols)
    both = both[both["steps"] >= 2].sort_values(["steps", "_order"], ascending=[False, True])
    return both[cols].head(top).reset_index(drop=True)


def item_shared_strengths(mine: pd.DataFrame, theirs: pd.DataFrame, bank: ItemBank, *, top: int = 5) -> pd.DataFrame:
    """The statements both partners rate high: a strength at statement level (PREPARE/ENRICH style).

    "High" is counted after reverse-keying: at least 4 on the 1-5 scale (*Mostly true of me* or more
    for a plainly worded statement; *A little true of me* or less for a reverse-worded one, such as
    "I worry that my partner will lose interest in me"). Only statements both answered count; the
    highest together come first. Columns as :func:`item_differences` (``steps`` is 0-1 apart).

    >>> from reconnect.bank.content import load_item_bank
    >>> bank = load_item_bank()
    >>> rows = lambda r: pd.DataFrame({"area": "foundation", "item": ["fd1", "fd6"], "rating": r})
    >>> item_shared_strengths(rows([5, 1]), rows([4, 2]), bank)[["item", "rating_a", "rating_b"]].values.tolist()
    [['fd1', 5, 4], ['fd6', 1, 2]]
    """
    cols = ["area", "item", "text", "rating_a", "rating_b", "steps"]
    both = _paired_items(mine, theirs, bank)
    if both is None:
        return pd.DataFrame(columns=cols)
    index = bank.item_index()
    reverse = [index[(x, y)].reverse if (x, y) in index else False for x, y in zip(both["area"], both["item"])]
    flip = bank.scale_min + bank.scale_max
    keyed_a = [flip - r if rev else r for r, rev in zip(both["rating_a"], reverse)]
    keyed_b = [flip - r if rev else r for r, rev in zip(both["rating_b"], reverse)]
    high = bank.scale_max - 1
    both["_low"] = [min(x, y) for x, y in zip(keyed_a, keyed_b)]
    both["_sum"] = [x + y for x, y in zip(keyed_a, keyed_b)]
    both = both[both["_low"] >= high].sort_values(["_sum", "_order"], ascending=[False, True])
    return both[cols].head(top).reset_index(drop=True)


def shown_change(first: float, last: float) -> int:
    """The change between two scores as people read it: the difference of the two numbers as shown.

    Subtracting first and rounding after can disagree with the two numbers beside it ("62 → 71" with
    "+8" when the scores were 62.4 and 70.6); the difference of the shown numbers never does.

    >>> shown_change(62.4, 70.6)
    9
    >>> shown_change(70.6, 62.4)
    -9
    """
    return int(f"{last:.0f}") - int(f"{first:.0f}")
