"""The store against hostile, concurrent and odd input: one test (or more) per class of fault.

Each class is tried with several generated variants, so that a fix holds for the class and not
only for the example that first showed it:

1. a value the validator accepts but a later reader rejects     -> one parser for both
2. CSV written by hand                                           -> one CSV writer
3. two collects at once, one submission in two files             -> a store lock; duplicates count once
4. formula injection (also after a line break)                   -> every spreadsheet cell neutralised
5. writes that follow planted links                              -> random names, O_EXCL, O_NOFOLLOW
6. a hostile item bank                                           -> bounded, named; calm pages
7. control characters reaching a terminal or a page              -> written out, never raw
8. validate and collect disagreeing                              -> validate *is* collect without writing
9. leftovers of interrupted saves                                -> listed, erased, swept
"""

from __future__ import annotations

import csv
import io
import multiprocessing
import os
import re
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import CODE, OTHER_CODE, make_submission, raw_bank
from reconnect.bank.content import load_item_bank, validate_item_bank
from reconnect.core.csvfile import csv_text, neutralise
from reconnect.core.errors import show
from reconnect.core.files import TEMP_PREFIX, write_new
from reconnect.records import collect as col
from reconnect.records.privacy import erase_participant, stored_about
from reconnect.records.store import COLUMNS, load_store, save_submission, submissions_folder

BANK = load_item_bank()
SOME = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
TEXT_FIELDS = ("submission_id", "participant", "workshop", "couple", "session", "area", "item", "saved_at")
TEXT_FIELDS += ("bank_version", "rating", "format_version")
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
hostile_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "2026-W48-4T18:30:00+00:00",
            "2026-11-26T18:30:00+99:00",
            "9999-12-31T23:59:59+00:00",
            "0001-01-01T00:00:00+00:00",
            "\uff14",
            "+4",
            "0_4",
            " 4",
            "4.0",
            "=1+1",
            "../../etc/passwd",
            "2.0 (Dec, 2026)",
            'a,"b"\r\nc',
            "x\r=HYPERLINK(1)",
            "\x1b[2J99 imported",
            "1" * 5000,
        ]
    ),
)


def _rows(sub) -> list[list[str]]:
    return [[str(v) for v in row] for row in sub.rows()]


def _file_with(field: str, value: str, *, sub=None) -> bytes:
    """A submission file written correctly (csv module), with ``field`` set to ``value`` on every row."""
    sub = sub or make_submission(BANK)
    rows = _rows(sub)
    i = COLUMNS.index(field)
    for r in rows:
        r[i] = value
    return csv_text(COLUMNS, rows).encode("utf-8")


# -- 1 + 2: whatever a field holds, it is refused with a named reason, or it survives every step ---------


@SOME
@given(field=st.sampled_from(TEXT_FIELDS), value=hostile_text)
def test_any_text_in_any_field_is_refused_by_name_or_survives_every_step(tmp_path_factory, field, value):
    root = tmp_path_factory.mktemp("any")
    good = make_submission(BANK, participant=OTHER_CODE)
    handed = root / "handed"
    handed.mkdir()
    (handed / f"sub-{good.submission_id}.csv").write_bytes(good.to_csv())
    odd = handed / "sub-odd.csv"
    odd.write_bytes(_file_with(field, value))

    store = root / "store"
    result = col.collect([handed], store, bank=BANK)
    validated = col.collect([handed], None, bank=BANK, dry_run=True)
    # validate and collect agree on every file
    assert {p.path for p in validated.rejected} == {p.path for p in result.rejected}
    data = load_store(store, bank=BANK)  # never raises, whatever was collected
    assert data.ok, [str(p) for p in data.problems]
    assert good.submission_id in set(data.frame["submission_id"]), "the good file beside the odd one loads"
    if str(odd) in {p.path for p in result.rejected}:
        problem = next(p for p in result.rejected if p.path == str(odd))
        assert problem.reason and problem.fix and problem.location
        return
    # accepted: the value is what the loader reads back, through export and a second collect too
    mine = data.frame[data.frame["submission_id"] != good.submission_id]
    assert len(mine) == len(BANK.area("self_esteem").items)
    participant = mine["participant"].iloc[0]
    exported = col.export_answers(store, participant, bank=BANK)
    again = col.collect([exported], root / "again", bank=BANK)
    assert again.ok
    back = load_store(root / "again", bank=BANK).frame
    cols = [c for c in COLUMNS if c not in ("saved_at", "rating", "format_version")]
    assert back[cols].astype(str).values.tolist() == mine[cols].astype(str).values.tolist()


@SOME
@given(cells=st.lists(st.text(max_size=20), min_size=1, max_size=6))
def test_the_one_csv_writer_round_trips_any_text(cells):
    text = csv_text([f"c{i}" for i in range(len(cells))], [cells])
    back = list(csv.reader(io.StringIO(text, newline="")))
    assert back[1] == cells


def test_an_iso_week_time_is_refused_and_the_store_still_loads(tmp_path):
    handed = tmp_path / "handed"
    handed.mkdir()
    (handed / "sub-week.csv").write_bytes(_file_with("saved_at", "2026-W48-4T18:30:00+00:00"))
    good = make_submission(BANK, participant=OTHER_CODE)
    (handed / "sub-good.csv").write_bytes(good.to_csv())
    result = col.collect([handed], tmp_path / "store", bank=BANK)
    assert [p.path for p in result.rejected] == [str(handed / "sub-week.csv")]
    assert "saved_at" in result.rejected[0].location
    proc = _cli("summary", str(tmp_path / "store"), "--min-group", "5")
    assert proc.returncode in (0, 1) and "unexpected problem" not in proc.stderr


# -- 3: concurrency and duplicates ----------------------------------------------------------------------


def _collect_worker(args):
    sources, store = args
    from reconnect.records.collect import collect

    return len(collect(sources, store).imported)


def test_two_collects_at_once_import_each_submission_once(tmp_path):
    handed = tmp_path / "handed"
    handed.mkdir()
    subs = [make_submission(BANK, participant=c) for c in ("KM7-4TX", "HJK-679", "ACD-EFG", "MNP-QRT") * 10]
    for sub in subs:
        (handed / f"sub-{sub.submission_id}.csv").write_bytes(sub.to_csv())
    store = tmp_path / "store"
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        counts = pool.map(_collect_worker, [([str(handed)], str(store))] * 2)
    assert sum(counts) == len(subs), counts
    data = load_store(store, bank=BANK)
    assert data.ok and data.frame["submission_id"].nunique() == len(subs)
    assert len(data.frame) == len(subs) * len(BANK.area("self_esteem").items)


def test_one_submission_in_two_files_counts_once_or_is_named_with_both_paths(tmp_path):
    sub = make_submission(BANK)
    folder = submissions_folder(tmp_path)
    folder.mkdir(parents=True)
    (folder / "batch-a.csv").write_bytes(sub.to_csv())
    (folder / "batch-b.csv").write_bytes(sub.to_csv())
    data = load_store(tmp_path, bank=BANK)
    assert data.ok and len(data.frame) == len(sub.ratings), "identical copies count once"
    (folder / "batch-c.csv").write_bytes(_file_with("rating", "1", sub=sub))
    data = load_store(tmp_path, bank=BANK)
    assert data.frame.empty, "copies that differ are not loaded: nobody can tell which is right"
    messages = [str(p) for p in data.problems]
    assert any("batch-c.csv" in m and "batch-a.csv" in m for m in messages), messages


# -- 4: spreadsheets --------------------------------------------------------------------------------------


@SOME
@given(st.text(max_size=30))
def test_no_line_of_a_neutralised_cell_starts_a_formula(text):
    cell = neutralise(text)
    for line in re.split(r"[\r\n]", cell):
        assert not line.startswith(("=", "+", "-", "@", "\t")), repr(cell)


def _soffice() -> str | None:
    for name in ("soffice", "libreoffice"):
        for folder in os.environ.get("PATH", "").split(":") + ["/usr/bin", "/usr/lib/libreoffice/program"]:
            path = Path(folder) / name
            if path.is_file() and os.access(path, os.X_OK):
                return str(path)
    return None


def test_group_csv_opened_in_libreoffice_holds_no_formula(tmp_path):
    """LibreOffice itself, as a client: convert the CSV to .ods and look for formulas in its cells."""
    soffice = _soffice()
    if soffice is None:
        if os.environ.get("CI"):
            pytest.fail("CI must run the LibreOffice check (.ci/run installs libreoffice-calc)")
        pytest.skip("LibreOffice is not installed here (apt-get install libreoffice-calc-nogui)")
    import pandas as pd

    from reconnect.results.group_csv import write_csv

    hostile = ["=1+1", "+SUM(1)", "-2+3", "@A1", "\t=1", 'x\r=HYPERLINK("http://127.0.0.1")', "ok\n=2+2", "plain"]
    out = write_csv(pd.DataFrame({"title": hostile, "mean": [1.5] * len(hostile)}), tmp_path / "summary.csv")
    profile = tmp_path / "lo-profile"
    proc = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "ods",
            "--outdir",
            str(tmp_path),
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    ods = tmp_path / "summary.ods"
    assert ods.exists(), proc.stdout + proc.stderr
    content = zipfile.ZipFile(ods).read("content.xml").decode("utf-8")
    assert "table:formula" not in content, "a cell became a formula"
    assert content.count("<table:table-row") >= len(hostile) + 1


# -- 5: planted links -------------------------------------------------------------------------------------


def test_no_write_follows_a_link_planted_at_any_predictable_name(tmp_path, monkeypatch):
    import pandas as pd

    from reconnect.apps.demo import write_demo
    from reconnect.core import files
    from reconnect.core.errors import StoreError
    from reconnect.output.group_report import write_handout
    from reconnect.results.group_csv import write_csv

    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    out = tmp_path / "out"
    out.mkdir()
    for name in ("handout.pdf", "summary.csv", "note.txt"):
        (out / f".tmp-{name}").symlink_to(victim)  # the name an earlier version wrote through
    write_demo(tmp_path / "demo", bank=BANK, sync=False)
    frame = load_store(tmp_path / "demo", bank=BANK).frame
    workshop = frame["workshop"].iloc[0]
    write_handout(frame, BANK, workshop=workshop, session="before", out=out / "handout.pdf", min_group=5)
    write_csv(pd.DataFrame({"a": [1.0]}), out / "summary.csv")
    # Even a temporary name guessed right is refused (O_EXCL), never written through.
    monkeypatch.setattr(files, "random_id", lambda nbytes=12: "0" * (2 * nbytes))
    (out / f"{TEMP_PREFIX}000000000000-note.txt").symlink_to(victim)
    with pytest.raises(StoreError):
        write_new(out / "note.txt", b"new")
    assert victim.read_text() == "precious\n"
    assert (out / "handout.pdf").read_bytes().startswith(b"%PDF") and not (out / "note.txt").exists()


def test_collection_folder_on_a_planted_link_changes_nothing(tmp_path):
    target = tmp_path / "target"
    target.mkdir(mode=0o700)
    link = tmp_path / "drop"
    link.symlink_to(target)
    proc = _cli("collection-folder", str(link))
    assert proc.returncode == 1 and "link" in proc.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o700


def test_collection_folder_that_fails_leaves_nothing_behind(tmp_path):
    folder = tmp_path / "new-drop"
    proc = _cli("collection-folder", str(folder), "--group", "no-such-group-xyz")
    assert proc.returncode == 1 and not folder.exists()


# -- 6: hostile item banks ----------------------------------------------------------------------------------

BOMBS = {
    "alias bomb": "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: [*b, *b, *b]\n",
    "nested brackets": "a: " + "[" * 20000 + "]" * 20000 + "\n",
    "nested mappings": "".join("  " * i + f"k{i}:\n" for i in range(200)) + "  " * 200 + "v\n",
    "5000-digit version": None,
    "huge file": "# " + "x" * (600 * 1024) + "\n",
    "control character in a title": None,
    "comma in the version": None,
    "very long text": None,
}


def _bomb(tmp_path: Path, name: str) -> Path:
    import yaml

    text = BOMBS[name]
    if text is None:
        data = raw_bank()
        if name == "5000-digit version":
            text = re.sub(r"(?m)^version:.*$", "version: " + "9" * 5000, yaml.safe_dump(data, sort_keys=False), count=1)
        elif name == "control character in a title":
            data["areas"][0]["title"] = "Standing\r=HYPERLINK(1)"
        elif name == "comma in the version":
            data["version"] = "2.0 (Dec, 2026)"
        elif name == "very long text":
            data["areas"][0]["introduction"] = "word " * 5000
        if text is None:
            text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    path = tmp_path / "bank.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_a_hostile_item_bank_is_named_and_explained(tmp_path, name):
    path = _bomb(tmp_path, name)
    problems = validate_item_bank(path)
    assert problems and all(p.path == str(path) and p.fix for p in problems), problems
    proc = _cli("validate", str(path))
    assert proc.returncode == 1, proc.stderr
    assert str(path) in proc.stdout and "unexpected" not in proc.stdout + proc.stderr


@pytest.mark.parametrize("name", ["alias bomb", "nested brackets", "5000-digit version"])
def test_every_notebook_entry_point_stays_calm_with_a_hostile_bank(tmp_path, monkeypatch, name):
    from reconnect import notebook

    monkeypatch.setenv("RECONNECT_ITEM_BANK", str(_bomb(tmp_path, name)))
    monkeypatch.setenv("RECONNECT_HOME", str(tmp_path / "home"))
    calls = [
        lambda: notebook.start_panel(),
        lambda: notebook.rating_form("self_esteem"),
        lambda: notebook.area_result("self_esteem"),
        lambda: notebook.reflection("self_esteem"),
        lambda: notebook.export_button(),
        lambda: notebook.facilitator_dashboard(),
        lambda: notebook.profile_view(),
        lambda: notebook.my_data(),
    ]
    for call in calls:
        widget = call()  # never raises
        html = getattr(widget, "value", "")
        assert "Traceback" not in html


def test_an_unexpected_error_in_an_entry_point_becomes_a_calm_message_and_a_log(tmp_path, monkeypatch):
    from reconnect import notebook

    monkeypatch.setenv("RECONNECT_HOME", str(tmp_path))

    @notebook._friendly
    def broken():
        raise KeyError("internal detail")

    html = broken().value
    assert "Nothing you saved was lost" in html and "internal detail" not in html and "Traceback" not in html
    (log,) = (tmp_path / "logs").iterdir()
    assert "internal detail" in log.read_text() and "Traceback" in log.read_text()


# -- 7: control characters -----------------------------------------------------------------------------------


@SOME
@given(junk=st.text(alphabet=st.characters(max_codepoint=0x2070), min_size=1, max_size=12))
def test_show_writes_out_every_control_character(junk):
    assert not RAW_CONTROL.search(show(junk).replace("\n", "").replace("\t", "")) and "\n" not in show(junk)


def test_cli_never_echoes_a_control_character(tmp_path):
    archive = tmp_path / "answers.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("evil\n99 imported\x1b[2J.csv", b"format_version\n1\n")
        zf.writestr("sub-\x1b]0;pwned\x07.csv", _file_with("workshop", "W\x1b[31mred"))
    weird = tmp_path / "na\x1bme\nwith newline.csv"
    weird.write_bytes(_file_with("session", "a\rb"))
    for args in (
        ("validate", str(archive), str(weird)),
        ("collect", str(archive), str(weird), "--into", str(tmp_path / "s")),
    ):
        proc = _cli(*args)
        out = proc.stdout + proc.stderr
        assert not RAW_CONTROL.search(out.replace("\n", "")), repr(out)
        assert not any(line.startswith("99 imported") for line in out.splitlines()), out


# -- 8: validate and collect agree -------------------------------------------------------------------------------


def test_validate_and_collect_agree_on_a_hostile_folder(tmp_path):
    handed = tmp_path / "handed"
    handed.mkdir()
    for n, (field, value) in enumerate(
        [("bank_version", "=1+1"), ("submission_id", "../../x0000000"), ("rating", "\uff14"), ("rating", "+4")]
    ):
        (handed / f"sub-{n}.csv").write_bytes(_file_with(field, value))
    good = make_submission(BANK, participant=OTHER_CODE)
    with zipfile.ZipFile(handed / "export.zip", "w") as zf:
        zf.writestr(f"submissions/sub-{good.submission_id}.csv", good.to_csv())
    os.mkfifo(handed / "sub-fifo.csv")
    proc = _cli("validate", str(handed), timeout=60)  # a FIFO never makes it hang
    collected = col.collect([handed], tmp_path / "store", bank=BANK)
    assert proc.returncode == 1
    for problem in collected.rejected:
        assert show(problem.path) in proc.stdout
    assert "0 file(s) checked" not in proc.stdout and "sub-fifo.csv" in proc.stdout
    assert len(collected.imported) == 1 and len({p.path for p in collected.rejected}) == 5


def test_a_device_is_never_read(tmp_path):
    proc = _cli("validate", "/dev/zero", timeout=60)
    assert proc.returncode == 1 and "not a regular file" in proc.stdout


# -- 9: interrupted saves -------------------------------------------------------------------------------------------


def test_leftovers_of_an_interrupted_save_are_listed_and_erased(tmp_path):
    saved = save_submission(tmp_path, make_submission(BANK), bank=BANK)
    leftover = saved.parent / f"{TEMP_PREFIX}abcdef-sub-x.csv"
    leftover.write_bytes(make_submission(BANK).to_csv())
    flat = submissions_folder(tmp_path) / f"{TEMP_PREFIX}123456-sub-y.csv"  # an earlier version's place
    flat.write_bytes(make_submission(BANK).to_csv())
    other = submissions_folder(tmp_path) / f"{TEMP_PREFIX}999999-sub-z.csv"
    other.write_bytes(make_submission(BANK, participant=OTHER_CODE).to_csv())
    found = stored_about(tmp_path, CODE)
    assert set(found.unfinished) == {leftover, flat}
    assert any("Unfinished saves" in line for line in found.lines())
    erase_participant(tmp_path, CODE, confirm=CODE)
    assert not leftover.exists() and not flat.exists() and other.exists()


def test_old_leftovers_are_swept_when_the_participant_opens_an_area(tmp_path):
    from reconnect.records.answers import AreaAnswers
    from reconnect.records.participant import Settings

    saved = save_submission(tmp_path, make_submission(BANK), bank=BANK)
    old = saved.parent / f"{TEMP_PREFIX}old-sub.csv"
    old.write_bytes(b"half")
    os.utime(old, (1, 1))
    fresh = saved.parent / f"{TEMP_PREFIX}fresh-sub.csv"  # a save in progress in another tab
    fresh.write_bytes(b"half")
    AreaAnswers("self_esteem", home=tmp_path, settings=Settings(code=CODE, session="before"), bank=BANK).restore()
    assert not old.exists() and fresh.exists()


def _cli(*args: str, timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "reconnect.apps.cli", *args], capture_output=True, text=True, timeout=timeout
    )


def test_a_journal_note_with_an_odd_time_is_reported_not_fatal(tmp_path):
    import json

    from reconnect.records.journal import load_journal, save_reflection

    save_reflection(tmp_path, participant=CODE, area="distrust", prompt="p", text="kept")
    folder = next((tmp_path / "journal").iterdir())
    for n, saved_at in enumerate(["2026-11-26T18:30:00", 5, "2026-W48-4T18:30:00+00:00"]):
        record = {"participant": CODE, "area": "distrust", "prompt": "p", "text": "odd", "saved_at": saved_at}
        (folder / f"note-odd{n}.json").write_text(json.dumps(record))
    notes, problems = load_journal(tmp_path, CODE)
    # a naive time or a number is reported (it would break sorting); a week date is a real time and loads
    assert sorted(n.text for n in notes) == ["kept", "odd"] and len(problems) == 2


def test_the_same_answers_saved_from_two_views_make_one_file(tmp_path):
    """A double click that reaches two views of one page (or two tabs) never writes the answers twice."""
    from reconnect.records.answers import AreaAnswers
    from reconnect.records.participant import Settings

    me = Settings(code=CODE, session="before")
    first = AreaAnswers("distrust", home=tmp_path, settings=me, bank=BANK)
    second = AreaAnswers("distrust", home=tmp_path, settings=me, bank=BANK)
    first.restore(), second.restore()
    ratings = {i.id: 4 for i in BANK.area("distrust").items}
    assert first.save(ratings).kind == "saved"
    assert second.save(dict(ratings)).kind == "unchanged"
    changed = {**ratings, BANK.area("distrust").items[0].id: 2}
    outcome = second.save(changed)
    assert outcome.kind == "saved" and outcome.elsewhere is None
    files = list((submissions_folder(tmp_path) / CODE).glob("sub-*.csv"))
    assert len(files) == 2
