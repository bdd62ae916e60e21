"""The gettext catalogs: the words around the content come from one catalog per language, checked complete."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reconnect.apps import catalogs
from reconnect.bank import i18n
from reconnect.bank.i18n import _, language, ngettext, use_language


def test_english_is_the_code_and_spanish_comes_from_the_catalog():
    assert _("Save my answers") == "Save my answers"
    with language("es"):
        assert _("Save my answers") == "Guardar mis respuestas"
        assert _("A sentence nobody has wrapped yet.") == "A sentence nobody has wrapped yet."
    assert ngettext("{n} file", "{n} files", 1) == "{n} file"


def test_kernel_language_and_environment(monkeypatch):
    monkeypatch.setenv("RECONNECT_LANG", "es_MX.UTF-8")
    try:
        assert i18n.active_language() == "es"
        assert use_language("en") == "en"
        assert _("Save my answers") == "Save my answers"
        with language("es"):
            assert _("Save my answers") == "Guardar mis respuestas"
        assert use_language(None) == "es"
    finally:
        use_language(None)


def test_every_catalog_is_complete():
    for lang in i18n.available_languages()[1:]:
        problems = catalogs.catalog_problems(lang)
        assert problems == [], "\n".join(str(p) for p in problems[:20])


@pytest.fixture
def fake_locale(tmp_path, monkeypatch):
    """A copy of the Spanish catalog in a temporary locale folder, and a source folder to extract from."""
    locale = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE_DIR, locale)
    monkeypatch.setattr(i18n, "LOCALE_DIR", locale)
    source = tmp_path / "src"
    source.mkdir()
    (source / "page.py").write_text('from reconnect.bank.i18n import _\nA = _("Save my answers")\n', encoding="utf-8")
    return locale / "es" / "LC_MESSAGES" / "reconnect.po", source


def _whats(problems) -> list[str]:
    return [p.reason for p in problems]


def test_catalog_check_names_a_missing_string(fake_locale):
    po, source = fake_locale
    (source / "more.py").write_text('B = _("Your result for this area")\n', encoding="utf-8")
    whats = _whats(catalogs.catalog_problems("es", source=source))
    assert any("missing translation: 'Your result for this area'" in w for w in whats)


def test_catalog_check_names_an_extra_entry(fake_locale):
    po, source = fake_locale
    po.write_text(
        po.read_text(encoding="utf-8") + '\nmsgid "Gone from the code"\nmsgstr "Ya no está"\n', encoding="utf-8"
    )
    whats = _whats(catalogs.catalog_problems("es", source=source))
    assert any("extra entry no longer in the code: 'Gone from the code'" in w for w in whats)


def test_catalog_check_names_a_broken_placeholder(fake_locale):
    po, source = fake_locale
    (source / "more.py").write_text('B = _("Saved at {time}.")\n', encoding="utf-8")
    po.write_text(
        po.read_text(encoding="utf-8") + '\nmsgid "Saved at {time}."\nmsgstr "Guardado a las {hora}."\n',
        encoding="utf-8",
    )
    whats = _whats(catalogs.catalog_problems("es", source=source))
    assert any("placeholders ['hora']" in w for w in whats)


def test_update_catalog_adds_new_strings_untranslated(fake_locale):
    po, source = fake_locale
    (source / "more.py").write_text('B = _("Your result for this area")\n', encoding="utf-8")
    catalogs.update_catalog("es", source=source)
    text = po.read_text(encoding="utf-8")
    assert 'msgid "Your result for this area"\nmsgstr ""' in text
    assert 'msgstr "Guardar mis respuestas"' in text  # kept
    with language("es"):
        assert _("Your result for this area") == "Your result for this area"  # untranslated: English


def test_catalog_files_are_plain_text_in_the_package():
    for lang in i18n.available_languages()[1:]:
        path = i18n.catalog_path(lang)
        assert path.is_file() and Path(path).read_text(encoding="utf-8").startswith("#")
