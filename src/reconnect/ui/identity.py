"""Who is answering on this page: the bar at the top of 01-06, the gate in front of personal views,
and "I'm done - sign out".

Nothing personal (earlier answers, journal notes, profile, sharing switch, report, export) is built
until the person has identified themselves on this page (or is remembered on a personal computer);
see :mod:`reconnect.records.participant` for the rule. A :class:`Gate` shows a short note instead, builds its
view when someone signs in, and closes it again (its widgets too, so nothing stays in the page) when
they sign out. The bar never names or hints at whoever used the page before.
"""

from __future__ import annotations

import weakref
from pathlib import Path

import ipywidgets as w

from ..bank.i18n import N_, _
from ..core.errors import InputError, ReconnectError
from ..core.paths import data_home
from ..records import participant as pt
from .common import error_message, esc, html_format, info_message, ok_message
from .focus import FocusMover

SHARED_NOTE = N_(
    "This computer is set up as shared: it never remembers anyone. Type your code on each page, and press "
    "I'm done when you leave."
)
REMEMBER_LABEL = N_("Remember me on this computer (only on a computer that is yours alone)")
DONE_LABEL = N_("I'm done — sign out")

# Views that follow who is answering (gates, bars, 00's panel), by name: running a cell again replaces its entry.
_registry: dict[str, object] = {}


def register(name: str, view) -> None:
    """``view.home`` and ``view.refresh()``: called after every sign-in or sign-out on this page."""
    _registry.pop(name, None)
    _registry[name] = view


def _on_identity(home: Path, _code) -> None:
    key = str(Path(home).resolve())
    for view in list(_registry.values()):
        if str(Path(view.home).resolve()) == key:
            view.refresh()


pt.on_change(_on_identity)

# Everything on a page that holds what a person chose, typed or was shown outside a gate (the private
# safety check, the start panel's fields, messages): each such view registers here and its ``clear()`` is
# called when the person leaves (every sign-out, and another person signing in). Weak references: a
# view that is gone (its cell ran again) drops out by itself.
_clearable: weakref.WeakSet = weakref.WeakSet()


def clear_on_sign_out(view) -> None:
    """``view.clear()`` puts the view back as it was first drawn for nobody, when the person leaves the page.

    ``view.home`` (optional) limits it to sign-outs in that data folder.
    """
    _clearable.add(view)


def _on_leave(home: Path) -> None:
    key = str(Path(home).resolve())
    for view in list(_clearable):
        own = getattr(view, "home", None)
        if own is None or str(Path(own).resolve()) == key:
            view.clear()


pt.on_leave(_on_leave)


def refresh_all(home: Path, *, but=None) -> None:
    """Draw every view on this page that follows who is answering again (e.g. in a language just chosen)."""
    key = str(Path(home).resolve())
    for view in list(_registry.values()):
        if view is not but and str(Path(view.home).resolve()) == key:
            view.refresh()


def close_all(widget) -> None:
    """Close a widget and everything inside it, so no value of it stays in the page."""
    for child in getattr(widget, "children", ()) or ():
        close_all(child)
    widget.close()


EMPTY_CODE = N_(
    "The code box is empty. Type the participant code you wrote down (it looks like KM7-4TX). "
    "No code yet? Create one in 00 Start here."
)


def typed_code(typed: str) -> str:
    """The participant code typed into a code box; an empty box is told what to type (not "'' is not a code").

    >>> typed_code(" km7 4tx ")
    'KM7-4TX'
    >>> typed_code("  ")
    Traceback (most recent call last):
    ...
    reconnect.core.errors.InputError: The code box is empty. Type the participant code you wrote down (it looks like KM7-4TX). No code yet? Create one in 00 Start here.
    """
    if not str(typed or "").strip():
        raise InputError(_(EMPTY_CODE))
    return pt.normalise_participant_code(typed)


def sign_in_from_text(home: Path, typed: str, *, remember: bool) -> str:
    """Sign in with a typed code that this data folder knows; raise InputError saying what to do otherwise."""
    code = typed_code(typed)
    if not pt.is_known(home, code):
        raise InputError(
            _(
                "There is no participant {code} on this computer yet. Check the code you wrote down (it looks like "
                "KM7-4TX), or open 00 Start here to create a code or to resume one from another computer."
            ).format(code=code)
        )
    return pt.sign_in(home, code, remember=remember)


def remember_box(home: Path) -> tuple[w.Widget, w.Checkbox]:
    """The "remember me" checkbox, or on a shared device a note saying why there is none."""
    box = w.Checkbox(value=False, description=_(REMEMBER_LABEL), indent=False, layout=w.Layout(width="auto"))
    if pt.can_remember(home):
        return box, box
    box.disabled = True
    return w.HTML(f'<div class="rc-shared-note" style="font-size:14px;color:#333;">{esc(_(SHARED_NOTE))}</div>'), box


class IdentityBar:
    """ "Who is answering?": type your code to see and save your own answers here; sign out when done."""

    def __init__(self, *, home: str | Path | None = None):
        self.home = Path(home) if home is not None else data_home()
        self.status = w.HTML()
        self.code = w.Text(
            description=_("My participant code"),
            placeholder=_("e.g. KM7-4TX"),
            style={"description_width": "initial"},
        )
        self.sign_in_button = w.Button(
            description=_("This is me"), button_style="primary", layout=w.Layout(width="auto")
        )
        self.sign_out_button = w.Button(description=_(DONE_LABEL), icon="sign-out", layout=w.Layout(width="auto"))
        remember_widget, self.remember = remember_box(self.home)
        self._shared_note = remember_widget if remember_widget is not self.remember else None
        self.message = w.HTML()
        self.sign_in_button.on_click(self._on_sign_in)
        self.sign_out_button.on_click(self._on_sign_out)
        self.form = w.VBox([w.HBox([self.code, self.sign_in_button]), remember_widget])
        self.signed_in_row = w.HBox([self.sign_out_button])  # a row, so the button keeps its own width
        self.focus = FocusMover()  # the form goes away on a sign-in: the keyboard goes to what comes next
        self.widget = w.VBox([self.status, self.form, self.signed_in_row, self.message, self.focus])
        self.widget.add_class("rc-identity")
        register("identity-bar", self)
        clear_on_sign_out(self)
        self.refresh()

    def clear(self) -> None:
        """The person left: nothing they typed (a code, a refused code in a message) stays in the bar."""
        self.code.value = ""
        self.remember.value = False
        self.message.value = ""

    def _label(self) -> None:
        """The bar's own words, in the language now active (a person who chose Spanish may sign in here)."""
        self.code.description = _("My participant code")
        self.code.placeholder = _("e.g. KM7-4TX")
        self.sign_in_button.description = _("This is me")
        self.sign_out_button.description = _(DONE_LABEL)
        self.remember.description = _(REMEMBER_LABEL)
        if self._shared_note is not None:
            self._shared_note.value = (
                f'<div class="rc-shared-note" style="font-size:14px;color:#333;">{esc(_(SHARED_NOTE))}</div>'
            )

    def refresh(self) -> None:
        self._label()
        code = pt.current_code(self.home)
        signed_in = code is not None
        self.form.layout.display = "none" if signed_in else ""
        self.signed_in_row.layout.display = "" if signed_in else "none"
        self.code.value = ""
        self.remember.value = False
        if not signed_in:
            self.status.value = (
                '<div class="rc-who rc-nobody" role="status" style="font-size:16px;padding:8px;border:2px solid #0072B2;">'
                + html_format(
                    _(
                        "{who} Type your participant code and press {this_is_me} to see and save your own answers "
                        "on this page. Nothing personal is shown until you do. No code yet? Start at {start}."
                    ),
                    who="<b>" + esc(_("Who is answering?")) + "</b>",
                    this_is_me="<i>" + esc(_("This is me")) + "</i>",
                    start="<b>" + esc(_("00 Start here")) + "</b>",
                )
                + "</div>"
            )
            return
        settings = pt.load_settings(self.home, code)
        name = f" ({esc(settings.display_name)})" if settings and settings.display_name else ""
        remembered = _("Remembered on this computer.") if pt.remembered_code(self.home) == code else ""
        words = html_format(
            _("Answering as {code}{name}. {remembered} Not you, or finished? Press {done}."),
            code=f'<b class="rc-code">{esc(code)}</b>',
            name=name,
            remembered=esc(remembered),
            done=f"<i>{esc(_(DONE_LABEL))}</i>",
        )
        self.status.value = (
            '<div class="rc-who" role="status" style="font-size:16px;padding:8px;border:2px solid #0072B2;">'
            f"{' '.join(words.split())}</div>"
        )

    def _on_sign_in(self, _button=None) -> None:
        try:
            sign_in_from_text(self.home, self.code.value, remember=self.remember.value)
        except ReconnectError as exc:
            self.message.value = error_message(str(exc))
            return
        self.message.value = ""
        # the first thing to do next: the page's first personal control (the first statement's answers),
        # or, on a page with none, the line that says who is answering
        # (a busy JupyterLab may take several seconds to draw the form: wait for it before settling for the line)
        self.focus.move(NEXT_AFTER_SIGN_IN, ".rc-identity .rc-who", wait_ms=10000)

    def _on_sign_out(self, _button=None) -> None:
        pt.sign_out(self.home)
        self.message.value = ok_message(_(DONE_MESSAGE))
        self.focus.move(".rc-identity .widget-text input")  # the code box, for the next person


#: What a sign-in opened: the first control inside a gate (:class:`Gate`).
NEXT_AFTER_SIGN_IN = ".rc-gate :is(input, button, select, textarea)"

DONE_MESSAGE = N_(
    "Signed out. Nothing of yours is shown on this page any more, and this computer does not remember you. "
    "On a shared computer, close this page or go back to 00 Start here for the next person."
)


class DonePanel:
    """The "I'm done - sign out" button at the end of every notebook."""

    def __init__(self, *, home: str | Path | None = None):
        self.home = Path(home) if home is not None else data_home()
        self.button = w.Button(description=_(DONE_LABEL), icon="sign-out", layout=w.Layout(width="auto"))
        self.message = w.HTML()
        self.button.on_click(self._on_click)
        self.widget = w.VBox([w.HBox([self.button]), self.message])
        self.widget.add_class("rc-done")
        register("done", self)
        self.refresh()

    def refresh(self) -> None:
        self.button.description = _(DONE_LABEL)  # in the language now active (00's language choice)
        if pt.current_code(self.home) is not None:
            self.message.value = ""

    def _on_click(self, _button=None) -> None:
        pt.sign_out(self.home)
        self.message.value = ok_message(_(DONE_MESSAGE))


HINT_BAR = N_("type your participant code at the top of this page and press This is me")
HINT_START = N_("create your participant code above, or type the one you wrote down and press Resume with this code")


class Gate:
    """Shows ``build()``'s widget only while someone is answering on this page; a note otherwise.

    ``build(gate)`` is called after each sign-in (and at once, if someone is already answering);
    on sign-out the built widgets are closed. ``gate.notice`` is an HTML line that stays below the
    note after a sign-out (e.g. "Erased 12 files"), until the next sign-in.
    """

    def __init__(self, name: str, build, *, what: str, where: str = HINT_BAR, home: str | Path | None = None):
        self.home = Path(home) if home is not None else data_home()
        self.build = build
        self.what = what
        self.where = where
        self.notice = w.HTML()
        self.inner = w.VBox()
        self.widget = w.VBox([self.inner, self.notice])
        self.widget.add_class("rc-gate")
        self.built = None
        register(name, self)
        clear_on_sign_out(self)
        self.refresh()

    def clear(self) -> None:
        """The person left: their notice (e.g. what they erased) goes too (the built view closes on refresh)."""
        self.notice.value = ""

    def refresh(self) -> None:
        if self.built is not None:
            close_all(self.built)
            self.built = None
        if pt.current_code(self.home) is None:
            self.inner.children = [
                w.HTML(
                    info_message(
                        _("{what} will show here once you have said who is answering: {where}.").format(
                            what=_(self.what), where=_(self.where)
                        )
                    ).replace('class="rc-msg rc-info"', 'class="rc-msg rc-info rc-gated"')
                )
            ]
            return
        self.notice.value = ""
        try:
            self.built = self.build(self)
        except ReconnectError as exc:
            self.built = w.HTML(error_message(str(exc)))
        self.inner.children = [self.built]
