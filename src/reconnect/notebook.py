"""One-line entry points for the notebooks. Each returns a widget that the cell displays.

Views of one area share one form per kernel, so the result cell updates when the form saves.

Everything personal sits behind a :class:`~reconnect.ui.identity.Gate`: it is built only once
someone has said who is answering on this page (``who_is_answering()`` at the top of 01-06, the
start panel in 00), and closed again by "I'm done - sign out" (``done_button()`` at the end of
every notebook 00-06).

In a kernel Voilà preheated (``make app``), every view's cell shows an empty box and returns; the view is
built into it once the page is requested (:func:`reconnect.apps.preheat.later`): nothing personal is read
before someone opens the page, and everything else (imports, the page's style, the page itself) is ready.
"""

from __future__ import annotations

import functools

from .apps import preheat
from .apps.app_kernel import finish_before_stopping
from .bank.i18n import N_
from .core.errors import ReconnectError
from .core.paths import data_home
from .records import participant as pt
from .ui.area import AreaResult, RatingForm, ReflectionBox
from .ui.identity import HINT_START, DonePanel, Gate, IdentityBar, register
from .ui.safety import PageSafety
from .ui.start import StartPanel

_forms: dict[str, RatingForm] = {}
#: This page's answer to the private safety check: in this kernel's memory only, never stored.
_page = PageSafety()


class _FormsReset:
    """Registered first, so a sign-in or sign-out drops the forms before any gate rebuilds."""

    @property
    def home(self):
        return data_home()

    def refresh(self) -> None:
        _forms.clear()
        _replaced.clear()  # another person now: nothing passes from the last person's form to theirs
        _page.set_fear(False)  # the fear rule followed the last person's answers, which are gone now


register("forms-reset", _FormsReset())


def _friendly(view):
    """Show a problem (a broken item bank, an unreadable folder) as a message, never a traceback.

    Anything unexpected too: the person reads a calm message, the details go to ``logs/`` in the
    data folder (:mod:`reconnect.ui.incidents`).
    """

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        finish_before_stopping()  # app mode: a page left while its Python works lets that work finish
        import ipywidgets as w

        from .ui.common import error_message

        def build():
            try:
                pt.apply_language(data_home())  # someone remembered on this computer: their language from the start
            except (OSError, ReconnectError):
                pass  # an unreadable data folder: the page's language, and the view below says what is wrong
            try:
                return view(*args, **kwargs)
            except ReconnectError as exc:
                return w.HTML(error_message(str(exc)))
            except Exception as exc:
                from .ui.incidents import calm_html

                return w.HTML(calm_html(exc))

        _page_style()
        boxes = []  # the empty box a page prepared ahead shows until someone opens it

        def fill() -> None:
            shown = build()
            boxes[0].children = (shown,) if shown is not None else ()

        if preheat.later(fill):  # a page prepared ahead: the view goes in once someone has opened the page
            boxes.append(w.VBox())
            boxes[0].add_class("rc-later")
            return boxes[0]
        return build()

    return wrapper


def _page_style() -> None:
    """Put the package's page CSS (visible focus, readable button colours) beside the view, in a kernel only."""
    from IPython import get_ipython

    if get_ipython() is None:
        return
    from IPython.display import HTML, display

    from .ui.common import PAGE_CSS

    display(HTML(PAGE_CSS))


def page_language(lang: str) -> None:
    """The first hidden cell of a translated page (``notebooks/es/``): this page's text is in ``lang``.

    The words around it (buttons, messages, charts) follow, unless the person answering chose another
    language in 00 (docs/architecture.md, "Choosing the language")."""
    from .bank import i18n

    i18n.set_page_language(lang)


@_friendly
def start_panel():
    """00 Start here: create or resume a participant code and settings."""
    return StartPanel().widget


@_friendly
def who_is_answering():
    """01-06, at the top: type your participant code to see and save your own answers on this page."""
    return IdentityBar().widget


@_friendly
def done_button():
    """00-06, at the end: "I'm done - sign out" forgets who is answering on this page and computer."""
    return DonePanel().widget


#: The form each area showed last, so a choice made on a view that was just replaced reaches the new one.
_replaced: dict[str, RatingForm] = {}


def _form_for(area: str) -> RatingForm:
    """The area's form for whoever is answering now (a new one after a different person signs in)."""
    form = _forms.get(area)
    code = pt.current_code(data_home())
    if form is None or form.settings is None or form.settings.code != code:
        form = _forms[area] = RatingForm(area, page=_page)
        old = _replaced.pop(area, None)
        if old is not None and old.settings is not None and form.settings is not None:
            if old.settings.code == form.settings.code:
                old.hand_over_to(form)  # same person, page ran again: late choices on the old view count
    return form


@_friendly
def rating_form(area: str):
    """The rating form of an area (a fresh one each time the cell runs), once someone is answering."""
    old = _forms.pop(area, None)
    if old is not None:
        _replaced[area] = old
    from .ui.turns import warm_later

    warm_later("pandas")  # scoring's tables: imported on first use, ahead of the first Save in a kernel
    return Gate(f"form:{area}", lambda _g: _form_for(area).widget, what=N_("The statements to rate")).widget


#: The guess offers on this page (ui/guess.py), so a new safety check (its cell ran again) reaches them.
_offers: list = []


def _result_and_offer(area: str):
    """The area's result, then the optional guesses about the partner (shown only after a Save)."""
    import ipywidgets as w

    from .ui.guess import GuessOffer

    form = _form_for(area)
    offer = GuessOffer(form, page=_page)
    _offers[:] = [o for o in _offers if not o.gone] + [offer]
    return w.VBox([AreaResult(form, page=_page).widget, offer.widget])


@_friendly
def area_result(area: str):
    """ "Your result for this area", updated whenever the form above saves, and the optional guesses."""
    return Gate(f"result:{area}", lambda _g: _result_and_offer(area), what=N_("Your result")).widget


@_friendly
def area_intro(area: str):
    """An area's heading and introduction, from the item bank."""
    from .ui.intro import AreaIntro

    return AreaIntro(area).widget


@_friendly
def what_can_help(area: str):
    """An area's "What can help" points, from the item bank (with the safety line where needed)."""
    from .ui.safety import WhatCanHelp

    return WhatCanHelp(area, page=_page).widget


@_friendly
def safety_check():
    """01-06: the optional private question "Do you ever feel afraid of your partner?" (never stored)."""
    global _page
    from .ui.safety import PrivateSafetyCheck

    _page = PageSafety()  # running the page again starts unanswered, and the views after it follow the new check
    for form in _forms.values():
        form.use_page(_page)  # the fear rule still counts: a fear statement answered 4 or 5 on this page
    for offer in [o for o in _offers if not o.gone]:
        offer.use_page(_page)  # the guesses follow the new check
    if _profile is not None:
        _profile.reading.use_page(_page)
    return PrivateSafetyCheck(page=_page).widget


@_friendly
def reflection(area: str):
    """The private reflection box of an area (with the person's earlier notes)."""
    return Gate(
        f"reflection:{area}", lambda _g: ReflectionBox(area).widget, what=N_("Your private journal and earlier notes")
    ).widget


@_friendly
def export_button():
    """00 Start here: "Export my answers" writes one file to hand in to a facilitator."""
    from .ui.export import ExportPanel

    return Gate(
        "export", lambda _g: ExportPanel().widget, what=N_("The button to export your answers"), where=HINT_START
    ).widget


_dashboard = None  # 07's dashboard in this kernel, closed when its cell runs again


@_friendly
def facilitator_dashboard():
    """07 Group discussion: the room's anonymous results (the demo workshop unless RECONNECT_STORE is set)."""
    from IPython import get_ipython

    from .ui.facilitator import FacilitatorDashboard

    if get_ipython() is None:
        return FacilitatorDashboard().widget
    import ipywidgets as w
    from IPython.display import display

    from .ui.turns import after_shown

    global _dashboard
    if _dashboard is not None:
        _dashboard.close()  # the cell ran again: the old page is gone, and what it still had to draw with it
    board = _dashboard = FacilitatorDashboard(read_now=False)
    # The controls are on the page at once (in app mode too: the cell returns now); the room's results
    # follow once the page is on screen, in the kernel's next turns, section by section (ui/turns.py).
    shown = w.VBox([board.widget, after_shown(board.refresh_when_prepared)])
    if preheat.filling():  # a page prepared ahead, opened now: the box goes into the page's, then the reading
        from .ui.turns import in_turns

        in_turns([board.prepare])
        return shown
    display(shown)
    board.prepare()  # meanwhile the room is read and its first chart drawn, in a thread (after the display:
    # the thread would slow the sending of the page's widgets)
    return None


# -- 06 My profile: one view per kernel, shown in several cells ----------------------------------
# The view itself follows who is answering (its ``code``): with nobody, it shows only the demo choice
# and a note; a sign-in or sign-out on this page redraws it (``_ProfileFollower``).
_profile = None


class _ProfileFollower:
    @property
    def home(self):
        return _profile.home if _profile is not None else data_home()

    def refresh(self) -> None:
        if _profile is not None:
            _profile.follow_identity()


def _profile_view():
    global _profile
    if _profile is None:
        from .ui.profile import ProfileView

        _profile = ProfileView()
    return _profile


@_friendly
def profile_view():
    """06: choose whose profile (yours, or a synthetic demo participant) and see the five areas."""
    global _profile
    _profile = None  # running the cell again reads the data folder afresh
    view = _profile_view()
    register("profile", _ProfileFollower())
    import ipywidgets as w

    return w.VBox([view.chooser_widget, view.profile_widget])


@_friendly
def change_view():
    """06: change over time (appears with answers from two sessions)."""
    return _profile_view().change_widget


@_friendly
def couple_view():
    """06: the consent switch and, when both partners share, the couple view (and how well we read each other)."""
    view = _profile_view()
    view.reading.use_page(_page)  # "Yes" on this page's private check hides the guesses
    return view.couple_widget


@_friendly
def report_button():
    """06: the button that writes the printable PDF into the data folder."""
    return _profile_view().report_widget


@_friendly
def my_data():
    """00 Start here: see what is stored about you, and erase it (after typing your code again)."""
    from .ui.privacy import MyDataPanel

    def build(gate):
        def erased(message: str) -> None:
            gate.notice.value = message  # stays below the gate's note after the sign-out

        return MyDataPanel(on_erased=erased).widget

    return Gate("my-data", build, what=N_("What is stored about you"), where=HINT_START).widget
