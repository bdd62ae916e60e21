"""Pages made ready before anyone opens them (Voilà's preheated kernels), and still nobody's until then.

``make app`` asks Voilà to keep, for every page of the series, one kernel that has already started and
run the page (:func:`reconnect.apps.servers.voila_speed_args`). Such a page is run before anyone asked for
it, so what it shows must not depend on who was remembered, or what was saved, at that moment.

Every view of :mod:`reconnect.notebook` therefore asks :func:`later` first:

- in a preheated kernel (``VOILA_PREHEAT=True``, set by Voilà) not yet handed to a request, the view's
  cell pays what does not depend on anyone (the imports of :data:`WARM`, the page's style, an empty box
  where the view will go) and *returns*: Voilà runs every cell of the page before the request and keeps the
  page ready to send at once. What reads the data folder (the person remembered *now*, their answers as
  saved *now*) is kept, in order, and runs in the kernel's own loop once Voilà hands the kernel to a
  browser's request (the same handshake as ``voila.utils.wait_for_request``: a websocket to Voilà's
  ``/voila/query/<kernel id>``, answered when the page is requested), while the browser loads the page's
  scripts;
- anywhere else (a kernel Voilà started for a request, JupyterLab, nbval, tests) the view is built at once.

A thread waits for the handshake (once per kernel: Voilà answers it once); if Voilà cannot be reached it
keeps trying every second, and a page that was never requested never reads anyone's data.
:func:`wait_for_visitor` is the blocking form of the same wait.

Example
-------
>>> preheated()  # not in a preheated kernel here
False
>>> later(lambda: None)  # nothing to wait for: the caller builds its view now
False
>>> wait_for_visitor()  # returns at once
>>> waited()
True
"""

from __future__ import annotations

import importlib
import os
import threading
import time
from collections.abc import Callable

from ..core.settings_env import raw

#: Imports a page's views make on their first call, paid before the page is requested.
WARM = (
    "ipywidgets",
    "anywidget",
    "pandas",
    "matplotlib",
    "matplotlib.figure",
    "matplotlib.backends.backend_agg",
    "reconnect.output.charts",
    "reconnect.output.group_charts",
    "reconnect.ui.area",
    "reconnect.ui.export",
    "reconnect.ui.facilitator",
    "reconnect.ui.intro",
    "reconnect.ui.privacy",
    "reconnect.ui.profile",
    "reconnect.ui.safety",
    "reconnect.ui.start",
    "reconnect.ui.turns",
)

_state = {"waited": False, "info": None, "watching": False, "filling": False}
#: Set by the watching thread when Voilà has handed this kernel to a request.
_arrived = threading.Event()
#: What the page's views left for the visitor, in the order of the page's cells.
_pending: list[Callable[[], None]] = []


def preheated() -> bool:
    """Whether this kernel was started by Voilà ahead of any request (``VOILA_PREHEAT=True``)."""
    return raw("VOILA_PREHEAT") == "True"


def waited() -> bool:
    """Whether this kernel has been handed to a request (or never needed to wait)."""
    return _state["waited"] or not preheated()


def query_url() -> str:
    """Voilà's websocket that answers once this kernel's page is requested (as ``voila.utils`` builds it)."""
    protocol = raw("VOILA_WS_PROTOCOL") or "ws"
    ip = raw("VOILA_APP_IP") or "127.0.0.1"
    port = raw("VOILA_APP_PORT") or "8866"
    base = raw("VOILA_WS_BASE_URL") or raw("VOILA_SERVER_URL") or "/"
    return f"{protocol}://{ip}:{port}{base}voila/query/{raw('VOILA_KERNEL_ID')}"


def warm() -> None:
    """Import :data:`WARM` (what is not installed is skipped: a page then imports less)."""
    for name in WARM:
        try:
            importlib.import_module(name)
        except ImportError:
            continue


def _request_info(url: str) -> dict | None:
    """Wait for Voilà's answer on ``url``: the request's details, or ``None`` when it cannot be reached."""
    import json

    from websockets.sync.client import connect

    try:
        with connect(url, open_timeout=5, close_timeout=1, max_size=None) as ws:
            return json.loads(ws.recv())
    except Exception:  # refused, closed, timed out: the caller tries again
        return None


def wait_for_visitor(*, retry_every: float = 1.0) -> None:
    """In a preheated kernel: pay :func:`warm`, then block until the page is requested (once per kernel).

    Views left with :func:`later` are built then, before this returns."""
    if waited():
        _state["waited"] = True
        return
    warm()
    _watch(retry_every=retry_every)
    _arrived.wait()
    flush()


def _welcome(info: dict) -> None:
    """The request's details where ``voila.utils.wait_for_request`` puts them too; this kernel is now someone's."""
    os.environ.update({key: value for key, value in info.items() if isinstance(key, str) and isinstance(value, str)})
    _state["waited"] = True


def _kernel_callback():
    """A thread-safe way to run something in the kernel's loop (``None`` outside a kernel)."""
    from ..ui.turns import _kernel_loop

    loop = _kernel_loop()
    if loop is None:
        return None
    return getattr(loop, "add_callback", None) or getattr(loop, "call_soon_threadsafe", None)


def _watch(*, retry_every: float = 1.0) -> None:
    """Start (once) the thread that waits for the request, then has the kernel's loop :func:`flush`."""
    if _state["watching"]:
        return
    _state["watching"] = True
    url = query_url()
    schedule = _kernel_callback()

    def run() -> None:
        while True:
            info = _request_info(url)
            if info is not None:
                break
            time.sleep(retry_every)
        _state["info"] = info
        _arrived.set()
        if schedule is not None:
            schedule(flush)

    threading.Thread(target=run, name="reconnect-visitor", daemon=True).start()


def filling() -> bool:
    """Whether a view is being built now for a visitor who just arrived (from :func:`flush`)."""
    return _state["filling"]


def flush() -> None:
    """Once the page is requested: build, in order, every view left for the visitor (nothing before).

    Runs in the kernel's loop (the watching thread asks it to), and before any view of a cell that runs
    after the request, so the views are built in the page's order. Each view shows its own problems.
    """
    if not _arrived.is_set():
        return
    if not _state["waited"]:
        _welcome(_state["info"] or {})
    _state["filling"] = True
    try:
        while _pending:
            fill = _pending.pop(0)
            try:
                fill()
            except Exception:  # noqa: BLE001 - each view shows its own problems; the next still gets built
                pass
    finally:
        _state["filling"] = False


def later(fill: Callable[[], None]) -> bool:
    """Keep ``fill`` until the page is requested (``True``), or say the caller may build now (``False``).

    ``True`` only in a preheated kernel not yet handed to a request: the caller shows what depends on no
    one, and ``fill`` puts the rest in once someone has opened the page (see the module's text). Anywhere
    else, and once the visitor is here, ``False``: views left earlier are built first.
    """
    if waited() or _arrived.is_set():
        flush()
        return False
    warm()
    _pending.append(fill)
    _watch()
    return True
