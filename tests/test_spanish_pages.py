"""Every participant page, the PDF report, 07's dashboard and the group handout in Spanish: no English left.

Each view is built from Python inside ``language("es")`` (as a page whose participant chose Spanish),
with enough answers that every part shows: a saved form and its result, the journal, the private
safety check, export, what is stored, 06 with change over time and the couple view, the PDF, the
dashboard on the demo workshop and the handout. Everything a person can read is collected: widget
labels, options, placeholders and tooltips, HTML with its tags stripped, the images' ``alt`` texts,
every text drawn on the matplotlib charts, and the PDFs' text (pypdf).

The check: no English sentence of the catalog (a msgid) is found in it. Long msgids are searched for
piece by piece (the parts between their ``{placeholders}``, of three words or more); short ones (a
button, a heading) are compared with each label as a whole. The same pages in English still show the
English words and none of the Spanish (a regression check that ``_`` translates at call time).
"""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path

import pytest

from _profile_fixtures import ME, all_areas, couple_folder
from reconnect.apps import catalogs
from reconnect.bank import i18n
from reconnect.bank.content import load_item_bank
from reconnect.bank.i18n import language
from reconnect.records import participant as pt
from reconnect.records.journal import save_reflection

#: Catalog entries whose Spanish is, rightly, the English text (names, numbers, symbols). Kept short.
SAME_IN_BOTH = {"No", "{n} min", "n = {n}", "{not_rated} ({person})"}
_PLACEHOLDER = re.compile(r"\{[a-zA-Z_][a-zA-Z0-9_]*\}")


# -- collecting what a person can read ----------------------------------------------------------------
class Seen:
    """The words of a page: running ``text`` (HTML stripped, PDFs, charts) and whole ``labels``."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.labels: list[str] = []

    def add_html(self, value: str) -> None:
        alts = re.findall(r'alt="([^"]*)"', value)
        value = re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", value, flags=re.S)
        text = html_lib.unescape(re.sub(r"<[^>]+>", " ", value))
        self.parts.append(text)
        self.parts.extend(html_lib.unescape(a) for a in alts)
        for heading in re.findall(r"<(?:h\d|b|summary|i)[^>]*>([^<]*)</", value):
            self.labels.append(html_lib.unescape(heading).strip())

    def add_label(self, text) -> None:
        if text:
            self.labels.append(str(text).strip())
            self.parts.append(str(text))

    def add_widget(self, widget) -> None:
        import ipywidgets as w

        for attr in ("description", "placeholder", "tooltip", "button_style_label"):
            self.add_label(getattr(widget, attr, None))
        if isinstance(widget, w.HTML | w.Label):
            self.add_html(widget.value)
        if isinstance(widget, w.Text | w.Textarea | w.Combobox):
            self.add_label(widget.value)
            for option in getattr(widget, "options", ()) or ():
                self.add_label(option)
        labels = getattr(widget, "_options_labels", None)
        if labels:
            for label in labels:
                self.add_label(label)
        if isinstance(widget, w.Output):
            for output in widget.outputs:
                data = output.get("data", {})
                if "text/html" in data:
                    self.add_html(data["text/html"])
                elif "text/plain" in data:
                    self.parts.append(data["text/plain"])
        if hasattr(widget, "statement"):  # a RatingChoice: statement and answer labels
            self.add_label(widget.statement)
            for label, _value in widget.options:
                self.add_label(label)
        for child in getattr(widget, "children", ()) or ():
            self.add_widget(child)

    def add_figure(self, fig) -> None:
        from matplotlib.text import Text

        for t in fig.findobj(Text):
            if t.get_visible() and t.get_text().strip():
                self.add_label(t.get_text())

    def add_pdf(self, path: Path) -> None:
        from pypdf import PdfReader

        for page in PdfReader(str(path)).pages:
            self.parts.append(page.extract_text())

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.parts).split())


def watch_charts(monkeypatch) -> Seen:
    """Every matplotlib figure a view shows, read before it is closed (its words are drawn text)."""
    from reconnect.ui import common

    seen = Seen()
    original = common.figure_img

    def reading(fig, alt, **kwargs):
        seen.add_figure(fig)
        seen.parts.append(alt)
        return original(fig, alt, **kwargs)

    monkeypatch.setattr(common, "figure_img", reading)
    return seen


def _room(home: Path) -> None:
    """A couple who both share, with two sessions, a journal note and a saved form: every part shows."""
    couple_folder(home, me_share=True, partner_share=True)
    all_areas(
        home,
        ME,
        dict.fromkeys(["self_esteem", "distrust", "insecurity", "communication", "foundation"], 3),
        session="after",
        couple="OURS",
        minutes=30,
    )
    save_reflection(home, participant=ME, area="distrust", prompt="p", text="una nota mía")
    pt.save_settings(
        home,
        pt.Settings(
            code=ME, couple="OURS", workshop="MARTES", session="after", share_with_partner=True, share_sensitive=True
        ),
        make_current=False,
    )
    pt.set_current(home, ME)


def build_everything(home: Path, charts: Seen) -> Seen:
    """Build every view in the active language; return what a person can read on them."""
    from reconnect.core.paths import demo_store
    from reconnect.output import group_report
    from reconnect.output.report import write_report
    from reconnect.records.answers import Outcome
    from reconnect.records.store import load_store
    from reconnect.ui.area import AreaResult, RatingForm, ReflectionBox, _outcome_html
    from reconnect.ui.export import ExportPanel
    from reconnect.ui.facilitator import FacilitatorDashboard
    from reconnect.ui.identity import DonePanel, Gate, IdentityBar
    from reconnect.ui.privacy import MyDataPanel
    from reconnect.ui.profile import ProfileView
    from reconnect.ui.safety import PageSafety, PrivateSafetyCheck, WhatCanHelp
    from reconnect.ui.start import StartPanel

    seen = Seen()
    bank = load_item_bank()
    # 00 Start here: nobody yet, then the signed-in panel, its messages, export and "my data"
    pt.sign_out(home)
    start = StartPanel(home=home)
    bar = IdentityBar(home=home)
    import ipywidgets as w

    gate = Gate("t-gate", lambda _g: w.HTML(""), what=i18n.N_("The statements to rate"), home=home)
    seen.add_widget(start.widget)
    seen.add_widget(bar.widget)
    seen.add_widget(gate.widget)
    bar.code.value = "ZZZ-ZZZ"
    bar._on_sign_in()
    seen.add_widget(bar.message)
    pt.set_current(home, ME)
    start.refresh()
    bar.refresh()
    seen.add_widget(start.widget)
    seen.add_widget(bar.widget)
    start._on_new()  # asks first: a code is active
    seen.add_widget(start.confirm_box)
    start._on_save()
    seen.add_widget(start.message)
    export = ExportPanel(home=home)
    export._on_export()
    seen.add_widget(export.widget)
    mydata = MyDataPanel(home=home)
    mydata._on_show()
    seen.add_widget(mydata.widget)
    mydata.confirm.value = "wrong"
    mydata._on_erase()
    seen.add_widget(mydata.message)
    # an area: form with saved answers, changed, saved; result; journal; what can help; the private check
    page = PageSafety()
    form = RatingForm("distrust", home=home, bank=bank)
    seen.add_widget(form.widget)
    first = next(iter(form.questions.values()))
    first.value = 5 if first.value != 5 else 4
    seen.add_widget(form.message)
    form._on_save()
    seen.add_widget(form.message)
    for kind in ("too_few", "unchanged"):
        outcome = Outcome(kind, missing=(2, 3), answered=3, total=6, saved_at=form.saved_at)
        seen.add_html(_outcome_html(outcome, need=5))
    result = AreaResult(form, page=page)
    seen.add_widget(result.widget)
    seen.add_widget(ReflectionBox("distrust", home=home, bank=bank).widget)
    check = PrivateSafetyCheck(page=page, bank=bank)
    seen.add_widget(check.widget)
    check.choice.value = "yes"
    seen.add_widget(check.widget)
    seen.add_widget(WhatCanHelp("communication", page=page, bank=bank).widget)
    check.choice.value = "no"
    seen.add_widget(check.widget)
    # 06: profile, change over time, the couple view, the report
    view = ProfileView(home=home, demo=home / "no-demo", bank=bank)
    seen.add_widget(view.widget)
    view.report_button.click()
    seen.add_widget(view.report_message)
    seen.add_pdf(view.last_report)
    own = write_report(home, ME, home / "reports" / "first-session.pdf", bank=bank, session="before")[0]
    seen.add_pdf(own)
    seen.add_widget(DonePanel(home=home).widget)
    # 07: the dashboard on the demo workshop, and the handout
    dash = FacilitatorDashboard(bank=bank, drop=None)
    seen.add_widget(dash.widget)
    handout = home / "handout.pdf"
    frame = load_store(demo_store(), bank=bank).frame
    group_report.write_handout(frame, bank, workshop="DEMO", session="after", out=handout)
    seen.add_pdf(handout)
    seen.parts.extend(charts.parts)
    seen.labels.extend(charts.labels)
    return seen


# -- what counts as English left over ------------------------------------------------------------------
def translations(lang: str) -> dict[str, str]:
    """Every English string of the catalog (both forms of a plural) and its text in ``lang``."""
    out = {}
    with language(lang):
        for key in catalogs.extract_messages():
            if isinstance(key, tuple):
                out[key[0]] = i18n.ngettext(key[0], key[1], 1)
                out[key[1]] = i18n.ngettext(key[0], key[1], 2)
            else:
                out[key] = i18n._(key)
    return out


def _pieces(msgid: str) -> list[str]:
    """The parts of a msgid between its placeholders that are long enough to be a telling English phrase."""
    out = []
    for piece in _PLACEHOLDER.split(msgid):
        piece = " ".join(piece.split()).strip(" .,:;—()'\"“”«»")
        if len(piece.split()) >= 3:
            out.append(piece)
    return out


def english_left(seen: Seen, lang: str) -> list[str]:
    """The catalog's English sentences (or pieces, or whole labels) found on the pages."""
    translated = translations(lang)
    identical = {m for m, t in translated.items() if m == t}
    text = seen.text
    labels = {" ".join(label.split()) for label in seen.labels}
    found = []
    for msgid in sorted(translated):
        if msgid in SAME_IN_BOTH:
            continue
        pieces = _pieces(msgid)
        if any(p in text for p in pieces) or (not _PLACEHOLDER.search(msgid) and msgid in labels):
            found.append(msgid + ("  [not in the catalog]" if msgid in identical else ""))
    return found


@pytest.fixture(scope="module")
def spanish_and_english(tmp_path_factory):
    """Both languages' pages, built once (the whole set takes a while)."""
    import matplotlib

    matplotlib.use("Agg")
    out = {}
    for lang in ("es", "en"):
        home = tmp_path_factory.mktemp(f"home-{lang}")
        mp = pytest.MonkeyPatch()
        charts = watch_charts(mp)
        mp.setenv("RECONNECT_HOME", str(home))
        mp.delenv("RECONNECT_STORE", raising=False)
        try:
            _room(home)
            with language(lang):
                out[lang] = build_everything(home, charts)
        finally:
            pt.sign_out(home)
            mp.undo()
    return out


def test_catalog_entries_identical_in_both_languages_are_the_listed_ones():
    same = {m for m, t in translations("es").items() if m == t}
    assert same == SAME_IN_BOTH


def test_every_spanish_page_pdf_and_chart_has_no_english_sentence_left(spanish_and_english):
    seen = spanish_and_english["es"]
    assert len(seen.text) > 20000  # the pages were really built
    for spanish in (
        "Guardar mis respuestas",
        "Ya terminé — salir",
        "Mis cinco áreas",
        "fortaleza",
        "Perfil de Reconnect",
        "Lo que ve nuestro grupo",
        "Para conversar en pareja",  # gender-neutral (issue 23): was "juntos"
    ):
        assert spanish.casefold() in seen.text.casefold(), spanish
    left = english_left(seen, "es")
    assert left == [], "English on the Spanish pages:\n" + "\n".join(left)


def test_the_english_pages_are_still_english(spanish_and_english):
    seen = spanish_and_english["en"]
    for english in (
        "Save my answers",
        "I'm done — sign out",
        "My five areas",
        "strength",
        "My Reconnect profile",
        "Reconnect: what our group sees",
        "To talk about together",
        "Who took part",
    ):
        assert english in seen.text, english
    spanish = [
        t
        for t in (
            "Guardar mis respuestas",
            "Tus fortalezas",
            "Para conversar",
            "Dónde pedir ayuda",
            "sin responder todavía",
            "Respondes como",
            "Quiénes participaron",
        )
        if t in seen.text
    ]
    assert spanish == []


def test_the_check_finds_an_english_sentence_left_untranslated(tmp_path, monkeypatch):
    """Remove one translation from a copy of the catalog: 06 now shows that English, and the check names it."""
    import shutil

    from reconnect.ui.profile import ProfileView

    locale = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE_DIR, locale)
    po = locale / "es" / "LC_MESSAGES" / "reconnect.po"
    text = po.read_text(encoding="utf-8")
    gone = 'msgid "My five areas"\nmsgstr "Mis cinco áreas"'
    assert gone in text
    po.write_text(text.replace(gone, 'msgid "My five areas"\nmsgstr ""'), encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALE_DIR", locale)
    home = tmp_path / "home"
    home.mkdir()
    charts = watch_charts(monkeypatch)
    try:
        _room(home)
        with language("es"):
            seen = Seen()
            seen.add_widget(ProfileView(home=home, demo=home / "no-demo", bank=load_item_bank()).widget)
    finally:
        pt.sign_out(home)
    seen.parts.extend(charts.parts)
    seen.labels.extend(charts.labels)
    assert english_left(seen, "es") == ["My five areas  [not in the catalog]"]
