"""Who is answering: the participant code and settings chosen in 00 Start here.

Settings are saved as new files (the newest wins), so a mistake never destroys the old values.
``current.json`` records which participant this data folder is working as, so every notebook (each
with its own kernel) answers as the same person.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

from .codes import (
    is_participant_code,
    new_participant_code,
    normalise_display_name,
    normalise_label,
    normalise_participant_code,
)
from .files import TEMP_PREFIX, random_id, replace_file, write_new

DEFAULT_SESSION = "before"


@dataclass(frozen=True)
class Settings:
    """A participant's own settings. The display name never leaves this machine."""

    code: str
    display_name: str = ""
    workshop: str = ""
    couple: str = ""
    session: str = DEFAULT_SESSION
    share_with_partner: bool = False

    def checked(self) -> Settings:
        """Return a normalised copy, or raise :class:`~reconnect.errors.InputError` saying what to fix."""
        return replace(
            self,
            code=normalise_participant_code(self.code),
            display_name=normalise_display_name(self.display_name),
            workshop=normalise_label(self.workshop, what="workshop code"),
            couple=normalise_label(self.couple, what="couple code"),
            session=normalise_label(self.session, what="session label", required=True),
            share_with_partner=bool(self.share_with_partner),
        )


def settings_folder(home: str | Path, code: str) -> Path:
    return Path(home) / "participants" / normalise_participant_code(code)


def save_settings(home: str | Path, settings: Settings, *, make_current: bool = True) -> Settings:
    """Validate and save settings as a new file; optionally make this participant the current one."""
    settings = settings.checked()
    now = datetime.now(timezone.utc)
    record = {"format_version": 1, **asdict(settings), "saved_at": now.isoformat(timespec="milliseconds")}
    name = f"settings-{now:%Y%m%dT%H%M%S%f}-{random_id(4)}.json"
    write_new(settings_folder(home, settings.code) / name, json.dumps(record, ensure_ascii=False, indent=2).encode())
    if make_current:
        set_current(home, settings.code)
    return settings


def load_settings(home: str | Path, code: str) -> Settings | None:
    """The newest readable settings of ``code``, or ``None`` if this data folder has none."""
    folder = settings_folder(home, code)
    if not folder.is_dir():
        return None
    for path in sorted(folder.glob("settings-*.json"), reverse=True):
        if path.name.startswith(TEMP_PREFIX):
            continue
        try:
            rec = json.loads(path.read_text(encoding="utf-8"))
            fields = {k: rec[k] for k in Settings.__dataclass_fields__ if k in rec}
            return Settings(**fields).checked()
        except (OSError, ValueError, TypeError, KeyError):
            continue  # a damaged file: fall back to the one before it
    return None


def set_current(home: str | Path, code: str) -> None:
    code = normalise_participant_code(code)
    replace_file(Path(home) / "current.json", json.dumps({"participant": code}).encode())


def current_code(home: str | Path) -> str | None:
    """The participant this data folder is working as, or ``None``."""
    try:
        code = json.loads((Path(home) / "current.json").read_text(encoding="utf-8")).get("participant")
    except (OSError, ValueError, AttributeError):
        return None
    return code if isinstance(code, str) and is_participant_code(code) else None


def current_settings(home: str | Path) -> Settings | None:
    code = current_code(home)
    if code is None:
        return None
    return load_settings(home, code) or Settings(code=code)


def start_new(home: str | Path, **fields) -> Settings:
    """Create a new participant with a fresh random code and make it current."""
    return save_settings(home, Settings(code=new_participant_code(), **fields))
