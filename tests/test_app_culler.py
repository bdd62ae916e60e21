"""App mode's idle culler never stops a page's kernel in the second between hand-out and the browser connecting."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from types import SimpleNamespace

from jupyter_server._tz import utcnow

from reconnect.apps.app_culler import AppKernelManager


def _run(coroutine):
    """Run ``coroutine`` on a loop of its own thread (the browser tests leave a loop running in this one)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _manager(idle_for: timedelta):
    manager = AppKernelManager(cull_idle_timeout=300)
    kernel = SimpleNamespace(
        execution_state="idle",
        kernel_name="python3",
        kernel_spec=SimpleNamespace(metadata={}),
        last_activity=utcnow() - idle_for,
    )
    manager._kernels["k1"] = kernel
    stopped = []

    async def shutdown(kernel_id, *args, **kwargs):
        stopped.append(kernel_id)
        manager._kernels.pop(kernel_id, None)

    manager.shutdown_kernel = shutdown
    return manager, kernel, stopped


def test_a_kernel_ready_for_an_hour_is_not_stopped_when_it_is_handed_to_a_page():
    manager, kernel, stopped = _manager(timedelta(hours=1))  # made ready long ago, nobody connected yet
    _run(manager.cull_kernel_if_idle("k1"))
    assert stopped == [] and utcnow() - kernel.last_activity < timedelta(seconds=5)
    _run(manager.cull_kernel_if_idle("k1"))  # the next round: idle only since it was handed out
    assert stopped == []


def test_a_page_left_idle_past_the_limit_is_still_stopped():
    manager, kernel, stopped = _manager(timedelta(hours=1))
    _run(manager.cull_kernel_if_idle("k1"))  # first met: counted from now
    kernel.last_activity = utcnow() - timedelta(seconds=301)  # then nobody used it for longer than the limit
    _run(manager.cull_kernel_if_idle("k1"))
    assert stopped == ["k1"]


def test_a_kernel_stopped_while_the_culler_goes_round_is_no_error():
    manager, _kernel, stopped = _manager(timedelta(hours=1))
    manager._kernels.clear()
    assert _run(manager.cull_kernel_if_idle("k1")) is None and stopped == []


def test_a_rooms_spare_kernel_counts_as_active_when_a_page_takes_it():
    from reconnect.apps.spare_kernels import SpareKernelManager

    async def take():
        manager = SpareKernelManager(spare_kernels=0, cull_idle_timeout=300)
        manager._kernels["k1"] = SimpleNamespace(last_activity=utcnow() - timedelta(hours=2))
        manager._spare_ids.add("k1")
        ready = asyncio.get_running_loop().create_future()
        ready.set_result("k1")
        manager._spares.append(ready)
        return manager, await manager._take_spare()

    manager, taken = _run(take())
    assert taken == "k1" and "k1" not in manager._spare_ids
    assert utcnow() - manager._kernels["k1"].last_activity < timedelta(seconds=5)
