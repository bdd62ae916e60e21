"""Pieces shared by the views: escaped text, status messages, the safety note."""

from __future__ import annotations

import base64
import html
import re
from datetime import datetime
from pathlib import Path

from ..bank.help_lines import AFRAID_LINE, dv_line
from ..bank.i18n import _, date
from ..bank.model import ItemBank
from ..core.errors import show

# Control characters, C1 controls and the bidirectional embeddings and isolates: written out by esc().
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def esc(text: object) -> str:
    """Escape anything that came from a person or a file before it goes into HTML.

    Control characters (other than line breaks and tabs, which a note may hold) are written out, as
    on a terminal (:func:`reconnect.core.errors.show`).

    Examples
    --------
    >>> esc("<b>" + chr(27) + "[2J</b>") == "&lt;b&gt;" + "\\\\x1b[2J&lt;/b&gt;"
    True
    """
    text = str(text)
    if _CONTROL.search(text):
        text = "\n".join("\t".join(show(part) for part in line.split("\t")) for line in text.split("\n"))
    return html.escape(text, quote=True)


def html_format(template: str, **parts: str) -> str:
    """A translated sentence with HTML pieces in its ``{placeholders}``: the words are escaped, the pieces not.

    So a translator moves ``{area}`` freely, and the bold or link around it stays the code's.

    >>> html_format("Score for {area}: <{n}>", area="<b>Trust</b>", n="5")
    'Score for <b>Trust</b>: &lt;5&gt;'
    """
    out, pos = [], 0
    for match in re.finditer(r"\{([a-zA-Z_][a-zA-Z0-9_]*)\}", template):
        out.append(esc(template[pos : match.start()]))
        # a name the code did not give stays text (a translation is data: it never picks what is put in)
        out.append(parts[match.group(1)] if match.group(1) in parts else esc(match.group()))
        pos = match.end()
    out.append(esc(template[pos:]))
    return "".join(out)


def ok_message(text: str) -> str:
    return f'<div class="rc-msg rc-ok" role="status" style="{_BOX}border-color:#009E73;">✔ {esc(text)}</div>'


# A file larger than this is not offered as a download from the page (it would travel inside the page).
DOWNLOAD_LIMIT = 20 * 1024 * 1024


def download_link(path: Path, label: str, mime: str = "application/pdf") -> str:
    """A link that hands the file to the browser's downloads: works in JupyterLab and in app mode alike.

    The file travels inside the page (a ``data:`` address), so it needs no web server route and can live
    in the private data folder, outside what the server shows. Empty when the file is too big.
    """
    data = Path(path).read_bytes()
    if len(data) > DOWNLOAD_LIMIT:
        return ""
    encoded = base64.b64encode(data).decode("ascii")
    return (
        f'<a class="rc-download" download="{esc(Path(path).name)}" href="data:{mime};base64,{encoded}" '
        'style="display:inline-block;margin:4px 0 8px;padding:6px 12px;border:2px solid #0072B2;'
        f'border-radius:4px;color:#00497a;font-weight:bold;text-decoration:none;">⬇ {esc(label)}</a>'
    )


def first_sentence(text: str) -> str:
    """The opening sentence of a chart's text alternative, for the image's ``alt`` (a list's colon ends it)."""
    line = str(text).strip().split("\n")[0].strip()
    for end in (". ", ": "):
        if end in line:
            line = line.split(end)[0]
    line = line.rstrip(":. ")
    return line + "." if line else ""


def figure_img(fig, alt: str, *, dpi: float = 100, grow: float = 1.0, present: float = 1.0) -> str:
    """A matplotlib figure as an ``<img>`` with ``alt`` text, drawn at ``dpi``.

    The picture takes the width it is given, up to ``grow`` times its own pixel size, and never more
    (so its lettering is never drawn smaller than planned on a wide page). Closes the figure.

    ``present`` > 1 draws the picture that many times sharper and shows it at its planned size; inside an
    element of class ``rc-present`` (07's presentation mode, :data:`PRESENT_IMG_CSS`) it may then grow
    to ``present`` times that size, lettering included, with nothing drawn again.
    """
    import io
    import sys

    from matplotlib.text import Text

    sizes = [t.get_fontsize() for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi * present, bbox_inches="tight", facecolor="white")
    pyplot = sys.modules.get("matplotlib.pyplot")  # without pyplot loaded, no figure is pyplot's to close
    if pyplot is not None:
        pyplot.close(fig)
    width, height = _png_size(buf.getvalue())
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    big = f"--rc-present-width:{round(width * grow)}px;" if present != 1 else ""
    return (
        f'<img class="rc-chart" src="data:image/png;base64,{data}" alt="{esc(alt)}" width="{width}" '
        f'height="{height}" data-px-per-pt="{dpi * present / 72:.4f}" data-smallest-pt="{min(sizes, default=0):g}" '
        f'style="{big}width:100%;max-width:{round(width * grow / present)}px;height:auto;display:block;">'
    )


#: With :func:`figure_img`'s ``present``: a chart inside ``.rc-present`` is shown at its full drawn size.
PRESENT_IMG_CSS = ".rc-present img.rc-chart{max-width:var(--rc-present-width) !important;}"


def _png_size(png: bytes) -> tuple[int, int]:
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def show_figure(out, fig, alt: str, **kwargs) -> None:
    """Show ``fig`` in the ``Output`` widget ``out`` as an image with ``alt`` text (also works without a kernel)."""
    from IPython.display import HTML

    out.append_display_data(HTML(figure_img(fig, alt, **kwargs)))


def error_message(text: str) -> str:
    lines = "<br>".join(esc(line) for line in str(text).splitlines())
    return f'<div class="rc-msg rc-error" role="alert" style="{_BOX}border-color:#D55E00;">⚠ {lines}</div>'


def info_message(text: str) -> str:
    return f'<div class="rc-msg rc-info" role="status" style="{_BOX}border-color:#0072B2;">{esc(text)}</div>'


# Injected once per output by every view (reconnect.notebook): a focus ring of at least 3:1 on every
# widget that takes the keyboard, a "Save" green dark enough for white text (5.1:1, not 4.1:1), and controls
# at body size.
PAGE_CSS = (
    "<style>"
    ".jupyter-widgets .jupyter-button:focus-visible,.jupyter-widgets .widget-toggle-button:focus-visible,"
    ".jupyter-widgets input:focus-visible,.jupyter-widgets textarea:focus-visible,"
    ".jupyter-widgets select:focus-visible,.widget-text input:focus,.widget-textarea textarea:focus,"
    ".widget-dropdown select:focus,.widget-combobox input:focus"
    "{outline:3px solid #005A9C !important;outline-offset:2px !important;}"
    # controls at the size of the text beside them (16 px, not ipywidgets' 13 px), and as tall as it needs
    ".jupyter-widgets{--jp-widgets-font-size:16px;--jp-widgets-inline-height:32px;}"
    ".jupyter-button.mod-success{background-color:#2E7D32;}"
    ".jupyter-button.mod-primary{background-color:#1565C0;}"
    "</style>"
)

_BOX = "border-left:5px solid;padding:6px 10px;margin:6px 0;font-size:15px;"


def local_time(moment: datetime) -> str:
    """A saved time in the machine's local time zone, for people (e.g. '18:32 on 26 Nov 2026').

    In the reader's language: the date's month name and order come from Babel (``26 nov 2026``).
    """
    local = moment.astimezone()
    return _("{time} on {date}").format(time=f"{local:%H:%M}", date=date(local, style="d MMM y"))


def safety_html(bank: ItemBank) -> str:
    """The non-diagnostic note and where to get help; shown with every result."""
    items = "".join(f"<li>{esc(line)}</li>" for line in bank.help)
    note, talk = _("Please note:"), _("If you need to talk to someone now:")
    return (
        '<div class="rc-safety" style="font-size:14px;background:#F5F5F5;padding:8px 12px;margin-top:8px;">'
        f"<p><b>{esc(note)}</b> {esc(bank.non_diagnostic)}</p>"
        f"<p><b>{esc(talk)}</b></p><ul>{items}</ul></div>"
    )


def partner_safety_html(bank: ItemBank) -> str:
    """The short note for views about the two of you and about change: not a diagnosis, and the DV line."""
    note = _("Please note:")
    words = " ".join(
        [
            _("These are self-ratings, not a diagnosis."),
            _(AFRAID_LINE),
            dv_line(bank),
            _("If you are in danger right now, call your local emergency number."),
        ]
    )
    return (
        '<div class="rc-safety rc-safety-short" style="font-size:14px;background:#F5F5F5;padding:6px 12px;margin-top:8px;">'
        f"<p style='margin:2px 0;'><b>{esc(note)}</b> {esc(words)}</p></div>"
    )
