"""An area notebook: the rating form, "your result for this area", and the private reflection."""

from __future__ import annotations

from pathlib import Path

import ipywidgets as w

from .. import participant as pt
from ..collect import drop_copy
from ..content import ItemBank, load_item_bank
from ..drafts import clear_draft, load_draft, save_draft
from ..errors import ReconnectError
from ..journal import load_journal, save_reflection
from ..paths import data_home
from ..scoring import SCORE_NOTE, score_ratings
from ..store import Submission, latest_ratings, load_store, save_submission
from .choice import RatingChoice
from .common import error_message, esc, first_sentence, info_message, local_time, ok_message, safety_html, show_figure


class RatingForm:
    """Every statement of one area with its five labelled answers, progress, and Save."""

    def __init__(self, area_id: str, *, home: str | Path | None = None, bank: ItemBank | None = None):
        self.bank = bank or load_item_bank()
        self.area = self.bank.area(area_id)
        self.home = Path(home) if home is not None else data_home()
        self.settings = pt.current_settings(self.home)
        self.saved_ratings: dict[str, int | None] = {}
        self.saved_at = None
        self._listeners: list = []
        self._restoring = True  # choices set while restoring are not the participant's new draft
        options = [(label, value) for value, label in self.bank.scale]
        self.header = w.HTML()
        self.questions: dict[str, RatingChoice] = {}
        for n, item in enumerate(self.area.items, start=1):
            choice = RatingChoice(statement=item.text, number=n, options=options)
            choice.observe(self._on_change, names="value")
            self.questions[item.id] = choice
        self.progress = w.HTML()
        self.save_button = w.Button(
            description="Save my answers", button_style="primary", icon="check", layout=w.Layout(width="auto")
        )
        self.save_button.on_click(self._on_save)
        self.message = w.HTML()
        self.widget = w.VBox([self.header, *self.questions.values(), self.progress, self.save_button, self.message])
        self._restore()

    # -- state ---------------------------------------------------------------------------------
    @property
    def ratings(self) -> dict[str, int | None]:
        return {item_id: box.value for item_id, box in self.questions.items()}

    @property
    def answered(self) -> int:
        return sum(v is not None for v in self.ratings.values())

    def on_saved(self, callback) -> None:
        """Call ``callback(form)`` after every successful save (the result view listens)."""
        self._listeners.append(callback)

    def _restore(self) -> None:
        if self.settings is None:
            self.header.value = error_message(
                "You have no participant code yet, so answers cannot be saved. Open 00 Start here, "
                "create your code, then come back to this notebook and run it again."
            )
            self.save_button.disabled = True
        else:
            s = self.settings
            self.header.value = info_message(
                f"Answering as {s.code}, session '{s.session}'. Choose the answer that fits you best for each statement."
            )
            data = load_store(self.home, bank=self.bank)
            self.saved_ratings, self.saved_at = latest_ratings(
                data.frame, participant=s.code, area=self.area.id, session=s.session
            )
            shown = dict(self.saved_ratings)
            draft = load_draft(self.home, **self._draft_key())
            use_draft = draft is not None and (self.saved_at is None or draft.saved_at > self.saved_at)
            if use_draft:
                shown.update(draft.ratings)
            for item_id, value in shown.items():
                choice = self.questions.get(item_id)
                if choice is not None and (value is None or value in [v for _, v in choice.options]):
                    choice.value = value
            if use_draft:
                self.message.value = info_message(
                    f"The answers you chose at {local_time(draft.saved_at)} but had not saved yet are back on "
                    "screen. Press Save my answers to keep them."
                )
            elif self.saved_at is not None:
                self.message.value = info_message(
                    f"Your answers saved at {local_time(self.saved_at)} are shown again. Change any of them and save again if you like; earlier saves are kept."
                )
        self._on_change()
        self._restoring = False

    def _draft_key(self) -> dict:
        return {"participant": self.settings.code, "session": self.settings.session, "area": self.area.id}

    def _saved_elsewhere(self):
        """When this participant last saved this area from another tab or window, if after this form's save."""
        s = self.settings
        try:
            _, newest = latest_ratings(
                load_store(self.home, bank=self.bank).frame, participant=s.code, area=self.area.id, session=s.session
            )
        except ReconnectError:
            return None
        if newest is not None and (self.saved_at is None or newest > self.saved_at):
            return newest
        return None

    def _changed_since_save(self) -> bool:
        ratings = self.ratings
        return ratings != {k: self.saved_ratings.get(k) for k in ratings}

    def _keep_draft(self) -> None:
        """Remember unsaved choices on disk, so a page reload or a kernel restart gives them back."""
        if self._restoring or self.settings is None:
            return
        try:
            if not self._changed_since_save():
                clear_draft(self.home, **self._draft_key())
            else:
                save_draft(self.home, ratings=self.ratings, **self._draft_key())
        except ReconnectError:
            pass  # a draft is a convenience; Save reports a folder that cannot be written

    def _on_change(self, _change=None) -> None:
        total = len(self.questions)
        done = self.answered
        need = self.area.min_answered
        hint = "" if done >= need else f" — answer at least {need} to see a result"
        self._keep_draft()
        if not self._restoring and self.saved_at is not None and self._changed_since_save():
            self.message.value = info_message(
                f"You have changed answers since you saved at {local_time(self.saved_at)}. "
                "Press Save my answers to keep the changes."
            )
        self.progress.value = f'<div class="rc-progress" role="status" style="font-size:15px;margin-top:8px;">{done} of {total} answered{hint}</div>'

    def _on_save(self, _button=None) -> None:
        if self.settings is None:
            self.message.value = error_message(
                "Open 00 Start here and create your participant code first; nothing was saved."
            )
            return
        ratings = self.ratings
        missing = [n for n, v in enumerate(ratings.values(), start=1) if v is None]
        need = self.area.min_answered
        if self.answered < need:
            self.message.value = error_message(
                f"Please answer at least {need} of the {len(ratings)} statements before saving "
                f"(you have answered {self.answered}). Still open: statement{'s' if len(missing) > 1 else ''} "
                f"{', '.join(map(str, missing))}. Nothing was saved yet."
            )
            return
        if self.saved_at is not None and ratings == {k: self.saved_ratings.get(k) for k in ratings}:
            clear_draft(self.home, **self._draft_key())
            self.message.value = ok_message(f"Already saved at {local_time(self.saved_at)}; nothing has changed since.")
            return
        s = self.settings
        elsewhere = self._saved_elsewhere()
        sub = Submission(
            participant=s.code,
            area=self.area.id,
            ratings=ratings,
            session=s.session,
            workshop=s.workshop,
            couple=s.couple,
            bank_version=self.bank.version,
        )
        try:
            self.save_button.disabled = True  # a quick second click cannot save twice
            save_submission(self.home, sub, bank=self.bank)
        except ReconnectError as exc:
            self.message.value = error_message(
                str(exc) + "\nYour answers are still on screen; try again once this is fixed."
            )
            return
        finally:
            self.save_button.disabled = False
        self.saved_ratings, self.saved_at = dict(ratings), sub.saved_at
        clear_draft(self.home, **self._draft_key())
        left = (
            f" Statement{'s' if len(missing) > 1 else ''} {', '.join(map(str, missing))} left open, which is fine."
            if missing
            else ""
        )
        handed_in = drop_copy(sub.to_csv(), sub.submission_id, workshop=s.workshop)  # workshop collection folder
        other = (
            f" Answers saved at {local_time(elsewhere)} from another tab or window stay in your history; "
            "these newer ones are the ones that count."
            if elsewhere is not None
            else ""
        )
        self.message.value = ok_message(
            f"Saved at {local_time(sub.saved_at)} ({self.answered} of {len(ratings)} answered).{left}{other} {handed_in}".strip()
        )
        for callback in self._listeners:
            callback(self)


class AreaResult:
    """ "Your result for this area": 0-100 score, band, a small chart, the exercises, the safety note."""

    def __init__(self, form: RatingForm):
        self.form = form
        self.summary = w.HTML()
        self.chart = w.Output()
        self.safety = w.HTML(safety_html(form.bank))
        self.widget = w.VBox([self.summary, self.chart, self.safety])
        form.on_saved(lambda _form: self.refresh())
        self.refresh()

    def refresh(self) -> None:
        form, bank, area = self.form, self.form.bank, self.form.area
        self.chart.clear_output()
        if form.saved_at is None:
            self.summary.value = info_message("Your result appears here once you have saved your answers above.")
            return
        score, band = score_ratings(form.saved_ratings, area=area.id, bank=bank)
        exercises = "".join(f"<li>{esc(e)}</li>" for e in area.exercises)
        self.summary.value = (
            f'<div class="rc-result" style="font-size:16px;"><p>Your score for <b>{esc(area.title)}</b>: '
            f'<b class="rc-score">{score:.0f} of 100</b> — <b class="rc-band">{esc(band)}</b> '
            f"<i>({SCORE_NOTE})</i>.</p><p>{esc(_band_words(band))}</p>"
            f"<p><b>Things to try this week:</b></p><ul>{exercises}</ul></div>"
        )
        import pandas as pd

        from ..charts import score_bars, score_bars_text

        data = pd.DataFrame({"label": [area.title], "score": [score]})
        ax = score_bars(data, bank=bank)
        show_figure(self.chart, ax.figure, first_sentence(score_bars_text(data, bank=bank)))


def _band_words(band: str) -> str:
    return {
        "strength": "You see this as a strength right now: something to build on and to thank yourself for.",
        "in between": "You see this as partly in place: some parts work for you, some may need attention.",
        "growth area": "You see room to grow here. That is useful to know, and the exercises below are a place to start.",
    }.get(band, "")


class ReflectionBox:
    """A private note for the journal, with the area's prompts; earlier notes are listed below it."""

    def __init__(self, area_id: str, *, home: str | Path | None = None, bank: ItemBank | None = None):
        self.bank = bank or load_item_bank()
        self.area = self.bank.area(area_id)
        self.home = Path(home) if home is not None else data_home()
        self.code = pt.current_code(self.home)
        prompts = list(self.area.reflection_prompts) + ["Something else on my mind"]
        self.prompt = w.Dropdown(options=prompts, value=prompts[0], description="Prompt", layout=w.Layout(width="95%"))
        self.text = w.Textarea(
            placeholder="Write for yourself. Only you see this; it is never collected or shared.",
            layout=w.Layout(width="95%", height="8em"),
        )
        self.save_button = w.Button(
            description="Save to my private journal", icon="book", layout=w.Layout(width="auto")
        )
        self.save_button.on_click(self._on_save)
        self.message = w.HTML()
        self.earlier = w.HTML()
        self.widget = w.VBox([self.prompt, self.text, self.save_button, self.message, self.earlier])
        self._list()

    def _on_save(self, _=None) -> None:
        if self.code is None:
            self.message.value = error_message(
                "Open 00 Start here and create your participant code first; your text is still in the box."
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
        self.message.value = ok_message("Saved to your private journal.")
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
        self.earlier.value = f"<b>Your earlier notes on this area</b><ul>{items}</ul>{warn}"
