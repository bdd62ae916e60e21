"""Collecting submissions into a facilitator's store, and "Export my answers".

Two ways in, one file format (``docs/data-format.md``):

* :func:`collect` imports submission files, folders of them and zip archives (e.g. the file from
  "Export my answers", :func:`export_answers`) into a store. A submission is identified by its
  ``submission_id`` and its content: collecting the same thing twice imports nothing the second
  time. Anything invalid is reported with its reason and left untouched. Nothing is written outside
  the store's ``submissions/`` folder, and nothing already collected is changed or removed.
* After a participant's Save, a copy of the submission is dropped into the collection folder named by
  ``RECONNECT_COLLECT`` (:func:`collection_folder`), which participants can add to but not read:
  :mod:`reconnect.records.drop_folder` sets it up and writes the copies.
"""

from __future__ import annotations

import errno
import hashlib
import io
import os
import re
import stat
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

from ..bank.content import load_item_bank
from ..bank.i18n import _
from ..bank.model import ItemBank
from ..core.csvfile import csv_lines, csv_text
from ..core.errors import Problem, StoreError
from ..core.files import TEMP_PREFIX, ensure_folder, random_id, read_bytes_bounded
from .batchcache import CACHE_FOLDER
from .collect_progress import _Progress
from .guesses import guess_problem
from .rows import Rows
from .store import (
    BATCH_PREFIX,
    BATCH_SUBMISSIONS,
    COLUMNS,
    MAX_FILE_BYTES,
    load_raw,
    store_lock,
    submissions_folder,
)
from .validate import check_rows, max_bytes_for, parse_bytes
from .values import SUBMISSION_ID

COLLECT_ENV = "RECONNECT_COLLECT"
STORE_FILE_MODE = 0o600
MAX_ARCHIVE_MEMBERS = 20_000
MAX_ARCHIVE_TOTAL = 200 * 1024 * 1024  # declared uncompressed size of one archive
MAX_RATIO = 200  # uncompressed / compressed: more than this is a zip bomb, not a CSV
_ID_RE = SUBMISSION_ID  # checked by the validator; checked again here before an id names anything
_JUNK_NAMES = {".ds_store", "thumbs.db", "desktop.ini"}


@dataclass
class CollectResult:
    """What :func:`collect` did: new files, submissions already there, and rejects with reasons."""

    imported: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    rejected: list[Problem] = field(default_factory=list)
    files: int = 0  # files (and archive entries) looked at

    @property
    def ok(self) -> bool:
        return not self.rejected

    def summary(self) -> str:
        """One line, e.g. ``3 imported, 1 already there, 2 rejected``."""
        line = _("{imported} imported, {already} already there, {rejected} rejected").format(
            imported=len(self.imported), already=len(self.already), rejected=len(self.rejected)
        )
        if not self.imported and self.already and not self.rejected:
            line += " " + _("(everything in the source was collected before; nothing new)")
        return line


@dataclass
class _Candidate:
    label: str  # where it came from, for messages (never used as a path to write)
    data: bytes | None = None
    problem: Problem | None = None
    path: Path | None = None  # a file still to be read (read while the progress bar runs)


def collect(
    sources: list[str | Path],
    into: str | Path | None,
    *,
    bank: ItemBank | None = None,
    workshop: str | None = None,
    progress=None,
    progress_from: int = 20,
    dry_run: bool = False,
) -> CollectResult:
    """Import submissions from files, folders and zip archives into the store ``into``.

    ``workshop``, when given, rejects submissions of other workshops. Submissions made with an item-bank
    version this bank does not know (neither its own nor one whose statements it keeps as retired) are
    rejected (their statements may differ). ``progress`` is a text stream for a
    progress bar, shown when there are at least ``progress_from`` files.

    ``dry_run=True`` (what ``reconnect validate`` uses) runs every check and writes nothing; with
    ``into=None`` nothing counts as already collected. Two collects into one store at once take
    turns (:func:`reconnect.records.store.store_lock`), so nothing is imported twice.

    Examples
    --------
    >>> import tempfile
    >>> collect([tempfile.mkdtemp()], tempfile.mkdtemp()).summary()
    '0 imported, 0 already there, 1 rejected'
    """
    bank = bank or load_item_bank()
    store = Path(into) if into is not None else None
    if store is not None and not dry_run:
        target = _writable_store(store)
        with store_lock(store):
            return _collect(sources, store, target, bank, workshop, progress, progress_from)
    return _collect(sources, store, None, bank, workshop, progress, progress_from)


def _collect(sources, store, target, bank, workshop, progress, progress_from) -> CollectResult:
    result = CollectResult()
    # Read inside the lock: a collect that ran meanwhile is seen, and its submissions are not imported again.
    known = _index_store(store, bank) if store is not None and store.is_dir() else {}
    candidates: list[_Candidate] = []
    for source in sources:
        candidates.extend(_candidates(Path(source), store))
    stream = progress if len(candidates) >= progress_from else None
    bar = _Progress(len(candidates), stream)
    result.files = len(candidates)
    rows = Rows()
    for cand in candidates:
        bar.step()
        if cand.path is not None:
            cand = _file_candidate(cand.path, cand.label)
        if cand.problem is not None:
            result.rejected.append(cand.problem)
            continue
        name = PurePosixPath(cand.label.replace("\\", "/")).name
        carries = guess_problem(name, cand.data)  # a CSV with a guess column: never collected
        if carries:
            result.rejected.append(Problem(cand.label, "", *carries))
            continue
        limit = max_bytes_for(name) if "!" not in cand.label else MAX_FILE_BYTES
        parse_bytes(cand.data or b"", cand.label, rows, max_bytes=limit)
    if stream is not None and rows.sources:
        stream.write(f"checking the submissions in {len(rows.sources):,} files...\n")
        stream.flush()
    frame, problems = check_rows(rows, bank, dedupe=False)
    result.rejected.extend(problems)
    accepted: list[str] = []
    for label, sid, first, digest, text in _submissions(frame, rows.sources):
        _decide(label, sid, first, digest, text, known, bank, workshop, result, accepted)
    if target is not None:
        _write_batches(target, accepted, stream)
    return result


def _submissions(frame, sources: list[str]):
    """Each validated submission of ``frame``, in order: (label, id, first row, digest, canonical text)."""
    import numpy as np

    if not len(frame):
        return
    lines = _canonical_lines(frame)
    src = frame["_src"].to_numpy()
    sid = frame["submission_id"].to_numpy(dtype=object)
    n = len(frame)
    start = np.ones(n, dtype=bool)
    start[1:] = (sid[1:] != sid[:-1]) | (src[1:] != src[:-1])
    bounds = [*np.flatnonzero(start).tolist(), n]
    records = frame[["workshop", "bank_version"]].to_numpy(dtype=object)
    for a, b in zip(bounds[:-1], bounds[1:]):
        text = "".join(lines[a:b])
        yield sources[src[a]], sid[a], records[a], _digest(text), text


def _canonical_lines(frame) -> list[str]:
    """Each row as the line a batch file holds (the package's one CSV writer, :mod:`reconnect.core.csvfile`)."""
    return csv_lines(frame, COLUMNS)


def _decide(label, sid, first, digest, text, known, bank, workshop, result, accepted) -> None:
    shop, bank_version = first
    if _ID_RE.fullmatch(sid) and known.get(sid) == digest:
        result.already.append(label)
        return
    if not _ID_RE.fullmatch(sid):
        result.rejected.append(
            Problem(label, "submission_id", "the id is not a Reconnect id", "save the answers again")
        )
        return
    if workshop is not None and shop != workshop:
        result.rejected.append(
            Problem(
                label,
                "workshop",
                f"the submission belongs to workshop '{shop or '(none)'}', not '{workshop}'",
                "collect it into that workshop's store, or leave out --workshop",
            )
        )
        return
    if bank_version not in bank.known_versions:  # earlier versions whose statements the bank still knows load
        result.rejected.append(
            Problem(
                label,
                "bank_version",
                f"it was made with item bank version {bank_version}, this store uses {bank.version}",
                "collect it with the item bank it was made with (--item-bank), into a separate store",
            )
        )
        return
    if sid in known:
        result.rejected.append(
            Problem(
                label,
                "submission_id",
                f"a different submission with the same id {sid} is already collected; the collected one was kept",
                "check where this file came from; nothing was changed",
            )
        )
        return
    known[sid] = digest
    accepted.append(text)
    result.imported.append(label)


def _write_batches(target: Path, accepted: list[str], stream) -> list[Path]:
    """Write the accepted submissions as new batch files, each whole or not at all, fsynced once."""
    from ..core.files import write_new

    header = csv_text(COLUMNS, [])
    written = []
    for i in range(0, len(accepted), BATCH_SUBMISSIONS):
        chunk = accepted[i : i + BATCH_SUBMISSIONS]
        path = target / f"{BATCH_PREFIX}{random_id()}.csv"
        try:
            written.append(write_new(path, (header + "".join(chunk)).encode("utf-8"), mode=STORE_FILE_MODE))
        except StoreError as exc:
            raise StoreError(
                f"{exc} The {len(written)} batch file(s) written before are complete; collect again to import the rest."
            ) from None
        if stream is not None:
            stream.write(f"wrote {path.name} ({len(chunk):,} submissions)\n")
            stream.flush()
    return written


def _writable_store(store: Path) -> Path:
    target = submissions_folder(store)
    if store.exists() and not store.is_dir():
        raise StoreError(f"The store {store} is a file, not a folder. Choose a folder for --into.")
    ensure_folder(target)
    probe = target / f"{TEMP_PREFIX}probe-{random_id(4)}"
    try:
        fd = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, STORE_FILE_MODE)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            raise StoreError(
                f"The store {store} is read-only, so nothing can be collected into it. Nothing was changed. "
                "Make the folder writable, or collect into another folder with --into."
            ) from None
        raise StoreError(f"Cannot write into the store {store}: {exc.strerror or exc}. Nothing was changed.") from None
    return target


def _index_store(store: Path, bank: ItemBank) -> dict[str, str]:
    """submission_id -> content digest of every submission that loads from the store.

    Worked out from the store itself each time (never kept in a file of its own), so it cannot
    disagree with what is there.
    """
    frame, _problems, _files = load_raw(store, bank=bank)
    return {sid: digest for _label, sid, _first, digest, _text in _submissions(frame, [""] * (1 + _max_src(frame)))}


def _max_src(frame) -> int:
    return int(frame["_src"].max()) if len(frame) else 0


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _reject(label: str, reason: str, fix: str) -> _Candidate:
    return _Candidate(label, problem=Problem(label, "", reason, fix))


def _candidates(source: Path, store: Path) -> list[_Candidate]:
    label = str(source)
    if source.is_symlink():
        return [_reject(label, "this is a link, and links are not followed", "collect the file or folder itself")]
    if not source.exists():
        return [_reject(label, "there is no such file or folder", "check the spelling of the path")]
    if source.is_dir():
        return _folder_candidates(source, store)
    if not source.is_file():  # a device, a pipe, a socket: never opened (reading /dev/zero never ends)
        return [_reject(label, "this is not a regular file (a device or a pipe)", "collect .csv or .zip files only")]
    if zipfile.is_zipfile(source):
        return _zip_candidates(source)
    return [_Candidate(label, path=source)]


def _file_candidate(path: Path, label: str) -> _Candidate:
    name = path.name.lower()
    limit = max_bytes_for(path.name)
    carries = guess_problem(path.name)
    if carries:
        return _reject(label, *carries)
    if name in _JUNK_NAMES or path.suffix.lower() != ".csv":
        return _reject(label, _not_a_submission(path.name), "leave it out; only submission .csv files are collected")
    try:
        info = path.lstat()
        if not stat.S_ISREG(info.st_mode):
            return _reject(label, "this is not a regular file (a link, a device or a pipe)", "collect .csv files only")
        if info.st_size > limit:
            return _reject(label, f"the file is {info.st_size:,} bytes, far too large for a submission", "check it")
        data = read_bytes_bounded(path, limit)  # never waits on a pipe, never reads more than the limit
    except OSError as exc:
        return _reject(label, f"the file cannot be read ({exc.strerror or exc})", "check its permissions")
    if len(data) > limit:
        return _reject(label, "the file is far too large for a submission", "check that it is a Reconnect submission")
    return _Candidate(label, data)


def _not_a_submission(name: str) -> str:
    lower = name.lower()
    if lower.startswith("note-") and lower.endswith(".json"):
        return "this looks like a private journal note; reflections are never collected"
    if lower.endswith(".zip"):
        return "this is an archive inside an archive; it is not opened"
    return "this is not a submission file (.csv)"


def _folder_candidates(folder: Path, store: Path) -> list[_Candidate]:
    out: list[_Candidate] = []
    store_sub = submissions_folder(store).resolve() if store is not None else None
    for root, dirs, files in os.walk(folder, followlinks=False):
        here = Path(root)
        if store_sub is not None and (here.resolve() == store_sub or store_sub in here.resolve().parents):
            continue  # collecting the store into itself: nothing to do
        for d in list(dirs):
            if (here / d).is_symlink():
                out.append(_reject(str(here / d), "this is a link, and links are not followed", "copy the folder"))
        dirs[:] = sorted(
            d
            for d in dirs
            if not (here / d).is_symlink()
            and d not in ("journal", "participants", "drafts", "logs", CACHE_FOLDER)
            and d.lower() != "guesses"  # a data folder's guesses about a partner: never read (issue 26)
        )
        for name in sorted(files):
            path = here / name
            if name.startswith(TEMP_PREFIX) or name == "current.json" or name.startswith("README"):
                continue  # an unfinished save, or a participant's own pointer/readme: never a submission
            if path.is_symlink():
                out.append(_reject(str(path), "this is a link, and links are not followed", "copy the file itself"))
            elif path.suffix.lower() == ".zip" and path.is_file():
                out.extend(_zip_candidates(path))
            else:
                out.append(_Candidate(str(path), path=path))
    if not out:
        out.append(
            _reject(str(folder), "the folder holds no files to collect", "point at the folder of handed-in files")
        )
    return out


def _zip_candidates(archive: Path) -> list[_Candidate]:
    label = str(archive)
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        return [_reject(label, f"the archive cannot be opened ({exc})", "ask for the file again")]
    out: list[_Candidate] = []
    with zf:
        members = zf.infolist()
        if len(members) > MAX_ARCHIVE_MEMBERS:
            return [_reject(label, f"the archive has {len(members):,} entries, far too many", "check the archive")]
        declared = sum(m.file_size for m in members)
        if declared > MAX_ARCHIVE_TOTAL:
            return [_reject(label, f"the archive unpacks to {declared:,} bytes, far too much", "check the archive")]
        for m in members:
            where = f"{label}!{m.filename}"
            if m.is_dir():
                continue
            problem = _member_problem(m)
            if problem:
                out.append(_reject(where, *problem))
                continue
            name = PurePosixPath(m.filename).name
            carries = guess_problem(m.filename)
            if carries:
                out.append(_reject(where, *carries))
                continue
            if {"journal", "participants", "drafts", "logs"} & set(PurePosixPath(m.filename).parts[:-1]):
                continue  # a participant's private notes or settings: never collected, not even looked at
            if name.startswith(TEMP_PREFIX) or name.lower() in ("current.json",) or name.startswith("README"):
                continue
            if name.lower() in _JUNK_NAMES or not name.lower().endswith(".csv"):
                out.append(_reject(where, _not_a_submission(name), "leave it out; only submission .csv files count"))
                continue
            try:
                with zf.open(m) as handle:
                    data = handle.read(MAX_FILE_BYTES + 1)
            except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, EOFError) as exc:
                out.append(_reject(where, f"this entry cannot be unpacked ({exc})", "ask for the file again"))
                continue
            if len(data) > MAX_FILE_BYTES:
                out.append(
                    _reject(where, "this entry unpacks to far more than a submission can be", "check the archive")
                )
                continue
            out.append(_Candidate(where, data))
    if not out:
        out.append(_reject(label, "the archive holds no files", "ask for the file again"))
    return out


def _member_problem(m: zipfile.ZipInfo) -> tuple[str, str] | None:
    name = m.filename
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        return "the entry has an absolute path", "this archive was not made by Reconnect; it was not unpacked"
    if ".." in parts:
        return "the entry's path climbs out of the folder (../)", "this archive is unsafe; it was not unpacked"
    kind = stat.S_IFMT(m.external_attr >> 16)
    if kind == stat.S_IFLNK:
        return "the entry is a symbolic link", "links are never followed; collect the real files"
    if kind not in (0, stat.S_IFREG):
        return "the entry is not a regular file", "collect submission .csv files only"
    if m.flag_bits & 0x1:
        return "the entry is encrypted", "ask for the file again without a password"
    if m.file_size > MAX_FILE_BYTES:
        return f"the entry says it unpacks to {m.file_size:,} bytes, far too large", "check the archive"
    if m.compress_size and m.file_size / m.compress_size > MAX_RATIO:
        return "the entry is packed far more tightly than any CSV (a zip bomb?)", "it was not unpacked"
    return None


def collection_folder() -> Path | None:
    """The collection folder set by whoever runs the workshop (``RECONNECT_COLLECT``), or ``None``."""
    from ..core.settings_env import path

    return path(COLLECT_ENV)


# -- export for handing in --------------------------------------------------------------------------
def export_answers(home: str | Path, participant: str, *, bank: ItemBank | None = None) -> Path:
    """Write every submission of ``participant`` into one new zip file in ``home/exports/``.

    The zip holds only submission files (ratings): never reflections, settings or the display name.
    Each export gets a new name, so an earlier export is never replaced. ``reconnect collect``
    imports it as it is.
    """
    from ..core.files import write_new

    bank = bank or load_item_bank()
    frame, _problems, _files = load_raw(home, bank=bank)
    mine = frame[frame["participant"] == participant].reset_index(drop=True) if len(frame) else frame
    if not len(mine):
        raise StoreError(
            _(
                "There are no saved answers for this participant code yet, so there is nothing to export. "
                "Save your answers in one of the area notebooks first."
            )
        )
    header = csv_text(COLUMNS, [])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        # One file per submission, rebuilt from its own rows: a batch file is never copied whole, so
        # nobody else's answers can travel with an export.
        for _label, sid, _first, _digest, text in _submissions(mine, [""] * (1 + _max_src(mine))):
            zf.writestr(f"submissions/sub-{sid}.csv", header + text)
    now = datetime.now(timezone.utc)
    name = f"reconnect-answers-{now:%Y%m%d-%H%M%S}-{random_id(3)}.zip"
    return write_new(Path(home) / "exports" / name, buffer.getvalue(), mode=0o600)
