"""An area notebook: the rating form, "your result for this area", and the private reflection."""

from __future__ import annotations

from pathlib import Path

import ipywidgets as w

from ..bank.content import load_item_bank
from ..bank.i18n import N_, _, ngettext, number
from ..bank.model import ItemBank, fear_answered
from ..core.errors import ReconnectError
from ..core.paths import data_home
from ..records import participant as pt
from ..records.answers import AreaAnswers, Outcome
from ..records.journal import load_journal, save_reflection
from ..results.scoring import SCORE_NOTE, band_label, score_ratings
from .choice import RatingChoice
from .common import (
    error_message,
    esc,
    first_sentence,
    html_format,
    info_message,
    local_time,
    ok_message,
    safety_html,
    show_figure,
)
from .incidents import guarded
from .safety import PageSafety, afraid_help_html, suggestions_html


class RatingForm:
    """Every statement of one area with its five labelled answers, progress, and Save.

    A thin view: restoring, drafts and saving are :class:`reconnect.records.answers.AreaAnswers`; this class
    only turns their outcomes into what the participant sees.
    """

    def __init__(
        self,
        area_id: str,
        *,
        home: str | Path | None = None,
        bank: ItemBank | None = None,
        page: PageSafety | None = None,
    ):
        self.bank = bank or load_item_bank()
        self.area = self.bank.area(area_id)
        self.home = Path(home) if home is not None else data_home()
        #: This page's safety state: the fear rule tells it when a fear statement is answered 4 or 5.
        self.page = page or PageSafety()
        self._fear_ids = {item.id for item in self.area.items if item.fear}
        self.settings = pt.current_settings(self.home)
        self.answers = (
            AreaAnswers(area_id, home=self.home, settings=self.settings, bank=self.bank) if self.settings else None
        )
        self._listeners: list = []
        self._restoring = True  # choices set while restoring are not the participant's new draft
        self._successor: RatingForm | None = None
        options = [(label, value) for value, label in self.bank.scale]
        self.header = w.HTML()
        self.questions: dict[str, RatingChoice] = {}
        for n, item in enumerate(self.area.items, start=1):
            choice = RatingChoice(statement=item.text, number=n, options=options)
            choice.observe(self._on_change, names="value")
            self.questions[item.id] = choice
        self.progress = w.HTML()
        #: The fear rule's quiet help, on this screen only (never saved, never in a couple or group view).
        self.fear_help = w.HTML()
        self.save_button = w.Button(
            description=_("Save my answers"), button_style="primary", icon="check", layout=w.Layout(width="auto")
        )
        self.save_button.on_click(self._on_save)
        self.message = w.HTML()
        self.widget = w.VBox(
            [self.header, *self.questions.values(), self.progress, self.fear_help, self.save_button, self.message]
        )
        self._restore()

    # -- state ---------------------------------------------------------------------------------
    @property
    def ratings(self) -> dict[str, int | None]:
        return {item_id: box.value for item_id, box in self.questions.items()}

    @property
    def answered(self) -> int:
        return sum(v is not None for v in self.ratings.values())

    @property
    def saved_ratings(self) -> dict[str, int | None]:
        return self.answers.saved_ratings if self.answers else {}

    @property
    def saved_at(self):
        return self.answers.saved_at if self.answers else None

    def on_saved(self, callback) -> None:
        """Call ``callback(form)`` after every successful save (the result view listens)."""
        self._listeners.append(callback)

    def _restore(self) -> None:
        if self.settings is None:
            self.header.value = error_message(
                _(
                    "You have no participant code yet, so answers cannot be saved. Open 00 Start here, "
                    "create your code, then come back to this notebook and run it again."
                )
            )
            self.save_button.disabled = True
        else:
            s = self.settings
            self.header.value = info_message(
                _(
                    "Answering as {code}, session '{session}'. Choose the answer that fits you best for each statement."
                ).format(code=s.code, session=pt.session_label(s.session))
            )
            restored = self.answers.restore()
            for item_id, value in restored.ratings.items():
                self.questions[item_id].value = value
            if restored.source == "draft":
                self.message.value = info_message(
                    _(
                        "The answers you chose at {time} but had not saved yet are back on "
                        "screen. Press Save my answers to keep them."
                    ).format(time=local_time(restored.when))
                )
            elif restored.source == "saved":
                self.message.value = info_message(
                    _(
                        "Your answers saved at {time} are shown again. Change any of them and save again "
                        "if you like; earlier saves are kept."
                    ).format(time=local_time(restored.when))
                )
        self._on_change()
        self._restoring = False

    @property
    def fear_signal(self) -> bool:
        """The fear rule: a ``fear: true`` statement answered :data:`~reconnect.bank.model.FEAR_FROM` or more.

        Read from the answers on screen (saved or not), so the help comes as soon as the answer is chosen.
        """
        return fear_answered(self.ratings, self.area.items)

    def use_page(self, page: PageSafety) -> None:
        """Follow another page state (the page's check ran again); the fear rule tells it at once."""
        self.page = page
        self._update_fear()

    def _update_fear(self) -> None:
        fear = self.fear_signal
        self.fear_help.value = afraid_help_html(self.bank) if fear else ""
        self.page.set_fear(fear)

    def hand_over_to(self, successor: RatingForm) -> None:
        """This form's view was replaced by ``successor``'s (the page ran again) for the same person.

        A choice can still reach this form after that: a key press made on the old view just before
        it was replaced arrives after the new form restored its answers. It is passed on, so the
        newest choice wins in the view on screen and in the draft, and this form writes nothing
        itself any more.
        """
        if successor is not self:
            self._successor = successor

    def _on_change(self, change=None) -> None:
        if self._successor is not None:
            if change is not None and not self._restoring:
                for item_id, box in self.questions.items():
                    if box is change.get("owner") and item_id in self._successor.questions:
                        self._successor.questions[item_id].value = change["new"]
            return
        total = len(self.questions)
        done = self.answered
        need = self.area.min_answered
        if done >= need:
            counted = _("{done} of {total} answered").format(done=done, total=total)
        else:
            counted = _("{done} of {total} answered — answer at least {need} to see a result").format(
                done=done, total=total, need=need
            )
        if not self._restoring and self.answers is not None:
            self.answers.keep_draft(self.ratings)
            if self.saved_at is not None and self.answers.changed_since_save(self.ratings):
                self.message.value = info_message(
                    _(
                        "You have changed answers since you saved at {time}. Press Save my answers to keep the changes."
                    ).format(time=local_time(self.saved_at))
                )
        self.progress.value = (
            f'<div class="rc-progress" role="status" style="font-size:15px;margin-top:8px;">{esc(counted)}</div>'
        )
        self._update_fear()

    @guarded("message")
    def _on_save(self, _button=None) -> None:
        if self.answers is None:
            self.message.value = error_message(
                _("Open 00 Start here and create your participant code first; nothing was saved.")
            )
            return
        # The button stays enabled while saving: disabling it would drop the keyboard focus to the page
        # body. A quick second click makes no second file (the same answers come back "unchanged").
        outcome = self.answers.save(self.ratings)
        self.message.value = _outcome_html(outcome, need=self.area.min_answered)
        if outcome.kind == "saved":
            for callback in self._listeners:
                callback(self)


def _outcome_html(outcome: Outcome, *, need: int) -> str:
    """What the participant reads after pressing Save."""
    missing = outcome.missing
    numbers = ", ".join(map(str, missing))
    if outcome.kind == "too_few":
        return error_message(
            ngettext(
                "Please answer at least {need} of the {total} statements before saving (you have answered "
                "{answered}). Still open: statement {numbers}. Nothing was saved yet.",
                "Please answer at least {need} of the {total} statements before saving (you have answered "
                "{answered}). Still open: statements {numbers}. Nothing was saved yet.",
                len(missing),
            ).format(need=need, total=outcome.total, answered=outcome.answered, numbers=numbers)
        )
    if outcome.kind == "unchanged":
        return ok_message(
            _("Already saved at {time}; nothing has changed since.").format(time=local_time(outcome.saved_at))
        )
    if outcome.kind == "failed":
        return error_message(
            outcome.error + "\n" + _("Your answers are still on screen; try again once this is fixed.")
        )
    parts = [
        _("Saved at {time} ({answered} of {total} answered).").format(
            time=local_time(outcome.saved_at), answered=outcome.answered, total=outcome.total
        )
    ]
    if missing:
        parts.append(
            ngettext(
                "Statement {numbers} left open, which is fine.",
                "Statements {numbers} left open, which is fine.",
                len(missing),
            ).format(numbers=numbers)
        )
    if outcome.elsewhere is not None:
        parts.append(
            _(
                "Answers saved at {time} from another tab or window stay in your history; "
                "these newer ones are the ones that count."
            ).format(time=local_time(outcome.elsewhere))
        )
    if outcome.handed_in:
        parts.append(outcome.handed_in)
    return ok_message(" ".join(parts))


class AreaResult:
    """ "Your result for this area": 0-100 score, band, a small chart, the exercises, the safety note.

    ``page`` is the page's private safety check (:class:`~reconnect.ui.safety.PageSafety`): after a
    "yes" the exercises meant for the two of you are hidden.
    """

    def __init__(self, form: RatingForm, *, page: PageSafety | None = None):
        self.form = form
        self.page = page or PageSafety()
        self.summary = w.HTML()
        self.chart = w.Output()
        self.safety = w.HTML(safety_html(form.bank))
        self.widget = w.VBox([self.summary, self.chart, self.safety])
        form.on_saved(lambda _form: self.refresh())
        self.page.on_change(self._refresh_text)
        self.refresh()

    def _refresh_text(self) -> None:
        """Re-render the words only (the answer to the private check changed; the chart stays)."""
        if self.form.saved_at is not None:
            self._summary()

    def refresh(self) -> None:
        form, bank, area = self.form, self.form.bank, self.form.area
        self.chart.outputs = ()  # (clear_output() clears only through a page)
        if form.saved_at is None:
            self.summary.value = info_message(_("Your result appears here once you have saved your answers above."))
            return
        score, band = self._summary()
        import pandas as pd

        from ..output.charts import score_bars
        from ..results.chart_text import score_bars_text

        data = pd.DataFrame({"label": [area.title], "score": [score]})
        ax = score_bars(data, bank=bank)
        show_figure(self.chart, ax.figure, first_sentence(score_bars_text(data, bank=bank)))

    def _summary(self) -> tuple[float, str]:
        form, bank, area = self.form, self.form.bank, self.form.area
        score, band = score_ratings(form.saved_ratings, area=area.id, bank=bank)
        exercises = suggestions_html(area.exercise_list, bank, hide_together=self.page.afraid, css="rc-exercises")
        sentence = html_format(
            _("Your score for {area}: {score} — {band} ({note})."),
            area=f"<b>{esc(area.title)}</b>",
            score='<b class="rc-score">' + esc(_("{score} of 100").format(score=number(score))) + "</b>",
            band=f'<b class="rc-band">{esc(band_label(band))}</b>',
            note=f"<i>{esc(_(SCORE_NOTE))}</i>",
        )
        self.summary.value = (
            f'<div class="rc-result" style="font-size:16px;"><p>{sentence}</p><p>{esc(_band_words(band))}</p>'
            "<p><b>" + esc(_("Things to try this week:")) + f"</b></p>{exercises}</div>"
        )
        return score, band


_BAND_WORDS = {
    "strength": N_("You see this as a strength right now: something to build on and to thank yourself for."),
    "in between": N_("You see this as partly in place: some parts work for you, some may need attention."),
    "growth area": N_(
        "You see room to grow here. That is useful to know, and the exercises below are a place to start."
    ),
}


def _band_words(band: str) -> str:
    words = _BAND_WORDS.get(band)
    return _(words) if words else ""


class ReflectionBox:
    """A private note for the journal, with the area's prompts; earlier notes are listed below it."""

    def __init__(self, area_id: str, *, home: str | Path | None = None, bank: ItemBank | None = None):
        self.bank = bank or load_item_bank()
        self.area = self.bank.area(area_id)
        self.home = Path(home) if home is not None else data_home()
        self.code = pt.current_code(self.home)
        prompts = list(self.area.reflection_prompts) + [_("Something else on my mind")]
        self.prompt = w.Dropdown(
            options=prompts, value=prompts[0], description=_("Prompt"), layout=w.Layout(width="95%")
        )
        self.text = w.Textarea(
            placeholder=_("Write for yourself. Only you see this; it is never collected or shared."),
            layout=w.Layout(width="95%", height="8em"),
        )
        self.save_button = w.Button(
            description=_("Save to my private journal"), icon="book", layout=w.Layout(width="auto")
        )
        self.save_button.on_click(self._on_save)
        self.message = w.HTML()
        self.earlier = w.HTML()
        self.widget = w.VBox([self.prompt, self.text, self.save_button, self.message, self.earlier])
        self._list()

    @guarded("message")
    def _on_save(self, _button=None) -> None:
        if self.code is None:
            self.message.value = error_message(
                _("Open 00 Start here and create your participant code first; your text is still in the box.")
            )
            return
        try:
            save_reflection(
                self.home, participant=self.code, area=self.area.id, prompt=self.prompt.value, text=self.text.value
            )
        except ReconnectError as exc:
            self.message.value = error_message(str(exc))
            return
        self.text.value = ""
        self.message.value = ok_message(_("Saved to your private journal."))
        self._list()

    def _list(self) -> None:
        if self.code is None:
            return
        notes, problems = load_journal(self.home, self.code, area=self.area.id)
        if not notes and not problems:
            self.earlier.value = ""
            return
        items = "".join(
            f'<li><i>{esc(local_time(n.saved_at))} — {esc(n.prompt)}</i><br><span class="rc-note">{esc(n.text)}</span></li>'
            for n in notes
        )
        warn = "".join(error_message(str(p)) for p in problems)
        self.earlier.value = "<b>" + esc(_("Your earlier notes on this area")) + f"</b><ul>{items}</ul>{warn}"
