"""App mode's kernel manager: Jupyter's own, with an idle check that lets a kernel already gone be.

A page's Python now stops as soon as the page is left (its "stop" request carries the ``_xsrf`` cookie,
:mod:`reconnect.apps.app_cookies`). Jupyter's idle culler lists the kernels, then checks each in turn; a kernel
stopped in between raised ``KeyError`` there, and the culler wrote ``ERROR`` and a traceback into the server
log although nothing was wrong. A kernel that is gone needs no culling, so the check returns at once.

Example
-------
>>> AppKernelManager.__mro__[1].__name__
'AsyncMappingKernelManager'
"""

from __future__ import annotations

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager


class AppKernelManager(AsyncMappingKernelManager):
    """Jupyter's kernel manager; a kernel stopped while the culler was going round is skipped, not an error."""

    async def cull_kernel_if_idle(self, kernel_id):
        if kernel_id not in self._kernels:
            return None
        return await super().cull_kernel_if_idle(kernel_id)
