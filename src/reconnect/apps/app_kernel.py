"""An app-mode page's Python finishes what it is doing before it stops.

Leaving an app-mode page (Voilà) tells the server to stop the page's Python. Jupyter stops a kernel by first
interrupting it, then asking it to shut down. An interrupt that lands while the kernel handles a message (the
answer just clicked, a moment before the person went on to the next page) cuts that work short and writes
``ERROR | KeyboardInterrupt caught in kernel.`` into the server's log. App mode offers no way to interrupt a
page on purpose, so in a kernel Voilà started the interrupt is ignored while a message is handled: the work
finishes, then the kernel shuts down as asked (a kernel that does not stop is still ended by Jupyter after its
usual wait). JupyterLab's kernels are left as they are (Lab's stop button interrupts on purpose).

Example
-------
>>> finish_before_stopping()  # not in a kernel Voilà started
False
"""

from __future__ import annotations

import signal

from ..core.settings_env import raw


def in_app_mode() -> bool:
    """Whether this Python is a kernel started by Voilà (it sets ``VOILA_PREHEAT`` for every page's kernel)."""
    return raw("VOILA_PREHEAT") in ("True", "False")


def finish_before_stopping() -> bool:
    """In a Voilà kernel, let an interrupt no longer cut a message's handling short; return whether it did so."""
    if not in_app_mode():
        return False
    try:
        from ipykernel.kernelbase import Kernel
    except ImportError:
        return False
    if not Kernel.initialized():
        return False
    kernel = Kernel.instance()
    # ipykernel ignores interrupts between messages and turns them on while one is handled (these two hooks):
    # leave them off, from the message being handled now on
    kernel.pre_handler_hook = lambda: None
    kernel.post_handler_hook = lambda: None
    try:
        signal.signal(signal.SIGINT, getattr(kernel, "saved_sigint_handler", None) or signal.SIG_IGN)
    except ValueError:  # not the main thread: the hooks above still take effect from the next message
        pass
    return True
