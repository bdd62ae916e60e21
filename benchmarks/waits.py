"""What a person waits for: from opening a page in the browser to its widgets answering a click.

Part of ``make bench`` (``python benchmarks/bench.py browser``); runs when Chromium and Playwright are
there (as the browser tests need them), and says why it was skipped otherwise.

For each series notebook, in JupyterLab (the series' extension runs its cells on open) and in app mode
(Voilà, template ``reconnect``), with a participant signed in and remembered so the personal views show:
the clock starts when the browser is told to open the page and stops when a control's kernel-side
handler has changed what the page shows (a chosen answer counted in "1 of 6 answered", "Settings
saved", the demo participant's profile chart drawn, 07's room switched to presentation mode by its
kernel: larger type, and charts that grow without being drawn again). The floor is the
same measurement, moments apart on the same servers, of a notebook that only imports pandas,
matplotlib and ipywidgets and shows one button whose click changes a text. Every page load starts a
fresh kernel (JupyterLab's sessions are shut down between loads; Voilà starts one per page).

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
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
HELPERS = ROOT / "tests" / "browser"
FLOOR = "bench-floor/floor.ipynb"  # in a folder of its own: the start page lists the folder's notebooks only
TARGET = 1.3  # each notebook <= 1.3 x the floor
CHART_TARGET = 2.0  # 07: first chart on screen <= 2 s after the page is ready (its controls shown)
TIMEOUT_MS = 120_000

FLOOR_CODE = """\
import pandas, matplotlib.pyplot, ipywidgets as w
button = w.Button(description="Click me")
answer = w.HTML("Not clicked yet")
button.on_click(lambda _b: setattr(answer, "value", "Clicked"))
w.VBox([button, answer])"""


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
    key = notebook.split("_", 1)[0]
    return PROBES.get(key, PROBES["area"]) if key[:1].isdigit() else PROBES["floor"]


def write_floor(notebooks: Path) -> Path:
    """The floor notebook, marked as a series notebook so JupyterLab's extension runs it on open too."""
    import nbformat

    path = notebooks / FLOOR
    path.parent.mkdir(exist_ok=True)
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_markdown_cell("# The floor\n\nOne button."), nbformat.v4.new_code_cell(FLOOR_CODE)]
    )
    nb.metadata["reconnect"] = {"series": True}
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


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
        if notebook.startswith("07"):
            page.locator(FIRST_CHART).first.wait_for(state="visible", timeout=TIMEOUT_MS)
            page.wait_for_function(f"({CHART_DRAWN})(document.querySelector('{FIRST_CHART}'))", timeout=TIMEOUT_MS)
            first_chart = time.perf_counter() - t0
            page.locator(".rc-dashboard.rc-drawing").wait_for(state="detached", timeout=TIMEOUT_MS)
            every_chart = time.perf_counter() - t0
        return Wait(words, shown, answered, first_chart, every_chart)
    finally:
        page.close()


def _only_loopback(route) -> None:
    url = route.request.url
    if url.startswith(("data:", "blob:")) or urlparse(url).hostname in (None, "127.0.0.1"):
        route.continue_()
    else:
        route.abort()


def measure(browser, servers: dict, notebooks: list[str], *, repeat: int, new_participant, log=print):
    """Per mode and notebook: (ours, floor) lists of :class:`Wait`, ours and the floor alternating."""
    results: dict[tuple[str, str], tuple[list[Wait], list[Wait]]] = {}
    for mode, server in (("lab", servers["lab"]), ("app", servers["voila"])):
        context = browser.new_context(viewport={"width": 1366, "height": 900})
        context.set_default_timeout(TIMEOUT_MS)
        context.route("**/*", _only_loopback)  # nothing leaves the machine (as in the browser tests)
        try:
            measure_once(context, server, FLOOR, mode, new_participant=new_participant)  # warm-up: the page's code
            for notebook in notebooks:
                ours, floor = [], []
                for _ in range(repeat):
                    ours.append(measure_once(context, server, notebook, mode, new_participant=new_participant))
                    floor.append(measure_once(context, server, FLOOR, mode, new_participant=new_participant))
                log(
                    f"  {mode} {notebook}: "
                    + ", ".join(f"{o.answered:.1f}/{f.answered:.1f} s" for o, f in zip(ours, floor))
                )
                results[(mode, notebook)] = (ours, floor)
        finally:
            if mode == "lab":
                page = context.new_page()
                _shut_down_lab_sessions(page, server)
            context.close()
    return results


def figures(results, Figure) -> list:
    """The results as bench.py's ``Figure`` rows: medians of the repeats."""
    rows = []
    where = {"lab": "JupyterLab", "app": "app mode"}
    for (mode, notebook), (ours, floor) in results.items():
        o = statistics.median(w.answered for w in ours)
        f = statistics.median(w.answered for w in floor)
        shown = statistics.median(w.control for w in ours)
        words = statistics.median(w.words for w in ours)
        f_shown = statistics.median(w.control for w in floor)
        f_words = statistics.median(w.words for w in floor)
        rows.append(
            Figure(
                f"browser, {where[mode]}: {Path(notebook).stem} opened until a click is answered",
                o,
                f,
                f"<= {TARGET}x",
                o / f <= TARGET,
                f"first words at {words:.1f} s, control at {shown:.1f} s (floor: {f_words:.1f} s, {f_shown:.1f} s)",
            )
        )
        charts = [(w.first_chart - w.control, w.first_chart - w.words) for w in ours if w.first_chart is not None]
        if charts:
            c = statistics.median(after for after, _ in charts)
            from_words = statistics.median(after for _, after in charts)
            every = statistics.median(w.every_chart - w.control for w in ours if w.every_chart is not None)
            rows.append(
                Figure(
                    f"browser, {where[mode]}: {Path(notebook).stem} first chart after the page is ready",
                    c,
                    None,
                    f"<= {CHART_TARGET:g} s",
                    c <= CHART_TARGET,
                    f"ready: its controls on screen; {from_words:.1f} s after its first words (the floor's "
                    f"words to its button: {f_shown - f_words:.1f} s); every chart drawn {every:.1f} s after ready",
                )
            )
    return rows


def bench_browser(Figure, repeat: int = 2, notebooks: list[str] | None = None) -> list:
    """Start JupyterLab and Voilà as the browser tests do, measure every series notebook, stop them."""
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
    try:
        project = bh.make_project(base)
        write_floor(project["notebooks"])
        servers = bh.start_servers(project)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=bh.CHROMIUM, args=bh.CHROMIUM_ARGS)
            try:
                results = measure(
                    browser,
                    servers,
                    notebooks,
                    repeat=repeat,
                    new_participant=bh.new_participant,
                    log=lambda line: print(line, file=sys.stderr, flush=True),
                )
            finally:
                browser.close()
    finally:
        for server in servers.values():
            server.stop()
        shutil.rmtree(base, ignore_errors=True)
    return figures(results, Figure)
