"""The notebooks as files: thin, cleared, hidden code, navigation current, wording rules."""

import json
import os
import re
from pathlib import Path

import pytest

from reconnect.apps.navigation import build, title_of
from reconnect.bank.model import AREA_IDS

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
#: The generated translations (``make nav`` writes them from locale/<lang>/LC_MESSAGES/notebooks.po).
TRANSLATED = sorted((ROOT / "notebooks").glob("*/*.ipynb"))
# The article sits beside the project (/work/shared/reference beside /work/main; one level further up
# from a worktree in /work/wt/<name>); RECONNECT_ARTICLE names it explicitly.
ARTICLE = next(
    (
        p
        for p in (
            Path(os.environ.get("RECONNECT_ARTICLE", "/nonexistent")),
            ROOT.parent / "shared" / "reference" / "source-article.txt",
            ROOT.parent.parent / "shared" / "reference" / "source-article.txt",
        )
        if p.is_file()
    ),
    ROOT.parent / "shared" / "reference" / "source-article.txt",
)


def _load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def test_series_is_complete():
    names = [p.name for p in NOTEBOOKS]
    for expected in [
        "00_start_here.ipynb",
        "01_self_esteem.ipynb",
        "02_distrust.ipynb",
        "03_insecurity.ipynb",
        "04_communication.ipynb",
        "05_foundation.ipynb",
    ]:
        assert expected in names


@pytest.mark.parametrize("path", NOTEBOOKS + TRANSLATED, ids=lambda p: str(p.relative_to(ROOT / "notebooks")))
def test_committed_clean_and_thin(path):
    nb = _load(path)
    assert "widgets" not in nb["metadata"], "commit notebooks without widget state"
    # the JupyterLab extension runs a notebook on open only when it carries this mark
    mark = {"series": True} if path.parent.name == "notebooks" else {"series": True, "language": path.parent.name}
    assert nb["metadata"].get("reconnect") == mark, 'add "reconnect": {"series": true} to its metadata'
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        assert not cell.get("outputs") and cell.get("execution_count") is None, "clear outputs before committing"
        assert len(source.strip().splitlines()) == 1, f"code cells are one line: {source!r}"
        assert source.startswith("from reconnect"), "code cells call into the package"
        assert cell["metadata"].get("jupyter", {}).get("source_hidden") is True, "hide code from participants"


def test_navigation_is_current():
    assert build(ROOT / "notebooks") == {}, "run: python -m reconnect.apps.navigation"


def test_navigation_links_prev_and_next():
    for i, path in enumerate(NOTEBOOKS):
        nav = "".join(_load(path)["cells"][0]["source"])
        if i > 0:
            assert f"]({NOTEBOOKS[i - 1].name})" in nav
        if i + 1 < len(NOTEBOOKS):
            assert f"]({NOTEBOOKS[i + 1].name})" in nav
        assert title_of(_load(path)) != "Untitled"


@pytest.mark.parametrize("area", AREA_IDS)
def test_each_area_notebook_has_all_parts(area):
    path = next(p for p in NOTEBOOKS if p.name.endswith(f"_{area}.ipynb"))
    text = path.read_text(encoding="utf-8")
    for call in (f'rating_form(\\"{area}\\")', f'area_result(\\"{area}\\")', f'reflection(\\"{area}\\")'):
        assert call in text
    assert "What can help" in text


def test_foundation_is_never_a_verdict():
    from reconnect.bank.content import load_item_bank

    notebook = (ROOT / "notebooks" / "05_foundation.ipynb").read_text(encoding="utf-8")
    assert 'area_intro(\\"foundation\\")' in notebook and 'what_can_help(\\"foundation\\")' in notebook
    area = load_item_bank().area("foundation")
    shown = " ".join([notebook, area.introduction, *(s.text for s in (*area.advice, *area.exercise_list))]).lower()
    assert "incompatible" not in shown
    assert "never a verdict" in notebook.lower() and "never a verdict" in area.introduction
    assert "counselor" in shown


@pytest.mark.parametrize("area", AREA_IDS)
def test_area_title_and_introduction_come_from_the_item_bank(area):
    """No area notebook words its own heading or introduction: the bank is the one place to edit them."""
    path = next(p for p in NOTEBOOKS if p.name.endswith(f"_{area}.ipynb"))
    nb = _load(path)
    assert f'area_intro("{area}")' in "".join(_source(c) for c in nb["cells"] if c["cell_type"] == "code")
    assert f'what_can_help("{area}")' in "".join(_source(c) for c in nb["cells"] if c["cell_type"] == "code")
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            assert not re.search(r"^# ", _source(cell), re.M), f"{path.name}: the heading comes from the bank"
    from reconnect.bank.content import load_item_bank

    a = load_item_bank().area(area)
    assert title_of(nb) == f"{a.number}. {a.title}"


def _source(cell):
    return "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]


def test_start_here_covers_privacy_and_help():
    text = (ROOT / "notebooks" / "00_start_here.ipynb").read_text(encoding="utf-8")
    for needed in ("988", "findahelpline.com", "116 123", "1-800-799-7233", "not a diagnosis", "data/responses"):
        assert needed in text


def _product_texts() -> list[Path]:
    """Every text a participant, counselor or developer reads: notebooks, item bank, README, docs, code."""
    return [
        *NOTEBOOKS,
        *TRANSLATED,
        *sorted((ROOT / "src" / "reconnect" / "bank" / "locale").rglob("*.po")),  # the catalogs of every language
        *sorted((ROOT / "data").glob("item_bank*.yaml")),  # the English bank and every translation
        ROOT / "README.md",
        *sorted((ROOT / "docs").glob("*.md")),
        *sorted((ROOT / "src" / "reconnect").rglob("*.py")),
        *sorted((ROOT / "src" / "reconnect" / "bank" / "locale").rglob("*.po")),  # the page words of every language
    ]


def _words(text: str) -> list[str]:
    """Lower-case words only (punctuation, markup and line breaks ignored), as the 8-word rule compares them."""
    return re.findall(r"[a-z'\u00e0-\u00ff]+", text.lower().replace("’", "'"))


@pytest.mark.skipif(not ARTICLE.exists(), reason="the source article is not beside this checkout")
@pytest.mark.parametrize("path", _product_texts(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_sentence_copied_from_the_article(path):
    words = _words(ARTICLE.read_text(encoding="utf-8"))
    grams = {" ".join(words[i : i + 8]) for i in range(len(words) - 7)}
    ours = _words(path.read_text(encoding="utf-8"))
    copied = [" ".join(ours[i : i + 8]) for i in range(len(ours) - 7) if " ".join(ours[i : i + 8]) in grams]
    assert not copied, f"{path.name} repeats the article word for word: {copied[:2]}"


def test_the_copy_check_would_catch_a_copied_sentence():
    """The rule itself: an 8-word run of the article is found, whatever its case and punctuation."""
    if not ARTICLE.exists():
        pytest.skip("the source article is not beside this checkout")
    article = _words(ARTICLE.read_text(encoding="utf-8"))
    grams = {" ".join(article[i : i + 8]) for i in range(len(article) - 7)}
    sample = "Intro: " + " ".join(article[40:48]).upper().replace(" ", ",  ") + "!"
    ours = _words(sample)
    assert any(" ".join(ours[i : i + 8]) in grams for i in range(len(ours) - 7))
