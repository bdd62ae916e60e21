"""Hand-made data folders for the profile, couple and report tests (no randomness)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from reconnect.bank.content import load_item_bank
from reconnect.records.participant import Settings, save_settings
from reconnect.records.store import Submission, save_submission

BANK = load_item_bank()
T0 = datetime(2026, 10, 6, 18, 0, tzinfo=timezone.utc)
ME, PARTNER, THIRD = "KM7-4TX", "ACD-EFG", "HJK-MNP"


def keyed_to_raw(area: str, keyed: list[int | None]) -> dict[str, int | None]:
    """Ratings that give the wanted *keyed* values (reverse-worded statements get 6 - value)."""
    items = BANK.area(area).items
    assert len(keyed) == len(items)
    return {
        i.id: (None if k is None else (BANK.scale_min + BANK.scale_max - k if i.reverse else k))
        for i, k in zip(items, keyed)
    }


def rate(
    home: Path,
    code: str,
    area: str,
    keyed: list[int | None],
    *,
    session: str = "before",
    couple: str = "",
    minutes: int = 0,
    bank_version: str | None = None,
) -> None:
    save_submission(
        home,
        Submission(
            participant=code,
            area=area,
            ratings=keyed_to_raw(area, keyed),
            session=session,
            couple=couple,
            bank_version=bank_version or BANK.version,
            saved_at=T0 + timedelta(minutes=minutes),
        ),
        bank=BANK,
    )


def all_areas(home: Path, code: str, values: dict[str, int], **kw) -> None:
    """Rate every area with the same keyed value on every statement (score = 25 * (value - 1))."""
    start = kw.pop("minutes", 0)
    for n, area in enumerate(BANK.areas):
        rate(home, code, area.id, [values[area.id]] * 6, minutes=start + n, **kw)


def settings(
    home: Path, code: str, *, couple: str = "", share: bool = False, name: str = "", sensitive: bool = False
) -> None:
    save_settings(
        home,
        Settings(code=code, couple=couple, share_with_partner=share, display_name=name, share_sensitive=sensitive),
        make_current=False,
    )


def couple_folder(
    home: Path, *, me_share: bool, partner_share: bool, partner_rates: bool = True, sensitive: bool = True
) -> Path:
    """Me and my partner with couple code 'OURS'; scores chosen to hit every agreement category.

    With ``sensitive`` (the default here) both also share the statements marked sensitive, so the view
    shows exact scores and compares every statement; without it, the areas holding one are shown to
    the 12.5-point step with no statement compared (issue 22, tests/test_privacy_enumeration.py).
    """
    settings(home, ME, couple="OURS", share=me_share, name="Alex", sensitive=sensitive)
    settings(home, PARTNER, couple="OURS", share=partner_share, name="Sam", sensitive=sensitive)
    mine = {"self_esteem": 5, "distrust": 2, "insecurity": 3, "communication": 4, "foundation": 4}
    theirs = {"self_esteem": 4, "distrust": 1, "insecurity": 5, "communication": 3, "foundation": 4}
    # keyed means -> scores: me 100, 25, 50, 75, 75; partner 75, 0, 100, 50, 75
    for n, area in enumerate(BANK.areas):
        rate(home, ME, area.id, [mine[area.id]] * 6, couple="OURS", minutes=n)
        if partner_rates:
            rate(home, PARTNER, area.id, [theirs[area.id]] * 6, couple="OURS", minutes=10 + n)
    return home
