"""The one validator: every check a submission file must pass, for a Save, a store, ``validate`` and ``collect``.

Reading happens in two steps, so that one validator serves a single Save, a batch of thousands of
submissions, a whole store and ``reconnect collect``:

1. File level (:func:`parse_bytes`): size, UTF-8, cut off, header, fields per row, format version.
   A file that fails here is reported once and none of it loads (it cannot be read reliably).
2. Submission level (:func:`check_rows`, vectorised with pandas over every row of every file at
   once, one named check a column in :mod:`reconnect.records.column_checks`): a bad row rejects only
   its own submission; every other submission, in the same file or elsewhere, still loads.

The rule that keeps a store from being poisoned: a value passes here only if the code that later
reads it (:func:`parse_times`, :func:`parse_rating`, ...) accepts it, because both use the same
functions. After validation, loading cannot fail because of one file's content.
"""

from __future__ import annotations

from ..bank.content import load_item_bank
from ..bank.model import ItemBank
from ..core.errors import Problem, SubmissionError, show
from .codes import is_participant_code, normalise_label
from .column_checks import ColumnChecks
from .repeats import _drop_repeats
from .rows import _ROW, _SRC, Rows, _cut_batch, _cut_whole, _split_csv, _split_fast
from .submission import (
    BATCH_PREFIX,
    COLUMNS,
    FORMAT_VERSION,
    MAX_BATCH_BYTES,
    MAX_FILE_BYTES,
    Submission,
)
from .values import (
    _DIGITS,
    VALUE_CHECKS,
    _time_reasons,
    time_shape_ok,
)

_TIME_COL = "_time"  # the parsed saved_at of each row, computed once by the validator for the loader

#: Columns a file of an older format does not have: (column, the format that added it).
_ADDED = {"language": 2}

_PANDAS_FROM = 512 * 1024  # files at least this large are parsed with pandas' C parser


def max_bytes_for(name: str) -> int:
    """How large a file may be: a batch file written by ``reconnect collect`` may hold many submissions."""
    return MAX_BATCH_BYTES if name.startswith(BATCH_PREFIX) else MAX_FILE_BYTES


def parse_bytes(data: bytes, label: str, into: Rows, *, max_bytes: int = MAX_FILE_BYTES) -> None:
    """File-level checks of one file's bytes; good rows go into ``into``, problems too."""
    text = _decode(data, label, max_bytes)
    if isinstance(text, Problem):
        into.problems.append(text)
        return None
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
    col = _read_header(header, body, rows, label, into, cut=cut)
    if col is None:
        return None
    if rows is None:  # csv path: lists of strings
        _take_lists(header, body, col, label, into, cut=cut)
    else:  # pandas path: a DataFrame already in COLUMNS order
        _take_frame(body, label, into, cut=cut)
    return None


def _decode(data: bytes, label: str, max_bytes: int) -> str | Problem:
    """The file's text, or the problem with its size or encoding."""
    if len(data) > max_bytes:
        return Problem(
            label,
            "",
            f"the file is {len(data):,} bytes, far larger than a submission can be",
            "check that this is a Reconnect submission; it was left untouched",
        )
    if not data.strip():
        return Problem(
            label, "", "the file is empty", "save the answers again from the notebook; this file can be deleted"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return Problem(
            label,
            f"byte {exc.start}",
            "the file is not UTF-8 text",
            "if it was edited in a spreadsheet, save it again as 'CSV UTF-8'",
        )


def _read_header(header, body, rows, label: str, into: Rows, *, cut: bool) -> list | None:
    """Each of :data:`COLUMNS`' place in the header (None: a column of a later format), or None
    when the header or the format version is wrong (the problem is then in ``into``)."""

    def fail(location, reason, fix):
        into.problems.append(Problem(label, location, reason, fix))

    missing = [c for c in COLUMNS if c not in header and c not in _ADDED]
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
    col = [header.index(c) if c in header else None for c in COLUMNS]  # None: a column of a later format
    first_version = body[0][col[0]].strip() if rows is None else str(body[COLUMNS[0]].iloc[0]).strip()
    if not _DIGITS.fullmatch(first_version):
        return fail(
            "row 2, column format_version",
            f"'{show(first_version[:20])}' is not a format version",
            f"it should be a number from 1 to {FORMAT_VERSION}",
        )
    version = int(first_version)
    if version > FORMAT_VERSION:
        return fail(
            "row 2, column format_version",
            f"the file uses format {version}, made by a newer Reconnect (this one reads up to {FORMAT_VERSION})",
            "update Reconnect (git pull, then make lab) and load again",
        )
    if version < 1:
        return fail(
            "row 2, column format_version",
            f"format version {version} does not exist",
            f"it should be a number from 1 to {FORMAT_VERSION}",
        )
    late = [c for c, since in _ADDED.items() if since <= version and c not in header]
    if late:
        return fail(
            "header",
            f"column(s) missing: {', '.join(late)} (format {version} has them)",
            f"the first line must name the columns {','.join(COLUMNS)}",
        )
    return col


def _take_lists(header: list, body: list, col: list, label: str, into: Rows, *, cut: bool) -> None:
    """The csv path's rows (lists of strings) into ``into``, unless a row's field count is wrong."""
    src = into.add_source(label)
    sid_col = col[1]
    width = len(header)
    short = [(n, len(r)) for n, r in enumerate(body, start=2) if len(r) != width]
    if short:
        for n, got in short:
            into.problems.append(
                Problem(
                    label,
                    f"row {n}",
                    f"the row has {got} fields but the header has {width}",
                    "the file may be cut off or edited by hand; save the answers again",
                )
            )
        into.sources.pop()
        return None
    sids = {r[sid_col].strip() for r in body}
    if cut:
        if len(sids) < 2:
            into.sources.pop()
            return _cut_whole(label, into)
        _cut_batch(label, into, src, body[-1][sid_col].strip(), len(body) + 2)
    into.lists.extend(
        [*(r[i].strip() if i is not None else "" for i in col), n, src] for n, r in enumerate(body, start=2)
    )
    return None


def _take_frame(body, label: str, into: Rows, *, cut: bool) -> None:
    """The pandas path's DataFrame (already in :data:`COLUMNS` order) into ``into``."""
    src = into.add_source(label)
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


def check_rows(rows: Rows, bank: ItemBank, *, dedupe: bool = True, checked=()):
    """Submission-level checks, vectorised over every row: (good rows, problems).

    A problem in a row rejects the whole submission it belongs to (a submission is a unit: loading
    part of one would change its score), and nothing else. With ``dedupe`` (loading), a submission
    found in several files counts once; ``collect`` decides about repeats itself (``dedupe=False``).

    ``checked``: rows of files that already passed these checks on their own, with no problem at all
    (:mod:`reconnect.records.batchcache`), as frames with the columns of the good rows and ``_src`` naming
    their file in ``rows.sources``. They join the good rows in file order before the one check that
    spans files (the same submission in two files), so they are counted exactly as if read again.
    """
    import numpy as np
    import pandas as pd

    frame = rows.frame()
    problems: list[tuple] = []  # (src, row, order, column, reason, fix)
    if frame.empty and not checked:
        return frame, rows.problems
    good = _check_values(frame, rows, bank, problems) if not frame.empty else None
    parts = [p for p in (good, *checked) if p is not None and len(p)]
    if not parts:
        good = good if good is not None else frame
    elif len(parts) == 1:
        good = parts[0].reset_index(drop=True)
    else:
        good = pd.concat(parts, ignore_index=True)
        order = good[_SRC].to_numpy()
        if len(order) > 1 and (order[1:] < order[:-1]).any():  # keep the order of the files
            good = good.take(np.argsort(order, kind="stable")).reset_index(drop=True)
    if dedupe and len(good):
        good = _drop_repeats(good, rows.sources, problems)
    problems.sort(key=lambda p: (p[0], p[1], p[2]))
    out = list(rows.problems) + [
        Problem(rows.sources[s], f"row {r}, column {c}" if c else f"row {r}", reason, fix)
        for s, r, _o, c, reason, fix in problems
    ]
    return good, out


def _check_values(frame, rows: Rows, bank: ItemBank, problems: list):
    """Every check within a file: the good rows (whole submissions, with their parsed time)."""
    import numpy as np
    import pandas as pd

    check = ColumnChecks(frame, bank, problems)
    check.constant_fields()
    check.rows_together()
    check.value_shapes()
    check.statements()
    check.ratings()
    n, src, sid, start, block, bad = check.n, check.src, check.sid, check.start, check.block, check.bad
    # Rejected at file level (a cut-off batch), then whole submissions with any bad row.
    if rows.reject:
        for s, i in rows.reject:
            bad |= (src == s) & (sid == i)
    bad_block = np.bincount(block, weights=bad, minlength=block[-1] + 1) > 0
    # The time is checked last, once per submission, and only where nothing else was wrong; it is
    # parsed here by the loader's own parser, and the result is handed to the loader.
    firsts = np.flatnonzero(start & ~bad_block[block])
    times = np.full(int(block[-1]) + 1, np.datetime64("NaT", "ns"), dtype="datetime64[ns]")
    if len(firsts):
        codes, uniques = pd.factorize(check.columns["saved_at"][firsts])
        parsed, why = _time_reasons(list(uniques))
        late = np.zeros(n, dtype=bool)
        late[firsts[why[codes] != None]] = True  # noqa: E711
        full = np.empty(n, dtype=object)
        full[firsts] = why[codes]
        check.report(late, "saved_at", full, "write it like 2026-11-26T18:30:00+00:00")
        bad_block[block[late]] = True
        times[block[firsts]] = parsed.tz_localize(None).as_unit("ns").to_numpy()[codes]
    keep = ~bad_block[block]
    good = frame[keep].reset_index(drop=True)
    good[_TIME_COL] = pd.DatetimeIndex(times[block[keep]]).tz_localize("UTC")
    return good


def validate_bytes(data: bytes, label: str, bank: ItemBank | None = None, *, max_bytes: int = MAX_FILE_BYTES):
    """Validate the bytes of one file (one or more submissions) in memory: (good rows frame, problems).

    The rows frame has the :data:`COLUMNS` as text plus ``_row``; submissions with a problem are left
    out, every other submission is kept. Nothing is written anywhere.
    """
    bank = bank or load_item_bank()
    into = Rows()
    parse_bytes(data, label, into, max_bytes=max_bytes)
    return check_rows(into, bank)


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
        version = sub.bank_version if sub.bank_version in bank.known_versions else bank.version
        known = bank.statements_of(version)[area.id]
        for item, rating in sub.ratings.items():
            if item not in known:
                bad(
                    f"statement {item}",
                    f"not a statement of {area.id} in item bank {version}",
                    "use the statements of the item bank version the answers name",
                )
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
    # The same per-value checks that every file meets when it is read back.
    for column, value in (
        ("submission_id", sub.submission_id),
        ("bank_version", sub.bank_version),
        ("language", sub.language),
    ):
        reason = VALUE_CHECKS[column](value, bank)
        if reason:
            bad(column, reason, "save again; if it happens again, check the item bank's version")
    # The stamp comes from a real datetime, so its date exists; the shape is what the loader checks first.
    if not time_shape_ok(sub.stamp):
        bad("saved_at", f"the time {sub.stamp} cannot be stored", "check the computer's clock, then save again")
    if problems:
        raise SubmissionError("These answers cannot be saved yet; nothing was saved.", problems)
