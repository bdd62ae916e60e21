"""Unsaved answers (drafts): what a participant has chosen but not saved yet.

A reloaded page or a restarted kernel would otherwise lose answers chosen before Save. The rating
form therefore keeps a *draft*: one small JSON file per participant, session and area under
``<home>/drafts/<participant code>/``, replaced atomically after every change (not fsynced: it outlasts a
reload, a restarted kernel or server, not a power cut) and removed after a successful Save. A draft is never a submission: no loader, collection, export or group view reads
it, and its file name is a hash, never something a person typed.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

from ..core.files import replace_file
from .codes import normalise_participant_code


@dataclass(frozen=True)
class Draft:
    ratings: dict[str, int | None]
    saved_at: datetime


def draft_path(home: str | Path, *, participant: str, session: str, area: str) -> Path:
    return _draft_path(str(home), participant, session, area)


@lru_cache(maxsize=64)
def _draft_path(home: str, participant: str, session: str, area: str) -> Path:
    # The same four values always name the same file: worked out once (every change and Save asks).
    key = hashlib.sha256(f"{session}\n{area}".encode()).hexdigest()[:16]
    return Path(home) / "drafts" / normalise_participant_code(participant) / f"draft-{key}.json"


def save_draft(home: str | Path, *, participant: str, session: str, area: str, ratings: dict[str, int | None]) -> Path:
    """Write (or replace) the draft of one area.

    Examples
    --------
    >>> import tempfile
    >>> home = tempfile.mkdtemp()
    >>> _ = save_draft(home, participant="KM7-4TX", session="before", area="distrust", ratings={"dt1": 4})
    >>> load_draft(home, participant="KM7-4TX", session="before", area="distrust").ratings
    {'dt1': 4}
    """
    record = {
        "format_version": 1,
        "participant": normalise_participant_code(participant),
        "session": session,
        "area": area,
        "ratings": ratings,
        "saved_at": datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
    }
    path = draft_path(home, participant=participant, session=session, area=area)
    # Not fsynced: a draft is written on every answer and promises to outlast a reload or a restarted
    # kernel (the system's cache does), not a power cut; Save is what makes answers durable.
    return replace_file(path, json.dumps(record).encode("utf-8"), durable=False)


def load_draft(home: str | Path, *, participant: str, session: str, area: str) -> Draft | None:
    """The draft of one area, or ``None`` if there is none or it cannot be read (a draft is expendable)."""
    path = draft_path(home, participant=participant, session=session, area=area)
    try:
        rec = json.loads(path.read_text(encoding="utf-8"))
        if rec.get("session") != session or rec.get("area") != area:
            return None
        ratings = {
            str(k): (v if isinstance(v, int) and not isinstance(v, bool) else None) for k, v in rec["ratings"].items()
        }
        saved_at = datetime.fromisoformat(rec["saved_at"])
        if saved_at.tzinfo is None:
            return None
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None
    return Draft(ratings, saved_at)


def clear_draft(home: str | Path, *, participant: str, session: str, area: str) -> None:
    """Remove the draft of one area, if any."""
    try:
        draft_path(home, participant=participant, session=session, area=area).unlink()
    except OSError:
        pass
