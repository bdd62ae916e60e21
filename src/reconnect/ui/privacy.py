"""00 Start here, "Your data": see what is stored about you, and erase it."""

from __future__ import annotations

from pathlib import Path

import ipywidgets as w

from .. import participant as pt
from ..errors import ReconnectError
from ..incidents import guarded
from ..paths import data_home
from ..privacy import erase_participant, stored_about
from .common import error_message, esc, info_message, ok_message


class MyDataPanel:
    """Show what this data folder holds about the current participant; erase it after confirmation."""

    def __init__(self, *, home: str | Path | None = None, on_erased=None):
        self.home = Path(home) if home is not None else data_home()
        self.on_erased = on_erased  # called with the confirmation (HTML) after an erase
        self.show_button = w.Button(
            description="Show what is stored about me", icon="list", layout=w.Layout(width="auto")
        )
        self.confirm = w.Text(
            description="Type your code to confirm", style={"description_width": "initial"}, placeholder="e.g. KM7-4TX"
        )
        self.erase_button = w.Button(
            description="Erase everything about me", button_style="danger", icon="trash", layout=w.Layout(width="auto")
        )
        self.message = w.HTML()
        self.show_button.on_click(self._on_show)
        self.erase_button.on_click(self._on_erase)
        self.widget = w.VBox([self.show_button, w.HBox([self.confirm, self.erase_button]), self.message])

    @guarded("message")
    def _on_show(self, _=None) -> None:
        code = pt.current_code(self.home)
        if code is None:
            self.message.value = info_message(
                "Nobody is signed in on this page, so there is no participant code to look up."
            )
            return
        found = stored_about(self.home, code)
        items = "".join(f"<li>{esc(line)}</li>" for line in found.lines())
        self.message.value = (
            f'<div class="rc-mydata" role="status" style="font-size:15px;">Stored about <b>{esc(code)}</b> in '
            f"<code>{esc(self.home)}</code>:<ul>{items}</ul>Reports and exports you made are in the "
            "<code>reports/</code> and <code>exports/</code> folders; delete them yourself if you no longer need them.</div>"
        )

    @guarded("message")
    def _on_erase(self, _=None) -> None:
        code = pt.current_code(self.home)
        if code is None:
            self.message.value = info_message("There is nothing to erase: no participant code in this data folder.")
            return
        try:
            found = erase_participant(self.home, code, confirm=self.confirm.value)
        except ReconnectError as exc:
            self.message.value = error_message(str(exc))
            return
        self.confirm.value = ""
        note = (
            f" {len(found.shared_batches)} collected file(s) also hold other people's answers and were left as they are; "
            "ask your facilitator to remove yours."
            if found.shared_batches
            else ""
        )
        self.message.value = ok_message(
            f"Erased {len(found.files)} file(s) about {code}: ratings, journal, drafts and settings.{note} "
            "Create a new code above to start again."
        )
        if pt.current_code(self.home) == code:
            pt.sign_out(self.home)  # the person no longer exists here: nobody is answering any more
        if self.on_erased is not None:
            self.on_erased(self.message.value)
