"""Real-browser tests: one JupyterLab and one Voilà server per session, one Chromium, many pages.

Layout of what the session fixtures build (all under a temporary folder, never the source tree):

    <tmp>/project/notebooks/        a copy of notebooks/ (both servers serve it)
    <tmp>/project/data/item_bank.yaml
    <tmp>/home-lab/                 RECONNECT_HOME of the JupyterLab server and its kernels
    <tmp>/home-voila/               RECONNECT_HOME of the Voilà server and its kernels
    <tmp>/demo/                     RECONNECT_DEMO: the synthetic demo workshop (facilitator views)
    <tmp>/jupyter/...               JUPYTER_CONFIG_DIR, DATA_DIR, RUNTIME_DIR, Lab settings overrides

Every test starts from a known state, whatever the test before it did or where it failed
(:func:`known_state`): no JupyterLab kernel left running (a kernel remembers who signed in on its page),
nobody remembered and no shared-device setting in either data folder; and each test file starts with
empty data folders (:func:`empty_data_folders`).

Tests use the fixtures ``lab`` / ``voila`` (a :class:`Server`), ``page`` (a fresh browser tab that
cannot reach anything but 127.0.0.1) and ``shot`` (screenshots into ``tests/browser/screenshots/``),
plus the helpers below (``open_lab``, ``run_all``, ``restart_and_run_all``, ``open_voila``, ...).
A facilitator journey needs no new fixture: open 07 with ``open_lab`` / ``open_voila``.

Without Chromium (``/usr/bin/chromium`` or ``$CHROMIUM``) or Playwright the tests are skipped with
the reason; when the environment variable ``CI`` is set they fail instead, because CI must run them.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlparse

import pytest
from browser_helpers import (
    CHROMIUM,
    CHROMIUM_ARGS,
    Server,
    make_project,
    reset_data_folder,
    shut_down_lab_kernels,
    start_servers,
)

ROOT = Path(__file__).resolve().parents[2]
SHOTS = Path(__file__).resolve().parent / "screenshots"
VIEWPORT = {"width": 1000, "height": 800}
TIMEOUT_MS = 45_000  # a kernel start + run-all on a 2-core machine shared with other work stays under this


def _missing(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must run the browser tests (.ci/run installs Debian's chromium).")
    pytest.skip(reason)


# -- servers ----------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def project(tmp_path_factory) -> dict[str, Path]:
    """A temporary copy of notebooks/ and the item bank, data folders, and a demo workshop."""
    return make_project(tmp_path_factory.mktemp("browser"))


@pytest.fixture(scope="session")
def servers(project):
    """Start JupyterLab and Voilà side by side (they boot in parallel), stop both at the end."""
    _check_tools()
    started = start_servers(project)
    _running.update(started)
    try:
        yield started
    finally:
        _running.clear()
        for server in started.values():
            server.stop()


# The session's servers once started (a test may start them itself, through ``request.getfixturevalue``).
_running: dict[str, Server] = {}


@pytest.fixture(autouse=True, scope="module")
def empty_data_folders(project):
    """Each test file starts with empty data folders: no participant, answer or note of another file's tests."""
    for home in (project["home_lab"], project["home_voila"]):
        reset_data_folder(home, everything=True)
    yield


@pytest.fixture(autouse=True)
def known_state(project):
    """Each test starts as a first visitor would, whatever the test before it left behind (also when it failed
    half-way, e.g. with a page signed in): JupyterLab's kernels shut down (a kernel remembers who signed in on
    its page, and Lab gives a page the kernel its notebook had), nobody remembered on this computer and no
    shared-device setting (``current.json``, ``device.json``) in either data folder. Voilà starts a kernel per
    page (or hands out one that read nothing before it was asked: ``reconnect.apps.preheat``), so its pages start
    fresh by themselves."""
    if "lab" in _running:
        shut_down_lab_kernels(_running["lab"])
    for home in (project["home_lab"], project["home_voila"]):
        reset_data_folder(home)
    yield


@pytest.fixture(scope="session")
def lab(servers) -> Server:
    return servers["lab"]


@pytest.fixture(scope="session")
def voila(servers) -> Server:
    return servers["voila"]


# -- browser ----------------------------------------------------------------------------------
def _check_tools() -> None:
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)):
        _missing(f"no Chromium at {CHROMIUM} (apt-get install chromium, or set $CHROMIUM)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _missing("Playwright for Python is not installed (pip install -e '.[test]')")


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session."""
    _check_tools()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def _is_local(url: str) -> bool:
    return url.startswith(("data:", "blob:")) or urlparse(url).hostname in (None, "127.0.0.1")


@pytest.fixture
def context(browser):
    """A fresh browser profile per test (own storage), that can reach nothing but 127.0.0.1.

    Every request to anywhere else is aborted and recorded; the test fails at its end if there was one
    (the privacy promise: nothing leaves the computer, not even a font from a CDN).
    """
    ctx = browser.new_context(viewport=VIEWPORT)
    ctx.set_default_timeout(TIMEOUT_MS)
    outside: list[str] = []

    def only_loopback(route) -> None:
        if _is_local(route.request.url):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    ctx.route("**/*", only_loopback)
    ctx.outside_requests = outside
    yield ctx
    ctx.close()
    assert not outside, f"the pages asked another computer for: {sorted(set(outside))}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.rc_failed = report.failed
    return report


@pytest.fixture
def page(context, request):
    """A fresh tab; when the test fails, what it showed is saved as ``screenshots/<test>-FAILED.png``."""
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    tab = context.new_page()
    yield tab
    if getattr(request.node, "rc_failed", False):
        SHOTS.mkdir(exist_ok=True)
        for n, open_tab in enumerate(context.pages):
            try:
                open_tab.screenshot(path=str(SHOTS / f"{request.node.name}-FAILED-{n}.png"))
            except Exception:  # noqa: BLE001 - a dead tab must not hide the real failure
                pass


@pytest.fixture
def shot(request):
    """``shot(page, "step")`` saves ``screenshots/<test name>-<nn>-<step>.png`` and returns its path."""
    SHOTS.mkdir(exist_ok=True)
    name = request.node.name.replace("[", "-").replace("]", "")
    for old in SHOTS.glob(f"{name}-*.png"):
        old.unlink()
    count = [0]

    def take(page, step: str, **kwargs) -> Path:
        count[0] += 1
        path = SHOTS / f"{name}-{count[0]:02d}-{step}.png"
        page.screenshot(path=str(path), **kwargs)
        return path

    return take
