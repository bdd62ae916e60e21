"""The rows of many files read before they are checked together (`Rows`), and the cutting of one file into them.

:func:`reconnect.records.validate.parse_bytes` reads a file's bytes into `Rows` (small files as lists, large ones
with pandas' C parser); `check_rows` then checks them all at once. Every row carries its row number in
its file (`_ROW`) and the index of its file (`_SRC`), for messages. Part of the one validator: a change
here makes the batch cache check its files again (`batchcache._RULE_MODULES`).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from ..core.errors import Problem
from .submission import (
    COLUMNS,
    COLUMNS_V1,
)

_ROW = "_row"  # row number in its file (the header is row 1), for messages
_SRC = "_src"  # index of the file in the list of sources


@dataclass
class Rows:
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


def _cut_whole(label: str, into: Rows) -> None:
    into.problems.append(
        Problem(
            label,
            "last line",
            "the file ends in the middle of a line, so it looks cut off",
            "save the answers again; keep this file for reference",
        )
    )


def _cut_batch(label: str, into: Rows, src: int, last_sid: str, cut_row: int) -> None:
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
    if sorted(header) not in (sorted(COLUMNS), sorted(COLUMNS_V1)) or len(set(header)) != len(header):
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
    if body.count(b",") != (len(header) - 1) * (len(frame) + 1):
        return _split_csv(text, label)  # a short or long row: the csv module reports it exactly
    if len(header) < len(COLUMNS):  # format 1: no language column
        frame["language"] = ""
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
