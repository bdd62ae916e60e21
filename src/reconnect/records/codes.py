"""Participant codes and the short labels people type (workshop, couple, session).

Codes are random, short and easy to read aloud: no 0/O, 1/I/L, 2/Z, 5/S or 8/B to confuse.
Everything typed is checked against a narrow pattern, so it can never become a path or markup.
"""

from __future__ import annotations

import re
import secrets

from ..bank.i18n import N_, _
from ..core.errors import InputError

CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
_CODE_RE = re.compile(rf"^[{CODE_ALPHABET}]{{3}}-[{CODE_ALPHABET}]{{3}}$")
_LABEL_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 _.\-]{0,39}$")
MAX_NAME = 40


def new_participant_code() -> str:
    """A random code such as ``KM7-4TX`` (about 244 million possibilities).

    Examples
    --------
    >>> is_participant_code(new_participant_code())
    True
    """
    chars = "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))
    return f"{chars[:3]}-{chars[3:]}"


def is_participant_code(text: str) -> bool:
    return isinstance(text, str) and bool(_CODE_RE.fullmatch(text))


def normalise_participant_code(text: str) -> str:
    """Accept what a person types (spaces, lower case, no dash) and return the code or raise.

    Examples
    --------
    >>> normalise_participant_code(" km7 4tx ")
    'KM7-4TX'
    """
    raw = re.sub(r"[\s\-]", "", str(text or ""))
    raw = raw.upper() if raw.isascii() else raw  # so that e.g. 'ﬀ' cannot turn into 'FF'
    code = f"{raw[:3]}-{raw[3:]}" if len(raw) == 6 else raw
    if not is_participant_code(code):
        raise InputError(
            _(
                "'{typed}' is not a participant code. A code has six letters and digits, "
                "written like KM7-4TX. Check the code you wrote down, or start as a new participant."
            ).format(typed=_shorten(text))
        )
    return code


_UNUSABLE_RULE = "Use up to 40 letters, digits, spaces, dots, dashes or underscores, starting with a letter or digit."
# Whole sentences per kind of label, so a language can make its words agree (el código / la etiqueta).
_EMPTY = {
    "workshop code": N_("The workshop code is empty. Type a short workshop code, for example 'tuesday'."),
    "couple code": N_("The couple code is empty. Type a short couple code, for example 'sunflower'."),
    "session label": N_("The session label is empty. Type a short session label, for example 'before'."),
}
_UNUSABLE = {
    "workshop code": N_(
        "The workshop code '{value}' cannot be used. Use up to 40 letters, digits, spaces, dots, dashes or "
        "underscores, starting with a letter or digit."
    ),
    "couple code": N_(
        "The couple code '{value}' cannot be used. Use up to 40 letters, digits, spaces, dots, dashes or "
        "underscores, starting with a letter or digit."
    ),
    "session label": N_(
        "The session label '{value}' cannot be used. Use up to 40 letters, digits, spaces, dots, dashes or "
        "underscores, starting with a letter or digit."
    ),
}


def normalise_label(text: str, *, what: str, required: bool = False) -> str:
    """Check a workshop code, couple code or session label; return it stripped ('' if empty).

    Examples
    --------
    >>> normalise_label(" Tuesday group ", what="workshop code")
    'Tuesday group'
    """
    value = str(text or "").strip()
    if not value:
        if required:
            message = _EMPTY.get(what)
            raise InputError(
                _(message) if message else f"The {what} is empty. Type a short {what}, for example 'before'."
            )
        return ""
    if not _LABEL_RE.match(value):
        message = _UNUSABLE.get(what)
        if message is None:
            message = f"The {what} '{{value}}' cannot be used. " + _UNUSABLE_RULE
        raise InputError(_(message).format(value=_shorten(value)))
    return value


def normalise_display_name(text: str) -> str:
    """A display name is free text kept on this machine only; limit length and control characters."""
    value = " ".join(str(text or "").split())
    if len(value) > MAX_NAME:
        raise InputError(
            _("The name is {length} characters long; use at most {limit} (a first name is enough).").format(
                length=len(value), limit=MAX_NAME
            )
        )
    if any(ord(ch) < 32 for ch in value):
        raise InputError(_("The name contains control characters; type it again using plain letters."))
    return value


def _shorten(text: object, limit: int = 30) -> str:
    value = str(text)
    return value if len(value) <= limit else value[: limit - 1] + "…"
