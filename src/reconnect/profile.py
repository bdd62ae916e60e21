"""Your profile: strengths and growth areas, change over time, and the couple view.

Everything here reads one data folder (a person's own ``RECONNECT_HOME``, the demo store, or a
folder given to ``reconnect report --store``): submissions from ``submissions/`` and each person's
newest settings from ``participants/``. The results are plain objects holding tidy DataFrames and
sentences in plain words; the notebook view, the text alternatives and the PDF all use the same ones.

Consent rule for couples: another participant's data is read only when a couple code links exactly
two participants in the folder *and* both of their newest settings have ``share_with_partner``
switched on. Otherwise :class:`CoupleView` carries a message and empty frames, never partner data.
The message is the same whoever has (not) switched sharing on, so it never reveals the partner's
choice. Statements marked ``sensitive`` in the item bank are left out of the statement-level
comparison (most different, shared strengths) unless both partners also set ``share_sensitive``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import participant as pt
from .codes import is_participant_code
from .content import Conversation, ItemBank, load_item_bank
from .errors import InputError
from .i18n import N_, _, number
from .journal import Reflection, load_journal
from .lazy import lazy
from .scoring import (
    CHANGE_NOTICEABLE,
    FAR_APART,
    NOT_RATED,
    PRIVATE_STEP,
    SOME_DIFFERENCE,
    band_label,
    change_between,
    coarse_score,
    couple_agreement,
    item_differences,
    item_shared_strengths,
    participant_scores,
    profile_table,
    scores_by_session,
    session_order,
    shown_change,
)
from .store import StoreData, latest_submissions, load_store

pd = lazy("pandas")

YOU, PARTNER = N_("You"), N_("Your partner")

# Couple view states (CoupleView.status).
READY = "ready"
NO_SETTINGS = "no settings"
NO_COUPLE_CODE = "no couple code"
NO_PARTNER = "no partner"
TOO_MANY = "too many"
YOU_NOT_SHARING = "you have not chosen to share"
PARTNER_NOT_SHARING = "partner has not chosen to share"
PARTNER_NOT_ANSWERED = "partner has not answered"
YOU_NOT_ANSWERED = "you have not answered"

# One message for "no partner yet", "you do not share" and "your partner does not share": a person
# is never told what their partner chose.
NOT_BOTH_SHARING = N_(
    "The couple view appears here only when both of you have entered the same couple code ('{couple}') in "
    "00 Start here and both of you have switched sharing on. Until then nothing of your partner's is shown "
    "here and nothing of yours is shown to them, and this page never tells either of you what the other has "
    "chosen. If you have both switched it on and still see this, check that you typed exactly the same "
    "couple code."
)
# The short safety line of every view and page about the two of you (with the bank's DV line).
AFRAID_LINE = N_(
    "Do you feel afraid of your partner? Do they control, threaten or hurt you? Then skip the exercises and "
    "talks meant for the two of you. Talk to someone on your own first."
)


def dv_line(bank: ItemBank) -> str:
    """The item bank's domestic-violence line (the help line that names it), or every help line."""
    lines = [line for line in bank.help if is_dv_line(line)]
    return " ".join(lines) if lines else " ".join(bank.help)


def is_dv_line(line: str) -> bool:
    """Whether a help line is for people facing partner violence or abuse (in any bank's language).

    Examples
    --------
    >>> is_dv_line("En España, el 016 atiende la violencia contra las mujeres.")
    True
    >>> is_dv_line("If you are in danger right now, call your local emergency number.")
    False
    """
    low = line.lower()
    return any(word in low for word in _DV_WORDS)


# How a help line that names domestic violence or abuse is recognised, in each item bank's language.
_DV_WORDS = ("domestic", "abuse", "doméstica", "violencia", "maltrato")

# Order in which the areas' structured conversations are offered to a couple.
_TALK_ORDER = ("far apart", "shared growth area", "some difference", "close", "shared strength")


class ParticipantNotFound(InputError):
    """No answers and no settings for this participant code in this data folder."""


def _fmt(score: float) -> str:
    return band_label(NOT_RATED) if pd.isna(score) else number(score)


def _join(names: list[str]) -> str:
    names = [f"'{n}'" for n in names]
    if len(names) == 1:
        return names[0]
    return _("{items} and {last}").format(items=", ".join(names[:-1]), last=names[-1])


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
        """Frame for :func:`reconnect.charts.score_bars`: label and score per area (missing = not rated)."""
        return self.table[["label", "score"]]

    def text(self) -> str:
        from .charts import score_bars_text

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
        from .charts import change_dumbbell_text

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
        """Long frame for :func:`reconnect.charts.couple_bars`: label, person, score, agreement."""
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
        from .charts import couple_bars_text

        alt = couple_bars_text(self.chart_data(), bank=self.bank or load_item_bank(), note="agreement")
        return "\n".join([self.message, alt, *self.difference_lines(), *self.strength_lines(), *self.questions])


class ProfileSource:
    """One data folder, loaded once: submissions (newest per session and area) and settings.

    Examples
    --------
    >>> import tempfile
    >>> src = ProfileSource(tempfile.mkdtemp())
    >>> src.codes()
    []
    """

    def __init__(self, store: str | Path, *, bank: ItemBank | None = None, data: StoreData | None = None):
        self.store = Path(store)
        self.bank = bank or load_item_bank()
        self.data = data if data is not None else load_store(self.store, bank=self.bank)
        self.latest = latest_submissions(self.data.frame)
        self._settings: dict[str, pt.Settings | None] = {}

    # -- who is here -----------------------------------------------------------------------------
    def codes(self) -> list[str]:
        """Every participant code with answers or settings in this folder, sorted."""
        found = set(self.latest["participant"].astype(str)) if not self.latest.empty else set()
        folder = self.store / "participants"
        if folder.is_dir():
            found |= {p.name for p in folder.iterdir() if p.is_dir() and is_participant_code(p.name)}
        return sorted(found)

    def settings(self, code: str) -> pt.Settings | None:
        if code not in self._settings:
            self._settings[code] = pt.load_settings(self.store, code)
        return self._settings[code]

    def require(self, code: str) -> str:
        """The normalised code, or :class:`ParticipantNotFound` saying what to check."""
        code = pt.normalise_participant_code(code)
        if code not in self.codes():
            raise ParticipantNotFound(
                _(
                    "There are no answers and no settings for participant {code} in {folder}. Check the code (it "
                    "looks like KM7-4TX) and that this is the data folder where the answers were saved."
                ).format(code=code, folder=self.store)
            )
        return code

    def couples(self) -> dict[str, list[str]]:
        """Couple code → participant codes using it (from settings and from submissions)."""
        members: dict[str, set[str]] = {}
        for code in self.codes():
            s = self.settings(code)
            if s is not None and s.couple:
                members.setdefault(s.couple.casefold(), set()).add(code)
        if not self.latest.empty:
            used = self.latest[self.latest["couple"].fillna("") != ""][["couple", "participant"]].drop_duplicates()
            for c, p in zip(used["couple"], used["participant"]):
                s = self.settings(str(p))
                if s is None or not s.couple or s.couple.casefold() == str(c).casefold():
                    members.setdefault(str(c).casefold(), set()).add(str(p))
        return {k: sorted(v) for k, v in members.items()}

    # -- results ---------------------------------------------------------------------------------
    def scores(self, code: str) -> pd.DataFrame:
        return participant_scores(self.latest, self.bank, participant=code)

    def profile(self, code: str, *, session: str | None = None) -> Profile:
        code = self.require(code)
        scores = self.scores(code)
        sessions = session_order(scores)
        if session is not None and session not in sessions:
            raise InputError(
                _(
                    "Participant {code} has no answers in session '{session}'. Sessions with answers: {sessions}."
                ).format(
                    code=code,
                    session=pt.session_label(session),
                    sessions=", ".join(pt.session_label(s) for s in sessions) or _("none yet"),
                )
            )
        table = profile_table(scores, self.bank, session=session)
        return Profile(code, session, sessions, table, self._notes(code, table), self.bank)

    def change(self, code: str) -> Change:
        code = self.require(code)
        scores = self.scores(code)
        scored = scores[scores["score"].notna()] if not scores.empty else scores
        sessions = session_order(scored)
        if len(sessions) < 2:
            if sessions:
                message = _(
                    "Change over time appears once you have answers from two sessions (so far only '{session}'). "
                    "Next time, set the session to '{after}' (or a date) in 00 Start here and rate the areas again."
                ).format(session=pt.session_label(sessions[0]), after=pt.session_label("after"))
            else:
                message = _(
                    "Change over time appears once you have answers from two sessions. "
                    "Next time, set the session to '{after}' (or a date) in 00 Start here and rate the areas again."
                ).format(after=pt.session_label("after"))
            return Change(sessions, pd.DataFrame(), pd.DataFrame(), message, bank=self.bank)
        first, last = sessions[0], sessions[-1]
        long = scores_by_session(scores, self.bank, sessions=sessions)
        table = change_between(scores, self.bank, first=first, last=last)
        values = {
            "first": pt.session_label(first),
            "last": pt.session_label(last),
            "between": ", ".join(pt.session_label(s) for s in sessions[1:-1]),
            "points": number(CHANGE_NOTICEABLE),
            "same": band_label("about the same"),
        }
        if len(sessions) > 2:
            message = _(
                "From session '{first}' to session '{last}' (sessions in between: {between}). Changes smaller than "
                "{points} points (about two answers moving one step) are called '{same}'."
            ).format(**values)
        else:
            message = _(
                "From session '{first}' to session '{last}'. Changes smaller than "
                "{points} points (about two answers moving one step) are called '{same}'."
            ).format(**values)
        notes = self._statement_changes(code, first, last)
        versions = self._versions(code, sessions=[first, last])
        if len(versions) > 1 and not notes:
            notes.append(
                _(
                    "Your '{first}' and '{last}' answers come from different versions of the statements "
                    "({versions}), so part of a change may come from changed wording."
                ).format(first=pt.session_label(first), last=pt.session_label(last), versions=", ".join(versions))
            )
        return Change(sessions, long, table, message, notes, self.bank)

    def _statement_changes(self, code: str, first: str, last: str) -> list[str]:
        """One note per area whose statements differ between the two sessions (e.g. item bank 1.0 → 1.1)."""
        rows = self.latest[self.latest["participant"] == code] if not self.latest.empty else self.latest
        if rows.empty:
            return []
        index = self.bank.item_index()
        notes = []
        for area in self.bank.areas:
            here = rows[rows["area"] == area.id]
            a, b = here[here["session"] == first], here[here["session"] == last]
            ids_a, ids_b = set(a["item"]), set(b["item"])
            if a.empty or b.empty or ids_a == ids_b:
                continue
            gone = [i for i in dict.fromkeys(a["item"]) if i not in ids_b]
            example = ""
            if gone and (first_gone := index.get((area.id, gone[0]))) is not None:
                newer = index.get((area.id, first_gone.replaced_by))
                example = (
                    _('For example, "{old}" became "{new}".').format(old=first_gone.text, new=newer.text)
                    if newer is not None and newer.id in ids_b
                    else _('For example, "{old}" is no longer asked.').format(old=first_gone.text)
                )
            sentence = _(
                "{area}: {changed} of the {total} statements changed between '{first}' and '{last}' (item bank "
                "{old_version} → {new_version})."
            ).format(
                area=area.title,
                changed=len(gone),
                total=len(ids_a),
                first=pt.session_label(first),
                last=pt.session_label(last),
                old_version=a["bank_version"].iloc[0],
                new_version=b["bank_version"].iloc[0],
            )
            rest = _(
                "Scores are compared for the area as a whole, so part of this change may come from the new "
                "wording rather than from you."
            )
            notes.append(" ".join(part for part in (sentence, example, rest) if part))
        return notes

    def couple(self, code: str) -> CoupleView:
        code = self.require(code)
        me = self.settings(code)
        if me is None:
            return CoupleView(
                NO_SETTINGS,
                _(
                    "No settings are saved for this participant in this data folder, so there is no couple code "
                    "and no choice to share; no couple view is shown."
                ),
            )
        if not me.couple:
            return CoupleView(
                NO_COUPLE_CODE,
                _(
                    "You have not entered a couple code. If you come as a couple, both of you enter the same "
                    "couple code in 00 Start here; then each of you can choose to share."
                ),
            )
        members = self.couples().get(me.couple.casefold(), [code])
        others = [c for c in members if c != code]
        if not others:
            return CoupleView(NO_PARTNER, _(NOT_BOTH_SHARING).format(couple=me.couple), couple=me.couple)
        if len(others) > 1:
            return CoupleView(
                TOO_MANY,
                _(
                    "The couple code '{couple}' is used by {n} participants in this data folder, so it "
                    "is not clear who your partner is, and no couple view is shown. A couple code belongs to two "
                    "people: agree on a new, unusual code together and both enter it in 00 Start here."
                ).format(couple=me.couple, n=len(members)),
                couple=me.couple,
            )
        partner = others[0]
        theirs = self.settings(partner)
        if not me.share_with_partner:
            return CoupleView(YOU_NOT_SHARING, _(NOT_BOTH_SHARING).format(couple=me.couple), couple=me.couple)
        if theirs is None or not theirs.share_with_partner:
            return CoupleView(PARTNER_NOT_SHARING, _(NOT_BOTH_SHARING).format(couple=me.couple), couple=me.couple)
        mine_p, theirs_p = self.profile(code), self.profile(partner)
        if mine_p.is_empty:
            return CoupleView(
                YOU_NOT_ANSWERED,
                _(
                    "You have both chosen to share, but you have not rated any area yet. Rate the areas in "
                    "notebooks 01 to 05 and the couple view appears here."
                ),
                couple=me.couple,
            )
        if theirs_p.is_empty:
            return CoupleView(
                PARTNER_NOT_ANSWERED,
                _(
                    "You have both chosen to share, but your partner has not rated any area yet. The couple view "
                    "appears here once they have."
                ),
                couple=me.couple,
            )
        mine_items = self.latest[self.latest["submission_id"].isin(set(mine_p.table["submission_id"]) - {""})]
        their_items = self.latest[self.latest["submission_id"].isin(set(theirs_p.table["submission_id"]) - {""})]
        sensitive = bool(me.share_sensitive and theirs.share_sensitive)
        mine_table, their_table = mine_p.table, theirs_p.table
        if not sensitive:  # statements marked sensitive are compared only when both agreed to that too
            # Nothing may let a private answer be worked out from what is shown together (issue 22): in an
            # area holding one, no statement is compared (the score minus the others would give it), and
            # its scores are shown to the step (an exact 100 says every answer was the highest).
            private = private_areas(self.bank)
            hidden = {(a.id, i.id) for a in self.bank.areas if a.id in private for i in (*a.items, *a.retired)}
            mine_items = _without(mine_items, hidden)
            their_items = _without(their_items, hidden)
            mine_table, their_table = _to_the_step(mine_table, private), _to_the_step(their_table, private)
        table = couple_agreement(mine_table, their_table, self.bank)
        diffs = item_differences(mine_items, their_items, self.bank, top=3)
        strengths = item_shared_strengths(mine_items, their_items, self.bank, top=5)
        message = _(
            "You have both chosen to share. Each bar is one person's own view (each partner's newest answer "
            "per area). Both in the strength band: shared strength; both in the growth band: shared growth "
            "area; {far} points or more apart: far apart; {some} or more: some "
            "difference; otherwise close. Different views are not a problem to solve: they are something "
            "to talk about."
        ).format(far=number(FAR_APART), some=number(SOME_DIFFERENCE, digits=1))
        if not sensitive:
            shown_private = [a.title for a in self.bank.areas if a.id in private_areas(self.bank)]
            message += " " + _(
                "In {areas}, which hold a statement kept private, scores are shown to the nearest step of {step} "
                "points and no single statement is compared, so no private answer can be worked out."
            ).format(areas="; ".join(shown_private), step=number(PRIVATE_STEP, digits=1))
        return CoupleView(
            READY,
            message,
            couple=me.couple,
            partner=partner,
            table=table,
            differences=diffs,
            questions=couple_questions(table),
            bank=self.bank,
            strengths=strengths,
            sensitive_included=sensitive,
        )

    # -- helpers ---------------------------------------------------------------------------------
    def _versions(self, code: str, *, sessions: list[str] | None = None) -> list[str]:
        rows = self.latest[self.latest["participant"] == code] if not self.latest.empty else self.latest
        if sessions is not None and not rows.empty:
            rows = rows[rows["session"].isin(sessions)]
        return sorted(set(rows["bank_version"].astype(str))) if not rows.empty else []

    def _notes(self, code: str, table: pd.DataFrame) -> list[str]:
        notes = []
        used = self.latest[self.latest["submission_id"].isin(set(table["submission_id"]) - {""})]
        old = used[used["bank_version"] != self.bank.version]
        if not old.empty:
            areas = [self.bank.area(a).title for a in dict.fromkeys(old["area"])]
            versions = ", ".join(sorted(set(old["bank_version"].astype(str))))
            notes.append(
                _(
                    "Your answers for {areas} were saved with an earlier version of the statements "
                    "({versions}; this copy uses {version}). They are scored with the statements both "
                    "versions share, so read those scores as approximate."
                ).format(areas=_join(areas), versions=versions, version=self.bank.version)
            )
        unscored = table[table["score"].isna() & (table["submission_id"] != "")]
        for r in unscored.itertuples():
            need = self.bank.area(r.area).min_answered
            notes.append(
                _(
                    "{area}: too few statements were answered to give a score (at least {need} are needed), "
                    "so it counts as not yet rated."
                ).format(area=r.label, need=need)
            )
        if self.data.problems:
            files = len({p.path for p in self.data.problems})
            notes.append(
                _(
                    "{n} answer file(s) in this data folder could not be read and were left out (possibly from a "
                    "different item bank). Run: reconnect validate {folder} to see which and why."
                ).format(n=files, folder=self.store)
            )
        return notes


def private_areas(bank: ItemBank) -> set[str]:
    """The areas holding a statement marked ``sensitive`` (in any version): compared only to the step, never
    statement by statement, unless both partners share sensitive statements too."""
    return {a.id for a in bank.areas if any(i.sensitive for i in (*a.items, *a.retired))}


def _to_the_step(table: pd.DataFrame, areas: set[str]) -> pd.DataFrame:
    """A profile table whose scores in ``areas`` are shown as the middle of their step (:func:`coarse_score`)."""
    if table.empty:
        return table
    out = table.copy()
    mask = out["area"].isin(areas)
    out.loc[mask, "score"] = [coarse_score(float(s)) for s in out.loc[mask, "score"]]
    return out


def _without(items: pd.DataFrame, hidden: set[tuple[str, str]]) -> pd.DataFrame:
    """Item rows minus the (area, item) pairs in ``hidden``."""
    if items.empty or not hidden:
        return items
    keep = [(a, i) not in hidden for a, i in zip(items["area"], items["item"])]
    return items[keep]


def couple_questions(table: pd.DataFrame) -> list[str]:
    """Questions for the couple to talk through, from the agreement per area (far apart first)."""
    far, growth, strong = [], [], []
    for r in table.itertuples():
        if r.agreement == "far apart":
            far.append(
                _(
                    "You see '{area}' quite differently. Without deciding who is right, what does each of you "
                    "notice that the other may not?"
                ).format(area=r.label)
            )
        elif r.agreement == "shared growth area":
            growth.append(
                _(
                    "You both see room to grow in '{area}'. Which one small exercise from that notebook "
                    "could you try together this week?"
                ).format(area=r.label)
            )
        elif r.agreement == "shared strength":
            strong.append(
                _(
                    "You both see '{area}' as a strength. What does each of you do that keeps it that way, "
                    "and how could you protect it when life gets busy?"
                ).format(area=r.label)
            )
    return [
        *far,
        *growth,
        *strong,
        _("Which of these results surprised you most, and why?"),
        _("What is one small thing each of you could do for the other this week?"),
    ]


def own_reflections(home: str | Path, code: str) -> dict[str, list[Reflection]]:
    """The person's own journal notes by area (shown on screen only; never in the PDF or to a partner)."""
    notes, _problems = load_journal(home, code)
    out: dict[str, list[Reflection]] = {}
    for n in notes:
        out.setdefault(n.area, []).append(n)
    return out


def demo_choices(demo: str | Path, *, bank: ItemBank | None = None) -> list[tuple[str, str]]:
    """(label, code) for every participant of the synthetic demo, couples first."""
    source = ProfileSource(demo, bank=bank)
    couples = {c: members for c, members in source.couples().items() if len(members) == 2}
    out, seen = [], set()
    for _key, members in sorted(couples.items(), key=lambda kv: _couple_sort(kv[0])):
        for code in members:
            s = source.settings(code)
            label = s.couple if s and s.couple else _key
            both = all((source.settings(m) or pt.Settings(code=m)).share_with_partner for m in members)
            text = _("{code} (couple {couple})") if both else _("{code} (couple {couple}, not both sharing)")
            out.append((text.format(code=code, couple=label), code))
            seen.add(code)
    for code in source.codes():
        if code not in seen:
            out.append((_("{code} (on their own)").format(code=code), code))
    return out


def _couple_sort(key: str) -> tuple:
    digits = "".join(ch for ch in key if ch.isdigit())
    return (int(digits) if digits else 0, key)


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
