"""00 Start here, "Your data": see what is stored about you, and erase it."""

from __future__ import annotations

from pathlib import Path

import ipywidgets as w

from ..bank.i18n import _
from ..core.errors import ReconnectError
from ..core.paths import data_home
from ..records import participant as pt
from ..records.privacy import erase_participant, stored_about
from .common import error_message, esc, html_format, info_message, ok_message
from .incidents import guarded


class MyDataPanel:
    """Show what this data folder holds about the current participant; erase it after confirmation."""

    def __init__(self, *, home: str | Path | None = None, on_erased=None):
        self.home = Path(home) if home is not None else data_home()
        self.on_erased = on_erased  # called with the confirmation (HTML) after an erase
        self.show_button = w.Button(
            description=_("Show what is stored about me"), icon="list", layout=w.Layout(width="auto")
        )
        self.confirm = w.Text(
            description=_("Type your code to confirm"),
            style={"description_width": "initial"},
            placeholder=_("e.g. KM7-4TX"),
        )
        self.erase_button = w.Button(
            description=_("Erase everything about me"),
            button_style="danger",
            icon="trash",
            layout=w.Layout(width="auto"),
        )
        self.message = w.HTML()
        self.show_button.on_click(self._on_show)
        self.erase_button.on_click(self._on_erase)
        self.widget = w.VBox([self.show_button, w.HBox([self.confirm, self.erase_button]), self.message])

    @guarded("message")
    def _on_show(self, _button=None) -> None:
        code = pt.current_code(self.home)
        if code is None:
            self.message.value = info_message(
                _("Nobody is signed in on this page, so there is no participant code to look up.")
            )
            return
        found = stored_about(self.home, code)
        items = "".join(f"<li>{esc(line)}</li>" for line in found.lines())
        stored = html_format(
            _("Stored about {code} in {folder}:"), code=f"<b>{esc(code)}</b>", folder=f"<code>{esc(self.home)}</code>"
        )
        made = html_format(
            _(
                "Reports and exports you made are in the {reports} and {exports} folders; delete them yourself if "
                "you no longer need them."
            ),
            reports="<code>reports/</code>",
            exports="<code>exports/</code>",
        )
        self.message.value = (
            f'<div class="rc-mydata" role="status" style="font-size:15px;">{stored}<ul>{items}</ul>{made}</div>'
        )

    @guarded("message")
    def _on_erase(self, _button=None) -> None:
        code = pt.current_code(self.home)
        if code is None:
            self.message.value = info_message(_("There is nothing to erase: no participant code in this data folder."))
            return
        try:
            found = erase_participant(self.home, code, confirm=self.confirm.value)
        except ReconnectError as exc:
            self.message.value = error_message(str(exc))
            return
        self.confirm.value = ""
        parts = [
            _("Erased {n} file(s) about {code}: ratings, journal, drafts and settings.").format(
                n=len(found.files), code=code
            )
        ]
        if found.shared_batches:
            parts.append(
                _(
                    "{n} collected file(s) also hold other people's answers and were left as they are; "
                    "ask your facilitator to remove yours."
                ).format(n=len(found.shared_batches))
            )
        parts.append(_("Create a new code above to start again."))
        self.message.value = ok_message(" ".join(parts))
        if pt.current_code(self.home) == code:
            pt.sign_out(self.home)  # the person no longer exists here: nobody is answering any more
        if self.on_erased is not None:
            self.on_erased(self.message.value)
