"""Helpers the browser tests share: open a notebook in JupyterLab or Voilà, run it, read files.

Imported by the tests as ``from browser_helpers import ...`` (pytest puts this folder on the path).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from reconnect.apps.servers import (
    LAB_SETTINGS,
    app_settings_dir,
    lab_speed_args,
    sign_notebooks,
    voila_args,
    voila_speed_args,
)

ROOT = Path(__file__).resolve().parents[2]
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
LAB_OVERRIDES = {
    **LAB_SETTINGS,  # the product's own (widget messages to the kernel's main thread)
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
    "@jupyterlab/docmanager-extension:plugin": {"autosave": False},
}


@dataclass
class Server:
    """A running JupyterLab or Voilà server over the temporary project copy."""

    kind: str
    url: str
    home: Path
    process: subprocess.Popen
    log: Path
    token: str = ""
    extra: dict = field(default_factory=dict)

    def stop(self) -> None:
        """SIGTERM to the server's own process group (its kernels too), SIGKILL if it lingers."""
        if self.process.poll() is not None:
            return
        for sig, wait in ((signal.SIGTERM, 8), (signal.SIGKILL, 5)):
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                return
            try:
                self.process.wait(wait)
                return
            except subprocess.TimeoutExpired:
                continue


# The notebook tab in front; the series' JupyterLab extension marks it "done" once its cells ran on open.
CURRENT_PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
AUTORUN_DONE = CURRENT_PANEL + '[data-reconnect-autorun="done"]'


def open_lab(page, lab: Server, notebook: str) -> None:
    """Open a notebook in JupyterLab (forgetting any remembered layout) and wait until it came alive.

    Nothing is clicked: the series' extension runs the cells once the kernel is ready.
    """
    from playwright.sync_api import expect

    page.goto(f"{lab.url}/lab/tree/{notebook}?reset&token={lab.token}")
    expect(page.locator(CURRENT_PANEL + " .jp-Notebook")).to_be_visible()
    wait_alive(page)
    wait_drawn(page, notebook)


def wait_drawn(page, notebook: str | None = None) -> None:
    """07: wait until the dashboard has read the room and drawn every chart (they follow the page in turns).

    Other pages have no dashboard, and this returns at once.
    """
    from playwright.sync_api import expect

    if notebook is not None and Path(notebook).name.startswith("07"):
        expect(page.locator(".rc-dashboard")).to_have_count(1, timeout=60_000)
    expect(page.locator(".rc-dashboard.rc-drawing")).to_have_count(0, timeout=60_000)


def wait_alive(page) -> None:
    """Wait until the notebook in front ran on open (extension) and its kernel is idle again."""
    from playwright.sync_api import expect

    expect(page.locator(AUTORUN_DONE)).to_have_count(1)
    wait_idle(page)


def wait_idle(page) -> None:
    from playwright.sync_api import expect

    expect(page.locator("#jp-main-statusbar")).to_contain_text("| Idle")


def menu(page, top: str, item: str) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text=top).first.click()
    page.locator(".lm-Menu-itemLabel", has_text=item).first.click()


def run_all(page) -> None:
    """Run → Run All Cells, then wait until the kernel is idle again."""
    menu(page, "Run", "Run All Cells")
    page.wait_for_timeout(300)  # let the status bar leave "Idle" before waiting for it
    wait_idle(page)


def restart_and_run_all(page) -> None:
    """Kernel → Restart Kernel and Run All Cells…, confirm, and wait until the old views are gone."""
    old = page.locator(".rc-choice-group, .rc-who, .rc-msg")
    handle = old.first.element_handle() if old.count() else None
    menu(page, "Kernel", "Restart Kernel and Run All Cells")
    page.locator(".jp-Dialog .jp-mod-accept").click()
    if handle is not None:
        page.wait_for_function("el => !el.isConnected", arg=handle)
    page.wait_for_timeout(300)
    wait_idle(page)


def open_voila(page, voila: Server, notebook: str | None) -> None:
    """Open a notebook in app mode (``None``: the page already navigated) and wait for its widgets."""
    if notebook is not None:
        page.goto(f"{voila.url}/voila/render/{notebook}", timeout=60_000)  # Voilà runs it first
    page.wait_for_function(
        "document.querySelectorAll('.jupyter-widgets').length > 0"
        " && !document.body.innerText.includes('Loading widget')",
        timeout=60_000,
    )
    wait_drawn(page, notebook)


def collapse_sidebar(page) -> None:
    """Close JupyterLab's file browser so the notebook gets the width (as in the README pictures)."""
    from playwright.sync_api import expect

    tab = page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current")
    if tab.count():
        tab.first.click()
        expect(page.locator("#jp-left-stack")).to_be_hidden()


def choose_with_keyboard(page, ratings: list[int], *, start: int = 0) -> None:
    """Answer statement 1, 2, ... with ``ratings`` (1 = first answer) using only Tab, arrows and Space.

    The first answer of statement ``start + 1`` gets the focus as a starting point (where a person clicks or
    tabs in); from there everything is keys: Tab moves to the next statement, ArrowRight moves to
    the next answer and chooses it, Space chooses the answer that has the focus.
    """
    record_keys(page)
    page.locator(".rc-choice-group").nth(start).locator("input").first.focus()
    for n, rating in enumerate(ratings):
        if n:
            page.keyboard.press("Tab")
        if rating == 1:
            page.keyboard.press("Space")
        for _ in range(rating - 1):
            page.keyboard.press("ArrowRight")
    settled(page)


def route_kernel_messages(page, *, to_kernel=None, to_page=None) -> None:
    """Pass the page's kernel websockets through Python (Playwright's ``route_web_socket``):
    ``to_kernel(message, data, send)`` / ``to_page(message, data, send)`` get each message, its bytes and
    the function that sends it on, and may send it, drop it, or keep it for later; ``None`` passes everything
    that way."""
    import re

    def through(route, send):
        if route is None:
            return send
        return lambda message: route(message, message if isinstance(message, bytes) else message.encode(), send)

    def handler(ws):
        server = ws.connect_to_server()
        ws.on_message(through(to_kernel, server.send))
        server.on_message(through(to_page, ws.send))

    page.route_web_socket(re.compile(r"/api/kernels/[^/]+/channels"), handler)


def filter_kernel_messages(page, *, to_kernel=None, to_page=None) -> None:
    """Put a filter on the page's kernel websockets, as a lossy network or a reconnecting page would:
    ``to_kernel(data)`` / ``to_page(data)`` get each message's bytes and return False to drop it; ``None``
    passes everything that way."""

    def passing(keep):
        if keep is None:
            return None

        def route(message, data, send):
            if keep(data):
                send(message)

        return route

    route_kernel_messages(page, to_kernel=passing(to_kernel), to_page=passing(to_page))


def settled(page) -> None:
    """Wait until the kernel has taken every choice made on the page (no group is ``data-pending``)."""
    page.wait_for_function("document.querySelectorAll('.rc-choice-group[data-pending]').length === 0")


# What the page did with each key: which element had the focus, where the focus went, which answer
# changed, and whether a form was taken off the page; and what the page and its kernel said about answers:
# each choice sent, each update received (value and the number of the choice it acknowledges), an answer
# drawn from such an update. Kept in the page; a failing test prints it, so a lost key press says where it
# went.
_RECORD_KEYS = r"""() => {
  if (window.__rcKeys) return;
  const log = (window.__rcKeys = []);
  const t0 = performance.now();
  const groups = () => [...document.querySelectorAll('.rc-choice-group')];
  const name = e => {
    if (!e || !e.tagName) return String(e);
    const group = e.closest && e.closest('.rc-choice-group');
    const where = group ? ` statement ${groups().indexOf(group) + 1}` : '';
    return `${e.tagName.toLowerCase()}.${String(e.className || '').slice(0, 40)}[${e.value || ''}]${where}`;
  };
  const add = (...what) => log.push(`${Math.round(performance.now() - t0)} ms ${what.join(' ')}`);
  document.addEventListener('keydown', e => add('key', e.key, 'on', name(document.activeElement)), true);
  document.addEventListener('focusout', e => add('focus left', name(e.target), 'for', name(e.relatedTarget)), true);
  document.addEventListener('change', e => add('changed', name(e.target)), true);
  new MutationObserver(records => {
    for (const r of records) for (const n of r.removedNodes)
      if (n.querySelector && (n.matches?.('.rc-choice-group') || n.querySelector('.rc-choice-group'))) add('a form left the page');
  }).observe(document.body, { subtree: true, childList: true });
  // an answer checked by the page's code (a state from the kernel drawn), not by a key or a click
  const checked = Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'checked');
  Object.defineProperty(HTMLInputElement.prototype, 'checked', {
    configurable: true,
    get() { return checked.get.call(this); },
    set(v) {
      if (v && this.type === 'radio' && !checked.get.call(this) && this.closest('.rc-choice-group')) add('drawn', name(this));
      checked.set.call(this, v);
    },
  });
  // the kernel messages about answers: a choice sent (comm, answer, number), an update received, a snapshot
  const text = d => typeof d === 'string' ? d : new TextDecoder().decode(d instanceof ArrayBuffer ? new Uint8Array(d) : d);
  const comm = s => (s.match(/"comm_id":\s*"(\w{6})/) || [])[1] || '?';
  const num = (s, key) => { const m = s.match(new RegExp('"' + key + '":[ ]*(null|[0-9]+)')); return m ? m[1] : '?'; };
  const short = n => n === undefined || n === null || n === 'null' ? n : String(n).slice(-6);
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (d) {
    try {
      const s = text(d);
      if (s.includes('"msg_type":"comm_msg"') && !/"subshell_id":\s*null/.test(s)) add('sent over a kernel subshell', comm(s));
      if (s.includes('"choose"')) add('sent', comm(s), 'choose', num(s, 'choose'), 'seq', short(num(s, 'seq')));
      else if (s.includes('"resync"')) add('sent', comm(s), 'resync');
      else if (s.includes('request_states')) add('sent request_states');
    } catch (e) { /* a log only */ }
    return send.call(this, d);
  };
  const data = Object.getOwnPropertyDescriptor(MessageEvent.prototype, 'data');
  const seen = new WeakSet();
  Object.defineProperty(MessageEvent.prototype, 'data', {
    configurable: true,
    get() {
      const d = data.get.call(this);
      if (this.target instanceof WebSocket && !seen.has(this)) {
        seen.add(this);
        try {
          const s = text(d);
          if (s.includes('"update_states"')) add('received a snapshot of every state');
          else if (/"method":\s*"update"/.test(s) && s.includes('"ack"'))
            add('received', comm(s), 'value', num(s, 'value'), 'ack', short(num(s, 'ack')));
        } catch (e) { /* a log only */ }
      }
      return d;
    },
  });
}"""


def record_keys(page) -> None:
    """Start keeping the page's key log (see :func:`keys_log`); once per page, from then on."""
    page.evaluate(_RECORD_KEYS)


def keys_log(page) -> str:
    """The page's key log since :func:`record_keys`, a line per event (for a failing test's message)."""
    return "\n".join(page.evaluate("window.__rcKeys || ['(no key log on this page)']"))


def expect_chosen(page, labels: list[str | None]) -> None:
    """Assert the page's checked answers are ``labels``; a failure prints where each key press went."""
    got = chosen_labels(page, len(labels))
    assert got == labels, f"chosen {got}, wanted {labels}; the page's keys:\n{keys_log(page)}"


def chosen_labels(page, count: int) -> list[str | None]:
    """The label of the checked answer of each of the ``count`` statements on the page (``None`` if open).

    Waits until exactly ``count`` rating groups are drawn and none is waiting for the kernel.
    """
    from playwright.sync_api import expect

    expect(page.locator(".rc-choice-group")).to_have_count(count)
    expect(page.locator(".rc-choice-group .rc-option")).not_to_have_count(0)
    settled(page)
    return page.evaluate(
        """[...document.querySelectorAll('.rc-choice-group')].map(g => {
             const i = g.querySelector('input:checked');
             return i ? i.parentElement.textContent.trim() : null; })"""
    )


def read_ratings(path: Path) -> tuple[str, dict[str, int | None]]:
    """(participant, {statement: rating}) of one submission file, read as plain CSV."""
    import csv

    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    participants = {r["participant"] for r in rows}
    assert len(participants) == 1, participants
    return participants.pop(), {r["item"]: (int(r["rating"]) if r["rating"] else None) for r in rows}


def submission_files(home: Path) -> list[Path]:
    folder = home / "submissions"
    return sorted(folder.rglob("sub-*.csv")) if folder.is_dir() else []  # submissions/<code>/sub-*.csv


def new_participant(home: Path, **fields) -> str:
    """Make a fresh participant in ``home`` and remember them on this (personal) computer, as 00 Start here
    does with "Remember me" ticked, so every page the server opens answers as them; return the code."""
    from reconnect.records import participant as pt

    return pt.start_new(home, remember=True, **fields).code


def shut_down_lab_kernels(lab: Server) -> None:
    """Shut down every notebook session (and its kernel) of the JupyterLab server, and wait until none is left."""
    headers = {"Authorization": f"token {lab.token}"}

    def call(path: str, method: str = "GET"):
        req = urllib.request.Request(lab.url + path, headers=headers, method=method)
        with urllib.request.urlopen(req, timeout=30) as resp:
            body = resp.read()
        return json.loads(body) if body else None

    for session in call("/api/sessions"):
        call(f"/api/sessions/{session['id']}", "DELETE")
    for kernel in call("/api/kernels"):  # a kernel started without a session (none expected), too
        call(f"/api/kernels/{kernel['id']}", "DELETE")
    deadline = time.monotonic() + 30
    while call("/api/kernels") and time.monotonic() < deadline:
        time.sleep(0.2)


def reset_data_folder(home: Path, *, everything: bool = False) -> None:
    """Nobody remembered on this computer and no shared-device setting in data folder ``home``; with
    ``everything``, nothing at all left in it (participants, answers, notes, reports). The folder stays (the
    servers' kernels are told its path)."""
    home.mkdir(parents=True, exist_ok=True)
    names = [p.name for p in home.iterdir()] if everything else ["current.json", "device.json"]
    for name in names:
        path = home / name
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            path.unlink()


def server_env(project: dict[str, Path], home: Path, jupyter: Path) -> dict:
    """The environment of a test server and its kernels: its own data folder and Jupyter folders."""
    env = dict(os.environ)
    env.update(
        RECONNECT_HOME=str(home),
        RECONNECT_DEMO=str(project["demo"]),
        RECONNECT_ITEM_BANK=str(project["bank"]),
        JUPYTER_CONFIG_DIR=str(jupyter / "config"),
        JUPYTER_DATA_DIR=str(jupyter / "data"),
        JUPYTER_RUNTIME_DIR=str(jupyter / "runtime"),
        MPLBACKEND="module://matplotlib_inline.backend_inline",
        PYTHONUNBUFFERED="1",
    )
    env.pop("JUPYTER_PLATFORM_DIRS", None)
    return env


# -- servers (the browser tests' session fixtures and `make bench`'s browser part both start them here) ---
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_process(cmd: list[str], *, cwd: Path, env: dict, log: Path) -> subprocess.Popen:
    """Start a server in its own process group (so :meth:`Server.stop` stops its kernels too)."""
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


def wait_ready(server: Server, path: str, headers: dict, deadline: float) -> None:
    """Wait until ``server.url + path`` answers 200; raise with the end of the server's log otherwise."""
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


def lab_settings(folder: Path) -> Path:
    """A JupyterLab settings folder for a test server: no news or update questions, no autosave."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "overrides.json").write_text(json.dumps(LAB_OVERRIDES))
    return folder


def lab_command(project: dict[str, Path], *, port: int, token: str, settings: Path) -> list[str]:
    """The JupyterLab command line of the test servers (settings overrides in ``settings``)."""
    return [
        str(Path(sys.executable).parent / "jupyter"),
        "lab",
        "--allow-root",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={project['notebooks']}",
        f"--LabApp.app_settings_dir={settings}",
        "--MappingKernelManager.cull_idle_timeout=600",
        *lab_speed_args("en"),  # the product's own: a kernel kept ready for the series' next page (make lab)
    ]


def make_project(base: Path) -> dict[str, Path]:
    """A copy of notebooks/ and the item bank under ``base``, data folders, and a demo workshop."""
    from reconnect.apps.demo import write_demo
    from reconnect.bank.content import load_item_bank

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


def start_servers(project: dict[str, Path], timeout: float = 60) -> dict[str, Server]:
    """Start JupyterLab and Voilà (as `make app` runs it) over ``project``'s notebooks, side by side.

    Returns ``{"lab": ..., "voila": ...}`` once both answer; the caller stops them (``Server.stop``).
    """
    bin_dir = Path(sys.executable).parent
    base = project["base"]
    started: list[Server] = []
    try:
        # JupyterLab
        jl = base / "jupyter-lab"
        settings = lab_settings(jl / "lab-settings")
        token = os.urandom(12).hex()
        port = free_port()
        lab_cmd = lab_command(project, port=port, token=token, settings=settings)
        lab = Server(
            "JupyterLab",
            f"http://127.0.0.1:{port}",
            project["home_lab"],
            start_process(
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
        vport = free_port()
        voila_cmd = [
            str(bin_dir / "voila"),
            str(project["notebooks"]),
            "--template=reconnect",
            "--no-browser",
            f"--port={vport}",
            "--Voila.ip=127.0.0.1",
            "--MappingKernelManager.cull_idle_timeout=60",
            "--MappingKernelManager.cull_interval=20",
            *voila_args("en"),  # the product's own settings for app mode (servers.app_settings)
            *voila_speed_args("en", root=project["notebooks"]),  # make app's: pages kept ready ahead
        ]
        sign_notebooks(project["notebooks"], app_settings_dir("en"))  # as `make app` does
        voila = Server(
            "Voilà",
            f"http://127.0.0.1:{vport}",
            project["home_voila"],
            start_process(
                voila_cmd,
                cwd=project["notebooks"],
                env=server_env(project, project["home_voila"], base / "jupyter-voila"),
                log=base / "voila.log",
            ),
            base / "voila.log",
            extra={"notebooks": project["notebooks"]},
        )
        started.append(voila)
        deadline = time.monotonic() + timeout
        wait_ready(lab, "/api/status", {"Authorization": f"token {token}"}, deadline)
        wait_ready(voila, "/voila/static/voila.js", {}, deadline)
    except BaseException:
        for server in started:
            server.stop()
        raise
    return {"lab": lab, "voila": voila}
