"""A submission handed in more than once is kept once: the repeats among checked rows, found and said.

Part of the one validator (:func:`reconnect.records.validate.check_rows` calls :func:`_drop_repeats`); a
change here makes the batch cache check its files again (`batchcache._RULE_MODULES`).
"""

from __future__ import annotations

from .rows import _ROW, _SRC
from .submission import (
    COLUMNS,
)


def _drop_repeats(good, sources, problems: list):
    """One submission in two files: identical copies count once (the first file's); copies that differ
    are all refused, since nobody can tell which is right, and each is named with the other's file.

    ``good`` holds whole submissions that passed every other check, in file order.
    """
    import numpy as np
    import pandas as pd

    n = len(good)
    src = good[_SRC].to_numpy()
    sid = good["submission_id"].to_numpy(dtype=object)
    start = np.ones(n, dtype=bool)
    start[1:] = (sid[1:] != sid[:-1]) | (src[1:] != src[:-1])
    heads = np.flatnonzero(start)
    repeated = pd.Series(sid[heads]).duplicated(keep=False).to_numpy()
    if not repeated.any():
        return good
    block = np.cumsum(start) - 1
    bad_block = np.zeros(len(heads), dtype=bool)
    columns = {c: good[c].to_numpy(dtype=object) for c in COLUMNS}
    rownum = good[_ROW].to_numpy()
    _dedupe(good, columns, heads[repeated], block, bad_block, sources, src, rownum, problems, n)
    return good[~bad_block[block]].reset_index(drop=True)


def _dedupe(frame, columns, heads, block, bad_block, sources, src, rownum, problems, n) -> None:
    """Drop later identical copies of a submission; refuse every copy where the copies differ."""
    import numpy as np

    bounds = np.flatnonzero(np.r_[True, block[1:] != block[:-1]])
    ends = np.r_[bounds[1:], n]
    content = {}
    for h in heads:
        b = block[h]
        rows = range(bounds[b], ends[b])
        content[h] = tuple(tuple(columns[c][i] for c in COLUMNS) for i in rows)
    by_id: dict = {}
    for h in heads:
        by_id.setdefault(columns["submission_id"][h], []).append(h)
    for sid, copies in by_id.items():
        first = copies[0]
        if all(content[h] == content[first] for h in copies[1:]):
            bad_block[[block[h] for h in copies[1:]]] = True  # counted once, from the first file
            continue
        for h in copies:
            bad_block[block[h]] = True
            others = ", ".join(f"{sources[src[o]]} row {rownum[o]}" for o in copies if o != h)
            problems.append(
                (
                    src[h],
                    rownum[h],
                    1,
                    "submission_id",
                    f"submission {sid} is also in {others} with different answers; neither copy was loaded",
                    "keep the right copy and move the other out of the folder",
                )
            )
