"""Guesses about a partner: "how do you think your partner answered this about themselves?"

A participant with a couple code may, after saving an area, guess how their partner rated
themselves on the statements the item bank marks ``guess: true`` (never a sensitive or fear
statement). Guesses are the most private thing Reconnect holds (design.md §5), so they are their
own record kind, kept apart from submissions:

``<data folder>/guesses/<participant code>/guess-<time>-<random id>.json`` (docs/data-format.md)

- written once with :func:`reconnect.core.files.write_new` (temporary name, fsync, a rename that never
  replaces), never rewritten; the newest record per session and area is the one that counts;
- read and checked by one function, :func:`parse_guess_bytes`: a Save checks the bytes it is about
  to write with it, and loading reads every file through it, so a file that was saved always loads;
- never collected, exported, aggregated or printed: ``reconnect collect`` refuses a file carrying
  guesses (:func:`guess_problem`), erasing removes them (``guesses`` is one of the personal folders).

A value is a rating on the bank's scale, or ``None`` for "I don't know".
"""

from __future__ import annotations

import json
import os
import re
import stat
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from ..bank.content import AREA_IDS, ItemBank, load_item_bank
from ..bank.i18n import _
from ..core.errors import InputError, Problem, show
from ..core.files import TEMP_PREFIX, random_id, write_new
from .codes import normalise_participant_code

FOLDER = "guesses"
FORMAT_VERSION = 1
KIND = "guesses"
#: A guess file is a few hundred bytes; anything far larger is not one (and is never read whole).
MAX_BYTES = 16 * 1024
_NAME = re.compile(r"guess-[0-9]{8}T[0-9]{6,12}-[A-Za-z0-9]{4,32}\.json")
_FIELDS = ("format_version", "kind", "participant", "couple", "session", "area", "bank_version", "guesses", "saved_at")


@dataclass(frozen=True)
class GuessRecord:
    """One save of guesses: what ``participant`` thinks their partner answered in ``area``."""

    participant: str
    couple: str
    session: str
    area: str
    bank_version: str
    guesses: dict[str, int | None]
    saved_at: datetime
    path: str = ""

    @property
    def given(self) -> dict[str, int]:
        """The statements with a guess (not "I don't know")."""
        return {k: v for k, v in self.guesses.items() if v is not None}


def eligible_items(bank: ItemBank, area: str, *, version: str | None = None) -> dict[str, object]:
    """The statements of ``area`` a partner may guess in item-bank ``version`` (default: the current one).

    >>> sorted(eligible_items(load_item_bank(), "distrust"))
    ['dt4', 'dt8']
    """
    version = version or bank.version
    asked = bank.statements_of(version).get(area, frozenset())
    if area not in AREA_IDS:
        return {}
    found = bank.area(area)
    return {
        i.id: i for i in (*found.items, *found.retired) if i.id in asked and i.guess and not i.sensitive and not i.fear
    }


def guess_folder(home: str | Path, participant: str) -> Path:
    return Path(home) / FOLDER / normalise_participant_code(participant)


# -- the one reader and checker ----------------------------------------------------------------
AGAIN = "save the guesses again in the area's notebook (the file was left untouched)"


def parse_guess_bytes(
    data: bytes, label: str, *, bank: ItemBank, participant: str | None = None
) -> tuple[GuessRecord | None, list[Problem]]:
    """Read one guess file's bytes: the record, or ``None`` and every problem found.

    ``participant`` is the code the file's folder names (a file must be in its writer's folder).
    The steps: the file as a whole (:func:`_whole_file`), its labels (:func:`_label_problems`), its time,
    then each guess (:func:`_guess_values`).

    >>> rec, problems = parse_guess_bytes(b"{}", "g.json", bank=load_item_bank())
    >>> rec is None and "format_version" in problems[0].reason
    True
    """
    raw, problems = _whole_file(data, label)
    if raw is None:
        return None, problems
    texts = {}
    for field in ("participant", "couple", "session", "area", "bank_version", "saved_at"):
        value = raw[field]
        if not isinstance(value, str):
            problems.append(Problem(label, field, f"the {field} is not text", AGAIN))
        texts[field] = value if isinstance(value, str) else ""
    if problems:
        return None, problems
    problems = _label_problems(texts, label, bank=bank, participant=participant)
    when = _save_time(texts["saved_at"])
    if when is None:
        problems.append(
            Problem(
                label,
                "saved_at",
                f"'{show(texts['saved_at'][:40])}' is not a save time",
                "write it like 2026-11-26T18:30:00Z",
            )
        )
    values = raw["guesses"]
    if not isinstance(values, dict) or not values:
        problems.append(Problem(label, "guesses", "the guesses are missing or not a set of statements", AGAIN))
    if problems:
        return None, problems
    guesses, problems = _guess_values(values, label, bank=bank, area=texts["area"], version=texts["bank_version"])
    if problems:
        return None, problems
    t = texts
    return GuessRecord(t["participant"], t["couple"], t["session"], t["area"], t["bank_version"], guesses, when), []


def _whole_file(data: bytes, label: str) -> tuple[dict | None, list[Problem]]:
    """The file's named fields, or ``None`` and the one problem that makes it unreadable as a whole."""

    def bad(where: str, reason: str, fix: str = AGAIN) -> tuple[None, list[Problem]]:
        return None, [Problem(label, where, reason, fix)]

    if len(data) > MAX_BYTES:
        return bad("", f"the file is {len(data):,} bytes; a guess file is far smaller", "check that it is one")
    try:
        raw = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        return bad("", "the file is not UTF-8 text")
    except (ValueError, RecursionError):
        return bad("", "the file is not readable JSON")
    if not isinstance(raw, dict):
        return bad("", "the file does not hold a set of named fields")
    version = raw.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool):
        return bad("format_version", "the format_version is missing or not a whole number")
    if version > FORMAT_VERSION:
        return bad(
            "format_version",
            f"format version {version} is newer than this Reconnect reads ({FORMAT_VERSION})",
            "update Reconnect",
        )
    if version < 1:
        return bad("format_version", f"format version {version} does not exist")
    missing = [f for f in _FIELDS if f not in raw]
    if missing:
        return bad(", ".join(missing), "the file lacks field(s): " + ", ".join(missing))
    extra = sorted(str(k) for k in raw if k not in _FIELDS)
    if extra:
        return bad(
            show(", ".join(extra)[:60]), "the file has fields a guess file never has", "remove them, or save again"
        )
    if raw["kind"] != KIND:
        return bad("kind", f"the kind is {show(str(raw['kind'])[:20])!r}, not {KIND!r}")
    return raw, []


def _label_problems(texts: dict, label: str, *, bank: ItemBank, participant: str | None) -> list[Problem]:
    """The code, couple code, session, area and item-bank version, with the validator's own value rules."""
    from .values import _bank_version_problem, _label_problem, _participant_problem

    problems: list[Problem] = []
    code = texts["participant"]
    if not code or _participant_problem(code):
        problems.append(Problem(label, "participant", f"'{show(code[:20])}' is not a participant code", AGAIN))
    elif participant is not None and code != participant:
        problems.append(
            Problem(
                label,
                "participant",
                f"the file names participant {code} but is in the folder of {participant}",
                "move it back to its own folder, or delete it",
            )
        )
    for field, what in (("couple", "couple code"), ("session", "session label")):
        if not texts[field] or _label_problem(texts[field], what):
            problems.append(Problem(label, field, f"the {what} is blank or has characters not allowed", AGAIN))
    area = texts["area"]
    if area not in AREA_IDS:
        problems.append(
            Problem(label, "area", f"'{show(area[:30])}' is not an area", f"use one of: {', '.join(AREA_IDS)}")
        )
    version = texts["bank_version"]
    reason = _bank_version_problem(version)
    if reason:
        problems.append(Problem(label, "bank_version", reason, AGAIN))
    elif version not in bank.known_versions:
        problems.append(
            Problem(
                label,
                "bank_version",
                f"item bank {show(version)} is not one this Reconnect knows ({', '.join(bank.known_versions)})",
                "update Reconnect, or delete the file",
            )
        )
    return problems


def _save_time(saved: str) -> datetime | None:
    """The save time as the loader of submissions parses it (``None`` when it is not one)."""
    from .values import parse_times, time_shape_ok

    if not time_shape_ok(saved):
        return None
    parsed = parse_times([saved])[0]
    return None if parsed != parsed else parsed.to_pydatetime()  # NaT is not equal to itself


def _guess_values(values: dict, label: str, *, bank: ItemBank, area: str, version: str):
    """Each guess: a statement that version asked in ``area`` and marks guessable, a rating or null."""
    allowed = eligible_items(bank, area, version=version)
    guesses: dict[str, int | None] = {}
    problems: list[Problem] = []
    for item, value in values.items():
        where = f"guesses.{show(str(item)[:30])}"
        if item not in allowed:
            problems.append(
                Problem(
                    label,
                    where,
                    f"statement {show(str(item)[:30])} of {area} (item bank {version}) may not be guessed",
                    "only statements marked guess: true in the item bank can hold a guess; remove it",
                )
            )
        elif value is not None and (
            not isinstance(value, int) or isinstance(value, bool) or not bank.scale_min <= value <= bank.scale_max
        ):
            problems.append(
                Problem(
                    label,
                    where,
                    f"{show(str(value)[:20])} is not an answer on the scale {bank.scale_min}-{bank.scale_max}",
                    "use a whole number on the scale, or null for I don't know",
                )
            )
        else:
            guesses[item] = value
    return guesses, problems


def _read(path: Path) -> bytes:
    """At most ``MAX_BYTES + 1`` bytes of a regular file, never through a link."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError("not a regular file")
        with os.fdopen(fd, "rb") as handle:
            fd = -1
            return handle.read(MAX_BYTES + 1)
    finally:
        if fd >= 0:
            os.close(fd)


def load_guesses(
    home: str | Path, participant: str, *, bank: ItemBank | None = None
) -> tuple[list[GuessRecord], list[Problem]]:
    """Every guess record of ``participant`` in ``home`` (oldest first) and the problems found.

    A file with a problem is reported and left where it is; the others still load.

    >>> import tempfile
    >>> load_guesses(tempfile.mkdtemp(), "KM7-4TX")
    ([], [])
    """
    bank = bank or load_item_bank()
    code = normalise_participant_code(participant)
    folder = guess_folder(home, code)
    records: list[GuessRecord] = []
    problems: list[Problem] = []
    if not folder.is_dir() or folder.is_symlink():
        return records, problems
    for path in sorted(folder.iterdir()):
        if path.name.startswith(TEMP_PREFIX):
            continue
        label = str(path)
        if path.is_symlink() or not path.is_file():
            problems.append(
                Problem(label, "", "this is not a regular file (a link, a folder or a device)", "remove it")
            )
            continue
        try:
            data = _read(path)
        except OSError as exc:
            problems.append(Problem(label, "", f"the file cannot be read ({exc.strerror or exc})", "check the file's permissions"))
            continue
        record, found = parse_guess_bytes(data, label, bank=bank, participant=code)
        problems.extend(found)
        if record is not None:
            records.append(GuessRecord(**{**record.__dict__, "path": label}))
    records.sort(key=lambda r: r.saved_at)
    return records, problems


def latest(records: list[GuessRecord]) -> dict[tuple[str, str], GuessRecord]:
    """The newest record per (session, area)."""
    out: dict[tuple[str, str], GuessRecord] = {}
    for rec in sorted(records, key=lambda r: r.saved_at):
        out[(rec.session, rec.area)] = rec
    return out


def newest_for(home: str | Path, participant: str, *, session: str, area: str, bank: ItemBank | None = None):
    """The newest readable guesses of one session and area, or ``None``."""
    records, _problems = load_guesses(home, participant, bank=bank)
    return latest(records).get((session, area))


def save_guesses(
    home: str | Path,
    *,
    participant: str,
    couple: str,
    session: str,
    area: str,
    guesses: dict[str, int | None],
    bank: ItemBank | None = None,
) -> GuessRecord:
    """Write one guess record as a new file; raise :class:`InputError` (nothing written) when it would not load.

    The bytes are checked with :func:`parse_guess_bytes`, the reader itself, before they are written.

    >>> import tempfile
    >>> home = tempfile.mkdtemp()
    >>> rec = save_guesses(home, participant="KM7-4TX", couple="OURS", session="before", area="distrust",
    ...                    guesses={"dt4": 3, "dt8": None})
    >>> [r.guesses for r in load_guesses(home, "KM7-4TX")[0]]
    [{'dt8': None, 'dt4': 3}]
    """
    bank = bank or load_item_bank()
    code = normalise_participant_code(participant)
    now = datetime.now(timezone.utc)
    record = {
        "format_version": FORMAT_VERSION,
        "kind": KIND,
        "participant": code,
        "couple": couple,
        "session": session,
        "area": area,
        "bank_version": bank.version,
        "guesses": {k: guesses.get(k) for k in eligible_items(bank, area) if k in guesses},
        "saved_at": now.isoformat(timespec="milliseconds"),
    }
    data = json.dumps(record, ensure_ascii=False, indent=2).encode("utf-8")
    name = f"guess-{now:%Y%m%dT%H%M%S%f}-{random_id(6)}.json"
    parsed, problems = parse_guess_bytes(data, name, bank=bank, participant=code)
    if parsed is None:
        raise InputError(
            _("Your guesses could not be saved: {reason}. Nothing was saved.").format(
                reason="; ".join(p.reason for p in problems)
            ),
            problems,
        )
    path = write_new(guess_folder(home, code) / name, data)
    return GuessRecord(**{**parsed.__dict__, "path": str(path)})


def files_of_workshop(store: str | Path, in_workshop) -> list[Path]:
    """Every guess file in ``store`` of a participant whose newest settings there pass ``in_workshop(workshop)``.

    Used by ``reconnect forget-workshop`` (:mod:`reconnect.records.retention`, which passes its own
    workshop rule) on a data folder that holds participants' own files (a shared workshop computer):
    their guesses go with the workshop's answers.
    """
    from .participant import load_settings

    root = Path(store) / FOLDER
    out: list[Path] = []
    if not root.is_dir() or root.is_symlink():
        return out
    for folder in sorted(root.iterdir()):
        if not folder.is_dir() or folder.is_symlink():
            continue
        try:
            settings = load_settings(store, folder.name)
        except (OSError, InputError):
            settings = None
        if settings is not None and in_workshop(settings.workshop):
            out.extend(p for p in sorted(folder.iterdir()) if p.is_file() or p.is_symlink())
    return out


# -- what collect refuses ----------------------------------------------------------------------
def guess_problem(name: str, data: bytes | None = None) -> tuple[str, str] | None:
    """(reason, fix) when a file handed to ``reconnect collect`` carries guesses, else ``None``.

    A guess file by its name (``guess-….json``), anything inside a ``guesses/`` folder, or a CSV whose
    header names a guess column.

    >>> guess_problem("guesses/KM7-4TX/guess-20261126T183000000000-ab12cd.json")[0][:40]
    "this file holds a participant's guesses "
    >>> guess_problem("sub-1.csv", b"format_version,rating\\n") is None
    True
    """
    parts = name.replace("\\", "/").split("/")
    lower = parts[-1].lower()
    header = b""
    if data is not None:
        header = data[:4096].split(b"\n", 1)[0].lower()
    if (
        FOLDER in [p.lower() for p in parts[:-1]]
        or (lower.startswith("guess") and lower.endswith(".json"))
        or b"guess" in header
    ):
        return (
            "this file holds a participant's guesses about their partner, which are never collected, exported "
            "or shown to a group",
            "leave it out: hand in only the submission files (sub-*.csv) that 'Export my answers' in 00 Start "
            "here makes; guesses stay on the participant's own computer",
        )
    return None


def is_guess_file_name(name: str) -> bool:
    return bool(_NAME.fullmatch(name))
