""" "Export my answers": one file with the participant's ratings, to hand in to a facilitator."""

from __future__ import annotations

from pathlib import Path

import ipywidgets as w

from ..bank.i18n import _
from ..core.errors import ReconnectError
from ..core.paths import data_home
from ..records import participant as pt
from ..records.collect import export_answers
from .common import error_message, esc, ok_message
from .incidents import guarded


class ExportPanel:
    """A button that writes every saved rating of the current participant into one new zip file."""

    def __init__(self, *, home: str | Path | None = None):
        self.home = Path(home) if home is not None else data_home()
        self.button = w.Button(description=_("Export my answers"), icon="download", layout=w.Layout(width="auto"))
        self.button.on_click(self._on_export)
        self.message = w.HTML()
        self.path: Path | None = None
        self.widget = w.VBox([self.button, self.message])

    @guarded("message")
    def _on_export(self, _button=None) -> None:
        code = pt.current_code(self.home)
        if code is None:
            self.message.value = error_message(
                _("Create or resume your participant code above first; nothing was exported.")
            )
            return
        try:
            self.path = export_answers(self.home, code)
        except ReconnectError as exc:
            self.message.value = error_message(str(exc))
            return
        self.message.value = (
            ok_message(
                _(
                    "Exported to {path}. Hand this one file to your facilitator (by USB stick or as they ask). "
                    "It holds your ratings only: no reflections and no name."
                ).format(path=self.path)
            )
            + f'<div class="rc-export-path" style="font-family:monospace">{esc(self.path.name)}</div>'
        )
