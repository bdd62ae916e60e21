"""Batch files: many submissions in one file, as ``reconnect collect`` writes them (issue 6).

Every test runs both readers: the csv module (small files) and pandas' C parser (large files),
forced here by lowering the size at which the second one takes over.
"""

from __future__ import annotations

import io
import zipfile

import pytest

from _group_helpers import BANK, code, make_store, submission
from reconnect.core import files
from reconnect.core.errors import StoreError
from reconnect.records import collect as col
from reconnect.records import store, validate
from reconnect.records.batchcache import CACHE_FOLDER
from reconnect.records.store import COLUMNS, load_store, read_submission_file, submissions_folder


@pytest.fixture(params=["csv module", "pandas"])
def reader(request, monkeypatch):
    if request.param == "pandas":
        monkeypatch.setattr(validate, "_PANDAS_FROM", 0)
    return request.param


def snapshot(folder):
    """Every file under ``folder`` with its bytes, but the batch cache (derived: see tests/test_batchcache.py)."""
    return {
        p: p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and CACHE_FOLDER not in p.relative_to(folder).parts
    }


def subs(n, area="self_esteem"):
    return [submission(i, area, 1 + i % 5) for i in range(n)]


def batch_bytes(submissions) -> bytes:
    body = b"".join(s.to_csv().split(b"\n", 1)[1] for s in submissions)
    return (",".join(COLUMNS) + "\n").encode() + body


def write_batch(folder, submissions, name="batch-0123456789abcdef01234567.csv"):
    path = submissions_folder(folder) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(batch_bytes(submissions))
    return path


def without_source(frame):
    return frame.drop(columns="source").sort_values(["submission_id", "item"]).reset_index(drop=True)


def test_collected_batch_loads_exactly_like_the_handed_in_files(tmp_path, reader):
    handed = make_store(tmp_path / "handed", [5, 4, 3, 2, 1, 5], couples={0: "PAIR-1", 1: "PAIR-1"})
    result = col.collect([handed], tmp_path / "store", bank=BANK)
    assert len(result.imported) == 6
    (batch,) = submissions_folder(tmp_path / "store").iterdir()
    assert batch.name.startswith("batch-") and batch.stat().st_mode & 0o077 == 0
    original, collected = load_store(handed, bank=BANK), load_store(tmp_path / "store", bank=BANK)
    assert original.ok and collected.ok
    assert without_source(collected.frame).equals(without_source(original.frame))
    assert set(collected.frame["source"]) == {str(batch)}
    # Still one plain CSV: pandas opens it as it is, one row per rated statement.
    import pandas as pd

    assert len(pd.read_csv(batch)) == len(original.frame)


def test_a_bad_row_in_a_batch_rejects_only_its_own_submission(tmp_path, reader):
    three = subs(3)
    path = write_batch(tmp_path, three)
    lines = path.read_text().splitlines()
    n_items = len(BANK.area("self_esteem").items)
    row = 2 + n_items + 2  # the third statement of the second submission (the header is row 1)
    cells = lines[row - 1].split(",")
    cells[COLUMNS.index("rating")] = "9"
    lines[row - 1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n")
    before = snapshot(tmp_path)
    data = load_store(tmp_path, bank=BANK)
    assert [(p.path, p.location) for p in data.problems] == [(str(path), f"row {row}, column rating")]
    assert "9 is outside the scale" in data.problems[0].reason and data.problems[0].fix
    assert set(data.frame["submission_id"]) == {three[0].submission_id, three[2].submission_id}
    assert len(data.frame) == 2 * n_items
    assert snapshot(tmp_path) == before, "the file is left exactly as it was"
    rows, problems = read_submission_file(path, BANK)
    assert len(rows) == 2 * n_items and [str(p) for p in problems] == [str(p) for p in data.problems]


def test_rows_of_one_submission_must_agree_and_stay_together(tmp_path, reader):
    three = subs(3)
    path = write_batch(tmp_path, three)
    lines = path.read_text().splitlines()
    n_items = len(BANK.area("self_esteem").items)
    # Second submission: one row claims another participant. Third: its last row moved to the top.
    cells = lines[1 + n_items + 1].split(",")
    cells[COLUMNS.index("participant")] = code(99)
    lines[1 + n_items + 1] = ",".join(cells)
    moved = lines.pop()
    lines.insert(1, moved)
    path.write_text("\n".join(lines) + "\n")
    data = load_store(tmp_path, bank=BANK)
    reasons = " | ".join(str(p) for p in data.problems)
    assert "differs from" in reasons and "not together" in reasons
    assert set(data.frame["submission_id"]) == {three[0].submission_id}


def test_a_cut_off_batch_loads_every_submission_before_the_cut(tmp_path, reader):
    four = subs(4)
    path = write_batch(tmp_path, four)
    data = path.read_bytes()
    third_starts = data.index(four[2].submission_id.encode())
    path.write_bytes(data[: third_starts + 40])  # stops inside the first row of the third submission
    loaded = load_store(tmp_path, bank=BANK)
    assert len(loaded.problems) == 1 and "cut off" in loaded.problems[0].reason
    assert loaded.problems[0].path == str(path)
    # The second submission may be incomplete as far as the reader can tell, so it is not trusted.
    assert set(loaded.frame["submission_id"]) == {four[0].submission_id}
    assert path.read_bytes() == data[: third_starts + 40]


def test_a_cut_off_single_submission_is_rejected_whole(tmp_path, reader):
    path = write_batch(tmp_path, subs(1))
    path.write_bytes(path.read_bytes()[:-10])
    loaded = load_store(tmp_path, bank=BANK)
    assert loaded.frame.empty and [p.location for p in loaded.problems] == ["last line"]


def test_a_short_row_in_a_large_file_is_reported_exactly(tmp_path, reader):
    path = write_batch(tmp_path, subs(2))
    lines = path.read_text().splitlines()
    lines[3] = ",".join(lines[3].split(",")[:5])
    path.write_text("\n".join(lines) + "\n")
    loaded = load_store(tmp_path, bank=BANK)
    assert [p.location for p in loaded.problems] == ["row 4"] and "5 fields" in loaded.problems[0].reason
    assert loaded.frame.empty, "a file whose rows cannot be lined up is not used at all"


def test_collect_with_batches_is_idempotent_and_batches_can_be_collected(tmp_path, reader):
    handed = make_store(tmp_path / "handed", [5, 4, 3, 2, 1, 5, 4])
    first = col.collect([handed], tmp_path / "store", bank=BANK)
    assert first.summary() == "7 imported, 0 already there, 0 rejected"
    before = snapshot(tmp_path / "store")
    again = col.collect([handed], tmp_path / "store", bank=BANK)
    assert (len(again.imported), len(again.already)) == (0, 7) and "nothing new" in again.summary()
    assert snapshot(tmp_path / "store") == before, "collecting again writes nothing"
    # A store's batch file is itself collectable (merging two facilitators' stores) ...
    merged = col.collect([tmp_path / "store" / "submissions"], tmp_path / "merged", bank=BANK)
    assert len(merged.imported) == 7
    # ... and the same submissions from their original files are then recognised.
    assert len(col.collect([handed], tmp_path / "merged", bank=BANK).already) == 7
    # A changed copy of a collected submission is refused; the collected one is kept.
    one = sorted(submissions_folder(handed).rglob("sub-*.csv"))[0]
    changed = tmp_path / "changed.csv"
    lines = one.read_text().splitlines()
    cells = lines[1].split(",")
    cells[COLUMNS.index("rating")] = "1" if cells[COLUMNS.index("rating")] != "1" else "2"
    lines[1] = ",".join(cells)
    changed.write_text("\n".join(lines) + "\n")
    refused = col.collect([changed], tmp_path / "store", bank=BANK)
    assert not refused.imported and "already collected" in str(refused.rejected[0])
    assert snapshot(tmp_path / "store") == before


def test_a_crash_while_writing_batches_loses_nothing(tmp_path, monkeypatch):
    handed = make_store(tmp_path / "handed", [5, 4, 3, 2, 1, 5])
    monkeypatch.setattr(col, "BATCH_SUBMISSIONS", 2)
    real_link, calls = files.os.link, []

    def dies_on_the_second_batch(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise KeyboardInterrupt  # the process is stopped between two batch files
        return real_link(src, dst)

    monkeypatch.setattr(files.os, "link", dies_on_the_second_batch)
    monkeypatch.setattr(files, "_rename_noreplace", lambda src, dst: False)  # the link path, instrumented
    with pytest.raises(KeyboardInterrupt):
        col.collect([handed], tmp_path / "store", bank=BANK)
    monkeypatch.setattr(files.os, "link", real_link)
    folder = submissions_folder(tmp_path / "store")
    names = sorted(p.name for p in folder.iterdir())
    assert len(names) == 1 and names[0].startswith("batch-"), "one whole batch, no half-written file"
    data = load_store(tmp_path / "store", bank=BANK)
    assert data.ok and data.frame["submission_id"].nunique() == 2
    rest = col.collect([handed], tmp_path / "store", bank=BANK)
    assert (len(rest.imported), len(rest.already), len(rest.rejected)) == (4, 2, 0)
    assert load_store(tmp_path / "store", bank=BANK).frame["submission_id"].nunique() == 6


def test_a_full_disk_while_writing_a_batch_says_what_is_safe(tmp_path, monkeypatch):
    handed = make_store(tmp_path / "handed", [5, 4, 3])
    monkeypatch.setattr(col, "BATCH_SUBMISSIONS", 2)
    real_write, calls = files._write_synced, []

    def full(*args):
        calls.append(1)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real_write(*args)

    monkeypatch.setattr(files, "_write_synced", full)
    with pytest.raises(StoreError, match="1 batch file"):
        col.collect([handed], tmp_path / "store", bank=BANK)
    assert [p.name[:6] for p in submissions_folder(tmp_path / "store").iterdir()] == ["batch-"]


def test_export_from_a_store_with_batches_holds_only_that_participant(tmp_path):
    handed = make_store(tmp_path / "handed", [5, 4, 3, 2, 1])
    col.collect([handed], tmp_path / "store", bank=BANK)
    path = col.export_answers(tmp_path / "store", code(2), bank=BANK)
    with zipfile.ZipFile(path) as zf:
        (name,) = zf.namelist()
        text = zf.read(name).decode()
    assert name.startswith("submissions/sub-") and code(2) in text
    assert not any(code(i) in text for i in (0, 1, 3, 4))
    back = col.collect([path], tmp_path / "again", bank=BANK)
    assert len(back.imported) == 1


def test_validate_bytes_writes_nothing(tmp_path):
    data = batch_bytes(subs(2))
    frame, problems = store.validate_bytes(data, "in memory", BANK)
    assert problems == [] and frame["submission_id"].nunique() == 2
    assert list(tmp_path.iterdir()) == []


def test_progress_bar_is_drawn_a_few_hundred_times_at_most(tmp_path):
    handed = make_store(tmp_path / "handed", [3] * 12)
    stream = io.StringIO()
    col.collect([handed], tmp_path / "store", bank=BANK, progress=stream, progress_from=1)
    assert stream.getvalue().count("collecting [") == 12 and "12/12" in stream.getvalue()
    assert "wrote batch-" in stream.getvalue()
