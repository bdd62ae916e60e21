"""07 Group discussion: the facilitator's dashboard of the room's anonymous, protected results."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import ipywidgets as w

from ..bank.content import load_item_bank
from ..bank.i18n import _, active_language, language, number
from ..bank.model import ItemBank
from ..core.errors import ReconnectError
from ..core.paths import demo_store
from ..records.collect import collect, collection_folder
from ..records.participant import session_label
from ..records.store import load_store
from ..results import group as g
from ..results import group_privacy as gp
from . import facilitator_sections as sec
from .common import (
    PRESENT_IMG_CSS,
    error_message,
    first_sentence,
    info_message,
    ok_message,
    safety_html,
    show_figure,
)
from .incidents import calm_html
from .turns import Preparing, in_background, in_turns, when_done

STORE_ENV = "RECONNECT_STORE"
# Charts are drawn at CHART_DPI; a group chart is about CHART_PX pixels wide (group_charts.CHART_WIDTH inches),
# so on a 1280-pixel projector it is shown at (nearly) its own size and its lettering keeps its planned size.
CHART_DPI = 100
CHART_PX = 1000
# Presentation mode shows every chart this many times larger, lettering included. The charts are drawn that
# much sharper from the start, so switching it on or off draws nothing again: the room sees it at once.
PRESENT_SCALE = 1.3

# Presentation mode is for the back row of a room, at a projector's 1280x720: every word on the dashboard (the
# prompts, the charts' text alternatives, the captions, the controls left on screen) and the page's own text
# at PRESENT_TEXT_PX or more; each chart as wide as the page allows, its own lettering growing with it (the
# charts are drawn PRESENT_SCALE times sharper, so they stay crisp); in app mode the page loses its reading
# width. Widget styles set a size on each element (13-16 px), so the sizes are set on every element.
PRESENT_TEXT_PX = 24
_WORDS = ":is(p,li,span,div,b,i,em,strong,small,a,summary,label,button,select,option,input,td,th,caption,code)"
PRESENT_CSS = (
    "<style>"
    f".rc-present,.rc-present .jupyter-widgets{{font-size:{PRESENT_TEXT_PX}px;line-height:1.4;"
    f"--jp-widgets-font-size:{PRESENT_TEXT_PX}px;--jp-widgets-inline-height:44px;}}"
    f".rc-present {_WORDS},body:has(.rc-present) .jp-RenderedMarkdown {_WORDS}"
    f"{{font-size:{PRESENT_TEXT_PX}px !important;line-height:1.4;}}"
    ".rc-present h3{font-size:32px !important;} body:has(.rc-present) .jp-RenderedMarkdown h2{font-size:34px;}"
    " .rc-present .rc-prompts li{margin-bottom:10px;}"
    " .rc-present .widget-inline-hbox,.rc-present .jupyter-button{height:auto;min-height:44px;}"
    " .rc-present .widget-dropdown{width:auto !important;max-width:100%;}"
    " .rc-present .widget-dropdown select{height:44px;min-width:16em;flex:0 1 auto;}"
    # each chart takes the whole width: below it (not beside it) the prompts
    " .rc-present img.rc-chart{width:100% !important;max-width:100% !important;}"
    " .rc-present .widget-output:has(img.rc-chart){flex:1 1 100% !important;}"
    " body:has(.rc-present) #rendered_cells > div{max-width:none !important;padding:0 12px 3rem 12px;}"
    # JupyterLab: the dashboard's cell gives up its prompt column and margins to the charts
    " .jp-OutputArea-child:has(.rc-present) > .jp-OutputArea-prompt,.jp-Cell:has(.rc-present) .jp-Collapser"
    "{display:none !important;}"
    " .jp-Cell:has(.rc-present){padding-left:0 !important;padding-right:0 !important;}"
    " body:has(.rc-present) #rendered_cells .jp-RenderedMarkdown p,"
    " body:has(.rc-present) #rendered_cells .jp-RenderedMarkdown li{max-width:none;}" + PRESENT_IMG_CSS + "</style>"
)


def folder_name(path: str | Path) -> str:
    """A folder as it may be projected: its name only, never the path (which names the home folder).

    Examples
    --------
    >>> folder_name("/home/alex.morgan/workshop-store/"), folder_name("store")
    ('workshop-store', 'store')
    """
    return Path(str(path).rstrip("/\\")).name or str(path)


def without_paths(text: str, *paths: str | Path) -> str:
    """``text`` with each of ``paths`` (and the home folder) replaced by a folder name.

    Examples
    --------
    >>> without_paths("No answers in /srv/x/tuesday yet.", "/srv/x/tuesday")
    'No answers in tuesday yet.'
    """
    for p in sorted({str(p) for p in paths if str(p)}, key=len, reverse=True):
        text = text.replace(p, folder_name(p))
    home = str(Path.home())
    return text.replace(home, "~") if len(home) > 1 else text


def default_store() -> Path:
    """The facilitator's store: ``RECONNECT_STORE`` if set, else the demo workshop."""
    from ..core.settings_env import path

    return path(STORE_ENV) or demo_store()


def _short(path: str | Path) -> str:
    """A path for the store box: the home folder written as ~ (the box is hidden when presenting)."""
    text, home = str(path), str(Path.home())
    return "~" + text[len(home) :] if len(home) > 1 and text.startswith(home) else text


class FacilitatorDashboard:
    """Workshop and session selectors, minimum group size, Refresh, presentation mode, and the charts."""

    def __init__(
        self,
        *,
        store: str | Path | None = None,
        drop: str | Path | None = None,
        bank: ItemBank | None = None,
        show_charts: bool = True,
        read_now: bool = True,
    ):
        self.bank = bank or load_item_bank()
        self.drop = Path(drop) if drop is not None else collection_folder()
        self.show_charts = show_charts
        self.shown: list[tuple[str, float]] = []  # (title, dpi) of each chart drawn by the last render
        wide = {"description_width": "11em"}
        self.store = w.Text(value=_short(store or default_store()), description=_("Store folder"), style=wide)
        self.store.layout.width = "40em"
        self.workshop = w.Dropdown(description=_("Workshop"), options=[], style=wide)
        self.session = w.Dropdown(description=_("Session"), options=[], style=wide)
        # A drop-down rather than a number box: a choice is sent to the kernel at once in every front
        # end (a typed number is only sent when the box loses focus), and nothing below the floor exists.
        sizes = sorted({*range(gp.MIN_GROUP_FLOOR, 11), 12, 15, 20, 25, 30, 40, 50, gp.DEFAULT_MIN_GROUP})
        self.min_group = w.Dropdown(
            options=sizes, value=gp.DEFAULT_MIN_GROUP, description=_("Minimum group size"), style=wide
        )
        self.area = w.Dropdown(
            description=_("Statements of"), options=[(a.title, a.id) for a in self.bank.areas], style=wide
        )
        self.refresh_button = w.Button(
            description=_("Refresh"), icon="refresh", button_style="primary", layout=w.Layout(width="auto")
        )
        self.present = w.ToggleButton(
            description=_("Presentation mode"), icon="television", value=False, layout=w.Layout(width="auto")
        )
        self.status = w.HTML()
        self.content = w.VBox()
        self.refresh_button.on_click(lambda _b: self.refresh())
        for control in (self.workshop, self.session, self.min_group, self.area, self.present):
            control.observe(self._on_control, names="value")
        self.controls = w.VBox(
            [
                self.store,
                w.HBox([self.workshop, self.session]),
                w.HBox([self.min_group, self.area]),
                w.HBox([self.refresh_button, self.present]),
            ]
        )
        self.widget = w.VBox([w.HTML(PRESENT_CSS), self.controls, self.status, self.content])
        self.frame = None
        self._busy = False
        self._draws: list = []  # charts waiting to be drawn into their places on the page
        self._page = 0  # how many times the page was drawn: a chart waiting for an older page is dropped
        self._pending = False  # charts of the current page still to be drawn
        self._closed = False  # set by close(): the cell was run again and a new dashboard took over
        # "rc-drawing" is on the results while they are being read or drawn (tests and the bench wait for it
        # to go); a notebook shows the controls first, then reads and draws in the kernel's next turns.
        self.content.add_class("rc-dashboard")
        self.content.add_class("rc-drawing")
        self._ready = Preparing()  # the reading ahead (prepare): refresh and charts come after it
        self._ahead: dict = {}  # what prepare() read and drew ahead, taken once by the first refresh
        if read_now:
            self.refresh()

    def prepare(self) -> None:
        """Read the room and draw its first chart in a thread while the page loads (at once without a kernel).

        What a facilitator waits for once the page shows is then only the layout: reading the store, loading
        the plotting library and drawing the bands chart took 1-2 s on a busy 2-core machine. Nothing on
        the page is touched from the thread; :meth:`refresh` and every chart wait for it (``_ready``) and
        use what it prepared when it still fits (the same folder, workshop, session, group size and
        language), or do the work themselves.
        """
        store, lang, show_charts = self._store_path(), active_language(), self.show_charts

        def ahead() -> None:
            with language(lang):
                try:
                    loaded = self._load(store)
                except Exception as exc:  # said by refresh(), as if it had read the folder itself
                    self._ahead = {"store": store, "error": exc}
                    return
                self._ahead = {"store": store, "loaded": loaded}
                if show_charts:  # drawing it also loads the plotting library, before the page needs it
                    self._ahead["chart"] = sec.first_bands(
                        self.bank, loaded[0].frame, lang, dpi=CHART_DPI, present=PRESENT_SCALE
                    )

        self._ready = in_background(ahead)

    def refresh_when_prepared(self) -> None:
        """:meth:`refresh` once the reading ahead is done; the kernel answers the page while it waits."""
        when_done(self._ready, self.refresh)

    def _drawing(self, on: bool) -> None:
        if on:
            self.content.add_class("rc-drawing")
        else:
            self.content.remove_class("rc-drawing")

    # -- reading ---------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Collect new files from the collection folder (if any), re-read the store, redraw.

        Never raises: a folder that cannot be read is said in the status line (this also runs after the
        notebook's cell has returned, where nobody would see an exception).
        """
        if self._closed:
            return
        self._drawing(True)
        self._pending = False
        try:
            self._ready()
            self._read()
        except ReconnectError as exc:
            self.status.value = error_message(str(exc))
        except Exception as exc:
            self.status.value = calm_html(exc)
        finally:
            if not self._pending:
                self._drawing(False)

    def _store_path(self) -> Path:
        return Path(self.store.value.strip() or default_store()).expanduser()

    def _load(self, store: Path):
        """Collect from the collection folder into ``store`` and read it: ``(StoreData, notes)``. No widgets."""
        hide = (store, self.drop or "")
        notes = []
        if self.drop is not None and self.drop.is_dir():
            try:
                result = collect([self.drop], store, bank=self.bank)
                notes.append(
                    without_paths(_("From the collection folder: {summary}.").format(summary=result.summary()), *hide)
                )
            except ReconnectError as exc:
                notes.append(without_paths(str(exc), *hide))
        data = load_store(store, bank=self.bank)
        waiting = room_waiting_note()
        if waiting:
            notes.append(waiting)
        if data.problems:
            notes.append(_("{n} file(s) in the store could not be read and were skipped.").format(n=len(data.problems)))
        return data, notes

    def _read(self) -> None:
        store = self._store_path()
        ahead, self._ahead = self._ahead, {}  # read ahead once, for the first refresh only
        if ahead.get("store") != store:
            ahead = {}  # another folder was typed in meanwhile: read that one
        if "error" in ahead:
            raise ahead["error"]
        data, notes = ahead["loaded"] if "loaded" in ahead else self._load(store)
        if ahead.get("chart"):
            self._ahead = {"chart": ahead["chart"]}  # for the first page's first chart (see _bands)
        self.store.value = _short(store)  # the box never shows the home folder's name
        self.frame = data.frame
        found = g.workshops(self.frame)
        self._busy = True
        try:
            keep = self.workshop.value
            self.workshop.options = [(w_ or _("(no workshop code)"), w_) for w_ in found]
            if found:
                self.workshop.value = keep if keep in found else found[0]
            self._update_sessions()
        finally:
            self._busy = False
        if not found:
            self.status.value = info_message(
                _(
                    "No answers in the folder {folder} yet. Collect handed-in files with "
                    "`reconnect collect ... --into {folder}`, "
                    "or wait for answers to arrive in the collection folder, then press Refresh."
                ).format(folder=folder_name(store))
            )
            self.content.children = ()
            return
        read = _("Read the folder {folder}.").format(folder=folder_name(store))
        self.status.value = ok_message(" ".join([read, *notes]))
        self.render()

    def close(self) -> None:
        """Stop for good: what is still to be read or drawn is dropped, and Refresh does nothing.

        For a dashboard whose cell was run again: its page is gone, and drawing for it would only keep the
        kernel from the new one (up to several seconds of charts nobody sees).
        """
        self._closed = True
        self._page += 1  # every step waiting for the page laid out so far now finds it gone

    def _update_sessions(self) -> None:
        found = g.sessions(self.frame, workshop=self.workshop.value) if self.frame is not None else []
        keep = self.session.value
        labelled = [(session_label(s), s) for s in found]  # "before" is shown as "antes" in Spanish
        self.session.options = found if all(label == s for label, s in labelled) else labelled
        if found:
            self.session.value = keep if keep in found else found[0]

    def _on_control(self, change) -> None:
        if self._busy:
            return
        if change["owner"] is self.present:
            self._set_present(change["new"])  # larger type and charts: a change of style, nothing is drawn
            return
        if change["owner"] is self.workshop:
            self._busy = True
            try:
                self._update_sessions()
            finally:
                self._busy = False
        self.render()

    # -- drawing ---------------------------------------------------------------------------------
    def render(self) -> None:
        """Lay out the page for the chosen workshop, session and group size; its charts follow in turns."""
        self._page += 1
        self._pending = False
        self._render()
        if not self._pending:
            self._drawing(False)

    def _render(self) -> None:
        if self.frame is None or self.workshop.value is None or not self.session.value:
            return
        try:
            k = gp.check_min_group(self.min_group.value)
        except ReconnectError as exc:
            self.content.children = (w.HTML(error_message(str(exc))),)
            return
        bank, frame = self.bank, self.frame
        self.shown = []
        self._draws = []
        kw = {"workshop": self.workshop.value, "session": self.session.value, "min_group": k}
        big = self.present.value
        n_room = g.room_size(frame, workshop=kw["workshop"], session=kw["session"], min_group=k)
        if n_room is None:
            few = _(
                "Fewer than {k} people have answered in this session, so nothing is shown yet: with so "
                "few, someone's answers could be worked out. Wait for more answers and press Refresh."
            ).format(k=k)
            self.content.children = (w.HTML(PRESENT_CSS), w.HTML(info_message(few)), w.HTML(safety_html(bank)))
            self._set_present(big)
            return
        shares = g.band_shares(frame, bank, **kw)
        order = g.area_order(shares)
        # The page is laid out top first, a section per turn of the kernel (ui/turns.py): who took part and
        # the room's bands (the chart a discussion starts from) at once, its chart in the next turn, then each
        # section below with its chart, so the first chart does not wait for the numbers of the others and a
        # click is answered between two sections. Each later section has its place from the start (the
        # safety line stays at the bottom); a section that fails says so in its place.
        later = {name: w.VBox() for name in ("spread", "statements", "change", "couples", "about")}
        parts = [w.HTML(PRESENT_CSS), sec.who_took_part(bank, frame, kw, n_room)]
        parts += sec.bands(bank, shares, self._chart, self._bands_key())
        parts += [*later.values(), w.HTML(safety_html(bank))]
        first, self._draws = self._draws, []
        self.content.children = tuple(parts)
        self._set_present(big)
        page = self._page

        def fill(box: w.VBox, build) -> Callable[[], None]:
            def step() -> None:
                if page != self._page:
                    return  # the page was laid out again since (a new choice, Refresh, a new dashboard)
                try:
                    box.children = tuple(build())
                except Exception as exc:  # after the cell returned: said in its place, never as a traceback
                    self._draws = []
                    box.children = (w.HTML(calm_html(exc)),)
                draws, self._draws = self._draws, []
                for put in draws:
                    put()

            return step

        def finished() -> None:
            if page == self._page:
                self._pending = False
                self._drawing(False)

        self._pending = True
        self._drawing(True)
        in_turns(
            [
                *first,
                fill(later["spread"], lambda: sec.spread(bank, frame, kw, order, self._chart)),
                fill(later["statements"], lambda: sec.statements(bank, frame, kw, self.area.value, self._chart)),
                fill(later["change"], lambda: sec.change(bank, frame, kw, order, self._chart)),
                fill(later["couples"], lambda: sec.couples(bank, frame, kw, order, self._chart)),
                fill(later["about"], lambda: [sec.about(bank, frame, kw)]),
                finished,
            ]
        )

    def _bands_key(self) -> tuple:
        return (self.workshop.value, self.session.value, self.min_group.value, active_language())

    def _set_present(self, big: bool) -> None:
        """Presentation mode on or off: larger type and charts (:data:`PRESENT_CSS`), and the controls the
        counselor does not need while the room talks put away (the folder, workshop, session, group size and
        Refresh); what is left is the choice of the area's statements and the way out of presentation mode."""
        self._set_store_visible(big)
        for control in (self.workshop, self.session, self.min_group, self.refresh_button):
            control.layout.display = "none" if big else None
        for box in (self.content, self.widget):
            if big:
                box.add_class("rc-present")
            else:
                box.remove_class("rc-present")

    def _set_store_visible(self, big: bool) -> None:
        self.store.layout.display = "none" if big else None

    def _chart(self, draw, text: str, *, ahead: tuple | None = None, beside: bool = False):
        """The chart as an image whose ``alt`` is its text alternative's first sentence.

        It takes the page's width up to its planned pixel size, beside the prompts only where both fit. It is
        drawn :data:`PRESENT_SCALE` times sharper, so presentation mode shows it that much larger, lettering
        included, without drawing it again (never stretched, so never blurred).
        """
        # Beside the prompts (a row) it takes up to its planned width and leaves the rest to them. In a column
        # it takes no flex at all: a flex basis there is a height, and held a 1000-pixel place for a
        # 500-pixel chart (seen on the page: blank half-screens between the sections).
        out = w.Output(layout=w.Layout(flex=f"1 1 {CHART_PX}px", min_width="0") if beside else w.Layout(min_width="0"))
        if not self.show_charts:
            return out

        page = self._page
        from IPython.display import HTML

        def put() -> None:
            if page != self._page:
                return  # the page was drawn again since (a new choice or Refresh): this place is gone
            try:
                self._ready()  # never two threads drawing at once: matplotlib is not made for it
                drawn, self._ahead = self._ahead.get("chart"), {}
                if ahead is not None and drawn and drawn["key"] == ahead:  # drawn while the page loaded
                    self.shown.append((drawn["title"], CHART_DPI * PRESENT_SCALE))
                    out.append_display_data(HTML(drawn["img"]))
                    return
                ax = draw(None)
                self.shown.append((ax.get_title(loc="left"), CHART_DPI * PRESENT_SCALE))
                show_figure(out, ax.figure, first_sentence(text), dpi=CHART_DPI, present=PRESENT_SCALE)
            except Exception as exc:  # drawn after the cell returned: say so here, never as a traceback
                out.append_display_data(HTML(calm_html(exc)))

        self._draws.append(put)  # drawn in a turn of its own once the page has its place (see _render)
        return out


def room_waiting_note(path: str | Path | None = None, now: float | None = None) -> str:
    """On the hub: how many participants are stuck (joined, but no working page), for 07's status line.

    Reads the room's status that the hub writes for the counselor alone (``RECONNECT_ROOM_STATUS``,
    see ``reconnect.hub.room_status.write_status_for_counselor``). Only the number is shown, never the codes:
    07 may be on the projector, and a code is what signs a person in (``make hub-status`` lists them).
    Empty when nobody is stuck, outside a hub, or when the status is older than two minutes.

    >>> import json, tempfile, time
    >>> f = Path(tempfile.mkdtemp()) / "room.json"
    >>> _ = f.write_text(json.dumps({"stuck": [{"code": "KM7-4TX"}], "after": 60, "written": time.time()}))
    >>> "1 participant" in room_waiting_note(f) and "KM7" not in room_waiting_note(f)
    True
    >>> room_waiting_note(f, now=time.time() + 600)
    ''
    """
    import json
    import time

    from ..core.settings_env import path as path_from

    path = path or path_from("RECONNECT_ROOM_STATUS")
    if not path:
        return ""
    try:
        status = json.loads(Path(path).read_text(encoding="utf-8"))
        stuck = len(status.get("stuck", []))
        fresh = (time.time() if now is None else now) - float(status.get("written", 0)) < 120
        after = int(status.get("after", 60))
    except (OSError, ValueError, TypeError, AttributeError):
        return ""
    if not stuck or not fresh:
        return ""
    return _(
        "{n} participant(s) joined more than {seconds} s ago and still have no working page: ask who is "
        "waiting and have them reload the page (`make hub-status` lists their codes)."
    ).format(n=number(stuck), seconds=after)
