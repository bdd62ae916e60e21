"""The text alternative of each projector chart: the same protected numbers as sentences, no drawing.

Every chart of :mod:`reconnect.output.group_charts` has its text here, beside the group numbers of
:mod:`reconnect.results.group` it reads: one sentence plus the values, for screen readers, 07's dashboard
and the handout.
"""

from __future__ import annotations

import pandas as pd

from ..bank.i18n import _, number, percent
from ..records.participant import session_label
from .scoring import band_label, shown_change


def _category(category) -> str:
    """A category of a protected frame in the reader's words; a combined one ("4 or 5") joined with "or".

    >>> _category("growth area or in between"), _category("no answer")
    ('growth area or in between', 'no answer')
    """
    parts = [band_label(p) if band_label(p) != p else _(p) for p in str(category).split(" or ")]
    out = parts[0]
    for part in parts[1:]:
        out = _("{first} or {second}").format(first=out, second=part)
    return out


def _pct(share: float) -> str:
    return percent(float(share) / 100)


def band_chart_text(shares: pd.DataFrame) -> str:
    """Text alternative for :func:`reconnect.output.group_charts.band_chart`."""
    lines = []
    for area in dict.fromkeys(shares.sort_values("rank", kind="stable")["area"]):
        cells = shares[shares["area"] == area]
        first = cells.iloc[0]
        if pd.isna(first["n"]):
            lines.append(f"- {first['title']}: {first['note']}")
        else:
            head = _("{area} ({n} people, mean {mean})").format(
                area=first["title"], n=first["n"], mean=number(first["mean_score"])
            )
            if pd.isna(first["count"]):
                lines.append(f"- {head}: {first['note']}")
            else:
                parts = ", ".join(f"{_category(c.category)} {_pct(c.share)} ({c.count})" for c in cells.itertuples())
                lines.append(f"- {head}: {parts}")
    intro = _(
        "For each area, the share of people whose self-rating falls in each band, from the room's strongest "
        "area to its weakest:"
    )
    return intro + "\n" + "\n".join(lines)


def spread_chart_text(spread: pd.DataFrame, *, order: list[str] | None = None) -> str:
    """Text alternative for :func:`reconnect.output.group_charts.spread_chart`."""
    order = order or list(spread["area"])
    lines = []
    for area in order:
        r = spread[spread["area"] == area].iloc[0]
        if pd.isna(r["n"]):
            lines.append(f"- {r['title']}: {r['note']}")
        else:
            words = _("{area} ({n} people): median {median}, middle half {low} to {high}").format(
                area=r["title"], n=r["n"], median=number(r["median"]), low=number(r["q25"]), high=number(r["q75"])
            )
            lines.append(f"- {words}")
    intro = _("How the scores spread in each area: the median and the range holding the middle half of the people.")
    return intro + "\n" + "\n".join(lines)


def statement_chart_text(counts: pd.DataFrame) -> str:
    """Text alternative for :func:`reconnect.output.group_charts.statement_chart`."""
    lines = []
    for item in dict.fromkeys(counts["item"]):
        cells = counts[counts["item"] == item]
        first = cells.iloc[0]
        quoted = _('"{statement}"').format(statement=first["text"])
        if bool(first["reverse"]):
            quoted = _("{statement} (reverse-worded)").format(statement=quoted)
        if pd.isna(first["count"]):
            lines.append(f"- {quoted}: {first['note']}")
        else:
            parts = ", ".join(f"{_category(c.category)} {_pct(c.share)} ({c.count})" for c in cells.itertuples())
            head = _("{statement} ({n} people)").format(statement=quoted, n=first["n"])
            lines.append(f"- {head}: {parts}")
    intro = _("How many people chose each answer for every statement of this area:")
    return intro + "\n" + "\n".join(lines)


def change_chart_text(change: pd.DataFrame, *, first: str, second: str) -> str:
    """Text alternative for :func:`reconnect.output.group_charts.change_chart`."""
    lines = []
    for r in change.itertuples():
        if pd.isna(r.n_paired):
            lines.append(f"- {r.title}: {r.note}")
        else:
            words = _("{area} ({n} people): {first} → {second} ({change})").format(
                area=r.title,
                n=r.n_paired,
                first=number(r.mean_first),
                second=number(r.mean_second),
                change=f"{shown_change(r.mean_first, r.mean_second):+d}",
            )
            lines.append(f"- {words}")
    intro = _("Mean scores of the people who answered in both sessions, '{first}' then '{second}':").format(
        first=session_label(first), second=session_label(second)
    )
    return intro + "\n" + "\n".join(lines)


def couples_chart_text(couples: pd.DataFrame, *, order: list[str] | None = None) -> str:
    """Text alternative for :func:`reconnect.output.group_charts.couples_chart`."""
    order = order or list(dict.fromkeys(couples["area"]))
    lines = []
    for area in order:
        cells = couples[couples["area"] == area]
        first = cells.iloc[0]
        if pd.isna(first["count"]):
            lines.append(f"- {first['title']}: {first['note']}")
        else:
            parts = ", ".join(f"{_category(c.category)} {c.count}" for c in cells.itertuples())
            head = _("{area} ({n} couples)").format(area=first["title"], n=first["n_couples"])
            lines.append(f"- {head}: {parts}")
    intro = _(
        "For each area, how many couples share a strength, share a growth area, or are far apart "
        "(25 points or more between the partners); no couple is named:"
    )
    return intro + "\n" + "\n".join(lines)
