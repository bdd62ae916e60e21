"""06's words as HTML: what a partner sees when both share, the structured talks, the lists under a chart."""

from __future__ import annotations

from ..bank.i18n import _
from ..bank.model import ItemBank
from ..results.profile_views import CoupleView
from ..results.scoring import band_label
from .common import esc, html_format


def _details(summary: str, text: str) -> str:
    """A collapsed text alternative under a chart (screen readers and people who prefer numbers)."""
    body = esc(text).replace("\n", "<br>")
    return f'<details class="rc-alt" style="font-size:14px;"><summary>{esc(summary)}</summary><p>{body}</p></details>'


def share_explanation(bank: ItemBank) -> str:
    """What exactly a partner sees when both share, and what never (shown above the switch)."""
    marked = [i.text for a in bank.areas for i in a.items if i.sensitive]
    sensitive = "; ".join(f"“{t}”" for t in marked) or _("none in this item bank")
    sees = html_format(
        _(
            "{title} your score and band for each area beside theirs; the few statements you answered most "
            "differently and the statements you both rate high, each with your answer; and the talk suggestions "
            "made from them. Your partner sees all of this on their own profile page and on their printed report."
        ),
        title="<b>" + esc(_("What your partner sees if both of you switch sharing on:")) + "</b>",
    )
    never = html_format(
        _(
            "{title} your private journal notes, your name, your earlier sessions one by one, anything at all while "
            "only one of you shares, and your answers to the statements marked sensitive ({sensitive}) unless both "
            "of you also tick the second box."
        ),
        title="<b>" + esc(_("Never shown to your partner:")) + "</b>",
        sensitive=esc(sensitive),
    )
    return (
        '<div class="rc-share-what" style="font-size:14px;">'
        f"<p style='margin:4px 0;'>{sees}</p><p style='margin:4px 0;'>{never}</p></div>"
    )


def _conversations_html(cv: CoupleView) -> str:
    """One structured conversation per area: who speaks, who listens, for how long (collapsed, one per area)."""
    talks = cv.conversations()
    if not talks:
        return ""
    intro = html_format(
        _(
            "{title} (start with the first). Decide who is Partner A. The listener does not interrupt, argue or "
            "fix; the speaker talks about themself. Stop at any time if it gets heated, and try again another day."
        ),
        title="<b>" + esc(_("A structured talk for each area")) + "</b>",
    )
    out = [f"<p style='font-size:15px;'>{intro}</p>"]
    for title, agreement, talk in talks:
        steps = "".join(
            "<li>"
            + html_format(
                _("{minutes} · speaks: {speaks} · listens: {listens}"),
                minutes="<b>" + esc(_("{n} min").format(n=s.minutes)) + "</b>",
                speaks=f"<b>{esc(s.speaks)}</b>",
                listens=f"<b>{esc(s.listens)}</b>",
            )
            + f"<br>{esc(s.text)}</li>"
            for s in talk.steps
        )
        summary = _("{area} ({agreement}; about {minutes} minutes)").format(
            area=title, agreement=band_label(agreement), minutes=talk.minutes
        )
        out.append(
            f'<details class="rc-talk" style="font-size:15px;"><summary>{esc(summary)}</summary>'
            f"<ol>{steps}</ol></details>"
        )
    return "".join(out)


def _list(lines: list[str], cls: str = "") -> str:
    return f'<ul class="{cls}" style="font-size:15px;">' + "".join(f"<li>{esc(x)}</li>" for x in lines) + "</ul>"


def _titled_list(template: str, title: str, lines, css_class: str) -> str:
    """A bold title inside its sentence (``template`` holds ``{title}``), then the lines as a list."""
    heading = html_format(template, title="<b>" + esc(title) + "</b>")
    return f"<p style='font-size:15px;'>{heading}</p>" + _list(lines, css_class)
