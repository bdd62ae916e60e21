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
