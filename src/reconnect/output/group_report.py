"""The group handout: a PDF (matplotlib PdfPages) of the room's protected results and prompts.

Built only from the protected frames of :mod:`reconnect.results.group`, so the minimum group size applies
to every number in it. No participant code, couple code or name is ever written.
"""

from __future__ import annotations

import io
import textwrap
from datetime import datetime
from pathlib import Path

import pandas as pd

from ..bank.i18n import _, date
from ..bank.model import ItemBank
from ..core.errors import InputError
from ..core.files import write_new
from ..records.participant import session_label
from ..results import group as g
from ..results import group_chart_text as gt
from ..results import group_privacy as gp
from . import group_charts as gc

A4 = (8.27, 11.69)


def _text_page(pdf, title: str, blocks: list[str]) -> None:
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=A4)
    fig.text(0.07, 0.95, title, fontsize=18, fontweight="bold", va="top")
    y = 0.9
    for block in blocks:
        for para in block.split("\n"):
            lines = textwrap.wrap(para, 88, subsequent_indent="  " if para.startswith("- ") else "") or [""]
            for line in lines:
                fig.text(0.07, y, line, fontsize=10.5, va="top")
                y -= 0.0195
                if y < 0.05:
                    pdf.savefig(fig)
                    plt.close(fig)
                    fig = plt.figure(figsize=A4)
                    y = 0.95
        y -= 0.012
    pdf.savefig(fig)
    plt.close(fig)


def _chart_page(pdf, draw, text: str) -> None:
    import matplotlib.pyplot as plt

    fig = plt.figure(figsize=A4)
    ax = fig.add_axes((0.3, 0.47, 0.65, 0.43))
    draw(ax)
    for t in ax.texts + [ax.xaxis.label]:
        t.set_fontsize(min(t.get_fontsize(), 11))
    ax.set_xlabel(textwrap.fill(ax.get_xlabel().replace("\n", " "), 70))
    ax.tick_params(labelsize=9)
    fig.text(0.06, 0.96, textwrap.fill(ax.get_title(loc="left"), 55), fontsize=14, fontweight="bold", va="top")
    ax.set_title("", loc="left")
    legend = ax.get_legend()
    if legend:
        ax.legend(
            handles=legend.legend_handles,
            labels=[t.get_text() for t in legend.get_texts()],
            loc="upper center",
            bbox_to_anchor=(0.35, -0.16),
            ncol=2,
            fontsize=8,
            frameon=False,
        )
    y = 0.33
    for para in text.split("\n"):
        for line in textwrap.wrap(para, 92, subsequent_indent="  ") or [""]:
            fig.text(0.06, y, line, fontsize=9, va="top")
            y -= 0.017
    pdf.savefig(fig)
    plt.close(fig)


def _intro(
    frame: pd.DataFrame,
    bank: ItemBank,
    shares: pd.DataFrame,
    *,
    workshop: str,
    session: str,
    k: int,
    n_room,
    shown_room,
) -> list[str]:
    """The first page's blocks: the workshop, who took part, privacy, the weakest areas' prompts, help."""
    kw = {"workshop": workshop, "session": session, "min_group": k}
    intro = [
        _("Workshop {workshop}, session '{session}', printed {date}.").format(
            workshop=workshop or _("(no code)"), session=session_label(session), date=date(datetime.now())
        ),
        (
            g.room_text(n_room, shown_room, k, "took part") + "."
            if n_room
            else _(
                "Fewer than {k} people took part, so no results are shown: nobody's answers can be worked out."
            ).format(k=k)
        ),
        _(
            "These are the room's own self-ratings, put together anonymously. They are a starting point for "
            "conversation, not a diagnosis and not a comparison with any norm. No names or codes appear here."
        ),
        _(
            "Privacy: no number in this handout describes fewer than {k} people. Where a band or answer was "
            "chosen by only a few, it is combined with its neighbour; where a whole group is smaller, it is left "
            "out with a note; and a figure is left out when comparing it with another one would tell about fewer "
            "than {k} people (for example someone who came to only one session)."
        ).format(k=k),
        _("Participation (people with a score in each area):")
        + "\n"
        + "\n".join(
            f"- {r.title}: {r.n if pd.notna(r.n) else r.note}" for r in g.participation(frame, bank, **kw).itertuples()
        ),
    ]
    weakest = g.weakest_areas(shares)
    prompts = []
    for area_id in weakest:
        area = bank.area(area_id)
        prompts.append(
            _("{area} — questions to talk about:").format(area=area.title)
            + "\n"
            + "\n".join(f"- {p}" for p in area.discussion_prompts)
        )
    intro.append(
        _("Where the room sees most room to grow, and questions to talk about:") + "\n" + "\n\n".join(prompts)
        if prompts
        else _("Discussion prompts appear when enough people have answered.")
    )
    intro.append(_("Please note:") + " " + bank.non_diagnostic)
    intro.append(_("If you need to talk to someone now:") + "\n" + "\n".join(f"- {h}" for h in bank.help))
    return intro


def _chart_pages(
    pdf, frame: pd.DataFrame, bank: ItemBank, shares: pd.DataFrame, *, workshop: str, session: str, k: int, n_room
) -> None:
    """The chart pages (bands, spread, change since the first session, couples), or a page saying why none."""
    kw = {"workshop": workshop, "session": session, "min_group": k}
    order = g.area_order(shares)
    all_sessions = g.sessions(frame, workshop=workshop)
    if n_room:
        _chart_page(pdf, lambda ax: gc.band_chart(shares, ax=ax), gt.band_chart_text(shares))
        spread = g.score_spread(frame, bank, **kw)
        _chart_page(
            pdf,
            lambda ax: gc.spread_chart(spread, bank=bank, order=order, ax=ax),
            gt.spread_chart_text(spread, order=order),
        )
        if len(all_sessions) >= 2 and session in all_sessions:
            first = all_sessions[0] if session != all_sessions[0] else None
            if first:
                ch = g.change(frame, bank, workshop=workshop, first=first, second=session, min_group=k)
                _chart_page(
                    pdf,
                    lambda ax: gc.change_chart(ch, bank=bank, first=first, second=session, order=order, ax=ax),
                    gt.change_chart_text(ch.set_index("area").loc[order].reset_index(), first=first, second=session),
                )
        cp = g.couple_agreement(frame, bank, **kw)
        _chart_page(pdf, lambda ax: gc.couples_chart(cp, order=order, ax=ax), gt.couples_chart_text(cp, order=order))
    else:
        _text_page(pdf, _("No charts yet"), [_("Charts appear once at least {k} people have answered.").format(k=k)])


def write_handout(
    frame: pd.DataFrame,
    bank: ItemBank,
    *,
    workshop: str,
    session: str,
    out: str | Path,
    min_group: int | None = None,
) -> int:
    """Write the group handout PDF to ``out`` (a new file); return the number of pages.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from reconnect.bank.content import load_item_bank
    >>> from reconnect.records.store import to_frame
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "handout.pdf"
    >>> write_handout(to_frame([]), load_item_bank(), workshop="W", session="before", out=out) >= 2
    True
    """
    from matplotlib.backends.backend_pdf import PdfPages

    k = gp.check_min_group(min_group)
    out = Path(out)
    if out.exists():
        raise InputError(
            _("{path} already exists and was left as it is. Choose another file name for the PDF.").format(path=out)
        )
    if not out.parent.is_dir():
        raise InputError(
            _("The folder {folder} does not exist. Create it first, or choose another place.").format(folder=out.parent)
        )
    kw = {"workshop": workshop, "session": session, "min_group": k}
    shares = g.band_shares(frame, bank, **kw)
    n_room = g.room_size(frame, workshop=workshop, session=session, min_group=k)
    shown_room = g.room_size_shown(frame, bank, **kw)
    # Drawn in memory, then written by files.write_new (random temporary name, exclusive create,
    # no links followed, fsync, link): a link planted at a predictable name is never written through.
    buffer = io.BytesIO()
    with PdfPages(buffer) as pdf:
        intro = _intro(
            frame, bank, shares, workshop=workshop, session=session, k=k, n_room=n_room, shown_room=shown_room
        )
        _text_page(pdf, _("Reconnect: what our group sees"), intro)
        _chart_pages(pdf, frame, bank, shares, workshop=workshop, session=session, k=k, n_room=n_room)
        pages = pdf.get_pagecount()
        info = pdf.infodict()
        info["Title"] = _("Reconnect group handout: {workshop} {session}").format(
            workshop=workshop, session=session_label(session)
        )
        info["Creator"] = "Reconnect"
    write_new(out, buffer.getvalue(), mode=0o600)  # never replaces a file that appeared meanwhile
    return pages
