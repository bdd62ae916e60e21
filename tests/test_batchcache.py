"""The batch cache (reconnect.records.batchcache): a store loads exactly the same with it, and a stale or damaged
cache, or a damaged batch file, is never trusted.

Every comparison is against the store loaded with the cache switched off (each batch file read and
checked with the rest, as before the cache existed).
"""

from __future__ import annotations

import dataclasses
import io
import os
import stat

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from _group_helpers import BANK, make_store, submission
from reconnect.records import batchcache, privacy, retention
from reconnect.records import collect as col
from reconnect.records import store as store_module
from reconnect.records.store import COLUMNS, load_store, save_submission, submissions_folder
from reconnect.results import group, scoring

AREAS = [a.id for a in BANK.areas]


def batch_bytes(subs) -> bytes:
    body = b"".join(s.to_csv().split(b"\n", 1)[1] for s in subs)
    return (",".join(COLUMNS) + "\n").encode() + body


def write_batch(root, subs, n=0, *, data=None):
    path = submissions_folder(root) / f"batch-{n:024x}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(batch_bytes(subs) if data is None else data)
    return path


def uncached(root):
    """The store as loaded without any cache: every batch file read and checked with the others."""
    saved = store_module.batchcache.cacheable
    store_module.batchcache.cacheable = lambda name: False
    try:
        return load_store(root, bank=BANK)
    finally:
        store_module.batchcache.cacheable = saved


def cached_files(root):
    folder = batchcache.cache_folder(root)
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def same(a, b):
    pd.testing.assert_frame_equal(a.frame, b.frame)
    assert [str(p) for p in a.problems] == [str(p) for p in b.problems]
    assert a.files_read == b.files_read


def test_a_clean_batch_is_cached_and_loads_the_same(tmp_path):
    subs = [submission(i, AREAS[i % 5], 1 + i % 5, minute=i) for i in range(12)]
    write_batch(tmp_path, subs[:6], 1)
    write_batch(tmp_path, subs[6:], 2)
    reference = uncached(tmp_path)
    assert cached_files(tmp_path) == []
    first = load_store(tmp_path, bank=BANK)  # checks and writes the cache
    assert cached_files(tmp_path) == [f"batch-{1:024x}.csv.npz", f"batch-{2:024x}.csv.npz"]
    second = load_store(tmp_path, bank=BANK)  # from the cache
    same(first, reference)
    same(second, reference)
    folder = batchcache.cache_folder(tmp_path)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in folder.iterdir())
    assert folder.parent == submissions_folder(tmp_path).parent, "beside submissions/, never in it"


def test_the_cache_is_what_is_read(tmp_path, monkeypatch):
    write_batch(tmp_path, [submission(i, AREAS[0], 3) for i in range(4)], 1)
    load_store(tmp_path, bank=BANK)
    reads = []
    monkeypatch.setattr(store_module, "_read_file", lambda path, into: reads.append(path))
    assert len(load_store(tmp_path, bank=BANK).frame) == 4 * len(BANK.area(AREAS[0]).items)
    assert reads == [], "a valid cache is used instead of reading the batch file"


def test_a_batch_with_a_problem_is_never_cached_and_always_reported(tmp_path):
    good = [submission(i, AREAS[1], 2) for i in range(3)]
    text = batch_bytes(good).replace(b",2,2026-", b",9,2026-", 1)  # one rating off the scale: one submission rejected
    assert text != batch_bytes(good)
    write_batch(tmp_path, good, 1, data=text)
    for _ in range(2):
        data = load_store(tmp_path, bank=BANK)
        assert len(data.problems) == 1 and "outside the scale" in str(data.problems[0])
        assert data.frame["submission_id"].nunique() == 2
        same(data, uncached(tmp_path))
    assert cached_files(tmp_path) == []


def test_a_batch_changed_after_caching_is_read_again(tmp_path):
    """Even with its size and modification time put back, a changed batch file is never taken from the cache."""
    subs = [submission(i, AREAS[2], 4) for i in range(3)]
    path = write_batch(tmp_path, subs, 1)
    load_store(tmp_path, bank=BANK)
    assert cached_files(tmp_path)
    before = path.stat()
    damaged = path.read_bytes().replace(b",4,2026-", b",7,2026-", 1)  # same size, one rating now off the scale
    assert len(damaged) == before.st_size
    path.write_bytes(damaged)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_mtime_ns == before.st_mtime_ns and path.stat().st_size == before.st_size
    data = load_store(tmp_path, bank=BANK)
    assert len(data.problems) == 1 and "outside the scale" in str(data.problems[0])
    same(data, uncached(tmp_path))
    assert cached_files(tmp_path) == [], "the stale copy is not kept beside a damaged file"


def _damage_bytes(path, where):
    data = bytearray(path.read_bytes())
    i = {"start": 10, "middle": len(data) // 2, "end": len(data) - 30}[where]
    data[i] ^= 0xFF
    path.write_bytes(bytes(data))


@pytest.mark.parametrize(
    "damage",
    ["truncated", "empty", "flip-start", "flip-middle", "flip-end", "other-batch", "folder", "link", "not-a-zip"],
)
def test_a_damaged_cache_is_ignored_and_rebuilt(tmp_path, damage):
    write_batch(tmp_path, [submission(i, AREAS[3], 2 + i % 3) for i in range(4)], 1)
    write_batch(tmp_path, [submission(10 + i, AREAS[4], 1 + i % 5) for i in range(5)], 2)
    reference = uncached(tmp_path)
    load_store(tmp_path, bank=BANK)
    folder = batchcache.cache_folder(tmp_path)
    one, two = sorted(folder.iterdir())
    if damage == "truncated":
        one.write_bytes(one.read_bytes()[: one.stat().st_size // 2])
    elif damage == "empty":
        one.write_bytes(b"")
    elif damage.startswith("flip"):
        _damage_bytes(one, damage.split("-")[1])
    elif damage == "other-batch":
        one.write_bytes(two.read_bytes())  # a valid cache, of another file
    elif damage == "folder":
        one.unlink()
        one.mkdir()
    elif damage == "link":
        one.unlink()
        one.symlink_to(two)
    elif damage == "not-a-zip":
        one.write_bytes(b"PK\x03\x04 not really a zip")
    same(load_store(tmp_path, bank=BANK), reference)
    if damage not in ("folder", "link"):
        same(load_store(tmp_path, bank=BANK), reference)
        assert (
            batchcache.read(
                tmp_path,
                submissions_folder(tmp_path) / one.name[:-4],
                (submissions_folder(tmp_path) / one.name[:-4]).lstat(),
                BANK,
            )
            is not None
        ), "rebuilt"


def _rewrite_cache(path, change):
    with np.load(path, allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    change(arrays)
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    path.write_bytes(buffer.getvalue())


@pytest.mark.parametrize(
    "change",
    [
        "codes out of range",
        "negative code",
        "rows missing",
        "times missing",
        "a column missing",
        "numbers instead of text",
        "another item bank",
        "other rules",
        "a missing time",
    ],
)
def test_a_cache_with_the_right_key_but_wrong_content_is_ignored(tmp_path, change):
    """Well-formed zip, correct CRC, but content the reader must not trust."""
    write_batch(tmp_path, [submission(i, AREAS[0], 1 + i % 5) for i in range(5)], 1)
    reference = uncached(tmp_path)
    load_store(tmp_path, bank=BANK)
    (cache,) = batchcache.cache_folder(tmp_path).iterdir()
    import json

    def edit(arrays):
        if change == "codes out of range":
            arrays["c:rating"] = arrays["c:rating"] + 50
        elif change == "negative code":
            arrays["c:item"] = arrays["c:item"] - 1
        elif change == "rows missing":
            arrays["c:participant"] = arrays["c:participant"][:-1]
        elif change == "times missing":
            arrays["_time"] = arrays["_time"][:-2]
        elif change == "a column missing":
            del arrays["u:session"]
        elif change == "numbers instead of text":
            arrays["u:area"] = np.arange(len(arrays["u:area"]))
        elif change in ("another item bank", "other rules"):
            key = json.loads(str(arrays["key"][()]))
            key["bank" if change == "another item bank" else "rules"] = "0" * 64
            arrays["key"] = np.array(json.dumps(key))
        elif change == "a missing time":
            arrays["_time"][0] = np.iinfo(np.int64).min

    _rewrite_cache(cache, edit)
    batch = submissions_folder(tmp_path) / cache.name[:-4]
    assert batchcache.read(tmp_path, batch, batch.lstat(), BANK) is None
    same(load_store(tmp_path, bank=BANK), reference)


def test_a_cache_never_holds_answers_of_a_batch_file_that_is_gone(tmp_path):
    write_batch(tmp_path, [submission(i, AREAS[0], 3) for i in range(3)], 1)
    path = write_batch(tmp_path, [submission(5 + i, AREAS[1], 3) for i in range(3)], 2)
    load_store(tmp_path, bank=BANK)
    assert len(cached_files(tmp_path)) == 2
    path.unlink()  # deleted by hand
    (batchcache.cache_folder(tmp_path) / "stray.txt").write_text("x")
    load_store(tmp_path, bank=BANK)
    assert cached_files(tmp_path) == [f"batch-{1:024x}.csv.npz"]


def test_forget_workshop_and_erase_remove_the_cache(tmp_path):
    subs = [submission(i, AREAS[0], 3, workshop="MON" if i < 3 else "TUE") for i in range(6)]
    write_batch(tmp_path, subs, 1)
    load_store(tmp_path, bank=BANK)
    assert cached_files(tmp_path)
    result = retention.forget_workshop(tmp_path, "MON", confirm="MON", bank=BANK)
    assert result.submissions == 3
    assert not batchcache.cache_folder(tmp_path).exists()
    data = load_store(tmp_path, bank=BANK)
    assert set(data.frame["workshop"]) == {"TUE"}
    assert cached_files(tmp_path), "rebuilt from what is left"
    one = subs[3]
    only_theirs = write_batch(tmp_path, [one], 7)
    load_store(tmp_path, bank=BANK)
    privacy.erase_participant(tmp_path, one.participant, confirm=one.participant)
    assert not only_theirs.exists()
    assert not batchcache.cache_folder(tmp_path).exists()


def test_collect_never_picks_up_a_cache(tmp_path):
    handed = make_store(tmp_path / "handed", [5, 4, 3, 2, 1])
    col.collect([handed], tmp_path / "one", bank=BANK)
    load_store(tmp_path / "one", bank=BANK)
    assert cached_files(tmp_path / "one")
    result = col.collect([tmp_path / "one"], tmp_path / "two", bank=BANK)  # a store collected into another
    assert len(result.imported) == 5
    assert [str(r).split(":")[0] for r in result.rejected] == [str(tmp_path / "one" / ".lock")]  # as before
    assert not any(batchcache.CACHE_FOLDER in str(r) for r in result.rejected)


def test_a_read_only_store_loads_without_a_cache(tmp_path, monkeypatch):
    write_batch(tmp_path, [submission(i, AREAS[2], 2) for i in range(3)], 1)
    reference = uncached(tmp_path)

    def refuse(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(batchcache, "write_new", refuse)
    same(load_store(tmp_path, bank=BANK), reference)
    assert cached_files(tmp_path) == []


# -- on varied stores ----------------------------------------------------------------------------------

_person = st.integers(0, 40)
_sub = st.builds(
    lambda person, area, level, session, workshop, minute, skip: (person, area, level, session, workshop, minute, skip),
    _person,
    st.sampled_from(AREAS),
    st.integers(1, 5),
    st.sampled_from(["before", "after"]),
    st.sampled_from(["MON", "TUE", ""]),
    st.integers(0, 300),
    st.integers(0, 3),
)


def _make(spec):
    person, area, level, session, workshop, minute, skip = spec
    sub = submission(person, area, level, session=session, workshop=workshop, minute=minute)
    ratings = dict(sub.ratings)
    for item in list(ratings)[:skip]:
        ratings[item] = None  # some statements left open (up to the 75% rule and past it)
    sub.ratings.clear()
    sub.ratings.update(ratings)
    return sub


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    batches=st.lists(st.lists(_sub, min_size=1, max_size=8), min_size=1, max_size=4),
    singles=st.lists(_sub, max_size=4),
    repeat=st.sampled_from(["none", "identical", "different"]),
    damage=st.sampled_from(["none", "rating", "cut"]),
)
def test_varied_stores_load_and_score_the_same_with_the_cache(tmp_path_factory, batches, singles, repeat, damage):
    root = tmp_path_factory.mktemp("store")
    made = [[_make(s) for s in batch] for batch in batches]
    if repeat != "none":
        again = made[0][0]
        if repeat == "different":
            item = next(iter(again.ratings))
            again = dataclasses.replace(again, ratings={**again.ratings, item: 2 if again.ratings[item] == 1 else 1})
        made.append([again])  # the same submission in a second batch file
    for n, batch in enumerate(made):
        data = batch_bytes(batch)
        if damage == "rating" and n == 0:
            data = data.replace(b",1,2026-", b",0,2026-", 1)
        if damage == "cut" and n == len(made) - 1:
            data = data[:-3]
        write_batch(root, batch, n, data=data)
    for spec in singles:
        save_submission(root, _make(spec), bank=BANK)
    reference = uncached(root)
    for _ in range(2):  # writing the cache, then reading it
        data = load_store(root, bank=BANK)
        same(data, reference)
        for session, workshop in (("before", None), ("after", "MON"), (None, None)):
            pd.testing.assert_frame_equal(
                group.scores(data.frame, BANK, workshop=workshop, session=session),
                group.scores(reference.frame, BANK, workshop=workshop, session=session),
            )
            pd.testing.assert_frame_equal(
                group.summary(data.frame, BANK, workshop=workshop, session=session),
                group.summary(reference.frame, BANK, workshop=workshop, session=session),
            )
        pd.testing.assert_frame_equal(scoring.area_scores(data.frame, BANK), scoring.area_scores(reference.frame, BANK))
