"""Charts in matplotlib: tidy data in, ``ax=None`` in, the Axes out, no global style change.

Colours are Okabe-Ito, and meaning never rests on colour alone: bands carry their names as text,
and every bar carries its value. Each chart has a text alternative function beside it.
"""

from __future__ import annotations

import pandas as pd

from .content import ItemBank
from .scoring import NOT_RATED, SCORE_NOTE

# Okabe-Ito, chosen to stay distinct for colour-vision deficiency and in greyscale.
BAND_COLOURS = {"growth area": "#E69F00", "in between": "#F0F0F0", "strength": "#56B4E9"}
BAR_COLOUR = "#0072B2"
TEXT_COLOUR = "#222222"


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
    >>> from reconnect.content import load_item_bank
    >>> ax = score_bars(pd.DataFrame({"label": ["Trust"], "score": [62.5]}), bank=load_item_bank())
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['Trust']
    """
    import matplotlib.pyplot as plt

    if ax is None:
        height = 1.1 + 0.55 * max(len(data), 1)
        _, ax = plt.subplots(figsize=(7.5, height), layout="constrained")
    regions = (
        (0, bank.growth_below, "growth area"),
        (bank.growth_below, bank.strength_from, "in between"),
        (bank.strength_from, 100, "strength"),
    )
    for lo, hi, name in regions:
        ax.axvspan(lo, hi, color=BAND_COLOURS[name], alpha=0.35 if name != "in between" else 0.6, lw=0, zorder=0)
        ax.text(
            (lo + hi) / 2,
            1.0,
            name,
            transform=ax.get_xaxis_transform(),
            ha="center",
            va="bottom",
            fontsize=11,
            color=TEXT_COLOUR,
        )
    labels = list(data[label].astype(str))
    scores = list(data[score])
    positions = range(len(labels))[::-1]
    for y, value in zip(positions, scores):
        if pd.isna(value):
            ax.text(2, y, NOT_RATED, va="center", ha="left", fontsize=12, style="italic", color=TEXT_COLOUR)
            continue
        ax.barh(y, value, height=0.6, color=BAR_COLOUR, zorder=2)
        inside = value > 88
        ax.text(
            value - 1.5 if inside else value + 1.5,
            y,
            f"{value:.0f}",
            va="center",
            ha="right" if inside else "left",
            fontsize=13,
            fontweight="bold",
            color="white" if inside else TEXT_COLOUR,
            zorder=3,
        )
    ax.set_yticks(list(positions), labels, fontsize=12)
    ax.set_xlim(0, 100)
    ax.set_ylim(-0.6, len(labels) - 0.4)
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.tick_params(axis="x", labelsize=11)
    ax.set_xlabel(f"score 0-100 ({SCORE_NOTE})", fontsize=11)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if title:
        ax.set_title(title, fontsize=14, loc="left", pad=22)
    return ax


def score_bars_text(data: pd.DataFrame, *, bank: ItemBank, label: str = "label", score: str = "score") -> str:
    """Text alternative for :func:`score_bars`: one sentence plus the values."""
    from .scoring import band_for

    lines = []
    for name, value in zip(data[label], data[score]):
        if pd.isna(value):
            lines.append(f"- {name}: {NOT_RATED}")
        else:
            lines.append(f"- {name}: {value:.0f} of 100 ({band_for(value, bank)})")
    sentence = (
        f"Scores from 0 to 100 ({SCORE_NOTE}); below {bank.growth_below:.0f} is a growth area, "
        f"{bank.strength_from:.0f} or more is a strength."
    )
    return sentence + "\n" + "\n".join(lines)
