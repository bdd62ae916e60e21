"""The one CSV writer of the package: submissions, batch files, exports and group tables.

Every CSV Reconnect writes goes through :func:`csv_text` (or :func:`csv_lines` for many rows at
once), so a value holding a comma, a quote or a line break can never split a row, whoever wrote it.

Python's csv module quotes a field holding ``\\n`` but not one holding only ``\\r`` (with ``\\n``
as the line end), and a reader then ends the row at the ``\\r``. Rows with a ``\\r`` anywhere are
therefore written with every field quoted.

Files meant for spreadsheets (``for_spreadsheet=True``) also pass every text cell through
:func:`neutralise`, so that no cell, and no line inside a cell, can be read as a formula.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

# A spreadsheet reads a cell as a formula when it starts with one of these (tab and CR too: some
# programs strip them first). Any line of a multi-line cell counts, since LibreOffice and Excel may
# split a pasted cell at its line breaks.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_NEEDS_QUOTES = re.compile(r'[,"\r\n]')


def neutralise(value: object) -> object:
    """Make a cell safe for spreadsheets: text that starts, or has a line that starts, with a formula sign.

    Such text gets a leading ``'`` (shown by spreadsheets as text) and each dangerous line inside it
    gets one too. Numbers are left alone.

    Examples
    --------
    >>> neutralise("=HYPERLINK(1)"), neutralise("-3"), neutralise(-3), neutralise("ok")
    ("'=HYPERLINK(1)", "'-3", -3, 'ok')
    >>> neutralise("Standing\\r=HYPERLINK(1)")
    "Standing\\r'=HYPERLINK(1)"
    """
    if not isinstance(value, str):
        return value
    if value.startswith(_FORMULA_START):
        value = "'" + value
    if "\n" in value or "\r" in value:
        value = re.sub(r"([\r\n])(?=[=+\-@\t])", r"\1'", value)
    return value


def _line(cells: Sequence[object], *, for_spreadsheet: bool = False) -> str:
    out = io.StringIO()
    cells = ["" if v is None else (neutralise(v) if for_spreadsheet else v) for v in cells]
    has_cr = any(isinstance(v, str) and "\r" in v for v in cells)
    csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL if has_cr else csv.QUOTE_MINIMAL).writerow(cells)
    return out.getvalue()


def csv_text(header: Sequence[object], rows: Iterable[Sequence[object]], *, for_spreadsheet: bool = False) -> str:
    """CSV text of ``header`` and ``rows`` (``\\n`` line ends), every field safely quoted.

    Examples
    --------
    >>> csv_text(["a", "b"], [["x,y", "1"], ["p\\rq", ""]])
    'a,b\\n"x,y",1\\n"p\\rq",""\\n'
    >>> csv_text(["t"], [["=1+1"]], for_spreadsheet=True)
    "t\\n'=1+1\\n"
    """
    if for_spreadsheet:
        table = [["" if v is None else neutralise(v) for v in row] for row in (header, *rows)]
    else:
        table = [r if isinstance(r, (list, tuple)) else list(r) for r in (header, *rows)]  # None: an empty field
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(table)  # the usual case: no \r anywhere, one writer
    text = out.getvalue()
    if "\r" not in text:
        return text
    out = io.StringIO()
    writers: dict = {}  # one writer per quoting, all into ``out`` in row order (as _line writes each row)
    for row in table:
        cells = ["" if v is None else v for v in row]
        has_cr = any(isinstance(v, str) and "\r" in v for v in cells)
        writer = writers.get(has_cr)
        if writer is None:
            quoting = csv.QUOTE_ALL if has_cr else csv.QUOTE_MINIMAL
            writer = writers[has_cr] = csv.writer(out, lineterminator="\n", quoting=quoting)
        writer.writerow(cells)
    return out.getvalue()


def csv_lines(frame, columns: Sequence[str]) -> list[str]:
    """Each row of ``frame`` (text columns) as one CSV line ending in ``\\n``, fast for many rows.

    Rows whose values need no quoting (the common case: a validated submission never does) are
    joined with commas in one vectorised step; any other row goes through the csv module, so the
    result is always exactly what :func:`csv_text` writes. Each distinct value is checked once.

    Examples
    --------
    >>> import pandas as pd
    >>> csv_lines(pd.DataFrame({"a": ["1", "x,y"], "b": ["2", "q"]}), ["a", "b"])
    ['1,2\\n', '"x,y",q\\n']
    """
    import numpy as np
    import pandas as pd

    if not len(frame):
        return []
    needs = np.zeros(len(frame), dtype=bool)
    for c in columns:
        codes, uniques = pd.factorize(frame[c].astype(str), use_na_sentinel=False)
        bad = np.fromiter((bool(_NEEDS_QUOTES.search(u)) for u in uniques), dtype=bool, count=len(uniques))
        needs |= bad[codes]
    out = frame[columns[0]].astype(str)
    for c in columns[1:]:
        out = out + "," + frame[c].astype(str)
    lines = (out + "\n").tolist()
    if needs.any():
        rows = frame[list(columns)].astype(str).to_numpy(dtype=object)
        for i in np.flatnonzero(needs):
            lines[i] = _line(list(rows[i]))
    return lines
