"""A server's kernels forked from its account's kernel fork server (``apps/kernel_forks.py``).

A real kernel fork server (a process of this account listening on a Unix socket) and jupyter_client's
kernel manager with the product's provisioner, found by its entry point as a room's servers find it:
the kernel is the fork server's child, in the folder and with the environment jupyter_client gave it,
runs cells, can be interrupted (a session of its own, as jupyter_client's launcher makes), and shuts
down. Anything else asked of the fork server (another Python, a connection from another account) is
refused, and the provisioner then starts the kernel the usual way.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from reconnect.apps.kernel_forks import PROVISIONER, SOCKET_ENV, ForkedKernelProvisioner, ForkedProcess, ask

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="Unix sockets with SO_PEERCRED: Linux")


def _run(coro):
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coro).result(timeout=240)


@pytest.fixture
def fork_server(tmp_path):
    path = tmp_path / "kernel-forks.sock"
    # imports ipywidgets before any kernel exists, as the room's fork server does
    code = f"import os, ipywidgets; from reconnect.apps.kernel_forks import serve; serve({str(path)!r}, os.getppid())"
    process = subprocess.Popen([sys.executable, "-c", code])
    deadline = time.monotonic() + 60
    while not path.exists():
        assert process.poll() is None and time.monotonic() < deadline, "the kernel fork server did not start"
        time.sleep(0.05)
    yield path, process
    process.terminate()
    process.wait(10)


def _parent_of(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def test_a_kernel_comes_from_the_fork_server_and_behaves_like_one_started_alone(fork_server, tmp_path, monkeypatch):
    from jupyter_client.manager import AsyncKernelManager
    from jupyter_client.provisioning import KernelProvisionerFactory

    path, server = fork_server
    monkeypatch.setenv(SOCKET_ENV, str(path))
    # what --KernelProvisionerFactory.default_provisioner_name does in a room's server (the factory is one per process)
    monkeypatch.setattr(KernelProvisionerFactory.instance(), "default_provisioner_name", PROVISIONER)
    folder = tmp_path / "pages"
    folder.mkdir()

    async def scenario():
        manager = AsyncKernelManager(kernel_name="python3")
        await manager.start_kernel(cwd=str(folder), env={**os.environ, "RECONNECT_PROBE": "for this kernel"})
        try:
            assert isinstance(manager.provisioner, ForkedKernelProvisioner)
            assert isinstance(manager.provisioner.process, ForkedProcess)
            pid = manager.provisioner.pid
            assert _parent_of(pid) == server.pid and os.getsid(pid) == pid
            client = manager.client()
            client.start_channels()
            await client.wait_for_ready(timeout=60)
            out: list[str] = []

            def hook(msg):
                if msg["msg_type"] == "stream":
                    out.append(msg["content"]["text"])

            reply = await client.execute_interactive(
                "import os, sys; print(os.getcwd(), os.environ['RECONNECT_PROBE'] == 'for this kernel', sys.argv[0])",
                output_hook=hook,
                timeout=60,
            )
            assert reply["content"]["status"] == "ok"
            cwd, probe, argv0 = "".join(out).split(" ", 2)
            assert (cwd, probe) == (str(folder), "True")
            # the widget manager's comm targets are there before the first cell, as in a kernel that imported
            # ipywidgets itself (a page's widgets could not be fetched otherwise)
            out.clear()
            await client.execute_interactive(
                "print(sorted(t for t in get_ipython().kernel.comm_manager.targets if t.startswith('jupyter.widget')))",
                output_hook=hook,
                timeout=60,
            )
            assert "".join(out).strip() == "['jupyter.widget', 'jupyter.widget.control']"
            # and it keeps no history file
            out.clear()
            await client.execute_interactive("print(get_ipython().history_manager.enabled)", output_hook=hook, timeout=60)
            assert "".join(out).strip() == "False"
            # interrupted like any kernel: the signal reaches it and the cell stops
            running = asyncio.ensure_future(client.execute_interactive("import time; time.sleep(60)", timeout=90))
            await asyncio.sleep(1.0)
            await manager.interrupt_kernel()
            reply = await running
            assert reply["content"]["status"] == "error" and reply["content"]["ename"] == "KeyboardInterrupt"
            client.stop_channels()
        finally:
            await manager.shutdown_kernel(now=False)
        deadline = time.monotonic() + 30
        while Path(f"/proc/{pid}").exists():  # gone, and reaped by the system (no zombie)
            assert time.monotonic() < deadline, "the kernel did not end"
            await asyncio.sleep(0.1)

    _run(scenario())


def test_what_the_fork_server_will_not_run(fork_server, tmp_path):
    path, _server = fork_server
    with pytest.raises(ValueError, match="another Python"):
        ask(str(path), python="/bin/sh", argv=["-c", "true"], env={}, cwd=str(tmp_path))
    with pytest.raises(ValueError, match="no such folder"):
        ask(str(path), python=sys.executable, argv=[], env={}, cwd=str(tmp_path / "missing"))
