"""The printable report: pages, text, consent, never overwriting, and the `reconnect report` command."""

import io
import os
from pathlib import Path

import pytest
from pypdf import PdfReader

from _profile_fixtures import BANK, ME, PARTNER, all_areas, couple_folder, rate, settings
from reconnect.apps.cli import main
from reconnect.output.report import build_report, new_report_path, wrap_to_width, write_report
from reconnect.records.journal import save_reflection
from reconnect.records.participant import mask_code


def _text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_report_with_both_consents_has_the_couple_page(tmp_path):
    couple_folder(tmp_path, me_share=True, partner_share=True)
    data, pages, couple = build_report(tmp_path, ME, bank=BANK)
    n, text = _text(data)
    flat = _flat(text)
    assert couple and n == pages == 3
    assert "My Reconnect profile" in flat and f"Participant {mask_code(ME)}" in flat
    assert ME not in flat and ME not in text.replace(" ", "")  # the code is the key: never whole on paper
    assert "Standing on your own confidence (100, rank 1)" in flat
    assert "Trusting after past hurts (25, rank 5)" in flat  # the growth area, in words
    for idea in BANK.area("distrust").exercises:  # exercises for the growth area
        assert _flat(idea) in flat
    assert "988" in flat and "1-800-799-7233" in flat and "findahelpline.com" in flat
    assert "not a diagnosis" in flat
    assert "The two of us" in flat and "shared growth area" in flat and "far apart" in flat
    assert "Your partner" in flat
    assert "Change over time appears once you have answers from two sessions" in flat


@pytest.mark.parametrize(("me_share", "partner_share"), [(False, False), (True, False), (False, True)])
def test_report_without_both_consents_has_no_partner_data(tmp_path, me_share, partner_share):
    couple_folder(tmp_path, me_share=me_share, partner_share=partner_share)
    data, pages, couple = build_report(tmp_path, ME, bank=BANK)
    n, text = _text(data)
    flat = _flat(text)
    assert not couple and n == pages == 2
    assert PARTNER not in flat and "Your partner" not in flat and "The two of us" not in flat
    assert "Sam" not in flat and "Alex" not in flat  # display names never go into a printable file
    assert "shared growth area" not in flat


def test_journal_reflections_never_go_into_the_pdf(tmp_path):
    all_areas(tmp_path, ME, {"self_esteem": 2, "distrust": 2, "insecurity": 2, "communication": 2, "foundation": 2})
    save_reflection(tmp_path, participant=ME, area="distrust", prompt="p", text="SECRET-NOTE-about-my-ex")
    _, text = _text(build_report(tmp_path, ME, bank=BANK)[0])
    assert "SECRET-NOTE" not in text


def test_change_page_and_page_limit_in_a_full_worst_case(tmp_path):
    # every area a growth area (the most ideas), two sessions, and the couple page: still 3 pages
    couple_folder(tmp_path, me_share=True, partner_share=True)
    low = {"self_esteem": 1, "distrust": 2, "insecurity": 1, "communication": 2, "foundation": 1}
    all_areas(tmp_path, ME, low, session="after", minutes=5000)
    data, pages, couple = build_report(tmp_path, ME, bank=BANK)
    n, text = _text(data)
    flat = _flat(text)
    assert couple and n == 3
    assert "From session 'before' to session 'after'" in flat
    assert "Standing on your own confidence: lower (-100 points, from strength to growth area)" in flat
    assert "More ideas, for" in flat  # the rest of the growth areas are named, not dropped silently


def test_partial_profile_says_not_yet_rated(tmp_path):
    rate(tmp_path, ME, "foundation", [4] * 6)
    flat = _flat(_text(build_report(tmp_path, ME, bank=BANK)[0])[1])
    assert "not yet rated" in flat and "Looking at the foundation (75, rank 1)" in flat


def test_write_never_overwrites_unless_forced(tmp_path):
    rate(tmp_path, ME, "foundation", [4] * 6)
    out = tmp_path / "me.pdf"
    out.write_bytes(b"keep me")
    with pytest.raises(ValueError, match="already exists"):
        write_report(tmp_path, ME, out, bank=BANK)
    assert out.read_bytes() == b"keep me"
    write_report(tmp_path, ME, out, bank=BANK, force=True)
    assert out.read_bytes().startswith(b"%PDF")


def test_new_report_paths_are_fresh_files(tmp_path):
    a, b = new_report_path(tmp_path), new_report_path(tmp_path, demo=True)
    assert a != b and a.parent == tmp_path / "reports" and not a.exists()
    assert "demo" in b.name and b.suffix == ".pdf"


def test_wrapping_respects_the_width():
    lines = wrap_to_width("word " * 60, 200, size=10)
    assert len(lines) > 3 and all(len(line) <= 45 for line in lines)
    assert wrap_to_width("", 100, size=10) == [""]


# -- the command line -----------------------------------------------------------------------------


def test_cli_report_writes_the_pdf(tmp_path, capsys):
    couple_folder(tmp_path, me_share=True, partner_share=True)
    out = tmp_path / "out.pdf"
    assert main(["report", "--participant", ME.lower(), "--store", str(tmp_path), "--pdf", str(out)]) == 0
    said = capsys.readouterr().out
    assert "3-page report for KM7-4TX with the couple page" in said and str(out) in said
    assert _text(out.read_bytes())[0] == 3
    # a second run refuses to overwrite, in one line, exit 1
    assert main(["report", "--participant", ME, "--store", str(tmp_path), "--pdf", str(out)]) == 1
    err = capsys.readouterr().err
    assert "already exists" in err and "--force" in err and "Traceback" not in err
    assert main(["report", "--participant", ME, "--store", str(tmp_path), "--pdf", str(out), "--force"]) == 0


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--participant", "ACD-EFG"], "no answers and no settings for participant ACD-EFG"),
        (["--participant", "nonsense"], "is not a participant code"),
    ],
)
def test_cli_report_unknown_participant(tmp_path, capsys, args, expected):
    settings(tmp_path, ME)
    assert main(["report", *args, "--store", str(tmp_path), "--pdf", str(tmp_path / "x.pdf")]) == 1
    err = capsys.readouterr().err
    assert expected in err and "Traceback" not in err
    assert not (tmp_path / "x.pdf").exists()


def test_cli_report_unwritable_output_is_one_clear_line(tmp_path, capsys):
    rate(tmp_path, ME, "foundation", [4] * 6)
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    cases = [blocker / "out.pdf", tmp_path / "missing-folder" / "out.pdf", tmp_path]
    if Path("/proc").is_dir():
        cases.append(Path("/proc/reconnect-report.pdf"))
    if os.geteuid() != 0:  # root may write anywhere
        ro = tmp_path / "ro"
        ro.mkdir(mode=0o500)
        cases.append(ro / "out.pdf")
    for out in cases:
        assert main(["report", "--participant", ME, "--store", str(tmp_path), "--pdf", str(out)]) == 1, out
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("reconnect: ") and "Traceback" not in err, err


def test_cli_report_missing_store(tmp_path, capsys):
    missing = tmp_path / "nowhere"
    assert main(["report", "--participant", ME, "--store", str(missing), "--pdf", str(tmp_path / "x.pdf")]) == 1
    assert "There is no data folder" in capsys.readouterr().err


def test_cli_report_workshop_on_an_empty_store_is_explained(tmp_path, capsys):
    assert main(["report", "--workshop", "DEMO", "--store", str(tmp_path), "--pdf", str(tmp_path / "g.pdf")]) == 1
    assert "holds no submissions yet" in capsys.readouterr().err
    assert not (tmp_path / "g.pdf").exists()


def test_cli_report_needs_exactly_one_of_participant_or_workshop(tmp_path, capsys):
    for args in ([], ["--participant", ME, "--workshop", "DEMO"]):
        with pytest.raises(SystemExit) as exc:
            main(["report", *args, "--pdf", str(tmp_path / "g.pdf")])
        assert exc.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("with_couple", [True, False])
def test_the_report_fits_its_pages_in_both_languages(tmp_path, lang, with_couple):
    """The promised 1-3 pages in every language: page 1 ends with the help lines, page 2 ideas and
    change, page 3 only the couple page (the Spanish report used to run to 5)."""
    from reconnect.bank import i18n
    from reconnect.bank.content import load_item_bank

    root = Path(__file__).resolve().parents[1] / "data"
    bank = load_item_bank(root / ("item_bank.es.yaml" if lang == "es" else "item_bank.yaml"))
    couple_folder(tmp_path, me_share=with_couple, partner_share=with_couple)
    low = {"self_esteem": 1, "distrust": 2, "insecurity": 1, "communication": 2, "foundation": 1}
    all_areas(tmp_path, ME, low, session="after", minutes=5000)
    with i18n.language(lang):
        data, pages, couple = build_report(tmp_path, ME, bank=bank)
    n, text = _text(data)
    assert n == pages == (3 if with_couple else 2) and couple is with_couple
    page_one = _flat(PdfReader(io.BytesIO(data)).pages[0].extract_text())
    assert all(_flat(line)[-25:] in page_one for line in bank.help), "every help line on page 1"
