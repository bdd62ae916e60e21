"""One-line entry points for the notebooks. Each returns a widget that the cell displays.

Views of one area share one form per kernel, so the result cell updates when the form saves.
"""

from __future__ import annotations

import functools

from .errors import ReconnectError
from .ui.area import AreaResult, RatingForm, ReflectionBox
from .ui.safety import PageSafety
from .ui.start import StartPanel

_forms: dict[str, RatingForm] = {}
#: This page's answer to the private safety check: in this kernel's memory only, never stored.
_page = PageSafety()


def _friendly(view):
    """Show a problem (a broken item bank, an unreadable folder) as a message, never a traceback.

    Anything unexpected too: the person reads a calm message, the details go to ``logs/`` in the
    data folder (:mod:`reconnect.incidents`).
    """

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        import ipywidgets as w

        from .ui.common import error_message

        try:
            return view(*args, **kwargs)
        except ReconnectError as exc:
            return w.HTML(error_message(str(exc)))
        except Exception as exc:
            from .incidents import calm_text

            return w.HTML(error_message(calm_text(exc)))

    return wrapper


@_friendly
def start_panel():
    """00 Start here: create or resume a participant code and settings."""
    return StartPanel().widget


@_friendly
def rating_form(area: str):
    """The rating form of an area (a fresh one each time the cell runs)."""
    _forms[area] = RatingForm(area)
    return _forms[area].widget


@_friendly
def area_result(area: str):
    """ "Your result for this area", updated whenever the form above saves."""
    form = _forms.get(area) or RatingForm(area)
    _forms[area] = form
    return AreaResult(form, page=_page).widget


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
    """05: the optional private question "Do you ever feel afraid of your partner?" (never stored)."""
    global _page
    from .ui.safety import PrivateSafetyCheck

    _page = PageSafety()  # running the page again starts unanswered, and the views after it follow the new check
    return PrivateSafetyCheck(page=_page).widget


@_friendly
def reflection(area: str):
    """The private reflection box of an area."""
    return ReflectionBox(area).widget


@_friendly
def export_button():
    """00 Start here: "Export my answers" writes one file to hand in to a facilitator."""
    from .ui.export import ExportPanel

    return ExportPanel().widget


@_friendly
def facilitator_dashboard():
    """07 Group discussion: the room's anonymous results (the demo workshop unless RECONNECT_STORE is set)."""
    from .ui.facilitator import FacilitatorDashboard

    return FacilitatorDashboard().widget


# -- 06 My profile: one view per kernel, shown in several cells ----------------------------------
_profile = None


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
    import ipywidgets as w

    return w.VBox([view.chooser_widget, view.profile_widget])


@_friendly
def change_view():
    """06: change over time (appears with answers from two sessions)."""
    return _profile_view().change_widget


@_friendly
def couple_view():
    """06: the consent switch and, when both partners share, the couple view."""
    return _profile_view().couple_widget


@_friendly
def report_button():
    """06: the button that writes the printable PDF into the data folder."""
    return _profile_view().report_widget


@_friendly
def my_data():
    """00 Start here: see what is stored about you, and erase it (after typing your code again)."""
    from .ui.privacy import MyDataPanel

    return MyDataPanel().widget
