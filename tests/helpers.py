"""Helpers shared by the test modules (imported as ``helpers``; the fixtures are in conftest.py)."""

from __future__ import annotations

import copy
from datetime import datetime, timezone
from pathlib import Path

import yaml

from reconnect.bank.model import ItemBank
from reconnect.records.store import Submission

ROOT = Path(__file__).resolve().parents[1]
BANK_FILE = ROOT / "data" / "item_bank.yaml"
CODE = "KM7-4TX"
OTHER_CODE = "HJK-679"


def raw_bank() -> dict:
    """The project's item bank as plain YAML data (a fresh copy each time)."""
    return copy.deepcopy(yaml.safe_load(BANK_FILE.read_text(encoding="utf-8")))


def broken_bank_file(tmp_path: Path, mutate, name: str = "item_bank.yaml") -> Path:
    """Write the project's item bank after ``mutate`` into ``tmp_path``; return the new file.

    ``mutate(data)`` may change the data in place (return ``None``), return new data, or return
    ``str``/``bytes`` to be written as they are (for files that are not valid YAML or UTF-8).
    """
    data = raw_bank()
    result = mutate(data)
    if result is None:
        result = data
    path = tmp_path / name
    if isinstance(result, bytes):
        path.write_bytes(result)
    elif isinstance(result, str):
        path.write_text(result, encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(result, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def full_ratings(bank: ItemBank, area: str, value: int | None = 4) -> dict[str, int | None]:
    return {item.id: value for item in bank.area(area).items}


def make_submission(
    bank: ItemBank,
    *,
    area: str = "self_esteem",
    ratings: dict[str, int | None] | None = None,
    participant: str = CODE,
    session: str = "before",
    workshop: str = "TUESDAY",
    couple: str = "",
    saved_at: datetime | None = None,
) -> Submission:
    kwargs = {}
    if saved_at is not None:
        kwargs["saved_at"] = saved_at
    return Submission(
        participant=participant,
        area=area,
        ratings=full_ratings(bank, area) if ratings is None else ratings,
        session=session,
        workshop=workshop,
        couple=couple,
        bank_version=bank.version,
        **kwargs,
    )


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)
