"""One widget message at a time, whichever thread the kernel runs it on.

JupyterLab 4.4 and later can send widget messages over *kernel subshells*, and ipykernel 7 then runs a
widget's messages on more than one thread: the first on the kernel's main thread, the next ones on the
subshell's thread, chosen message by message from where the widget last replied. Two messages of one
answer could then be handled at the same moment. Measured in the browser (a page reloaded while its kernel
kept running, three quick arrow keys on one statement): the kernel acknowledged the newest choice (4, "Mostly")
together with the value of the choice before it (3), and wrote that older answer into the draft; the page
showed and kept "Somewhat". Each value and the number that goes with it must change together.

:func:`one_at_a_time` makes the product's widget message handlers take turns (one lock for all of them, so
the draft that several answers write is never written by two at once). JupyterLab is also told not to use
subshells for comms (:data:`reconnect.apps.servers.LAB_SETTINGS`), which keeps messages in the order they were
sent; the lock is for every other front end.

>>> calls = []
>>> @one_at_a_time
... def handle(message):
...     calls.append(message)
>>> handle("choose 4")
>>> calls
['choose 4']
"""

from __future__ import annotations

import functools
import threading

# Re-entrant: a handler may set another widget's value, whose observers run inside the same turn.
_TURN = threading.RLock()


def one_at_a_time(handler):
    """Run ``handler`` only while no other handler wrapped by this function runs (on any thread)."""

    @functools.wraps(handler)
    def in_turn(*args, **kwargs):
        with _TURN:
            return handler(*args, **kwargs)

    return in_turn
