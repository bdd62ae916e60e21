"""Format 2: each submission records the language it was answered in; format-1 files still load."""

from __future__ import annotations

from pathlib import Path

import pytest

from reconnect.bank.content import load_item_bank
from reconnect.core.csvfile import csv_text
from reconnect.core.errors import SubmissionError
from reconnect.records import collect as col
from reconnect.records import participant as pt
from reconnect.records.answers import AreaAnswers
from reconnect.records.store import (
    COLUMNS,
    COLUMNS_V1,
    FORMAT_VERSION,
    Submission,
    load_store,
    save_submission,
)
from reconnect.records.validate import check_submission

ROOT = Path(__file__).resolve().parents[1]
EN = load_item_bank(ROOT / "data" / "item_bank.yaml")
ES = load_item_bank(ROOT / "data" / "item_bank.es.yaml")


def _sub(person: str = "KM7-4TX", **kw) -> Submission:
    area = EN.area("self_esteem")
    return Submission(person, area.id, {i.id: 3 for i in area.items}, "before", "W1", "", EN.version, **kw)


def _v1_text(sub: Submission) -> str:
    """The submission as a Reconnect before format 2 wrote it: no language column, version 1."""
    rows = [(1, *row[1:-1]) for row in sub.rows()]
    return csv_text(COLUMNS_V1, rows)


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / "submissions" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_the_format_has_a_language_column_and_version_2():
    assert FORMAT_VERSION == 2 and COLUMNS[-1] == "language" and COLUMNS_V1 == COLUMNS[:-1]
    text = _sub(language="es").to_csv().decode()
    assert text.splitlines()[0].endswith(",bank_version,language")
    assert text.splitlines()[1].startswith("2,") and text.splitlines()[1].endswith(",es")


def test_a_save_records_the_language_the_statements_were_read_in(tmp_path):
    settings = pt.Settings(code="KM7-4TX", session="before")
    for bank, lang in ((EN, "en"), (ES, "es")):
        answers = AreaAnswers("distrust", home=tmp_path / lang, settings=settings, bank=bank)
        answers.restore()
        outcome = answers.save({item.id: 4 for item in answers.area.items})
        assert outcome.kind == "saved", outcome
        frame = load_store(tmp_path / lang, bank=EN).frame
        assert frame["language"].unique().tolist() == [lang]


def test_a_format_1_file_still_loads_with_the_language_unknown(tmp_path):
    old = _sub()
    _write(tmp_path, f"sub-{old.submission_id}.csv", _v1_text(old))
    new = _sub("AC3-7KM", language="es")
    save_submission(tmp_path, new, bank=EN)
    data = load_store(tmp_path, bank=EN)
    assert data.problems == []
    by_person = data.frame.groupby("participant")["language"].first().to_dict()
    assert by_person == {"KM7-4TX": "", "AC3-7KM": "es"}
    assert sorted(set(data.frame["format_version"])) == [1, 2]


def test_collecting_old_and_new_files_keeps_each_language(tmp_path):
    old, new = _sub(), _sub("AC3-7KM", language="es")
    a = tmp_path / "old.csv"
    a.write_text(_v1_text(old), encoding="utf-8")
    b = tmp_path / "new.csv"
    b.write_bytes(new.to_csv())
    result = col.collect([a, b], tmp_path / "store", bank=EN)
    assert len(result.imported) == 2 and not result.rejected
    batch = next((tmp_path / "store" / "submissions").glob("batch-*.csv")).read_text(encoding="utf-8")
    assert batch.splitlines()[0] == ",".join(COLUMNS)  # the batch keeps the language column
    data = load_store(tmp_path / "store", bank=EN)
    assert data.problems == []
    assert data.frame.groupby("participant")["language"].first().to_dict() == {"KM7-4TX": "", "AC3-7KM": "es"}
    # Collecting the same files again finds them already there (one identity, old format or new).
    again = col.collect([a, b], tmp_path / "store", bank=EN)
    assert not again.imported and len(again.already) == 2


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda t: t.replace(",es\n", ",\n"), "this field is blank"),
        (lambda t: t.replace(",es\n", ",Spanish\n"), "'Spanish' is not a language code"),
        (lambda t: t.replace(",es\n", ",ES\n"), "'ES' is not a language code"),
    ],
)
def test_the_validator_checks_the_language_of_a_format_2_row(tmp_path, change, reason):
    sub = _sub(language="es")
    _write(tmp_path, f"sub-{sub.submission_id}.csv", change(sub.to_csv().decode()))
    data = load_store(tmp_path, bank=EN)
    assert data.frame.empty
    assert [p.location.split(", ")[-1] for p in data.problems][:1] == ["column language"]
    assert reason in data.problems[0].reason


def test_one_submission_in_two_languages_is_refused(tmp_path):
    sub = _sub(language="es")
    text = sub.to_csv().decode()
    first, *rest = text.split("\n", 2)[1:]
    edited = text.replace(first, first[: -len("es")] + "en")
    _write(tmp_path, f"sub-{sub.submission_id}.csv", edited)
    data = load_store(tmp_path, bank=EN)
    assert data.frame.empty and any("differs from" in p.reason for p in data.problems)


def test_a_format_2_file_without_the_language_column_is_refused(tmp_path):
    sub = _sub()
    text = _v1_text(sub).replace("\n1,", "\n2,")
    _write(tmp_path, f"sub-{sub.submission_id}.csv", text)
    data = load_store(tmp_path, bank=EN)
    assert data.frame.empty
    assert "column(s) missing: language" in data.problems[0].reason


def test_a_save_with_an_unusable_language_is_refused_before_writing(tmp_path):
    with pytest.raises(SubmissionError) as caught:
        check_submission(_sub(language="español"), EN)
    assert any(p.location == "language" for p in caught.value.problems)
    assert not (tmp_path / "submissions").exists()
