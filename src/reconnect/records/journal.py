"""The private journal: free-text reflections, kept apart from submissions.

Reflections are written under ``<home>/journal/<participant code>/`` and are never read by
any group view, export or collection: only the participant's own notebooks show them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from ..bank.i18n import _, number
from ..core.errors import InputError, Problem
from ..core.files import TEMP_PREFIX, random_id, write_new
from .codes import normalise_participant_code

MAX_REFLECTION = 20_000


@dataclass(frozen=True)
class Reflection:
    participant: str
    area: str
    prompt: str
    text: str
    saved_at: datetime


def journal_folder(home: str | Path, participant: str) -> Path:
    return Path(home) / "journal" / normalise_participant_code(participant)


def save_reflection(home: str | Path, *, participant: str, area: str, prompt: str, text: str) -> Path:
    """Write one reflection as a new file in the participant's journal.

    Examples
    --------
    >>> import tempfile
    >>> p = save_reflection(tempfile.mkdtemp(), participant="KM7-4TX", area="distrust",
    ...                     prompt="What helps?", text="Talking on walks.")
    >>> p.suffix
    '.json'
    """
    body = str(text or "").strip()
    if not body:
        raise InputError(_("The reflection is empty. Write a few words first; nothing was saved."))
    if len(body) > MAX_REFLECTION:
        raise InputError(
            _(
                "The reflection is {length} characters; keep it under {limit} or split it in two. Nothing was saved."
            ).format(length=number(len(body)), limit=number(MAX_REFLECTION))
        )
    now = datetime.now(timezone.utc)
    record = {
        "format_version": 1,
        "participant": normalise_participant_code(participant),
        "area": area,
        "prompt": prompt,
        "text": body,
        "saved_at": now.isoformat(timespec="milliseconds"),
    }
    data = json.dumps(record, ensure_ascii=False, indent=2).encode("utf-8")
    name = f"note-{now:%Y%m%dT%H%M%S}-{random_id(6)}.json"
    return write_new(journal_folder(home, participant) / name, data)


def load_journal(
    home: str | Path, participant: str, *, area: str | None = None
) -> tuple[list[Reflection], list[Problem]]:
    """Every reflection of a participant (oldest first), optionally for one area, and problems."""
    folder = journal_folder(home, participant)
    notes: list[Reflection] = []
    problems: list[Problem] = []
    if not folder.is_dir():
        return notes, problems
    for path in sorted(folder.glob("*.json")):
        if path.name.startswith(TEMP_PREFIX):
            continue
        try:
            rec = json.loads(path.read_text(encoding="utf-8"))
            note = Reflection(
                rec["participant"],
                rec["area"],
                rec.get("prompt", ""),
                rec["text"],
                datetime.fromisoformat(rec["saved_at"]),
            )
            if note.saved_at.tzinfo is None or not isinstance(note.text, str) or not isinstance(note.area, str):
                raise ValueError("a field has the wrong kind of value")  # would break sorting and display
        except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
            problems.append(
                Problem(
                    str(path),
                    "",
                    _("this journal note cannot be read ({error})").format(error=type(exc).__name__),
                    _("open it in a text editor; it was left untouched"),
                )
            )
            continue
        if area is None or note.area == area:
            notes.append(note)
    notes.sort(key=lambda n: n.saved_at)
    return notes, problems
