"""00 Start here: create or resume a participant code and choose workshop, couple and session.

The panel shows who is answering *on this page* only (see :mod:`reconnect.records.participant`): on a
shared computer it opens empty, never with the last person's code, name or workshop.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import ipywidgets as w

from ..bank import i18n
from ..bank.i18n import _
from ..core.errors import ReconnectError
from ..core.paths import data_home
from ..records import participant as pt
from ..records.codes import MAX_NAME
from .common import error_message, esc, html_format, info_message, ok_message
from .focus import FocusMover
from .identity import DONE_LABEL, DONE_MESSAGE, clear_on_sign_out, refresh_all, register, remember_box, typed_code
from .switch import Switch


class StartPanel:
    """Create or resume a participant code and save the settings every other notebook uses."""

    def __init__(self, *, home: str | Path | None = None):
        self.home = Path(home) if home is not None else data_home()
        self.status = w.HTML()
        self._build_language()
        self._build_code()
        self._build_details()
        self.message = w.HTML()
        remember_widget, self.remember = remember_box(self.home)
        self.focus = FocusMover()  # where the keyboard goes when a button takes itself off the screen
        self.language.observe(self._on_language, names="value")
        self.widget = w.VBox(
            [
                self.language,
                self.status,
                self.sign_out_row,
                w.HBox([self.new_button]),
                self.confirm_box,
                w.HBox([self.resume_code, self.resume_button]),
                remember_widget,
                w.HTML(
                    html_format(
                        _("{your_settings} (you can change them at any time):"),
                        your_settings="<b>" + esc(_("Your settings")) + "</b>",
                    )
                ),
                self.settings_box,
                self.message,
                self.focus,
            ]
        )
        self.widget.add_class("rc-start")
        register("start-panel", self)
        clear_on_sign_out(self)
        self._show(pt.current_settings(self.home))

    def _build_language(self) -> None:
        """The language switch, each language named in its own words."""
        # The language: each name in its own language, so a reader of either finds theirs (see _on_language).
        self.language = Switch(  # a radio group: the chosen language is exposed, in Lab and app mode alike
            options=[(i18n.language_name(lang), lang) for lang in i18n.available_languages()],
            value=i18n.active_language() if i18n.active_language() in i18n.available_languages() else "en",
            label=_("Language"),
        )
        self.language.add_class("rc-language")
        self._language_chosen = False  # chosen on this page before anyone signed in: saved with their code
        self._quiet = False  # the toggle set by the program (a sign-in), not by the person
        self._built_in = i18n.active_language()

    def _build_code(self) -> None:
        """Creating a code (asking first when one is active), resuming with one, and signing out."""
        self.new_button = w.Button(
            description=_("Create my participant code"), button_style="primary", layout=w.Layout(width="auto")
        )
        self.new_button.add_class("rc-new-code")
        self.resume_code = w.Text(
            description=_("My code"), placeholder=_("e.g. KM7-4TX"), style={"description_width": "initial"}
        )
        self.resume_button = w.Button(description=_("Resume with this code"), layout=w.Layout(width="auto"))
        self.sign_out_button = w.Button(description=_(DONE_LABEL), icon="sign-out", layout=w.Layout(width="auto"))
        self.sign_out_row = w.HBox([self.sign_out_button])  # a row, so the button keeps its own width
        # creating a second code while one is active asks first, and names the code that stays
        self.confirm_text = w.HTML()
        self.confirm_yes = w.Button(
            description=_("Yes, create a new code"), button_style="warning", layout=w.Layout(width="auto")
        )
        self.confirm_no = w.Button(description=_("No, keep my code"), layout=w.Layout(width="auto"))
        self.confirm_box = w.VBox([self.confirm_text, w.HBox([self.confirm_yes, self.confirm_no])])
        self.confirm_box.add_class("rc-confirm-new")
        self.confirm_box.layout.display = "none"
        self.new_button.on_click(self._on_new)
        self.confirm_yes.on_click(self._on_confirm_new)
        self.confirm_no.on_click(self._on_cancel_new)
        self.resume_button.on_click(self._on_resume)
        self.sign_out_button.on_click(self._on_sign_out)

    def _build_details(self) -> None:
        """The optional settings (name, workshop, couple code) and the session, with their save button."""
        wide = {"description_width": "14em"}  # "Workshop code (optional)" in full, not cut off
        field = w.Layout(width="36em")  # room for the label and the whole placeholder
        self.display_name = w.Text(
            description=_("Name (optional)"), placeholder=_("only on this computer"), style=wide, layout=field
        )
        self.workshop = w.Text(
            description=_("Workshop code (optional)"), placeholder=_("from your facilitator"), style=wide, layout=field
        )
        self.couple = w.Text(
            description=_("Couple code (optional)"),
            placeholder=_("the same word for both partners"),
            style=wide,
            layout=field,
        )
        self.session = w.Combobox(
            description=_("Session"),
            options=[pt.session_label(s) for s in pt.SESSION_WORDS],
            value=pt.session_label(pt.DEFAULT_SESSION),
            placeholder=_("before, after or a date"),
            ensure_option=False,
            style=wide,
            layout=field,
        )
        self.save_button = w.Button(
            description=_("Save my settings"), button_style="success", layout=w.Layout(width="auto")
        )
        self.save_button.on_click(self._on_save)
        self.display_name.observe(self._on_name, names="value")
        # the button in a row of its own: its own width, not a bar across the form
        self.settings_box = w.VBox(
            [self.display_name, self.workshop, self.couple, self.session, w.HBox([self.save_button])]
        )

    def clear(self) -> None:
        """The person left: nothing they typed, chose or were told stays in the panel."""
        self._language_chosen = False
        for field in (self.resume_code, self.display_name, self.workshop, self.couple):
            field.value = ""
        self.session.value = pt.session_label(pt.DEFAULT_SESSION)
        self.remember.value = False
        self.message.value = ""
        self.confirm_text.value = ""
        self.confirm_box.layout.display = "none"

    def refresh(self) -> None:
        """Someone signed in or out on this page (e.g. with I'm done at the bottom): show who, or nobody."""
        if i18n.active_language() != self._built_in:  # their language is not the one this panel speaks
            self._rebuild().refresh()
            return
        settings = pt.current_settings(self.home)
        if settings is None:
            self.message.value = ""  # it may name the code of the person who just left
            self.resume_code.value = ""
        self._show(settings)

    # -- actions -------------------------------------------------------------------------------
    def _on_language(self, change) -> None:
        """A language chosen: saved with the person answering (or with the code they create next), this
        page's kernel switches to it, and the panel and every personal view on the page are drawn again in
        it. The page's own text cannot change in place: the message links to the page in that language."""
        if self._quiet:
            return
        lang = change["new"]
        code = pt.current_code(self.home)
        try:
            if code is not None:
                old = pt.load_settings(self.home, code) or pt.Settings(code=code)
                pt.save_settings(self.home, replace(old, language=lang), make_current=False)
        except ReconnectError as exc:
            self.message.value = error_message(str(exc))
            return
        i18n.use_language(lang)
        if code is not None:
            pt.settings_changed(self.home)  # every view on this page follows, in the new language
        else:  # nobody signed in: the page's other views (I'm done at the bottom) speak the new language too
            refresh_all(self.home, but=self)
        fresh = self._rebuild()
        fresh._language_chosen = code is None
        fresh.message.value = language_note(lang, saved=code is not None)
        fresh.focus.move(".rc-start .rc-language input:checked")  # the choice just made, drawn again

    def _now(self) -> StartPanel:
        """The panel on the page now: a sign-in in another language draws this one again (see refresh)."""
        from .identity import _registry

        view = _registry.get("start-panel")
        return view if isinstance(view, StartPanel) and view.widget is self.widget else self

    def _rebuild(self) -> StartPanel:
        """This panel drawn again in the language now active (its labels are set when it is made)."""
        fresh = StartPanel(home=self.home)
        fresh.remember.value = self.remember.value
        self.widget.children = fresh.widget.children
        fresh.widget = self.widget
        return fresh

    def _on_new(self, _button=None) -> None:
        old = pt.current_code(self.home)
        if old is not None:
            words = html_format(
                _(
                    "You are signed in as {code_bold}. A new code starts a new, empty record for a different "
                    "person. Your answers under {code} stay on this computer, but you only get back to them by "
                    "typing {code} again: write it down first. Create a new code anyway?"
                ),
                code_bold=f'<b class="rc-old-code">{esc(old)}</b>',
                code=esc(old),
            )
            self.confirm_text.value = (
                '<div class="rc-msg rc-warn" role="alert" style="font-size:15px;border-left:5px solid #E69F00;'
                f'padding:6px 10px;">{words}</div>'
            )
            self.confirm_box.layout.display = ""
            self.message.value = ""
            return
        self._create()

    def _on_confirm_new(self, _button=None) -> None:
        self.confirm_box.layout.display = "none"
        # a new person: nothing personal of the old code is copied (no name, no couple code)
        self.display_name.value = ""
        self.couple.value = ""
        self._create()
        self._now().focus.move(".rc-start .rc-msg")  # the new code, to write down

    def _on_cancel_new(self, _button=None) -> None:
        self.confirm_box.layout.display = "none"
        code = pt.current_code(self.home)
        self.message.value = (
            info_message(_("Nothing changed: you are still working as {code}.").format(code=code)) if code else ""
        )
        self.focus.move(".rc-start .rc-new-code")  # back where the question was asked

    def _create(self) -> None:
        try:
            settings = pt.start_new(self.home, remember=self.remember.value, **self._typed_fields())
        except ReconnectError as exc:
            self.message.value = error_message(str(exc))
            return
        self = self._now()  # noqa: PLW0642 - the person's language may have drawn the panel again
        self._show(settings)
        self.message.value = _with_language_link(
            ok_message(
                _(
                    "Your new participant code is {code}. Write it down: it is how you come back to your answers."
                ).format(code=settings.code)
            )
        )

    def _on_sign_out(self, _button=None) -> None:
        pt.sign_out(self.home)  # every view on this page follows (refresh)
        now = self._now()
        now.message.value = ok_message(_(DONE_MESSAGE))
        now.focus.move(".rc-start .rc-new-code")  # the button is gone: the next person starts here

    def _on_resume(self, _button=None) -> None:
        try:
            code = typed_code(self.resume_code.value)
            settings = pt.load_settings(self.home, code)
            known = settings is not None
            if settings is not None and self._language_chosen:  # the language just chosen on this page
                settings = replace(settings, language=self.language.value)
            settings = pt.save_settings(
                self.home,
                settings
                or pt.Settings(
                    code=code,
                    session=pt.session_value(self.session.value) or pt.DEFAULT_SESSION,
                    language=self.language.value if self._language_chosen else "",
                ),
                make_current=False,
            )
            pt.sign_in(self.home, code, remember=self.remember.value)
        except ReconnectError as exc:
            self.message.value = error_message(str(exc))
            return
        self = self._now()  # noqa: PLW0642 - the person's language may have drawn the panel again
        self.resume_code.value = ""
        self.confirm_box.layout.display = "none"
        self._show(settings)
        if known:
            self.message.value = _with_language_link(
                ok_message(_("Welcome back. You are working as {code} again.").format(code=code))
            )
        else:
            self.message.value = info_message(
                _(
                    "You are now working as {code}. Nothing was stored under this code in this data folder "
                    "yet ({folder}); if you answered on another computer, your earlier answers are there."
                ).format(code=code, folder=self.home)
            )

    def _on_save(self, _button=None) -> None:
        code = pt.current_code(self.home)
        if code is None:
            self.message.value = error_message(
                _("Create a participant code first (the blue button above), or resume yours, then save your settings.")
            )
            return
        try:
            old = pt.load_settings(self.home, code) or pt.Settings(code=code)
            settings = pt.save_settings(self.home, replace(old, **self._typed_fields()), make_current=False)
        except ReconnectError as exc:
            self.message.value = error_message(str(exc) + "\n" + _("Your earlier settings are unchanged."))
            return
        self._show(settings)
        self.message.value = ok_message(_("Settings saved. Every notebook now uses them."))

    def _on_name(self, change) -> None:
        """A name longer than allowed is cut as it is typed, not refused on Save with the rest of the form."""
        if len(change["new"]) > MAX_NAME:
            self.display_name.value = change["new"][:MAX_NAME]
            self.message.value = info_message(
                _("A name can be at most {limit} characters (a first name is enough); the rest was left out.").format(
                    limit=MAX_NAME
                )
            )

    # -- helpers -------------------------------------------------------------------------------
    def _typed_fields(self) -> dict:
        return {
            "display_name": self.display_name.value,
            "workshop": self.workshop.value,
            "couple": self.couple.value,
            "session": pt.session_value(self.session.value),
            "language": self.language.value if (self._language_chosen or pt.current_code(self.home)) else "",
        }

    def _show(self, settings: pt.Settings | None) -> None:
        signed_in = settings is not None
        if signed_in:
            self._language_chosen = False
        shown = i18n.active_language()
        if shown in i18n.available_languages() and self.language.value != shown:
            self._quiet = True
            try:
                self.language.value = shown
            finally:
                self._quiet = False
        self.sign_out_row.layout.display = "" if signed_in else "none"
        # once a code is active, "create" is no longer the main button (it asks first, see _on_new)
        self.new_button.button_style = "" if signed_in else "primary"
        self.new_button.description = _("Create a new code instead…") if signed_in else _("Create my participant code")
        if not signed_in:
            self.confirm_box.layout.display = "none"
            self.display_name.value = ""
            self.workshop.value = ""
            self.couple.value = ""
            self.session.value = pt.session_label(pt.DEFAULT_SESSION)
            self.status.value = info_message(
                _(
                    "Nobody is signed in on this page. New here? Create your participant code below. "
                    "Been here before? Type the code you wrote down and press Resume with this code."
                )
            )
            return
        who = f" ({esc(settings.display_name)})" if settings.display_name else ""
        extras = []
        if settings.workshop:
            extras.append(html_format(_("workshop {workshop}"), workshop=f"<b>{esc(settings.workshop)}</b>"))
        if settings.couple:
            extras.append(html_format(_("couple code {couple}"), couple=f"<b>{esc(settings.couple)}</b>"))
        extras.append(html_format(_("session {session}"), session=f"<b>{esc(pt.session_label(settings.session))}</b>"))
        working = html_format(
            _("You are working as {code}{name} — {details}."),
            code=f'<b class="rc-code" style="font-size:20px;letter-spacing:2px;">{esc(settings.code)}</b>',
            name=who,
            details=", ".join(extras),
        )
        leave = html_format(
            _("Write the code down to come back later. When you leave, press {done}."),
            done=f"<i>{esc(_(DONE_LABEL))}</i>",
        )
        self.status.value = (
            '<div class="rc-who" role="status" style="font-size:16px;padding:8px;border:2px solid #0072B2;">'
            f"{working}<br>{leave}</div>"
        )
        self.display_name.value = settings.display_name
        self.workshop.value = settings.workshop
        self.couple.value = settings.couple
        self.session.value = pt.session_label(settings.session)


def language_note(lang: str, *, saved: bool) -> str:
    """What choosing ``lang`` did, in ``lang``, with a link to this page in that language when there is one
    (an HTML message like :func:`ok_message`, whose text is escaped; only the link is markup)."""

    with i18n.language(lang):
        if saved:
            text = _(
                "Language: {name}. It is saved with your settings: buttons and messages follow it on every page "
                "where you say who is answering."
            )
        else:
            text = _("Language: {name}. It is saved with your participant code when you create or resume it.")
        text = esc(text.format(name=i18n.language_name(lang))) + language_link(lang)
    return ok_message("").replace("✔ </div>", f"✔ {text}</div>")


def language_link(lang: str) -> str:
    """`` The pages' own text is in Español in this version of the series: open it.`` (HTML, in ``lang``),
    when this page's text is in another language and the series exists in ``lang``; else ``""``."""
    link = page_link("00_start_here.ipynb", to_language=lang)
    if not link:
        return ""
    with i18n.language(lang):
        text = esc(_("The pages' own text is in {name} in this version of the series:")).format(
            name=esc(i18n.language_name(lang))
        )
        label = esc(_("open it"))  # outside the f-string, so that the catalog check finds it
        return f' {text} <a class="rc-language-link" href="{esc(link)}">{label}</a>.'


def _with_language_link(message_html: str) -> str:
    """A message, with the way to the pages in the language now active when this page's text is in another."""
    link = language_link(i18n.active_language())
    return message_html.replace("</div>", link + "</div>", 1) if link else message_html


def page_link(name: str, *, to_language: str, here: Path | None = None) -> str | None:
    """A relative link from this page (the kernel's folder) to notebook ``name`` in ``to_language``'s set,
    or ``None`` when this page is already in that language or that set is not there."""
    here = Path.cwd() if here is None else Path(here)
    page = i18n.page_text_language()
    if to_language == page:
        return None
    english = here.parent if page != "en" else here
    target = (english / name) if to_language == "en" else (english / to_language / name)
    if not target.is_file():
        return None
    prefix = "../" if page != "en" else ""
    return prefix + (name if to_language == "en" else f"{to_language}/{name}")
