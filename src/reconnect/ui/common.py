"""Pieces shared by the views: escaped text, status messages, the safety note."""

from __future__ import annotations

import html
from datetime import datetime

from ..content import ItemBank
from ..errors import show
from ..profile import AFRAID_LINE, dv_line


def esc(text: object) -> str:
    """Escape anything that came from a person or a file before it goes into HTML.

    Control characters (other than line breaks and tabs, which a note may hold) are written out, as
    on a terminal (:func:`reconnect.errors.show`).

    Examples
    --------
    >>> esc("<b>" + chr(27) + "[2J</b>") == "&lt;b&gt;" + "\\\\x1b[2J&lt;/b&gt;"
    True
    """
    text = str(text)
    if any(
        ord(c) < 32 or 0x7F <= ord(c) <= 0x9F or 0x202A <= ord(c) <= 0x202E or 0x2066 <= ord(c) <= 0x2069 for c in text
    ):
        text = "\n".join("\t".join(show(part) for part in line.split("\t")) for line in text.split("\n"))
    return html.escape(text, quote=True)


def ok_message(text: str) -> str:
    return f'<div class="rc-msg rc-ok" role="status" style="{_BOX}border-color:#009E73;">✔ {esc(text)}</div>'


def error_message(text: str) -> str:
    lines = "<br>".join(esc(line) for line in str(text).splitlines())
    return f'<div class="rc-msg rc-error" role="alert" style="{_BOX}border-color:#D55E00;">⚠ {lines}</div>'


def info_message(text: str) -> str:
    return f'<div class="rc-msg rc-info" role="status" style="{_BOX}border-color:#0072B2;">{esc(text)}</div>'


# A chosen toggle button must stand out clearly (not only by a faint grey), also on a projector.
# Used by ToggleButtons given the class "rc-choice" (e.g. 06's "whose profile" switch).
STYLE = (
    "<style>"
    ".rc-choice .widget-toggle-button.mod-active{background:#0072B2;color:#fff;font-weight:bold;"
    "box-shadow:inset 0 0 0 2px #003f63;}"
    ".rc-choice .widget-toggle-button:focus-visible{outline:3px solid #E69F00;outline-offset:1px;}"
    ".rc-choice .widget-toggle-button{font-size:14px;}"
    "</style>"
)

_BOX = "border-left:5px solid;padding:6px 10px;margin:6px 0;font-size:15px;"


def local_time(moment: datetime) -> str:
    """A saved time in the machine's local time zone, for people (e.g. '18:32 on 26 Nov 2026')."""
    local = moment.astimezone()
    return f"{local:%H:%M} on {local.day} {local:%b %Y}"


def safety_html(bank: ItemBank) -> str:
    """The non-diagnostic note and where to get help; shown with every result."""
    items = "".join(f"<li>{esc(line)}</li>" for line in bank.help)
    return (
        '<div class="rc-safety" style="font-size:14px;background:#F5F5F5;padding:8px 12px;margin-top:8px;">'
        f"<p><b>Please note:</b> {esc(bank.non_diagnostic)}</p>"
        f"<p><b>If you need to talk to someone now:</b></p><ul>{items}</ul></div>"
    )


def partner_safety_html(bank: ItemBank) -> str:
    """The short note for views about the two of you and about change: not a diagnosis, and the DV line."""
    return (
        '<div class="rc-safety rc-safety-short" style="font-size:14px;background:#F5F5F5;padding:6px 12px;margin-top:8px;">'
        f"<p style='margin:2px 0;'><b>Please note:</b> these are self-ratings, not a diagnosis. {esc(AFRAID_LINE)} "
        f"{esc(dv_line(bank))} If you are in danger right now, call your local emergency number.</p></div>"
    )
