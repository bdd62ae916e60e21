"""Shared fixtures for the group tests: small stores with hand-chosen ratings."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from reconnect.bank.content import load_item_bank
from reconnect.records.codes import CODE_ALPHABET
from reconnect.records.store import Submission, save_submission

BANK = load_item_bank()
START = datetime(2026, 11, 3, 18, 0, tzinfo=timezone.utc)


def code(i: int) -> str:
    a = CODE_ALPHABET
    return f"{a[i % 25]}{a[(i // 25) % 25]}C-DEF"


def submission(person: int, area: str, level: int, *, session="before", workshop="TUE", couple="", minute=0):
    """Every statement answered so that the recoded value is ``level`` (score 25 * (level - 1))."""
    items = BANK.area(area).items
    ratings = {i.id: (6 - level if i.reverse else level) for i in items}
    return Submission(
        participant=code(person),
        area=area,
        ratings=ratings,
        session=session,
        workshop=workshop,
        couple=couple,
        bank_version=BANK.version,
        saved_at=START + timedelta(minutes=minute + person),
    )


def make_store(root: Path, levels: list[int], *, area="self_esteem", session="before", workshop="TUE", couples=None):
    """One submission per person with the given levels; ``couples`` maps person index -> couple code."""
    couples = couples or {}
    for person, level in enumerate(levels):
        save_submission(
            root,
            submission(person, area, level, session=session, workshop=workshop, couple=couples.get(person, "")),
            bank=BANK,
        )
    return root
