"""Errors and problems that a counselor can read and act on."""

from __future__ import annotations

from dataclasses import dataclass


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
        where = f"{self.path}: {self.location}" if self.location else self.path
        return f"{where}: {self.reason.rstrip('.')}. Fix: {self.fix.rstrip('.')}."


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
