"""06 My profile: the whole picture, change over time, the couple view (with consent), the PDF."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import ipywidgets as w

from ..bank.content import load_item_bank
from ..bank.i18n import N_, _
from ..bank.model import ItemBank
from ..core.errors import ReconnectError
from ..core.paths import data_home, demo_store
from ..records import participant as pt
from ..results.profile import ProfileSource, demo_choices, own_reflections
from ..results.profile_views import PARTNER, YOU, Change, CoupleView, Profile
from ..results.scoring import SCORE_NOTE
from .common import (
    download_link,
    error_message,
    esc,
    first_sentence,
    info_message,
    local_time,
    ok_message,
    partner_safety_html,
    safety_html,
    show_figure,
)
from .profile_text import _conversations_html, _details, _list, _titled_list, share_explanation
from .safety import together_note_html
from .switch import Switch

OWN, DEMO = "own", "demo"
NEWEST = ""


class ProfileView:
    """Everything 06 shows, for the current participant or (when the demo exists) a demo participant.

    Sections (each also a widget of its own for the notebook cells): ``chooser_widget``,
    ``profile_widget``, ``change_widget``, ``couple_widget``, ``report_widget``; ``widget`` holds all.
    """

    def __init__(
        self,
        *,
        home: str | Path | None = None,
        demo: str | Path | None = None,
        bank: ItemBank | None = None,
    ):
        self.bank = bank or load_item_bank()
        self.home = Path(home) if home is not None else data_home()
        self.demo = Path(demo) if demo is not None else demo_store()
        self.has_demo = (self.demo / "submissions").is_dir()
        self.axes: dict[str, object] = {}
        self.profile: Profile | None = None
        self.change: Change | None = None
        self.couple: CoupleView | None = None
        self._busy = False

        self._build_chooser()
        self._build_profile_and_change()
        self._build_couple()
        self._build_report()
        self.widget = w.VBox(
            [
                self.chooser_widget,
                w.HTML("<h3>" + esc(_("My profile")) + "</h3>"),
                self.profile_widget,
                w.HTML("<h3>" + esc(_("Change over time")) + "</h3>"),
                self.change_widget,
                w.HTML("<h3>" + esc(_("The two of us")) + "</h3>"),
                self.couple_widget,
                w.HTML("<h3>" + esc(_("Printable report")) + "</h3>"),
                self.report_widget,
            ]
        )
        self.source.observe(self._on_source, names="value")
        self.demo_code.observe(lambda _c: self._on_person(), names="value")
        self.session.observe(lambda _c: self.refresh(), names="value")
        self.share.observe(self._on_share, names="value")
        self.share_sensitive.observe(self._on_share_sensitive, names="value")
        self.report_button.on_click(self._on_report)
        from .identity import clear_on_sign_out

        clear_on_sign_out(self)
        self._on_person()

    def _build_chooser(self) -> None:
        """Who is shown (own answers or a demo participant) and which session, with the header below."""
        self.source = Switch(  # a radio group: the chosen option is exposed, in Lab and app mode alike
            options=[(_("My own answers"), OWN), (_("A demo participant (synthetic)"), DEMO)],
            value=OWN,
            label=_("Show"),
        )
        self.demo_code = w.Dropdown(
            options=demo_choices(self.demo, bank=self.bank) if self.has_demo else [],
            description=_("Demo participant"),
            style={"description_width": "initial"},
            # as wide as its longest choice (in every language), never wider than the page
            layout=w.Layout(width="max-content", max_width="100%", display="none"),
        )
        self.session = w.Dropdown(
            options=[(_("newest answer in each area"), NEWEST)],
            value=NEWEST,
            description=_("Session shown"),
            style={"description_width": "initial"},
            layout=w.Layout(width="max-content", max_width="100%"),
        )
        self.header = w.HTML()
        chooser = [self.source, self.demo_code] if self.has_demo else []
        self.chooser_widget = w.VBox([*chooser, self.session, self.header])

    def _build_profile_and_change(self) -> None:
        """The profile's and the change's chart and text, the profile's help box beneath them."""
        self.profile_chart = w.Output()
        self.profile_text = w.HTML()
        self.change_chart = w.Output()
        self.change_text = w.HTML()
        self.safety = w.HTML(safety_html(self.bank))
        self.profile_widget = w.VBox([self.profile_chart, self.profile_text, self.safety])
        self.change_widget = w.VBox([self.change_chart, self.change_text, w.HTML(partner_safety_html(self.bank))])

    def _build_couple(self) -> None:
        """The couple's sharing choice (off unless switched on), their comparison and the guesses."""
        self.share = w.Checkbox(
            value=False,
            description=_("Share my results with my partner (off unless you switch it on)"),
            indent=False,
            layout=w.Layout(width="auto"),
        )
        self.share_sensitive = w.Checkbox(
            value=False,
            description=_("Also compare our answers to the statements marked sensitive (listed above)"),
            indent=False,
            disabled=True,
            layout=w.Layout(width="auto"),
        )
        self.share_what = w.HTML(share_explanation(self.bank))
        self.share_message = w.HTML()
        self.couple_text = w.HTML()
        self.couple_chart = w.Output()
        self.couple_details = w.HTML()
        from .guess import ReadingEachOther

        #: "How well we read each other" (guesses, ui/guess.py): its own consent, text only, never in the PDF.
        self.reading = ReadingEachOther(self)
        self.couple_widget = w.VBox(
            [
                self.share_what,
                self.share,
                self.share_sensitive,
                self.share_message,
                self.couple_text,
                self.couple_chart,
                self.couple_details,
                self.reading.widget,
                w.HTML(partner_safety_html(self.bank)),
            ]
        )

    def _build_report(self) -> None:
        """The printable report's button and its message."""
        self.report_button = w.Button(
            description=_("Make my printable report (PDF)"), icon="file", layout=w.Layout(width="auto")
        )
        self.report_message = w.HTML()
        self.report_widget = w.VBox([self.report_button, self.report_message])  # the help box is shown once, above

    def clear(self) -> None:
        """The person left: back to their own (now nobody's) answers, the first demo participant, no messages."""
        self._busy = True
        try:
            self.source.value = OWN
            if self.demo_code.options:
                self.demo_code.index = 0
        finally:
            self._busy = False
        self.demo_code.layout.display = "none"
        self.share_message.value = ""
        self.report_message.value = ""

    # -- who is shown ----------------------------------------------------------------------------
    @property
    def showing_demo(self) -> bool:
        return self.has_demo and self.source.value == DEMO

    @property
    def store(self) -> Path:
        return self.demo if self.showing_demo else self.home

    @property
    def code(self) -> str | None:
        if self.showing_demo:
            return self.demo_code.value
        return pt.current_code(self.home)

    def follow_identity(self) -> None:
        """Someone signed in or out on this page: show their profile, or nothing personal."""
        self._on_person()

    def _on_source(self, _change=None) -> None:
        self.demo_code.layout.display = "" if self.showing_demo else "none"
        self._on_person()

    def _on_person(self) -> None:
        """A different person: reset the session list, then draw everything."""
        self._busy = True
        try:
            options = [(_("newest answer in each area"), NEWEST)]
            code = self.code
            if code is not None:
                try:
                    source = ProfileSource(self.store, bank=self.bank)
                    if code in source.codes():
                        options += [
                            (_("session '{session}'").format(session=pt.session_label(s)), s)
                            for s in source.profile(code).sessions
                        ]
                except ReconnectError:
                    pass
            self.session.options = options
            self.session.value = NEWEST
        finally:
            self._busy = False
        self.refresh()

    # -- drawing ---------------------------------------------------------------------------------
    def refresh(self) -> None:
        if self._busy:
            return
        for out in (self.profile_chart, self.change_chart, self.couple_chart):
            out.outputs = ()  # not clear_output(): that goes through the page, and without one nothing is cleared
        self.axes.clear()
        self.profile = self.change = self.couple = None
        self.report_message.value = ""
        code = self.code
        if code is None:
            words = [
                _(
                    "Nobody is signed in on this page, so no profile is shown. Type your participant code at the top "
                    "of this page and press This is me. No code yet? Open 00 Start here, create one and rate a few "
                    "areas in notebooks 01 to 05."
                )
            ]
            if self.has_demo:
                words.append(_("Or choose 'A demo participant (synthetic)' above to explore."))
            self._blank(" ".join(words), problem=False)
            return
        try:
            source = ProfileSource(self.store, bank=self.bank)
            self.profile = source.profile(code, session=self.session.value or None)
            self.change = source.change(code)
            self.couple = source.couple(code)
        except ReconnectError as exc:
            self._blank(str(exc))
            return
        who = (
            _("Demo participant {code} — made-up answers (synthetic), not a real person.")
            if self.showing_demo
            else _("Your profile, participant {code}.")
        ).format(code=code)
        scale = _("Scores run from 0 to 100 and are {note}. There is no overall score.").format(note=_(SCORE_NOTE))
        self.header.value = info_message(f"{who} {scale}")
        self._draw_profile(source)
        self._draw_change()
        self._draw_couple(source)
        self.reading.refresh()
        self.report_button.disabled = False

    def _blank(self, message: str, *, problem: bool = True) -> None:
        self.header.value = error_message(message) if problem else info_message(message)
        self.profile_text.value = ""
        self.change_text.value = ""
        self.couple_text.value = ""
        self.couple_details.value = ""
        self.share_message.value = ""
        self._busy = True
        try:  # never leave the last person's sharing choice on screen
            self.share.value = False
            self.share_sensitive.value = False
        finally:
            self._busy = False
        self.share.disabled = True
        self.share_sensitive.disabled = True
        self.reading.refresh()  # nothing of anyone's guesses while no profile is shown
        self.report_button.disabled = True

    def _show(self, out: w.Output, key: str, draw, text: str) -> None:
        """Draw a chart into ``out`` as an image whose ``alt`` is its text alternative's first sentence."""
        ax = draw()
        self.axes[key] = ax
        show_figure(out, ax.figure, first_sentence(text))

    def _draw_profile(self, source: ProfileSource) -> None:
        from ..output.charts import score_bars
        from ..results.chart_text import score_bars_text

        p = self.profile
        if not p.is_empty:
            self._show(
                self.profile_chart,
                "profile",
                lambda: score_bars(p.chart_data(), bank=self.bank, title=_("My five areas")),
                score_bars_text(p.chart_data(), bank=self.bank),
            )
        html = _list(p.summary_lines(), "rc-summary")
        exercises = p.exercises()
        notes = {} if self.showing_demo else own_reflections(self.home, p.code)
        if exercises:
            html += f"<p style='font-size:15px;'><b>{esc(p.exercises_intro())}</b></p>"
            for title, ideas in exercises:
                area_id = next(a.id for a in self.bank.areas if a.title == title)
                html += f"<p style='font-size:15px;margin-bottom:0;'><b>{esc(title)}</b></p>" + _list(ideas, "rc-ideas")
                mine = notes.get(area_id, [])
                if mine:
                    html += (
                        '<div class="rc-own-notes" style="font-size:14px;border-left:4px solid #999;padding-left:8px;">'
                        + "<i>"
                        + esc(_("Your own notes on this area (only you see these; they are never printed or shared):"))
                        + "</i><ul>"
                        + "".join(f"<li>{esc(local_time(n.saved_at))}: {esc(n.text)}</li>" for n in mine[-3:])
                        + "</ul></div>"
                    )
            if p.has_together_exercises():
                html += together_note_html(self.bank)
        if p.notes:
            html += "".join(info_message(n) for n in p.notes)
        if not p.is_empty:
            html += _details(_("The chart as text"), score_bars_text(p.chart_data(), bank=self.bank))
        self.profile_text.value = html

    def _draw_change(self) -> None:
        from ..output.charts import change_dumbbell
        from ..results.chart_text import change_dumbbell_text

        c = self.change
        if not c.available:
            self.change_text.value = info_message(c.message)
            return
        self._show(
            self.change_chart,
            "change",
            lambda: change_dumbbell(
                c.long,
                bank=self.bank,
                sessions=c.sessions,
                title=_("From '{first}' to '{last}'").format(
                    first=pt.session_label(c.first), last=pt.session_label(c.last)
                ),
            ),
            change_dumbbell_text(c.long, bank=self.bank, sessions=c.sessions),
        )
        self.change_text.value = (
            f"<p style='font-size:15px;'>{esc(c.message)}</p>"
            + _list(c.lines()[1:], "rc-change")
            + _details(_("The chart as text"), change_dumbbell_text(c.long, bank=self.bank, sessions=c.sessions))
        )

    def _draw_couple(self, source: ProfileSource) -> None:
        from ..output.charts import couple_bars
        from ..results.chart_text import couple_bars_text

        settings = source.settings(self.profile.code)
        self._busy = True
        try:
            self.share.value = bool(settings and settings.share_with_partner)
            self.share_sensitive.value = bool(settings and settings.share_sensitive)
        finally:
            self._busy = False
        self.share.disabled = self.showing_demo
        self.share_sensitive.disabled = self.showing_demo or not self.share.value
        self.share_message.value = (
            info_message(_("This is a demo participant: their sharing choice is part of the synthetic demo."))
            if self.showing_demo
            else ""
        )
        cv = self.couple
        if not cv.ready:
            self.couple_text.value = info_message(cv.message)
            self.couple_details.value = ""
            return
        self.couple_text.value = f"<p style='font-size:15px;'>{esc(cv.message)}</p>"
        data = cv.chart_data()
        self._show(
            self.couple_chart,
            "couple",
            lambda: couple_bars(data, bank=self.bank, note="agreement", people=[YOU, PARTNER], title=_("Side by side")),
            couple_bars_text(data, bank=self.bank, note="agreement", people=[YOU, PARTNER]),
        )
        html = _list(cv.agreement_lines(), "rc-agreement")
        diffs = cv.difference_lines()
        strengths = cv.strength_lines()
        if strengths:
            html += _titled_list(
                _("{title} (shared strengths to build on):"),
                _("Statements you both rate high"),
                strengths,
                "rc-shared-strengths",
            )
        if diffs:
            html += _titled_list(
                _("{title} (a place to start talking):"),
                _("Statements you answered most differently"),
                diffs,
                "rc-diffs",
            )
        note = cv.sensitive_note()
        if note:
            html += f"<p class='rc-sensitive-note' style='font-size:14px;'><i>{esc(note)}</i></p>"
        html += "<p style='font-size:15px;'><b>" + esc(_("To talk about together")) + "</b></p>"
        html += _list(cv.questions, "rc-questions")
        html += _conversations_html(cv)
        html += _details(
            _("The chart as text"),
            couple_bars_text(data, bank=self.bank, note="agreement", people=[YOU, PARTNER]),
        )
        self.couple_details.value = html

    # -- actions ---------------------------------------------------------------------------------
    def _change_setting(self, failed: str, **fields) -> bool:
        """Save one of the person's sharing choices (a new settings file); False when nothing changed."""
        if self._busy or self.showing_demo:
            return False
        code = self.code
        if code is None:
            return False
        try:
            old = pt.load_settings(self.home, code) or pt.Settings(code=code)
            pt.save_settings(self.home, replace(old, **fields), make_current=False)
        except ReconnectError as exc:
            self.share_message.value = error_message(str(exc) + "\n" + _(failed))
            return False
        self.refresh()
        return True

    def _on_share_sensitive(self, change) -> None:
        if not self._change_setting(N_("Your choice was not changed."), share_sensitive=bool(change["new"])):
            return
        self.share_message.value = ok_message(
            _("Saved: the statements marked sensitive are compared too, but only if your partner also ticks this box.")
            if change["new"]
            else _("Saved: the statements marked sensitive are left out of the comparison.")
        )

    def _on_share(self, change) -> None:
        if not self._change_setting(N_("Your sharing choice was not changed."), share_with_partner=bool(change["new"])):
            return
        self.share_message.value = ok_message(
            _(
                "Saved: you share your results with your partner. Nothing is shown to either of you until both of "
                "you share."
            )
            if change["new"]
            else _("Saved: you do not share. Your partner sees none of your results, and you see none of theirs.")
        )

    def _on_report(self, _button=None) -> None:
        from ..output.report import new_report_path, write_report

        code = self.code
        if code is None:
            self.report_message.value = error_message(_("Create your participant code in 00 Start here first."))
            return
        self.report_button.disabled = True
        try:
            path = new_report_path(self.home, demo=self.showing_demo)
            path, pages, couple = write_report(
                self.store, code, path, bank=self.bank, session=self.session.value or None
            )
        except ReconnectError as exc:
            self.report_message.value = error_message(str(exc) + "\n" + _("No report was written."))
            return
        finally:
            self.report_button.disabled = False
        # where the file is, in a participant's words: its name and the folder beside their answers, never the
        # server's path (/home/..., a hub account's folder); the button below hands it to the browser
        words = [
            _(
                "Your {pages}-page report is ready: {name}. Press the button below to download it, then open or "
                "print it. A copy is kept with your answers, in Reconnect's reports folder."
            ).format(pages=pages, name=Path(path).name)
        ]
        if couple:
            words.append(_("It includes the couple page, because both of you chose to share."))
        words.append(
            _(
                "It holds your answers: keep it private, and delete it when you no longer need it. Your private "
                "journal notes are never put in it."
            )
        )
        self.report_message.value = ok_message(" ".join(words)) + download_link(
            path, _("Download the report (PDF) to open or print it")
        )
        self.last_report = path
