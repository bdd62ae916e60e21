"""Group charts for the projector: protected tidy frames from :mod:`reconnect.results.group` in, Axes out.

Every chart draws only what the protected frame holds (combined categories stay combined, hidden
areas are written as text), uses the Okabe-Ito palette, puts its values on the chart, uses large type
for a projector, and never rests meaning on colour alone: categories keep a fixed position (growth
left, strength right) and carry names or patterns. Each chart's text alternative (one sentence plus
the values, for screen readers and for the handout) is in :mod:`reconnect.results.group_chart_text`.
"""

from __future__ import annotations

import textwrap

import pandas as pd

from ..bank.i18n import N_, _, number
from ..bank.model import ItemBank
from ..records.participant import session_label
from ..results.group_chart_text import _category, _pct
from ..results.scoring import SCORE_NOTE, band_label, shown_change

# Words on the charts are looked up when a chart is drawn (the facilitator's language); the categories
# in the protected frames (bands, answers, couple kinds) stay English and are shown with _category.
#: Short band names on a narrow bar of the band chart.
SHORT_BANDS = {"growth area": N_("growth"), "in between": N_("between"), "strength": N_("strength")}

# Okabe-Ito
ORANGE, SKY, GREEN, YELLOW, BLUE, VERMILLION, PURPLE = (
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#0072B2",
    "#D55E00",
    "#CC79A7",
)
GREY, LIGHT_GREY, TEXT = "#BBBBBB", "#E8E8E8", "#222222"
BAND_FILL = {"growth area": ORANGE, "in between": LIGHT_GREY, "strength": SKY}
ANSWER_FILL = {1: VERMILLION, 2: ORANGE, 3: GREY, 4: SKY, 5: BLUE}
COUPLE_FILL = {"shared strength": BLUE, "shared growth area": ORANGE, "far apart": VERMILLION, "other": LIGHT_GREY}
COMBINED_FILL = "#FFFFFF"
COMBINED_HATCH = "///"
FONT = 15
TITLE_FONT = 18


# Width in inches: at 100 dpi about 1000 px, the width a 1280-pixel projector gives a notebook's output,
# so the chart is not shrunk and its smallest lettering stays at least the page's text size.
CHART_WIDTH = 10.0


def _axes(ax, rows: int, *, width: float = CHART_WIDTH, per_row: float = 0.76, extra: float = 1.85):
    # A figure of its own, not pyplot's: 07 draws its first chart in a thread while the page loads, and a
    # pyplot figure would be shown by the notebook as a stray picture under the cell (and pyplot's state
    # is not made for two threads). Show it with ax.figure, or draw into an ax of your own.
    if ax is None:
        from matplotlib.figure import Figure

        ax = Figure(figsize=(width, extra + per_row * max(rows, 1)), layout="constrained").add_subplot()
    return ax


def _tidy(ax, title: str | None) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if title:
        # wrapped so that it never makes the picture wider than the chart (a wider picture is shrunk)
        ax.set_title(textwrap.fill(title, 58), fontsize=TITLE_FONT, loc="left", pad=26, fontweight="bold")


def _ink(fill: str) -> str:
    """White text on dark fills, dark text on light ones."""
    return "white" if fill in (BLUE, VERMILLION) else TEXT


def _segment(ax, y, left, width, fill, label, *, combined=False, height=0.62, min_label=7.0):
    ax.barh(
        y,
        width,
        left=left,
        height=height,
        color=COMBINED_FILL if combined else fill,
        edgecolor=TEXT if combined else "white",
        hatch=COMBINED_HATCH if combined else None,
        linewidth=1.2,
        zorder=2,
    )
    if width >= min_label and label:
        ax.text(
            left + width / 2,
            y,
            label,
            ha="center",
            va="center",
            fontsize=FONT,
            fontweight="bold",
            color=TEXT if combined else _ink(fill),
            zorder=3,
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none"} if combined else None,
        )


def _hidden(note) -> str:
    """What a hidden row says on the chart: the reason's first part, saying "not shown" once.

    >>> _hidden("the split is not shown: it would tell each person's answer")
    'the split is not shown'
    >>> _hidden("fewer than 5 people: not shown, so that nobody's answers can be worked out")
    'not shown: fewer than 5 people'
    """
    head = str(note).split(":")[0].strip()
    return head if _("not shown") in head else _("not shown: {reason}").format(reason=head)


def _area_label(title: str, n, mean=None) -> str:
    head = textwrap.fill(str(title), 24)
    if pd.isna(n):
        return head
    if mean is None or pd.isna(mean):
        tail = _("n = {n}").format(n=int(n))
    else:
        tail = _("n = {n}, mean {mean}").format(n=int(n), mean=number(float(mean)))
    return f"{head}\n{tail}"


# -- the room's strengths and weak spots -----------------------------------------------------------
def band_chart(shares: pd.DataFrame, *, ax=None, title: str | None = None):
    """One 100 % bar per area, strongest area on top: the share of people in each band.

    ``shares`` is :func:`reconnect.results.group.band_shares`. Growth area is always on the left, strength
    on the right; combined categories are white with hatching and named on the bar.

    Examples
    --------
    >>> import pandas as pd
    >>> data = pd.DataFrame({"rank": [1, 1], "area": ["a", "a"], "title": ["Trust", "Trust"], "n": [8, 8],
    ...     "mean_score": [60.0, 60.0], "category": ["growth area or in between", "strength"],
    ...     "first": [0, 2], "last": [1, 2], "count": [5, 3], "share": [62.5, 37.5], "note": ["", ""]})
    >>> [t.get_text() for t in band_chart(data).get_yticklabels()]
    ['Trust\\nn = 8, mean 60']
    """
    areas = list(dict.fromkeys(shares.sort_values("rank", kind="stable")["area"]))
    ax = _axes(ax, len(areas))
    labels = []
    for pos, area in enumerate(areas):
        y = len(areas) - 1 - pos
        cells = shares[shares["area"] == area].sort_values("first", na_position="last")
        first = cells.iloc[0]
        labels.append((y, _area_label(first["title"], first["n"], first["mean_score"])))
        if pd.isna(first["count"]):
            ax.text(1, y, _hidden(first["note"]), va="center", fontsize=FONT, style="italic")
            continue
        left = 0.0
        for cell in cells.itertuples():
            combined = cell.first != cell.last
            names = [_(SHORT_BANDS[b]) for b in str(cell.category).split(" or ")]
            short = names[0]
            for name in names[1:]:
                short = _("{first} or {second}").format(first=short, second=name)
            # a combined name is long: on a narrow block it would spill over its neighbours, so only the share
            text = _pct(cell.share) if cell.share < (34 if combined else 22) else f"{short}\n{_pct(cell.share)}"
            _segment(ax, y, left, float(cell.share), BAND_FILL.get(str(cell.category), GREY), text, combined=combined)
            left += float(cell.share)
    ax.set_yticks([y for y, _ in labels], [t for _, t in labels], fontsize=FONT)
    ax.set_xlim(0, 100)
    ax.set_ylim(-0.6, len(areas) - 0.4)
    ax.set_xticks([0, 25, 50, 75, 100], [_pct(t) for t in (0, 25, 50, 75, 100)], fontsize=FONT - 2)
    ax.set_xlabel(_("share of the people who rated the area ({note})").format(note=_(SCORE_NOTE)), fontsize=FONT - 1)
    _legend(
        ax,
        [
            (band_label("growth area"), BAND_FILL["growth area"], False),
            (band_label("in between"), BAND_FILL["in between"], False),
            (band_label("strength"), BAND_FILL["strength"], False),
            (_("bands combined (small groups)"), COMBINED_FILL, True),
        ],
    )
    _tidy(ax, title or _("Where the room sees its strengths and growth areas (strongest on top)"))
    return ax


def _legend(ax, entries, *, ncol=None):
    from matplotlib.patches import Patch

    handles = [
        Patch(
            facecolor=fill, edgecolor=TEXT if hatch else "#888888", hatch=COMBINED_HATCH if hatch else None, label=name
        )
        for name, fill, hatch in entries
    ]
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.14),
        ncol=ncol or len(handles),
        fontsize=FONT - 2,
        frameon=False,
        handlelength=1.6,
    )


# -- how the scores spread --------------------------------------------------------------------------
def _band_regions(ax, bank: ItemBank) -> None:
    from .charts import shade_bands

    shade_bands(ax, bank, fills=BAND_FILL, alpha=0.25, alpha_between=0.5, fontsize=FONT, color="black")


def spread_chart(spread: pd.DataFrame, *, bank: ItemBank, order: list[str] | None = None, ax=None, title=None):
    """Per area, the middle half of the room's scores (a bar) and the median (a diamond with its value).

    ``spread`` is :func:`reconnect.results.group.score_spread`; ``order`` lists area ids top to bottom.

    Examples
    --------
    >>> import pandas as pd
    >>> from reconnect.bank.content import load_item_bank
    >>> data = pd.DataFrame({"area": ["a"], "title": ["Trust"], "n": [9], "q25": [40.0], "median": [55.0],
    ...     "q75": [70.0], "note": [""]})
    >>> len(spread_chart(data, bank=load_item_bank()).patches) > 0
    True
    """
    order = order or list(spread["area"])
    ax = _axes(ax, len(order))
    _band_regions(ax, bank)
    labels = []
    for pos, area in enumerate(order):
        y = len(order) - 1 - pos
        row = spread[spread["area"] == area].iloc[0]
        labels.append((y, _area_label(row["title"], row["n"])))
        if pd.isna(row["n"]):
            ax.text(2, y, _hidden(row["note"]), va="center", fontsize=FONT, style="italic")
            continue
        ax.barh(y, row["q75"] - row["q25"], left=row["q25"], height=0.45, color=BLUE, alpha=0.85, zorder=2)
        ax.plot([row["median"]], [y], marker="D", markersize=16, color=YELLOW, mec=TEXT, mew=2, zorder=3)
        median = _("median {value}").format(value=number(row["median"]))
        ax.text(row["median"], y + 0.34, median, ha="center", va="bottom", fontsize=FONT, zorder=4)
        ax.text(row["q25"] - 1, y, number(row["q25"]), ha="right", va="center", fontsize=FONT - 1, zorder=4)
        ax.text(row["q75"] + 1, y, number(row["q75"]), ha="left", va="center", fontsize=FONT - 1, zorder=4)
    ax.set_yticks([y for y, _ in labels], [t for _, t in labels], fontsize=FONT)
    ax.set_xlim(0, 100)
    ax.set_ylim(-0.6, len(order) - 0.2)
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.tick_params(axis="x", labelsize=FONT - 2)
    ax.set_xlabel(
        _("score 0-100: the bar holds the middle half of the room ({note})").format(note=_(SCORE_NOTE)),
        fontsize=FONT - 1,
    )
    _tidy(ax, title or _("How the scores spread: the middle half of the room and the median"))
    return ax


# -- every statement of one area (Heiberger-Robbins diverging stacked bars) -------------------------
def statement_chart(counts: pd.DataFrame, *, bank: ItemBank, ax=None, title: str | None = None):
    """Diverging stacked bars, one per statement: answers 1-2 to the left of zero, 3 centred on it,
    4-5 to the right (Heiberger and Robbins). Combined answers are hatched and named.

    ``counts`` is :func:`reconnect.results.group.statement_counts`.

    Examples
    --------
    >>> import pandas as pd
    >>> from reconnect.bank.content import load_item_bank
    >>> rows = [{"item": "x1", "text": "I talk.", "reverse": False, "n": 10, "category": str(v), "first": v,
    ...     "last": v, "count": 2, "share": 20.0, "note": ""} for v in range(1, 6)]
    >>> ax = statement_chart(pd.DataFrame(rows), bank=load_item_bank())
    >>> round(ax.get_xlim()[0])
    -100
    """
    items = list(dict.fromkeys(counts["item"]))
    ax = _axes(ax, len(items), per_row=0.62, extra=1.9)
    middle = (bank.scale_min + bank.scale_max) / 2
    labels = []
    for pos, item in enumerate(items):
        y = len(items) - 1 - pos
        cells = counts[counts["item"] == item].sort_values("first", na_position="last")
        first = cells.iloc[0]
        statement = str(first["text"])
        if bool(first["reverse"]):
            statement = _("{statement} (reverse-worded)").format(statement=statement)
        text = textwrap.fill(statement, 40)
        labels.append((y, text))
        if pd.isna(first["count"]):
            ax.text(-95, y, _hidden(first["note"]), va="center", fontsize=FONT, style="italic")
            continue
        _statement_bar(ax, y, cells, bank=bank, middle=middle)
    ax.axvline(0, color=TEXT, lw=1.5, zorder=1)
    ax.set_yticks([y for y, _ in labels], [t for _, t in labels], fontsize=FONT - 2)
    ax.set_xlim(-100, 100)
    ax.set_ylim(-0.6, len(items) - 0.4)
    ticks = [-100, -50, 0, 50, 100]
    ax.set_xticks(ticks, [_pct(abs(t)) for t in ticks], fontsize=FONT - 2)
    ax.set_xlabel(_("share of people: less true of me  ←  |  →  more true of me"), fontsize=FONT - 1)
    entries = [(f"{v} {label}", ANSWER_FILL[v], False) for v, label in bank.scale]
    if (counts["last"].dropna() > bank.scale_max).any():
        entries.append((_("no answer (left open), at the right end"), LIGHT_GREY, False))
    _legend(ax, [*entries, (_("answers combined (small groups)"), COMBINED_FILL, True)], ncol=3)
    _tidy(ax, title)
    return ax


def _statement_bar(ax, y: float, cells: pd.DataFrame, *, bank: ItemBank, middle: float) -> None:
    """One statement's diverging bar: the middle answer centred on zero, lower answers to its left, higher to
    its right, "no answer" at the right edge."""
    centre = cells[(cells["first"] <= middle) & (cells["last"] >= middle)]
    half = float(centre["share"].sum()) / 2
    left_edge, right_edge = -half, half
    for cell in centre.itertuples():
        _segment(
            ax,
            y,
            -half,
            float(cell.share),
            ANSWER_FILL.get(int(cell.first), GREY),
            _answer_label(cell),
            combined=cell.first != cell.last,
        )
    for cell in cells[cells["last"] < middle].sort_values("first", ascending=False).itertuples():
        left_edge -= float(cell.share)
        _segment(
            ax,
            y,
            left_edge,
            float(cell.share),
            ANSWER_FILL[int(cell.first)],
            _answer_label(cell),
            combined=cell.first != cell.last,
        )
    for cell in cells[(cells["first"] > middle) & (cells["first"] <= bank.scale_max)].sort_values("first").itertuples():
        _segment(
            ax,
            y,
            right_edge,
            float(cell.share),
            ANSWER_FILL.get(int(cell.last), GREY),
            _answer_label(cell, bank.scale_max),
            combined=cell.first != cell.last,
        )
        right_edge += float(cell.share)
    for cell in cells[cells["first"] > bank.scale_max].itertuples():  # "no answer": at the right edge
        none = _("none {share}").format(share=_pct(cell.share))
        _segment(ax, y, 100 - float(cell.share), float(cell.share), LIGHT_GREY, none)


def _answer_label(cell, scale_max: int = 5) -> str:
    share = _pct(cell.share)
    if cell.first == cell.last:
        return share
    if cell.last > scale_max:  # the last answers combined with "no answer"
        if cell.first == scale_max:
            return _("answer {first} or no answer: {share}").format(first=cell.first, share=share)
        return _("answers {first} to {last} or no answer: {share}").format(
            first=cell.first, last=scale_max, share=share
        )
    return _("answers {first} to {last}: {share}").format(first=cell.first, last=cell.last, share=share)


# -- change between sessions ------------------------------------------------------------------------
def change_chart(
    change: pd.DataFrame,
    *,
    bank: ItemBank,
    first: str,
    second: str,
    order: list[str] | None = None,
    ax=None,
    title=None,
):
    """Per area, the mean score of the same people in two sessions: an open circle, an arrow, a dot.

    Examples
    --------
    >>> import pandas as pd
    >>> from reconnect.bank.content import load_item_bank
    >>> data = pd.DataFrame({"area": ["a"], "title": ["Trust"], "n_paired": [9], "mean_first": [50.0],
    ...     "mean_second": [58.0], "change": [8.0], "note": [""]})
    >>> [float(x) for x in change_chart(data, bank=load_item_bank(), first="before", second="after").get_xlim()]
    [0.0, 100.0]
    """
    if order:
        change = change.set_index("area").loc[order].reset_index()
    ax = _axes(ax, len(change))
    _band_regions(ax, bank)
    labels = []
    for pos, row in enumerate(change.itertuples()):
        y = len(change) - 1 - pos
        labels.append((y, _area_label(row.title, row.n_paired)))
        if pd.isna(row.n_paired):
            ax.text(2, y, _hidden(row.note), va="center", fontsize=FONT, style="italic")
            continue
        a, b = float(row.mean_first), float(row.mean_second)
        ax.annotate("", xy=(b, y), xytext=(a, y), arrowprops={"arrowstyle": "-|>", "lw": 3, "color": TEXT}, zorder=2)
        ax.plot([a], [y], "o", ms=15, mfc="white", mec=TEXT, mew=2.5, zorder=3)
        ax.plot([b], [y], "o", ms=15, color=BLUE, mec=TEXT, mew=1.5, zorder=3)
        lo, hi = (a, b) if a <= b else (b, a)
        ax.text(lo - 2, y, number(a if a <= b else b), ha="right", va="center", fontsize=FONT)
        ax.text(hi + 2, y, number(hi), ha="left", va="center", fontsize=FONT)
        moved = shown_change(a, b)  # the difference of the two numbers on the chart
        sign = "+" if moved >= 0 else "−"
        ax.text(
            (a + b) / 2,
            y + 0.3,
            f"{sign}{abs(moved)}",
            ha="center",
            va="bottom",
            fontsize=FONT,
            fontweight="bold",
        )
    ax.set_yticks([y for y, _ in labels], [t for _, t in labels], fontsize=FONT)
    ax.set_xlim(0, 100)
    ax.set_ylim(-0.6, len(change) - 0.2)
    ax.set_xticks(sorted({0, 25, bank.growth_below, bank.strength_from, 100}))  # where the bands change
    ax.tick_params(axis="x", labelsize=FONT - 2)
    words = _("mean score 0-100 of the people who answered both times: ○ {first} → ● {second}").format(
        first=session_label(first), second=session_label(second)
    )
    ax.set_xlabel(f"{words}\n({_(SCORE_NOTE)})", fontsize=FONT - 1)
    _tidy(
        ax,
        title
        or _("What changed from '{first}' to '{second}'").format(
            first=session_label(first), second=session_label(second)
        ),
    )
    return ax


# -- couples ----------------------------------------------------------------------------------------
def couples_chart(couples: pd.DataFrame, *, order: list[str] | None = None, ax=None, title=None):
    """Per area, how the couples in the room relate: shared strength, shared growth area, far apart.

    ``couples`` is :func:`reconnect.results.group.couple_agreement`; counts are couples, never who.

    Examples
    --------
    >>> import pandas as pd
    >>> data = pd.DataFrame({"area": ["a", "a"], "title": ["Trust", "Trust"], "n_couples": [6, 6],
    ...     "category": ["shared strength", "other"], "count": [3, 3], "share": [50.0, 50.0], "note": ["", ""]})
    >>> [float(x) for x in couples_chart(data).get_xlim()]
    [0.0, 100.0]
    """
    order = order or list(dict.fromkeys(couples["area"]))
    ax = _axes(ax, len(order))
    labels = []
    for pos, area in enumerate(order):
        y = len(order) - 1 - pos
        cells = couples[couples["area"] == area]
        first = cells.iloc[0]
        head = textwrap.fill(str(first["title"]), 24)
        if pd.isna(first["n_couples"]):
            labels.append((y, head))
        else:
            labels.append((y, f"{head}\n" + _("{n} couples").format(n=int(first["n_couples"]))))
        if pd.isna(first["count"]):
            ax.text(1, y, _hidden(first["note"]), va="center", fontsize=FONT, style="italic")
            continue
        shown = cells[cells["count"] > 0]
        if len(shown) == 1 and " or " in str(shown.iloc[0]["category"]):
            # one combined block across the whole row tells nothing: say so instead of hatching it all
            ax.text(
                1,
                y,
                _("too few couples to tell apart: all in one combined group"),
                va="center",
                fontsize=FONT,
                style="italic",
            )
            continue
        left = 0.0
        for cell in cells.itertuples():
            if cell.count == 0:
                continue
            combined = " or " in str(cell.category)
            fill = COUPLE_FILL.get(str(cell.category), GREY)
            text = f"{cell.count}" if cell.share < 40 or combined else f"{_category(cell.category)}: {cell.count}"
            _segment(ax, y, left, float(cell.share), fill, text, combined=combined)
            left += float(cell.share)
    ax.set_yticks([y for y, _ in labels], [t for _, t in labels], fontsize=FONT)
    ax.set_xlim(0, 100)
    ax.set_ylim(-0.6, len(order) - 0.4)
    ax.set_xticks([0, 25, 50, 75, 100], [_pct(t) for t in (0, 25, 50, 75, 100)], fontsize=FONT - 2)
    ax.set_xlabel(_("share of the couples in the room (numbers on the bars are couples)"), fontsize=FONT - 1)
    _legend(
        ax,
        [(_category(k), v, False) for k, v in COUPLE_FILL.items()]
        + [(_("combined (small groups)"), COMBINED_FILL, True)],
        ncol=3,
    )
    _tidy(ax, title or _("Couples: shared strengths, shared growth areas, far apart"))
    return ax
