"""What 06 shows of one person, of their change and of a couple: frames and sentences, nothing read.

:class:`Profile`, :class:`Change` and :class:`CoupleView` are built by
:class:`reconnect.results.profile.ProfileSource` from one data folder; here they only turn their tables
into the sentences and chart data the page, the PDF and the text alternatives use.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..bank.content import load_item_bank
from ..bank.i18n import N_, _, number
from ..bank.model import Conversation, ItemBank
from ..core.lazy import lazy
from ..records import participant as pt
from .scoring import (
    FAR_APART,
    NOT_RATED,
    band_label,
    shown_change,
)

pd = lazy("pandas")

# Couple view states (CoupleView.status).
YOU, PARTNER = N_("You"), N_("Your partner")
READY = "ready"


NO_SETTINGS = "no settings"


NO_COUPLE_CODE = "no couple code"


NO_PARTNER = "no partner"


TOO_MANY = "too many"


YOU_NOT_SHARING = "you have not chosen to share"


PARTNER_NOT_SHARING = "partner has not chosen to share"


PARTNER_NOT_ANSWERED = "partner has not answered"


YOU_NOT_ANSWERED = "you have not answered"


# Order in which the areas' structured conversations are offered to a couple.
_TALK_ORDER = ("far apart", "shared growth area", "some difference", "close", "shared strength")


def _fmt(score: float) -> str:
    return band_label(NOT_RATED) if pd.isna(score) else number(score)


@dataclass
class Profile:
    """One person's areas for one session (or their newest answer per area), ranked, in words."""

    code: str
    session: str | None
    sessions: list[str]
    table: pd.DataFrame
    notes: list[str]
    bank: ItemBank

    @property
    def rated(self) -> pd.DataFrame:
        return self.table[self.table["score"].notna()]

    @property
    def strengths(self) -> pd.DataFrame:
        """Areas in the strength band, highest first."""
        return self.table[self.table["band"] == "strength"].sort_values(["rank", "number"])

    @property
    def growth(self) -> pd.DataFrame:
        """Areas in the growth band, lowest score first (most room to grow)."""
        t = self.table[self.table["band"] == "growth area"]
        return t.sort_values(["score", "number"], ascending=[True, True])

    @property
    def in_between(self) -> pd.DataFrame:
        return self.table[self.table["band"] == "in between"].sort_values(["rank", "number"])

    @property
    def not_rated(self) -> pd.DataFrame:
        return self.table[self.table["score"].isna()]

    @property
    def is_empty(self) -> bool:
        return self.rated.empty

    def heading(self) -> str:
        if self.session:
            which = _("session '{session}'").format(session=pt.session_label(self.session))
        else:
            which = _("your newest answer in each area")
        return _("Profile of {code} — {which}").format(code=self.code, which=which)

    def summary_lines(self) -> list[str]:
        """Strengths, in-between and growth areas in words, ranked (1 = your highest score)."""
        if self.is_empty:
            return [
                _(
                    "No area has been rated yet, so there is no profile to show. Work through notebooks 01 to 05 "
                    "and save your answers; your profile appears here."
                )
            ]
        lines = []
        groups = (
            (_("Your strengths right now (highest first): {areas}."), self.strengths),
            (_("In between: {areas}."), self.in_between),
            (_("Where you see room to grow (lowest first): {areas}."), self.growth),
        )
        for sentence, rows in groups:
            if rows.empty:
                continue
            items = "; ".join(
                _("{area} ({score}, rank {rank})").format(area=r.label, score=number(r.score), rank=r.rank)
                for r in rows.itertuples()
            )
            lines.append(sentence.format(areas=items))
        if self.strengths.empty:
            lines.append(
                _("None of your areas is in the strength band yet; that can change, and it is useful to know.")
            )
        if not self.not_rated.empty:
            lines.append(
                _(
                    "Not yet rated: {areas}. Open {notebooks} to rate them; they are left out, never counted as zero."
                ).format(
                    areas="; ".join(self.not_rated["label"]),
                    notebooks=", ".join(
                        _("notebook {number}").format(number=f"0{n}") for n in self.not_rated["number"]
                    ),
                )
            )
        return lines

    def exercises(self) -> list[tuple[str, list[str]]]:
        """(area title, exercises) for the growth areas; the lowest-rated area if none is a growth area."""
        rows = self.growth
        if rows.empty and not self.rated.empty:
            rows = self.rated.sort_values(["score", "number"]).head(1)
        return [(r.label, list(self.bank.area(r.area).exercises)) for r in rows.itertuples()]

    def has_together_exercises(self) -> bool:
        """Whether any idea :meth:`exercises` lists involves the partner (then the safety line goes with them)."""
        titles = {t for t, _ in self.exercises()}
        return any(e.together for a in self.bank.areas if a.title in titles for e in a.exercise_list)

    def exercises_intro(self) -> str:
        if self.is_empty:
            return ""
        if self.growth.empty:
            return _(
                "None of your areas is in the growth band. If you would like something to try, "
                "here are ideas for the area you rated lowest:"
            )
        return _("Ideas to try for your growth areas (pick one, not all of them):")

    def chart_data(self) -> pd.DataFrame:
        """Frame for :func:`reconnect.output.charts.score_bars`: label and score per area (missing = not rated)."""
        return self.table[["label", "score"]]

    def text(self) -> str:
        from .chart_text import score_bars_text

        parts = [self.heading(), score_bars_text(self.chart_data(), bank=self.bank), *self.summary_lines()]
        return "\n".join([*parts, *self.notes])


@dataclass
class Change:
    """Change between the first and the last session with answers."""

    sessions: list[str]
    long: pd.DataFrame
    table: pd.DataFrame
    message: str
    notes: list[str] = field(default_factory=list)
    bank: ItemBank | None = None

    @property
    def available(self) -> bool:
        return not self.table.empty

    @property
    def first(self) -> str | None:
        return self.sessions[0] if self.sessions else None

    @property
    def last(self) -> str | None:
        return self.sessions[-1] if self.sessions else None

    def lines(self) -> list[str]:
        if not self.available:
            return [self.message]
        out = [self.message]
        for r in self.table.itertuples():
            if r.direction == "not rated in both":
                out.append(
                    _("{area}: rated in only one of the two sessions, so no change can be shown.").format(area=r.label)
                )
            elif r.direction == "about the same":
                out.append(
                    _("{area}: about the same ({first} → {last}).").format(
                        area=r.label, first=number(r.score_first), last=number(r.score_last)
                    )
                )
            else:
                values = _change_words(r)
                if r.band_first == r.band_last:
                    out.append(_("{area}: {direction}, {first} → {last} ({points} points).").format(**values))
                else:
                    out.append(
                        _(
                            "{area}: {direction}, {first} → {last} ({points} points, from {band_first} to {band_last})."
                        ).format(**values)
                    )
        return out + self.notes

    def short_lines(self) -> list[str]:
        """The change in words, compact: one line per area that moved, one line for the rest."""
        if not self.available:
            return [self.message]
        out, same, once = [], [], []
        for r in self.table.itertuples():
            if r.direction == "about the same":
                same.append(r.label)
            elif r.direction == "not rated in both":
                once.append(r.label)
            else:
                values = _change_words(r)
                if r.band_first == r.band_last:
                    out.append(_("{area}: {direction} ({points} points).").format(**values))
                else:
                    out.append(
                        _("{area}: {direction} ({points} points, from {band_first} to {band_last}).").format(**values)
                    )
        if same:
            out.append(_("About the same: {areas}.").format(areas="; ".join(same)))
        if once:
            out.append(_("Rated in only one of the two sessions: {areas}.").format(areas="; ".join(once)))
        return out + self.notes

    def text(self) -> str:
        from .chart_text import change_dumbbell_text

        if not self.available:
            return self.message
        alt = change_dumbbell_text(self.long, bank=self.bank or load_item_bank(), sessions=self.sessions)
        return "\n".join([alt, *self.lines()])


@dataclass
class CoupleView:
    """The couple view, or why there is none. Partner data is present only when ``ready``."""

    status: str
    message: str
    couple: str = ""
    partner: str | None = None
    table: pd.DataFrame = field(default_factory=lambda: pd.DataFrame())
    differences: pd.DataFrame = field(default_factory=lambda: pd.DataFrame())
    questions: list[str] = field(default_factory=list)
    bank: ItemBank | None = None
    strengths: pd.DataFrame = field(default_factory=lambda: pd.DataFrame())
    sensitive_included: bool = False

    @property
    def ready(self) -> bool:
        return self.status == READY

    def chart_data(self) -> pd.DataFrame:
        """Long frame for :func:`reconnect.output.charts.couple_bars`: label, person, score, agreement."""
        if not self.ready:
            return pd.DataFrame(columns=["label", "person", "score", "agreement"])
        rows = []
        for r in self.table.itertuples():
            rows.append((r.label, YOU, r.score_a, r.agreement))
            rows.append((r.label, PARTNER, r.score_b, r.agreement))
        return pd.DataFrame(rows, columns=["label", "person", "score", "agreement"])

    def short_message(self) -> str:
        if not self.ready:
            return self.message
        return _(
            "Each bar is one person's own view (each partner's newest answer per area). Both in the strength "
            "band: shared strength; both in the growth band: shared growth area; {far} points or more "
            "apart: far apart. A difference is something to talk about, not a problem to solve."
        ).format(far=number(FAR_APART))

    def agreement_lines(self) -> list[str]:
        if not self.ready:
            return [self.message]
        lines = []
        for r in self.table.itertuples():
            lines.append(
                _("{area}: you {you}, your partner {partner} — {agreement}.").format(
                    area=r.label, you=_fmt(r.score_a), partner=_fmt(r.score_b), agreement=band_label(r.agreement)
                )
            )
        return lines

    def difference_lines(self) -> list[str]:
        if not self.ready or self.differences.empty:
            return []
        bank = self.bank or load_item_bank()
        labels = dict(bank.scale)
        return [
            _("“{statement}” — you: {you}; your partner: {partner}.").format(
                statement=r.text, you=labels.get(r.rating_a, r.rating_a), partner=labels.get(r.rating_b, r.rating_b)
            )
            for r in self.differences.itertuples()
        ]

    def strength_lines(self) -> list[str]:
        """The statements you both rate high, with each person's answer."""
        if not self.ready or self.strengths.empty:
            return []
        labels = dict((self.bank or load_item_bank()).scale)
        return [
            _("“{statement}” — you: {you}; your partner: {partner}.").format(
                statement=r.text, you=labels.get(r.rating_a, r.rating_a), partner=labels.get(r.rating_b, r.rating_b)
            )
            for r in self.strengths.itertuples()
        ]

    def sensitive_note(self) -> str:
        """Which statements were left out of the statement-level comparison, and how to include them."""
        bank = self.bank or load_item_bank()
        marked = [i.text for a in bank.areas for i in a.items if i.sensitive]
        if not self.ready or not marked:
            return ""
        if self.sensitive_included:
            return _("You both chose to include the statements marked sensitive in this comparison.")
        return _(
            "{n} statement(s) marked sensitive (such as “{example}”) are left out of the statement "
            "comparison. They are compared only if both of you tick the second box above."
        ).format(n=len(marked), example=marked[0])

    def conversations(self) -> list[tuple[str, str, Conversation]]:
        """(area title, agreement, structured conversation) for each area, the ones to talk about first."""
        if not self.ready:
            return []
        bank = self.bank or load_item_bank()
        rank = {a: n for n, a in enumerate(_TALK_ORDER)}
        rows = sorted(self.table.itertuples(), key=lambda r: (rank.get(r.agreement, len(rank)), r.Index))
        out = []
        for r in rows:
            talk = bank.conversation(r.area)
            if talk is not None:
                out.append((r.label, r.agreement, talk))
        return out

    def text(self) -> str:
        if not self.ready:
            return self.message
        from .chart_text import couple_bars_text

        alt = couple_bars_text(self.chart_data(), bank=self.bank or load_item_bank(), note="agreement")
        return "\n".join([self.message, alt, *self.difference_lines(), *self.strength_lines(), *self.questions])


def _change_words(row) -> dict[str, str]:
    """The words and numbers of one area's change, for the sentences of :class:`Change` (reader's language)."""
    return {
        "area": row.label,
        "direction": band_label(row.direction),
        "first": number(row.score_first),
        "last": number(row.score_last),
        "points": f"{shown_change(row.score_first, row.score_last):+d}",
        "band_first": band_label(row.band_first),
        "band_last": band_label(row.band_last),
    }
