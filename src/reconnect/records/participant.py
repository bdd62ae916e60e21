"""Who is answering: the participant code and settings chosen in 00 Start here.

Settings are saved as new files (the newest wins), so a mistake never destroys the old values.

*Who is answering now* is known per page (per kernel): a person identifies themselves on a page by
creating or typing their participant code (:func:`sign_in`), and :func:`sign_out` forgets them
again. Only on a personal computer can a person also choose "remember me", which writes
``current.json`` so that every notebook (each with its own kernel) starts as that person. A device set
up as **shared** (:func:`is_shared_device`: ``RECONNECT_SHARED=1``, or ``device.json`` in the data
folder saying so) never remembers anyone and ignores any ``current.json``: on a laptop handed round
in a workshop, the next person sees nothing of the last one's.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

from ..bank.i18n import N_, _
from ..core.files import TEMP_PREFIX, random_id, replace_file, write_new
from .codes import (
    is_participant_code,
    new_participant_code,
    normalise_display_name,
    normalise_label,
    normalise_participant_code,
)

DEFAULT_SESSION = "before"
#: The two suggested session names. They are stored in English (a room that answered in two languages
#: still has one "before"), and shown and typed in the reader's language (:func:`session_label`).
SESSION_WORDS = (N_("before"), N_("after"))


def session_label(session: str) -> str:
    """A stored session name as the reader sees it: "before"/"after" translated, any other name as typed.

    >>> from reconnect.bank.i18n import language
    >>> with language("es"):
    ...     session_label("before"), session_label("2026-11-28")
    ('antes', '2026-11-28')
    """
    return _(session) if session in SESSION_WORDS else session


def session_value(typed: str) -> str:
    """What to store for a session typed or chosen on the page: the English word for a translated one.

    >>> from reconnect.bank.i18n import language
    >>> with language("es"):
    ...     session_value("Después "), session_value("martes")
    ('after', 'martes')
    """
    text = (typed or "").strip()
    for word in SESSION_WORDS:
        if text.casefold() == _(word).casefold():
            return word
    return typed


@dataclass(frozen=True)
class Settings:
    """A participant's own settings. The display name never leaves this machine."""

    code: str
    display_name: str = ""
    workshop: str = ""
    couple: str = ""
    session: str = DEFAULT_SESSION
    share_with_partner: bool = False
    share_sensitive: bool = False  # also compare the statements marked sensitive (needs both partners)
    #: Show "How well we read each other" (guesses about each other, 06): needs both partners, and
    #: ``share_with_partner`` too. Off unless switched on; switching it off hides the view for both.
    share_guesses: bool = False
    #: The language chosen in 00 ("en", "es"); "" means not chosen: the page's or installation's language.
    language: str = ""

    def checked(self) -> Settings:
        """Return a normalised copy, or raise :class:`~reconnect.core.errors.InputError` saying what to fix."""
        return replace(
            self,
            code=normalise_participant_code(self.code),
            display_name=normalise_display_name(self.display_name),
            workshop=normalise_label(self.workshop, what="workshop code"),
            couple=normalise_label(self.couple, what="couple code"),
            session=normalise_label(self.session, what="session label", required=True),
            share_with_partner=bool(self.share_with_partner),
            share_sensitive=bool(self.share_sensitive),
            share_guesses=bool(self.share_guesses),
            language=checked_language(self.language),
        )


def checked_language(value) -> str:
    """A language a participant may choose: one with a catalog (``en``, ``es``), or ``""`` (not chosen).

    Anything else (a language whose catalog was removed, a hand-edited file) counts as not chosen:
    the page's language applies, never an error that locks the person out of their settings.

    >>> [checked_language(v) for v in ("es", "es_MX", "", None, "xx", 3)]
    ['es', 'es', '', '', '', '']
    """
    from ..bank.i18n import available_languages, normalise_language

    if not isinstance(value, str) or not value.strip():
        return ""
    lang = normalise_language(value)
    if lang == "en" and not value.strip().lower().startswith("en"):
        return ""  # normalise_language reads anything unusable as English
    return lang if lang in available_languages() else ""


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


# -- the device: personal or shared -------------------------------------------------------------
SHARED_ENV = "RECONNECT_SHARED"
DEVICE_FILE = "device.json"


def is_shared_device(home: str | Path) -> bool:
    """Whether this computer is set up as shared (handed round): then it never remembers anyone.

    ``RECONNECT_SHARED=1`` (``make app`` sets it unless ``SHARED=0``) or ``0`` decides; without it,
    ``device.json`` in the data folder (``{"shared": true}``, see :func:`set_device`).
    Anything unreadable counts as shared: forgetting is the safe side.

    >>> import tempfile
    >>> folder = tempfile.mkdtemp()
    >>> is_shared_device(folder)
    False
    >>> set_device(folder, shared=True)
    >>> is_shared_device(folder)
    True
    """
    from ..core.settings_env import flag

    env = flag(SHARED_ENV, default=True)  # a value it cannot read counts as shared: forgetting is the safe side
    if env is not None:
        return env
    path = Path(home) / DEVICE_FILE
    if not path.exists():
        return False
    try:
        return json.loads(path.read_text(encoding="utf-8")).get("shared") is not False
    except (OSError, ValueError, AttributeError):
        return True


def set_device(home: str | Path, *, shared: bool) -> None:
    """Record in the data folder whether this computer is shared; shared also forgets who was remembered."""
    folder = Path(home)
    folder.mkdir(parents=True, exist_ok=True)
    replace_file(folder / DEVICE_FILE, json.dumps({"shared": bool(shared)}).encode())
    if shared:
        forget(home)


def can_remember(home: str | Path) -> bool:
    """ "Remember me on this computer" is offered only on a personal device."""
    return not is_shared_device(home)


# -- who is answering on this page (this kernel) ---------------------------------------------------
_answering: dict[str, str] = {}  # data folder -> participant code, for this kernel only
_signed_out: set[str] = set()  # data folders where this page signed out: no remembered code comes back
_listeners: list = []


def _key(home: str | Path) -> str:
    return str(Path(home).resolve())


_leave_listeners: list = []


def on_leave(callback) -> None:
    """Call ``callback(home)`` when the person at the keyboard leaves this page: every "I'm done — sign out"
    (signed in or not: what they chose without a code goes too), and another person signing in."""
    _leave_listeners.append(callback)


def _left(home: str | Path) -> None:
    for callback in list(_leave_listeners):
        callback(Path(home))


def on_change(callback) -> None:
    """Call ``callback(home, code_or_None)`` whenever someone signs in or out on this page."""
    _listeners.append(callback)


def _notify(home: str | Path) -> None:
    code = current_code(home)
    apply_language(home, reset=True)  # before the views redraw, so they redraw in the person's language
    for callback in list(_listeners):
        callback(Path(home), code)


def settings_changed(home: str | Path) -> None:
    """The person answering changed a setting (e.g. the language): every view on this page follows."""
    _notify(home)


def sign_in(home: str | Path, code: str, *, remember: bool = False) -> str:
    """This page now answers as ``code``; with ``remember`` (personal devices only) so does every new page."""
    code = normalise_participant_code(code)
    if current_code(home) not in (None, code):
        _left(home)  # another person now: what the last one chose or was shown goes first
    _answering[_key(home)] = code
    _signed_out.discard(_key(home))
    if remember and can_remember(home):
        replace_file(Path(home) / "current.json", json.dumps({"participant": code, "remember": True}).encode())
    elif remembered_code(home) not in (None, code):
        forget(home)  # someone else was remembered: never let them come back on the next page
    _notify(home)
    return code


def remember(home: str | Path, code: str) -> None:
    """Remember ``code`` on this computer (personal devices only), without signing in this page.

    For an account that belongs to one person only, e.g. a participant's server in the JupyterHub
    room, whose login already said who they are.
    """
    code = normalise_participant_code(code)
    if can_remember(home):
        replace_file(Path(home) / "current.json", json.dumps({"participant": code, "remember": True}).encode())


def sign_out(home: str | Path) -> str | None:
    """Forget who is answering on this page, and on this computer. Returns the code that was active."""
    code = current_code(home)
    _answering.pop(_key(home), None)
    _signed_out.add(_key(home))
    forget(home)
    _left(home)
    _notify(home)
    return code


def forget(home: str | Path) -> None:
    """Remove the remembered participant (``current.json``), if any."""
    path = Path(home) / "current.json"
    if path.exists():
        replace_file(path, json.dumps({"participant": None}).encode())


def remembered_code(home: str | Path) -> str | None:
    """The participant remembered on this computer (personal devices only), or ``None``."""
    if is_shared_device(home):
        return None
    try:
        rec = json.loads((Path(home) / "current.json").read_text(encoding="utf-8"))
        code, remember = rec.get("participant"), rec.get("remember")
    except (OSError, ValueError, AttributeError):
        return None
    return code if remember is True and isinstance(code, str) and is_participant_code(code) else None


def set_current(home: str | Path, code: str, *, remember: bool = False) -> None:
    """Make ``code`` the participant answering on this page (see :func:`sign_in`)."""
    sign_in(home, code, remember=remember)


def current_code(home: str | Path) -> str | None:
    """Who is answering on this page: signed in here, or remembered on a personal computer; else ``None``."""
    code = _answering.get(_key(home))
    if code is not None:
        return code
    if _key(home) in _signed_out:
        return None
    return remembered_code(home)


def apply_language(home: str | Path, *, reset: bool = False) -> str:
    """Show this page in the language of the person answering on it (chosen in 00). With nobody answering
    or no choice made, ``reset`` goes back to the page's own language (after a sign-in or sign-out);
    without it a choice made on this page stays (00's language buttons). Returns the language now active."""
    from ..bank import i18n

    settings = current_settings(home)
    if settings is not None and settings.language:
        return i18n.use_language(settings.language)
    return i18n.use_language(None) if reset else i18n.active_language()


def is_known(home: str | Path, code: str) -> bool:
    """Whether this data folder has settings for ``code`` (created or resumed in 00 Start here)."""
    return settings_folder(home, code).is_dir()


def current_settings(home: str | Path) -> Settings | None:
    code = current_code(home)
    if code is None:
        return None
    return load_settings(home, code) or Settings(code=code)


def start_new(home: str | Path, *, remember: bool = False, **fields) -> Settings:
    """Create a new participant with a fresh random code and make them the one answering on this page."""
    settings = save_settings(home, Settings(code=new_participant_code(), **fields), make_current=False)
    sign_in(home, settings.code, remember=remember)
    return settings


def mask_code(code: str) -> str:
    """A participant code with its second half hidden, for anything printed: ``KM7-4TX`` → ``KM7-•••``.

    >>> mask_code("KM7-4TX")
    'KM7-•••'
    """
    head, _, tail = str(code).partition("-")
    return f"{head}-{'•' * len(tail)}" if tail else "•" * len(head)
