"""Errors and problems that a counselor can read and act on."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Characters that change what a terminal or a page shows instead of being shown: C0 and C1 control
# characters (newline, carriage return, escape...), DEL, bidirectional overrides and isolates, and
# the Unicode line and paragraph separators.
_UNSHOWABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069]")


def show(text: object) -> str:
    """``text`` with every control character written out (``\\x1b``, ``\\n``), safe for a terminal or a page.

    Everything that reaches a person from a file (a value, a file name, a zip member name) passes
    through here, so a file cannot print fake lines, clear a terminal or reorder a message.

    Examples
    --------
    >>> show("99 imported\\n\\x1b[2J ok")
    '99 imported\\\\n\\\\x1b[2J ok'
    >>> show("Zoë")
    'Zoë'
    """
    text = str(text)
    if not _UNSHOWABLE.search(text):
        return text
    return _UNSHOWABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


_said: dict[str, str] = {}


def report_once(key: str, text: str) -> str:
    """Say ``text`` once per process (on standard error: the terminal, or the server's log); later calls with ``key`` are silent.

    For a problem that is not fatal and would otherwise repeat on every use: a value from the
    environment that cannot be used, a catalog entry left out.
    """
    if key not in _said:
        import sys

        _said[key] = text
        try:
            print(f"reconnect: {text}", file=sys.stderr)
        except (OSError, ValueError):  # no usable standard error: :func:`reported` still has it
            pass
    return _said[key]


def reported() -> list[str]:
    """Everything :func:`report_once` said in this process, oldest first."""
    return list(_said.values())


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one file: where, what, and how to fix it.

    Examples
    --------
    >>> str(Problem("a.csv", "row 3, column rating", "7 is outside the scale 1-5", "use 1 to 5"))
    'a.csv: row 3, column rating: 7 is outside the scale 1-5. Fix: use 1 to 5.'
    """

    path: str
    location: str
    reason: str
    fix: str

    def __str__(self) -> str:
        path, location = show(self.path), show(self.location)
        where = f"{path}: {location}" if location else path
        return f"{where}: {show(self.reason).rstrip('.')}. Fix: {show(self.fix).rstrip('.')}."


class ReconnectError(ValueError):
    """Base class: a problem with input that the user can fix; the message says how."""

    def __init__(self, message: str, problems: list[Problem] | None = None):
        self.problems = list(problems or [])
        if self.problems:
            message = message + "\n" + "\n".join(f"- {p}" for p in self.problems)
        super().__init__(message)


class ItemBankError(ReconnectError):
    """The item bank file cannot be used as it is."""


class SubmissionError(ReconnectError):
    """A submission (a set of ratings) is not valid."""


class StoreError(ReconnectError):
    """The data folder cannot be read or written."""


class InputError(ReconnectError):
    """Something a person typed cannot be used as it is."""
