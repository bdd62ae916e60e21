"""The safety wording beside every result: the line for someone who is afraid, and the bank's domestic-violence line.

Every page and PDF that shows results (01-06, the report) puts these next to them (design.md §5); the
domestic-violence line is the first help line of the item bank that names it, in the bank's language.
"""

from __future__ import annotations

from .i18n import N_
from .model import ItemBank

# The short safety line of every view and page about the two of you (with the bank's DV line).
AFRAID_LINE = N_(
    "Do you feel afraid of your partner? Do they control, threaten or hurt you? Then skip the exercises and "
    "talks meant for the two of you. Talk to someone on your own first."
)


def dv_line(bank: ItemBank) -> str:
    """The item bank's domestic-violence line (the help line that names it), or every help line."""
    lines = [line for line in bank.help if is_dv_line(line)]
    return " ".join(lines) if lines else " ".join(bank.help)


def is_dv_line(line: str) -> bool:
    """Whether a help line is for people facing partner violence or abuse (in any bank's language).

    Examples
    --------
    >>> is_dv_line("En España, el 016 atiende la violencia contra las mujeres.")
    True
    >>> is_dv_line("If you are in danger right now, call your local emergency number.")
    False
    """
    low = line.lower()
    return any(word in low for word in _DV_WORDS)


# How a help line that names domestic violence or abuse is recognised, in each item bank's language.
_DV_WORDS = ("domestic", "abuse", "doméstica", "violencia", "maltrato")
