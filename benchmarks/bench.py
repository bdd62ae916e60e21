"""Reconnect benchmarks: every figure is a ratio against a floor measured in the same run.

Run with ``make bench`` (or ``python benchmarks/bench.py``). Absolute times drift on a shared
2-core machine, so each figure compares our code with the least the machine must do anyway for the
same work, measured moments apart; the absolute time is printed for reference.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


@dataclass
class Figure:
    name: str
    ours: float  # seconds
    floor: float | None  # seconds; None when the target is absolute
    target: str
    met: bool
    note: str = ""

    @property
    def ratio(self) -> str:
        return f"{self.ours / self.floor:.2f}x" if self.floor else "-"


def _median_alternating(a, b, repeat: int) -> tuple[float, float]:
    """Time two callables alternately so drift hits both alike; return both medians."""
    ta, tb = [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        a()
        ta.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        b()
        tb.append(time.perf_counter() - t0)
    return statistics.median(ta), statistics.median(tb)


def _python(code: str, env: dict | None = None) -> None:
    subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=ROOT / "notebooks")


def bench_first_cell(env: dict) -> list[Figure]:
    ours, floor = _median_alternating(
        lambda: _python("from reconnect.notebook import rating_form", env),
        lambda: _python("import pandas, matplotlib.pyplot, ipywidgets", env),
        repeat=7,
    )
    ratio = ours / floor
    return [
        Figure(
            "first cell: import reconnect.notebook",
            ours,
            floor,
            "<= 1.15x",
            ratio <= 1.15,
            "floor: import pandas + matplotlib.pyplot + ipywidgets",
        )
    ]


def bench_notebooks(env: dict) -> list[Figure]:
    import nbformat
    from nbclient import NotebookClient

    def run(nb) -> float:
        t0 = time.perf_counter()
        NotebookClient(
            nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(ROOT / "notebooks")}}
        ).execute()
        return time.perf_counter() - t0

    floor_nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("import pandas, matplotlib.pyplot, ipywidgets")]
    )
    old = dict(os.environ)
    os.environ.update(env)
    figures = []
    total = 0.0
    try:
        paths = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
        for path in paths:
            ours_runs, floor_runs = [], []
            for _ in range(2):
                ours_runs.append(run(nbformat.read(path, as_version=4)))
                floor_runs.append(run(nbformat.reads(nbformat.writes(floor_nb), as_version=4)))
            ours, floor = min(ours_runs), min(floor_runs)
            total += ours
            figures.append(Figure(f"notebook {path.stem}", ours, floor, "<= 1.5x", ours / floor <= 1.5))
    finally:
        os.environ.clear()
        os.environ.update(old)
    figures.append(Figure("whole series, one pass", total, None, "<= 20 s", total <= 20))
    return figures


def bench_save(env: dict) -> list[Figure]:
    from reconnect.content import load_item_bank
    from reconnect.files import random_id
    from reconnect.participant import Settings, save_settings
    from reconnect.ui.area import RatingForm

    home = Path(env["RECONNECT_HOME"]) / "save-bench"
    save_settings(home, Settings(code="KM7-4TX", session="before"))
    bank = load_item_bank()
    form = RatingForm("distrust", home=home, bank=bank)
    size = len(next((home / "submissions").glob("*.csv")).read_bytes()) if (home / "submissions").exists() else 700
    floor_dir = home / "floor"
    floor_dir.mkdir(parents=True)
    payload = os.urandom(size)
    state = {"n": 0}

    def change():
        state["n"] += 1
        for i, box in enumerate(form.questions.values()):
            box.value = 1 + (state["n"] + i) % 5  # a change every time, so Save really writes

    def click():
        form.save_button.click()

    def floor():
        tmp = floor_dir / f".tmp-{random_id(6)}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.write(fd, payload)
        os.fsync(fd)
        os.close(fd)
        os.rename(tmp, floor_dir / f"f-{random_id(6)}")
        dfd = os.open(floor_dir, os.O_RDONLY)
        os.fsync(dfd)
        os.close(dfd)

    change()
    click()  # warm-up
    ours_t, floor_t = [], []
    for _ in range(60):
        change()  # outside the clock: only the click until the file is durable is timed
        t0 = time.perf_counter()
        click()
        ours_t.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        floor()
        floor_t.append(time.perf_counter() - t0)
    ours, base = statistics.median(ours_t), statistics.median(floor_t)
    saved = len(list((home / "submissions").glob("*.csv")))
    return [
        Figure(
            "Save click until durable (median)",
            ours,
            base,
            "<= 2x",
            ours / base <= 2,
            f"floor: write+fsync+rename {size} bytes; {saved} files saved",
        )
    ]


def bench_charts(env: dict) -> list[Figure]:
    import matplotlib

    matplotlib.use("agg")
    import matplotlib.pyplot as plt
    import pandas as pd

    from reconnect.charts import score_bars
    from reconnect.content import load_item_bank

    bank = load_item_bank()
    data = pd.DataFrame({"label": [a.title for a in bank.areas], "score": [40, 55, 62.5, 80, float("nan")]})

    def draw():
        ax = score_bars(data, bank=bank)
        ax.figure.canvas.draw()
        plt.close(ax.figure)

    draw()
    times = []
    for _ in range(5):
        t0 = time.perf_counter()
        draw()
        times.append(time.perf_counter() - t0)
    t = statistics.median(times)
    return [Figure("chart: profile bars (drawn)", t, None, "<= 0.3 s", t <= 0.3)]


BENCHES = {
    "first-cell": bench_first_cell,
    "save": bench_save,
    "charts": bench_charts,
    "notebooks": bench_notebooks,
}


def _seconds(value: float) -> str:
    return f"{value * 1000:.2f} ms" if value < 0.1 else f"{value:.2f} s"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("only", nargs="*", help=f"run only these: {', '.join(BENCHES)}")
    args = parser.parse_args(argv)
    chosen = args.only or list(BENCHES)
    unknown = [n for n in chosen if n not in BENCHES]
    if unknown:
        parser.error(f"unknown benchmark(s) {', '.join(unknown)}; choose from {', '.join(BENCHES)}")
    workdir = Path(tempfile.mkdtemp(prefix="reconnect-bench-"))
    env = dict(
        os.environ,
        RECONNECT_HOME=str(workdir / "home"),
        RECONNECT_DEMO=str(workdir / "demo"),
        MPLBACKEND="agg",
        PYTHONPATH=str(ROOT / "src"),
    )
    from reconnect.demo import write_demo

    write_demo(workdir / "demo", sync=False)
    figures: list[Figure] = []
    started = time.perf_counter()
    try:
        for name in chosen:
            figures.extend(BENCHES[name](env))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"\n{'figure':44} {'ours':>9} {'floor':>9} {'ratio':>7}  {'target':>9}  met")
    for f in figures:
        floor = _seconds(f.floor) if f.floor else "-"
        print(
            f"{f.name:44} {_seconds(f.ours):>9} {floor:>9} {f.ratio:>7}  {f.target:>9}  {'yes' if f.met else 'NO'}"
            + (f"   ({f.note})" if f.note else "")
        )
    print(
        f"\n{sum(f.met for f in figures)} of {len(figures)} targets met; benchmarks took {time.perf_counter() - started:.0f} s "
        f"on {os.cpu_count()} cores, Python {sys.version.split()[0]}."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
