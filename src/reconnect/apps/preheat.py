"""Pages made ready before anyone opens them (Voilà's preheated kernels), and still nobody's until then.

``make app`` asks Voilà to keep, for every page of the series, one kernel that has already started and
run the page (:func:`reconnect.apps.servers.voila_speed_args`). Such a page is run before anyone asked for
it, so what it shows must not depend on who was remembered, or what was saved, at that moment. Every
view of :mod:`reconnect.notebook` therefore first calls :func:`wait_for_visitor`:

- in a preheated kernel (``VOILA_PREHEAT=True``, set by Voilà) it imports what the page's views will need
  (:data:`WARM`), then waits, before anything personal is read, until Voilà hands the kernel to a
  browser's request (the same handshake as ``voila.utils.wait_for_request``: a websocket to Voilà's
  ``/voila/query/<kernel id>``, answered when the page is requested). Only then does the view read the
  data folder: the person remembered *now*, their answers as saved *now*;
- anywhere else (a kernel Voilà started for a request, JupyterLab, nbval, tests) it returns at once.

It waits once per kernel: Voilà answers the handshake once. If Voilà cannot be reached, it keeps trying
(every second): a page that was never requested never reads anyone's data.

Example
-------
>>> preheated()  # not in a preheated kernel here
False
>>> wait_for_visitor()  # returns at once
>>> waited()
True
"""

from __future__ import annotations

import importlib
import os
import time

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

_state = {"waited": False}


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
    """In a preheated kernel: pay :func:`warm`, then wait until the page is requested (once per kernel)."""
    if waited():
        _state["waited"] = True
        return
    warm()
    url = query_url()
    while True:
        info = _request_info(url)
        if info is not None:
            break
        time.sleep(retry_every)
    # the request's details (its query string…) where voila.utils.wait_for_request puts them too
    os.environ.update({key: value for key, value in info.items() if isinstance(key, str) and isinstance(value, str)})
    _state["waited"] = True
