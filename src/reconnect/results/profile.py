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

from pathlib import Path

from ..bank.content import load_item_bank
from ..bank.i18n import N_, _, number
from ..bank.model import ItemBank
from ..core.errors import InputError
from ..core.lazy import lazy
from ..records import participant as pt
from ..records.codes import is_participant_code
from ..records.journal import Reflection, load_journal
from ..records.store import StoreData, latest_submissions, load_store
from .profile_views import (
    NO_COUPLE_CODE,
    NO_PARTNER,
    NO_SETTINGS,
    PARTNER_NOT_ANSWERED,
    PARTNER_NOT_SHARING,
    READY,
    TOO_MANY,
    YOU_NOT_ANSWERED,
    YOU_NOT_SHARING,
    Change,
    CoupleView,
    Profile,
)
from .scoring import (
    CHANGE_NOTICEABLE,
    FAR_APART,
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
)

pd = lazy("pandas")

# One message for "no partner yet", "you do not share" and "your partner does not share": a person
# is never told what their partner chose.
NOT_BOTH_SHARING = N_(
    "The couple view appears here only when both of you have entered the same couple code ('{couple}') in "
    "00 Start here and both of you have switched sharing on. Until then nothing of your partner's is shown "
    "here and nothing of yours is shown to them, and this page never tells either of you what the other has "
    "chosen. If you have both switched it on and still see this, check that you typed exactly the same "
    "couple code."
)


class ParticipantNotFound(InputError):
    """No answers and no settings for this participant code in this data folder."""


def _join(names: list[str]) -> str:
    names = [f"'{n}'" for n in names]
    if len(names) == 1:
        return names[0]
    return _("{items} and {last}").format(items=", ".join(names[:-1]), last=names[-1])


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
        blocked, partner = self._couple_partner(code, me)
        if blocked is not None:
            return blocked
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
        return self._couple_ready(me, theirs, partner, mine_p, theirs_p)

    def _couple_partner(self, code: str, me: pt.Settings | None) -> tuple[CoupleView | None, str | None]:
        """The partner's code, or why there is no one partner (a couple view saying so)."""
        if me is None:
            return CoupleView(
                NO_SETTINGS,
                _(
                    "No settings are saved for this participant in this data folder, so there is no couple code "
                    "and no choice to share; no couple view is shown."
                ),
            ), None
        if not me.couple:
            return CoupleView(
                NO_COUPLE_CODE,
                _(
                    "You have not entered a couple code. If you come as a couple, both of you enter the same "
                    "couple code in 00 Start here; then each of you can choose to share."
                ),
            ), None
        members = self.couples().get(me.couple.casefold(), [code])
        others = [c for c in members if c != code]
        if not others:
            return CoupleView(NO_PARTNER, _(NOT_BOTH_SHARING).format(couple=me.couple), couple=me.couple), None
        if len(others) > 1:
            return CoupleView(
                TOO_MANY,
                _(
                    "The couple code '{couple}' is used by {n} participants in this data folder, so it "
                    "is not clear who your partner is, and no couple view is shown. A couple code belongs to two "
                    "people: agree on a new, unusual code together and both enter it in 00 Start here."
                ).format(couple=me.couple, n=len(members)),
                couple=me.couple,
            ), None
        return None, others[0]

    def _couple_ready(self, me, theirs, partner: str, mine_p: Profile, theirs_p: Profile) -> CoupleView:
        """Both shared and both answered: the table, the statements to talk about, and what is held back."""
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
