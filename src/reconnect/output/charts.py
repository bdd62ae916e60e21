"""Charts in matplotlib: tidy data in, ``ax=None`` in, the Axes out, no global style change.

Colours are Okabe-Ito, and meaning never rests on colour alone: bands carry their names as text,
and every bar carries its value. Each chart's text alternative is in :mod:`reconnect.results.chart_text`.
"""

from __future__ import annotations

import pandas as pd

from ..bank.i18n import N_, _, number
from ..bank.model import ItemBank
from ..records.participant import session_label
from ..results.chart_text import _ordered, score_of
from ..results.scoring import NOT_RATED, SCORE_NOTE, band_label, band_ranges

# Every word on a chart is looked up when the chart is drawn (``_`` at call time), so a figure is in the
# language of the page that draws it. Band, agreement and session names stay English in the data.
#: Column names that may be written as a chart's right-margin header (``note=``).
NOTE_HEADERS = {"agreement": N_("agreement")}


def _score_axis_label() -> str:
    return _("score 0-100 ({note})").format(note=_(SCORE_NOTE))


# Okabe-Ito, chosen to stay distinct for colour-vision deficiency and in greyscale.
BAND_COLOURS = {"growth area": "#E69F00", "in between": "#F0F0F0", "strength": "#56B4E9"}
BAR_COLOUR = "#0072B2"
TEXT_COLOUR = "#222222"


def shade_bands(
    ax,
    bank: ItemBank,
    *,
    fills: dict[str, str] = BAND_COLOURS,
    alpha: float = 0.35,
    alpha_between: float = 0.6,
    fontsize: float = 11,
    color: str = TEXT_COLOUR,
) -> None:
    """Shade the growth / in-between / strength regions of a 0-100 x axis and name them on top.

    The personal charts use the defaults; the projector's charts (:mod:`reconnect.output.group_charts`) pass
    their own fills, strength and lettering. The regions come from :func:`reconnect.results.scoring.band_ranges`.
    """
    for lo, hi, name in band_ranges(bank):
        patch = ax.axvspan(
            lo, hi, color=fills[name], alpha=alpha_between if name == "in between" else alpha, lw=0, zorder=0
        )
        patch.set_gid(f"band:{name}")
        ax.text(
            (lo + hi) / 2,
            1.0,
            band_label(name),
            transform=ax.get_xaxis_transform(),
            ha="center",
            va="bottom",
            fontsize=fontsize,
            color=color,
        )


def score_bars(
    data: pd.DataFrame,
    *,
    bank: ItemBank,
    label: str = "label",
    score: str = "score",
    ax=None,
    title: str | None = None,
):
    """Horizontal bars of 0-100 scores with the band regions shaded and named.

    Missing scores are written as "not yet rated", never drawn as zero.

    Examples
    --------
    >>> import pandas as pd
    >>> from reconnect.bank.content import load_item_bank
    >>> ax = score_bars(pd.DataFrame({"label": ["Trust"], "score": [62.5]}), bank=load_item_bank())
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['Trust']
    """
    import matplotlib.pyplot as plt

    if ax is None:
        height = 1.1 + 0.55 * max(len(data), 1)
        _fig, ax = plt.subplots(figsize=(7.5, height), layout="constrained")
    shade_bands(ax, bank)
    labels = list(data[label].astype(str))
    scores = list(data[score])
    positions = range(len(labels))[::-1]
    for y, value in zip(positions, scores):
        if pd.isna(value):
            ax.text(2, y, band_label(NOT_RATED), va="center", ha="left", fontsize=12, style="italic", color=TEXT_COLOUR)
            continue
        ax.barh(y, value, height=0.6, color=BAR_COLOUR, zorder=2)
        _bar_value(ax, y, value, inside=value > 88, fontsize=13)
    ax.set_yticks(list(positions), labels, fontsize=12)
    _score_axis(ax, len(labels), title=title, pad=22)
    return ax


def _bar_value(ax, y: float, value: float, *, inside: bool, fontsize: int, backing: str | None = None) -> None:
    """A bar's score written at its end: white inside a long bar, dark just beyond a short one.

    ``backing``: a colour behind the number inside the bar (a hatched bar would show through it).
    """
    ax.text(
        value - 1.5 if inside else value + 1.5,
        y,
        number(value),
        va="center",
        ha="right" if inside else "left",
        fontsize=fontsize,
        fontweight="bold",
        color="white" if inside else TEXT_COLOUR,
        zorder=3,
        bbox={"facecolor": backing, "edgecolor": "none", "pad": 1} if backing else None,
    )


def _score_axis(ax, rows: int, *, title: str | None, pad: float) -> None:
    """The 0-100 axis every personal chart shares: limits, ticks, its label, no top or right line, the title."""
    ax.set_xlim(0, 100)
    ax.set_ylim(-0.6, rows - 0.4)
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.tick_params(axis="x", labelsize=11)
    ax.set_xlabel(_score_axis_label(), fontsize=11)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if title:
        ax.set_title(title, fontsize=14, loc="left", pad=pad)


def _finish_score_axis(ax, labels: list[str], *, title: str | None, right_note: bool) -> None:
    import textwrap

    positions = list(range(len(labels)))[::-1]
    ax.set_yticks(positions, [textwrap.fill(t, 20) for t in labels], fontsize=12)
    _score_axis(ax, len(labels), title=title, pad=22 if not right_note else 40)


def _right_note(ax, y: float, text: str, *, header: bool = False) -> None:
    """Text in the right margin of a row (a change, an agreement), outside the plotting area."""
    ax.text(
        1.02,
        y,
        text,
        transform=ax.get_yaxis_transform(),
        ha="left",
        va="center" if not header else "bottom",
        fontsize=12 if not header else 11,
        fontweight="bold" if not header else "normal",
        color=TEXT_COLOUR,
        clip_on=False,
    )


def _below_axis(ax):
    """Axes coordinates shifted below the x label, in points (so it holds for any chart height)."""
    from matplotlib.transforms import offset_copy

    return offset_copy(ax.transAxes, fig=ax.figure, x=0, y=-44, units="points")


def _point_label(ax, x: float, y: float, text: str, *, left: bool, bold: bool) -> None:
    """A value beside a dot (the change chart's x axis has room beyond 0 and 100 for it)."""
    style = {"fontsize": 13 if bold else 12, "fontweight": "bold" if bold else "normal", "color": TEXT_COLOUR}
    ax.text(x - 3.5 if left else x + 3.5, y + 0.02, text, va="center", ha="right" if left else "left", **style)


#: Marker per session (shape carries the session, not colour): first hollow circle, last filled.
SESSION_MARKERS = ("o", "s", "^", "D")


def change_dumbbell(
    data: pd.DataFrame,
    *,
    bank: ItemBank,
    label: str = "label",
    session: str = "session",
    score: str = "score",
    sessions: list[str] | None = None,
    ax=None,
    title: str | None = None,
):
    """Change per area between sessions: one row per area, a dot per session, an arrow first → last.

    ``data`` is long: one row per area and session. The first session is a hollow circle, the last a
    filled one, and the arrow points the way the score moved; the change in points is written in the
    right margin. An area rated in only one session shows that one dot and says so; an area rated in
    none says "not yet rated".

    Examples
    --------
    >>> import pandas as pd
    >>> from reconnect.bank.content import load_item_bank
    >>> d = pd.DataFrame({"label": ["Trust", "Trust"], "session": ["before", "after"], "score": [50.0, 75.0]})
    >>> ax = change_dumbbell(d, bank=load_item_bank())
    >>> sorted(t.get_text() for t in ax.texts if t.get_text().startswith("+"))
    ['+25']
    """
    import matplotlib.pyplot as plt

    labels = _ordered(data[label])
    order = list(sessions) if sessions is not None else _ordered(data[session])
    if ax is None:
        height = 1.6 + 0.6 * max(len(labels), 1)
        _fig, ax = plt.subplots(figsize=(9.5, height), layout="constrained")
    shade_bands(ax, bank)
    markers = {s: SESSION_MARKERS[min(i, len(SESSION_MARKERS) - 1)] for i, s in enumerate(order)}
    last_session = order[-1] if order else None
    _right_note(ax, len(labels) - 0.4, _("change"), header=True)
    for y, name in zip(range(len(labels))[::-1], labels):
        rows = data[data[label].astype(str) == name]
        values = ((s, score_of(rows, by=session, key=s, score=score)) for s in order)
        points = [(s, v) for s, v in values if v is not None]
        if not points:
            ax.text(2, y, band_label(NOT_RATED), va="center", ha="left", fontsize=12, style="italic", color=TEXT_COLOUR)
            continue
        _change_row(ax, y, name, points, markers=markers, last_session=last_session)
    _finish_score_axis(ax, labels, title=title, right_note=True)
    ax.set_xlim(-12, 112)  # room for a value beside a dot at 0 or 100; ticks and bands stay 0-100
    ax.spines["bottom"].set_bounds(0, 100)
    ax.spines["left"].set_visible(False)
    ax.tick_params(axis="y", length=0)
    _session_legend(ax, order, markers=markers, last_session=last_session)
    return ax


def _change_row(ax, y: float, name: str, points: list, *, markers: dict, last_session) -> None:
    """One area's row of the change chart: the arrow first → last, a dot per session, the values beside the
    dots and the change (or the one session rated) in the right margin."""
    (s0, v0), (_s1, v1) = points[0], points[-1]
    if len(points) > 1:
        ax.annotate(
            "",
            xy=(v1, y),
            xytext=(v0, y),
            arrowprops={"arrowstyle": "-|>", "color": BAR_COLOUR, "lw": 2.5, "shrinkA": 7, "shrinkB": 7},
            zorder=2,
        )
    for s, v in points:
        filled = s == last_session and len(points) > 1
        ax.plot(
            [v],
            [y],
            marker=markers[s],
            markersize=12,
            markeredgewidth=2,
            color=BAR_COLOUR,
            markerfacecolor=BAR_COLOUR if filled else "white",
            linestyle="none",
            zorder=3,
            gid=f"point:{name}:{s}",
        )
    lower_first = v0 <= v1
    _point_label(ax, v0, y, number(v0), left=lower_first, bold=False)
    if len(points) > 1:
        _point_label(ax, v1, y, number(v1), left=not lower_first, bold=True)
        _right_note(ax, y, f"{v1 - v0:+.0f}")
    else:
        _right_note(ax, y, _("only '{session}'").format(session=session_label(s0)))


def _session_legend(ax, order: list[str], *, markers: dict, last_session) -> None:
    """The change chart's legend below the x label: one marker per session, the last one filled."""
    from matplotlib.lines import Line2D

    handles = [
        Line2D(
            [],
            [],
            marker=markers[s],
            markersize=11,
            markeredgewidth=2,
            color=BAR_COLOUR,
            markerfacecolor=BAR_COLOUR if (s == last_session and len(order) > 1) else "white",
            linestyle="none",
            label=session_label(s),
        )
        for s in order
    ]
    if handles:
        ax.legend(
            handles=handles,
            title=_("session:"),
            loc="upper left",
            bbox_to_anchor=(0.0, 0.0),
            bbox_transform=_below_axis(ax),
            fontsize=11,
            title_fontsize=11,
            frameon=False,
            ncols=len(handles) + 1,
            borderaxespad=0.0,
            alignment="left",
        )


#: Fill and hatch per person (two carriers besides colour), Okabe-Ito blue and vermillion.
PERSON_STYLES = (
    {"color": "#0072B2", "hatch": "", "edgecolor": "#003f63"},
    {"color": "#D55E00", "hatch": "//", "edgecolor": "#6b2f00"},
)


def couple_bars(
    data: pd.DataFrame,
    *,
    bank: ItemBank,
    label: str = "label",
    person: str = "person",
    score: str = "score",
    note: str | None = None,
    people: list[str] | None = None,
    ax=None,
    title: str | None = None,
):
    """Two people's scores side by side per area, over the shaded bands.

    ``data`` is long: one row per area and person. The first person's bars are solid blue, the
    second's orange with diagonal hatching, each bar carries its value, and the legend names both.
    ``note`` names an optional column written in the right margin (e.g. the agreement per area).
    A missing score is written "not yet rated", never drawn as zero.

    Examples
    --------
    >>> import pandas as pd
    >>> from reconnect.bank.content import load_item_bank
    >>> d = pd.DataFrame({"label": ["Trust"] * 2, "person": ["You", "Your partner"], "score": [80.0, 40.0]})
    >>> ax = couple_bars(d, bank=load_item_bank())
    >>> [round(p.get_width()) for p in ax.patches if (p.get_gid() or "").startswith("bar:")]
    [80, 40]
    """
    import matplotlib.pyplot as plt

    labels = _ordered(data[label])
    who = list(people) if people is not None else _ordered(data[person])[:2]
    if ax is None:
        height = 1.8 + 0.95 * max(len(labels), 1)
        _fig, ax = plt.subplots(figsize=(9.5, height), layout="constrained")
    shade_bands(ax, bank)
    offsets = (0.2, -0.2)
    if note:
        header = NOTE_HEADERS.get(note, note.replace("_", " "))
        _right_note(ax, len(labels) - 0.4, _(header), header=True)
    for y, name in zip(range(len(labels))[::-1], labels):
        rows = data[data[label].astype(str) == name]
        for k, p in enumerate(who):
            value = score_of(rows, by=person, key=p, score=score)
            _person_bar(ax, y + offsets[k], value, name=name, person=p, style=PERSON_STYLES[k])
        if note:
            text = rows[note].dropna()
            if len(text):
                _right_note(ax, y, band_label(str(text.iloc[0])))
    _finish_score_axis(ax, labels, title=title, right_note=bool(note))
    _people_legend(ax, who)
    return ax


def _person_bar(ax, yy: float, value: float | None, *, name: str, person: str, style: dict) -> None:
    """One person's bar in an area's row, its value written on or beside it; "not yet rated" when missing."""
    if value is None:
        words = _("{not_rated} ({person})").format(not_rated=band_label(NOT_RATED), person=_(person))
        ax.text(2, yy, words, va="center", ha="left", fontsize=11, style="italic")
        return
    ax.barh(
        yy,
        value,
        height=0.38,
        color=style["color"],
        hatch=style["hatch"],
        edgecolor=style["edgecolor"],
        linewidth=1,
        zorder=2,
        gid=f"bar:{name}:{person}",
    )
    inside = value > 90
    _bar_value(ax, yy, value, inside=inside, fontsize=12, backing=style["color"] if inside else None)


def _people_legend(ax, who: list[str]) -> None:
    """The couple chart's legend below the x label: each person's fill and hatch with their name."""
    from matplotlib.patches import Patch

    handles = [
        Patch(
            facecolor=PERSON_STYLES[k]["color"],
            hatch=PERSON_STYLES[k]["hatch"],
            edgecolor=PERSON_STYLES[k]["edgecolor"],
            label=_(p),
        )
        for k, p in enumerate(who)
    ]
    ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0.0, 0.0),
        bbox_transform=_below_axis(ax),
        fontsize=12,
        frameon=False,
        ncols=len(handles),
        borderaxespad=0.0,
    )
