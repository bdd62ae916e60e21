"""The ``reconnect`` command run as a counselor would: exit codes, one plain line per problem, no tracebacks."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml

from helpers import BANK_FILE
from reconnect.records.store import load_store, submissions_folder


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    proc = subprocess.run(
        [sys.executable, "-m", "reconnect.apps.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        env=env,
    )
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout, proc.stderr
    return proc


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("cli") / "demo"
    proc = run("demo", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "synthetic" in proc.stdout.lower()
    return out


# -- demo --------------------------------------------------------------------------------------------


def test_demo_makes_a_realistic_workshop(demo, bank):
    data = load_store(demo, bank=bank)
    assert data.ok, [str(p) for p in data.problems]
    frame = data.frame
    assert frame["participant"].nunique() >= 24
    couples = frame.loc[frame["couple"] != "", ["couple", "participant"]].drop_duplicates()
    per_couple = couples.groupby("couple")["participant"].nunique()
    assert len(per_couple) >= 6 and (per_couple == 2).all(), "each couple code is shared by exactly two people"
    assert set(frame["session"]) == {"before", "after"}
    assert set(frame["area"]) == {a.id for a in bank.areas}
    assert frame["rating"].isna().any(), "some statements are left open"
    assert frame["rating"].dropna().between(1, 5).all()
    assert set(frame["workshop"]) == {"DEMO"}
    assert "SYNTHETIC" in (demo / "README-SYNTHETIC-DATA.txt").read_text()
    # Every saved area of every person still scores under the 75% rule.
    answered = frame.groupby(["submission_id", "area"])["rating"].count().reset_index()
    need = {a.id: a.min_answered for a in bank.areas}
    assert (answered["rating"] >= answered["area"].map(need)).all()


def test_demo_is_deterministic(demo, tmp_path):
    again = tmp_path / "again"
    assert run("demo", "--out", str(again)).returncode == 0
    assert _tree(again) == _tree(demo)
    other = tmp_path / "other-seed"
    assert run("demo", "--out", str(other), "--seed", "7").returncode == 0
    assert set(_tree(other)) != set(_tree(demo))


def test_demo_refuses_a_folder_holding_submissions(demo):
    before = _tree(demo)
    proc = run("demo", "--out", str(demo))
    assert proc.returncode == 1
    assert "already holds submissions" in proc.stderr and str(submissions_folder(demo)) in proc.stderr
    assert _tree(demo) == before


def test_demo_refuses_impossible_couples(tmp_path):
    proc = run("demo", "--out", str(tmp_path / "d"), "--participants", "4", "--couples", "3")
    assert proc.returncode == 1 and "--couples" in proc.stderr
    assert not (tmp_path / "d").exists()


# -- validate --------------------------------------------------------------------------------------


def test_validate_good_demo_folder(demo):
    proc = run("validate", str(demo))
    assert proc.returncode == 0, proc.stdout
    n = len(list(submissions_folder(demo).glob("*.csv")))
    assert f"{n} file(s) checked: all valid." in proc.stdout


def test_validate_the_project_item_bank():
    proc = run("validate", str(BANK_FILE))
    assert proc.returncode == 0 and "1 file(s) checked: all valid." in proc.stdout


def test_validate_a_damaged_submission(demo, tmp_path):
    source = sorted(submissions_folder(demo).glob("*.csv"))[0]
    damaged = tmp_path / source.name
    frame = pd.read_csv(source, dtype=str, keep_default_na=False)
    frame.loc[1, "rating"] = "9"
    frame.to_csv(damaged, index=False, lineterminator="\n")
    copied = tmp_path / "good.csv"
    shutil.copy(source, copied)

    proc = run("validate", str(damaged), str(copied))
    assert proc.returncode == 1
    lines = proc.stdout.strip().splitlines()
    (line,) = [line for line in lines if str(damaged) in line]
    assert line.startswith(str(damaged))
    assert "row 3" in line and "rating" in line and "9 is outside the scale 1-5" in line and "Fix:" in line
    assert not any(str(copied) in line for line in lines)
    assert lines[-1] == "2 file(s) checked: 1 valid, 1 with problems."


def test_validate_a_folder_reports_only_the_bad_file(demo, tmp_path):
    store = tmp_path / "store"
    shutil.copytree(demo, store)
    bad = sorted(submissions_folder(store).glob("*.csv"))[3]
    bad.write_bytes(bad.read_bytes()[:-20])  # cut off
    proc = run("validate", str(store))
    assert proc.returncode == 1
    problem_lines = [line for line in proc.stdout.splitlines() if "Fix:" in line]
    assert len(problem_lines) == 1 and problem_lines[0].startswith(str(bad))


def test_validate_a_broken_item_bank(broken_bank):
    def three_reverse(d):
        for item in d["areas"][0]["items"]:
            item["reverse"] = True

    path = broken_bank(three_reverse)
    proc = run("validate", str(path))
    assert proc.returncode == 1
    assert str(path) in proc.stdout and "area self_esteem" in proc.stdout and "Fix:" in proc.stdout


def test_validate_submissions_against_a_broken_item_bank(demo, tmp_path):
    bank_path = tmp_path / "bank.yaml"
    bank_path.write_text("version: '1.0'\nscale: [1, 2]\n", encoding="utf-8")
    source = sorted(submissions_folder(demo).glob("*.csv"))[0]
    proc = run("--item-bank", str(bank_path), "validate", str(source))
    assert proc.returncode == 1
    assert str(bank_path) in proc.stdout and "Fix:" in proc.stdout


def test_validate_a_missing_path(tmp_path):
    missing = tmp_path / "no-such-folder"
    proc = run("validate", str(missing))
    assert proc.returncode == 1
    assert str(missing) in proc.stdout and "no such file or folder" in proc.stdout and "Fix:" in proc.stdout


def test_validate_an_unreadable_yaml(tmp_path):
    path = tmp_path / "bank.yaml"
    path.write_text(yaml.safe_dump({"areas": "oops"}) + "\tbad: [\n", encoding="utf-8")
    proc = run("validate", str(path))
    assert proc.returncode == 1 and "line " in proc.stdout and "Fix:" in proc.stdout


def test_console_script_is_installed():
    script = Path(sys.executable).with_name("reconnect")
    if not script.exists():
        pytest.skip("console script not installed next to this Python")
    proc = subprocess.run([str(script), "--help"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and "validate" in proc.stdout and "demo" in proc.stdout
