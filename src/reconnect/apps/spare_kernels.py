"""A server keeps a kernel started ahead, so the next page opened needs no start.

Every page runs in a kernel of its own, and starting one (Python, ipykernel, then the product's modules:
ipywidgets, pandas) is most of what a page costs before its controls show: about 1-3 CPU-seconds, and the
person waits for all of it. :class:`SpareKernelManager` is jupyter_server's kernel manager with
``spare_kernels`` kernels started in advance, in the server's own account, with ``spare_imports`` already
run. When a page (JupyterLab's notebook, Voilà on a room's server) or the API asks for a kernel for the
pages' folder, it gets a spare one at once. With ``refill`` a new spare is started a moment later, so the
page after that is quick as well; without (a room's default, to keep each participant's memory down) the
spares made while the seat waited serve the join's page.

Where it is used:

- **JupyterLab** (``make lab``, :func:`reconnect.apps.servers.lab_speed_args`): one spare, refilled, with
  what the pages import (:data:`reconnect.apps.preheat.WARM`), for the series' pages in the installation's
  language; other notebooks start their own kernel as before.
- **A room's participants' servers** (``hub/spawner.py``): Voilà 0.5.13 preheats only when it runs as its
  own server (``voila``); on the hub the pages are served by Voilà's server extension inside
  ``jupyterhub-singleuser``, whose kernel manager is jupyter_server's, and Voilà's pool is never made.
  Preheating also runs the whole notebook ahead; a spare kernel here has run nothing but imports.

What a spare kernel has seen: nobody. It is started by the server, in the server's own account, before
any page asks for it, and runs only the import lines (no cell of any notebook, no settings read); the page
then runs its cells in it as in a fresh kernel. It is never shared between accounts (each server has its
own), and a kernel a page used is never handed out again: it is shut down as before when the page closes
(or by the kernel culler), and only kernels nobody has used are kept as spares. The culler leaves spares
alone while they wait, and a waiting spare is not listed among the server's running kernels (JupyterLab's
"Running" panel, ``GET /api/kernels``): it is nobody's page yet, and "shut down all kernels" must not
leave a page without its next kernel.
"""

from __future__ import annotations

import asyncio
import os

from jupyter_server._tz import utcnow
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from traitlets import Bool, Float, Integer, List, Unicode


class SpareKernelManager(AsyncMappingKernelManager):
    """jupyter_server's kernel manager, plus ``spare_kernels`` kernels started ahead for ``spare_path``."""

    spare_kernels = Integer(1, config=True, help="Kernels kept started ahead (0: none).")
    spare_path = Unicode(
        "notebooks", config=True, help="The folder (relative to the server's root) whose pages use spare kernels."
    )
    spare_imports = List(
        Unicode(),
        ["import reconnect.notebook", "import ipywidgets"],
        config=True,
        help="What a spare kernel runs while it waits: imports only, never a cell of a page.",
    )
    refill = Bool(
        False,
        config=True,
        help="Start a new spare each time one is handed out (every page quick, about 100 MB more per person); "
        "off: the spares made at the start serve the first pages (the join), later pages start their own.",
    )
    refill_delay = Float(1.0, config=True, help="Seconds after a spare is handed out before a new one starts.")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._spares: list[asyncio.Task] = []
        self._spare_ids: set[str] = set()
        if self.spare_kernels > 0:
            from tornado.ioloop import IOLoop

            IOLoop.current().add_callback(self._fill, 0.0)

    @staticmethod
    def _norm(path) -> str:
        return os.path.normpath(str(path or "")).strip("/")

    async def _start_spare(self, delay: float) -> str:
        if delay:
            await asyncio.sleep(delay)
        args = [f"--IPKernelApp.exec_lines={line}" for line in self.spare_imports]
        kernel_id = await super().start_kernel(path=self.spare_path, extra_arguments=args)
        self._spare_ids.add(kernel_id)
        # ready once the kernel has answered (after its imports), so a page never waits on a half-started one
        km = self.get_kernel(kernel_id)
        await km.ready
        client = km.client()
        client.start_channels()
        try:
            await client.wait_for_ready(timeout=300)
        finally:
            client.stop_channels()
        return kernel_id

    async def _fill(self, delay: float | None = None) -> None:
        self._spares = [t for t in self._spares if not (t.done() and (t.cancelled() or t.exception()))]
        while len(self._spares) < self.spare_kernels:
            task = asyncio.ensure_future(self._start_spare(self.refill_delay if delay is None else delay))
            task.add_done_callback(lambda t: t.cancelled() or t.exception())  # no "never retrieved" warning
            self._spares.append(task)

    async def _take_spare(self) -> str | None:
        """A spare kernel nobody has used, or ``None``: a ready one first, else the one closest to ready."""
        self._spares = [t for t in self._spares if not (t.done() and (t.cancelled() or t.exception()))]
        if not self._spares:
            return None
        ready = [t for t in self._spares if t.done()]
        task = (ready or self._spares)[0]
        self._spares.remove(task)
        try:
            kernel_id = await task
        except Exception:  # noqa: BLE001 - a spare that failed to start: start the page's kernel as usual
            return None
        self._spare_ids.discard(kernel_id)
        if kernel_id not in self:
            return None
        # Idle from now, not from when it was started ahead (maybe an hour before the room opened): the
        # culler must not stop it in the moment before the page's browser connects (apps/app_culler).
        self.get_kernel(kernel_id).last_activity = utcnow()
        return kernel_id

    async def start_kernel(self, *, kernel_id=None, path=None, **kwargs):
        wanted = kwargs.get("kernel_name") in (None, "", self.default_kernel_name)
        if kernel_id is None and wanted and self.spare_kernels > 0 and self._norm(path) == self._norm(self.spare_path):
            spare = await self._take_spare()
            if self.refill:
                await self._fill()
            if spare is not None:
                self.log.info("Reconnect: a page got a kernel started ahead (%s)", spare)
                return spare
        return await super().start_kernel(kernel_id=kernel_id, path=path, **kwargs)

    def list_kernels(self):
        """The kernels pages use (what ``GET /api/kernels`` shows): not the spares that wait for a page."""
        return [k for k in super().list_kernels() if k["id"] not in self._spare_ids]

    async def cull_kernel_if_idle(self, kernel_id):
        if kernel_id in self._spare_ids:
            return None  # a spare waits for the next page; it has run nothing yet
        return await super().cull_kernel_if_idle(kernel_id)

    async def shutdown_kernel(self, kernel_id, now=False, restart=False):
        self._spare_ids.discard(kernel_id)
        return await super().shutdown_kernel(kernel_id, now=now, restart=restart)
