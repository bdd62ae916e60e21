"""Issue 22, class 3: a submission holds exactly its bank version's statements.

A statement retired in 1.1 is refused in a 1.1 file, one new in 1.1 is refused in a 1.0 file, and a
file answering both the retired and the new statement of one area is refused (7 answers for 6
statements would score the area wrongly). The one validator says so, with the file and the row, for a
Save, ``validate``, ``collect`` and the store alike.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers import make_submission
from reconnect.core.csvfile import csv_text
from reconnect.core.errors import SubmissionError
from reconnect.records.collect import collect
from reconnect.records.store import COLUMNS, Submission, check_submission, load_store, save_submission
from reconnect.records.validate import validate_bytes


def _rows(bank, tmp_path, area="self_esteem"):
    path = save_submission(tmp_path / "src", make_submission(bank, area=area), bank=bank)
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    path.unlink()
    return rows[0], rows[1:]


def _file(bank, tmp_path, version: str, ids: list[str], area="self_esteem") -> bytes:
    """A submission of ``area`` claiming item bank ``version`` and answering exactly ``ids``."""
    header, rows = _rows(bank, tmp_path, area)
    col = {c: header.index(c) for c in COLUMNS}
    out = []
    for item in ids:
        row = list(rows[0])
        row[col["item"]], row[col["bank_version"]], row[col["rating"]] = item, version, "3"
        out.append(row)
    return csv_text(header, out).encode("utf-8")


def _ids(bank, version, area="self_esteem"):
    order = [i.id for i in bank.area(area).items] + [i.id for i in bank.area(area).retired]
    return [i for i in order if i in bank.statements_of(version)[area]]


CASES = {
    # name: (version, how the statement list changes), the three and their neighbours
    "retired statement added to a 1.1 file": ("1.1", lambda ids: [*ids, "se3"]),
    "retired statement instead of its successor in 1.1": ("1.1", lambda ids: [i if i != "se7" else "se3" for i in ids]),
    "new statement added to a 1.0 file": ("1.0", lambda ids: [*ids, "se7"]),
    "new statement instead of the retired one in 1.0": ("1.0", lambda ids: [i if i != "se3" else "se7" for i in ids]),
    "both the retired and the new in 1.1": ("1.1", lambda ids: [*ids, "se3"]),
    "both the retired and the new in 1.0": ("1.0", lambda ids: [*ids, "se7"]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_a_statement_outside_the_declared_version_is_refused_everywhere_with_file_and_row(tmp_path, bank, name):
    version, change = CASES[name]
    data = _file(bank, tmp_path, version, change(_ids(bank, version)))
    # validate / collect: the bytes of one file
    good, problems = validate_bytes(data, "answers.csv", bank)
    assert good.empty
    named = [p for p in problems if p.location.endswith("column item")]
    assert named and all(p.path == "answers.csv" and p.location.startswith("row ") for p in named), problems
    assert any("so a " + version + " submission cannot hold it" in p.reason for p in named)
    # the store
    store = tmp_path / "store"
    (store / "submissions").mkdir(parents=True)
    (store / "submissions" / "answers.csv").write_bytes(data)
    loaded = load_store(store, bank=bank)
    assert loaded.frame.empty and any("cannot hold it" in p.reason for p in loaded.problems)
    # collect (and so `reconnect validate`, which is collect without writing)
    result = collect([store / "submissions" / "answers.csv"], tmp_path / "into", bank=bank)
    assert not result.imported and any("cannot hold it" in str(p) for p in result.rejected)


def test_the_command_names_file_and_row(tmp_path, bank):
    path = tmp_path / "mixed.csv"
    path.write_bytes(_file(bank, tmp_path, "1.1", [*_ids(bank, "1.1"), "se3"]))
    proc = subprocess.run([sys.executable, "-m", "reconnect.apps.cli", "validate", str(path)], capture_output=True, text=True)
    assert proc.returncode == 1 and "mixed.csv: row 8, column item" in proc.stdout + proc.stderr


@pytest.mark.parametrize("version", ["1.0", "1.1"])
def test_a_submission_of_exactly_its_version_loads(tmp_path, bank, version):
    good, problems = validate_bytes(_file(bank, tmp_path, version, _ids(bank, version)), "ok.csv", bank)
    assert problems == [] and len(good) == 6


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    area=st.sampled_from(["self_esteem", "distrust", "insecurity", "communication", "foundation"]),
    version=st.sampled_from(["1.0", "1.1"]),
    data=st.data(),
)
def test_accepted_exactly_when_every_statement_belongs_to_the_version(tmp_path_factory, bank, area, version, data):
    every = [i.id for i in bank.area(area).items] + [i.id for i in bank.area(area).retired]
    ids = data.draw(st.lists(st.sampled_from(every), min_size=1, max_size=len(every), unique=True))
    tmp = tmp_path_factory.mktemp("v")
    good, problems = validate_bytes(_file(bank, tmp, version, ids, area), "f.csv", bank)
    fits = set(ids) <= bank.statements_of(version)[area]
    assert (not good.empty) == fits and (problems == []) == fits
    assert len(set(ids)) <= len(bank.statements_of(version)[area]) or not fits


@pytest.mark.parametrize("version,item", [("1.1", "se3"), ("1.0", "se7")])
def test_a_save_holds_only_its_version_statements(bank, version, item):
    ratings = {i: 3 for i in bank.statements_of(version)["self_esteem"]}
    ratings[item] = 3
    with pytest.raises(SubmissionError) as exc:
        check_submission(Submission("KM7-4TX", "self_esteem", ratings, "before", bank_version=version), bank)
    assert f"statement {item}" in str(exc.value)
    del ratings[item]
    check_submission(Submission("KM7-4TX", "self_esteem", ratings, "before", bank_version=version), bank)
