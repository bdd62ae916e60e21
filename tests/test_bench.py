"""The benchmark script imports, and its floor / ratio / table logic is right (on a tiny archive).

The benchmarks themselves run with ``make bench``, never in ``make test``.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from reconnect.bank.content import load_item_bank
from reconnect.records.store import load_store

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench", ROOT / "benchmarks" / "bench.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop("bench", None)


def test_ratio_and_table(bench):
    fast = bench.Figure("x", 0.3, 0.2, "<= 2x", True)
    assert fast.ratio == "1.50x"
    assert bench.Figure("y", 2.0, None, "<= 1 s", False).ratio == "-"
    mem = bench.Figure("m", 1.5 * 1024**3, None, "< 1.5 GB", False, unit="bytes")
    text = bench.table([fast, mem])
    assert "| x | 0.30 s | 0.20 s | 1.50x | <= 2x | yes |" in text
    assert "| m | 1536 MB | - | - | < 1.5 GB | **no** |" in text
    assert text.splitlines()[0].startswith("| figure | ours | floor | ratio | target | met | load |")


def test_every_figure_carries_the_load_average(bench):
    quiet = bench.Figure("q", 1.0, 1.0, "<= 2x", True, load=0.4)
    busy = bench.Figure("b", 1.0, 1.0, "<= 2x", True, load=64.0)
    assert (quiet.busy, busy.busy) == (False, True)
    assert "| yes | 0.4 | " in bench.table([quiet]) and "| yes | 64.0 busy | " in bench.table([busy])
    assert bench.Figure("now", 1.0, None, "<= 1 s", True).load >= 0


def test_alternating_medians(bench):
    calls = []
    a, b = bench._median_alternating(lambda: calls.append("a"), lambda: calls.append("b"), repeat=3)
    assert calls == ["a", "b"] * 3 and a >= 0 and b >= 0


def test_tiny_archive_floor_holds_the_same_rows(bench, tmp_path):
    import pandas as pd

    from reconnect.records.collect import collect

    bank = load_item_bank()
    handed, n, _seconds = bench.make_archive(tmp_path / "handed", 12)
    assert n == 12 * 2 * 5, "every made-up person answers every area in both sessions"
    collect([handed], tmp_path / "store", bank=bank)
    one = bench.floor_file(tmp_path / "store", tmp_path / "one.csv")
    plain = pd.read_csv(one)
    ours = load_store(tmp_path / "store", bank=bank).frame
    assert len(plain) == len(ours) and plain["submission_id"].nunique() == n
    means = bench.pandas_floor(one)
    assert set(means.index.get_level_values("session")) == {"before", "after"}
    table = bench.our_summary(tmp_path / "store", bank)
    assert list(table["n"]) == [12] * 5


def test_unknown_benchmark_is_refused(bench, capsys):
    with pytest.raises(SystemExit):
        bench.main(["no-such-bench"])
    assert "unknown benchmark" in capsys.readouterr().err


@pytest.fixture(scope="module")
def waits():
    spec = importlib.util.spec_from_file_location("waits", ROOT / "benchmarks" / "waits.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["waits"] = module
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop("waits", None)


def _result(waits, *, before: float, rested: bool = True, unsettled: int = 0, ready: bool = False):
    w = waits.Wait(1.0, 1.2, 1.3)
    r = [w] if ready else []
    return waits.Result([w], [waits.Wait(2.0, 2.4, 2.6)], [w], [3.1, 3.4], r, before, rested, unsettled)


def test_a_page_figure_says_busy_only_for_other_work(waits, bench):
    """The bench's own servers raise the load while it measures, and the load average lags behind what ran
    before: busy means the CPUs were not at rest before the bench began, or before one of its loads."""
    quiet, lagging, loaded, restless = (
        _result(waits, before=0.4),
        _result(waits, before=1.6),  # the last minute still holds the benchmark before: at rest now
        _result(waits, before=1.6, rested=False),
        _result(waits, before=0.4, unsettled=2),
    )
    assert [waits.busy(r) for r in (quiet, lagging, loaded, restless)] == [False, False, True, True]
    assert "BUSY machine, not at rest before the bench" in waits._load_note(loaded)
    rows = waits.figures({("app", "01_x.ipynb"): quiet, ("app", "02_x.ipynb"): restless}, bench.Figure)
    assert "machine otherwise quiet: load 0.4 before the bench; 3.1-3.4 while measuring" in rows[0].note
    assert "the target is for a quiet machine" not in rows[1].note  # judged: the machine was quiet
    assert "BUSY machine" in rows[2].note and "2 load(s) started before it came to rest" in rows[2].note
    assert "the target is for a quiet machine" in rows[3].note


def test_the_ready_bare_page_is_a_labelled_reference(waits, bench):
    rows = waits.figures({("app", "01_x.ipynb"): _result(waits, before=0.2, ready=True)}, bench.Figure)
    assert rows[0].floor == 2.6 and rows[0].ours == 1.3  # the ratio stays against the cold bare page
    assert "the bare page kept ready by a plain Voilà (nothing started when opened): 1.30 s (1.00x)" in rows[0].note


def test_waiting_for_rest_gives_up_and_says_so(waits, monkeypatch):
    monkeypatch.setattr(waits, "_cpu_busy_share", lambda interval=0.5: 0.9)
    assert waits.wait_settled(max_s=0.05) is False
    monkeypatch.setattr(waits, "_cpu_busy_share", lambda interval=0.5: 0.05)
    assert waits.wait_settled(max_s=5) is True


def test_only_loopback_counts_as_this_machine(waits):
    """The browser bench lets nothing leave the machine; a request elsewhere is counted, not routed."""
    assert waits._loopback("http://127.0.0.1:8866/voila/render/01.ipynb")
    assert waits._loopback("blob:http://127.0.0.1:8866/1f0e") and waits._loopback("data:text/css,")
    assert not waits._loopback("https://cdn.jsdelivr.net/npm/x.css")
    assert any("--host-resolver-rules=" in arg and "EXCLUDE 127.0.0.1" in arg for arg in waits.OFFLINE_ARGS)


def test_a_page_figure_is_busy_only_when_other_work_ran(waits, bench):
    """The table's load column says busy from the bench's own rest check, not from its own servers' load."""
    rows = waits.figures({("app", "01_x.ipynb"): _result(waits, before=0.4)}, bench.Figure)
    rows[0].load = 4.2  # the bench's own servers and browser
    assert rows[0].load_text == "4.2" and not rows[0].busy
    loaded = waits.figures({("app", "01_x.ipynb"): _result(waits, before=0.4, rested=False)}, bench.Figure)
    assert all(row.busy for row in loaded)
    assert bench.Figure("x", 1, None, "-", True, load=9.0).busy  # elsewhere: more runnable work than cores
