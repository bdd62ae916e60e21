"""Issue 26: guessing how the partner answered, and "How well we read each other" in 06.

Widgets driven from Python: two partners answer 02 and guess, both opt in, the view shows the
differing statements and nothing else; one withdraws and it is gone for both; "Yes" on the private
check (and the fear rule) hide the offer; the guess file is its own record kind, checked by its reader,
refused by collect, removed by erase, and never in an export, a report or a group view.
"""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest

from reconnect.apps.translations import compare_banks
from reconnect.bank.content import load_item_bank, validate_item_bank
from reconnect.core.errors import InputError
from reconnect.records import guesses as gs
from reconnect.records import participant as pt
from reconnect.records.collect import collect, export_answers
from reconnect.records.privacy import erase_participant, stored_about
from reconnect.results.perception import GAP_FROM, perception
from reconnect.results.profile import ProfileSource
from reconnect.ui.area import RatingForm
from reconnect.ui.guess import DONT_KNOW, GuessOffer
from reconnect.ui.profile import ProfileView
from reconnect.ui.safety import YES, PageSafety

BANK = load_item_bank()
A, B = "KM7-4TX", "ACD-EFG"
ROOT = Path(__file__).resolve().parents[1]


def _person(home: Path, code: str, *, couple: str = "OURS") -> None:
    pt.save_settings(
        home, pt.Settings(code=code, couple=couple, share_with_partner=True, share_sensitive=True), make_current=False
    )


def _answer_02(home: Path, code: str, ratings: dict[str, int]) -> tuple[RatingForm, GuessOffer, PageSafety]:
    """``code`` signs in, answers 02 on the form and saves; returns the form, its guess offer and page."""
    pt.set_current(home, code)
    page = PageSafety()
    form = RatingForm("distrust", home=home, bank=BANK, page=page)
    offer = GuessOffer(form, page=page)
    assert offer.widget.children == ()  # nothing offered before a save
    for item_id, value in ratings.items():
        form.questions[item_id].value = value
    form._on_save()
    assert "rc-ok" in form.message.value
    return form, offer, page


def _texts(widget) -> str:
    out = []
    for child in getattr(widget, "children", ()) or ():
        out.append(_texts(child))
    for name in ("value", "description", "statement"):
        v = getattr(widget, name, None)
        if isinstance(v, str):
            out.append(v)
    return "\n".join(out)


MINE = {"dt1": 4, "dt7": 4, "dt8": 2, "dt4": 5, "dt9": 4, "dt10": 1}
THEIRS = {"dt1": 3, "dt7": 4, "dt8": 5, "dt4": 4, "dt9": 4, "dt10": 2}


def _guess(offer: GuessOffer, values: dict[str, int]) -> None:
    start = [b for b in offer.widget.children[2].children if "rc-guess-start" in b._dom_classes][0]
    start.click()
    assert set(offer.questions) == {"dt8", "dt4"}  # only the eligible statements of 02, in the bank's order
    assert all(o[1] != 0 or o[0] == "I don't know" for q in offer.questions.values() for o in q.options)
    for item, value in values.items():
        offer.questions[item].value = value
    offer._on_save()
    assert "Your guesses are saved" in offer.message.value


def test_the_bank_marks_who_may_be_guessed_and_the_validator_enforces_it(tmp_path):
    for area in BANK.areas:
        for item in (*area.items, *area.retired):
            if item.sensitive or item.fear:
                assert not item.guess, item.id
    assert sorted(gs.eligible_items(BANK, "distrust")) == ["dt4", "dt8"]  # not trust, safety, fear
    es = load_item_bank(ROOT / "data" / "item_bank.es.yaml")
    assert [i.guess for a in es.areas for i in a.items] == [i.guess for a in BANK.areas for i in a.items]
    text = (ROOT / "data" / "item_bank.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "item_bank.yaml"
    bad.write_text(text.replace("        fear: true\n", "        fear: true\n        guess: true\n", 1))
    problems = validate_item_bank(bad)
    assert any("may never be guessed" in p.reason and "dt10" in p.location for p in problems)
    # a translation must keep the flag
    es_text = (ROOT / "data" / "item_bank.es.yaml").read_text(encoding="utf-8")
    other = tmp_path / "item_bank.es.yaml"
    other.write_text(es_text.replace("        guess: true\n", "", 1))
    diff = compare_banks(BANK, load_item_bank(other))
    assert any(k.endswith(".guess") for k, *_ in diff.different)


def test_two_partners_guess_both_opt_in_and_see_the_differences_only(tmp_path):
    _person(tmp_path, A)
    _person(tmp_path, B)
    _form_a, offer_a, _ = _answer_02(tmp_path, A, MINE)
    assert "how do you think your partner sees it" in _texts(offer_a.widget)
    _guess(offer_a, {"dt8": 2, "dt4": 4})  # B said dt8 5 (3 apart), dt4 4 (same)
    _form_b, offer_b, _ = _answer_02(tmp_path, B, THEIRS)
    _guess(offer_b, {"dt8": 3, "dt4": DONT_KNOW})  # A said dt8 2 (1 apart); I don't know on dt4
    pt.set_current(tmp_path, A)
    view_a = ProfileView(home=tmp_path, demo=tmp_path / "none", bank=BANK)
    assert view_a.reading.consent.value is False
    assert "only when both of you" in view_a.reading.body.value and "rc-gap" not in view_a.reading.body.value
    view_a.reading.consent.value = True  # only A so far: still nothing
    assert pt.load_settings(tmp_path, A).share_guesses is True
    assert "rc-gap" not in view_a.reading.body.value
    pt.set_current(tmp_path, B)
    view_b = ProfileView(home=tmp_path, demo=tmp_path / "none", bank=BANK)
    view_b.reading.consent.value = True
    body_b = view_b.reading.body.value
    assert body_b.count('class="rc-gap"') == 1
    assert "I talk with my partner about the doubts I have about them." in body_b
    assert "Your partner guessed you would say “A little true of me”; you said “Completely true of me”" in body_b
    for word in ("%", "score", "accura", "correct", "right guess"):
        assert word not in body_b.split("</p>", 1)[1].lower()  # the gaps carry no score of any kind
    pt.set_current(tmp_path, A)
    view_a.refresh()
    body_a = view_a.reading.body.value
    assert body_a.count('class="rc-gap"') == 1
    assert (
        "You guessed your partner would say “A little true of me”; your partner said “Completely true of me”" in body_a
    )
    assert "old hurt" not in body_a  # dt4: a guess within one step is not shown
    # one withdraws: gone for both
    view_a.reading.consent.value = False
    assert "rc-gap" not in view_a.reading.body.value
    assert "gone for both" in view_a.reading.message.value
    pt.set_current(tmp_path, B)
    view_b.refresh()
    assert "rc-gap" not in view_b.reading.body.value
    assert perception(ProfileSource(tmp_path), B).gaps == []


def test_withdrawing_the_results_consent_hides_it_too(tmp_path):
    _person(tmp_path, A)
    _person(tmp_path, B)
    gs.save_guesses(tmp_path, participant=A, couple="OURS", session="before", area="distrust", guesses={"dt8": 1})
    _answer_02(tmp_path, A, MINE)
    _answer_02(tmp_path, B, THEIRS)
    for code in (A, B):
        s = pt.load_settings(tmp_path, code)
        pt.save_settings(tmp_path, pt.Settings(**{**s.__dict__, "share_guesses": True}), make_current=False)
    assert [g.item for g in perception(ProfileSource(tmp_path), B).gaps] == ["dt8"]
    s = pt.load_settings(tmp_path, B)
    pt.save_settings(tmp_path, pt.Settings(**{**s.__dict__, "share_with_partner": False}), make_current=False)
    assert perception(ProfileSource(tmp_path), A).gaps == [] and perception(ProfileSource(tmp_path), B).gaps == []


def test_private_areas_need_the_sensitive_consent_too(tmp_path):
    for code in (A, B):
        pt.save_settings(
            tmp_path,
            pt.Settings(code=code, couple="OURS", share_with_partner=True, share_guesses=True),
            make_current=False,
        )
    gs.save_guesses(tmp_path, participant=A, couple="OURS", session="before", area="distrust", guesses={"dt8": 1})
    _answer_02(tmp_path, A, MINE)
    _answer_02(tmp_path, B, THEIRS)
    seen = perception(ProfileSource(tmp_path), A)
    assert seen.gaps == [] and any("kept private" in n for n in seen.notes)


def test_yes_on_the_private_check_hides_the_offer_and_what_was_given(tmp_path):
    _person(tmp_path, A)
    _form, offer, page = _answer_02(tmp_path, A, MINE)
    _guess(offer, {"dt8": 3})
    box = offer.questions["dt8"]
    page.set_answer(YES)
    assert offer.widget.children == () and offer.questions == {}
    assert box.comm is None  # the widget holding the guess is closed: its value left the page
    page.set_answer(None)
    assert offer.widget.children != ()  # the offer is back, nothing open


def test_the_fear_rule_hides_the_offer(tmp_path):
    _person(tmp_path, A)
    form, offer, _page = _answer_02(tmp_path, A, {**MINE, "dt10": 5})
    assert offer.widget.children == ()
    form.questions["dt10"].value = 1
    assert offer.widget.children != ()


def test_no_couple_code_no_offer_and_skipping_saves_nothing(tmp_path):
    _person(tmp_path, A, couple="")
    _f, offer, _p = _answer_02(tmp_path, A, MINE)
    assert offer.widget.children == ()
    _person(tmp_path, B)
    _f, offer, _p = _answer_02(tmp_path, B, THEIRS)
    skip = [b for b in offer.widget.children[2].children if "rc-guess-skip" in b._dom_classes][0]
    skip.click()
    assert "Nothing was saved" in _texts(offer.widget)
    assert not (tmp_path / "guesses").exists()


def test_sign_out_leaves_nothing_for_the_next_person(tmp_path):
    from reconnect.ui.identity import _on_leave

    _person(tmp_path, A)
    _form, offer, _page = _answer_02(tmp_path, A, MINE)
    _guess(offer, {"dt8": 3})
    box = offer.questions["dt8"]
    _on_leave(tmp_path)  # what "I'm done - sign out" does to every view
    assert offer.widget.children == () and offer.questions == {} and box.comm is None
    offer.refresh()
    assert offer.widget.children == ()


# -- the record kind: written once, checked by its reader ----------------------------------------
def _write(home: Path, code: str, record: dict | bytes, name: str = "guess-20261126T183000000000-abcd12.json") -> Path:
    folder = home / "guesses" / code
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(record if isinstance(record, bytes) else json.dumps(record).encode())
    return path


GOOD = {
    "format_version": 1,
    "kind": "guesses",
    "participant": A,
    "couple": "OURS",
    "session": "before",
    "area": "distrust",
    "bank_version": "1.1",
    "guesses": {"dt8": 3, "dt4": None},
    "saved_at": "2026-11-26T18:30:00.000+00:00",
}


@pytest.mark.parametrize(
    "change, where, words",
    [
        ({"guesses": {"dt10": 5}}, "guesses.dt10", "may not be guessed"),
        ({"guesses": {"dt1": 5}}, "guesses.dt1", "may not be guessed"),
        ({"guesses": {"dt8": 7}}, "guesses.dt8", "not an answer on the scale"),
        ({"guesses": {"dt8": True}}, "guesses.dt8", "not an answer on the scale"),
        ({"guesses": {"dt8": "4"}}, "guesses.dt8", "not an answer on the scale"),
        ({"format_version": 9}, "format_version", "newer than this Reconnect"),
        ({"participant": B}, "participant", "in the folder of"),
        ({"bank_version": "0.1"}, "bank_version", "not one this Reconnect knows"),
        ({"area": "<script>"}, "area", "is not an area"),
        ({"saved_at": "yesterday"}, "saved_at", "not a save time"),
        ({"kind": "answers"}, "kind", "not 'guesses'"),
        ({"couple": "a\nb"}, "couple", "characters not allowed"),
        ({"extra": 1}, "extra", "never has"),
    ],
)
def test_hostile_guess_files_get_clear_problems_and_load_nothing(tmp_path, change, where, words):
    path = _write(tmp_path, A, {**GOOD, **change})
    good = _write(tmp_path, A, GOOD, name="guess-20261126T183100000000-abcd13.json")
    records, problems = gs.load_guesses(tmp_path, A, bank=BANK)
    assert [r.path for r in records] == [str(good)]
    assert len(problems) == 1 and problems[0].path == str(path)
    assert problems[0].location == where and words in problems[0].reason and problems[0].fix
    assert path.exists()  # left exactly where it is


@pytest.mark.parametrize("data", [b"", b"\xff\xfe", b"[1, 2]", b"{" * 5000, b"x" * (gs.MAX_BYTES + 10)])
def test_broken_guess_files_are_reported(tmp_path, data):
    path = _write(tmp_path, A, data)
    records, problems = gs.load_guesses(tmp_path, A, bank=BANK)
    assert records == [] and len(problems) == 1 and problems[0].path == str(path) and problems[0].fix


def test_a_link_is_never_followed(tmp_path):
    secret = tmp_path / "secret.json"
    secret.write_text(json.dumps(GOOD))
    (tmp_path / "guesses" / A).mkdir(parents=True)
    os.symlink(secret, tmp_path / "guesses" / A / "guess-20261126T183000000000-abcd12.json")
    records, problems = gs.load_guesses(tmp_path, A, bank=BANK)
    assert records == [] and "not a regular file" in problems[0].reason


def test_save_refuses_what_it_could_not_read_back(tmp_path):
    with pytest.raises(InputError, match="Nothing was saved"):
        gs.save_guesses(tmp_path, participant=A, couple="", session="before", area="distrust", guesses={"dt8": 3})
    assert not (tmp_path / "guesses").exists()
    rec = gs.save_guesses(
        tmp_path, participant=A, couple="OURS", session="before", area="distrust", guesses={"dt8": 3, "dt10": 5}
    )  # a statement that may not be guessed is dropped
    assert rec.guesses == {"dt8": 3}
    assert oct(Path(rec.path).stat().st_mode & 0o777) == "0o600"


# -- nowhere else ----------------------------------------------------------------------------------
def _folder_with_guesses(home: Path) -> None:
    _person(home, A)
    _person(home, B)
    _answer_02(home, A, MINE)
    _answer_02(home, B, THEIRS)
    gs.save_guesses(home, participant=A, couple="OURS", session="before", area="distrust", guesses={"dt8": 1})


def test_collect_refuses_guesses_in_every_shape(tmp_path):
    home = tmp_path / "home"
    _folder_with_guesses(home)
    store = tmp_path / "store"
    result = collect([home], store)  # a participant's whole data folder: guesses/ is skipped, never read
    assert result.ok and result.rejected == [] and len(result.imported) == 2
    guess_file = next((home / "guesses" / A).iterdir())
    one = collect([guess_file], tmp_path / "store2")
    assert one.rejected[0].path == str(guess_file) and "never collected" in one.rejected[0].reason
    assert "sub-*.csv" in one.rejected[0].fix
    flat = tmp_path / "handed-in"
    flat.mkdir()
    (flat / guess_file.name).write_bytes(guess_file.read_bytes())  # a guess file among handed-in files
    among = collect([flat], tmp_path / "store5")
    assert [p.path for p in among.rejected] == [str(flat / guess_file.name)]
    archive = tmp_path / "handed-in.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.write(guess_file, f"guesses/{A}/{guess_file.name}")
    zipped = collect([archive], tmp_path / "store3")
    assert "guesses about their partner" in zipped.rejected[0].reason and "!guesses/" in zipped.rejected[0].path
    csv_file = tmp_path / "sub-guess.csv"
    csv_file.write_text("format_version,participant,area,item,guess\n1,KM7-4TX,distrust,dt8,3\n")
    refused_csv = collect([csv_file], tmp_path / "store4")
    assert "guesses about their partner" in refused_csv.rejected[0].reason
    # nothing of a guess reached any store
    for s in (store, *(tmp_path / f"store{n}" for n in range(2, 6))):
        for path in s.rglob("*") if s.exists() else []:
            if path.is_file():
                assert b"guess" not in path.read_bytes().lower()


def test_export_report_and_erase(tmp_path):
    _folder_with_guesses(tmp_path)
    exported = export_answers(tmp_path, A, bank=BANK)
    with zipfile.ZipFile(exported) as zf:
        names = zf.namelist()
        assert names and all(n.startswith("submissions/sub-") for n in names)
        assert all(b"guess" not in zf.read(n).lower() for n in names)
    from reconnect.output.report import write_report

    pt.set_current(tmp_path, A)
    for code in (A, B):
        s = pt.load_settings(tmp_path, code)
        pt.save_settings(tmp_path, pt.Settings(**{**s.__dict__, "share_guesses": True}), make_current=False)
    assert perception(ProfileSource(tmp_path), A).gaps  # there is something that could leak
    pdf, _pages, couple_page = write_report(tmp_path, A, tmp_path / "r.pdf", bank=BANK)
    assert couple_page
    text = _pdf_text(pdf)
    assert "guess" not in text.lower() and "read each other" not in text.lower()
    stored = stored_about(tmp_path, A)
    assert len(stored.personal["guesses"]) == 1
    assert any("Guesses about how your partner answered: 1" in line for line in stored.lines())
    erase_participant(tmp_path, A, confirm=A)
    assert not (tmp_path / "guesses" / A).exists()
    assert gs.load_guesses(tmp_path, A) == ([], [])


def _pdf_text(path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def test_gap_threshold_is_two_steps():
    assert GAP_FROM == 2


def test_forgetting_a_workshop_removes_its_participants_guesses(tmp_path):
    from reconnect.records.retention import forget_workshop, plan_forget

    for code, shop in ((A, "TUESDAY"), (B, "OTHER")):
        pt.save_settings(tmp_path, pt.Settings(code=code, couple="OURS", workshop=shop), make_current=False)
        gs.save_guesses(
            tmp_path, participant=code, couple="OURS", session="before", area="distrust", guesses={"dt8": 2}
        )
    assert len(plan_forget(tmp_path, "tuesday").guesses) == 1
    result = forget_workshop(tmp_path, "TUESDAY", confirm="TUESDAY", bank=BANK)
    assert any("guess-" in p.name for p in result.removed)
    assert gs.load_guesses(tmp_path, A)[0] == [] and len(gs.load_guesses(tmp_path, B)[0]) == 1


# -- a laptop handed round: 02 run as its notebook runs it, two people one after the other ---------
def test_shared_laptop_shows_the_next_person_nothing_of_the_guesses(home, monkeypatch):
    import ipywidgets as w

    from reconnect.bank import i18n
    from reconnect.ui.identity import DONE_LABEL
    from test_sign_out_clears import NOTEBOOKS, run_page, state, walk

    P, Q = "HJK-MNP", "QRT-UVW"  # not KM7-4TX: the code box's placeholder shows that one as an example
    monkeypatch.setenv("RECONNECT_SHARED", "1")
    monkeypatch.chdir(NOTEBOOKS)
    pt._answering.clear()
    pt._signed_out.clear()
    i18n.use_language(None)
    for code in (P, Q):
        pt.save_settings(home, pt.Settings(code=code, couple="OURS"), make_current=False)
    widgets = run_page("02_distrust.ipynb")
    first_seen = state(widgets)
    pt.sign_in(home, P)

    def find(kind, test):
        return [x for top in widgets for x in walk(top) if isinstance(x, kind) and test(x)]

    choices = [x for top in widgets for x in walk(top) if type(x).__name__ == "RatingChoice"]
    for box, value in zip(choices, [MINE[i.id] for i in BANK.area("distrust").items]):
        box.value = value
    find(w.Button, lambda b: b.description == "Save my answers")[0].click()
    find(w.Button, lambda b: b.description == "Guess my partner's answers")[0].click()
    guesses = [x for top in widgets for x in walk(top) if getattr(x, "statement", "").startswith("Your partner:")]
    assert len(guesses) == 2
    guesses[0].value = 1
    find(w.Button, lambda b: b.description == "Save my guesses")[0].click()
    assert len(gs.load_guesses(home, P)[0]) == 1
    find(w.Button, lambda b: b.description == DONE_LABEL)[-1].click()
    after = state(widgets)
    leaked = [r[:300] for r in after if "Your partner:" in r or P in r]
    assert leaked == []
    assert len(after) == len(first_seen)
    # the next person signs in on the same page: their own (empty) offer only, nothing of A's
    pt.sign_in(home, Q)
    assert not any("Your partner:" in r for r in state(widgets))
    assert not find(w.Button, lambda b: b.description == "Guess my partner's answers")  # B has not saved 02
    pt._answering.clear()
    pt._signed_out.clear()


def test_the_guesses_and_the_view_in_spanish(tmp_path):
    from reconnect.bank.i18n import language

    es = load_item_bank(ROOT / "data" / "item_bank.es.yaml")
    _person(tmp_path, A)
    _person(tmp_path, B)
    with language("es"):
        _answer_02(tmp_path, B, THEIRS)
        gs.save_guesses(
            tmp_path, participant=B, couple="OURS", session="before", area="distrust", guesses={"dt8": 5}, bank=es
        )  # A says 2: three steps apart
        pt.set_current(tmp_path, A)
        page = PageSafety()
        form = RatingForm("distrust", home=tmp_path, bank=es, page=page)
        offer = GuessOffer(form, page=page)
        for item_id, value in MINE.items():
            form.questions[item_id].value = value
        form._on_save()
        text = _texts(offer.widget)
        assert "¿cómo crees que lo ve tu pareja?" in text and "Suponer las respuestas de mi pareja" in text
        start = [b for b in offer.widget.children[2].children if "rc-guess-start" in b._dom_classes][0]
        start.click()
        box = offer.questions["dt8"]
        assert box.statement.startswith("Tu pareja: “Hablo con mi pareja") and ("No lo sé", 0) in box.options
        for code in (A, B):
            s = pt.load_settings(tmp_path, code)
            pt.save_settings(tmp_path, pt.Settings(**{**s.__dict__, "share_guesses": True}), make_current=False)
        view = ProfileView(home=tmp_path, demo=tmp_path / "none", bank=es)
        body = view.reading.body.value
        assert body.count('class="rc-gap"') == 1
        assert "Tu pareja supuso que dirías" in body and "Hablo con mi pareja" in body
        assert "Cómo nos leemos" in _texts(view.reading.widget)


def test_a_bank_version_change_treats_guesses_like_answers(tmp_path):
    """A guess saved under 1.0 on a statement retired after 1.0 still loads (by its id, under the version
    that asked it); the same id under 1.1, or a statement first asked in 1.1 under 1.0, is refused."""
    text = (ROOT / "data" / "item_bank.yaml").read_text(encoding="utf-8")
    old = '      - id: dt3\n        text: "I bring my doubts about my partner to them and talk them through."\n'
    assert old in text
    bank_path = tmp_path / "item_bank.yaml"
    bank_path.write_text(text.replace(old, old + "        guess: true\n"), encoding="utf-8")
    bank = load_item_bank(bank_path)
    assert sorted(gs.eligible_items(bank, "distrust", version="1.0")) == ["dt3", "dt4"]
    home = tmp_path / "home"
    kept = _write(home, A, {**GOOD, "bank_version": "1.0", "guesses": {"dt3": 2, "dt4": 4}})
    _write(home, A, {**GOOD, "guesses": {"dt3": 2}}, name="guess-20261126T183100000000-abcd13.json")
    _write(
        home, A, {**GOOD, "bank_version": "1.0", "guesses": {"dt8": 2}}, name="guess-20261126T183200000000-abcd14.json"
    )
    records, problems = gs.load_guesses(home, A, bank=bank)
    assert [r.path for r in records] == [str(kept)] and records[0].guesses == {"dt3": 2, "dt4": 4}
    assert sorted(p.location for p in problems) == ["guesses.dt3", "guesses.dt8"]


def test_sign_out_empties_how_well_we_read_each_other(tmp_path):
    from reconnect.ui.identity import _on_leave

    _folder_with_guesses(tmp_path)
    for code in (A, B):
        s = pt.load_settings(tmp_path, code)
        pt.save_settings(tmp_path, pt.Settings(**{**s.__dict__, "share_guesses": True}), make_current=False)
    pt.set_current(tmp_path, A)
    view = ProfileView(home=tmp_path, demo=tmp_path / "none", bank=BANK)
    assert "rc-gap" in view.reading.body.value and view.reading.consent.value is True
    _on_leave(tmp_path)
    assert view.reading.body.value == "" and view.reading.consent.value is False and view.reading.consent.disabled
