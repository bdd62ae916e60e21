"""Real-browser tests: one JupyterLab and one Voilà server per session, one Chromium, many pages.

Layout of what the session fixtures build (all under a temporary folder, never the source tree):

    <tmp>/project/notebooks/        a copy of notebooks/ (both servers serve it)
    <tmp>/project/data/item_bank.yaml
    <tmp>/home-lab/                 RECONNECT_HOME of the JupyterLab server and its kernels
    <tmp>/home-voila/               RECONNECT_HOME of the Voilà server and its kernels
    <tmp>/demo/                     RECONNECT_DEMO: the synthetic demo workshop (facilitator views)
    <tmp>/jupyter/...               JUPYTER_CONFIG_DIR, DATA_DIR, RUNTIME_DIR, Lab settings overrides

Tests use the fixtures ``lab`` / ``voila`` (a :class:`Server`), ``page`` (a fresh browser tab that
cannot reach anything but 127.0.0.1) and ``shot`` (screenshots into ``tests/browser/screenshots/``),
plus the helpers below (``open_lab``, ``run_all``, ``restart_and_run_all``, ``open_voila``, ...).
A facilitator journey needs no new fixture: open 07 with ``open_lab`` / ``open_voila``.

Without Chromium (``/usr/bin/chromium`` or ``$CHROMIUM``) or Playwright the tests are skipped with
the reason; when the environment variable ``CI`` is set they fail instead, because CI must run them.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest
from browser_helpers import Server, server_env

ROOT = Path(__file__).resolve().parents[2]
SHOTS = Path(__file__).resolve().parent / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1000, "height": 800}
LAB_OVERRIDES = {
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/docmanager-extension:plugin": {"autosave": False},
}
TIMEOUT_MS = 45_000  # a kernel start + run-all on a 2-core machine shared with other work stays under this


def _missing(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must run the browser tests (.ci/run installs Debian's chromium).")
    pytest.skip(reason)


# -- servers ----------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _start(cmd: list[str], *, cwd: Path, env: dict, log: Path) -> subprocess.Popen:
    with open(log, "wb") as out:
        return subprocess.Popen(
            cmd,
            cwd=cwd,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )


def _wait_ready(server: Server, path: str, headers: dict, deadline: float) -> None:
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            break
        try:
            req = urllib.request.Request(server.url + path, headers=headers)
            with urllib.request.urlopen(req, timeout=2) as resp:
                if resp.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    tail = server.log.read_text(errors="replace")[-3000:]
    raise RuntimeError(f"the {server.kind} server did not start; its log ends with:\n{tail}")


@pytest.fixture(scope="session")
def project(tmp_path_factory) -> dict[str, Path]:
    """A temporary copy of notebooks/ and the item bank, data folders, and a demo workshop."""
    from reconnect.content import load_item_bank
    from reconnect.demo import write_demo

    base = tmp_path_factory.mktemp("browser")
    root = base / "project"
    shutil.copytree(ROOT / "notebooks", root / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    (root / "data").mkdir()
    shutil.copy2(ROOT / "data" / "item_bank.yaml", root / "data" / "item_bank.yaml")
    for translated in (ROOT / "data").glob("item_bank.*.yaml"):  # other languages' banks, beside it
        shutil.copy2(translated, root / "data" / translated.name)
    paths = {
        "base": base,
        "root": root,
        "notebooks": root / "notebooks",
        "bank": root / "data" / "item_bank.yaml",
        "home_lab": base / "home-lab",
        "home_voila": base / "home-voila",
        "demo": base / "demo",
    }
    write_demo(paths["demo"], bank=load_item_bank(paths["bank"]), sync=False)
    return paths


@pytest.fixture(scope="session")
def servers(project):
    """Start JupyterLab and Voilà side by side (they boot in parallel), stop both at the end."""
    _check_tools()
    bin_dir = Path(sys.executable).parent
    base = project["base"]
    started: list[Server] = []
    try:
        # JupyterLab
        jl = base / "jupyter-lab"
        settings = jl / "lab-settings"
        settings.mkdir(parents=True)
        (settings / "overrides.json").write_text(json.dumps(LAB_OVERRIDES))
        token = os.urandom(12).hex()
        port = _free_port()
        lab_cmd = [
            str(bin_dir / "jupyter"),
            "lab",
            "--allow-root",
            "--no-browser",
            "--ip=127.0.0.1",
            f"--port={port}",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={project['notebooks']}",
            f"--LabApp.app_settings_dir={settings}",
            "--MappingKernelManager.cull_idle_timeout=600",
        ]
        lab = Server(
            "JupyterLab",
            f"http://127.0.0.1:{port}",
            project["home_lab"],
            _start(
                lab_cmd,
                cwd=project["notebooks"],
                env=server_env(project, project["home_lab"], jl),
                log=base / "lab.log",
            ),
            base / "lab.log",
            token=token,
            extra={"notebooks": project["notebooks"]},
        )
        started.append(lab)
        # Voilà over the whole notebooks folder, as `make app` runs it
        vport = _free_port()
        voila_cmd = [
            str(bin_dir / "voila"),
            str(project["notebooks"]),
            "--template=reconnect",
            "--no-browser",
            f"--port={vport}",
            "--Voila.ip=127.0.0.1",
            "--MappingKernelManager.cull_idle_timeout=60",
            "--MappingKernelManager.cull_interval=20",
        ]
        voila = Server(
            "Voilà",
            f"http://127.0.0.1:{vport}",
            project["home_voila"],
            _start(
                voila_cmd,
                cwd=project["notebooks"],
                env=server_env(project, project["home_voila"], base / "jupyter-voila"),
                log=base / "voila.log",
            ),
            base / "voila.log",
            extra={"notebooks": project["notebooks"]},
        )
        started.append(voila)
        deadline = time.monotonic() + 60
        _wait_ready(lab, "/api/status", {"Authorization": f"token {token}"}, deadline)
        _wait_ready(voila, "/voila/static/voila.js", {}, deadline)
        yield {"lab": lab, "voila": voila}
    finally:
        for server in started:
            server.stop()


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
