"""The room's tables as CSV for a spreadsheet: formula-safe cells, numbers as numbers, nothing a table did not show.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..core.csvfile import csv_text
from ..core.errors import InputError


# -- exports ----------------------------------------------------------------------------------------
def to_csv_text(table: pd.DataFrame) -> str:
    """A protected group table as CSV text: hidden cells say 'hidden', every cell is neutralised.

    Written by the package's one CSV writer for spreadsheets (:func:`reconnect.core.csvfile.csv_text`), so
    no cell, and no line inside a cell, can become a formula.

    Examples
    --------
    >>> text = to_csv_text(pd.DataFrame({"title": ["Standing\\r=HYPERLINK(1)"], "mean": [float("nan")]}))
    >>> "\\r'=HYPERLINK(1)" in text, text.endswith('"hidden"\\n')
    (True, True)
    """
    rows = []
    for row in table.itertuples(index=False):
        cells = []
        for v in row:
            if v is None or (not isinstance(v, str) and pd.isna(v)):
                cells.append("hidden")
            elif isinstance(v, float):
                cells.append(f"{v:.1f}")
            else:
                cells.append(v if isinstance(v, str) else str(v))
        rows.append(cells)
    return csv_text([str(c) for c in table.columns], rows, for_spreadsheet=True)


def write_csv(table: pd.DataFrame, path: str | Path) -> Path:
    """Write :func:`to_csv_text` to a new file (never replacing an existing one)."""
    from ..core.files import write_new

    path = Path(path)
    if path.exists():
        raise InputError(f"{path} already exists and was left as it is. Choose another file name for the CSV.")
    return write_new(path, to_csv_text(table).encode("utf-8"), mode=0o600)
