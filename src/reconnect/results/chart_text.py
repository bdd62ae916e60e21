"""The text alternative of each personal chart: the same numbers as sentences, with no drawing.

Every chart of :mod:`reconnect.output.charts` has its text here, so that the results (06's profile, its
PDF) can say what a chart shows without importing the drawing layer, and a screen reader gets the
same values as the picture.
"""

from __future__ import annotations

import pandas as pd

from ..bank.i18n import _, number
from ..bank.model import ItemBank
from ..records.participant import session_label
from .scoring import NOT_RATED, SCORE_NOTE, band_label


def _bands_sentence(bank: ItemBank) -> str:
    return _("below {growth} is a growth area, {strength} or more is a strength.").format(
        growth=number(bank.growth_below), strength=number(bank.strength_from)
    )


def score_bars_text(data: pd.DataFrame, *, bank: ItemBank, label: str = "label", score: str = "score") -> str:
    """Text alternative for :func:`score_bars`: one sentence plus the values."""
    from .scoring import band_for

    lines = []
    for name, value in zip(data[label], data[score]):
        if pd.isna(value):
            lines.append(f"- {name}: {band_label(NOT_RATED)}")
        else:
            score_text = _("{score} of 100").format(score=number(value))
            lines.append(f"- {name}: {score_text} ({band_label(band_for(value, bank))})")
    sentence = _("Scores from 0 to 100 ({note}); {bands}").format(note=_(SCORE_NOTE), bands=_bands_sentence(bank))
    return sentence + "\n" + "\n".join(lines)


def _ordered(values) -> list:
    return list(dict.fromkeys(str(v) for v in values))


def score_of(rows: pd.DataFrame, *, by: str, key: str, score: str) -> float | None:
    """The score in the first of ``rows`` whose ``by`` is ``key`` (a session, a person); ``None`` if not rated.

    >>> score_of(pd.DataFrame({"who": ["a", "b"], "score": [50.0, None]}), by="who", key="a", score="score")
    50.0
    """
    value = rows.loc[rows[by].astype(str) == key, score]
    return None if not len(value) or pd.isna(value.iloc[0]) else float(value.iloc[0])


def change_dumbbell_text(
    data: pd.DataFrame,
    *,
    bank: ItemBank,
    label: str = "label",
    session: str = "session",
    score: str = "score",
    sessions: list[str] | None = None,
) -> str:
    """Text alternative for :func:`change_dumbbell`: one sentence plus the values per area."""
    from .scoring import change_direction

    labels = _ordered(data[label])
    order = list(sessions) if sessions is not None else _ordered(data[session])
    lines = []
    for name in labels:
        rows = data[data[label].astype(str) == name]
        values = [(s, score_of(rows, by=session, key=s, score=score)) for s in order]
        known = [(s, v) for s, v in values if v is not None]
        parts = ", ".join(f"{session_label(s)} {band_label(NOT_RATED) if v is None else number(v)}" for s, v in values)
        if len(known) > 1:
            change = known[-1][1] - known[0][1]
            parts += "; " + _("change {points} ({direction})").format(
                points=f"{change:+.0f}", direction=band_label(change_direction(change))
            )
        lines.append(f"- {name}: {parts}")
    sentence = _("Scores from 0 to 100 per area in each session ({sessions}); {bands}").format(
        sessions=", ".join(session_label(s) for s in order), bands=_bands_sentence(bank)
    )
    return sentence + "\n" + "\n".join(lines)


def couple_bars_text(
    data: pd.DataFrame,
    *,
    bank: ItemBank,
    label: str = "label",
    person: str = "person",
    score: str = "score",
    note: str | None = None,
    people: list[str] | None = None,
) -> str:
    """Text alternative for :func:`couple_bars`: one sentence plus both values per area."""
    labels = _ordered(data[label])
    who = list(people) if people is not None else _ordered(data[person])[:2]
    lines = []
    for name in labels:
        rows = data[data[label].astype(str) == name]
        parts = []
        for p in who:
            v = score_of(rows, by=person, key=p, score=score)
            shown = band_label(NOT_RATED) if v is None else number(v)
            parts.append(f"{_(p)} {shown}")
        extra = ""
        if note:
            text = rows[note].dropna()
            extra = f" ({band_label(str(text.iloc[0]))})" if len(text) else ""
        lines.append(f"- {name}: {', '.join(parts)}{extra}")
    people_words = _("{first} and {second}").format(first=_(who[0]), second=_(who[1])) if len(who) == 2 else ""
    if len(who) != 2:
        people_words = ", ".join(_(p) for p in who)
    sentence = _("Each person's own score from 0 to 100 per area, side by side ({people}); {bands}").format(
        people=people_words, bands=_bands_sentence(bank)
    )
    return sentence + "\n" + "\n".join(lines)
