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
    bare = waits.start_plain_voila(project["base"] / "bench")  # the cold bare page, on a plain Voilà
    try:
        results = waits.measure(
            browser,
            {**servers, "bare": bare},
            ["01_self_esteem.ipynb"],
            repeat=1,
            new_participant=new_participant,
            settle=lambda: waits.wait_settled(max_s=2),  # beside a busy suite the machine never rests: don't wait long
        )
    finally:
        bare.stop()
    assert set(results) == {("lab", "01_self_esteem.ipynb"), ("app", "01_self_esteem.ipynb")}
    for result in results.values():
        for wait in result.ours + result.floor + result.imports:  # words on screen, the control, its answer
            assert 0 < wait.words <= wait.control <= wait.answered < waits.TIMEOUT_MS / 1000
        assert len(result.loads) == 2 and all(load >= 0 for load in result.loads)
    rows = waits.figures(results, bench.Figure)
    assert [r.name for r in rows] == [
        "browser, JupyterLab: 01_self_esteem opened until a click is answered",
        "browser, app mode: 01_self_esteem opened until a click is answered",
        "browser, app mode: 01_self_esteem opened until a click is answered (median)",
    ]
    ratios = [r for r in rows if r.floor]
    assert all(r.ratio.endswith("x") for r in ratios)
    assert [r.met for r in ratios] == [r.ours / r.floor <= waits.TARGET[m] for r, m in zip(ratios, ("lab", "app"))]
    assert all("load " in r.note and "floor: " in r.note for r in ratios)
    assert rows[2].floor is None and rows[2].met == (rows[2].ours <= waits.QUIET_TARGET)
