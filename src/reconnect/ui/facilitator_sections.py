"""07's dashboard sections, top to bottom: each returns its widgets for ``FacilitatorDashboard`` to lay out.

A section with a chart gets its place from ``chart(draw, text, ...)`` (the dashboard's ``_chart``), which
draws it in a later turn of the kernel; the sections themselves draw nothing.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import ipywidgets as w
import pandas as pd

from ..bank.i18n import _, number
from ..bank.model import ItemBank
from ..records.participant import session_label
from ..results import group as g
from ..results import group_chart_text as gt
from ..results import group_privacy as gp
from ..results import reliability as rb
from .common import esc, figure_img, first_sentence, html_format


def privacy_words(k: int) -> str:
    """The short privacy note under "Who took part" (a room can read it off the screen)."""
    return _(
        "Privacy: no number here is about fewer than {k} people. Small groups are counted with a neighbour, "
        "and a figure is left out when comparing it with another one would tell about fewer than {k} people "
        "(for example someone who came only once)."
    ).format(k=k)


def _people(n, need: int) -> str:
    if pd.notna(n):
        return _("{n} people").format(n=n)
    return _("at least {need} people who answered every statement").format(need=need)


def who_took_part(bank: ItemBank, frame, kw, n_room) -> w.HTML:
    k = kw["min_group"]
    part = g.participation(frame, bank, **kw)
    shown_room = g.room_size_shown(frame, bank, **kw)
    rows = "".join(
        f"<tr><td>{esc(r.title)}</td><td style='text-align:right'>{esc(r.n if pd.notna(r.n) else r.note)}</td></tr>"
        for r in part.itertuples()
    )
    took_part = html_format(
        _("{room} in session {session}. People with a score in each area:"),
        room=esc(g.room_text(n_room, shown_room, k)),
        session=f"<b>{esc(session_label(kw['session']))}</b>",
    )
    who_title = _("Who took part")
    return w.HTML(
        f"<div class='rc-section'><h3>{esc(who_title)}</h3><p>{took_part}</p>"
        f"<table class='rc-participation'>{rows}</table><p><i>{esc(privacy_words(k))}</i></p></div>"
    )


def bands(bank: ItemBank, shares, chart: Callable, ahead: tuple) -> list:
    """The room's bands beside the prompts for its two weakest areas; ``ahead`` is the key of a chart drawn ahead."""
    from ..output import group_charts as gc

    prompts = "".join(
        f"<p><b>{esc(bank.area(a).title)}</b></p><ul>"
        + "".join(f"<li>{esc(p)}</li>" for p in bank.area(a).discussion_prompts)
        + "</ul>"
        for a in g.weakest_areas(shares)
    )
    to_talk = _("To talk about: the room's two weakest areas")
    prompt_box = w.HTML(
        f"<div class='rc-prompts' style='padding:8px 14px;border-left:6px solid #E69F00;'>"
        f"<h3>{html.escape(to_talk, quote=False)}</h3>{prompts}</div>"
    )
    text = gt.band_chart_text(shares)
    return [
        w.HTML("<h3>" + html.escape(_("The room's strengths and growth areas"), quote=False) + "</h3>"),
        w.HBox(
            [
                chart(lambda ax: gc.band_chart(shares, ax=ax), text, ahead=ahead, beside=True),
                prompt_box,
            ],
            layout=w.Layout(flex_flow="row wrap", align_items="flex-start"),
        ),
        alt(text),
    ]


def first_bands(bank: ItemBank, frame, lang: str, *, dpi: int, present: float) -> dict | None:
    """The bands chart the first page will show (its first workshop and session), drawn in the reading ahead.

    Its ``key`` is what the dashboard's ``_bands_key`` will be on that page: the chart is used only there.
    """
    from ..output import group_charts as gc

    found = g.workshops(frame)
    sessions = g.sessions(frame, workshop=found[0]) if found else []
    if not sessions:
        return None
    kw = {"workshop": found[0], "session": sessions[0], "min_group": gp.DEFAULT_MIN_GROUP}
    if g.room_size(frame, **kw) is None:
        return None
    shares = g.band_shares(frame, bank, **kw)
    ax = gc.band_chart(shares)
    title = ax.get_title(loc="left")
    img = figure_img(ax.figure, first_sentence(gt.band_chart_text(shares)), dpi=dpi, present=present)
    return {"key": (kw["workshop"], kw["session"], kw["min_group"], lang), "img": img, "title": title}


def spread(bank: ItemBank, frame, kw, order, chart: Callable) -> list:
    from ..output import group_charts as gc

    scores = g.score_spread(frame, bank, **kw)
    text = gt.spread_chart_text(scores, order=order)
    return [
        w.HTML("<h3>" + esc(_("How the scores spread")) + "</h3>"),
        chart(lambda ax: gc.spread_chart(scores, bank=bank, order=order, ax=ax), text),
        alt(text),
    ]


def statements(bank: ItemBank, frame, kw, area_id: str, chart: Callable) -> list:
    from ..output import group_charts as gc

    area = bank.area(area_id)
    counts = g.statement_counts(frame, bank, area=area.id, **kw)
    text = gt.statement_chart_text(counts)
    return [
        w.HTML("<h3>" + esc(_("Every statement of “{area}”").format(area=area.title)) + "</h3>"),
        chart(lambda ax: gc.statement_chart(counts, bank=bank, ax=ax), text),
        alt(text),
    ]


def change(bank: ItemBank, frame, kw, order, chart: Callable) -> list:
    from ..output import group_charts as gc

    all_sessions = g.sessions(frame, workshop=kw["workshop"])
    if len(all_sessions) < 2:
        return [
            w.HTML(
                "<h3>"
                + esc(_("Change over time"))
                + "</h3><p>"
                + esc(_("Appears when the workshop has a second session."))
                + "</p>"
            )
        ]
    other = all_sessions[0] if kw["session"] != all_sessions[0] else all_sessions[1]
    a, b = sorted((other, kw["session"]), key=all_sessions.index)  # the earlier session first
    ch = g.change(frame, bank, workshop=kw["workshop"], first=a, second=b, min_group=kw["min_group"])
    ordered = ch.set_index("area").loc[order].reset_index()
    changed = _("What changed from “{first}” to “{second}”").format(first=session_label(a), second=session_label(b))
    text = gt.change_chart_text(ordered, first=a, second=b)
    return [
        w.HTML(f"<h3>{esc(changed)}</h3>"),
        chart(lambda ax: gc.change_chart(ch, bank=bank, first=a, second=b, order=order, ax=ax), text),
        alt(text),
    ]


def couples(bank: ItemBank, frame, kw, order, chart: Callable) -> list:
    from ..output import group_charts as gc

    cp = g.couple_agreement(frame, bank, **kw)
    text = gt.couples_chart_text(cp, order=order)
    return [
        w.HTML("<h3>" + esc(_("Couples in the room")) + "</h3>"),
        chart(lambda ax: gc.couples_chart(cp, order=order, ax=ax), text),
        alt(text),
    ]


def about(bank: ItemBank, frame, kw) -> w.HTML:
    rel = rb.reliability(frame, bank, **kw)
    need = rb.alpha_min_n(kw["min_group"])
    if rel["alpha"].notna().any():
        rows = "".join(
            "<li>"
            + esc(
                _("{area}: alpha {alpha} from {people} — {note}").format(
                    area=r.title,
                    alpha=number(float(r.alpha), digits=2),
                    people=_people(r.n_complete, need),
                    note=r.note,
                )
            )
            + "</li>"
            if pd.notna(r.alpha)
            else f"<li>{esc(r.title)}: {esc(r.note)}</li>"
            for r in rel.itertuples()
        )
        words = _(
            "Cronbach's alpha says how consistently people in this group answered the statements of an "
            "area (0 to 1; about 0.7 or more is the usual rule of thumb). It cannot show that the statements "
            "measure one thing, or what they measure, and it says nothing about any person."
        )
        body = f"<p>{esc(words)}</p><ul>{rows}</ul>"
    else:
        words = _(
            "How well the statements of each area hang together (Cronbach's alpha) is only worked out "
            "when at least {need} people answered every statement of an area; with fewer, the number "
            "jumps around too much to mean anything. This session does not have that many yet."
        ).format(need=need)
        body = f"<p>{esc(words)}</p>"
    title = _("About these statements")
    return w.HTML(f"<details class='rc-about'><summary><b>{esc(title)}</b></summary>{body}</details>")


def alt(text: str) -> w.HTML:
    """A chart's text alternative, folded away under "The same as text"."""
    lines = text.split("\n")
    items = "".join(f"<li>{esc(line[2:])}</li>" for line in lines[1:])
    return w.HTML(
        "<details class='rc-alt'><summary>" + esc(_("The same as text")) + f"</summary><p>{esc(lines[0])}</p>"
        f"<ul>{items}</ul></details>"
    )
