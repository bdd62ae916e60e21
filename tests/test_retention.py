"""``reconnect forget-workshop``: one workshop's answers leave a store; every other answer stays exactly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import make_submission
from reconnect.core.errors import InputError, StoreError
from reconnect.records import retention
from reconnect.records.collect import collect
from reconnect.records.retention import forget_workshop, plan_forget
from reconnect.records.store import load_store, save_submission, submissions_folder

CODES = ["KM7-4TX", "HJK-679", "ACD-EFG", "MNP-QRT", "UVW-XY3", "AC3-467"]


def _frame_without_source(store: Path):
    frame = load_store(store).frame.drop(columns=["source"], errors="ignore")
    return frame.sort_values(["submission_id", "item"]).reset_index(drop=True)


@pytest.fixture
def store(tmp_path, bank) -> Path:
    """A store with a batch file mixing TUESDAY and THURSDAY, a batch of THURSDAY only, and single files."""
    handed = tmp_path / "handed-in"
    for n, code in enumerate(CODES):
        shop = "TUESDAY" if n % 2 == 0 else "THURSDAY"
        save_submission(handed, make_submission(bank, participant=code, workshop=shop), bank=bank)
    store = tmp_path / "store"
    assert collect([handed], store, bank=bank).ok  # one batch file holding both workshops
    only = tmp_path / "thursday-only"
    save_submission(only, make_submission(bank, participant=CODES[1], workshop="THURSDAY", area="distrust"), bank=bank)
    assert collect([only], store, bank=bank).ok  # a batch file of THURSDAY only
    for area in ("insecurity", "foundation"):  # single files of each workshop
        save_submission(store, make_submission(bank, participant=CODES[0], workshop="TUESDAY", area=area), bank=bank)
        save_submission(store, make_submission(bank, participant=CODES[1], workshop="THURSDAY", area=area), bank=bank)
    return store


def test_other_workshops_stay_exactly_and_still_load(store):
    before = _frame_without_source(store)
    thursday_before = before[before["workshop"] == "THURSDAY"].reset_index(drop=True)
    names_before = {p.name for p in submissions_folder(store).rglob("*.csv")}

    result = forget_workshop(store, "TUESDAY", confirm="TUESDAY")

    after = load_store(store)
    assert after.problems == []
    frame = after.frame.drop(columns=["source"]).sort_values(["submission_id", "item"]).reset_index(drop=True)
    assert "TUESDAY" not in set(frame["workshop"])
    assert frame.equals(thursday_before), "other workshops' answers must be unchanged"
    assert result.submissions == 3 + 2  # three in the mixed batch, two single files
    assert len(result.removed) == 2 and len(result.rewritten) == 1
    old, new = result.rewritten[0]
    assert not old.exists() and new.exists() and new.name.startswith("batch-") and new.name not in names_before
    names_after = {p.name for p in submissions_folder(store).rglob("*.csv")}
    assert names_after == (names_before - {old.name} - {p.name for p in result.removed}) | {new.name}
    assert "TUESDAY" not in new.read_text(encoding="utf-8")


def test_a_file_holding_only_other_workshops_is_never_touched(store):
    untouched = {
        p: (p.read_bytes(), p.stat().st_ino)
        for p in submissions_folder(store).rglob("*.csv")
        if "TUESDAY" not in p.read_text(encoding="utf-8")
    }
    forget_workshop(store, "TUESDAY", confirm="TUESDAY")
    for path, (data, inode) in untouched.items():
        assert path.read_bytes() == data and path.stat().st_ino == inode


@pytest.mark.parametrize("typed", ["", "tuesday", "TUESDAY2", " THURSDAY "])
def test_nothing_is_deleted_without_the_code_typed_exactly(store, typed):
    before = {p.name: p.read_bytes() for p in submissions_folder(store).rglob("*.csv")}
    with pytest.raises(InputError, match="Nothing was deleted"):
        forget_workshop(store, "TUESDAY", confirm=typed)
    assert {p.name: p.read_bytes() for p in submissions_folder(store).rglob("*.csv")} == before


def test_planning_changes_nothing_and_counts(store):
    before = {p.name: p.read_bytes() for p in submissions_folder(store).rglob("*.csv")}
    plan = plan_forget(store, "TUESDAY")
    assert plan.submissions == 5 and len(plan.remove) == 2 and len(plan.rewrite) == 1
    assert "5 submission(s)" in plan.lines()[0]
    assert {p.name: p.read_bytes() for p in submissions_folder(store).rglob("*.csv")} == before
    assert plan_forget(store, "FRIDAY").empty


def test_a_failed_copy_leaves_the_old_batch_file_whole(store, monkeypatch):
    def no_space(path, data, **kw):
        raise StoreError(f"Could not save into the folder {path.parent}: the disk is full.")

    monkeypatch.setattr(retention, "write_new", no_space)
    mixed = plan_forget(store, "TUESDAY").rewrite[0].path
    data = mixed.read_bytes()
    result = forget_workshop(store, "TUESDAY", confirm="TUESDAY")
    assert mixed.read_bytes() == data  # never edited in place, never deleted before a good copy exists
    assert result.problems and "disk is full" in str(result.problems[0])
    assert len(result.rewritten) == 0


def test_interrupted_between_copy_and_delete_is_finished_by_running_again(store, monkeypatch):
    """The crash-safe order: new file complete first, old file removed last; a second run completes."""
    mixed = plan_forget(store, "TUESDAY").rewrite[0].path
    real_unlink = Path.unlink

    def crash_on_old(self, *a, **kw):
        if self == mixed:
            raise KeyboardInterrupt("power cut")
        return real_unlink(self, *a, **kw)

    monkeypatch.setattr(Path, "unlink", crash_on_old)
    with pytest.raises(KeyboardInterrupt):
        forget_workshop(store, "TUESDAY", confirm="TUESDAY")
    monkeypatch.setattr(Path, "unlink", real_unlink)
    assert mixed.exists()  # the old file is whole; the new copy exists beside it
    batch_files = sorted(p.name for p in submissions_folder(store).glob("batch-*.csv"))

    forget_workshop(store, "TUESDAY", confirm="TUESDAY")

    assert not mixed.exists()
    assert len(list(submissions_folder(store).glob("batch-*.csv"))) == len(batch_files) - 1  # no duplicate copy
    frame = load_store(store).frame
    assert set(frame["workshop"]) == {"THURSDAY"}
    assert not frame.duplicated(["submission_id", "item"]).any()


def test_unreadable_files_are_left_and_reported(store):
    odd = submissions_folder(store) / "notes.csv"
    odd.write_text("something,else\n1,2\n", encoding="utf-8")
    result = forget_workshop(store, "TUESDAY", confirm="TUESDAY")
    assert odd.read_text(encoding="utf-8") == "something,else\n1,2\n"
    assert any("notes.csv" in str(p) and "header" in str(p) for p in result.problems)


def _cli(*args, stdin: str = "") -> subprocess.CompletedProcess:
    proc = subprocess.run(
        [sys.executable, "-m", "reconnect.apps.cli", *args],
        capture_output=True,
        text=True,
        timeout=120,
        input=stdin,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    assert "Traceback" not in proc.stderr + proc.stdout, proc.stderr
    return proc


def test_cli_asks_for_the_code_and_reports_what_it_removed(store):
    refused = _cli("forget-workshop", str(store), "TUESDAY")  # no terminal, no --confirm: nothing happens
    assert refused.returncode == 1 and "Nothing was deleted" in refused.stderr
    assert "TUESDAY" in {w for w in load_store(store).frame["workshop"]}
    wrong = _cli("forget-workshop", str(store), "TUESDAY", "--confirm", "tuesday")
    assert wrong.returncode == 1 and "Nothing was deleted" in wrong.stderr
    done = _cli("forget-workshop", str(store), "TUESDAY", "--confirm", "TUESDAY")
    assert done.returncode == 0, done.stderr
    assert "5 submission(s) deleted (2 file(s) deleted, 1 batch file(s) rewritten without it)" in done.stdout
    assert "Deleted: sub-" in done.stdout and "Rewritten without workshop 'TUESDAY'" in done.stdout
    assert "KM7-4TX" not in done.stdout  # no participant codes in the report
    again = _cli("forget-workshop", str(store), "TUESDAY", "--confirm", "TUESDAY")
    assert again.returncode == 0 and "Nothing to delete" in again.stdout
