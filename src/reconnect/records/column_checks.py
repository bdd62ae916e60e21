"""The validator's checks of every row of a file at once, one named check a column (numpy, vectorised).

:func:`reconnect.records.validate.check_rows` makes one :class:`ColumnChecks` over the rows of every
file and runs its checks in order; each check marks the rows it finds wrong (:attr:`ColumnChecks.bad`)
and records a problem for each. The reasons come from :mod:`reconnect.records.values`, the same
functions the loader's parsers use, so a value passes here only if it can be read later.
"""

from __future__ import annotations

from ..bank.model import ItemBank
from ..core.lazy import lazy
from .rows import _ROW, _SRC
from .submission import COLUMNS, FORMAT_VERSION
from .values import VALUE_CHECKS, _item_problem, _rating_problem, _version_item_problem

np = lazy("numpy")
pd = lazy("pandas")

# Fields that must be the same on every row of one file; the first group must not be blank either.
_CONSTANT = ("format_version", "submission_id", "participant", "session", "area", "saved_at", "bank_version")
_OPTIONAL_CONSTANT = ("workshop", "couple", "language")

_FIXES = {
    "format_version": f"it should be a number from 1 to {FORMAT_VERSION}",
    "submission_id": "save the answers again (Reconnect makes the id)",
    "participant": "codes look like KM7-4TX",
    "workshop": "use letters, digits, spaces, dots, dashes, underscores",
    "couple": "use letters, digits, spaces, dots, dashes, underscores",
    "session": "use letters, digits, spaces, dots, dashes, underscores",
    "bank_version": "use the version written in the item bank, e.g. 1.0",
    "language": "use the two-letter code of the language, e.g. en or es",
}


class ColumnChecks:
    """The rows of ``frame`` cut into submissions, and the checks of their columns.

    A submission is a run of rows with the same id in one file (the rows of one submission stay
    together). ``problems`` receives ``(src, row, order, column, reason, fix)`` for every wrong value.
    """

    def __init__(self, frame, bank: ItemBank, problems: list):
        self.bank, self.problems = bank, problems
        self.n = n = len(frame)
        self.src = src = frame[_SRC].to_numpy()
        self.rownum = frame[_ROW].to_numpy()
        self.sid = sid = frame["submission_id"].to_numpy(dtype=object)
        self.start = start = np.ones(n, dtype=bool)
        start[1:] = (sid[1:] != sid[:-1]) | (src[1:] != src[:-1])
        self.block = np.cumsum(start) - 1
        self.first_at = np.flatnonzero(start)[self.block]  # index of each row's submission's first row
        self.bad = np.zeros(n, dtype=bool)
        self.order = {c: i for i, c in enumerate(COLUMNS)}
        self.columns = {c: frame[c].to_numpy(dtype=object) for c in COLUMNS}
        self.factorized: dict = {}

    def report(self, mask, column, reasons, fix) -> None:
        """Report rows in ``mask``; ``reasons`` is a str or an array (one per row of the frame)."""
        idx = np.flatnonzero(mask)
        if not len(idx):
            return
        self.bad[idx] = True
        for i in idx:
            reason = reasons if isinstance(reasons, str) else reasons[i]
            self.problems.append((self.src[i], self.rownum[i], self.order.get(column, 99), column, reason, fix))

    def codes_of(self, c):
        """Each value of column ``c`` as a small integer (equal values, equal codes), computed once."""
        if c not in self.factorized:
            self.factorized[c] = pd.factorize(self.columns[c])
        return self.factorized[c]

    def verdicts(self, c, check):
        """``check`` (value -> reason or None) applied once per distinct value of ``c``; one per row."""
        codes, uniques = self.codes_of(c)
        return np.array([check(u) for u in uniques] + [None], dtype=object)[codes]

    def constant_fields(self) -> None:
        """The fields every row of a submission shares: never blank (the first group), never differing."""
        n, first_at = self.n, self.first_at
        for c in _CONSTANT + _OPTIONAL_CONSTANT:
            values = self.columns[c]
            if c in ("submission_id", "saved_at"):  # nearly one value per submission: compare the text
                blank = values == ""
                differs = values != values[first_at]
            else:  # few distinct values: compare their codes
                codes, uniques = self.codes_of(c)
                empty = np.flatnonzero(uniques == "")
                blank = codes == empty[0] if len(empty) else np.zeros(n, dtype=bool)
                differs = codes != codes[first_at]
            if c in _CONSTANT:
                self.report(blank, c, "this field is blank", "every row needs it; save the answers again")
            differs &= ~blank
            if differs.any():
                idx = np.flatnonzero(differs)
                reasons = np.empty(n, dtype=object)
                for i in idx:
                    reasons[i] = f"'{values[i]}' differs from '{values[first_at[i]]}' in row {self.rownum[first_at[i]]}"
                self.report(differs, c, reasons, "the rows of one submission must agree; save the answers again")

    def rows_together(self) -> None:
        """The same submission in two places of one file (rows not together): every part is rejected."""
        start = self.start
        starts = pd.DataFrame({"src": self.src[start], "sid": self.sid[start]})
        split = starts.duplicated(keep="first").to_numpy()
        if split.any():
            again = np.zeros(self.n, dtype=bool)
            again[np.flatnonzero(start)[split]] = True
            self.report(
                again,
                "submission_id",
                "the rows of this submission are not together: it appears twice in the file",
                "keep each submission's rows one after another",
            )
            # Every part of it is rejected, the first part too: on its own it would look complete.
            every_part = starts.duplicated(keep=False).to_numpy()
            self.bad[np.isin(self.block, np.flatnonzero(every_part))] = True

    def value_shapes(self) -> None:
        """Each field's value by the same check the loader's reader uses (blanks were reported above)."""
        columns, bank = self.columns, self.bank
        # From format 2 on, every submission says the language it was answered in.
        unsaid = (columns["language"] == "") & (columns["format_version"] != "1")
        self.report(
            unsaid, "language", "this field is blank", "format 2 records the language of the answers; save them again"
        )
        for c, fix in _FIXES.items():
            check = VALUE_CHECKS[c]
            reasons = self.verdicts(c, lambda v, check=check: check(v, bank) if v else None)  # blanks: reported above
            self.report(reasons != None, c, reasons, fix)  # noqa: E711

    def statements(self) -> None:
        """Known areas and statements, exactly those of the bank version named, each once a submission."""
        bank = self.bank
        known_areas = {a.id for a in bank.areas}
        items = bank.item_index()
        area_codes, area_names = self.codes_of("area")
        item_codes, item_names = self.codes_of("item")
        pair_codes, pairs = pd.factorize(area_codes.astype(np.int64) * len(item_names) + item_codes)
        pair_reasons = [
            _item_problem(area_names[p // len(item_names)], item_names[p % len(item_names)], known_areas, items, bank)
            for p in pairs
        ]
        reasons = np.array([*pair_reasons, None], dtype=object)[pair_codes]
        is_area = np.array([r is not None and r.startswith("unknown area") for r in pair_reasons] + [False])[pair_codes]
        self.report(is_area, "area", reasons, "use one of the five area ids")
        item_fix = "use the item bank this file was made with, or remove the row"
        self.report((reasons != None) & ~is_area, "item", reasons, item_fix)  # noqa: E711
        # Exactly its version's statements: a statement retired before the version a submission declares,
        # or one first asked after it, is refused (else 7 answers could score an area of 6 statements).
        version_codes, version_names = self.codes_of("bank_version")
        triple = (version_codes.astype(np.int64) * len(pairs) + pair_codes) if len(pairs) else pair_codes
        triple_codes, triples = pd.factorize(triple)
        asked: dict = {}
        triple_reasons = [
            _version_item_problem(
                version_names[t // len(pairs)],
                area_names[pairs[t % len(pairs)] // len(item_names)],
                item_names[pairs[t % len(pairs)] % len(item_names)],
                items,
                bank,
                asked,
            )
            for t in triples
        ]
        reasons = np.array([*triple_reasons, None], dtype=object)[triple_codes]
        self.report(
            reasons != None,  # noqa: E711
            "item",
            reasons,
            "a submission holds only the statements of the item-bank version it names; save the answers again",
        )
        per_block = pd.Series(self.block.astype(np.int64) * len(item_names) + item_codes)
        twice = per_block.duplicated(keep="first").to_numpy()
        if twice.any():
            reasons = np.array([f"statement {v} appears twice" for v in self.columns["item"]], dtype=object)
            self.report(twice, "item", reasons, "keep one row per statement")

    def ratings(self) -> None:
        """Each rating on the bank's scale, or blank for unanswered."""
        bank = self.bank
        reasons = self.verdicts("rating", lambda v: _rating_problem(v, bank))
        self.report(
            reasons != None,  # noqa: E711
            "rating",
            reasons,
            f"use {bank.scale_min} to {bank.scale_max}, or leave it blank for unanswered",
        )
