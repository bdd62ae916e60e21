"""Submissions: one participant's ratings for one area at one moment, one CSV file each.

A store is a folder with a ``submissions/`` sub-folder. Saving writes a new file with a random
name (never rewriting one); loading validates every file, reports each bad one with what is wrong
and how to fix it, leaves it where it is, and still loads every good file.
See ``docs/data-format.md`` for the format.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from .codes import is_participant_code, normalise_label
from .content import ItemBank, load_item_bank
from .errors import Problem, SubmissionError
from .files import TEMP_PREFIX, random_id, write_new

FORMAT_VERSION = 1
COLUMNS = (
    "format_version",
    "submission_id",
    "participant",
    "workshop",
    "couple",
    "session",
    "area",
    "item",
    "rating",
    "saved_at",
    "bank_version",
)
# Columns kept as text in the loaded frame (the others are typed: numbers and times).
_TEXT_COLUMNS = (*(c for c in COLUMNS if c not in ("format_version", "rating", "saved_at")), "source")
# Fields that must be the same on every row of one file, and must not be blank.
_CONSTANT = ("format_version", "submission_id", "participant", "session", "area", "saved_at", "bank_version")
_OPTIONAL_CONSTANT = ("workshop", "couple")
MAX_FILE_BYTES = 256 * 1024  # a file holding one submission
MAX_BATCH_BYTES = 64 * 1024 * 1024  # a batch file written by `reconnect collect`
BATCH_PREFIX = "batch-"
BATCH_SUBMISSIONS = 5000  # submissions per batch file
SUBMISSIONS = "submissions"


@dataclass(frozen=True)
class Submission:
    """One participant's ratings of one area; ``None`` marks an unanswered statement."""

    participant: str
    area: str
    ratings: dict[str, int | None]
    session: str
    workshop: str = ""
    couple: str = ""
    bank_version: str = ""
    saved_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    submission_id: str = field(default_factory=random_id)

    def to_csv(self) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COLUMNS)
        stamp = self.saved_at.astimezone(timezone.utc).isoformat(timespec="milliseconds")
        for item, rating in self.ratings.items():
            writer.writerow(
                (
                    FORMAT_VERSION,
                    self.submission_id,
                    self.participant,
                    self.workshop,
                    self.couple,
                    self.session,
                    self.area,
                    item,
                    "" if rating is None else int(rating),
                    stamp,
                    self.bank_version,
                )
            )
        return out.getvalue().encode("utf-8")


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


def check_submission(sub: Submission, bank: ItemBank) -> None:
    """Raise :class:`SubmissionError` if ``sub`` cannot be saved as it is."""
    problems = []

    def bad(location, reason, fix):
        problems.append(Problem("(unsaved answers)", location, reason, fix))

    if not is_participant_code(sub.participant):
        bad("participant", f"'{sub.participant}' is not a participant code", "create or resume a code in 00 Start here")
    for what, value in (("session label", sub.session), ("workshop code", sub.workshop), ("couple code", sub.couple)):
        try:
            normalise_label(value, what=what, required=what == "session label")
        except ValueError as exc:
            bad(what, str(exc), "change it in 00 Start here")
    try:
        area = bank.area(sub.area)
    except ValueError:
        bad("area", f"unknown area '{sub.area}'", "use one of the five areas")
    else:
        known = {i.id for i in area.items}
        for item, rating in sub.ratings.items():
            if item not in known:
                bad(f"statement {item}", f"not a statement of {area.id}", "use the statements of the current item bank")
            elif rating is not None and (
                isinstance(rating, bool)
                or not isinstance(rating, int)
                or not bank.scale_min <= rating <= bank.scale_max
            ):
                bad(
                    f"statement {item}",
                    f"rating {rating!r} is not a whole number from {bank.scale_min} to {bank.scale_max}",
                    "choose one of the five answers",
                )
    if problems:
        raise SubmissionError("These answers cannot be saved yet; nothing was saved.", problems)


def save_submission(store: str | Path, sub: Submission, *, bank: ItemBank | None = None) -> Path:
    """Validate ``sub`` and write it as a new file in ``store``; return the new file's path.

    Examples
    --------
    >>> import tempfile
    >>> bank = load_item_bank()
    >>> sub = Submission("KM7-4TX", "self_esteem", {"se1": 4}, "before", bank_version=bank.version)
    >>> save_submission(tempfile.mkdtemp(), sub).name.startswith("sub-")
    True
    """
    bank = bank or load_item_bank()
    if not sub.bank_version:  # record which statements these were, or the file could never load again
        sub = dataclasses.replace(sub, bank_version=bank.version)
    check_submission(sub, bank)
    path = submissions_folder(store) / f"sub-{sub.submission_id}.csv"
    return write_new(path, sub.to_csv())


# -- reading and validating ------------------------------------------------------------------------
#
# Reading happens in two steps, so that one validator serves a single Save, a batch of thousands of
# submissions, a whole store and ``reconnect collect``:
#
# 1. File level (:func:`_parse_bytes`): size, UTF-8, cut off, header, fields per row, format version.
#    A file that fails here is reported once and none of it loads (it cannot be read reliably).
# 2. Submission level (:func:`_check_rows`, vectorised with pandas over every row of every file at
#    once): a bad row rejects only its own submission; every other submission, in the same file or
#    elsewhere, still loads.

_PANDAS_FROM = 512 * 1024  # files at least this large are parsed with pandas' C parser
_ROW = "_row"  # row number in its file (the header is row 1), for messages
_SRC = "_src"  # index of the file in the list of sources


def max_bytes_for(name: str) -> int:
    """How large a file may be: a batch file written by ``reconnect collect`` may hold many submissions."""
    return MAX_BATCH_BYTES if name.startswith(BATCH_PREFIX) else MAX_FILE_BYTES


@dataclass
class _Rows:
    """Rows that passed the file-level checks, before the submission-level checks."""

    sources: list[str] = field(default_factory=list)
    lists: list[list] = field(default_factory=list)  # small files: [*COLUMNS values, row, src]
    frames: list = field(default_factory=list)  # large files: DataFrames with COLUMNS, _row, _src
    problems: list[Problem] = field(default_factory=list)
    reject: set = field(default_factory=set)  # (src, submission_id) rejected at file level

    def add_source(self, label: str) -> int:
        self.sources.append(label)
        return len(self.sources) - 1

    def frame(self):
        import pandas as pd

        parts = list(self.frames)
        if self.lists:
            parts.append(pd.DataFrame(self.lists, columns=[*COLUMNS, _ROW, _SRC]))
        if not parts:
            return pd.DataFrame({c: pd.Series(dtype=object) for c in (*COLUMNS, _ROW, _SRC)})
        if len(parts) == 1:
            return parts[0]
        out = pd.concat(parts, ignore_index=True)
        if self.lists and self.frames:  # keep the order of the files
            out = out.sort_values([_SRC, _ROW], kind="stable").reset_index(drop=True)
        return out


def _parse_bytes(data: bytes, label: str, into: _Rows, *, max_bytes: int = MAX_FILE_BYTES) -> None:
    """File-level checks of one file's bytes; good rows go into ``into``, problems too."""

    def fail(location, reason, fix):
        into.problems.append(Problem(label, location, reason, fix))

    if len(data) > max_bytes:
        return fail(
            "",
            f"the file is {len(data):,} bytes, far larger than a submission can be",
            "check that this is a Reconnect submission; it was left untouched",
        )
    if not data.strip():
        return fail("", "the file is empty", "save the answers again from the notebook; this file can be deleted")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return fail(
            f"byte {exc.start}",
            "the file is not UTF-8 text",
            "if it was edited in a spreadsheet, save it again as 'CSV UTF-8'",
        )
    cut = not text.endswith("\n")
    if cut:
        # Keep only whole lines. A file holding one submission is then rejected whole (below); in a
        # batch the submission on the cut line, and the one before it, are rejected, the rest loads.
        text = text[: text.rfind("\n") + 1]
    if len(data) >= _PANDAS_FROM and b'"' not in data:
        rows_or_frame = _split_fast(text, data, label)
    else:
        rows_or_frame = _split_csv(text, label)
    if isinstance(rows_or_frame, Problem):
        if cut:
            return _cut_whole(label, into)
        into.problems.append(rows_or_frame)
        return None
    header, body, rows = rows_or_frame
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        if cut and not body:
            return _cut_whole(label, into)
        return fail(
            "header",
            f"column(s) missing: {', '.join(missing)}",
            f"the first line must name the columns {','.join(COLUMNS)}",
        )
    if not len(body):
        if cut:
            return _cut_whole(label, into)
        return fail("", "the file has a header but no ratings", "save the answers again from the notebook")
    col = [header.index(c) for c in COLUMNS]
    first_version = body[0][col[0]].strip() if rows is None else str(body[COLUMNS[0]].iloc[0]).strip()
    try:
        version = int(first_version)
    except ValueError:
        return fail("row 2, column format_version", f"'{first_version}' is not a format version", "it should be 1")
    if version > FORMAT_VERSION:
        return fail(
            "row 2, column format_version",
            f"the file uses format {version}, made by a newer Reconnect (this one reads up to {FORMAT_VERSION})",
            "update Reconnect (git pull, then make lab) and load again",
        )
    if version < 1:
        return fail("row 2, column format_version", f"format version {version} does not exist", "it should be 1")

    src = into.add_source(label)
    sid_col = col[1]
    if rows is None:  # csv path: lists of strings
        width = len(header)
        short = [(n, len(r)) for n, r in enumerate(body, start=2) if len(r) != width]
        if short:
            for n, got in short:
                fail(
                    f"row {n}",
                    f"the row has {got} fields but the header has {width}",
                    "the file may be cut off or edited by hand; save the answers again",
                )
            into.sources.pop()
            return None
        sids = {r[sid_col].strip() for r in body}
        if cut:
            if len(sids) < 2:
                into.sources.pop()
                return _cut_whole(label, into)
            _cut_batch(label, into, src, body[-1][sid_col].strip(), len(body) + 2)
        into.lists.extend([*(r[i].strip() for i in col), n, src] for n, r in enumerate(body, start=2))
    else:  # pandas path: a DataFrame already in COLUMNS order
        if cut:
            sids = body["submission_id"]
            if sids.nunique() < 2:
                into.sources.pop()
                return _cut_whole(label, into)
            _cut_batch(label, into, src, str(sids.iloc[-1]).strip(), len(body) + 2)
        body[_ROW] = range(2, len(body) + 2)
        body[_SRC] = src
        into.frames.append(body)
    return None


def _cut_whole(label: str, into: _Rows) -> None:
    into.problems.append(
        Problem(
            label,
            "last line",
            "the file ends in the middle of a line, so it looks cut off",
            "save the answers again; keep this file for reference",
        )
    )


def _cut_batch(label: str, into: _Rows, src: int, last_sid: str, cut_row: int) -> None:
    into.problems.append(
        Problem(
            label,
            f"row {cut_row}",
            "the file ends in the middle of a line, so it looks cut off; the submission on that line and "
            f"submission {last_sid[:30]} before it were not loaded, every other submission in the file was",
            "collect the handed-in files again into this store: what did not load is imported again",
        )
    )
    into.reject.add((src, last_sid))  # the cut line itself is dropped: its rows are simply absent


def _split_csv(text: str, label: str):
    reader = csv.reader(io.StringIO(text))
    try:
        rows = list(reader)
    except csv.Error as exc:
        return Problem(
            label,
            f"line {reader.line_num}",
            f"the CSV cannot be read ({exc})",
            "open it in a text editor and check quotes",
        )
    if not rows:
        return Problem(label, "", "the file is empty", "save the answers again from the notebook")
    return [h.strip() for h in rows[0]], [r for r in rows[1:] if r], None


def _split_fast(text: str, data: bytes, label: str):
    """pandas' C parser for a large file without quotes; falls back to the csv module on any doubt."""
    import pandas as pd

    first = text[: text.find("\n")].split(",")
    header = [h.strip() for h in first]
    if sorted(header) != sorted(COLUMNS) or len(header) != len(COLUMNS):
        return _split_csv(text, label)
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    body = body[: body.rfind(b"\n") + 1]  # whole lines only (a cut-off line is reported by the caller)
    try:
        frame = pd.read_csv(
            io.BytesIO(body),
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=True,
            engine="c",
        )
    except (pd.errors.ParserError, ValueError):
        return _split_csv(text, label)  # e.g. a row with too many fields: the csv module reports it exactly
    frame.columns = header
    if body.count(b",") != (len(COLUMNS) - 1) * (len(frame) + 1):
        return _split_csv(text, label)  # a short or long row: the csv module reports it exactly
    frame = frame[list(COLUMNS)]
    if any(" " in v for v in first) or _needs_strip(body):
        for c in COLUMNS:
            frame[c] = frame[c].str.strip()
    return header, frame, frame


def _needs_strip(data: bytes) -> bool:
    """Whether any value may have spaces around it (one fast scan; labels with inner spaces are rare)."""
    if b" " not in data and b"\t" not in data and b"\r" not in data:
        return False
    return any(s in data for s in (b" ,", b", ", b" \n", b"\n ", b"\t", b"\r"))


def _check_rows(rows: _Rows, bank: ItemBank):
    """Submission-level checks, vectorised over every row: (good rows, problems).

    A problem in a row rejects the whole submission it belongs to (a submission is a unit: loading
    part of one would change its score), and nothing else.
    """
    import numpy as np
    import pandas as pd

    frame = rows.frame()
    problems: list[tuple] = []  # (src, row, order, column, reason, fix)
    if frame.empty:
        return frame, rows.problems
    n = len(frame)
    src = frame[_SRC].to_numpy()
    rownum = frame[_ROW].to_numpy()
    sid = frame["submission_id"].to_numpy(dtype=object)
    # Submissions: runs of rows with the same id in one file (rows of one submission stay together).
    start = np.ones(n, dtype=bool)
    start[1:] = (sid[1:] != sid[:-1]) | (src[1:] != src[:-1])
    block = np.cumsum(start) - 1
    first_at = np.flatnonzero(start)[block]  # index of each row's submission's first row
    bad = np.zeros(n, dtype=bool)
    order = {c: i for i, c in enumerate(COLUMNS)}

    def report(mask, column, reasons, fix):
        """Report rows in ``mask``; ``reasons`` is a str or an array (one per row of the frame)."""
        idx = np.flatnonzero(mask)
        if not len(idx):
            return
        bad[idx] = True
        for i in idx:
            reason = reasons if isinstance(reasons, str) else reasons[i]
            problems.append((src[i], rownum[i], order.get(column, 99), column, reason, fix))

    def per_unique(values, check):
        """Apply ``check`` (value -> reason or None) to each distinct value; a reason per row or None."""
        codes, uniques = pd.factorize(values)
        verdicts = np.array([check(u) for u in uniques] + [None], dtype=object)
        return verdicts[codes]

    columns = {c: frame[c].to_numpy(dtype=object) for c in COLUMNS}
    factorized: dict = {}

    def codes_of(c):
        """Each value of column ``c`` as a small integer (equal values, equal codes), computed once."""
        if c not in factorized:
            factorized[c] = pd.factorize(columns[c])
        return factorized[c]

    def verdicts(c, check):
        """``check`` (value -> reason or None) applied once per distinct value of ``c``; one per row."""
        codes, uniques = codes_of(c)
        return np.array([check(u) for u in uniques] + [None], dtype=object)[codes]

    for c in _CONSTANT + _OPTIONAL_CONSTANT:
        values = columns[c]
        if c in ("submission_id", "saved_at"):  # nearly one value per submission: compare the text
            blank = values == ""
            differs = values != values[first_at]
        else:  # few distinct values: compare their codes
            codes, uniques = codes_of(c)
            empty = np.flatnonzero(uniques == "")
            blank = codes == empty[0] if len(empty) else np.zeros(n, dtype=bool)
            differs = codes != codes[first_at]
        if c in _CONSTANT:
            report(blank, c, "this field is blank", "every row needs it; save the answers again")
        differs &= ~blank
        if differs.any():
            idx = np.flatnonzero(differs)
            reasons = np.empty(n, dtype=object)
            for i in idx:
                reasons[i] = f"'{values[i]}' differs from '{values[first_at[i]]}' in row {rownum[first_at[i]]}"
            report(differs, c, reasons, "the rows of one submission must agree; save the answers again")
    # The same submission in two places of one file (rows not together).
    starts = pd.DataFrame({"src": src[start], "sid": sid[start]})
    split = starts.duplicated(keep="first").to_numpy()
    if split.any():
        again = np.zeros(n, dtype=bool)
        again[np.flatnonzero(start)[split]] = True
        report(
            again,
            "submission_id",
            "the rows of this submission are not together: it appears twice in the file",
            "keep each submission's rows one after another",
        )
        # Every part of it is rejected, the first part too: on its own it would look complete.
        every_part = starts.duplicated(keep=False).to_numpy()
        bad[np.isin(block, np.flatnonzero(every_part))] = True
    reasons = verdicts("format_version", _version_problem)
    report(reasons != None, "format_version", reasons, "it should be 1")  # noqa: E711
    reasons = verdicts(
        "participant", lambda v: None if not v or is_participant_code(v) else f"'{v[:20]}' is not a participant code"
    )
    report(reasons != None, "participant", reasons, "codes look like KM7-4TX")  # noqa: E711
    for c, what in (("workshop", "workshop code"), ("couple", "couple code"), ("session", "session label")):
        reasons = verdicts(c, lambda v, what=what: _label_problem(v, what))
        report(reasons != None, c, reasons, "use letters, digits, spaces, dots, dashes, underscores")  # noqa: E711
    known_areas = {a.id for a in bank.areas}
    items = bank.item_index()
    area_codes, area_names = codes_of("area")
    item_codes, item_names = codes_of("item")
    pair_codes, pairs = pd.factorize(area_codes.astype(np.int64) * len(item_names) + item_codes)
    pair_reasons = [
        _item_problem(area_names[p // len(item_names)], item_names[p % len(item_names)], known_areas, items, bank)
        for p in pairs
    ]
    reasons = np.array([*pair_reasons, None], dtype=object)[pair_codes]
    is_area = np.array([r is not None and r.startswith("unknown area") for r in pair_reasons] + [False])[pair_codes]
    report(is_area, "area", reasons, "use one of the five area ids")
    item_fix = "use the item bank this file was made with, or remove the row"
    report((reasons != None) & ~is_area, "item", reasons, item_fix)  # noqa: E711
    twice = pd.Series(block.astype(np.int64) * len(item_names) + item_codes).duplicated(keep="first").to_numpy()
    if twice.any():
        reasons = np.array([f"statement {v} appears twice" for v in columns["item"]], dtype=object)
        report(twice, "item", reasons, "keep one row per statement")
    reasons = verdicts("rating", lambda v: _rating_problem(v, bank))
    report(
        reasons != None,  # noqa: E711
        "rating",
        reasons,
        f"use {bank.scale_min} to {bank.scale_max}, or leave it blank for unanswered",
    )
    # Rejected at file level (a cut-off batch), then whole submissions with any bad row.
    if rows.reject:
        for s, i in rows.reject:
            bad |= (src == s) & (sid == i)
    bad_block = np.bincount(block, weights=bad, minlength=block[-1] + 1) > 0
    # The time is checked last, once per submission, and only where nothing else was wrong.
    firsts = np.flatnonzero(start & ~bad_block[block])
    if len(firsts):
        stamps = per_unique(columns["saved_at"][firsts], _time_problem)
        late = np.zeros(n, dtype=bool)
        late[firsts[stamps != None]] = True  # noqa: E711
        full = np.empty(n, dtype=object)
        full[firsts] = stamps
        report(late, "saved_at", full, "write it like 2026-11-26T18:30:00+00:00")
        bad_block[block[late]] = True
    keep = ~bad_block[block]
    problems.sort(key=lambda p: (p[0], p[1], p[2]))
    out = list(rows.problems) + [
        Problem(rows.sources[s], f"row {r}, column {c}", reason, fix) for s, r, _o, c, reason, fix in problems
    ]
    return frame[keep].reset_index(drop=True), out


def _version_problem(v: str) -> str | None:
    try:
        version = int(v)
    except ValueError:
        return f"'{v[:20]}' is not a format version"
    if not 1 <= version <= FORMAT_VERSION:
        return f"format version {version} is not one this Reconnect reads (1 to {FORMAT_VERSION})"
    return None


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
        return f"unknown area '{area[:30]}'"
    return f"'{item[:30]}' is not a statement of area {area} in item bank {bank.version}"


def _rating_problem(v: str, bank: ItemBank) -> str | None:
    if not v:
        return None
    try:
        rating = int(v)
    except ValueError:
        return f"'{v[:20]}' is not a whole number"
    if not bank.scale_min <= rating <= bank.scale_max:
        return f"{rating} is outside the scale {bank.scale_min}-{bank.scale_max}"
    return None


def _time_problem(v: str) -> str | None:
    try:
        stamp = datetime.fromisoformat(v)
    except ValueError:
        stamp = None
    if stamp is None or stamp.tzinfo is None:
        return f"'{v[:40]}' is not a time with a time zone"
    return None


def validate_bytes(data: bytes, label: str, bank: ItemBank | None = None, *, max_bytes: int = MAX_FILE_BYTES):
    """Validate the bytes of one file (one or more submissions) in memory: (good rows frame, problems).

    The rows frame has the :data:`COLUMNS` as text plus ``_row``; submissions with a problem are left
    out, every other submission is kept. Nothing is written anywhere.
    """
    bank = bank or load_item_bank()
    into = _Rows()
    _parse_bytes(data, label, into, max_bytes=max_bytes)
    return _check_rows(into, bank)


def read_submission_file(path: str | Path, bank: ItemBank | None = None) -> tuple[list[dict], list[Problem]]:
    """Parse and validate one file: (rows of its good submissions, problems of the others).

    A file normally holds one submission, so its rows are empty if anything is wrong; a batch file
    written by ``reconnect collect`` may hold many, and a bad row rejects only its own submission.
    """
    bank = bank or load_item_bank()
    path = Path(path)
    into = _Rows()
    _read_file(path, into)
    frame, problems = _check_rows(into, bank)
    rows = _records(frame)
    for rec in rows:
        rec["source"] = str(path)
    return rows, problems


def _read_file(path: Path, into: _Rows) -> None:
    p = str(path)
    limit = max_bytes_for(path.name)
    try:
        size = path.stat().st_size
        if size > limit:
            into.problems.append(
                Problem(
                    p,
                    "",
                    f"the file is {size:,} bytes, far larger than a submission can be",
                    "check that this is a Reconnect submission; it was left untouched",
                )
            )
            return
        data = path.read_bytes()
    except OSError as exc:
        into.problems.append(
            Problem(p, "", f"the file cannot be read ({exc.strerror or exc})", "check the file's permissions")
        )
        return
    _parse_bytes(data, p, into, max_bytes=limit)


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


def load_raw(store: str | Path, *, bank: ItemBank | None = None):
    """The validated rows of a store as text (plus ``source``), the problems, and how many files were read."""
    bank = bank or load_item_bank()
    folder = submissions_folder(store)
    into = _Rows()
    files = 0
    if folder.is_dir():
        try:
            entries = sorted(folder.iterdir())
        except OSError as exc:
            into.problems.append(
                Problem(str(folder), "", f"the folder cannot be read ({exc.strerror})", "check its permissions")
            )
            entries = []
        for path in entries:
            if path.name.startswith(TEMP_PREFIX) or path.name.startswith("."):
                continue  # an unfinished save: never a submission
            if path.suffix.lower() != ".csv" or not path.is_file():
                into.problems.append(
                    Problem(
                        str(path), "", "this is not a submission file (.csv)", "move it out of the submissions folder"
                    )
                )
                continue
            files += 1
            _read_file(path, into)
    frame, problems = _check_rows(into, bank)
    frame["source"] = _source_column(frame, into.sources)
    return frame, problems, files


def _source_column(frame, sources: list[str]):
    import numpy as np

    if not len(frame):
        return np.array([], dtype=object)
    return np.asarray(sources, dtype=object)[frame[_SRC].to_numpy(dtype=np.int64)]


def _typed_frame(raw):
    """Text rows (from :func:`load_raw`) to the tidy frame with stable dtypes, converting each distinct value once."""
    import numpy as np
    import pandas as pd

    if not len(raw):
        return to_frame([])
    out = pd.DataFrame(index=pd.RangeIndex(len(raw)))
    for c in COLUMNS:
        values = raw[c].to_numpy(dtype=object)
        if c == "format_version":
            out[c] = values.astype(np.int64)
        elif c == "rating":
            codes, uniques = pd.factorize(values)
            typed = pd.array([int(u) if u else None for u in uniques] + [None], dtype="Int64")
            out[c] = typed.take(codes)  # -1 never occurs
        elif c == "saved_at":  # the same on every row of a submission: convert it once per submission
            sid = raw["submission_id"].to_numpy(dtype=object)
            src = raw[_SRC].to_numpy()
            start = np.ones(len(raw), dtype=bool)
            start[1:] = (sid[1:] != sid[:-1]) | (src[1:] != src[:-1])
            codes, uniques = pd.factorize(values[start])
            stamps = pd.to_datetime(pd.Index(uniques), utc=True, format="ISO8601")
            out[c] = stamps.take(codes[np.cumsum(start) - 1])
        else:
            out[c] = pd.array(values, dtype="string")
    out["source"] = pd.array(raw["source"].to_numpy(dtype=object), dtype="string")
    return out


def to_frame(rows: list[dict]):
    """Build the tidy frame with stable dtypes from validated row dicts."""
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
