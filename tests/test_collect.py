"""Collecting: idempotence, counts, rejects with reasons, hostile archives, drop-folder modes, export."""

import io
import os
import stat
import zipfile

import pytest

from _group_helpers import BANK, code, make_store, submission
from reconnect.core.errors import StoreError
from reconnect.records import collect as col
from reconnect.records import participant as pt
from reconnect.records.batchcache import CACHE_FOLDER
from reconnect.records.drop_folder import drop_copy, make_drop_folder
from reconnect.records.store import load_store, save_submission


def snapshot(folder):
    """Every file under ``folder`` with its bytes (to prove nothing changed).

    The batch cache is left out: loading a store may write checked copies of its batch files there
    (reconnect.records.batchcache; tests/test_batchcache.py), which changes nothing the store holds.
    """
    return {
        p: p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and not p.is_symlink() and CACHE_FOLDER not in p.relative_to(folder).parts
    }


def with_rating(text, value):
    """The same submission with the first statement's rating changed to ``value``."""
    lines = text.splitlines()
    cells = lines[1].split(",")
    cells[8] = str(value)
    lines[1] = ",".join(cells)
    return "\n".join(lines) + "\n"


def handed_in(tmp_path, n=6, **kw):
    src = make_store(tmp_path / "handed", [5, 4, 3, 2, 1, 5, 4, 3][:n], **kw)
    return sorted((src / "submissions").rglob("sub-*.csv"))


def test_collect_twice_imports_once(tmp_path):
    files = handed_in(tmp_path)
    store = tmp_path / "store"
    first = col.collect([tmp_path / "handed"], store, bank=BANK)
    assert (len(first.imported), len(first.already), len(first.rejected)) == (6, 0, 0)
    assert first.summary() == "6 imported, 0 already there, 0 rejected"
    before = snapshot(store)
    again = col.collect([tmp_path / "handed", files[0]], store, bank=BANK)
    assert (len(again.imported), len(again.already), len(again.rejected)) == (0, 7, 0)
    assert "nothing new" in again.summary()
    assert snapshot(store) == before
    data = load_store(store, bank=BANK)
    assert data.ok and data.frame["participant"].nunique() == 6


def test_same_submission_from_two_places(tmp_path):
    files = handed_in(tmp_path, n=3)
    archive = tmp_path / "answers.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for f in files:
            zf.write(f, f"deep/nested/folder/{f.name}")  # nested folders are fine for real submissions
    result = col.collect([tmp_path / "handed", archive], tmp_path / "store", bank=BANK)
    assert (len(result.imported), len(result.already), len(result.rejected)) == (3, 3, 0)


def test_rejects_listed_with_reasons_and_left_untouched(tmp_path):
    files = handed_in(tmp_path, n=2)
    bad = tmp_path / "handed" / "submissions" / "broken.csv"
    bad.write_text(with_rating(files[0].read_text(), 9), encoding="utf-8")
    other = tmp_path / "other"
    save_submission(other, submission(40, "distrust", 3, workshop="WED"), bank=BANK)
    (tmp_path / "empty").mkdir()
    source_before = snapshot(tmp_path / "handed")
    result = col.collect(
        [tmp_path / "handed", other, tmp_path / "empty", tmp_path / "missing"],
        tmp_path / "store",
        bank=BANK,
        workshop="TUE",
    )
    assert len(result.imported) == 2
    reasons = "\n".join(str(p) for p in result.rejected)
    assert "9 is outside the scale" in reasons
    assert "belongs to workshop 'WED'" in reasons
    assert "holds no files" in reasons
    assert "no such file or folder" in reasons
    assert snapshot(tmp_path / "handed") == source_before
    assert result.summary().endswith("4 rejected")


def test_other_item_bank_version_rejected(tmp_path):
    sub = submission(1, "self_esteem", 3)
    text = sub.to_csv().decode().replace(f",{BANK.version},{sub.language}\n", f",0.9,{sub.language}\n")
    path = tmp_path / "old.csv"
    path.write_text(text, encoding="utf-8")
    result = col.collect([path], tmp_path / "store", bank=BANK)
    assert not result.imported and "item bank version 0.9" in str(result.rejected[0])


def test_same_id_different_content_keeps_the_collected_one(tmp_path):
    files = handed_in(tmp_path, n=1)
    store = tmp_path / "store"
    col.collect(files, store, bank=BANK)
    kept = snapshot(store)
    changed = tmp_path / "changed.csv"
    changed.write_text(with_rating(files[0].read_text(), 1), encoding="utf-8")
    result = col.collect([changed], store, bank=BANK)
    assert not result.imported and "already collected" in str(result.rejected[0])
    assert snapshot(store) == kept


def _hostile_zip(path, good_bytes):
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("../escape.csv", good_bytes)
        zf.writestr("/etc/absolute.csv", good_bytes)
        link = zipfile.ZipInfo("link.csv")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, "/etc/passwd")
        zf.writestr("junk/notes.txt", "hello")
        zf.writestr("big.csv", os.urandom(300 * 1024))  # declared and actual size too large
        zf.writestr("bomb.csv", b"0" * (250 * 1024))  # compresses more than 200:1
        inner = io.BytesIO()
        with zipfile.ZipFile(inner, "w") as z2:
            z2.writestr("sub-x.csv", good_bytes)
        zf.writestr("inner.zip", inner.getvalue())
        zf.writestr("a/b/c/sub-good.csv", good_bytes)
        zf.writestr("journal/KM7-4TX/note-1.json", '{"text": "private"}')


def test_hostile_archive(tmp_path):
    good = submission(3, "self_esteem", 4).to_csv()
    archive = tmp_path / "hostile.zip"
    _hostile_zip(archive, good)
    store = tmp_path / "store"
    outside_before = {p for p in tmp_path.rglob("*")}
    result = col.collect([archive], store, bank=BANK)
    assert len(result.imported) == 1 and result.imported[0].endswith("a/b/c/sub-good.csv")
    reasons = {p.path.split("!")[1]: p.reason for p in result.rejected}
    assert "climbs out" in reasons["../escape.csv"]
    assert "absolute path" in reasons["/etc/absolute.csv"]
    assert "symbolic link" in reasons["link.csv"]
    assert "not a submission" in reasons["junk/notes.txt"]
    assert "far too large" in reasons["big.csv"]
    assert "zip bomb" in reasons["bomb.csv"]
    assert "archive inside an archive" in reasons["inner.zip"]
    assert not any("journal" in k for k in reasons)  # private notes are not even looked at
    new = {p for p in tmp_path.rglob("*")} - outside_before
    assert all(store in p.parents or p == store for p in new), new
    # Collected submissions go into batch files (format change of issue 6): one new file, holding it.
    (batch,) = (store / "submissions").iterdir()
    assert batch.name.startswith("batch-") and batch.read_bytes() == good
    assert not (tmp_path / "escape.csv").exists()


def test_actual_size_checked_when_header_lies(tmp_path, monkeypatch):
    archive = tmp_path / "liar.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_STORED) as zf:
        zf.writestr("sub-a.csv", os.urandom(300 * 1024))
    monkeypatch.setattr(col, "_member_problem", lambda m: None)  # as if the declared size were small
    result = col.collect([archive], tmp_path / "store", bank=BANK)
    assert "far more than a submission" in str(result.rejected[0])


def test_symlinked_file_in_folder_not_followed(tmp_path):
    files = handed_in(tmp_path, n=1)
    folder = tmp_path / "drop"
    folder.mkdir()
    (folder / "sub-link.csv").symlink_to(files[0])
    result = col.collect([folder], tmp_path / "store", bank=BANK)
    assert not result.imported and "links are not followed" in str(result.rejected[0])


def test_read_only_store_clear_message(tmp_path, monkeypatch):
    files = handed_in(tmp_path, n=1)
    store = tmp_path / "store"
    (store / "submissions").mkdir(parents=True)
    real_open = os.open

    def refuse(path, flags, mode=0o777, **kw):
        if str(path).startswith(str(store)) and flags & os.O_CREAT:
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, mode, **kw)

    monkeypatch.setattr(col.os, "open", refuse)
    with pytest.raises(StoreError, match="read-only"):
        col.collect(files, store, bank=BANK)
    assert list((store / "submissions").iterdir()) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write into read-only folders")
def test_read_only_store_for_real(tmp_path):
    files = handed_in(tmp_path, n=1)
    store = tmp_path / "store"
    (store / "submissions").mkdir(parents=True)
    os.chmod(store / "submissions", 0o500)
    try:
        with pytest.raises(StoreError, match="read-only"):
            col.collect(files, store, bank=BANK)
    finally:
        os.chmod(store / "submissions", 0o700)


def test_progress_bar(tmp_path):
    handed_in(tmp_path, n=3)
    stream = io.StringIO()
    col.collect([tmp_path / "handed"], tmp_path / "store", bank=BANK, progress=stream, progress_from=1)
    assert "collecting [" in stream.getvalue() and "3/3" in stream.getvalue()
    quiet = io.StringIO()
    col.collect([tmp_path / "handed"], tmp_path / "store2", bank=BANK, progress=quiet, progress_from=20)
    assert quiet.getvalue() == ""


# -- the collection folder -------------------------------------------------------------------------
def test_drop_folder_modes(tmp_path, monkeypatch):
    folder = make_drop_folder(tmp_path / "drop")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o1733  # others: add only, no listing; sticky
    sub = submission(1, "self_esteem", 4)
    old = os.umask(0o077)  # a strict umask must not make the copy unreadable for the facilitator
    try:
        message = drop_copy(sub.to_csv(), sub.submission_id, workshop="TUE", folder=folder)
    finally:
        os.umask(old)
    dropped = folder / f"sub-{sub.submission_id}.csv"
    assert "handed in" in message
    assert stat.S_IMODE(dropped.stat().st_mode) == 0o644
    assert dropped.read_bytes() == sub.to_csv()
    assert [p.name for p in folder.iterdir()] == [dropped.name]  # no temporary file left
    os.chmod(folder, 0o3733)  # set-group-id: the facilitators' group reads, nobody else
    sub2 = submission(2, "self_esteem", 4)
    drop_copy(sub2.to_csv(), sub2.submission_id, workshop="TUE", folder=folder)
    assert stat.S_IMODE((folder / f"sub-{sub2.submission_id}.csv").stat().st_mode) == 0o640
    result = col.collect([folder], tmp_path / "store", bank=BANK)
    assert len(result.imported) == 2


def test_drop_needs_folder_and_workshop(tmp_path, monkeypatch):
    sub = submission(1, "self_esteem", 4)
    monkeypatch.delenv("RECONNECT_COLLECT", raising=False)
    assert drop_copy(sub.to_csv(), sub.submission_id, workshop="TUE") == ""
    assert drop_copy(sub.to_csv(), sub.submission_id, workshop="", folder=tmp_path) == ""
    assert list(tmp_path.iterdir()) == []
    msg = drop_copy(sub.to_csv(), sub.submission_id, workshop="TUE", folder=tmp_path / "missing")
    assert "does not exist" in msg and not (tmp_path / "missing").exists()


def test_save_drops_a_copy_without_name_or_reflections(tmp_path, monkeypatch):
    from reconnect.records.journal import save_reflection
    from reconnect.ui.area import RatingForm

    home, drop = tmp_path / "home", make_drop_folder(tmp_path / "drop")
    monkeypatch.setenv("RECONNECT_COLLECT", str(drop))
    me = pt.save_settings(home, pt.Settings(code=code(7), display_name="Alexandra Secret", workshop="TUE"))
    save_reflection(home, participant=me.code, area="self_esteem", prompt="p", text="my private words")
    form = RatingForm("self_esteem", home=home, bank=BANK)
    for box in form.questions.values():
        box.value = 4
    form.save_button.click()
    assert "handed in" in form.message.value
    dropped = list(drop.iterdir())
    assert len(dropped) == 1
    text = dropped[0].read_text(encoding="utf-8")
    assert me.code in text and "Alexandra" not in text and "private words" not in text


def test_save_without_workshop_drops_nothing(tmp_path, monkeypatch):
    from reconnect.ui.area import RatingForm

    home, drop = tmp_path / "home", make_drop_folder(tmp_path / "drop")
    monkeypatch.setenv("RECONNECT_COLLECT", str(drop))
    pt.save_settings(home, pt.Settings(code=code(8)))
    form = RatingForm("self_esteem", home=home, bank=BANK)
    for box in form.questions.values():
        box.value = 3
    form.save_button.click()
    assert "Saved at" in form.message.value and list(drop.iterdir()) == []


# -- export for handing in -------------------------------------------------------------------------
def test_export_is_collectable_and_holds_only_ratings(tmp_path):
    from reconnect.records.journal import save_reflection

    home = tmp_path / "home"
    me = pt.save_settings(home, pt.Settings(code=code(9), display_name="Robin Secret", workshop="TUE"))
    save_reflection(home, participant=me.code, area="distrust", prompt="p", text="very private")
    for area, level in (("self_esteem", 4), ("distrust", 2)):
        save_submission(home, submission(9, area, level), bank=BANK)
    save_submission(home, submission(10, "distrust", 5), bank=BANK)  # someone else on this computer
    first = col.export_answers(home, me.code, bank=BANK)
    second = col.export_answers(home, me.code, bank=BANK)
    assert first != second and first.exists() and second.exists()
    with zipfile.ZipFile(first) as zf:
        names = zf.namelist()
        blob = b"".join(zf.read(n) for n in names)
    assert len(names) == 2 and all(n.startswith("submissions/sub-") for n in names)
    assert b"Robin" not in blob and b"private" not in blob and code(10).encode() not in blob
    result = col.collect([first, second], tmp_path / "store", bank=BANK)
    assert (len(result.imported), len(result.already), len(result.rejected)) == (2, 2, 0)


def test_export_button(tmp_path):
    from reconnect.ui.export import ExportPanel

    home = tmp_path / "home"
    panel = ExportPanel(home=home)
    panel.button.click()
    assert "participant code" in panel.message.value
    pt.save_settings(home, pt.Settings(code=code(11)))
    panel.button.click()
    assert "no saved answers" in panel.message.value
    save_submission(home, submission(11, "foundation", 3), bank=BANK)
    panel.button.click()
    assert panel.path is not None and panel.path.parent == home / "exports"
    assert "no reflections and no name" in panel.message.value
