"""How well we read each other: where a partner's guess and the other's own answer differ (06).

Each partner may guess how the other rated themselves (:mod:`reconnect.records.guesses`). This module
puts a guess beside the partner's own answer to the same statement and keeps the pairs that are
:data:`GAP_FROM` or more steps apart, in both directions (my guesses about you, your guesses about
me), as questions to talk about. There is no accuracy score, no percentage, no count of right
guesses and no ranking of who knows whom better: only the statements worth a conversation.

When it is shown (all must hold; otherwise the same neutral message, whoever did not agree):

- the couple view itself is shown (:meth:`reconnect.results.profile.ProfileSource.couple` is ready: one
  couple code linking two people, both sharing their results, both with answers);
- both partners switched on ``share_guesses`` in their newest settings (a separate consent;
  switching it off hides the view for both at the next look);
- in an area holding a statement kept private (:func:`reconnect.results.profile.private_areas`), only when
  both also share the sensitive statements, as for the statement comparison (issue 22);
- the viewer's own newest answers do not meet the fear rule (:func:`reconnect.bank.model.fear_answered`).
  The private safety check's "Yes" is known only to the page: the view (``ui/guess.py``) hides it then.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..bank.i18n import N_, _
from ..bank.model import ItemBank, fear_answered
from ..records import guesses as gs

#: A guess this many steps or more from the partner's own answer is a conversation starter.
GAP_FROM = 2

READY = "ready"
NOT_SHOWN = "not shown"
NO_GAPS = "no gaps"
AFRAID = "afraid"

NOT_BOTH = N_(
    "How well we read each other appears here only when both of you share your results and both of you "
    "switch on the box above. Nothing of your guesses is shown until then."
)


@dataclass(frozen=True)
class Gap:
    """One statement where a guess and the partner's own answer are :data:`GAP_FROM` or more apart."""

    area: str
    area_title: str
    item: str
    statement: str
    #: "you" when the viewer guessed the partner's answer, "partner" when the partner guessed the viewer's.
    guesser: str
    guess: int
    answer: int

    def question(self, bank: ItemBank) -> str:
        labels = dict(bank.scale)
        guess, answer = labels.get(self.guess, str(self.guess)), labels.get(self.answer, str(self.answer))
        if self.guesser == "you":
            return _(
                "“{statement}” You guessed your partner would say “{guess}”; your partner said “{answer}”. "
                "What would help you see this the way they do?"
            ).format(statement=self.statement, guess=guess, answer=answer)
        return _(
            "“{statement}” Your partner guessed you would say “{guess}”; you said “{answer}”. "
            "What could you tell them, so they see this the way you do?"
        ).format(statement=self.statement, guess=guess, answer=answer)


@dataclass
class Perception:
    status: str
    message: str
    gaps: list[Gap] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return self.status == READY

    def by_area(self) -> list[tuple[str, list[Gap]]]:
        """(area title, gaps) in the bank's order of areas, only areas with a gap."""
        out: dict[str, list[Gap]] = {}
        for gap in self.gaps:
            out.setdefault(gap.area_title, []).append(gap)
        return list(out.items())

    def text(self, bank: ItemBank) -> str:
        """Everything shown, as plain text (the view is text only; this is also its own alternative)."""
        lines = [self.message]
        for title, gaps in self.by_area():
            lines.append(title)
            lines.extend(f"- {g.question(bank)}" for g in gaps)
        lines.extend(self.notes)
        return "\n".join(lines)


def _answers(source, code: str, session: str, area: str) -> dict[str, int]:
    """``code``'s own newest answers to ``area`` in ``session`` (answered statements only)."""
    import pandas as pd

    frame = source.latest
    if frame.empty:
        return {}
    rows = frame[(frame["participant"] == code) & (frame["session"] == session) & (frame["area"] == area)]
    ratings = pd.to_numeric(rows["rating"], errors="coerce")
    return {str(i): int(r) for i, r in zip(rows["item"], ratings) if r == r}


def _own_fear(source, code: str, bank: ItemBank) -> bool:
    """The fear rule on ``code``'s newest saved answers (any session)."""
    import pandas as pd

    frame = source.latest
    if frame.empty:
        return False
    rows = frame[frame["participant"] == code]
    ratings = pd.to_numeric(rows["rating"], errors="coerce")
    answered = {str(i): int(r) for i, r in zip(rows["item"], ratings) if r == r}
    return any(fear_answered(answered, (*a.items, *a.retired)) for a in bank.areas)


def perception(source, code: str) -> Perception:
    """How well ``code`` and their partner read each other, from a :class:`~reconnect.results.profile.ProfileSource`.

    Examples
    --------
    >>> import tempfile
    >>> from reconnect.records.participant import Settings, save_settings
    >>> from reconnect.results.profile import ProfileSource
    >>> home = tempfile.mkdtemp()
    >>> _ = save_settings(home, Settings(code="KM7-4TX", couple="OURS"))
    >>> perception(ProfileSource(home), "KM7-4TX").status
    'not shown'
    """
    from .profile import private_areas

    bank = source.bank
    hidden = Perception(NOT_SHOWN, _(NOT_BOTH))
    couple = source.couple(code)
    if not couple.ready or couple.partner is None:
        return hidden
    me, partner = source.settings(code), source.settings(couple.partner)
    if me is None or partner is None or not (me.share_guesses and partner.share_guesses):
        return hidden
    if _own_fear(source, code, bank):
        return Perception(
            AFRAID,
            _(
                "How well we read each other is hidden on this page, after your answers. "
                "Please talk with someone on your own first."
            ),
        )
    private = set() if couple.sensitive_included else private_areas(bank)
    gaps: list[Gap] = []
    for area in bank.areas:
        if area.id in private:
            continue
        for guesser, answerer, who in ((code, couple.partner, "you"), (couple.partner, code, "partner")):
            records, _problems = gs.load_guesses(source.store, guesser, bank=bank)
            newest = [r for r in records if r.area == area.id and r.couple.casefold() == couple.couple.casefold()]
            if not newest:
                continue
            record = newest[-1]
            answers = _answers(source, answerer, record.session, area.id)
            index = bank.item_index()
            for item, guess in record.given.items():
                answer = answers.get(item)
                if answer is not None and abs(answer - guess) >= GAP_FROM:
                    gaps.append(Gap(area.id, area.title, item, index[(area.id, item)].text, who, guess, answer))
    notes = []
    if private:
        titles = "; ".join(a.title for a in bank.areas if a.id in private)
        notes.append(
            _(
                "Left out: {areas}, which hold a statement kept private. They are included only if both of you "
                "also tick the box for the statements marked sensitive."
            ).format(areas=titles)
        )
    if not gaps:
        return Perception(
            NO_GAPS,
            _(
                "No guess is {steps} or more steps away from the other person's own answer, in any area "
                "shown. You can still ask each other about the statements you guessed."
            ).format(steps=GAP_FROM),
            notes=notes,
        )
    return Perception(
        READY,
        _(
            "You both chose to see this. Below are the statements where a guess and the other person's own "
            "answer are {steps} or more steps apart, in both directions. It is not a test and there is no "
            "score: each one is a question to talk about, calmly and with curiosity."
        ).format(steps=GAP_FROM),
        gaps=gaps,
        notes=notes,
    )
