"""`reconnect collect`, `summary` and `report`: output and exit codes."""

from pypdf import PdfReader

from _group_helpers import BANK, make_store, submission
from reconnect.apps.cli import main
from reconnect.records.store import save_submission


def test_collect_summary_and_exit_codes(tmp_path, capsys):
    src = make_store(tmp_path / "handed", [5, 5, 5, 3, 3, 1, 1, 1])
    (src / "submissions" / "notes.txt").write_text("hello")
    store = tmp_path / "store"
    assert main(["collect", str(src), "--into", str(store)]) == 1
    out = capsys.readouterr().out
    assert "rejected: " in out and "notes.txt" in out and "not a submission file" in out
    assert "8 imported, 0 already there, 1 rejected" in out
    (src / "submissions" / "notes.txt").unlink()
    assert main(["collect", str(src), "--into", str(store)]) == 0
    assert "0 imported, 8 already there, 0 rejected" in capsys.readouterr().out


def test_summary_prints_sorted_and_writes_safe_csv(tmp_path, capsys):
    store = make_store(tmp_path / "s", [5, 5, 5, 4, 4, 4])
    make_store(store, [1, 2, 1, 2, 1, 2], area="communication")
    out_csv = tmp_path / "summary.csv"
    assert main(["summary", str(store), "--csv", str(out_csv)]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith("Workshop TUE, session before (minimum group size 5")
    body = [line for line in lines if line.startswith(("Standing", "Talking", "Trusting"))]
    assert body[0].startswith("Standing on your own confidence") and body[1].startswith("Talking so both are heard")
    assert "hidden: fewer than 5 people" in out
    csv_text = out_csv.read_text()
    assert csv_text.splitlines()[0].startswith("workshop,session,area,title,n,mean_score,pct_strength")
    assert "TUE,before,self_esteem,Standing on your own confidence,6,87.5,100" in csv_text or ",6," in csv_text
    assert main(["summary", str(store), "--csv", str(out_csv)]) == 1  # never overwrites
    assert "already exists" in capsys.readouterr().err


def test_summary_bad_input(tmp_path, capsys):
    store = make_store(tmp_path / "s", [5, 4, 3, 2, 1])
    save_submission(store, submission(9, "distrust", 3, workshop="WED"), bank=BANK)
    assert main(["summary", str(store)]) == 1
    assert "several workshops" in capsys.readouterr().err
    assert main(["summary", str(store), "--workshop", "TUE", "--min-group", "2"]) == 1
    assert "never be below 5" in capsys.readouterr().err
    assert main(["summary", str(tmp_path / "nowhere")]) == 1


def test_report_workshop_and_participant(tmp_path, capsys):
    store = make_store(tmp_path / "s", [5, 4, 3, 2, 1, 5])
    pdf = tmp_path / "h.pdf"
    assert main(["report", "--workshop", "TUE", "--store", str(store), "--pdf", str(pdf)]) == 0
    assert "Wrote the group handout" in capsys.readouterr().out
    assert "6 people took part" in PdfReader(pdf).pages[0].extract_text()
    # The same command also writes personal reports; a code with no answers in the store is explained.
    assert main(["report", "--participant", "KM7-4TX", "--store", str(store), "--pdf", str(tmp_path / "p.pdf")]) == 1
    assert "no answers and no settings for participant KM7-4TX" in capsys.readouterr().err
    assert not (tmp_path / "p.pdf").exists()


def test_collection_folder_command(tmp_path, capsys):
    import stat

    assert main(["collection-folder", str(tmp_path / "drop")]) == 0
    assert stat.S_IMODE((tmp_path / "drop").stat().st_mode) == 0o1733
    assert "RECONNECT_COLLECT=" in capsys.readouterr().out
