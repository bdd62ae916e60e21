"""One-line entry points for the notebooks. Each returns a widget that the cell displays.

Views of one area share one form per kernel, so the result cell updates when the form saves.
"""

from __future__ import annotations

import functools

from .errors import ReconnectError
from .ui.area import AreaResult, RatingForm, ReflectionBox
from .ui.start import StartPanel

_forms: dict[str, RatingForm] = {}


def _friendly(view):
    """Show a problem (a broken item bank, an unreadable folder) as a message, never a traceback."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        _page_style()
        try:
            return view(*args, **kwargs)
        except ReconnectError as exc:
            import ipywidgets as w

            from .ui.common import error_message

            return w.HTML(error_message(str(exc)))

    return wrapper


def _page_style() -> None:
    """Put the package's page CSS (visible focus, readable button colours) beside the view, in a kernel only."""
    from IPython import get_ipython

    if get_ipython() is None:
        return
    from IPython.display import HTML, display

    from .ui.common import PAGE_CSS

    display(HTML(PAGE_CSS))


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
    return AreaResult(form).widget


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
