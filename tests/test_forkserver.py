"""The room's fork server (``hub/forkserver.py``): a child has exactly what a ``Popen`` server would have.

Run as root (as the hub is): the fork server is asked for a child as the system account ``nobody``, which
describes itself (the ``describe`` entry) in a file. The child is that account, with its groups only,
the memory and process ceilings asked for, a session of its own, the environment of the request and
nothing else, no descriptor but its standard ones (the pipes to the hub are closed), Python's default
signal handlers, and random numbers of its own.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import sys
import tempfile
import time
from pathlib import Path

import pytest

from reconnect.hub.forkserver import ForkServer, ForkServerError

pytestmark = pytest.mark.skipif(
    sys.platform != "linux" or os.geteuid() != 0, reason="the fork server switches accounts: Linux, as root"
)


def _described(server: ForkServer, folder: Path, name: str, **request) -> dict:
    out = folder / f"{name}.json"
    pid = server.fork(entry="describe", argv=[str(out)], **request)
    assert pid > 0
    deadline = time.monotonic() + 60
    while not out.exists() or not out.read_text():
        assert time.monotonic() < deadline, "the child wrote nothing"
        time.sleep(0.05)
    time.sleep(0.1)
    info = json.loads(out.read_text())
    deadline = time.monotonic() + 10
    while Path(f"/proc/{pid}").exists():  # the child ended and the system reaped it: no zombie left
        assert time.monotonic() < deadline, "the child was not reaped"
        time.sleep(0.05)
    return info


def test_a_forked_server_is_the_participant_and_nothing_more():
    nobody = pwd.getpwnam("nobody")
    folder = Path(tempfile.mkdtemp(prefix="reconnect-fork-", dir="/tmp"))
    os.chmod(folder, 0o777)
    server = ForkServer(sys.executable, {"PATH": os.environ.get("PATH", os.defpath)})
    try:
        env = {"PATH": "/usr/bin:/bin", "JUPYTERHUB_API_TOKEN": "only-for-this-child", "HOME": nobody.pw_dir}
        request = dict(user="nobody", env=env, memory_mb=1536, processes=64)
        first = _described(server, folder, "first", **request)
        second = _described(server, folder, "second", **request)
    finally:
        server.close()
        shutil.rmtree(folder, ignore_errors=True)
    for info in (first, second):
        assert (info["uid"], info["euid"], info["gid"]) == (nobody.pw_uid, nobody.pw_uid, nobody.pw_gid)
        assert set(info["groups"]) <= set(os.getgrouplist("nobody", nobody.pw_gid))
        assert info["env"] == env  # the request's environment, nothing of the fork server's or the hub's
        assert {int(fd) for fd in info["fds"]} == {0, 1, 2}, info["fds"]  # the hub's pipes are not there
        assert info["fds"]["0"] == "/dev/null"
        assert info["sid_is_pid"] and info["sigint_default"] and info["sigchld_default"]
        assert info["rlimit_as"] == 1536 * 1024 * 1024 and info["rlimit_nproc"] == 64
    assert first["random"] != second["random"]  # each child seeds its own


def test_a_request_it_cannot_serve_is_refused():
    server = ForkServer(sys.executable, {"PATH": os.environ.get("PATH", os.defpath)})
    try:
        with pytest.raises(ForkServerError, match="unknown entry"):
            server.fork(entry="anything", user="nobody", argv=[], env={}, memory_mb=0, processes=0)
        with pytest.raises(ForkServerError, match="not for root"):
            server.fork(entry="describe", user="root", argv=["/tmp/x"], env={}, memory_mb=0, processes=0)
        with pytest.raises(ForkServerError, match="bad request"):
            server.fork(entry="describe", user="no-such-account-here", argv=["/tmp/x"], env={}, memory_mb=0, processes=0)
        with pytest.raises(ForkServerError, match="JUPYTERHUB_SINGLEUSER_APP"):
            server.fork(user="nobody", argv=[], env={"JUPYTERHUB_SINGLEUSER_APP": "notebook"}, memory_mb=0, processes=0)
    finally:
        server.close()
