"""Slow drawing after the page is shown, one piece per turn, so a click is answered in between.

A kernel handles one message at a time. When 07 drew its five charts inside the cell (or inside a
click's handler), the page stayed blank in app mode until the last one was done (Voilà shows a page
once its cells have run), and a click on "Presentation mode" waited behind all of them. :func:`in_turns`
hands the pieces to the kernel's event loop instead: the cell returns at once, each chart is drawn in
its own turn, and a click that arrives meanwhile is handled between two charts.

Outside a kernel (tests, scripts, the PDF) there is no loop to hand to, and the pieces run at once, in
order, so what they draw can be checked straight after.

Examples
--------
>>> done = []
>>> in_turns([lambda: done.append(1), lambda: done.append(2)])
>>> done
[1, 2]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

#: Seconds between two pieces. A message from the page reaches the kernel's loop through a thread of its
#: own; handed on at once (``add_callback``), the next piece started before it arrived, and a click made
#: during a six-piece drawing was measured waiting behind three or four of them. With this gap it waits
#: for one at most.
GAP = 0.02


def _kernel_loop():
    """The running kernel's event loop, or ``None`` outside a kernel."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipywidgets
        return None
    kernel = getattr(get_ipython(), "kernel", None)
    return getattr(kernel, "io_loop", None)


def in_turns(steps: Iterable[Callable[[], None]]) -> None:
    """Run ``steps`` in order, each in its own turn of the kernel's event loop (at once without a kernel).

    A step that fails does not stop the ones after it; each step shows its own problems (the caller
    wraps it), because nobody is waiting for this call to return them.
    """
    pending = list(steps)
    loop = _kernel_loop()
    if loop is None:
        for step in pending:
            step()
        return

    def next_step() -> None:
        if not pending:
            return
        step = pending.pop(0)
        try:
            step()
        finally:
            if pending:
                loop.call_later(GAP, next_step)

    if pending:
        loop.call_later(GAP, next_step)


class Preparing:
    """What :func:`in_background` returns: call it to wait until the work is done; ``done`` says if it is."""

    def __init__(self, thread=None):
        self._thread = thread

    def __call__(self) -> None:
        if self._thread is not None:
            self._thread.join()

    @property
    def done(self) -> bool:
        return self._thread is None or not self._thread.is_alive()


def in_background(work: Callable[[], None]) -> Preparing:
    """Start ``work`` in a thread of its own; the result, called, returns once it is done.

    For slow preparation that touches nothing on the page (loading the plotting library while the page
    loads): the kernel keeps answering the page meanwhile. Wait (call the result) before using what ``work``
    prepares, or let :func:`when_done` start what needs it. ``work`` may fail: waiting never raises, and
    whatever needed it then does the work itself. Without a kernel ``work`` runs at once.

    Examples
    --------
    >>> done = []
    >>> wait = in_background(lambda: done.append("ready"))
    >>> wait(); done, wait.done
    (['ready'], True)
    """
    if _kernel_loop() is None:
        try:
            work()
        except Exception:  # noqa: BLE001 - preparation only: the caller does the work itself
            pass
        return Preparing()

    import threading

    def run() -> None:
        try:
            work()
        except Exception:  # noqa: BLE001 - preparation only: the caller does the work itself
            pass

    thread = threading.Thread(target=run, name="reconnect-prepare", daemon=True)
    thread.start()
    return Preparing(thread)


#: Seconds between two looks at whether the preparation is done (:func:`when_done`).
POLL = 0.05


def when_done(preparing: Preparing, work: Callable[[], None]) -> None:
    """Run ``work`` in a turn of the kernel's loop once ``preparing`` is done, never blocking the loop meanwhile.

    Waiting by calling ``preparing()`` would hold the kernel: a click made then is answered only when the
    thread is done (measured on a busy machine: 2.4 s). This looks every :data:`POLL` seconds instead, and
    the kernel answers the page in between. Without a kernel it waits and runs ``work`` at once.

    Examples
    --------
    >>> done = []
    >>> when_done(in_background(lambda: done.append("read")), lambda: done.append("shown"))
    >>> done
    ['read', 'shown']
    """
    loop = _kernel_loop()
    if loop is None or preparing.done:
        if loop is None:
            preparing()
        in_turns([work])
        return
    loop.call_later(POLL, lambda: when_done(preparing, work))


# -- after the page is shown -------------------------------------------------------------------------
# In app mode the page asks the kernel for its widgets once Voilà has sent it; a kernel already busy
# reading the room at that moment kept 07's controls off the screen for seconds (measured: 2.4 s after
# the page's words, against none for a page without that work). So the slow part waits until a view of
# the page has said it is on screen, or until FALLBACK seconds passed with no view (a kernel without a
# browser, such as a notebook run by the tests, still gets its results).
FALLBACK = 10.0

_SHOWN_ESM = """
function render({ model }) {
  model.send({ shown: true });
}
export default { render };
"""


def after_shown(work: Callable[[], None], *, fallback: float = FALLBACK):
    """A widget (nothing visible) to put on the page; ``work`` runs in a turn once the page shows it.

    ``work`` runs once: on the first view's message, or ``fallback`` seconds after this call if no view
    comes. Without a kernel it runs at once.

    Examples
    --------
    >>> done = []
    >>> _ = after_shown(lambda: done.append("read"))
    >>> done
    ['read']
    """
    import anywidget
    import ipywidgets as w

    loop = _kernel_loop()
    if loop is None:
        work()
        return w.HTML("")

    class _Shown(anywidget.AnyWidget):
        _esm = _SHOWN_ESM

    started = []

    def start(*_args) -> None:
        if not started:
            started.append(True)
            in_turns([work])

    marker = _Shown()
    marker.layout.display = "none"
    marker.on_msg(start)
    loop.call_later(fallback, start)
    return marker


#: Seconds after a page's views are built before :func:`warm_later` starts its imports: the page's widgets
#: have reached the browser by then, so the import does not slow their sending.
WARM_AFTER_S = 3.0


def warm_later(*names: str, after: float = WARM_AFTER_S) -> None:
    """In a kernel: import ``names`` in a thread ``after`` seconds from now, so the first Save or chart
    does not pay for them; outside a kernel (tests, scripts) nothing happens (the first use imports).

    >>> warm_later("json")  # no kernel here: nothing to do
    """
    import importlib

    loop = _kernel_loop()
    if loop is None:
        return

    def load() -> None:
        for name in names:
            importlib.import_module(name)

    loop.call_later(after, lambda: in_background(load))
