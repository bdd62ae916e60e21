"""Issue 22, class 4: forgetting finds everything that belongs to the person or the workshop.

Whatever a file system may treat as the same name or the same kind of file is found: ``.CSV``,
``.Csv``, ``.csv.`` (Windows drops the dot), a code folder written ``km7-4tx``, a copy in another folder,
a workshop written ``tuesday``. Each test lists what remains in the data folder after forgetting: nothing
of theirs, and everything of others' exactly as it was.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from helpers import make_submission
from reconnect.records.privacy import erase_participant
from reconnect.records.retention import forget_workshop
from reconnect.records.store import save_submission

A, B = "KM7-4TX", "QX3-7KM"
NAMES = ["copy.CSV", "copy.Csv", "copy.cSv", "copy.csv.", "copy.csv ", "Copy Of Batch.CSV"]


def remaining(folder: Path) -> dict[str, bytes]:
    """Every file left in the data folder, by its path inside it."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def rows_of(data: bytes) -> list[dict]:
    try:
        return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    except (UnicodeDecodeError, csv.Error):
        return []


@pytest.fixture
def two_people(tmp_path, bank):
    home = tmp_path / "data"
    for who in (A, B):
        for area in ("self_esteem", "distrust"):
            save_submission(home, make_submission(bank, participant=who, area=area), bank=bank)
        for name in ("journal", "drafts", "participants", "guesses"):  # guesses: issue 26
            (home / name / who).mkdir(parents=True, exist_ok=True)
            (home / name / who / "note.json").write_text(f'{{"who": "{who}"}}')
    subs = home / "submissions"
    mine = next((subs / A).iterdir())
    for name in NAMES:  # copies of A's submission under every name a file system may take for a CSV
        shutil.copy(mine, subs / name.replace("copy", f"copy-{len(name)}"))
    (subs / "old").mkdir()
    shutil.copy(mine, subs / "old" / "A-copy.CSV")  # in another folder
    (subs / "km7-4tx").mkdir()  # a code folder a case-insensitive file system takes for A's
    shutil.copy(mine, subs / "km7-4tx" / "x.csv")
    (home / "journal" / "km7-4tx").mkdir()
    (home / "journal" / "km7-4tx" / "note.txt").write_text("A's note, in a folder written in lower case")
    lower = mine.read_text(encoding="utf-8").replace(A, A.lower())  # the code written in lower case inside
    (subs / "lower.CSV").write_text(lower, encoding="utf-8")
    return home


def test_erasing_a_person_leaves_nothing_of_theirs_and_everything_of_others(two_people):
    home = two_people
    before = remaining(home)
    others = {k: v for k, v in before.items() if A.lower() not in v.decode("utf-8", "replace").lower()}
    others = {k: v for k, v in others.items() if "km7-4tx" not in k.lower()}
    erase_participant(home, A, confirm=A)
    after = remaining(home)
    theirs = [k for k, v in after.items() if A.lower() in (k + v.decode("utf-8", "replace")).lower()]
    assert theirs == []
    assert after == others  # every file of B's is there, byte for byte, and nothing else


@pytest.fixture
def store(tmp_path, bank):
    """A facilitator's store: TUESDAY and OTHER, in their own files, a mixed batch, and copies under odd names."""
    folder = tmp_path / "store"
    subs = folder / "submissions"
    subs.mkdir(parents=True)
    header = None
    tuesday, other = [], []
    from reconnect.records.codes import new_participant_code

    people = [(A, "TUESDAY"), (B, "OTHER"), (new_participant_code(), "tuesday"), (new_participant_code(), "OTHER")]
    for who, shop in people:
        path = save_submission(folder, make_submission(bank, participant=who, workshop=shop), bank=bank)
        text = path.read_text(encoding="utf-8")
        header, *body = text.splitlines(keepends=True)
        (tuesday if shop.lower() == "tuesday" else other).append(body)
        path.unlink()
        shutil.rmtree(path.parent, ignore_errors=True)
    def write(name: str, parts: list[list[str]]) -> None:
        target = subs / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(header + "".join(line for part in parts for line in part), encoding="utf-8")
    write("batch-a.CSV", tuesday)
    write("batch-b.Csv", [tuesday[0], other[0]])  # mixed: the other workshop's rows must survive
    write("batch-c.csv.", [tuesday[1]])
    write("old/batch-d.cSv", tuesday)
    write("batch-e.csv", other)
    return folder, other


def test_forgetting_a_workshop_leaves_none_of_its_rows_and_all_of_the_others(store, bank):
    folder, other = store
    result = forget_workshop(folder, "TUESDAY", confirm="TUESDAY", bank=bank)
    assert not result.problems
    left = remaining(folder)
    rows = [r for data in left.values() for r in rows_of(data)]
    assert [r for r in rows if r.get("workshop", "").strip().lower() == "tuesday"] == []
    expected = sorted(line for part in other for line in part)
    kept = sorted(
        line
        for data in left.values()
        for line in data.decode("utf-8").splitlines(keepends=True)[1:]
        if "OTHER" in line
    )
    assert kept == sorted(expected + [line for line in other[0]])  # batch-e, plus other[0] again from the mixed file
    assert left["submissions/batch-e.csv"] == (folder / "submissions" / "batch-e.csv").read_bytes()
