"""Group results for a workshop room: anonymous, and protected by a minimum group size.

Every function here takes the tidy frame from :func:`reconnect.records.store.load_store`, selects one
workshop and session, keeps each person's newest submission per area, and returns a tidy DataFrame
that is **already protected**: cells that describe too few people hold ``<NA>`` and a ``note`` says
why. Charts, text, CSV and the PDF handout are all drawn from these frames, so no output can show
what the protection removed. No participant code, couple code or name ever leaves this module.

The protection rule (the full rule and why it holds: ``docs/architecture.md``, "The numbers a room
sees"; in plain words: ``docs/facilitator-guide.md``), with ``k`` the minimum group size (default 5,
never below 5: ``tests/test_privacy_enumeration.py`` shows the combining below leaks at 3 and 4):

1. **One population per area and session.** Every number about an area in a session (n, mean,
   bands, spread, every statement, couples, alpha) comes from the people with a score for that area
   in that session, and nothing else. A statement someone left open counts as "no answer", so a
   statement always shows the area's n.
2. A group (an area, the couples of an area, the people who answered both sessions) with fewer
   than ``k`` members shows no numbers at all, only an explanation.
3. Inside a shown group, no count of 1 to ``k - 1`` people is ever shown. Such a small count is
   **combined** with a neighbouring category (bands and answers are ordered: "growth area" joins "in
   between"; answer 5 joins answer 4, "no answer" joins answer 5; for couples a small kind joins
   "other") until every shown count is zero or at least ``k``. Nothing is blanked, so no small
   number can be worked out by subtracting the shown counts from the total, and (shown by
   enumeration for every ``k`` from 5) the shape of the combined cells never tells an exact small count.
4. **Gaps between nested groups** (:func:`gap_ok`): a number about a group that lies inside another
   shown group (the room and an area; an area and its people in both sessions; an area and its
   couples; an area and the people who answered every statement) is shown only if the two differ by
   0 or at least ``k`` people. Otherwise subtracting one from the other would describe the few in
   between (one drop-out's scores, one non-rater), so the inner number is withheld with a note.
5. If everybody in a group gave the same band or answer, or everything ends up in one combined
   category, no split is shown, because it would tell every person's answer.
6. Spread is shown as the median and the middle half of the scores (no minimum or maximum, which
   would be one person's score) and never as counts in score ranges, which could be subtracted from
   the band counts.

Couples are counted in couples, but protected in people: the couple view of an area needs at least
``k`` couples, and a shown count of couples always stands for at least ``k`` people.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from ..bank.content import ItemBank
from ..bank.i18n import N_, _
from ..core.csvfile import csv_text, neutralise  # noqa: F401  (neutralise: re-exported for earlier callers)
from ..core.errors import InputError
from ..records.store import latest_submissions
from .scoring import BANDS, area_scores, keyed

DEFAULT_MIN_GROUP = 5
MIN_GROUP_FLOOR = 5  # 3 and 4 leak: see tests/test_privacy_enumeration.py
ALPHA_MIN_N = 30
COUPLE_KINDS = ("shared strength", "shared growth area", "far apart", N_("other"))
NO_WORKSHOP = ""
NO_ANSWER = N_("no answer")
# The notes below are made when a table is made, in the language of whoever asked for it (07's dashboard,
# the handout). Their part before the first colon is short enough for a chart (``group_charts._hidden``).
_TOO_FEW = {
    "people": N_("fewer than {k} people: not shown, so that nobody's answers can be worked out"),
    "people in both sessions": N_(
        "fewer than {k} people in both sessions: not shown, so that nobody's answers can be worked out"
    ),
    "couples": N_("fewer than {k} couples: not shown, so that nobody's answers can be worked out"),
}
_WHO_SESSIONS = N_("only a few people came to just one of the two sessions")
_WHO_COUPLES = N_("only a few of the people who rated this area are not in a couple")


def check_min_group(min_group: int | None) -> int:
    """Return the minimum group size, or raise if it is below the floor of 5.

    Examples
    --------
    >>> check_min_group(None), check_min_group(7)
    (5, 7)
    >>> check_min_group(4)
    Traceback (most recent call last):
    ...
    reconnect.core.errors.InputError: The minimum group size 4 is too small: it can never be below 5, so that nobody's answers can be worked out. Use 5 or more.
    """
    if min_group is None:
        return DEFAULT_MIN_GROUP
    if isinstance(min_group, bool) or not isinstance(min_group, int):
        try:
            min_group = int(str(min_group).strip())
        except ValueError:
            raise InputError(
                _("The minimum group size '{value}' is not a whole number. Use {floor} or more.").format(
                    value=min_group, floor=MIN_GROUP_FLOOR
                )
            ) from None
    if min_group < MIN_GROUP_FLOOR:
        raise InputError(
            _(
                "The minimum group size {value} is too small: it can never be below {floor}, "
                "so that nobody's answers can be worked out. Use {floor} or more."
            ).format(value=min_group, floor=MIN_GROUP_FLOOR)
        )
    return min_group


def gap_ok(outer: int, inner: int, k: int) -> bool:
    """Whether a group inside another shown group may be shown beside it (rule 4).

    ``outer`` and ``inner`` are the sizes in people. The two may differ by nothing or by at least
    ``k`` people; anything in between would let the difference describe fewer than ``k`` people.

    Examples
    --------
    >>> gap_ok(6, 6, 5), gap_ok(6, 5, 5), gap_ok(28, 22, 5), gap_ok(28, 22, 7)
    (True, False, True, False)
    """
    return (outer == inner) | (outer - inner >= k)  # | so that it also works on numpy arrays


def gap_note(k: int, who: str) -> str:
    """The explanation shown instead of a group that differs from a shown group by 1 to k - 1 people.

    Like :func:`too_few`, the part before the colon is short enough for a chart.

    Examples
    --------
    >>> gap_note(5, "only a few people came to just one of the two sessions").split(":")[0]
    'only a few people came to just one of the two sessions'
    """
    return _(
        "{who}: not shown, because comparing it with the other figures would tell about fewer than {k} people"
    ).format(who=_(who), k=k)


def too_few(k: int, what: str = "people") -> str:
    """The explanation shown instead of numbers for a group below the minimum size."""
    sentence = _TOO_FEW.get(what)
    if sentence is None:
        return f"fewer than {k} {what}: not shown, so that nobody's answers can be worked out"
    return _(sentence).format(k=k)


def combined_note(k: int) -> str:
    return _("categories with 1 to {most} people are combined with a neighbour, so no small number is shown").format(
        most=k - 1
    )


def no_split_note() -> str:
    return _("the split is not shown: it would tell each person's answer")


def combine_small(
    counts: list[int], k: int, *, unit: int = 1, catch_all: int | None = None
) -> list[tuple[tuple[int, ...], int]] | None:
    """Apply the protection rule to the counts of one group.

    Returns the shown cells as ``(category indices, count)`` in order, or ``None`` when no split may
    be shown (group below ``k``, everybody in one category, or everything combined into one).
    Categories are ordered (neighbours are combined) unless ``catch_all`` names the category that
    small ones join. ``unit`` is how many people one counted thing stands for (2 for couples).

    Examples
    --------
    >>> combine_small([3, 15, 10], 5)
    [((0, 1), 18), ((2,), 10)]
    >>> combine_small([21, 6, 1], 5)
    [((0,), 21), ((1, 2), 7)]
    >>> combine_small([0, 6, 0], 5) is None, combine_small([2, 2], 5) is None
    (True, True)
    >>> combine_small([3, 0, 0, 5], 5, unit=2, catch_all=3)
    [((0,), 3), ((1,), 0), ((2,), 0), ((3,), 5)]
    >>> combine_small([2, 0, 1, 5], 5, unit=2, catch_all=3) is None  # all 8 in one combined cell
    True
    >>> combine_small([2, 4, 1, 5], 5, unit=2, catch_all=3)
    [((0, 2, 3), 8), ((1,), 4)]
    """
    return _combine_cells(counts, check_min_group(k), unit=unit, catch_all=catch_all)


def _combine_cells(counts, k: int, *, unit: int = 1, catch_all: int | None = None):
    """:func:`combine_small` without the floor check (the enumeration test runs it at k = 3 and 4)."""
    counts = [int(c) for c in counts]
    total = sum(counts)
    if total * unit < k or (len(counts) > 1 and max(counts) == total):
        return None
    groups: list[tuple[tuple[int, ...], int]] = [((i,), c) for i, c in enumerate(counts)]

    def merge(a: int, b: int) -> None:
        lo, hi = sorted((a, b))
        joined = (tuple(sorted(groups[lo][0] + groups[hi][0])), groups[lo][1] + groups[hi][1])
        if catch_all is None:
            groups[lo : hi + 1] = [joined]  # ordered: only neighbours are merged (lo + 1 == hi)
        else:
            del groups[hi]
            groups[lo] = joined

    while len(groups) > 1:
        small = [j for j, (_, c) in enumerate(groups) if 0 < c * unit < k]
        if not small:
            break
        j = min(small, key=lambda j: (groups[j][1], j))
        if catch_all is not None:
            home = next(x for x, (ix, _) in enumerate(groups) if catch_all in ix)
            if home != j:
                merge(j, home)
                continue
            candidates = [x for x in range(len(groups)) if x != j]
        else:
            candidates = [x for x in (j - 1, j + 1) if 0 <= x < len(groups)]
        nonzero = [x for x in candidates if groups[x][1] > 0] or candidates
        merge(j, min(nonzero, key=lambda x: (groups[x][1], x)))
    if sum(1 for _, c in groups if c) == 1:  # everybody in one (combined) cell: it tells each answer
        return None
    if catch_all is not None:
        groups.sort(key=lambda g: g[0][0])
    return groups


def _cell_rows(counts, names, k, n, *, unit=1, catch_all=None) -> tuple[list[dict], str]:
    """Rows (one per shown cell) and a note, for one protected group."""
    cells = combine_small(counts, k, unit=unit, catch_all=catch_all)
    if cells is None:
        return [], no_split_note()
    rows = []
    for ix, c in cells:
        rows.append(
            {
                "category": " or ".join(names[i] for i in ix),
                "first": ix[0],
                "last": ix[-1],
                "count": c,
                "share": 100.0 * c / n,
            }
        )
    return rows, (combined_note(k) if any(len(ix) > 1 for ix, _ in cells) else "")


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


# -- reliability ------------------------------------------------------------------------------------
def cronbach_alpha(items: pd.DataFrame) -> float:
    """Cronbach's alpha of a people x statements table of (recoded) ratings, complete rows only.

    alpha = k / (k - 1) * (1 - sum of item variances / variance of the total), variances with n - 1.

    Examples
    --------
    >>> import pandas as pd
    >>> round(cronbach_alpha(pd.DataFrame({"a": [1, 2, 3, 4], "b": [2, 2, 4, 4], "c": [1, 3, 3, 5]})), 4)
    0.9333
    """
    data = items.dropna().astype(float)
    n_items = data.shape[1]
    if n_items < 2 or len(data) < 2:
        return float("nan")
    total_var = data.sum(axis=1).var(ddof=1)
    if total_var == 0:
        return float("nan")
    return float(n_items / (n_items - 1) * (1 - data.var(ddof=1).sum() / total_var))


def reliability(
    frame: pd.DataFrame,
    bank: ItemBank,
    *,
    workshop: str | None,
    session: str | None,
    min_n: int = ALPHA_MIN_N,
    min_group: int | None = None,
) -> pd.DataFrame:
    """Cronbach's alpha per area from the people who answered every statement.

    Worked out only when they are at least ``min_n`` and at least the minimum group size ``k``
    (:func:`alpha_min_n`). Their number is shown only when it is the area's n or at least ``k``
    below it (rule 4), else it would count the few who left a statement open.
    Columns: area, title, n_complete, alpha, note.
    """
    k = check_min_group(min_group)
    min_n = alpha_min_n(k, min_n)
    rows_all = selection(frame, workshop=workshop, session=session)
    sc = scores(frame, bank, workshop=workshop, session=session)
    rows = []
    for area in bank.areas:
        mine = rows_all[rows_all["area"] == area.id] if not rows_all.empty else rows_all
        rated = int((sc["area"] == area.id).sum()) if not sc.empty else 0
        n, alpha = 0, float("nan")
        if not mine.empty:
            work = mine[["participant", "item"]].copy()
            work["value"] = keyed(mine, bank)
            table = work.pivot_table(index="participant", columns="item", values="value", observed=True)
            table = table.reindex(columns=[i.id for i in area.items]).dropna()
            n = len(table)
            alpha = cronbach_alpha(table) if n >= min_n else float("nan")
        if n < min_n:
            note = (
                _(
                    "not worked out: fewer than {min_n} people answered every statement, and alpha needs at least "
                    "{min_n} to mean anything"
                )
                if n
                else _(
                    "not worked out: no people answered every statement, and alpha needs at least {min_n} to mean "
                    "anything"
                )
            ).format(min_n=min_n)
            shown_n = None
        else:
            note = _alpha_words(alpha)
            shown_n = n if gap_ok(rated, n, k) else None
        rows.append(
            {
                "area": area.id,
                "title": area.title,
                "n_complete": shown_n,
                "alpha": alpha if n >= min_n else None,
                "note": note,
            }
        )
    out = pd.DataFrame(rows)
    out["n_complete"] = out["n_complete"].astype("Int64")
    out["alpha"] = out["alpha"].astype("Float64")
    return out


def alpha_min_n(min_group: int | None = None, min_n: int = ALPHA_MIN_N) -> int:
    """How many complete answers alpha needs: ``min_n`` (30), or the minimum group size if larger.

    Examples
    --------
    >>> alpha_min_n(), alpha_min_n(40)
    (30, 40)
    """
    return max(int(min_n), check_min_group(min_group))


def _alpha_words(alpha: float) -> str:
    if math.isnan(alpha):
        return _("cannot be worked out: everybody gave the same total")
    if alpha >= 0.8:
        return _("the statements hang together well: people who agreed with one tended to agree with the others")
    if alpha >= 0.7:
        return _("the statements hang together acceptably")
    if alpha >= 0.6:
        return _("the statements hang together only loosely; read the area score with some care")
    return _("the statements do not hang together in this group; look at them one by one rather than at the score")


# -- exports ----------------------------------------------------------------------------------------
def to_csv_text(table: pd.DataFrame) -> str:
    """A protected group table as CSV text: hidden cells say 'hidden', every cell is neutralised.

    Written by the package's one CSV writer for spreadsheets (:func:`reconnect.core.csvfile.csv_text`), so
    no cell, and no line inside a cell, can become a formula.

    Examples
    --------
    >>> text = to_csv_text(pd.DataFrame({"title": ["Standing\\r=HYPERLINK(1)"], "mean": [float("nan")]}))
    >>> "\\r'=HYPERLINK(1)" in text, text.endswith('"hidden"\\n')
    (True, True)
    """
    rows = []
    for row in table.itertuples(index=False):
        cells = []
        for v in row:
            if v is None or (not isinstance(v, str) and pd.isna(v)):
                cells.append("hidden")
            elif isinstance(v, float):
                cells.append(f"{v:.1f}")
            else:
                cells.append(v if isinstance(v, str) else str(v))
        rows.append(cells)
    return csv_text([str(c) for c in table.columns], rows, for_spreadsheet=True)


def write_csv(table: pd.DataFrame, path: str | Path) -> Path:
    """Write :func:`to_csv_text` to a new file (never replacing an existing one)."""
    from ..core.files import write_new

    path = Path(path)
    if path.exists():
        raise InputError(f"{path} already exists and was left as it is. Choose another file name for the CSV.")
    return write_new(path, to_csv_text(table).encode("utf-8"), mode=0o600)
