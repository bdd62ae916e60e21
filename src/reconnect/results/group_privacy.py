"""The rules that keep a room's numbers from describing fewer than *k* people (docs/architecture.md, "The numbers a room sees").

The minimum group size and its floor (`check_min_group`), nested groups 0 or at least *k* apart (`gap_ok`), small
categories combined into cells of at least *k* (`combine_small`), and the notes that say why something is
withheld. :mod:`reconnect.results.group` applies them to every number it publishes.

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

from ..bank.i18n import N_, _
from ..core.errors import InputError

DEFAULT_MIN_GROUP = 5


MIN_GROUP_FLOOR = 5  # 3 and 4 leak: see tests/test_privacy_enumeration.py


# The notes below are made when a table is made, in the language of whoever asked for it (07's dashboard,
# the handout). Their part before the first colon is short enough for a chart (``output.group_charts._hidden``).
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
