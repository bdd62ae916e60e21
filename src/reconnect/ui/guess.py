"""Guessing how the partner answered (01-05, after Save) and "How well we read each other" (06).

Both views follow the page's private safety state (:class:`~reconnect.ui.safety.PageSafety`): while
the private check says "Yes" or a fear statement is answered 4 or 5, the offer is gone and nothing
already guessed is on the page (the widgets holding it are closed, so no value stays in the page).
Both sit behind *who is answering* (the area's result gate; 06's identity), and both forget
everything on sign-out. Text only: nothing is drawn, so there is nothing to describe twice.
"""

from __future__ import annotations

import ipywidgets as w

from ..bank.i18n import N_, _
from ..core.errors import ReconnectError
from ..records import guesses as gs
from ..records import participant as pt
from .choice import RatingChoice
from .common import error_message, esc, info_message, ok_message
from .incidents import guarded
from .safety import PageSafety

#: The answer "I don't know" (saved as null): always offered, beside the scale.
DONT_KNOW = 0
DONT_KNOW_LABEL = N_("I don't know")


def _close(widgets) -> None:
    for box in widgets:
        box.close()


class GuessOffer:
    """After an area is saved: "How do you think your partner answered this about themselves?" (optional).

    Shown only to someone with a couple code, after a Save, for the statements the bank marks
    ``guess: true``, and never while the page's safety state says afraid. "Not now" is one click and
    saves nothing.
    """

    def __init__(self, form, *, page: PageSafety | None = None):
        self.form = form
        self.bank = form.bank
        self.area = form.area
        self.home = form.home
        self.page = page or PageSafety()
        self.items = gs.eligible_items(self.bank, self.area.id)
        self.opened = False
        self.skipped = False
        self.gone = False  # the person left: this offer never draws again (a new one is built for the next)
        self.questions: dict[str, RatingChoice] = {}
        self.message = w.HTML()
        self.widget = w.VBox()
        self.widget.add_class("rc-guess")
        form.on_saved(lambda _form: self.refresh())
        self.page.on_change(self.refresh)
        from .identity import clear_on_sign_out

        clear_on_sign_out(self)
        self.refresh()

    # -- state -------------------------------------------------------------------------------------
    @property
    def settings(self):
        return self.form.settings

    @property
    def offered(self) -> bool:
        """Whether the offer may be on the page now."""
        s = self.settings
        return bool(
            not self.gone
            and s is not None
            and s.couple
            and self.items
            and self.form.saved_at is not None
            and not self.page.afraid
        )

    @property
    def guesses(self) -> dict[str, int | None]:
        return {i: (None if b.value in (None, DONT_KNOW) else b.value) for i, b in self.questions.items()}

    def use_page(self, page: PageSafety) -> None:
        """Follow the page's new safety state (the check's cell ran again)."""
        self.page = page
        page.on_change(self.refresh)
        self.refresh()

    def clear(self) -> None:
        """The person left: nothing of theirs stays (closed widgets, no message)."""
        self.gone = True
        self.opened = self.skipped = False
        self.message.value = ""
        self._drop_questions()
        self.widget.children = ()

    def _drop_questions(self) -> None:
        _close(self.questions.values())
        self.questions = {}

    # -- drawing -----------------------------------------------------------------------------------
    def refresh(self) -> None:
        if self.gone or not self.offered:
            self._drop_questions()  # nothing given stays on the page while it may not be shown
            self.opened = False
            self.widget.children = ()
            return
        heading = w.HTML(
            '<h3 class="rc-guess-title">' + esc(_("Optional: how do you think your partner sees it?")) + "</h3>"
        )
        if self.skipped:
            again = w.Button(description=_("Guess after all"), layout=w.Layout(width="auto"))
            again.on_click(lambda _b: self._open())
            self.widget.children = (
                heading,
                w.HTML(info_message(_("You skipped the guesses for this area. Nothing was saved."))),
                again,
            )
            return
        if not self.opened:
            intro = w.HTML(
                "<p style='font-size:15px;'>"
                + esc(
                    _(
                        "If you like, guess how your partner answered some of these statements about "
                        "themselves. It takes a minute. Your guesses are kept on this computer. Your partner sees "
                        "them only if both of you switch on 'How well we read each other' in 06. They are never "
                        "collected, printed or shown to a group."
                    )
                )
                + "</p>"
            )
            start = w.Button(
                description=_("Guess my partner's answers"), icon="comments", layout=w.Layout(width="auto")
            )
            start.add_class("rc-guess-start")
            skip = w.Button(description=_("Not now"), layout=w.Layout(width="auto"))
            skip.add_class("rc-guess-skip")
            start.on_click(lambda _b: self._open())
            skip.on_click(lambda _b: self._skip())
            self.widget.children = (heading, intro, w.HBox([start, skip]), self.message)
            return
        self._draw_questions(heading)

    def _draw_questions(self, heading) -> None:
        if not self.questions:
            options = [(label, value) for value, label in self.bank.scale] + [(_(DONT_KNOW_LABEL), DONT_KNOW)]
            earlier = None
            try:
                earlier = gs.newest_for(
                    self.home, self.settings.code, session=self.settings.session, area=self.area.id, bank=self.bank
                )
            except (OSError, ReconnectError):
                earlier = None
            for n, (item_id, item) in enumerate(self.items.items(), start=1):
                box = RatingChoice(
                    statement=_("Your partner: “{statement}”").format(statement=item.text), number=n, options=options
                )
                if earlier is not None and item_id in earlier.guesses:
                    value = earlier.guesses[item_id]
                    box.value = DONT_KNOW if value is None else value
                self.questions[item_id] = box
        save = w.Button(
            description=_("Save my guesses"), button_style="primary", icon="check", layout=w.Layout(width="auto")
        )
        save.add_class("rc-guess-save")
        save.on_click(self._on_save)
        close = w.Button(description=_("Not now"), layout=w.Layout(width="auto"))
        close.add_class("rc-guess-skip")
        close.on_click(lambda _b: self._skip())
        explain = w.HTML(
            "<p style='font-size:15px;'>"
            + esc(
                _(
                    "For each statement, choose how you think your partner answered it about themselves, on the "
                    "same scale. 'I don't know' is always fine. Leave any statement open."
                )
            )
            + "</p>"
        )
        self.widget.children = (heading, explain, *self.questions.values(), w.HBox([save, close]), self.message)

    # -- actions -----------------------------------------------------------------------------------
    def _open(self) -> None:
        self.opened, self.skipped = True, False
        self.message.value = ""
        self.refresh()

    def _skip(self) -> None:
        self.opened, self.skipped = False, True
        self.message.value = ""
        self._drop_questions()
        self.refresh()

    @guarded("message")
    def _on_save(self, _button=None) -> None:
        if not self.offered:
            return
        chosen = {i: b.value for i, b in self.questions.items() if b.value is not None}
        if not chosen:
            self.message.value = error_message(
                _("Choose a guess (or I don't know) for at least one statement first; nothing was saved.")
            )
            return
        s = self.settings
        try:
            gs.save_guesses(
                self.home,
                participant=s.code,
                couple=s.couple,
                session=s.session,
                area=self.area.id,
                guesses={i: (None if v == DONT_KNOW else v) for i, v in chosen.items()},
                bank=self.bank,
            )
        except ReconnectError as exc:
            self.message.value = error_message(str(exc))
            return
        self.message.value = ok_message(
            _(
                "Your guesses are saved on this computer. Your partner sees them only if both of you switch on "
                "'How well we read each other' in 06."
            )
        )


class ReadingEachOther:
    """06: the consent "How well we read each other" and, when both agreed, the statements to talk about."""

    def __init__(self, view, *, page: PageSafety | None = None):
        self.view = view
        self.bank = view.bank
        self.page = page or PageSafety()
        self.page.on_change(self.refresh)
        self._busy = False
        self.consent = w.Checkbox(
            value=False,
            description=_("Show how well we read each other (our guesses about each other; both of us must tick this)"),
            indent=False,
            disabled=True,
            layout=w.Layout(width="auto"),
        )
        self.consent.add_class("rc-share-guesses")
        self.consent.observe(self._on_consent, names="value")
        self.explain = w.HTML(
            "<p class='rc-guess-what' style='font-size:14px;'>"
            + esc(
                _(
                    "If both of you tick it, each of you sees the statements where a guess and the other "
                    "person's own answer are two or more steps apart, with both answers. Nothing else of your "
                    "guesses is shown, and there is no score. Untick it at any time: the view is then gone for "
                    "both of you. Skip this if you are afraid of your partner, or if they control what you do."
                )
            )
            + "</p>"
        )
        self.message = w.HTML()
        self.body = w.HTML()
        self.body.add_class("rc-reading")
        self.widget = w.VBox(
            [
                w.HTML("<h4>" + esc(_("How well we read each other")) + "</h4>"),
                self.explain,
                self.consent,
                self.message,
                self.body,
            ]
        )
        from .identity import clear_on_sign_out

        clear_on_sign_out(self)

    def use_page(self, page: PageSafety) -> None:
        self.page = page
        page.on_change(self.refresh)
        self.refresh()

    def clear(self) -> None:
        """The person left: nothing of theirs or their partner's stays, the box unticked."""
        self.message.value = ""
        self.body.value = ""
        self._set_consent(False, disabled=True)

    def refresh(self) -> None:
        from ..results.perception import perception
        from ..results.profile import ProfileSource

        view = self.view
        code = view.code
        self.body.value = ""
        if code is None or view.showing_demo:
            self._set_consent(False, disabled=True)
            self.message.value = ""
            return
        settings = pt.load_settings(view.home, code)
        self._set_consent(bool(settings and settings.share_guesses), disabled=settings is None or not settings.couple)
        if self.page.afraid:
            self.body.value = (
                "<p class='rc-reading-hidden' style='font-size:14px;font-style:italic;'>"
                + esc(
                    _(
                        "How well we read each other is hidden on this page, after your answer to the private "
                        "question above. Please talk with someone on your own first."
                    )
                )
                + "</p>"
            )
            return
        try:
            seen = perception(ProfileSource(view.home, bank=self.bank), code)
        except ReconnectError as exc:
            self.body.value = error_message(str(exc))
            return
        if not seen.ready:
            html = info_message(seen.message)
        else:
            html = f"<p style='font-size:15px;'>{esc(seen.message)}</p>"
            for title, gaps in seen.by_area():
                html += f"<p style='font-size:15px;margin-bottom:2px;'><b>{esc(title)}</b></p>"
                html += (
                    '<ul class="rc-gaps" style="font-size:15px;">'
                    + "".join(f'<li class="rc-gap">{esc(g.question(self.bank))}</li>' for g in gaps)
                    + "</ul>"
                )
        for note in seen.notes:
            html += f"<p class='rc-reading-note' style='font-size:14px;'><i>{esc(note)}</i></p>"
        self.body.value = html

    def _set_consent(self, value: bool, *, disabled: bool) -> None:
        self._busy = True
        try:
            self.consent.value = value
        finally:
            self._busy = False
        self.consent.disabled = disabled

    def _on_consent(self, change) -> None:
        if self._busy:
            return
        view = self.view
        code = view.code
        if code is None or view.showing_demo:
            return
        from dataclasses import replace

        try:
            old = pt.load_settings(view.home, code) or pt.Settings(code=code)
            pt.save_settings(view.home, replace(old, share_guesses=bool(change["new"])), make_current=False)
        except ReconnectError as exc:
            self.message.value = error_message(str(exc) + "\n" + _("Your choice was not changed."))
            return
        self.message.value = ok_message(
            _("Saved: your guesses are shown only if your partner also ticks this box.")
            if change["new"]
            else _("Saved: How well we read each other is now gone for both of you.")
        )
        self.refresh()
