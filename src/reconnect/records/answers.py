"""One participant's answers to one area: restore, keep a draft, save. No widgets here.

The rating form (:class:`reconnect.ui.area.RatingForm`) only shows what this service decides, so
every storage step is tested without a frontend, and a Save reads nothing but the participant's own
folder: its cost stays flat however many other people saved on the same computer.

Examples
--------
>>> import tempfile
>>> from reconnect.records.participant import Settings
>>> home = tempfile.mkdtemp()
>>> answers = AreaAnswers("distrust", home=home, settings=Settings(code="KM7-4TX", session="before"))
>>> answers.restore().source is None
True
>>> outcome = answers.save({i.id: 4 for i in answers.area.items})
>>> outcome.kind, AreaAnswers("distrust", home=home, settings=answers.settings).restore().source
('saved', 'saved')
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from ..bank.content import load_item_bank
from ..bank.model import ItemBank
from ..core.errors import ReconnectError
from ..core.files import sweep_leftovers
from .drafts import clear_draft, load_draft, save_draft
from .drop_folder import drop_copy
from .participant import Settings
from .store import (
    Submission,
    latest_ratings,
    load_participant,
    participant_folder,
    read_submission_file,
    save_submission,
)


@dataclass(frozen=True)
class Restored:
    """What to show when the page opens: the answers, and where they came from."""

    ratings: dict[str, int | None]
    source: str | None  # "draft" (chosen, not saved), "saved", or None (nothing yet)
    when: datetime | None = None
    problems: list = field(default_factory=list)  # files of this participant that could not be read


@dataclass(frozen=True)
class Outcome:
    """What a Save did. ``kind``: saved, unchanged, too_few, failed."""

    kind: str
    saved_at: datetime | None = None
    missing: tuple[int, ...] = ()  # statement numbers left open
    answered: int = 0
    total: int = 0
    elsewhere: datetime | None = None  # a newer save of the same area from another tab or window
    handed_in: str = ""  # the sentence about the workshop collection folder
    error: str = ""


class AreaAnswers:
    """The answers of the participant ``settings.code`` to area ``area_id`` in their current session."""

    def __init__(
        self,
        area_id: str,
        *,
        home: str | Path,
        settings: Settings,
        bank: ItemBank | None = None,
    ):
        self.bank = bank or load_item_bank()
        self.area = self.bank.area(area_id)
        self.home = Path(home)
        self.settings = settings
        self.saved_ratings: dict[str, int | None] = {}
        self.saved_at: datetime | None = None
        self._seen: set[str] = set()  # file names in the participant's folder already taken into account
        self._folder_of: tuple[str, Path] | None = None

    # -- opening -----------------------------------------------------------------------------------
    def restore(self) -> Restored:
        """Read the participant's own files: the newest saved answers, or a newer unsaved draft."""
        s = self.settings
        folder = participant_folder(self.home, s.code)
        sweep_leftovers(folder)  # saves cut short long ago: never finished, never needed
        data = load_participant(self.home, s.code, bank=self.bank)
        self._seen = self._names()
        self.saved_ratings, self.saved_at = latest_ratings(
            data.frame, participant=s.code, area=self.area.id, session=s.session
        )
        shown = dict(self.saved_ratings)
        draft = load_draft(self.home, **self._draft_key())
        if draft is not None and (self.saved_at is None or draft.saved_at > self.saved_at):
            shown.update(draft.ratings)
            return Restored(self._known(shown), "draft", draft.saved_at, data.problems)
        if self.saved_at is not None:
            return Restored(self._known(shown), "saved", self.saved_at, data.problems)
        return Restored({}, None, None, data.problems)

    def _known(self, ratings: dict) -> dict[str, int | None]:
        scale = {v for v, _ in self.bank.scale}
        items = {i.id for i in self.area.items}
        return {k: v for k, v in ratings.items() if k in items and (v is None or v in scale)}

    # -- while answering ---------------------------------------------------------------------------
    def changed_since_save(self, ratings: dict[str, int | None]) -> bool:
        return ratings != {k: self.saved_ratings.get(k) for k in ratings}

    def keep_draft(self, ratings: dict[str, int | None]) -> None:
        """Remember unsaved choices on disk, so a page reload or a kernel restart gives them back."""
        try:
            if not self.changed_since_save(ratings):
                clear_draft(self.home, **self._draft_key())
            else:
                save_draft(self.home, ratings=ratings, **self._draft_key())
        except ReconnectError:
            pass  # a draft is a convenience; Save reports a folder that cannot be written

    # -- saving ------------------------------------------------------------------------------------
    def save(self, ratings: dict[str, int | None]) -> Outcome:
        """Validate and save ``ratings`` as a new submission; never raises for a problem a person can fix."""
        missing = tuple(n for n, v in enumerate(ratings.values(), start=1) if v is None)
        answered = len(ratings) - len(missing)
        common = {"missing": missing, "answered": answered, "total": len(ratings)}
        if answered < self.area.min_answered:
            return Outcome("too_few", **common)
        s = self.settings
        elsewhere, their_ratings = self._saved_elsewhere()
        if elsewhere is not None and their_ratings == dict(ratings):
            # The same answers were just saved by another tab, window or an earlier view of this page
            # (a double click can reach two): never a second file for the same answers.
            self.saved_ratings, self.saved_at = dict(their_ratings), elsewhere
            clear_draft(self.home, **self._draft_key())
            return Outcome("unchanged", saved_at=elsewhere, **common)
        if self.saved_at is not None and not self.changed_since_save(ratings):
            clear_draft(self.home, **self._draft_key())
            return Outcome("unchanged", saved_at=self.saved_at, **common)
        sub = Submission(
            participant=s.code,
            area=self.area.id,
            ratings=dict(ratings),
            session=s.session,
            workshop=s.workshop,
            couple=s.couple,
            bank_version=self.bank.version,
            language=self.bank.language,  # the language the statements were read in
        )
        try:
            path = save_submission(self.home, sub, bank=self.bank)
        except ReconnectError as exc:
            return Outcome("failed", error=str(exc), **common)
        self._seen.add(path.name)
        self.saved_ratings, self.saved_at = dict(ratings), sub.saved_at
        clear_draft(self.home, **self._draft_key())
        handed_in = drop_copy(sub.to_csv, sub.submission_id, workshop=s.workshop)  # workshop collection folder
        return Outcome("saved", saved_at=sub.saved_at, elsewhere=elsewhere, handed_in=handed_in, **common)

    def _folder(self) -> Path:
        """The participant's own folder (worked out once per code: every Save lists it)."""
        code = self.settings.code
        if self._folder_of is None or self._folder_of[0] != code:
            self._folder_of = (code, participant_folder(self.home, code))
        return self._folder_of[1]

    def _names(self) -> set[str]:
        """Every name in the participant's folder (only ``sub-*`` names are ever read as saves)."""
        try:
            return set(os.listdir(self._folder()))
        except OSError:
            return set()

    def _saved_elsewhere(self) -> tuple[datetime | None, dict | None]:
        """The newest save of this area from another tab or window, if after this one's: (when, ratings).

        Only files that appeared in the participant's own folder since it was last looked at are read.
        """
        names = self._names()
        new = sorted(name for name in names - self._seen if name.startswith("sub-"))
        self._seen |= names
        newest, newest_ratings = None, None
        folder = self._folder()
        for name in new:
            rows, _problems = read_submission_file(folder / name, self.bank)
            if not rows or rows[0]["area"] != self.area.id or rows[0]["session"] != self.settings.session:
                continue
            ratings, when = latest_ratings(
                _frame(rows), participant=self.settings.code, area=self.area.id, session=self.settings.session
            )
            if when is not None and (newest is None or when > newest):
                newest, newest_ratings = when, ratings
        if newest is not None and (self.saved_at is None or newest > self.saved_at):
            return newest, newest_ratings
        return None, None

    def _draft_key(self) -> dict:
        s = self.settings
        return {"participant": s.code, "session": s.session, "area": self.area.id}


def _frame(rows: list[dict]):
    from .store import to_frame

    return to_frame([{**r, "source": ""} for r in rows])
