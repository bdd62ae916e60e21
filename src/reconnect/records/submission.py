"""The submission: one participant's ratings of one area at one moment, and the file format's columns.

See ``docs/data-format.md``. Writing goes through :mod:`reconnect.core.csvfile` (the package's one CSV
writer); reading and validating are in :mod:`reconnect.records.validate`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

from ..core.csvfile import csv_text
from ..core.files import random_id

#: 2 added the ``language`` column (the language the answers were given in); files of format 1 still load.
FORMAT_VERSION = 2
COLUMNS = (
    "format_version",
    "submission_id",
    "participant",
    "workshop",
    "couple",
    "session",
    "area",
    "item",
    "rating",
    "saved_at",
    "bank_version",
    "language",
)
#: The columns of format 1 (before ``language``): such files load, with the language blank (not known).
COLUMNS_V1 = COLUMNS[:-1]
MAX_FILE_BYTES = 256 * 1024  # a file holding one submission
MAX_BATCH_BYTES = 64 * 1024 * 1024  # a batch file written by `reconnect collect`
BATCH_PREFIX = "batch-"
BATCH_SUBMISSIONS = 5000  # submissions per batch file
SUBMISSIONS = "submissions"


@dataclass(frozen=True)
class Submission:
    """One participant's ratings of one area; ``None`` marks an unanswered statement."""

    participant: str
    area: str
    ratings: dict[str, int | None]
    session: str
    workshop: str = ""
    couple: str = ""
    bank_version: str = ""
    saved_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    submission_id: str = field(default_factory=random_id)
    #: The language of the item bank the statements were shown from (``en``, ``es``).
    language: str = "en"

    @property
    def stamp(self) -> str:
        """``saved_at`` as the file writes it (UTC, milliseconds)."""
        return self.saved_at.astimezone(timezone.utc).isoformat(timespec="milliseconds")

    def rows(self) -> list[tuple]:
        """The file's rows (without the header), one per statement, in :data:`COLUMNS` order."""
        stamp = self.stamp  # once, not once per row
        return [
            (
                FORMAT_VERSION,
                self.submission_id,
                self.participant,
                self.workshop,
                self.couple,
                self.session,
                self.area,
                item,
                "" if rating is None else int(rating),
                stamp,
                self.bank_version,
                self.language,
            )
            for item, rating in self.ratings.items()
        ]

    def to_csv(self) -> bytes:
        """The submission file's bytes, written by the package's one CSV writer."""
        return csv_text(COLUMNS, self.rows()).encode("utf-8")
