"""Saving and loading submissions: one CSV file per Save, a folder of them is a store.

A store is a folder with a ``submissions/`` sub-folder. A participant's Save writes a new file with
a random name into ``submissions/<participant code>/`` (never rewriting one), so that their own
page reads only their own files however many other people share the computer. Loading validates
every file with :mod:`reconnect.records.validate`, reports each bad one with what is wrong and how to fix
it, leaves it where it is, and still loads every good file. Flat files directly in
``submissions/`` (earlier versions, the demo, a facilitator's batch files) load too.
See ``docs/data-format.md`` for the format and ``docs/architecture.md`` for what holds under
concurrent writers.

The submission model is :mod:`reconnect.records.submission`; its names are importable from here too.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import os
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path

from ..bank.content import load_item_bank
from ..bank.i18n import _
from ..bank.model import ItemBank
from ..core.errors import Problem, StoreError
from ..core.files import TEMP_PREFIX, ensure_folder, read_bytes_bounded, write_new
from . import batchcache
from .codes import is_participant_code
from .rows import _SRC, Rows  # noqa: F401  (re-exported for callers of the earlier single module)
from .submission import (  # noqa: F401  (re-exported: the store's public names)
    BATCH_PREFIX,
    BATCH_SUBMISSIONS,
    COLUMNS,
    COLUMNS_V1,
    FORMAT_VERSION,
    MAX_BATCH_BYTES,
    MAX_FILE_BYTES,
    SUBMISSIONS,
    Submission,
)
from .validate import (  # noqa: F401  (re-exported for callers of the earlier single module)
    _TIME_COL,
    check_rows,
    check_submission,
    max_bytes_for,
    parse_bytes,
    validate_bytes,
)

# Earlier private names, kept so that older callers keep working.
_Rows, _parse_bytes, _check_rows = Rows, parse_bytes, check_rows

# Columns kept as text in the loaded frame (the others are typed: numbers and times).
_TEXT_COLUMNS = (*(c for c in COLUMNS if c not in ("format_version", "rating", "saved_at")), "source")
LOCK_NAME = ".lock"


@dataclass
class StoreData:
    """What :func:`load_store` found: a tidy frame (one row per rated item) and the problems."""

    frame: pd.DataFrame  # noqa: F821
    problems: list[Problem]
    files_read: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def submissions_folder(store: str | Path) -> Path:
    return Path(store) / SUBMISSIONS


def participant_folder(store: str | Path, code: str) -> Path:
    """Where one participant's saves go: ``submissions/<code>/`` (the code is checked before it names a folder)."""
    if not is_participant_code(code):
        raise StoreError(
            _("'{code}' is not a participant code, so no folder is named after it.").format(code=code[:20])
        )
    return _participant_folder(str(store), code)


@lru_cache(maxsize=256)
def _participant_folder(store: str, code: str) -> Path:
    return submissions_folder(store) / code  # the same two names always make the same path: built once


def save_submission(store: str | Path, sub: Submission, *, bank: ItemBank | None = None) -> Path:
    """Validate ``sub`` and write it as a new file in ``store``; return the new file's path.

    Examples
    --------
    >>> import tempfile
    >>> bank = load_item_bank()
    >>> sub = Submission("KM7-4TX", "self_esteem", {"se1": 4}, "before", bank_version=bank.version)
    >>> path = save_submission(tempfile.mkdtemp(), sub)
    >>> path.parent.name, path.name.startswith("sub-")
    ('KM7-4TX', True)
    """
    bank = bank or load_item_bank()
    if not sub.bank_version:  # record which statements these were, or the file could never load again
        sub = dataclasses.replace(sub, bank_version=bank.version)
    check_submission(sub, bank)
    folder = participant_folder(store, sub.participant)
    return write_new(folder / f"sub-{sub.submission_id}.csv", sub.to_csv(), make_folder=_make_participant_folder)


def _make_participant_folder(folder: Path) -> None:
    """A participant's first save: ``submissions/`` and ``submissions/<code>/``, each private (0700)."""
    ensure_folder(folder.parent)
    ensure_folder(folder)


@contextlib.contextmanager
def store_lock(store: str | Path):
    """Hold the store's lock: writers that must not interleave (two collects) take it in turn.

    An advisory ``flock`` on ``<store>/.lock`` (beside ``submissions/``, never inside it), opened
    without following links; it is released when the process ends, so a killed collect never leaves
    the store locked.
    """
    import fcntl

    folder = ensure_folder(Path(store))
    try:
        fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
    except OSError as exc:
        raise StoreError(
            _(
                "Cannot lock the store {folder} ({reason}). Nothing was changed. "
                "Check that the folder is writable and that .lock in it is a plain file."
            ).format(folder=folder, reason=exc.strerror or exc)
        ) from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


# -- reading -----------------------------------------------------------------------------------------


def read_submission_file(path: str | Path, bank: ItemBank | None = None) -> tuple[list[dict], list[Problem]]:
    """Parse and validate one file: (rows of its good submissions, problems of the others).

    A file normally holds one submission, so its rows are empty if anything is wrong; a batch file
    written by ``reconnect collect`` may hold many, and a bad row rejects only its own submission.
    """
    bank = bank or load_item_bank()
    path = Path(path)
    into = Rows()
    _read_file(path, into)
    frame, problems = check_rows(into, bank)
    rows = _records(frame)
    for rec in rows:
        rec["source"] = str(path)
    return rows, problems


def _read_file(path: Path, into: Rows) -> None:
    p = str(path)
    limit = max_bytes_for(path.name)
    try:
        data = read_bytes_bounded(path, limit)
    except OSError as exc:
        if exc.errno == errno.EINVAL or exc.errno == errno.ELOOP:
            reason = "this is not a regular file (a link, a device or a pipe), so it was not read"
            fix = "move it out of the submissions folder"
        else:
            reason, fix = f"the file cannot be read ({exc.strerror or exc})", "check the file's permissions"
        into.problems.append(Problem(p, "", reason, fix))
        return
    if len(data) > limit:
        into.problems.append(
            Problem(
                p,
                "",
                f"the file is larger than {limit:,} bytes, far larger than a submission can be",
                "check that this is a Reconnect submission; it was left untouched",
            )
        )
        return
    parse_bytes(data, p, into, max_bytes=limit)


def _records(frame) -> list[dict]:
    out = []
    for rec in frame[list(COLUMNS)].to_dict("records") if len(frame) else []:
        rec["rating"] = int(rec["rating"]) if rec["rating"] else None
        out.append(rec)
    return out


def load_store(store: str | Path, *, bank: ItemBank | None = None) -> StoreData:
    """Load every submission in ``store``: a tidy DataFrame and a list of problems.

    Files with problems are reported and left in place; every good submission still loads (a bad row
    in a batch file rejects only its own submission). A missing store gives an empty frame.
    """
    bank = bank or load_item_bank()
    raw, problems, files = load_raw(store, bank=bank)
    return StoreData(_typed_frame(raw), problems, files)


def load_participant(store: str | Path, code: str, *, bank: ItemBank | None = None) -> StoreData:
    """Load only one participant's submissions: their own folder, plus flat files of earlier versions.

    What a participant's page reads (opening an area, Save): its cost does not grow with the number
    of other people who saved on this computer.
    """
    bank = bank or load_item_bank()
    into = Rows()
    files = 0
    folder = submissions_folder(store)
    for path in _legacy_files(folder) + _csv_files(participant_folder(store, code), into):
        files += 1
        _read_file(path, into)
    frame, problems = check_rows(into, bank)
    frame["source"] = _source_column(frame, into.sources)
    if len(frame):
        frame = frame[frame["participant"].to_numpy(dtype=object) == code].reset_index(drop=True)
    return StoreData(_typed_frame(frame), problems, files)


def _legacy_files(folder: Path) -> list[Path]:
    """Flat ``sub-*.csv`` files saved by earlier versions directly in ``submissions/`` (usually none).

    Listing the folder is cheap whatever it holds; only names that look like single saves are read.
    """
    try:
        with os.scandir(folder) as entries:
            return sorted(
                Path(e.path)
                for e in entries
                if e.name.startswith("sub-") and e.name.endswith(".csv") and e.is_file(follow_symlinks=False)
            )
    except OSError:
        return []


def _csv_files(folder: Path, into: Rows) -> list[Path]:
    """The submission files of one folder, in name order; anything else is reported, never read."""
    out = []
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except FileNotFoundError:
        return out
    except OSError as exc:
        into.problems.append(
            Problem(str(folder), "", f"the folder cannot be read ({exc.strerror})", "check its permissions")
        )
        return out
    for entry in entries:
        if entry.name.startswith((TEMP_PREFIX, ".")):
            continue  # an unfinished save or the lock: never a submission
        path = Path(entry.path)
        if entry.name.lower().endswith(".csv") and entry.is_file(follow_symlinks=False):
            out.append(path)
        else:
            into.problems.append(
                Problem(str(path), "", "this is not a submission file (.csv)", "move it out of the submissions folder")
            )
    return out


def load_raw(store: str | Path, *, bank: ItemBank | None = None):
    """The validated rows of a store as text (plus ``source``), the problems, and how many files were read.

    A batch file that passed every check once is taken from its checked copy (:mod:`reconnect.records.batchcache`)
    while that copy is valid; the result is the same as reading and checking the file again.
    """
    bank = bank or load_item_bank()
    folder = submissions_folder(store)
    into = Rows()
    checked: list = []  # good rows of batch files that passed every check on their own
    batches: set[str] = set()
    files = 0
    if folder.is_dir():
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            into.problems.append(
                Problem(str(folder), "", f"the folder cannot be read ({exc.strerror})", "check its permissions")
            )
            entries = []
        for entry in entries:
            if entry.name.startswith((TEMP_PREFIX, ".")):
                continue  # an unfinished save, or the lock: never a submission
            path = Path(entry.path)
            if entry.is_dir(follow_symlinks=False) and is_participant_code(entry.name):
                paths = _csv_files(path, into)
            elif batchcache.cacheable(entry.name) and entry.is_file(follow_symlinks=False):
                files += 1
                batches.add(entry.name)
                _read_batch(store, path, entry.stat(follow_symlinks=False), bank, into, checked)
                continue
            elif entry.name.lower().endswith(".csv") and entry.is_file(follow_symlinks=False):
                paths = [path]
            else:
                into.problems.append(
                    Problem(
                        str(path), "", "this is not a submission file (.csv)", "move it out of the submissions folder"
                    )
                )
                continue
            for p in paths:
                files += 1
                _read_file(p, into)
        batchcache.sweep(store, batches)  # copies of batch files no longer here must not outlive them
    frame, problems = check_rows(into, bank, checked=checked)
    frame["source"] = _source_column(frame, into.sources)
    return frame, problems, files


def _read_batch(store, path: Path, st: os.stat_result, bank: ItemBank, into: Rows, checked: list) -> None:
    """One batch file: from its checked copy if valid; else read and checked alone, and kept if it is clean.

    A batch file with any problem is never kept: it is read with the others (``into``), so its problems
    are reported on every load, exactly as without a cache.
    """
    good = batchcache.read(store, path, st, bank)
    if good is None:
        alone = Rows()
        _read_file(path, alone)
        good, problems = check_rows(alone, bank, dedupe=False)
        if problems or not len(good):
            _read_file(path, into)  # read again with the rest: the same problems, in the same order
            return
        if _same_file(st, path):  # unchanged while it was read: the copy describes exactly this content
            batchcache.write(store, path, st, bank, good)
    good[_SRC] = into.add_source(str(path))
    checked.append(good)


def _same_file(st: os.stat_result, path: Path) -> bool:
    try:
        now = path.lstat()
    except OSError:
        return False
    return (now.st_size, now.st_mtime_ns, now.st_ctime_ns, now.st_ino) == (
        st.st_size,
        st.st_mtime_ns,
        st.st_ctime_ns,
        st.st_ino,
    )


def _source_column(frame, sources: list[str]):
    import numpy as np

    if not len(frame):
        return np.array([], dtype=object)
    return np.asarray(sources, dtype=object)[frame[_SRC].to_numpy(dtype=np.int64)]


def _typed_frame(raw):
    """Validated text rows to the tidy frame with stable dtypes, converting each distinct value once.

    Every conversion here uses the value the validator already parsed (times) or accepted (digits),
    so it cannot fail on a value that passed validation.
    """
    import numpy as np
    import pandas as pd

    if not len(raw):
        return to_frame([])
    out = pd.DataFrame(index=pd.RangeIndex(len(raw)))
    for c in COLUMNS:
        values = raw[c].to_numpy(dtype=object)
        if c == "format_version":  # each distinct value parsed once (usually one for the whole store)
            codes, uniques = pd.factorize(values)
            out[c] = np.array([int(u) for u in uniques], dtype=np.int64)[codes]
        elif c == "rating":
            codes, uniques = pd.factorize(values)
            typed = pd.array([int(u) if u else None for u in uniques] + [None], dtype="Int64")
            out[c] = typed.take(codes)  # -1 never occurs
        elif c == "saved_at":
            out[c] = pd.DatetimeIndex(raw[_TIME_COL]).tz_convert("UTC")
        else:
            out[c] = pd.array(values, dtype="string")
    out["source"] = pd.array(raw["source"].to_numpy(dtype=object), dtype="string")
    return out


_EMPTY = None


def to_frame(rows: list[dict]):
    """Build the tidy frame with stable dtypes from validated row dicts."""

    global _EMPTY
    if not rows:  # the common case on opening a page for the first time: built once, copied after
        if _EMPTY is None:
            _EMPTY = _build_frame([])
        return _EMPTY.copy()
    return _build_frame(rows)


def _build_frame(rows: list[dict]):
    import pandas as pd

    frame = pd.DataFrame(rows, columns=[*COLUMNS, "source"])
    frame["format_version"] = pd.to_numeric(frame["format_version"]).astype("int64")
    frame["rating"] = frame["rating"].astype("Int64")
    frame["saved_at"] = pd.to_datetime(frame["saved_at"], utc=True, format="ISO8601")
    for c in _TEXT_COLUMNS:
        frame[c] = frame[c].astype("string")
    return frame


def latest_submissions(frame):
    """Keep, per participant, session and area, only the newest submission (history stays on disk)."""
    if frame.empty:
        return frame
    # Decide on one row per submission (its keys are the same on every row), not on every row.
    heads = frame.drop_duplicates("submission_id")[["submission_id", "participant", "session", "area", "saved_at"]]
    if not heads.duplicated(["participant", "session", "area"]).any():
        return frame.reset_index(drop=True)  # one submission per person, session and area: nothing to sort
    newest = heads.sort_values(["saved_at", "submission_id"]).drop_duplicates(
        ["participant", "session", "area"], keep="last"
    )["submission_id"]
    if len(newest) == len(heads):
        return frame.reset_index(drop=True)  # nothing was saved over
    return frame[frame["submission_id"].isin(newest)].reset_index(drop=True)


def latest_ratings(
    frame, *, participant: str, area: str, session: str
) -> tuple[dict[str, int | None], datetime | None]:
    """The newest saved ratings of one participant for one area and session, and when they were saved."""
    rows = frame[(frame["participant"] == participant) & (frame["area"] == area) & (frame["session"] == session)]
    if rows.empty:
        return {}, None
    newest = latest_submissions(rows)
    import pandas as pd

    ratings = {str(r.item): (None if pd.isna(r.rating) else int(r.rating)) for r in newest.itertuples()}
    return ratings, newest["saved_at"].iloc[0].to_pydatetime()
