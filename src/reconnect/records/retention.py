"""Delete one workshop's collected answers from a facilitator's store (``reconnect forget-workshop``).

Deleting is deliberate and narrow (GDPR storage limitation and erasure; docs/facilitator-guide.md):

- only the ``submissions/`` folder of the store named, only rows whose ``workshop`` is the code given,
  and only after that code is typed again to confirm;
- a file holding only that workshop's answers is removed;
- a batch file that also holds other workshops is **never edited in place**: the other workshops' rows
  are written to a *new* file (:func:`reconnect.core.files.write_new`: temporary name, fsync, link), the new
  file is read back and checked to hold exactly the other workshops' submissions, and only then is the
  old file removed. The new name comes from the content (``batch-<sha256>.csv``), so a run that was
  interrupted between the two steps is finished by running the same command again, without duplicates;
- a file that cannot be read as a Reconnect CSV is left as it is and reported;
- the store's batch cache (:mod:`reconnect.records.batchcache`, checked copies of batch files) is removed
  whenever a file was deleted or rewritten; the next load rebuilds it from what is left.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

from ..bank.content import load_item_bank
from ..bank.model import ItemBank
from ..core.csvfile import csv_text
from ..core.errors import InputError, Problem, StoreError
from ..core.files import csv_files_below, write_new
from . import batchcache
from .codes import normalise_label
from .store import BATCH_PREFIX, COLUMNS, COLUMNS_V1, read_submission_file, store_lock, submissions_folder

STORE_FILE_MODE = 0o600


@dataclass
class _Split:
    path: Path
    ours: int  # submissions of the workshop in this file
    others: list[list[str]]  # rows of other workshops, as text, in file order
    header: tuple = COLUMNS  # the file's own columns (a format-1 file keeps format 1's)

    @property
    def whole_file(self) -> bool:
        return not self.others


@dataclass
class ForgetPlan:
    """What forgetting a workshop would do to a store (nothing is changed while planning)."""

    store: Path
    workshop: str
    remove: list[Path] = field(default_factory=list)  # files holding only this workshop
    rewrite: list[_Split] = field(default_factory=list)  # batch files also holding other workshops
    skipped: list[Problem] = field(default_factory=list)  # files that could not be read: left as they are
    submissions: int = 0
    guesses: list[Path] = field(default_factory=list)  # guess files of the workshop's participants (issue 26)

    @property
    def empty(self) -> bool:
        return not self.remove and not self.rewrite and not self.guesses

    def lines(self) -> list[str]:
        out = [
            f"Workshop '{self.workshop}' in {self.store}: {self.submissions} submission(s) in "
            f"{len(self.remove) + len(self.rewrite)} file(s)."
        ]
        if self.remove:
            out.append(f"{len(self.remove)} file(s) hold only this workshop and would be deleted.")
        if self.rewrite:
            kept = sum(len(s.others) for s in self.rewrite)
            out.append(
                f"{len(self.rewrite)} batch file(s) also hold other workshops: their {kept} row(s) of other "
                "workshops would be copied into new files first, then the old files deleted."
            )
        if self.guesses:
            out.append(f"{len(self.guesses)} file(s) of guesses about a partner would be deleted.")
        for problem in self.skipped:
            out.append(f"left as it is (could not be read): {problem}")
        return out


@dataclass
class ForgetResult:
    workshop: str
    removed: list[Path] = field(default_factory=list)
    rewritten: list[tuple[Path, Path]] = field(default_factory=list)  # (old, new)
    submissions: int = 0
    problems: list[Problem] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [f"Deleted: {p.name}" for p in self.removed]
        out += [
            f"Rewritten without workshop '{self.workshop}': {old.name} -> {new.name}" for old, new in self.rewritten
        ]
        out += [f"Not done: {p}" for p in self.problems]
        out.append(
            f"Workshop '{self.workshop}': {self.submissions} submission(s) deleted "
            f"({len(self.removed)} file(s) deleted, {len(self.rewritten)} batch file(s) rewritten without it)."
        )
        return out


def plan_forget(store: str | Path, workshop: str) -> ForgetPlan:
    """Find every file of ``store`` holding answers of ``workshop``; change nothing.

    Examples
    --------
    >>> import tempfile
    >>> plan_forget(tempfile.mkdtemp(), "TUESDAY").empty
    True
    """
    workshop = normalise_label(workshop, what="workshop code", required=True)
    store = Path(store)
    plan = ForgetPlan(store, workshop)
    from .guesses import files_of_workshop

    plan.guesses = files_of_workshop(store, lambda value: same_workshop(value, workshop))
    folder = submissions_folder(store)
    if not folder.is_dir():
        return plan
    # Flat files (batches, handed-in copies) and participants' own folders (submissions/<code>/).
    # Every file a file system may treat as CSV (.csv, .CSV, .Csv ...), at any depth: a copy of the
    # workshop's answers survives nowhere in the store because of how its name is written.
    for path in csv_files_below(folder):
        if not path.is_file():
            continue
        split, problem = _split(path, workshop)
        if problem is not None:
            plan.skipped.append(problem)
        elif split is not None:
            plan.submissions += split.ours
            if split.whole_file:
                plan.remove.append(split.path)
            else:
                plan.rewrite.append(split)
    return plan


def forget_workshop(store: str | Path, workshop: str, *, confirm: str, bank: ItemBank | None = None) -> ForgetResult:
    """Delete every answer of ``workshop`` from ``store``; ``confirm`` must be the workshop code typed again.

    Other workshops' answers stay exactly as they were (their rows move to new files where a batch
    file held both). Returns what was deleted and rewritten.
    """
    workshop = normalise_label(workshop, what="workshop code", required=True)
    if str(confirm or "").strip() != workshop:
        raise InputError(
            f"To delete, type the workshop code '{workshop}' exactly as it is written (same capitals). "
            "Nothing was deleted."
        )
    bank = bank or load_item_bank()
    with store_lock(store):  # a collect running at the same time waits, and sees the result whole
        return _forget(store, workshop, bank)


def _delete(path: Path, result: ForgetResult) -> bool:
    """Delete one file of the plan; a file already gone is not an error, any other failure is a problem listed."""
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    except OSError as exc:
        reason = f"it could not be deleted ({exc.strerror or exc})"
        result.problems.append(Problem(str(path), "", reason, "check the folder's permissions"))
        return False
    result.removed.append(path)
    return True


def _forget(store, workshop: str, bank: ItemBank) -> ForgetResult:
    plan = plan_forget(store, workshop)
    result = ForgetResult(workshop, problems=list(plan.skipped))
    for split in plan.rewrite:
        try:
            new = _rewrite(split, workshop, bank)
        except StoreError as exc:
            result.problems.append(
                Problem(str(split.path), "", str(exc), "nothing in this file was changed; run the command again")
            )
            continue
        result.rewritten.append((split.path, new))
        result.submissions += split.ours
    for path in plan.remove:
        ours, problem = _split(path, workshop)  # read again: count what is actually removed
        if problem is not None or ours is None or not ours.whole_file:
            continue
        if _delete(path, result):
            result.submissions += ours.ours
    for path in plan.guesses:  # guesses about a partner of the workshop's participants (issue 26)
        _delete(path, result)
    if result.removed or result.rewritten:
        batchcache.clear(store)  # the checked copies hold the workshop's answers too; the next load rebuilds them
    return result


def _split(path: Path, workshop: str) -> tuple[_Split | None, Problem | None]:
    """The rows of ``path`` that belong to other workshops, if any row belongs to ``workshop``."""
    try:
        text = path.read_text(encoding="utf-8-sig")
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        return None, Problem(str(path), "", f"it could not be read as a CSV file ({exc})", "check it by hand")
    if not rows:
        return None, None
    header = tuple(rows[0])
    if header not in (COLUMNS, COLUMNS_V1):  # this format's header, or format 1's (no language column)
        return None, Problem(
            str(path), "row 1", "its header is not the one Reconnect writes", "check the file with reconnect validate"
        )
    col = header.index("workshop")
    sid = header.index("submission_id")
    body = [r for r in rows[1:] if r]
    if any(len(r) != len(header) for r in body):
        return None, Problem(
            str(path), "", "some rows do not have every column", "check the file with reconnect validate"
        )
    ours = {r[sid] for r in body if same_workshop(r[col], workshop)}
    if not ours:
        return None, None
    return _Split(path, len(ours), [r for r in body if not same_workshop(r[col], workshop)], header), None


def same_workshop(value: str, workshop: str) -> bool:
    """Whether a row's workshop is ``workshop``, whatever its capitals or surrounding spaces (``tuesday`` = ``TUESDAY``).

    >>> same_workshop(" tuesday ", "TUESDAY"), same_workshop("TUESDAY-2", "TUESDAY")
    (True, False)
    """
    return str(value).strip().casefold() == str(workshop).strip().casefold()


def _rewrite(split: _Split, workshop: str, bank: ItemBank) -> Path:
    """Copy the other workshops' rows into a new file, check it, then delete the old file."""
    data = csv_text(split.header, split.others).encode("utf-8")  # the package's one CSV writer, the file's own columns
    new = split.path.parent / f"{BATCH_PREFIX}{hashlib.sha256(data).hexdigest()[:24]}.csv"
    if new.exists():  # an earlier run wrote it and stopped before deleting the old file
        if new.read_bytes() != data:
            raise StoreError(f"{new.name} already exists with other content; it was left as it is.")
    else:
        write_new(new, data, mode=STORE_FILE_MODE)
    expected = _good_rows(split.path, bank, exclude=workshop)
    found = _good_rows(new, bank, exclude=None)
    if found != expected:
        new.unlink(missing_ok=True)
        raise StoreError(
            f"the copy of the other workshops' answers in {new.name} did not read back the same, so it was "
            "removed again"
        )
    split.path.unlink()
    return new


def _good_rows(path: Path, bank: ItemBank, *, exclude: str | None) -> list[tuple]:
    """The loadable rows of ``path`` (optionally without one workshop), in a comparable form."""
    rows, _problems = read_submission_file(path, bank)
    keep = [r for r in rows if exclude is None or not same_workshop(r["workshop"], exclude)]
    return sorted(tuple(str(r[c]) for c in COLUMNS) for r in keep)
