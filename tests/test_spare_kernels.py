"""Kernels started ahead (``apps/spare_kernels``), as ``make lab`` and a room's servers use them.

A real kernel manager with real kernels: the spare is started with its imports run, is not listed among
the kernels pages use, is handed to a page of the series' folder (and to nothing else), and a new spare is
started behind it when ``refill`` is on. The asyncio loop runs on a thread of its own (the browser tests
leave one running in the main thread).
"""

from __future__ import annotations

import asyncio
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

from reconnect.apps.servers import LAB_SPARE_IMPORTS

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="kernels over ipc: POSIX only")


def _run(coro):
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result(timeout=240)


async def _ready(manager, count: int, timeout: float = 180) -> list[str]:
    """Wait until ``count`` spares have started and answered; their ids."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        done = [t for t in manager._spares if t.done() and not t.cancelled() and not t.exception()]
        if len(done) >= count:
            return [t.result() for t in done]
        await asyncio.sleep(0.1)
    raise AssertionError("no spare kernel became ready")


async def _in_kernel(manager, kernel_id: str, code: str) -> str:
    """Run ``code`` in the kernel; what it printed."""
    client = manager.get_kernel(kernel_id).client()
    client.start_channels()
    try:
        await client.wait_for_ready(timeout=60)
        out: list[str] = []
        reply = await client.execute_interactive(
            code,
            timeout=60,
            output_hook=lambda msg: out.append(msg["content"].get("text", ""))
            if msg["msg_type"] == "stream"
            else None,
        )
        assert reply["content"]["status"] == "ok", reply["content"]
        return "".join(out)
    finally:
        client.stop_channels()


def test_a_spare_waits_unlisted_serves_one_page_of_the_series_and_is_replaced(tmp_path):
    from reconnect.apps.spare_kernels import SpareKernelManager

    (tmp_path / "es").mkdir()
    (tmp_path / "other").mkdir()

    async def scenario():
        manager = SpareKernelManager(
            root_dir=str(tmp_path),
            spare_kernels=1,
            spare_path="",
            refill=True,
            refill_delay=0.2,
            spare_imports=list(LAB_SPARE_IMPORTS),
        )
        try:
            (spare,) = await _ready(manager, 1)
            # waiting: running, but not listed among the kernels pages use (JupyterLab's Running panel, the API)
            assert spare in manager.list_kernel_ids() and manager.list_kernels() == []
            # another folder's notebook starts its own kernel
            other = await manager.start_kernel(path="other", kernel_name="python3")
            assert other != spare and [k["id"] for k in manager.list_kernels()] == [other]
            # a page of the series gets the spare, which has imported what pages need and run nothing else
            page = await manager.start_kernel(path="", kernel_name="python3")
            assert page == spare
            assert {k["id"] for k in manager.list_kernels()} == {other, page}
            seen = await _in_kernel(
                manager,
                page,
                "import sys; print('pandas' in sys.modules, 'reconnect.ui.area' in sys.modules, "
                "sorted(k for k in globals() if not k.startswith('_') and k not in ('In', 'Out', 'exit', 'quit', 'get_ipython', 'open', 'sys')))",
            )
            assert seen.split() == ["True", "True", "[]"], seen
            # ... and a new spare is started behind it, never the page's kernel again
            await asyncio.sleep(0.5)
            (next_spare,) = [s for s in await _ready(manager, 1) if s != page]
            assert next_spare != page and next_spare not in {k["id"] for k in manager.list_kernels()}
            # the Spanish pages' folder is another folder: its own kernel
            spanish = await manager.start_kernel(path="es", kernel_name="python3")
            assert spanish not in (page, next_spare)
        finally:
            await manager.shutdown_all(now=True)
            assert manager.list_kernel_ids() == []

    _run(scenario())
