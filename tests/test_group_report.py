"""The group handout PDF: protected at k-1, k and k+1, no codes or names, never overwrites."""

import pytest
from pypdf import PdfReader

from _group_helpers import BANK, code, make_store
from reconnect.core.errors import InputError
from reconnect.output.group_report import write_handout
from reconnect.records.store import load_store


def pdf_text(path):
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


@pytest.mark.parametrize("n", [4, 5, 6])
def test_handout_protected_at_k_minus_1_k_k_plus_1(tmp_path, n):
    couples = {0: "SECRETPAIR", 1: "SECRETPAIR"}
    frame = load_store(make_store(tmp_path / "s", [5, 1, 3, 5, 1, 3][:n], couples=couples), bank=BANK).frame
    out = tmp_path / "handout.pdf"
    pages = write_handout(frame, BANK, workshop="TUE", session="before", out=out, min_group=5)
    text = pdf_text(out)
    assert len(PdfReader(out).pages) == pages
    if n < 5:
        assert "Fewer than 5 people took part, so no results are shown" in text
        assert "Charts appear once at least 5 people have answered" in text
    else:
        assert f"{n} people took part" in text
        assert f"Standing on your own confidence ({n} people" in text
    assert "Trusting after past hurts: fewer than 5 people" in text or n < 5
    assert "988" in text and "1-800-799-7233" in text and "not a diagnosis" in text
    for i in range(n):
        assert code(i) not in text
    assert "SECRETPAIR" not in text


def test_handout_prompts_for_weakest_areas_and_no_overwrite(tmp_path):
    make_store(tmp_path / "s", [5, 4, 5, 4, 5, 4])
    make_store(tmp_path / "s", [1, 2, 1, 2, 1, 2], area="communication")
    frame = load_store(tmp_path / "s", bank=BANK).frame
    out = tmp_path / "h.pdf"
    write_handout(frame, BANK, workshop="TUE", session="before", out=out)
    text = pdf_text(out)
    assert BANK.area("communication").discussion_prompts[0][:40] in text.replace("\n", " ")
    with pytest.raises(InputError, match="already exists"):
        write_handout(frame, BANK, workshop="TUE", session="before", out=out)
