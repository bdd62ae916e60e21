"""Submissions on disk: round trip, never overwritten, crash-safe, and every bad file reported and kept."""

from __future__ import annotations

import errno
import multiprocessing
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from datetime import timedelta
from pathlib import Path

import pandas as pd
import pytest

from helpers import CODE, OTHER_CODE, full_ratings, make_submission, utc
from reconnect.core import files
from reconnect.core.errors import StoreError, SubmissionError
from reconnect.core.files import TEMP_PREFIX, write_new
from reconnect.records.store import (
    COLUMNS,
    Submission,
    check_submission,
    latest_ratings,
    latest_submissions,
    load_store,
    read_submission_file,
    save_submission,
    submissions_folder,
    to_frame,
)

NAME_RE = re.compile(r"^sub-[0-9a-f]{24}\.csv$")


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


# -- round trip ----------------------------------------------------------------------------------


def test_round_trip_keeps_ratings_unanswered_and_types(tmp_path, bank):
    ratings = {"se1": 1, "se2": 5, "se7": None, "se4": 3, "se5": 2, "se6": None}
    sub = make_submission(bank, ratings=ratings, couple="PAIR-7", saved_at=utc(2026, 11, 26, 18, 30, 5, 123000))
    path = save_submission(tmp_path, sub, bank=bank)
    data = load_store(tmp_path, bank=bank)
    assert data.ok and data.files_read == 1
    frame = data.frame
    assert list(frame.columns) == [*COLUMNS, "source"]
    assert len(frame) == 6
    got = {r.item: (None if pd.isna(r.rating) else int(r.rating)) for r in frame.itertuples()}
    assert got == ratings
    assert str(frame["rating"].dtype) == "Int64"
    assert frame["rating"].isna().sum() == 2
    assert isinstance(frame["saved_at"].dtype, pd.DatetimeTZDtype)
    assert frame["saved_at"].dt.tz is not None
    assert (frame["saved_at"] == pd.Timestamp(sub.saved_at)).all()
    row = frame.iloc[0]
    assert (row.participant, row.workshop, row.couple, row.session, row.area) == (
        CODE,
        "TUESDAY",
        "PAIR-7",
        "before",
        "self_esteem",
    )
    assert row.submission_id == sub.submission_id and row.bank_version == bank.version
    assert set(frame["source"]) == {str(path)}


def test_saved_file_opens_in_plain_pandas(tmp_path, write_submission):
    path = write_submission(tmp_path, ratings={"se1": 2, "se2": None})
    plain = pd.read_csv(path)
    assert list(plain.columns) == list(COLUMNS)
    assert plain["rating"].tolist()[0] == 2 and pd.isna(plain["rating"].tolist()[1])


def test_empty_or_missing_store_gives_an_empty_typed_frame(tmp_path, bank):
    data = load_store(tmp_path / "nothing-yet", bank=bank)
    assert data.ok and data.frame.empty and data.files_read == 0
    assert list(data.frame.columns) == [*COLUMNS, "source"]
    assert str(data.frame["rating"].dtype) == "Int64"


# -- never overwrite, random names ---------------------------------------------------------------


def test_every_save_is_a_new_file(tmp_path, write_submission):
    first = write_submission(tmp_path)
    first_bytes = first.read_bytes()
    second = write_submission(tmp_path)
    assert first != second
    assert first.parent == second.parent == submissions_folder(tmp_path) / CODE  # submissions/<code>/
    assert sorted(p.name for p in first.parent.iterdir()) == sorted([first.name, second.name])
    assert first.read_bytes() == first_bytes


def test_saving_the_same_submission_twice_refuses_and_keeps_the_first(tmp_path, bank):
    sub = make_submission(bank)
    path = save_submission(tmp_path, sub, bank=bank)
    before = path.read_bytes()
    with pytest.raises(StoreError, match="already exists"):
        save_submission(tmp_path, sub, bank=bank)
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == [path.name]


def test_write_new_never_replaces_an_existing_file(tmp_path):
    target = tmp_path / "sub-abc.csv"
    target.write_bytes(b"old bytes\n")
    with pytest.raises(StoreError) as info:
        write_new(target, b"new bytes\n")
    assert str(target) in str(info.value) and "left as it is" in str(info.value)
    assert target.read_bytes() == b"old bytes\n"
    assert [p.name for p in tmp_path.iterdir()] == ["sub-abc.csv"], "no temporary file left behind"


def test_file_names_are_random_and_reveal_nothing(tmp_path, write_submission):
    paths = [write_submission(tmp_path, workshop="Tuesday group", couple="Smiths") for _ in range(5)]
    names = [p.name for p in paths]
    assert len(set(names)) == 5
    for name in names:
        assert NAME_RE.match(name), name
        for typed in (CODE, CODE.replace("-", ""), "Tuesday", "Smiths", "before", "self_esteem"):
            assert typed.lower() not in name.lower()


def test_saved_files_are_private_to_the_owner(tmp_path, write_submission):
    path = write_submission(tmp_path)
    assert path.stat().st_mode & 0o077 == 0


# -- bad files -----------------------------------------------------------------------------------


def _valid_lines(bank) -> list[list[str]]:
    text = make_submission(bank).to_csv().decode()
    return [line.split(",") for line in text.splitlines()]


def _join(lines: list[list[str]]) -> bytes:
    return ("\n".join(",".join(cells) for cells in lines) + "\n").encode()


def _set(column: str, value: str, rows=(1,)):
    index = COLUMNS.index(column)

    def change(lines):
        for r in rows:
            lines[r][index] = value
        return _join(lines)

    return change


ALL_ROWS = range(1, 7)


def _drop_column(column):
    index = COLUMNS.index(column)

    def change(lines):
        return _join([[c for i, c in enumerate(row) if i != index] for row in lines])

    return change


def _truncated(lines):
    data = _join(lines)
    return data[: data.index(b"\n", len(data) // 2) - 7]  # stops in the middle of a row


def _not_utf8(lines):
    return _join(lines).replace(b"TUESDAY", b"TU\xff\xfeSDAY", 1)


def _duplicate_item(lines):
    lines[3][COLUMNS.index("item")] = "se1"
    return _join(lines)


# case: (make bytes from the valid rows, expected location fragment, expected reason fragment)
BAD_FILES = {
    "rating 7": (_set("rating", "7", rows=(2,)), "row 3, column rating", "7 is outside the scale 1-5"),
    "rating abc": (_set("rating", "abc"), "row 2, column rating", "'abc' is not a whole number"),
    "rating 3.5": (_set("rating", "3.5", rows=(4,)), "row 5, column rating", "'3.5' is not a whole number"),
    "rating -1": (_set("rating", "-1"), "row 2, column rating", "digits 0-9"),
    "rating 0": (_set("rating", "0"), "row 2, column rating", "outside the scale"),
    "rating fullwidth 4": (_set("rating", "\uff14"), "row 2, column rating", "digits 0-9"),
    "rating +4": (_set("rating", "+4"), "row 2, column rating", "digits 0-9"),
    "rating 0_4": (_set("rating", "0_4"), "row 2, column rating", "digits 0-9"),
    "ISO week date": (_set("saved_at", "2026-W48-4T18:30:00+00:00", ALL_ROWS), "row 2, column saved_at", "not a time"),
    "submission id with ../": (
        _set("submission_id", "../../etc0000", ALL_ROWS),
        "row 2, column submission_id",
        "not a Reconnect submission id",
    ),
    "bank version formula": (_set("bank_version", "=1+1", ALL_ROWS), "row 2, column bank_version", "not an item-bank"),
    "blank participant": (_set("participant", "", ALL_ROWS), "row 2, column participant", "blank"),
    "unknown area": (_set("area", "friendship", ALL_ROWS), "row 2, column area", "unknown area 'friendship'"),
    "unknown item": (_set("item", "se9", rows=(6,)), "row 7, column item", "'se9' is not a statement"),
    "item of another area": (_set("item", "dt1", rows=(1,)), "row 2, column item", "not a statement of area"),
    "duplicate item row": (_duplicate_item, "row 4, column item", "se1 appears twice"),
    "two participants in one file": (
        _set("participant", OTHER_CODE, rows=(3,)),
        "row 4, column participant",
        "differs",
    ),
    "empty file": (lambda lines: b"", "", "empty"),
    "whitespace only": (lambda lines: b"  \n\n", "", "empty"),
    "truncated": (_truncated, "last line", "cut off"),
    "short row": (lambda lines: _join(lines[:-1] + [lines[-1][:5]]), "row 7", "fields"),
    "not UTF-8": (_not_utf8, "byte ", "not UTF-8"),
    "header only": (lambda lines: _join(lines[:1]), "", "header but no ratings"),
    "missing column": (_drop_column("rating"), "header", "column(s) missing: rating"),
    "format_version 99": (_set("format_version", "99", ALL_ROWS), "row 2, column format_version", "newer"),
    "format_version x": (_set("format_version", "x", ALL_ROWS), "row 2, column format_version", "not a format"),
    "participant ../": (_set("participant", "../../etc", ALL_ROWS), "row 2, column participant", "not a participant"),
    "participant <script>": (
        _set("participant", "<script>alert(1)</script>", ALL_ROWS),
        "row 2, column participant",
        "not a participant code",
    ),
    "session with markup": (_set("session", "<b>x</b>", ALL_ROWS), "row 2, column session", "not allowed"),
    "saved_at without zone": (
        _set("saved_at", "2026-11-26T18:30:00", ALL_ROWS),
        "row 2, column saved_at",
        "not a time like",
    ),
}


@pytest.mark.parametrize("case", list(BAD_FILES), ids=list(BAD_FILES))
def test_bad_file_is_reported_and_kept_while_good_files_load(tmp_path, bank, write_submission, case):
    make_bytes, location, reason = BAD_FILES[case]
    good = write_submission(tmp_path, participant=OTHER_CODE, area="distrust")
    good_id = good.name[4:-4]
    bad = submissions_folder(tmp_path) / "sub-000000000000000000000bad.csv"
    bad.write_bytes(make_bytes(_valid_lines(bank)))
    before = _snapshot(tmp_path)

    data = load_store(tmp_path, bank=bank)

    assert not data.ok
    assert {p.path for p in data.problems} == {str(bad)}, "only the bad file is reported"
    messages = [str(p) for p in data.problems]
    assert any(location in p.location and reason in p.reason for p in data.problems), messages
    for problem in data.problems:
        assert problem.fix and str(problem).startswith(str(bad)) and "Fix:" in str(problem)
    assert set(data.frame["submission_id"]) == {good_id}, "the good file still loads, the bad one adds nothing"
    assert len(data.frame) == len(bank.area("distrust").items)
    assert _snapshot(tmp_path) == before, "loading changes, moves and deletes nothing"
    # The single-file reader agrees.
    rows, problems = read_submission_file(bad, bank)
    assert rows == [] and [str(p) for p in problems] == messages


def test_markup_from_a_file_is_not_echoed_at_length(tmp_path, bank):
    path = tmp_path / "sub-x.csv"
    path.write_bytes(_set("participant", "<script>" + "A" * 500 + "</script>", ALL_ROWS)(_valid_lines(bank)))
    _, problems = read_submission_file(path, bank)
    assert problems and all(len(p.reason) < 120 for p in problems)


def test_very_large_file_is_refused_unread(tmp_path, bank):
    path = tmp_path / "sub-big.csv"
    path.write_bytes(b"x" * (300 * 1024))
    rows, (problem,) = read_submission_file(path, bank)
    assert rows == [] and "larger" in problem.reason


def test_temporary_and_hidden_files_are_skipped_and_other_files_reported(tmp_path, bank, write_submission):
    good = write_submission(tmp_path)
    folder = submissions_folder(tmp_path)
    (folder / f"{TEMP_PREFIX}abc-sub-123.csv").write_bytes(b"format_version,subm")  # an unfinished save
    (folder / ".DS_Store").write_bytes(b"\x00\x01")
    (folder / "notes.txt").write_text("hello")
    data = load_store(tmp_path, bank=bank)
    assert data.files_read == 1
    assert set(data.frame["source"]) == {str(good)}
    assert [Path(p.path).name for p in data.problems] == ["notes.txt"]
    assert (folder / "notes.txt").read_text() == "hello"


# -- check_submission ------------------------------------------------------------------------------


@pytest.mark.parametrize("rating", [0, 6, 9, -1, 3.5, 4.0, "4", True])
def test_check_submission_rejects_ratings_off_the_scale(bank, tmp_path, rating):
    ratings = full_ratings(bank, "self_esteem")
    ratings["se2"] = rating
    sub = make_submission(bank, ratings=ratings)
    with pytest.raises(SubmissionError) as info:
        check_submission(sub, bank)
    assert "statement se2" in str(info.value) and "1 to 5" in str(info.value)
    with pytest.raises(SubmissionError):
        save_submission(tmp_path, sub, bank=bank)
    assert not submissions_folder(tmp_path).exists() or not any(submissions_folder(tmp_path).iterdir())


@pytest.mark.parametrize("code", ["", "km7-4tx", "KM74TX", "KM7-4TXX", "KM0-4TX", "../../x", "<script>", "KM7-4TX\n"])
def test_check_submission_rejects_bad_participant_codes(bank, code):
    with pytest.raises(SubmissionError, match="participant"):
        check_submission(make_submission(bank, participant=code), bank)


@pytest.mark.parametrize(
    ("field", "value"),
    [("session", ""), ("session", "a/b"), ("workshop", "<b>"), ("couple", "x" * 41), ("workshop", "=cmd()")],
)
def test_check_submission_rejects_bad_labels(bank, field, value):
    with pytest.raises(SubmissionError):
        check_submission(make_submission(bank, **{field: value}), bank)


def test_check_submission_rejects_unknown_area_and_item(bank):
    with pytest.raises(SubmissionError, match="unknown area"):
        check_submission(make_submission(bank, area="friendship", ratings={"fr1": 3}), bank)
    with pytest.raises(SubmissionError, match="statement dt1"):
        check_submission(make_submission(bank, ratings={"se1": 3, "dt1": 3}), bank)


def test_check_submission_accepts_a_valid_submission_with_open_items(bank):
    ratings = full_ratings(bank, "distrust", None)
    ratings["dt1"] = 5
    assert check_submission(make_submission(bank, area="distrust", ratings=ratings), bank) is None


# -- folders that cannot be written -------------------------------------------------------------


def test_store_path_that_is_a_file_gives_a_readable_error(tmp_path, bank):
    store = tmp_path / "store"
    store.write_bytes(b"precious\n")
    with pytest.raises(StoreError) as info:
        save_submission(store, make_submission(bank), bank=bank)
    message = str(info.value)
    assert str(store) in message and "Traceback" not in message
    assert "Could not" in message
    assert store.read_bytes() == b"precious\n"


def test_submissions_path_that_is_a_file_gives_a_readable_error(tmp_path, bank, write_submission):
    (tmp_path / "submissions").write_bytes(b"not a folder\n")
    with pytest.raises(StoreError) as info:
        write_submission(tmp_path)
    assert "submissions" in str(info.value)
    assert (tmp_path / "submissions").read_bytes() == b"not a folder\n"


def test_permission_denied_says_nothing_was_lost(tmp_path, bank, write_submission, monkeypatch):
    """As root, chmod cannot deny writing; simulate the error the operating system gives a user."""
    kept = write_submission(tmp_path)
    before = _snapshot(tmp_path)

    def denied(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(files, "_write_synced", denied)
    with pytest.raises(StoreError) as info:
        write_submission(tmp_path)
    message = str(info.value)
    assert "read-only or you lack permission" in message
    assert "nothing was lost" in message and "RECONNECT_HOME" in message
    assert _snapshot(tmp_path) == before
    assert load_store(tmp_path, bank=bank).frame["source"].unique().tolist() == [str(kept)]


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root can write into read-only folders")
def test_read_only_store_folder(tmp_path, bank, write_submission):
    kept = write_submission(tmp_path)
    folder = submissions_folder(tmp_path)
    before = _snapshot(tmp_path)
    folder.chmod(0o555)
    try:
        with pytest.raises(StoreError, match="read-only or you lack permission"):
            write_submission(tmp_path)
    finally:
        folder.chmod(0o755)
    assert _snapshot(tmp_path) == before
    assert kept.exists()


# -- newest wins -----------------------------------------------------------------------------------


def test_latest_submissions_keeps_the_newest_per_participant_session_area(tmp_path, bank, write_submission):
    t0 = utc(2026, 11, 1, 18, 0)
    write_submission(tmp_path, saved_at=t0, ratings=full_ratings(bank, "self_esteem", 1))
    newest = write_submission(tmp_path, saved_at=t0 + timedelta(days=2), ratings=full_ratings(bank, "self_esteem", 5))
    write_submission(tmp_path, saved_at=t0 + timedelta(days=1), ratings=full_ratings(bank, "self_esteem", 3))
    after = write_submission(tmp_path, saved_at=t0, session="after", ratings=full_ratings(bank, "self_esteem", 2))
    other = write_submission(tmp_path, saved_at=t0, participant=OTHER_CODE)
    area2 = write_submission(tmp_path, saved_at=t0, area="distrust")
    frame = load_store(tmp_path, bank=bank).frame
    assert frame["submission_id"].nunique() == 6

    kept = latest_submissions(frame)
    assert set(kept["source"]) == {str(p) for p in (newest, after, other, area2)}
    mine = kept[(kept["participant"] == CODE) & (kept["session"] == "before") & (kept["area"] == "self_esteem")]
    assert set(mine["rating"]) == {5}

    ratings, when = latest_ratings(frame, participant=CODE, area="self_esteem", session="before")
    assert ratings == full_ratings(bank, "self_esteem", 5)
    assert when == t0 + timedelta(days=2)
    assert latest_ratings(frame, participant=CODE, area="foundation", session="before") == ({}, None)


def test_latest_submissions_of_an_empty_frame_is_empty():
    assert latest_submissions(to_frame([])).empty


# -- crash safety and concurrency ----------------------------------------------------------------

_SAVE_LOOP = textwrap.dedent(
    """
    import sys
    from reconnect.bank.content import load_item_bank
    from reconnect.records.store import Submission, save_submission

    bank = load_item_bank()
    ratings = {item.id: 3 for item in bank.area("foundation").items}
    n = 0
    while True:
        sub = Submission("KM7-4TX", "foundation", ratings, "before", "W", "", bank.version)
        save_submission(sys.argv[1], sub, bank=bank)
        n += 1
        if n == 3:
            print("saving", flush=True)
    """
)


class _Killed(BaseException):
    """Stands in for the process dying at a given point (not an Exception, so nothing catches it)."""


def test_crash_before_the_rename_leaves_no_submission(tmp_path, bank, monkeypatch):
    kept = save_submission(tmp_path, make_submission(bank), bank=bank)

    def die(*args, **kwargs):
        raise _Killed

    monkeypatch.setattr(files.os, "link", die)
    monkeypatch.setattr(files.os, "replace", die)
    monkeypatch.setattr(files, "_rename_noreplace", die)
    with pytest.raises(_Killed):
        save_submission(tmp_path, make_submission(bank, area="distrust"), bank=bank)
    monkeypatch.undo()
    names = [p.name for p in kept.parent.iterdir()]
    assert kept.name in names
    assert [n for n in names if not n.startswith(TEMP_PREFIX)] == [kept.name], "no half-made submission"
    data = load_store(tmp_path, bank=bank)
    assert data.ok and data.files_read == 1


def test_data_is_flushed_to_disk_before_the_file_gets_its_name(tmp_path, bank, monkeypatch):
    events = []
    real_fsync, real_link = os.fsync, os.link

    def fsync(fd):
        events.append("fsync")
        return real_fsync(fd)

    def link(src, dst):
        events.append("link")
        assert Path(src).read_bytes().endswith(b"\n"), "the temporary file is complete before it is named"
        return real_link(src, dst)

    monkeypatch.setattr(files.os, "fsync", fsync)
    monkeypatch.setattr(files.os, "link", link)
    real_rename = files._rename_noreplace

    def rename(src, dst):
        events.append("rename")
        assert Path(src).read_bytes().endswith(b"\n"), "the temporary file is complete before it is named"
        return real_rename(src, dst)

    monkeypatch.setattr(files, "_rename_noreplace", rename)
    save_submission(tmp_path, make_submission(bank), bank=bank)
    assert events[0] == "fsync" and events[1] == "rename" and events[-1] == "fsync", events
    monkeypatch.setattr(files, "_rename_noreplace", lambda src, dst: False)  # where renameat2 is missing
    events.clear()
    save_submission(tmp_path, make_submission(bank), bank=bank)
    assert events[:2] == ["fsync", "link"] and events[-1] == "fsync", events


def test_the_one_step_rename_never_replaces_and_leaves_nothing_behind(tmp_path):
    target = tmp_path / "sub-abc.csv"
    target.write_bytes(b"old bytes\n")
    src = tmp_path / ".tmp-x"
    src.write_bytes(b"new\n")
    write_new(tmp_path / "probe", b"")  # sets up renameat2 if this system has it
    (tmp_path / "probe").unlink()
    if files._renameat2 is False:
        pytest.skip("renameat2 is not available here; write_new links instead (tested above)")
    with pytest.raises(FileExistsError):
        files._rename_noreplace(src, target)
    assert target.read_bytes() == b"old bytes\n" and src.exists()
    write_new(tmp_path / "fresh.csv", b"ok\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".tmp-x", "fresh.csv", "sub-abc.csv"]


def test_disk_error_while_writing_leaves_nothing_behind(tmp_path, bank, monkeypatch):
    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(files.os, "fsync", full)
    with pytest.raises(StoreError, match="disk is full"):
        save_submission(tmp_path, make_submission(bank), bank=bank)
    assert [p for p in submissions_folder(tmp_path).rglob("*") if not p.is_dir()] == []


def test_killed_while_saving_leaves_only_complete_files(tmp_path, bank):
    store = tmp_path / "store"
    for delay in (0.05, 0.13, 0.21):
        proc = subprocess.Popen(
            [sys.executable, "-c", _SAVE_LOOP, str(store)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        try:
            assert proc.stdout.readline().strip() == b"saving", proc.stderr.read().decode()
            time.sleep(delay)
        finally:
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=10)
        assert proc.returncode == -signal.SIGKILL

    folder = submissions_folder(store)
    finished = [p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(TEMP_PREFIX)]
    assert len(finished) >= 9
    for path in finished:
        assert NAME_RE.match(path.name)
        rows, problems = read_submission_file(path, bank)
        assert problems == [] and len(rows) == len(bank.area("foundation").items)
    data = load_store(store, bank=bank)
    assert data.ok, [str(p) for p in data.problems]
    assert data.files_read == len(finished)
    assert data.frame["submission_id"].nunique() == len(finished)


def _save_many(store: str, worker: int, count: int) -> list[str]:
    from reconnect.bank.content import load_item_bank

    bank = load_item_bank()
    names = []
    for n in range(count):
        ratings = {item.id: 1 + (worker + n) % 5 for item in bank.area("communication").items}
        sub = Submission(CODE, "communication", ratings, f"session-{worker}", bank_version=bank.version)
        names.append(save_submission(store, sub, bank=bank).name)
    return names


def test_several_processes_saving_at_once_lose_nothing(tmp_path, bank):
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with multiprocessing.get_context(method).Pool(4) as pool:
        results = pool.starmap(_save_many, [(str(tmp_path), w, 25) for w in range(4)])
    names = [name for names in results for name in names]
    assert len(names) == len(set(names)) == 100
    data = load_store(tmp_path, bank=bank)
    assert data.ok and data.files_read == 100
    assert data.frame["submission_id"].nunique() == 100
    assert len(data.frame) == 100 * len(bank.area("communication").items)
    assert data.frame.groupby("session")["submission_id"].nunique().to_dict() == {f"session-{w}": 25 for w in range(4)}
    assert not [p for p in submissions_folder(tmp_path).iterdir() if p.name.startswith(TEMP_PREFIX)]


def test_save_without_a_bank_version_records_the_bank_in_use(tmp_path, bank):
    from reconnect.records.store import Submission, load_store, save_submission

    sub = Submission("KM7-4TX", "distrust", {i.id: 3 for i in bank.area("distrust").items}, "before")
    path = save_submission(tmp_path, sub, bank=bank)
    data = load_store(tmp_path, bank=bank)
    assert data.problems == []
    assert set(data.frame["bank_version"]) == {bank.version}
    assert path.exists()
