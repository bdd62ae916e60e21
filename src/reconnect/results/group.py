"""Group results for a workshop room: anonymous, and protected by a minimum group size.

Every function here takes the tidy frame from :func:`reconnect.records.store.load_store`, selects one
workshop and session, keeps each person's newest submission per area, and returns a tidy DataFrame
that is **already protected**: cells that describe too few people hold ``<NA>`` and a ``note`` says
why. Charts, text, CSV and the PDF handout are all drawn from these frames, so no output can show
what the protection removed. No participant code, couple code or name ever leaves this module.

The protection rule is written out, with why it holds, in :mod:`reconnect.results.group_privacy`,
where its pieces live (``docs/architecture.md``, "The numbers a room sees"; in plain words:
``docs/facilitator-guide.md``).
"""

from __future__ import annotations

import pandas as pd

from ..bank.content import ItemBank
from ..bank.i18n import N_, _
from ..core.csvfile import csv_text, neutralise  # noqa: F401  (neutralise: re-exported for earlier callers)
from ..records.store import latest_submissions
from .group_privacy import _WHO_COUPLES, _WHO_SESSIONS, _cell_rows, check_min_group, gap_note, gap_ok, too_few
from .scoring import BANDS, area_scores

COUPLE_KINDS = ("shared strength", "shared growth area", "far apart", N_("other"))
NO_WORKSHOP = ""
NO_ANSWER = N_("no answer")


# -- selecting the room -----------------------------------------------------------------------------
def workshops(frame: pd.DataFrame) -> list[str]:
    """Workshop codes present in a store ('' for submissions saved without one)."""
    if frame.empty:
        return []
    return sorted(frame["workshop"].fillna("").astype(str).unique())


def sessions(frame: pd.DataFrame, *, workshop: str | None = None) -> list[str]:
    """Session labels of a workshop, in the order they were first used."""
    rows = _workshop_rows(frame, workshop)
    if rows.empty:
        return []
    first = rows.groupby("session", observed=True)["saved_at"].min().sort_values()
    return [str(s) for s in first.index]


def _workshop_rows(frame: pd.DataFrame, workshop: str | None) -> pd.DataFrame:
    if frame.empty or workshop is None:
        return frame
    return frame[frame["workshop"].fillna("").astype(str) == workshop]


def selection(frame: pd.DataFrame, *, workshop: str | None, session: str | None) -> pd.DataFrame:
    """Item rows of the newest submission per person and area, in one workshop and session."""
    rows = _workshop_rows(frame, workshop)
    if session is not None and not rows.empty:
        rows = rows[rows["session"] == session]
    return latest_submissions(rows.reset_index(drop=True))


def scores(frame: pd.DataFrame, bank: ItemBank, *, workshop: str | None, session: str | None) -> pd.DataFrame:
    """Scored area results (one row per person and area with a score) for one workshop and session.

    Internal: this frame is per person. Show only what the protected functions below return.
    """
    rows = selection(frame, workshop=workshop, session=session)
    out = area_scores(rows, bank)
    return out[out["score"].notna()].reset_index(drop=True) if not out.empty else out


def room_size(frame: pd.DataFrame, *, workshop: str | None, session: str | None, min_group: int | None = None):
    """How many people answered at least one area, or ``None`` when that is below the minimum."""
    k = check_min_group(min_group)
    rows = selection(frame, workshop=workshop, session=session)
    n = int(rows["participant"].nunique()) if not rows.empty else 0
    return n if n >= k else None


def room_size_shown(
    frame: pd.DataFrame, bank: ItemBank, *, workshop: str | None, session: str | None, min_group: int | None = None
):
    """The room's size as it may be shown beside the area counts, or ``None``.

    ``None`` when the room is below the minimum, or when it differs from a shown area count by 1 to
    ``k - 1`` people (rule 4): "6 people answered" beside "5 rated this area" would single out one
    person who left the area out. :func:`room_size` stays the gate for showing anything at all.
    """
    k = check_min_group(min_group)
    n = room_size(frame, workshop=workshop, session=session, min_group=k)
    if n is None:
        return None
    counts = participation(frame, bank, workshop=workshop, session=session, min_group=k)["n"].dropna()
    return n if all(gap_ok(n, int(a), k) for a in counts) else None


def room_text(n_room, n_shown, k: int, verb: str = "answered") -> str:
    """How many took part, in words, for 07 and the handout.

    Examples
    --------
    >>> room_text(12, 12, 5)
    '12 people answered'
    >>> room_text(6, None, 5)
    'At least 5 people answered (the exact number is left out: beside the area counts below it would tell about fewer than 5 people)'
    """
    if verb not in _ROOM:
        verb = "answered"
    exact, at_least = _ROOM[verb]
    if n_shown is not None:
        return _(exact).format(n=n_shown)
    return _(at_least).format(k=k)


# room_text's sentences per verb, whole (a language may need another word order).
_ROOM = {
    "answered": (
        N_("{n} people answered"),
        N_(
            "At least {k} people answered (the exact number is left out: beside the area counts below it would "
            "tell about fewer than {k} people)"
        ),
    ),
    "took part": (
        N_("{n} people took part"),
        N_(
            "At least {k} people took part (the exact number is left out: beside the area counts below it would "
            "tell about fewer than {k} people)"
        ),
    ),
}


# -- participation and bands ------------------------------------------------------------------------
def participation(
    frame: pd.DataFrame, bank: ItemBank, *, workshop: str | None, session: str | None, min_group: int | None = None
) -> pd.DataFrame:
    """How many people have a score in each area. Columns: area, title, n, note."""
    k = check_min_group(min_group)
    sc = scores(frame, bank, workshop=workshop, session=session)
    rows = []
    for area in bank.areas:
        n = int(sc.loc[sc["area"] == area.id, "participant"].nunique()) if not sc.empty else 0
        shown = n >= k
        rows.append(
            {"area": area.id, "title": area.title, "n": n if shown else None, "note": "" if shown else too_few(k)}
        )
    out = pd.DataFrame(rows)
    out["n"] = out["n"].astype("Int64")
    return out


def band_shares(
    frame: pd.DataFrame, bank: ItemBank, *, workshop: str | None, session: str | None, min_group: int | None = None
) -> pd.DataFrame:
    """Per area, how many people are in each band, strongest area first (one row per shown cell).

    Columns: rank, area, title, n, mean_score, category (a band, or bands combined such as
    "growth area or in between"), first and last (band positions 0-2 it covers), count, share
    (percent of n) and note. Areas are ranked by mean score, highest first. An area whose split
    cannot be shown has one row with ``category`` "not shown" and empty counts; an area below the
    minimum size has no n and no mean either.
    """
    k = check_min_group(min_group)
    sc = scores(frame, bank, workshop=workshop, session=session)
    per_area = []
    for order, area in enumerate(bank.areas):
        mine = sc[sc["area"] == area.id] if not sc.empty else sc
        n = len(mine)
        head = {"area": area.id, "title": area.title}
        if n < k:
            per_area.append((1, 0.0, order, [head | {"n": None, "mean_score": None, "note": too_few(k)}]))
            continue
        mean = float(mine["score"].mean())
        cells, note = _cell_rows([int((mine["band"] == b).sum()) for b in BANDS], BANDS, k, n)
        rows = [head | {"n": n, "mean_score": mean, **c, "note": note} for c in cells] or [
            head | {"n": n, "mean_score": mean, "category": "not shown", "note": note}
        ]
        per_area.append((0, -mean, order, rows))
    per_area.sort(key=lambda t: t[:3])
    rows = [r | {"rank": rank} for rank, (*_, group) in enumerate(per_area, start=1) for r in group]
    out = pd.DataFrame(rows, columns=_BAND_COLUMNS)
    return _typed(out, ints=("rank", "n", "first", "last", "count"), floats=("mean_score", "share"))


_BAND_COLUMNS = ["rank", "area", "title", "n", "mean_score", "category", "first", "last", "count", "share", "note"]


def _typed(out: pd.DataFrame, *, ints=(), floats=()) -> pd.DataFrame:
    for c in ints:
        out[c] = out[c].astype("Int64")
    for c in floats:
        out[c] = out[c].astype("Float64")
    for c in out.columns:
        if c not in ints and c not in floats and out[c].dtype == object and c != "reverse":
            out[c] = out[c].fillna("")
    return out


def area_order(shares: pd.DataFrame) -> list[str]:
    """Area ids of a :func:`band_shares` frame, strongest first."""
    return list(dict.fromkeys(shares.sort_values("rank", kind="stable")["area"]))


def weakest_areas(shares: pd.DataFrame, count: int = 2) -> list[str]:
    """The ``count`` weakest areas with numbers in a :func:`band_shares` frame, weakest first."""
    shown = shares[shares["mean_score"].notna()].sort_values("rank", kind="stable")
    return list(dict.fromkeys(shown["area"]))[::-1][:count]


def summary(
    frame: pd.DataFrame, bank: ItemBank, *, workshop: str | None, session: str | None, min_group: int | None = None
) -> pd.DataFrame:
    """The CLI summary: one row per area with n, mean score, % strength, % growth area, strongest first.

    A percentage is empty when its band was combined with another one or the area is not shown; the
    status column says which.
    """
    k = check_min_group(min_group)
    shares = band_shares(frame, bank, workshop=workshop, session=session, min_group=k)
    rows = []
    for area in area_order(shares):
        cells = shares[shares["area"] == area]
        first = cells.iloc[0]

        def pct(band, cells=cells):
            hit = cells[cells["category"] == band]
            return float(hit["share"].iloc[0]) if len(hit) else None

        if pd.isna(first["n"]):
            status = f"hidden: fewer than {k} people"
        elif first["category"] == "not shown":
            status = "bands not shown"
        elif first["note"]:
            status = "bands combined"
        else:
            status = "shown"
        rows.append(
            {
                "workshop": workshop if workshop is not None else "(all)",
                "session": session if session is not None else "(all)",
                "area": area,
                "title": first["title"],
                "n": first["n"],
                "mean_score": None if pd.isna(first["mean_score"]) else round(float(first["mean_score"]), 1),
                "pct_strength": None if (p := pct("strength")) is None else round(p),
                "pct_growth_area": None if (p := pct("growth area")) is None else round(p),
                "status": status,
            }
        )
    return _typed(pd.DataFrame(rows), ints=("n", "pct_strength", "pct_growth_area"), floats=("mean_score",))


def summary_text(table: pd.DataFrame) -> str:
    """The summary as aligned plain text, strongest area first; '-' where a value is not shown."""

    def cell(v, fmt):
        return "-" if pd.isna(v) else fmt.format(v)

    lines = [f"{'area (strongest first)':<34} {'n':>4} {'mean':>5} {'% strength':>11} {'% growth area':>14}  status"]
    for r in table.itertuples():
        lines.append(
            f"{str(r.title)[:34]:<34} {cell(r.n, '{:d}'):>4} {cell(r.mean_score, '{:.0f}'):>5} "
            f"{cell(r.pct_strength, '{:d}%'):>11} {cell(r.pct_growth_area, '{:d}%'):>14}  {r.status}"
        )
    statuses = set(table["status"])
    if any(s.startswith("hidden") for s in statuses):
        lines.append(
            "hidden: too few people rated the area, so nothing is shown and nobody's answers can be worked out."
        )
    if "bands combined" in statuses:
        lines.append(
            "bands combined: a band chosen by too few people is counted with its neighbour, so its own % shows as '-'."
        )
    if "bands not shown" in statuses:
        lines.append("bands not shown: everybody is in the same band, which would tell each person's answer.")
    return "\n".join(lines)


# -- how scores spread ------------------------------------------------------------------------------
def score_spread(
    frame: pd.DataFrame, bank: ItemBank, *, workshop: str | None, session: str | None, min_group: int | None = None
) -> pd.DataFrame:
    """Per area, the median score and the middle half of the room (25th to 75th percentile).

    Columns: area, title, n, q25, median, q75, note. No minimum or maximum is given: each would be one
    person's score. Areas below the minimum size have no numbers.
    """
    k = check_min_group(min_group)
    sc = scores(frame, bank, workshop=workshop, session=session)
    rows = []
    for area in bank.areas:
        mine = sc[sc["area"] == area.id]["score"] if not sc.empty else pd.Series(dtype=float)
        n = len(mine)
        if n < k:
            rows.append({"area": area.id, "title": area.title, "n": None, "note": too_few(k)})
            continue
        q = mine.quantile([0.25, 0.5, 0.75])
        rows.append(
            {
                "area": area.id,
                "title": area.title,
                "n": n,
                "q25": float(q[0.25]),
                "median": float(q[0.5]),
                "q75": float(q[0.75]),
                "note": "",
            }
        )
    out = pd.DataFrame(rows, columns=["area", "title", "n", "q25", "median", "q75", "note"])
    return _typed(out, ints=("n",), floats=("q25", "median", "q75"))


# -- every statement of one area --------------------------------------------------------------------
def statement_counts(
    frame: pd.DataFrame,
    bank: ItemBank,
    *,
    area: str,
    workshop: str | None,
    session: str | None,
    min_group: int | None = None,
) -> pd.DataFrame:
    """For each statement of ``area``, how many people chose each answer (as answered, not recoded).

    The people are those with a score for the area (rule 1), so every statement shows the area's n;
    a statement one of them left open counts under ``NO_ANSWER``, which is combined with answer 5
    when 1 to ``k - 1`` people left it open, like any small answer.

    One row per shown cell: item, text, reverse, n (the area's people), category (an answer label,
    neighbouring answers combined, or "no answer"), first and last (answer values covered; one past
    the scale stands for "no answer"), count, share, note. This is the counting half of the
    diverging stacked bar chart.
    """
    k = check_min_group(min_group)
    the_area = bank.area(area)
    rows_all = selection(frame, workshop=workshop, session=session)
    mine = rows_all[rows_all["area"] == area] if not rows_all.empty else rows_all
    sc = scores(frame, bank, workshop=workshop, session=session)
    people = set(sc.loc[sc["area"] == area, "participant"]) if not sc.empty else set()
    if people:
        mine = mine[mine["participant"].isin(people)]
    n = len(people)
    values = [v for v, _ in bank.scale] + [bank.scale_max + 1]
    names = [label for _, label in bank.scale] + [NO_ANSWER]
    rows = []
    for item in the_area.items:
        head = {"item": item.id, "text": item.text, "reverse": item.reverse}
        if n < k:
            rows.append(head | {"n": None, "category": "not shown", "note": too_few(k)})
            continue
        answers = [int(a) for a in mine[(mine["item"] == item.id)]["rating"].dropna()]
        counts = [answers.count(v) for v in values[:-1]] + [n - len(answers)]
        cells, note = _cell_rows(counts, names, k, n)
        for c in cells:
            c["first"], c["last"] = values[c["first"]], values[c["last"]]
            if c["category"] != NO_ANSWER or c["count"]:  # "no answer 0" is simply left off
                rows.append(head | {"n": n, **c, "note": note})
        if not cells:
            rows.append(head | {"n": n, "category": "not shown", "note": note})
    cols = ["item", "text", "reverse", "n", "category", "first", "last", "count", "share", "note"]
    return _typed(pd.DataFrame(rows, columns=cols), ints=("n", "first", "last", "count"), floats=("share",))


# -- change between two sessions --------------------------------------------------------------------
def change(
    frame: pd.DataFrame,
    bank: ItemBank,
    *,
    workshop: str | None,
    first: str,
    second: str,
    min_group: int | None = None,
) -> pd.DataFrame:
    """Per area, the mean score of the people who answered in both sessions, in each session.

    Columns: area, title, n_paired, mean_first, mean_second, change, note. Only people with a score
    in both sessions count, so the change is not an effect of who came. An area is shown only when
    those people are at least ``k`` and, in each session, they are all of the area's people or at
    least ``k`` fewer (rule 4): otherwise the session's own mean minus this one would give the few
    others' scores (6 people before, 5 of them after: the sixth person's score).
    """
    k = check_min_group(min_group)
    a = scores(frame, bank, workshop=workshop, session=first)
    b = scores(frame, bank, workshop=workshop, session=second)
    rows = []
    for area in bank.areas:
        left = a[a["area"] == area.id].set_index("participant")["score"] if not a.empty else pd.Series(dtype=float)
        right = b[b["area"] == area.id].set_index("participant")["score"] if not b.empty else pd.Series(dtype=float)
        both = left.index.intersection(right.index)
        n = len(both)
        if n < k:
            rows.append({"area": area.id, "title": area.title, "note": too_few(k, "people in both sessions")})
            continue
        if not (gap_ok(len(left), n, k) and gap_ok(len(right), n, k)):
            who = _WHO_SESSIONS
            rows.append({"area": area.id, "title": area.title, "note": gap_note(k, who)})
            continue
        m1, m2 = float(left[both].mean()), float(right[both].mean())
        rows.append(
            {
                "area": area.id,
                "title": area.title,
                "n_paired": n,
                "mean_first": m1,
                "mean_second": m2,
                "change": m2 - m1,
                "note": "",
            }
        )
    cols = ["area", "title", "n_paired", "mean_first", "mean_second", "change", "note"]
    return _typed(pd.DataFrame(rows, columns=cols), ints=("n_paired",), floats=("mean_first", "mean_second", "change"))


# -- couples ----------------------------------------------------------------------------------------
def couple_kind(score_a: float, score_b: float, bank: ItemBank) -> str:
    """How two partners' scores for one area relate (a group category, never shown per couple).

    Examples
    --------
    >>> from reconnect.bank.content import load_item_bank
    >>> bank = load_item_bank()
    >>> couple_kind(80, 90, bank), couple_kind(10, 45, bank), couple_kind(20, 60, bank), couple_kind(55, 70, bank)
    ('shared strength', 'shared growth area', 'far apart', 'other')
    """
    from .scoring import agreement_for

    # One rule for couples everywhere (06 and 07); the group view folds the finer kinds into "other".
    kind = agreement_for(score_a, score_b, bank)
    return kind if kind in ("shared strength", "shared growth area", "far apart") else "other"


def couple_agreement(
    frame: pd.DataFrame, bank: ItemBank, *, workshop: str | None, session: str | None, min_group: int | None = None
) -> pd.DataFrame:
    """Per area, how many couples share a strength, share a growth area, are far apart, or neither.

    A couple is a couple code held by exactly two people who both have a score for the area. One
    row per shown cell: area, title, n_couples, category, count (couples), share, note. The couples'
    people must be all of the area's people or at least ``k`` fewer (rule 4), or the difference would
    count the few who are not in a couple.
    """
    k = check_min_group(min_group)
    sc = scores(frame, bank, workshop=workshop, session=session)
    rows = []
    kinds_of = _couple_kinds(sc, bank)
    for area in bank.areas:
        kinds = kinds_of.get(area.id, [])
        n = len(kinds)
        head = {"area": area.id, "title": area.title}
        if n < k:
            rows.append(head | {"category": "not shown", "note": too_few(k, "couples")})
            continue
        rated = int((sc["area"] == area.id).sum())
        if not gap_ok(rated, 2 * n, k):
            who = _WHO_COUPLES
            rows.append(head | {"category": "not shown", "note": gap_note(k, who)})
            continue
        counts = [kinds.count(c) for c in COUPLE_KINDS]
        cells, note = _cell_rows(counts, COUPLE_KINDS, k, n, unit=2, catch_all=COUPLE_KINDS.index("other"))
        rows.extend(head | {"n_couples": n, **c, "note": note} for c in cells)
        if not cells:
            rows.append(head | {"n_couples": n, "category": "not shown", "note": note})
    cols = ["area", "title", "n_couples", "category", "count", "share", "note"]
    return _typed(pd.DataFrame(rows, columns=cols), ints=("n_couples", "count"), floats=("share",))


def _couple_kinds(sc: pd.DataFrame, bank: ItemBank) -> dict[str, list[str]]:
    """Area id -> the kind of every couple (a couple code held by exactly two people, both scored)."""
    if sc.empty:
        return {}
    mine = sc[sc["couple"].fillna("") != ""][["area", "couple", "participant", "score"]]
    if mine.empty:
        return {}
    grouped = mine.groupby(["area", "couple"], observed=True)["participant"]
    both = (grouped.transform("size") == 2) & (grouped.transform("nunique") == 2)
    pairs = mine[both].sort_values(["area", "couple", "participant"], kind="stable")
    first, second = pairs.iloc[0::2], pairs.iloc[1::2]
    out: dict[str, list[str]] = {}
    for area, a, b in zip(first["area"], first["score"], second["score"]):
        out.setdefault(str(area), []).append(couple_kind(a, b, bank))
    return out


