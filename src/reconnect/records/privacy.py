"""See what is stored about a participant, and erase it on request (design.md §5).

Erasing is the one place where Reconnect deletes files, so it is narrow and deliberate: only the
participant's own files in one data folder, only after they type their code again to confirm, and
a collected batch file (which also holds other people's answers) is never rewritten here; it is
listed so that the facilitator can be asked to remove it.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path

from ..bank.i18n import _
from ..core.errors import InputError
from ..core.files import TEMP_PREFIX, csv_files_below, entries_named, leftovers
from . import batchcache
from .codes import normalise_participant_code
from .store import submissions_folder

# Folders that hold one participant's files only, named by the participant code.
PERSONAL_FOLDERS = ("journal", "drafts", "participants", "guesses")


@dataclass
class Stored:
    """What one data folder holds about one participant."""

    code: str
    submissions: list[Path] = field(default_factory=list)  # files holding only this participant's answers
    unfinished: list[Path] = field(default_factory=list)  # hidden leftovers of saves cut short (crash, kill)
    shared_batches: list[Path] = field(default_factory=list)  # collected files that also hold others' answers
    personal: dict[str, list[Path]] = field(default_factory=dict)  # journal / drafts / participants
    is_current: bool = False

    @property
    def files(self) -> list[Path]:
        return [*self.submissions, *self.unfinished, *(p for paths in self.personal.values() for p in paths)]

    def lines(self) -> list[str]:
        """A plain description, one line per kind of data."""
        out = [
            _("Saved ratings: {n} file(s) in submissions/").format(n=len(self.submissions)),
            *(
                [
                    _("Unfinished saves (left by a save that was cut short): {n} hidden file(s)").format(
                        n=len(self.unfinished)
                    )
                ]
                if self.unfinished
                else []
            ),
            _("Private journal notes: {n}").format(n=len(self.personal.get("journal", []))),
            _("Answers chosen but not saved (drafts): {n}").format(n=len(self.personal.get("drafts", []))),
            _("Guesses about how your partner answered: {n} file(s)").format(n=len(self.personal.get("guesses", []))),
            _("Settings (code, optional name, workshop, couple code, session, sharing): {n} file(s)").format(
                n=len(self.personal.get("participants", []))
            ),
        ]
        if self.shared_batches:
            out.append(
                _(
                    "Collected batch files that also hold other people's answers: {n} "
                    "(not erased here; ask the facilitator to remove your answers from them)"
                ).format(n=len(self.shared_batches))
            )
        return out


def _participants_in(path: Path) -> set[str]:
    try:
        text = path.read_text(encoding="utf-8-sig")
        return {str(row.get("participant") or "").strip().upper() for row in csv.DictReader(io.StringIO(text))}
    except (OSError, UnicodeDecodeError, csv.Error):
        return set()


def _mentions(path: Path, code: str) -> bool:
    try:
        with open(path, "rb") as handle:
            return code.lower().encode() in handle.read(1 << 20).lower()
    except OSError:
        return False


def stored_about(home: str | Path, code: str) -> Stored:
    """Every file in ``home`` that holds something about participant ``code``.

    Examples
    --------
    >>> import tempfile
    >>> stored_about(tempfile.mkdtemp(), "KM7-4TX").files
    []
    """
    code = normalise_participant_code(code)
    home = Path(home)
    found = Stored(code)
    folder = submissions_folder(home)
    if folder.is_dir():
        # submissions/<code>/ (and any folder whose name a file system may take for it: km7-4tx):
        # everything in it is this participant's.
        own_folders = [d for d in entries_named(folder, code) if d.is_dir() and not d.is_symlink()]
        for own in own_folders:
            for path in sorted(own.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    (found.unfinished if path.name.startswith(TEMP_PREFIX) else found.submissions).append(path)
        # Every other CSV-kind file (.csv, .CSV, ...; flat files of earlier versions, collected batches,
        # copies in other folders): theirs when it holds their code, shared when it holds others' too.
        for path in csv_files_below(folder):
            if any(own in path.parents for own in own_folders):
                continue
            people = _participants_in(path)
            if code in people:
                (found.shared_batches if people != {code} else found.submissions).append(path)
        # Leftovers of saves cut short directly in submissions/ (earlier versions): theirs if they name them.
        found.unfinished.extend(p for p in leftovers(folder) if _mentions(p, code))
    # A half-written pointer (current.json) in the data folder itself.
    found.unfinished.extend(p for p in leftovers(home) if _mentions(p, code))
    for name in PERSONAL_FOLDERS:
        found.personal[name] = sorted(
            p
            for sub in entries_named(home / name, code)
            if sub.is_dir() and not sub.is_symlink()
            for p in sub.rglob("*")
            if p.is_file()
        )
    try:
        found.is_current = str(json.loads((home / "current.json").read_text()).get("participant")).upper() == code
    except (OSError, ValueError, AttributeError):
        found.is_current = False
    return found


def erase_participant(home: str | Path, code: str, *, confirm: str) -> Stored:
    """Delete everything ``home`` holds about ``code`` alone; ``confirm`` must be the code typed again.

    Returns what was found (and is now removed). Files that also hold other people's answers are
    left untouched and listed in ``shared_batches``. The data folder's batch cache (checked copies of
    collected batch files, :mod:`reconnect.records.batchcache`), if it has one, is removed too.
    """
    code = normalise_participant_code(code)
    try:
        typed = normalise_participant_code(confirm)
    except InputError:
        typed = None
    if typed != code:
        raise InputError(
            _("To erase, type your participant code {code} in the box exactly as shown. Nothing was erased.").format(
                code=code
            )
        )
    found = stored_about(home, code)
    for path in found.files:
        path.unlink(missing_ok=True)
    batchcache.clear(home)  # checked copies of collected batch files, if any: rebuilt from what is left
    for name in (*PERSONAL_FOLDERS, "submissions"):
        for folder in entries_named(Path(home) / name, code):
            if folder.is_dir() and not folder.is_symlink():
                for sub in sorted((p for p in folder.rglob("*") if p.is_dir()), reverse=True):
                    _rmdir_if_empty(sub)
                _rmdir_if_empty(folder)
    if found.is_current:
        (Path(home) / "current.json").unlink(missing_ok=True)
    return found


def _rmdir_if_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass  # something else is in it (e.g. a file added meanwhile): leave it
