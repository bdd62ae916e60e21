"""What a person waits for: from opening a page in the browser to its widgets answering a click.

Part of ``make bench`` (``python benchmarks/bench.py browser``); runs when Chromium and Playwright are
there (as the browser tests need them), and says why it was skipped otherwise.

For each series notebook, in JupyterLab (the series' extension runs its cells on open) and in app mode
(Voilà, template ``reconnect``, with ``make app``'s speed settings: preheated pages), with a participant
signed in and remembered so the personal views show: the clock starts when the browser is told to open
the page and stops when a control's kernel-side handler has changed what the page shows (a chosen answer
counted in "1 of 6 answered", "Settings saved", the demo participant's profile chart drawn, 07's room
switched to presentation mode by its kernel: larger type, and charts that grow without being drawn again).

The floor is a **bare page**: one ipywidgets button whose click changes a text, no other import. In app
mode it is served **cold, by a plain Voilà with no settings** (its own process: no template, no
preheating; the kernel start is part of its time), which is what a page costs when nothing is prepared.
In JupyterLab it is the same page opened the same way in the same JupyterLab (Lab's own start is the floor
there). Each notebook's loads alternate with the floor's. A second, labelled reference is the page of
earlier issues: it imports pandas, matplotlib and ipywidgets and shows the same button (cold on the
product's own servers, not preheated), measured once per round.

The pages are loaded round by round (every notebook once, then again), so two loads of one page are
apart as when people move from page to page. Each load starts once the machine has come to rest from the
last one (:func:`wait_settled`: a ready page's replacement started, a kernel shut down), as it has for a
person who spent minutes on a page; many people at once is the room's benchmark (``bench.py room``). The
load average (1 minute) before the bench starts its servers, and before and after each notebook's loads,
is printed beside its figure; a figure is marked as from a busy machine when the machine did not come to
rest (:func:`wait_settled`) before the bench started its servers, or before one of its loads.

A third reference in app mode is the bare page *kept ready* by a plain Voilà (its own preheating): no
kernel is started when it is opened, so it is the least any Voilà page can cost in the browser.

For 07 it also measures the time from the page being ready (its controls on screen: a person can use
it) to its first chart image drawn, and notes the time from its first words.

The servers are started by the browser tests' own code (``tests/browser/browser_helpers.py``).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
HELPERS = ROOT / "tests" / "browser"
# In a folder of their own: the start page lists the folder's notebooks only, and make app's preheating
# keeps only the series' own pages ready (servers.voila_speed_args), so these stay cold.
FLOOR = "bench-floor/bare.ipynb"  # the floor: one button, no other import
IMPORTS = "bench-floor/floor.ipynb"  # the second reference: earlier issues' floor (pandas, matplotlib too)
BARE = "bare.ipynb"  # the floor in app mode, on a plain Voilà of its own
TARGET = {"app": 0.5, "lab": 1.1}  # each notebook <= 0.5x the cold bare page in app mode, <= 1.1x in Lab
QUIET_TARGET = 1.2  # app mode, seconds (median): judged on a quiet machine only
CHART_TARGET = 1.0  # 07: first chart on screen <= 1 s after the page is ready (its controls shown)
REST_BEFORE_S = 90  # before starting its servers the bench waits at most this long for the machine to rest
SETTLE_IDLE = 0.15  # a load starts once the CPUs were busy less than this share of half a second ...
SETTLE_MAX_S = 20  # ... or after this long (then the machine did not come to rest: marked busy)
TIMEOUT_MS = 120_000
PREPARE_TIMEOUT_S = 600  # at most this long for make app's preheated pages to be ready before measuring
SETTLE_S = 10  # after the last ready page's kernel started: time for it to run up to its wait for a visitor

BARE_CODE = """\
import ipywidgets as w
button = w.Button(description="Click me")
answer = w.HTML("Not clicked yet")
button.on_click(lambda _b: setattr(answer, "value", "Clicked"))
w.VBox([button, answer])"""
FLOOR_CODE = "import pandas, matplotlib.pyplot\n" + BARE_CODE


@dataclass(frozen=True)
class Probe:
    """How to make one page answer a click: what to click, and what shows that the kernel answered."""

    click: str  # a Playwright selector
    answered: str  # a selector that becomes visible once the kernel's handler ran


PROBES = {
    "floor": Probe("button.jupyter-button:has-text('Click me')", ".widget-html:has-text('Clicked')"),
    "00": Probe("button.jupyter-button:has-text('Save my settings')", ".rc-ok:has-text('Settings saved')"),
    "area": Probe(
        ".rc-choice-group >> nth=0 >> .rc-option >> nth=1", ".rc-progress:has-text('1 of ')"
    ),  # a fresh participant: "0 of 6 answered" becomes "1 of 6 answered"
    "06": Probe(".rc-switch-option:has-text('A demo participant')", ".widget-dropdown:has-text('Demo participant')"),
    "07": Probe("button.jupyter-button:has-text('Presentation mode')", ".rc-dashboard.rc-present"),
}


def probe_for(notebook: str) -> Probe:
    key = Path(notebook).name.split("_", 1)[0]
    return PROBES.get(key, PROBES["area"]) if key[:1].isdigit() else PROBES["floor"]


def _notebook(title: str, code: str, *, series: bool):
    import nbformat

    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_markdown_cell(f"# {title}\n\nOne button."), nbformat.v4.new_code_cell(code)]
    )
    if series:  # so JupyterLab's extension runs it on open, as it runs the series' pages
        nb.metadata["reconnect"] = {"series": True}
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


def write_floor(notebooks: Path) -> Path:
    """The bare page and the imports-only page beside the series (for JupyterLab and the product's Voilà)."""
    import nbformat

    (notebooks / FLOOR).parent.mkdir(exist_ok=True)
    nbformat.write(_notebook("The floor", BARE_CODE, series=True), notebooks / FLOOR)
    nbformat.write(_notebook("Imports only", FLOOR_CODE, series=True), notebooks / IMPORTS)
    return notebooks / FLOOR


def start_plain_voila(base: Path, timeout: float = 60, *, ready: bool = False):
    """A plain Voilà (no template, no settings: only a port on 127.0.0.1) serving the bare page alone.

    ``ready``: the same, with Voilà's own preheating (one kernel kept ready, the page run in it ahead): the
    least any Voilà page can cost, since nothing is started when it is opened (a reference, not the floor).
    """
    import nbformat

    sys.path.insert(0, str(HELPERS))
    import browser_helpers as bh

    name = "plain-voila-ready" if ready else "plain-voila"
    folder = base / name
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(_notebook("A bare page", BARE_CODE, series=False), folder / BARE)
    port = bh.free_port()
    env = bh.server_env({"demo": base, "bank": base}, base / f"home-{name}", base / f"jupyter-{name}")
    cmd = [str(Path(sys.executable).parent / "voila"), str(folder), "--no-browser", f"--port={port}"]
    if ready:
        cmd += ["--VoilaConfiguration.preheat_kernel=True", "--VoilaConfiguration.default_pool_size=1"]
    server = bh.Server(
        "plain Voilà" + (", page kept ready" if ready else ""),
        f"http://127.0.0.1:{port}",
        base / f"home-{name}",
        bh.start_process(cmd, cwd=folder, env=env, log=base / f"{name}.log"),
        base / f"{name}.log",
    )
    try:
        bh.wait_ready(server, "/voila/static/voila.js", {}, time.monotonic() + timeout)
    except BaseException:
        server.stop()
        raise
    return server


def wait_ready_pages(voila, count: int) -> None:
    """Wait until Voilà's log says ``count`` pages are kept ready (``make app``'s preheated kernels)."""
    deadline = time.monotonic() + PREPARE_TIMEOUT_S
    while voila.log.read_text(errors="replace").count("is filled with") < count:
        if time.monotonic() > deadline:
            print(f"browser: {count} ready pages not there after {PREPARE_TIMEOUT_S} s", file=sys.stderr)
            return
        time.sleep(0.5)
    time.sleep(SETTLE_S)


@dataclass
class Wait:
    """One page load, in seconds from opening it: its first words on screen, its control on screen (the
    page is ready: a person can use it), the click answered; and (07) its first and its last chart drawn."""

    words: float
    control: float
    answered: float
    first_chart: float | None = None
    every_chart: float | None = None


def _shut_down_lab_sessions(page, lab) -> None:
    headers = {"Authorization": f"token {lab.token}"}
    for session in json.loads(page.request.get(f"{lab.url}/api/sessions", headers=headers).text() or "[]"):
        page.request.delete(f"{lab.url}/api/sessions/{session['id']}", headers=headers)


def _page_url(server, notebook: str, mode: str) -> str:
    if mode == "lab":
        return f"{server.url}/lab/tree/{notebook}?reset&token={server.token}"
    return f"{server.url}/voila/render/{notebook}"


FIRST_WORDS = {"lab": ".jp-NotebookPanel .jp-RenderedMarkdown", "app": "#rendered_cells .jp-RenderedMarkdown"}
FIRST_CHART = ".jp-OutputArea-output img"
CHART_DRAWN = "img => img.complete && img.naturalWidth > 0"


def measure_once(context, server, notebook: str, mode: str, *, new_participant) -> Wait:
    """Open ``notebook`` in a fresh tab, click its control, wait for the answer; close the tab."""
    probe = probe_for(notebook)
    page = context.new_page()
    try:
        if mode == "lab":
            _shut_down_lab_sessions(page, server)  # a fresh kernel, as when a person opens the page
        new_participant(server.home)  # signed in and remembered: the personal views show
        t0 = time.perf_counter()
        page.goto(_page_url(server, notebook, mode), wait_until="commit", timeout=TIMEOUT_MS)
        page.locator(FIRST_WORDS[mode]).first.wait_for(state="visible", timeout=TIMEOUT_MS)
        words = time.perf_counter() - t0
        control = page.locator(probe.click).first
        control.wait_for(state="visible", timeout=TIMEOUT_MS)
        shown = time.perf_counter() - t0
        control.click(timeout=TIMEOUT_MS)  # as soon as it shows, as a person would
        page.locator(probe.answered).first.wait_for(state="visible", timeout=TIMEOUT_MS)
        answered = time.perf_counter() - t0
        first_chart = every_chart = None
        if Path(notebook).name.startswith("07"):
            page.locator(FIRST_CHART).first.wait_for(state="visible", timeout=TIMEOUT_MS)
            page.wait_for_function(f"({CHART_DRAWN})(document.querySelector('{FIRST_CHART}'))", timeout=TIMEOUT_MS)
            first_chart = time.perf_counter() - t0
            page.locator(".rc-dashboard.rc-drawing").wait_for(state="detached", timeout=TIMEOUT_MS)
            every_chart = time.perf_counter() - t0
        return Wait(words, shown, answered, first_chart, every_chart)
    finally:
        page.close()


#: Chromium resolves no host name: a page that asks for another computer gets nothing (and is counted).
OFFLINE_ARGS = ["--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"]
#: URLs of requests off 127.0.0.1 seen while measuring (reported: the product must make none).
outside: list[str] = []


def _loopback(url: str) -> bool:
    return url.startswith(("data:", "blob:")) or urlparse(url).hostname in (None, "127.0.0.1")


def load_average() -> float:
    """The machine's load average over the last minute (``nan`` where the system does not tell)."""
    try:
        return os.getloadavg()[0]
    except OSError:
        return float("nan")


def _cpu_busy_share(interval: float = 0.5) -> float | None:
    """The share of the machine's CPU time spent working over ``interval`` seconds (``None`` without /proc)."""
    try:
        with open("/proc/stat") as f:
            a = [int(x) for x in f.readline().split()[1:]]
        time.sleep(interval)
        with open("/proc/stat") as f:
            b = [int(x) for x in f.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    d = [y - x for x, y in zip(a, b)]
    idle = d[3] + (d[4] if len(d) > 4 else 0)
    return 1 - idle / max(1, sum(d))


def wait_settled(max_s: float = SETTLE_MAX_S) -> bool:
    """Wait until what the last load left running (a ready page's replacement, a kernel shutting down) is done.

    A person spends minutes on a page, so each load starts with the machine at rest, as theirs would.
    ``False`` when the machine did not come to rest within ``max_s`` (something else is running).
    """
    deadline = time.monotonic() + max_s
    while time.monotonic() < deadline:
        share = _cpu_busy_share()
        if share is None or share < SETTLE_IDLE:
            return True
    return False


@dataclass
class Result:
    """One notebook in one mode: its loads, the floor's loads beside them, the load averages seen."""

    ours: list[Wait]
    floor: list[Wait]
    imports: list[Wait]
    loads: list[float]
    ready: list[Wait] = field(default_factory=list)  # the bare page kept ready (app mode): Voilà's own least
    before: float = float("nan")  # the load average before the bench started its servers
    rested: bool = True  # whether the machine came to rest before the bench started its servers
    unsettled: int = 0  # loads that started before the machine came to rest (SETTLE_MAX_S passed)


def measure(
    browser,
    servers: dict,
    notebooks: list[str],
    *,
    repeat: int,
    new_participant,
    log=print,
    modes=("lab", "app"),
    before: float | None = None,
    rested: bool = True,
    settle=wait_settled,
):
    """Per (mode, notebook): a :class:`Result`; ours and the floor alternating, round by round.

    ``servers`` holds ``lab`` and ``voila`` (the product's, over notebooks that hold :func:`write_floor`'s
    pages), ``bare`` (:func:`start_plain_voila`) and optionally ``bare_ready`` (the same, kept ready: a
    reference measured once a round in app mode). Every load waits for ``settle`` first; ``before`` is the
    load average before the servers were started."""
    before = load_average() if before is None else before
    results: dict[tuple[str, str], Result] = {}
    for mode, server in (("lab", servers["lab"]), ("app", servers["voila"])):
        if mode not in modes:
            continue
        floor_server, floor_page = (server, FLOOR) if mode == "lab" else (servers["bare"], BARE)
        context = browser.new_context(viewport={"width": 1366, "height": 900})
        context.set_default_timeout(TIMEOUT_MS)
        # Nothing may leave the machine, as in the browser tests, but without routing every request through
        # Playwright (that costs each request a round trip to this process: about 0.9 s on a series page):
        # the browser cannot resolve any name (OFFLINE_ARGS), and any request off 127.0.0.1 is counted.
        context.on("request", lambda request: None if _loopback(request.url) else outside.append(request.url))

        unsettled = [0]

        def once(srv, notebook, context=context, mode=mode, unsettled=unsettled):
            if not settle():
                unsettled[0] += 1
            return measure_once(context, srv, notebook, mode, new_participant=new_participant)

        ready_server = servers.get("bare_ready") if mode == "app" else None
        try:
            once(floor_server, floor_page)  # warm-up: the page's code, the browser's cache
            if ready_server is not None:
                once(ready_server, BARE)
            for notebook in notebooks:
                results[(mode, notebook)] = Result([], [], [], [], before=before, rested=rested)
            for _ in range(repeat):
                imports = once(server, IMPORTS)  # the second reference, once a round
                ready = once(ready_server, BARE) if ready_server is not None else None
                for notebook in notebooks:
                    result = results[(mode, notebook)]
                    result.loads.append(load_average())
                    unsettled[0] = 0
                    result.ours.append(once(server, notebook))
                    result.floor.append(once(floor_server, floor_page))
                    result.unsettled += unsettled[0]
                    result.imports.append(imports)
                    if ready is not None:
                        result.ready.append(ready)
                    result.loads.append(load_average())
                    o, f = result.ours[-1], result.floor[-1]
                    log(f"  {mode} {notebook}: {o.answered:.2f}/{f.answered:.2f} s (load {result.loads[-1]:.1f})")
        finally:
            if mode == "lab":
                page = context.new_page()
                _shut_down_lab_sessions(page, server)
            context.close()
    return results


def busy(result: Result) -> bool:
    """Whether ``result`` came from a busy machine: not at rest before the bench began, or not between loads.

    At rest means the CPUs busy less than :data:`SETTLE_IDLE` of half a second (:func:`wait_settled`), which
    tells other work from the bench's own far better than the load average, whose last minute still holds
    whatever ran just before (such as the benchmarks ``make bench`` ran first)."""
    return not result.rested or result.unsettled > 0


def _load_note(result: Result) -> str:
    low, high = min(result.loads), max(result.loads)
    state = "BUSY machine" if busy(result) else "machine otherwise quiet"
    rest = "" if result.rested else ", not at rest before the bench"
    unsettled = f", {result.unsettled} load(s) started before it came to rest" if result.unsettled else ""
    return (
        f"{state}{rest}{unsettled}: load {result.before:.1f} before the bench; {low:.1f}-{high:.1f} while "
        "measuring (the bench's own servers and browser included)"
    )


def _ready_note(r: Result, ours: float) -> str:
    if not r.ready:
        return ""
    ready = statistics.median(w.answered for w in r.ready)
    return f"; the bare page kept ready by a plain Voilà (nothing started when opened): {ready:.2f} s ({ours / ready:.2f}x)"


def figures(results, Figure) -> list:
    """The results as bench.py's ``Figure`` rows: medians of the repeats, with the load averages."""
    rows = []
    where = {"lab": "JupyterLab", "app": "app mode"}
    floor_name = {"lab": "bare page in the same Lab", "app": "cold bare page, plain Voilà"}
    for (mode, notebook), r in results.items():
        first = len(rows)
        o = statistics.median(w.answered for w in r.ours)
        f = statistics.median(w.answered for w in r.floor)
        i = statistics.median(w.answered for w in r.imports)
        shown = statistics.median(w.control for w in r.ours)
        words = statistics.median(w.words for w in r.ours)
        f_shown = statistics.median(w.control for w in r.floor)
        f_words = statistics.median(w.words for w in r.floor)
        load = _load_note(r)
        rows.append(
            Figure(
                f"browser, {where[mode]}: {Path(notebook).stem} opened until a click is answered",
                o,
                f,
                f"<= {TARGET[mode]:g}x",
                o / f <= TARGET[mode],
                f"floor: {floor_name[mode]}; {load}; first words at {words:.1f} s, control at {shown:.1f} s "
                f"(floor: {f_words:.1f} s, {f_shown:.1f} s); imports-only page: {i:.2f} s ({o / i:.2f}x)"
                + _ready_note(r, o),
            )
        )
        if mode == "app":
            quiet = not busy(r)
            rows.append(
                Figure(
                    f"browser, app mode: {Path(notebook).stem} opened until a click is answered (median)",
                    o,
                    None,
                    f"<= {QUIET_TARGET:g} s quiet",
                    o <= QUIET_TARGET,
                    load + ("" if quiet else "; the target is for a quiet machine"),
                )
            )
        charts = [(w.first_chart - w.control, w.first_chart - w.words) for w in r.ours if w.first_chart is not None]
        if charts:
            c = statistics.median(after for after, _ in charts)
            from_words = statistics.median(after for _, after in charts)
            every = statistics.median(w.every_chart - w.control for w in r.ours if w.every_chart is not None)
            rows.append(
                Figure(
                    f"browser, {where[mode]}: {Path(notebook).stem} first chart after the page is ready",
                    c,
                    None,
                    f"<= {CHART_TARGET:g} s",
                    c <= CHART_TARGET,
                    f"{load}; ready: its controls on screen; {from_words:.1f} s after its first words (the "
                    f"floor's words to its button: {f_shown - f_words:.1f} s); every chart drawn {every:.1f} s after ready",
                )
            )
        for row in rows[first:]:  # the bench's own servers raise the load: say busy only for other work
            if hasattr(row, "other_work"):
                row.other_work = busy(r)
    return rows


def bench_browser(Figure, repeat: int = 2, notebooks: list[str] | None = None, modes=("lab", "app")) -> list:
    """Start JupyterLab and Voilà as the browser tests do, and a plain Voilà; measure every series notebook
    (or ``notebooks``) in ``modes`` ("lab", "app")."""
    sys.path.insert(0, str(HELPERS))
    try:
        import browser_helpers as bh
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        print(f"browser: skipped ({exc}; pip install -e '.[test]')", file=sys.stderr)
        return []
    if not (Path(bh.CHROMIUM).is_file() and os.access(bh.CHROMIUM, os.X_OK)):
        print(f"browser: skipped (no Chromium at {bh.CHROMIUM}; apt-get install chromium)", file=sys.stderr)
        return []
    notebooks = notebooks or sorted(p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    base = Path(tempfile.mkdtemp(prefix="reconnect-bench-browser-"))
    servers = {}
    outside.clear()  # this run's requests off the machine only
    rested = wait_settled(REST_BEFORE_S)  # what ran before (another benchmark, a test suite) has finished
    before = load_average()
    print(f"browser: load average {before:.1f} at the start, at rest: {rested}", file=sys.stderr, flush=True)
    try:
        project = bh.make_project(base)
        write_floor(project["notebooks"])
        servers = bh.start_servers(project)
        servers["bare"] = start_plain_voila(base)
        if "app" in modes:
            servers["bare_ready"] = start_plain_voila(base, ready=True)
        series = list(project["notebooks"].glob("[0-9][0-9]_*.ipynb"))
        wait_ready_pages(servers["voila"], len(series))  # prepared while people find the address
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=bh.CHROMIUM, args=bh.CHROMIUM_ARGS + OFFLINE_ARGS)
            try:
                results = measure(
                    browser,
                    servers,
                    notebooks,
                    repeat=repeat,
                    new_participant=bh.new_participant,
                    log=lambda line: print(line, file=sys.stderr, flush=True),
                    modes=modes,
                    before=before,
                    rested=rested,
                )
            finally:
                browser.close()
    finally:
        for server in servers.values():
            server.stop()
        shutil.rmtree(base, ignore_errors=True)
    if outside:
        print(
            f"browser: the pages asked for another computer {len(outside)} times: {sorted(set(outside))[:5]}",
            file=sys.stderr,
        )
    return figures(results, Figure)
