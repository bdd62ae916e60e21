"""Choosing the language: in 00 (remembered with the settings), per page, per installation; the
notebooks' text from notebooks.po, checked complete; the generated notebooks/es."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from reconnect.apps import catalogs, navigation
from reconnect.bank import i18n
from reconnect.bank.i18n import _
from reconnect.records import participant as pt
from reconnect.ui import start

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _page_state(monkeypatch):
    """Every test starts with no language chosen on this 'page' (the kernel) and leaves none behind."""
    monkeypatch.delenv("RECONNECT_LANG", raising=False)
    monkeypatch.setenv("RECONNECT_SHARED", "0")
    i18n.use_language(None)
    i18n.set_page_language(None)
    yield
    i18n.use_language(None)
    i18n.set_page_language(None)


# -- the setting ----------------------------------------------------------------------------------------


def test_old_settings_files_without_a_language_still_load(tmp_path):
    folder = pt.settings_folder(tmp_path, "KM7-4TX")
    folder.mkdir(parents=True)
    record = {"format_version": 1, "code": "KM7-4TX", "session": "before", "saved_at": "2026-01-01T00:00:00+00:00"}
    (folder / "settings-20260101T000000000000-abcd.json").write_text(json.dumps(record))
    settings = pt.load_settings(tmp_path, "KM7-4TX")
    assert settings is not None and settings.language == ""
    saved = pt.save_settings(tmp_path, settings.__class__(code="KM7-4TX", language="es_MX"))
    assert saved.language == "es" and pt.load_settings(tmp_path, "KM7-4TX").language == "es"


def test_precedence_person_then_page_then_installation(tmp_path, monkeypatch):
    monkeypatch.setenv("RECONNECT_LANG", "es")
    assert i18n.active_language() == "es"  # the installation
    i18n.set_page_language("en")
    assert i18n.active_language() == "en"  # this page's own language
    pt.save_settings(tmp_path, pt.Settings(code="KM7-4TX", language="es"), make_current=False)
    pt.sign_in(tmp_path, "KM7-4TX")
    assert i18n.active_language() == "es"  # the person answering chose Spanish
    with i18n.language("en"):
        assert i18n.active_language() == "en"  # a block asking for a language wins
    pt.sign_out(tmp_path)
    assert i18n.active_language() == "en"  # nobody answering: the page again, nothing of the last person


def test_a_person_without_a_choice_gets_the_page_language(tmp_path):
    i18n.set_page_language("es")
    pt.save_settings(tmp_path, pt.Settings(code="KM7-4TX"), make_current=False)
    pt.sign_in(tmp_path, "KM7-4TX")
    assert i18n.active_language() == "es"
    pt.sign_out(tmp_path)


def test_someone_remembered_gets_their_language_when_the_page_starts(tmp_path, monkeypatch):
    from reconnect import notebook

    pt.save_settings(tmp_path, pt.Settings(code="KM7-4TX", language="es"), make_current=False)
    pt.remember(tmp_path, "KM7-4TX")
    monkeypatch.setenv("RECONNECT_HOME", str(tmp_path))
    notebook.done_button()  # any cell of the page
    assert i18n.active_language() == "es"


# -- 00's language buttons ------------------------------------------------------------------------------


def _panel(home: Path):
    from reconnect.ui.identity import _registry
    from reconnect.ui.start import StartPanel

    StartPanel(home=home)
    return lambda: _registry["start-panel"]  # the panel now on the page (it is drawn again on a choice)


def test_choosing_spanish_before_a_code_exists_is_saved_with_the_new_code(tmp_path):
    panel = _panel(tmp_path)
    assert [value for _label, value in panel().language.options] == ["en", "es"]
    assert [label for label, _value in panel().language.options] == ["English", "Español"]
    panel().language.value = "es"
    assert i18n.active_language() == "es"
    assert panel().language.label == "Idioma"  # the panel was drawn again, in Spanish
    assert "Idioma: Español" in panel().message.value
    panel().new_button.click()
    code = pt.current_code(tmp_path)
    assert pt.load_settings(tmp_path, code).language == "es"


def test_choosing_a_language_while_signed_in_saves_it_and_redraws_the_page(tmp_path):
    from reconnect.ui.identity import Gate

    built = []
    Gate(
        "probe",
        lambda g: built.append(i18n.active_language()) or __import__("ipywidgets").HTML(),
        what="x",
        home=tmp_path,
    )
    panel = _panel(tmp_path)
    panel().new_button.click()
    code = pt.current_code(tmp_path)
    panel().language.value = "es"
    assert pt.load_settings(tmp_path, code).language == "es"
    assert built[-1] == "es"  # the personal views on the page were built again in Spanish
    assert "Se guarda con tus ajustes" in panel().message.value
    panel().language.value = "en"
    assert pt.load_settings(tmp_path, code).language == "en" and i18n.active_language() == "en"
    assert built[-1] == "en"
    pt.sign_out(tmp_path)


def test_resuming_a_code_shows_its_language(tmp_path):
    pt.save_settings(tmp_path, pt.Settings(code="KM7-4TX", language="es"), make_current=False)
    panel = _panel(tmp_path)
    assert panel().language.value == "en"
    panel().resume_code.value = "KM7-4TX"
    panel().resume_button.click()
    assert i18n.active_language() == "es" and panel().language.value == "es"
    assert panel().language.label == "Idioma"
    assert "KM7-4TX" in panel().message.value  # the welcome reaches the panel on the page (drawn again)
    assert pt.load_settings(tmp_path, "KM7-4TX").language == "es"  # the toggle moving saved nothing new
    pt.sign_out(tmp_path)


def test_the_language_note_links_to_the_page_in_that_language(tmp_path):
    from reconnect.ui.start import language_note

    (tmp_path / "es").mkdir()
    (tmp_path / "00_start_here.ipynb").write_text("{}")
    (tmp_path / "es" / "00_start_here.ipynb").write_text("{}")
    assert start.page_link("00_start_here.ipynb", to_language="es", here=tmp_path) == "es/00_start_here.ipynb"
    assert start.page_link("00_start_here.ipynb", to_language="en", here=tmp_path) is None
    i18n.set_page_language("es")
    assert start.page_link("00_start_here.ipynb", to_language="en", here=tmp_path / "es") == (
        "../00_start_here.ipynb"
    )
    assert start.page_link("00_start_here.ipynb", to_language="es", here=tmp_path / "es") is None
    note = language_note("en", saved=True)
    assert "Language: English" in note and "<script" not in note


# -- the notebooks' catalog -----------------------------------------------------------------------------


def test_every_markdown_cell_of_the_notebooks_is_translated():
    problems = catalogs.notebook_catalog_problems("es")
    assert problems == [], "\n".join(str(p) for p in problems[:10])


@pytest.fixture
def notebooks_copy(tmp_path, monkeypatch):
    """The notebooks and a copy of the Spanish notebooks catalog, to break on purpose."""
    locale = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE_DIR, locale)
    monkeypatch.setattr(i18n, "LOCALE_DIR", locale)
    folder = tmp_path / "notebooks"
    folder.mkdir()
    for path in (ROOT / "notebooks").glob("*.ipynb"):
        shutil.copy(path, folder / path.name)
    return folder, locale / "es" / "LC_MESSAGES" / "notebooks.po"


def test_the_check_names_a_markdown_cell_without_translation(notebooks_copy):
    folder, _po = notebooks_copy
    path = folder / "06_my_profile.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb["cells"].insert(2, {"cell_type": "markdown", "id": "new", "metadata": {}, "source": "## A new section"})
    path.write_text(json.dumps(nb), encoding="utf-8")
    whats = [p.reason for p in catalogs.notebook_catalog_problems("es", folder=folder)]
    assert "missing translation: '## A new section'" in whats
    assert any(
        p.location == "used at 06_my_profile.ipynb" for p in catalogs.notebook_catalog_problems("es", folder=folder)
    )


def test_the_check_names_a_translation_of_a_cell_that_is_gone(notebooks_copy):
    folder, _po = notebooks_copy
    path = folder / "07_group_discussion.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb["cells"] = [c for c in nb["cells"] if not "".join(c["source"]).startswith("## Leading the discussion")]
    path.write_text(json.dumps(nb), encoding="utf-8")
    whats = [p.reason for p in catalogs.notebook_catalog_problems("es", folder=folder)]
    assert any(w.startswith("extra entry no longer in the code: '## Leading the discussion") for w in whats)


def test_the_check_names_an_english_cell_edited_since_it_was_translated(notebooks_copy):
    folder, po = notebooks_copy
    path = folder / "06_my_profile.ipynb"
    text = path.read_text(encoding="utf-8").replace("Keep the file private", "Keep this file private")
    path.write_text(text, encoding="utf-8")
    whats = [p.reason for p in catalogs.notebook_catalog_problems("es", folder=folder)]
    assert any(w.startswith("missing translation: '## Printable report") for w in whats)
    assert any(w.startswith("extra entry no longer in the code: '## Printable report") for w in whats)


def test_update_notebook_catalog_adds_new_cells_untranslated(notebooks_copy):
    folder, po = notebooks_copy
    path = folder / "02_distrust.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    nb["cells"].insert(2, {"cell_type": "markdown", "id": "new", "metadata": {}, "source": "## Brand new"})
    path.write_text(json.dumps(nb), encoding="utf-8")
    catalogs.update_notebook_catalog("es", folder=folder)
    text = po.read_text(encoding="utf-8")
    assert 'msgid "## Brand new"\nmsgstr ""' in text
    assert "Lee cada afirmación" in text  # the existing translations stay


def test_reconnect_translations_lists_the_notebook_cells_too(notebooks_copy, capsys):
    from reconnect.apps.cli import main

    folder, po = notebooks_copy
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "## Qué puede ayudar"', 'msgstr ""'))
    assert main(["translations", "es"]) == 1
    out = capsys.readouterr().out
    assert "notebooks.po" in out and "missing translation: '## What can help'" in out


# -- the generated notebooks ----------------------------------------------------------------------------


def test_the_spanish_notebooks_are_the_english_ones_with_translated_text():
    english = sorted((ROOT / "notebooks").glob("*.ipynb"))
    for path in english:
        en = json.loads(path.read_text(encoding="utf-8"))
        es = json.loads((ROOT / "notebooks" / "es" / path.name).read_text(encoding="utf-8"))
        assert es["cells"][0]["source"] == 'from reconnect.notebook import page_language; page_language("es")'
        code_en = [c["source"] for c in en["cells"] if c["cell_type"] == "code"]
        code_es = [c["source"] for c in es["cells"][1:] if c["cell_type"] == "code"]
        assert code_es == code_en, path.name  # the same one-line calls, in the same order
        texts = [c["source"] for c in es["cells"] if c["cell_type"] == "markdown"]
        nav = [t for t in texts if "](" in t and t.count("|") >= 1 and len(t) < 300]
        assert nav and all("Contenido" in t for t in nav), path.name
        assert not any("Start here" in t or "Contents" in t for t in texts), path.name


def test_button_names_in_the_spanish_text_are_the_buttons_translations():
    """A label the English text names (**Save my answers**) reads in the Spanish text as the button says."""
    catalog = i18n.load_catalog("es")
    translated = {m.id: m.string for m in catalogs._read("es", "notebooks") if m.id}
    checked = 0
    for english, spanish in translated.items():
        for label in re.findall(r"\*\*([^*]+)\*\*|\*([^*]+)\*", english):
            label = label[0] or label[1]
            button = catalog.gettext(label)
            if button != label:
                checked += 1
                assert button in spanish, (label, button, spanish[:80])
    assert checked >= 1


def test_the_page_text_and_the_app_pages_speak_the_pages_language():
    index = (ROOT / "src" / "reconnect" / "app_template" / "index.html.j2").read_text(encoding="utf-8")
    with i18n.language("es"):
        retry = _(navigation.PAGE_WORDS["stalled_retry"])
    assert retry != navigation.PAGE_WORDS["stalled_retry"] and json.dumps(retry, ensure_ascii=False) in index


def test_the_bar_at_the_top_speaks_the_language_of_whoever_signs_in(tmp_path):
    """01-06: the page opens in English; someone who chose Spanish in 00 signs in with the bar, then leaves."""
    from reconnect.ui.identity import IdentityBar

    pt.save_settings(tmp_path, pt.Settings(code="KM7-4TX", language="es"), make_current=False)
    bar = IdentityBar(home=tmp_path)
    assert bar.sign_in_button.description == "This is me"
    bar.code.value = "KM7-4TX"
    bar.sign_in_button.click()
    assert i18n.active_language() == "es"
    assert bar.sign_out_button.description == _("I'm done — sign out") != "I'm done — sign out"
    assert "Respondes como" in bar.status.value
    bar.sign_out_button.click()
    assert i18n.active_language() == "en"
    assert bar.sign_in_button.description == "This is me" and bar.code.description == "My participant code"
