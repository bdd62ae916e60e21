"""The workshop room on JupyterHub, for real: one hub per test session over a temporary folder.

Needs root (one system account per participant), ``useradd``, configurable-http-proxy and the
participants' environment (``make hub-setup``). Without them the tests are skipped with the reason;
with the environment variable ``CI`` set they fail instead, because CI must run them.

Every test here is marked ``hub`` and ``browser`` (slow, real servers): the fast lane
``pytest -m "not browser"`` leaves them out. Accounts get a prefix unique to the session and are
removed (``userdel --remove``) at the end, also when a test fails.
"""

from __future__ import annotations

import os
import secrets
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))
import hubclient as hc  # noqa: E402

PASSCODE = "test-" + secrets.token_hex(3)


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.hub)
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call" and report.failed and "room" in getattr(item, "funcargs", {}):
        room = item.funcargs["room"]
        tail = room.log.read_text(errors="replace")[-4000:] if room.log.is_file() else "(no log)"
        report.sections.append(("hub log (last 4000 characters)", tail))
    return report


def _missing(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must run the hub tests (.ci/run runs `make hub-setup`).")
    pytest.skip(reason)


def _check_tools() -> None:
    from reconnect.hub.room import HubError, check_env, find_proxy

    if os.geteuid() != 0:
        _missing("the hub tests create system accounts and must run as root")
    if shutil.which("useradd") is None:
        _missing("useradd is missing (apt-get install passwd)")
    try:
        find_proxy()
        check_env(hc.hub_env_dir())
    except HubError as exc:
        _missing(str(exc.code))


@pytest.fixture(scope="session")
def room():
    """A running room: prefix ``t<random>-``, workshop ``HUBTEST``; stopped and cleaned up at the end."""
    _check_tools()
    prefix = f"t{secrets.token_hex(2)}-"
    workdir = Path(tempfile.mkdtemp(prefix="reconnect-hub-"))
    started = None
    try:
        started = hc.start_room(
            workdir,
            prefix=prefix,
            passcode=PASSCODE,
            cull_kernels=120,
            seats=hc.TEST_SEATS,
            spare_kernels=hc.TEST_SPARES,
        )
        hc.wait_for_seats(started, hc.TEST_SEATS)
        yield started
    finally:
        if started is not None:
            started.stop()
        leftover = hc.Room("", workdir, workdir / "homes", prefix, {}, None, workdir / "hub.log")
        leftover.remove_accounts()
        shutil.rmtree(workdir, ignore_errors=True)
