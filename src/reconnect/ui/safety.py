"""Safety on a page: the calm line under every suggestion that involves the partner, and the
private check "Do you ever feel afraid of your partner?".

The check's answer lives only in this kernel's memory (one :class:`PageSafety` per page): it is never
written to a file, never saved with answers, never collected. A "yes" shows the help resources and
hides the suggestions meant for the two of you on that page, until the page is closed.
"""

from __future__ import annotations

import ipywidgets as w

from ..bank.content import load_item_bank
from ..bank.i18n import N_, _, ngettext
from ..bank.model import ItemBank, Suggestion
from .common import esc

QUESTION = N_("Do you ever feel afraid of your partner?")
YES, NO, SKIP = "yes", "no", "skip"
#: The three answers as the reader sees them (the values stay YES, NO, SKIP in every language).
ANSWERS = {YES: N_("Yes"), NO: N_("No"), SKIP: N_("I'd rather not say")}


class PageSafety:
    """What this page knows about safety (in memory only). Views listen for changes.

    Two things make a page treat its reader as afraid, and both bring the same quiet help:
    "Yes" on the private check (:class:`PrivateSafetyCheck`), and an answer of
    :data:`~reconnect.bank.model.FEAR_FROM` or more to a statement the bank marks ``fear: true``
    (the fear rule, :meth:`~reconnect.ui.area.RatingForm.fear_signal`). Neither is ever saved.
    """

    def __init__(self) -> None:
        self.answer: str | None = None  # the private check: YES, NO, SKIP or None
        self.fear = False  # a fear statement on this page answered 4 or 5
        self._listeners: list = []

    @property
    def afraid(self) -> bool:
        return self.answer == YES or self.fear

    def on_change(self, callback) -> None:
        """Call ``callback()`` whenever what the page knows changes (the views re-render)."""
        self._listeners.append(callback)

    def _set(self, answer: str | None, fear: bool) -> None:
        before = (self.answer, self.fear)
        self.answer, self.fear = answer, fear
        if (self.answer, self.fear) != before:
            for callback in self._listeners:
                callback()

    def set_answer(self, answer: str | None) -> None:
        """The private check's answer (YES, NO, SKIP, or None when unanswered)."""
        self._set(answer, self.fear)

    def set_fear(self, fear: bool) -> None:
        """The fear rule: a fear statement on this page is answered 4 or 5 (or no longer is)."""
        self._set(self.answer, bool(fear))

    def set_afraid(self, afraid: bool) -> None:
        """Shorthand for the check: ``True`` is "Yes", ``False`` unanswered."""
        self.set_answer(YES if afraid else None)

    def reset(self) -> None:
        """Forget everything (sign out): unanswered, no fear signal; the views follow."""
        self._set(None, False)


def help_lines(bank: ItemBank, *, afraid: bool = False) -> list[str]:
    """The bank's help lines; for someone afraid of their partner, the domestic-violence lines first.

    Examples
    --------
    >>> from reconnect.bank.content import load_item_bank
    >>> bank = load_item_bank()
    >>> "Domestic Violence" in help_lines(bank, afraid=True)[0]
    True
    >>> help_lines(bank) == list(bank.help)
    True
    """
    from ..bank.help_lines import is_dv_line

    lines = list(bank.help)
    if afraid:
        lines = [line for line in lines if is_dv_line(line)] + [line for line in lines if not is_dv_line(line)]
    return lines


def afraid_help_html(bank: ItemBank) -> str:
    """The help for someone afraid of their partner: the bank's note, then the DV lines first."""
    items = "".join(f"<li>{esc(line)}</li>" for line in help_lines(bank, afraid=True))
    return (
        '<div class="rc-afraid-help" role="status" style="font-size:15px;background:#F5F5F5;'
        'padding:8px 12px;margin-top:6px;">'
        f"<p>{esc(bank.afraid_note)}</p><ul>{items}</ul></div>"
    )


def skip_help_html(bank: ItemBank) -> str:
    """After "I'd rather not say": no question asked back, the help lines shown all the same."""
    items = "".join(f"<li>{esc(line)}</li>" for line in help_lines(bank, afraid=True))
    return (
        '<div class="rc-skip-help" style="font-size:15px;padding:4px 12px;margin-top:6px;">'
        "<p>"
        + esc(_("That is fine. If you ever want to talk with someone, these lines are free and private:"))
        + f"</p><ul>{items}</ul></div>"
    )


def together_note_html(bank: ItemBank) -> str:
    """The calm line for anyone who may be afraid of their partner (under partner-involving suggestions)."""
    return (
        '<p class="rc-together-note" style="font-size:14px;border-left:4px solid #0072B2;padding:4px 10px;'
        f'margin:6px 0;">{esc(bank.together_line)}</p>'
    )


def suggestions_html(
    suggestions: tuple[Suggestion, ...] | list[Suggestion],
    bank: ItemBank,
    *,
    hide_together: bool = False,
    css: str = "rc-suggestions",
) -> str:
    """A list of advice or exercises. Partner-involving ones carry the safety line, or are hidden.

    The line is added here, by the code, whenever a shown suggestion has ``together: true``, so no
    page can forget it.
    """
    shown = [s for s in suggestions if not (hide_together and s.together)]
    hidden = len(suggestions) - len(shown)
    items = "".join(
        f'<li class="{"rc-together" if s.together else "rc-alone"}">'
        + (f"<b>{esc(s.title)}</b> " if s.title else "")
        + f"{esc(s.text)}</li>"
        for s in shown
    )
    html = f'<ul class="{css}" style="font-size:15px;">{items}</ul>' if shown else ""
    if any(s.together for s in shown):
        html += together_note_html(bank)
    if hidden:
        html += (
            '<p class="rc-hidden-note" style="font-size:14px;font-style:italic;">'
            + esc(
                ngettext(
                    "{n} suggestion meant for the two of you is hidden on this page, after your answer to the "
                    "private question above. Please talk with someone on your own first.",
                    "{n} suggestions meant for the two of you are hidden on this page, after your answer to the "
                    "private question above. Please talk with someone on your own first.",
                    hidden,
                ).format(n=hidden)
            )
            + "</p>"
        )
    return html


class WhatCanHelp:
    """An area's "What can help" points from the item bank, with the safety line where needed."""

    def __init__(self, area_id: str, *, page: PageSafety | None = None, bank: ItemBank | None = None):
        self.bank = bank or load_item_bank()
        self.area = self.bank.area(area_id)
        self.page = page or PageSafety()
        self.widget = w.HTML()
        self.page.on_change(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        self.widget.value = suggestions_html(
            self.area.advice, self.bank, hide_together=self.page.afraid, css="rc-what-can-help"
        )


class PrivateSafetyCheck:
    """The optional question "Do you ever feel afraid of your partner?" (never stored).

    On every area page (01-05) and on 06. *Yes* shows the help, the domestic-violence line first,
    and hides the suggestions meant for the two of you on this page; *I'd rather not say* shows the
    help lines too; *No* a short thank-you. Nothing is written anywhere; :meth:`clear` forgets it.
    """

    def __init__(self, *, page: PageSafety | None = None, bank: ItemBank | None = None):
        self.bank = bank or load_item_bank()
        self.page = page or PageSafety()
        self.choice = w.RadioButtons(
            options=[(_(ANSWERS[v]), v) for v in (YES, NO, SKIP)],
            value=None,
            description="",
            layout=w.Layout(width="auto"),
        )
        self.choice.add_class("rc-private-check")
        self.choice.observe(self._on_answer, names="value")
        from .identity import clear_on_sign_out

        clear_on_sign_out(self)  # on every sign-out the check goes back to unanswered, wherever it is shown
        self.response = w.HTML()
        self.widget = w.VBox(
            [
                w.HTML(
                    f'<p style="font-size:16px;margin-bottom:2px;"><b>{esc(_(QUESTION))}</b></p>'
                    '<p style="font-size:14px;margin-top:0;">'
                    + esc(
                        _(
                            "Optional, and only for you: your answer is not saved, not collected and not shown to "
                            "anyone. It only changes what this page shows, until you close it."
                        )
                    )
                    + "</p>"
                ),
                self.choice,
                self.response,
            ]
        )

    @property
    def answer(self) -> str | None:
        return self.choice.value

    def clear(self) -> None:
        """The person left (sign out): unanswered, no help shown, no fear signal; the page's views follow."""
        self.choice.value = None
        self.response.value = ""
        self.page.reset()

    def _on_answer(self, _change=None) -> None:
        answer = self.choice.value
        if answer == YES:
            self.response.value = afraid_help_html(self.bank)
        elif answer == SKIP:
            self.response.value = skip_help_html(self.bank)
        elif answer is None:
            self.response.value = ""
        else:
            self.response.value = (
                '<p class="rc-check-thanks" style="font-size:14px;">'
                + esc(
                    _(
                        "Thank you. If this changes, you can answer again at any time; the help resources are "
                        "listed under your result."
                    )
                )
                + "</p>"
            )
        self.page.set_answer(answer)
