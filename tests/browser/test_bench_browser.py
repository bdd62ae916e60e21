"""`make bench`'s browser part (benchmarks/waits.py) runs end to end, here on one notebook in both modes."""

from __future__ import annotations

import sys
from pathlib import Path

from browser_helpers import new_participant

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


def test_browser_benchmark_measures_one_notebook_against_the_floor(browser, servers, project):
    sys.path.insert(0, str(BENCHMARKS))
    import bench
    import waits

    waits.write_floor(project["notebooks"])
    results = waits.measure(browser, servers, ["01_self_esteem.ipynb"], repeat=1, new_participant=new_participant)
    assert set(results) == {("lab", "01_self_esteem.ipynb"), ("app", "01_self_esteem.ipynb")}
    for ours, floor in results.values():
        for wait in ours + floor:  # in order: words on screen, then the control, then its answer to a click
            assert 0 < wait.words <= wait.control <= wait.answered < waits.TIMEOUT_MS / 1000
    rows = waits.figures(results, bench.Figure)
    assert [r.name for r in rows] == [
        "browser, JupyterLab: 01_self_esteem opened until a click is answered",
        "browser, app mode: 01_self_esteem opened until a click is answered",
    ]
    assert all(r.floor and r.ratio.endswith("x") and r.met == (r.ours / r.floor <= waits.TARGET) for r in rows)
