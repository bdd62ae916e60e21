"""The value checks of a submission's columns, one small function a kind of value, and the parsers the loader shares.

:mod:`reconnect.records.validate` runs them over every row (`VALUE_CHECKS`: column -> check); the store's
loader parses times and ratings with the same functions, so what is read is what was checked. Part of the
one validator: a change here makes the batch cache check its files again (`batchcache._RULE_MODULES`).
"""

from __future__ import annotations

import re

from ..bank.content import VERSION_RE, ItemBank
from ..core.errors import show
from .codes import is_participant_code, normalise_label
from .submission import (
    FORMAT_VERSION,
)

#: A version of the format, a rating: ASCII digits only (``int()`` would also take '４', '+4', '0_4').
_DIGITS = re.compile(r"[0-9]{1,9}")


#: A submission id becomes part of a file name and a zip member name: letters and digits only.
SUBMISSION_ID = re.compile(r"[A-Za-z0-9]{8,64}")


#: An item-bank version as written in a submission: the rule the bank's own version follows.
VERSION = VERSION_RE


#: The time of a save, as Reconnect writes it: ISO 8601 with seconds and a time zone, nothing more.
_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,9})?(Z|[+-][0-9]{2}:[0-9]{2})")


#: The language the answers were given in, as written: a two- or three-letter code (``en``, ``es``).
LANGUAGE = re.compile(r"[a-z]{2,3}")


def time_shape_ok(v: object) -> bool:
    """The written form :func:`parse_times` accepts before it parses: ISO 8601 with a zone, years 1900-2200."""
    return isinstance(v, str) and bool(_TIME.fullmatch(v)) and "1900" <= v[:4] <= "2200"


def parse_times(values):
    """Parse save times exactly as the loader does: a UTC ``DatetimeIndex``, ``NaT`` where a value is not valid.

    The validator and the loader both call this, so a time that passes validation always loads.

    Examples
    --------
    >>> parse_times(["2026-11-26T18:30:00+00:00", "2026-W48-4T18:30:00+00:00", "2026-02-30T10:00:00Z"]).isna().tolist()
    [False, True, True]
    """
    import pandas as pd

    strict = [v if time_shape_ok(v) else None for v in values]
    return pd.DatetimeIndex(pd.to_datetime(strict, utc=True, format="ISO8601", errors="coerce")).as_unit("ns")


def parse_rating(v: str) -> int | None:
    """A rating as the loader reads it: blank is unanswered; anything but ASCII digits is refused.

    Examples
    --------
    >>> parse_rating("4"), parse_rating("")
    (4, None)
    """
    if not v:
        return None
    if not _DIGITS.fullmatch(v):
        raise ValueError(f"'{show(v[:20])}' is not a whole number written with the digits 0-9")
    return int(v)


def _version_problem(v: str) -> str | None:
    if not _DIGITS.fullmatch(v):
        return f"'{show(v[:20])}' is not a format version"
    version = int(v)
    if not 1 <= version <= FORMAT_VERSION:
        return f"format version {version} is not one this Reconnect reads (1 to {FORMAT_VERSION})"
    return None


def _id_problem(v: str) -> str | None:
    if SUBMISSION_ID.fullmatch(v):
        return None
    return f"'{show(v[:30])}' is not a Reconnect submission id (8 to 64 letters and digits)"


def _bank_version_problem(v: str) -> str | None:
    if VERSION.fullmatch(v):
        return None
    return f"'{show(v[:30])}' is not an item-bank version (letters, digits, dots, dashes; at most 32)"


def _language_problem(v: str) -> str | None:
    if not LANGUAGE.fullmatch(v):
        return f"'{show(v[:20])}' is not a language code"
    return None


def _participant_problem(v: str) -> str | None:
    return None if not v or is_participant_code(v) else f"'{show(v[:20])}' is not a participant code"


def _label_problem(v: str, what: str) -> str | None:
    try:
        normalise_label(v, what=what)
    except ValueError:
        return f"the {what} has characters that are not allowed"
    return None


def _item_problem(area: str, item: str, known_areas, items, bank) -> str | None:
    if (area, item) in items:
        return None
    if area and area not in known_areas:
        return f"unknown area '{show(area[:30])}'"
    return f"'{show(item[:30])}' is not a statement of area {area} in item bank {bank.version}"


def _version_item_problem(version: str, area: str, item: str, items, bank: ItemBank, asked: dict) -> str | None:
    """Why item-bank ``version`` never asked statement ``item`` of ``area`` (``None``: it did, or another check speaks)."""
    if (area, item) not in items or version not in bank.known_versions:
        return None  # an unknown statement or version is reported by its own check
    if version not in asked:
        asked[version] = bank.statements_of(version)
    if item in asked[version].get(area, ()):
        return None
    known = items[(area, item)]
    if known.retired_after:
        after = f"; {known.replaced_by} took its place" if known.replaced_by else ""
        return f"statement {item} was last asked in item bank {known.retired_after}, so a {version} submission cannot hold it{after}"
    return f"statement {item} was first asked after item bank {version}, so a {version} submission cannot hold it"


def _rating_problem(v: str, bank: ItemBank) -> str | None:
    try:
        rating = parse_rating(v)
    except ValueError as exc:
        return str(exc)
    if rating is not None and not bank.scale_min <= rating <= bank.scale_max:
        return f"{rating} is outside the scale {bank.scale_min}-{bank.scale_max}"
    return None


def _time_reasons(values) -> tuple:
    """(parsed times, a reason or None per value) for distinct save times."""
    import numpy as np

    times = parse_times(values)
    bad = np.asarray(times.isna())
    reasons = np.array(
        [f"'{show(v[:40])}' is not a time like 2026-11-26T18:30:00+00:00" if b else None for v, b in zip(values, bad)],
        dtype=object,
    )
    return times, reasons


#: Per column, the check of one value (the same functions serve a Save, a store, validate and collect).
VALUE_CHECKS = {
    "format_version": lambda v, bank: _version_problem(v),
    "submission_id": lambda v, bank: _id_problem(v),
    "participant": lambda v, bank: _participant_problem(v),
    "workshop": lambda v, bank: _label_problem(v, "workshop code"),
    "couple": lambda v, bank: _label_problem(v, "couple code"),
    "session": lambda v, bank: _label_problem(v, "session label"),
    "rating": lambda v, bank: _rating_problem(v, bank),
    "bank_version": lambda v, bank: _bank_version_problem(v),
    "language": lambda v, bank: _language_problem(v),
}
