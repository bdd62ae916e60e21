"""00 Start here: create or resume a participant code and choose workshop, couple and session."""

from __future__ import annotations

from pathlib import Path

import ipywidgets as w

from .. import participant as pt
from ..codes import MAX_NAME
from ..errors import ReconnectError
from ..paths import data_home
from .common import error_message, esc, info_message, ok_message


class StartPanel:
    """Create or resume a participant code and save the settings every other notebook uses."""

    def __init__(self, *, home: str | Path | None = None):
        self.home = Path(home) if home is not None else data_home()
        self.status = w.HTML()
        self.new_button = w.Button(
            description="Create my participant code", button_style="primary", layout=w.Layout(width="auto")
        )
        self.resume_code = w.Text(
            description="My code", placeholder="e.g. KM7-4TX", style={"description_width": "initial"}
        )
        self.resume_button = w.Button(description="Resume with this code", layout=w.Layout(width="auto"))
        wide = {"description_width": "14em"}  # "Workshop code (optional)" in full, not cut off
        field = w.Layout(width="36em")  # room for the label and the whole placeholder
        self.display_name = w.Text(
            description="Name (optional)", placeholder="only on this computer", style=wide, layout=field
        )
        self.workshop = w.Text(
            description="Workshop code (optional)", placeholder="from your facilitator", style=wide, layout=field
        )
        self.couple = w.Text(
            description="Couple code (optional)",
            placeholder="the same word for both partners",
            style=wide,
            layout=field,
        )
        self.session = w.Combobox(
            description="Session",
            options=["before", "after"],
            value=pt.DEFAULT_SESSION,
            placeholder="before, after or a date",
            ensure_option=False,
            style=wide,
            layout=field,
        )
        self.save_button = w.Button(
            description="Save my settings", button_style="success", layout=w.Layout(width="auto")
        )
        self.message = w.HTML()
        self.new_button.on_click(self._on_new)
        self.resume_button.on_click(self._on_resume)
        self.save_button.on_click(self._on_save)
        self.display_name.observe(self._on_name, names="value")
        self.settings_box = w.VBox([self.display_name, self.workshop, self.couple, self.session, self.save_button])
        self.widget = w.VBox(
            [
                self.status,
                w.HBox([self.new_button]),
                w.HBox([self.resume_code, self.resume_button]),
                w.HTML("<b>Your settings</b> (you can change them at any time):"),
                self.settings_box,
                self.message,
            ]
        )
        self._show(pt.current_settings(self.home))

    # -- actions -------------------------------------------------------------------------------
    def _on_new(self, _=None) -> None:
        try:
            settings = pt.start_new(self.home, **self._typed_fields())
        except ReconnectError as exc:
            self.message.value = error_message(str(exc))
            return
        self._show(settings)
        self.message.value = ok_message(
            f"Your new participant code is {settings.code}. Write it down: it is how you come back to your answers."
        )

    def _on_resume(self, _=None) -> None:
        try:
            code = pt.normalise_participant_code(self.resume_code.value)
            settings = pt.load_settings(self.home, code)
            known = settings is not None
            settings = pt.save_settings(
                self.home, settings or pt.Settings(code=code, session=self.session.value or pt.DEFAULT_SESSION)
            )
        except ReconnectError as exc:
            self.message.value = error_message(str(exc))
            return
        self._show(settings)
        if known:
            self.message.value = ok_message(f"Welcome back. You are working as {code} again.")
        else:
            self.message.value = info_message(
                f"You are now working as {code}. Nothing was stored under this code in this data folder "
                f"yet ({self.home}); if you answered on another computer, your earlier answers are there."
            )

    def _on_save(self, _=None) -> None:
        code = pt.current_code(self.home)
        if code is None:
            self.message.value = error_message(
                "Create a participant code first (the blue button above), then save your settings."
            )
            return
        try:
            old = pt.load_settings(self.home, code) or pt.Settings(code=code)
            settings = pt.save_settings(
                self.home, pt.Settings(code=code, share_with_partner=old.share_with_partner, **self._typed_fields())
            )
        except ReconnectError as exc:
            self.message.value = error_message(str(exc) + "\nYour earlier settings are unchanged.")
            return
        self._show(settings)
        self.message.value = ok_message("Settings saved. Every notebook now uses them.")

    def _on_name(self, change) -> None:
        """A name longer than allowed is cut as it is typed, not refused on Save with the rest of the form."""
        if len(change["new"]) > MAX_NAME:
            self.display_name.value = change["new"][:MAX_NAME]
            self.message.value = info_message(
                f"A name can be at most {MAX_NAME} characters (a first name is enough); the rest was left out."
            )

    # -- helpers -------------------------------------------------------------------------------
    def _typed_fields(self) -> dict:
        return {
            "display_name": self.display_name.value,
            "workshop": self.workshop.value,
            "couple": self.couple.value,
            "session": self.session.value,
        }

    def _show(self, settings: pt.Settings | None) -> None:
        if settings is None:
            self.status.value = info_message(
                "You have no participant code yet. Create one below, or type the code you wrote down last time."
            )
            return
        who = f" ({esc(settings.display_name)})" if settings.display_name else ""
        extras = []
        if settings.workshop:
            extras.append(f"workshop <b>{esc(settings.workshop)}</b>")
        if settings.couple:
            extras.append(f"couple code <b>{esc(settings.couple)}</b>")
        extras.append(f"session <b>{esc(settings.session)}</b>")
        self.status.value = (
            '<div class="rc-who" role="status" style="font-size:16px;padding:8px;border:2px solid #0072B2;">'
            f'You are working as <b class="rc-code" style="font-size:20px;letter-spacing:2px;">{esc(settings.code)}</b>{who}'
            f" — {', '.join(extras)}.<br>Write the code down to come back later.</div>"
        )
        self.display_name.value = settings.display_name
        self.workshop.value = settings.workshop
        self.couple.value = settings.couple
        self.session.value = settings.session
