"""App mode's kernel manager: Jupyter's own, with an idle check that is fair to a page just opened.

Two things the idle culler got wrong in app mode, each a page that seemed to hang:

- **A page just handed a ready kernel.** ``make app`` keeps every page ready ahead (Voilà's preheated
  kernels), and Voilà's culler leaves them alone while they wait. When someone opens the page, the kernel
  leaves the pool, and for the second or so until the browser connects to it, it is idle, unconnected, and
  its last activity is when it was made ready: often longer ago than the idle limit. A culler round in
  that second stopped it, and the person saw the page's words, then no controls, until the page noticed
  its Python was gone and reloaded (10-15 s; about one page in twenty in the browser benchmark). Now the
  first time the culler meets a kernel outside the pool, it counts the kernel's idleness from that moment:
  the page gets the whole idle limit to connect, and a page that never does is stopped after it.
- **A kernel stopped while the culler goes round.** A page's Python stops as soon as the page is left
  (:mod:`reconnect.apps.app_cookies`). The culler lists the kernels, then checks each in turn; a kernel
  stopped in between raised ``KeyError`` there, and ``ERROR`` and a traceback reached the server log
  although nothing was wrong. A kernel that is gone needs no culling, so the check returns at once.

Example
-------
>>> AppKernelManager.__mro__[1].__name__
'AsyncMappingKernelManager'
"""

from __future__ import annotations

from jupyter_server._tz import utcnow
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager


class AppKernelManager(AsyncMappingKernelManager):
    """Jupyter's kernel manager; a kernel's idleness counts from when the culler first sees it in use."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._met_in_use: set[str] = set()  # kernels the culler has met outside Voilà's pool

    async def cull_kernel_if_idle(self, kernel_id):
        kernel = self._kernels.get(kernel_id)
        if kernel is None:  # stopped while the culler went round: nothing to cull
            return None
        if kernel_id not in self._met_in_use:
            # First met outside Voilà's pool (whose kernels it never reaches): just handed to a page whose
            # browser may not have connected yet. Count from now, not from when it was made ready.
            self._met_in_use.add(kernel_id)
            kernel.last_activity = utcnow()
            return None
        return await super().cull_kernel_if_idle(kernel_id)

    async def shutdown_kernel(self, kernel_id, *args, **kwargs):
        self._met_in_use.discard(kernel_id)
        return await super().shutdown_kernel(kernel_id, *args, **kwargs)
