"""Submissions: one participant's ratings for one area at one moment, one CSV file each.

A store is a folder with a ``submissions/`` sub-folder. Saving writes a new file with a random
name (never rewriting one); loading validates every file, reports each bad one with what is wrong
and how to fix it, leaves it where it is, and still loads every good file.
See ``docs/data-format.md`` for the format.
"""

from __future__ import annotations

import csv
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
# Fields that must be the same on every row of one file, and must not be blank.
_CONSTANT = ("format_version", "submission_id", "participant", "session", "area", "saved_at", "bank_version")
_OPTIONAL_CONSTANT = ("workshop", "couple")
MAX_FILE_BYTES = 256 * 1024
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
    check_submission(sub, bank)
    path = submissions_folder(store) / f"sub-{sub.submission_id}.csv"
    return write_new(path, sub.to_csv())


def read_submission_file(path: str | Path, bank: ItemBank | None = None) -> tuple[list[dict], list[Problem]]:
    """Parse and validate one submission file: (rows, problems). Rows are empty if any problem."""
    bank = bank or load_item_bank()
    path = Path(path)
    p = str(path)

    def fail(location, reason, fix):
        return [], [Problem(p, location, reason, fix)]

    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return fail(
                "",
                f"the file is {size:,} bytes, far larger than a submission can be",
                "check that this is a Reconnect submission; it was left untouched",
            )
        data = path.read_bytes()
    except OSError as exc:
        return fail("", f"the file cannot be read ({exc.strerror or exc})", "check the file's permissions")
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
    if not text.endswith("\n"):
        return fail(
            "last line",
            "the file ends in the middle of a line, so it looks cut off",
            "save the answers again; keep this file for reference",
        )
    reader = csv.reader(io.StringIO(text))
    try:
        rows = list(reader)
    except csv.Error as exc:
        return fail(
            f"line {reader.line_num}", f"the CSV cannot be read ({exc})", "open it in a text editor and check quotes"
        )
    header, body = rows[0], [r for r in rows[1:] if r]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        return fail(
            "header",
            f"column(s) missing: {', '.join(missing)}",
            f"the first line must name the columns {','.join(COLUMNS)}",
        )
    col = {name: header.index(name) for name in COLUMNS}
    if not body:
        return fail("", "the file has a header but no ratings", "save the answers again from the notebook")

    problems: list[Problem] = []

    def bad(row, column, reason, fix):
        problems.append(Problem(p, f"row {row}, column {column}", reason, fix))

    first = body[0]
    version_text = first[col["format_version"]] if len(first) > col["format_version"] else ""
    try:
        version = int(version_text)
    except ValueError:
        return fail("row 2, column format_version", f"'{version_text}' is not a format version", "it should be 1")
    if version > FORMAT_VERSION:
        return fail(
            "row 2, column format_version",
            f"the file uses format {version}, made by a newer Reconnect (this one reads up to {FORMAT_VERSION})",
            "update Reconnect (git pull, then make lab) and load again",
        )
    if version < 1:
        return fail("row 2, column format_version", f"format version {version} does not exist", "it should be 1")

    out: list[dict] = []
    seen_items: set[str] = set()
    items = bank.item_index()
    constants: dict[str, str] = {}
    for n, row in enumerate(body, start=2):
        if len(row) != len(header):
            problems.append(
                Problem(
                    p,
                    f"row {n}",
                    f"the row has {len(row)} fields but the header has {len(header)}",
                    "the file may be cut off or edited by hand; save the answers again",
                )
            )
            continue
        rec = {c: row[col[c]].strip() for c in COLUMNS}
        for c in _CONSTANT + _OPTIONAL_CONSTANT:
            if c in _CONSTANT and not rec[c]:
                bad(n, c, "this field is blank", "every row needs it; save the answers again")
            elif constants.setdefault(c, rec[c]) != rec[c]:
                bad(
                    n,
                    c,
                    f"'{rec[c]}' differs from '{constants[c]}' in row 2",
                    "a file holds one submission; split it or save again",
                )
        if rec["participant"] and not is_participant_code(rec["participant"]):
            bad(n, "participant", f"'{rec['participant'][:20]}' is not a participant code", "codes look like KM7-4TX")
        for c, what in (("workshop", "workshop code"), ("couple", "couple code"), ("session", "session label")):
            try:
                normalise_label(rec[c], what=what)
            except ValueError:
                bad(
                    n,
                    c,
                    f"the {what} has characters that are not allowed",
                    "use letters, digits, spaces, dots, dashes, underscores",
                )
        area, item = rec["area"], rec["item"]
        if (area, item) not in items:
            if area and area not in {a.id for a in bank.areas}:
                bad(n, "area", f"unknown area '{area[:30]}'", "use one of the five area ids")
            else:
                bad(
                    n,
                    "item",
                    f"'{item[:30]}' is not a statement of area {area} in item bank {bank.version}",
                    "use the item bank this file was made with, or remove the row",
                )
        if item in seen_items:
            bad(n, "item", f"statement {item} appears twice", "keep one row per statement")
        seen_items.add(item)
        rating: int | None = None
        if rec["rating"]:
            try:
                rating = int(rec["rating"])
            except ValueError:
                bad(
                    n,
                    "rating",
                    f"'{rec['rating'][:20]}' is not a whole number",
                    f"use {bank.scale_min} to {bank.scale_max}, or leave it blank for unanswered",
                )
            else:
                if not bank.scale_min <= rating <= bank.scale_max:
                    bad(
                        n,
                        "rating",
                        f"{rating} is outside the scale {bank.scale_min}-{bank.scale_max}",
                        f"use {bank.scale_min} to {bank.scale_max}, or leave it blank for unanswered",
                    )
        rec["rating"] = rating
        out.append(rec)
    if not problems:
        try:
            stamp = datetime.fromisoformat(constants["saved_at"])
            if stamp.tzinfo is None:
                raise ValueError
        except ValueError:
            bad(
                2,
                "saved_at",
                f"'{constants['saved_at'][:40]}' is not a time with a time zone",
                "write it like 2026-11-26T18:30:00+00:00",
            )
    if problems:
        return [], problems
    for rec in out:
        rec["source"] = p
    return out, []


def load_store(store: str | Path, *, bank: ItemBank | None = None) -> StoreData:
    """Load every submission in ``store``: a tidy DataFrame and a list of problems.

    Files with problems are reported and left in place; every good file still loads. A missing
    store gives an empty frame (nothing has been saved yet).
    """
    bank = bank or load_item_bank()
    folder = submissions_folder(store)
    rows: list[dict] = []
    problems: list[Problem] = []
    files = 0
    if folder.is_dir():
        try:
            entries = sorted(folder.iterdir())
        except OSError as exc:
            problems.append(
                Problem(str(folder), "", f"the folder cannot be read ({exc.strerror})", "check its permissions")
            )
            entries = []
        for path in entries:
            if path.name.startswith(TEMP_PREFIX) or path.name.startswith("."):
                continue  # an unfinished save: never a submission
            if path.suffix.lower() != ".csv" or not path.is_file():
                problems.append(
                    Problem(
                        str(path), "", "this is not a submission file (.csv)", "move it out of the submissions folder"
                    )
                )
                continue
            files += 1
            got, bad = read_submission_file(path, bank)
            rows.extend(got)
            problems.extend(bad)
    return StoreData(to_frame(rows), problems, files)


def to_frame(rows: list[dict]):
    """Build the tidy frame with stable dtypes from validated row dicts."""
    import pandas as pd

    frame = pd.DataFrame(rows, columns=[*COLUMNS, "source"])
    frame["format_version"] = pd.to_numeric(frame["format_version"]).astype("int64")
    frame["rating"] = frame["rating"].astype("Int64")
    frame["saved_at"] = pd.to_datetime(frame["saved_at"], utc=True, format="ISO8601")
    for c in (
        "submission_id",
        "participant",
        "workshop",
        "couple",
        "session",
        "area",
        "item",
        "bank_version",
        "source",
    ):
        frame[c] = frame[c].astype("string")
    return frame


def latest_submissions(frame):
    """Keep, per participant, session and area, only the newest submission (history stays on disk)."""
    if frame.empty:
        return frame
    newest = frame.sort_values(["saved_at", "submission_id"]).drop_duplicates(
        ["participant", "session", "area"], keep="last"
    )["submission_id"]
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
