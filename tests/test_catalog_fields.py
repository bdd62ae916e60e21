"""Issue 22, class 2: translators' strings are data, not code.

A catalog entry's replacement fields are checked against its msgid (same names, no attribute or
index access, no positional fields, no conversion or format spec the English lacks) by
``reconnect translations`` and by these tests; at run time an entry that fails is left out (the English
shows) and is reported once. Item bank texts are never used as format templates (only as values).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reconnect.apps import catalogs
from reconnect.bank import i18n
from reconnect.core import errors

ENGLISH = "Saved at {time} ({answered} of {total} answered)."
ALREADY = "Already saved at {time}; nothing has changed since."
HOSTILE = {
    "extra positional": "Guardado {0} a las {time}",
    "auto-numbered": "Guardado {} a las {time}",
    "attribute": "Guardado a las {time.__class__} ({answered} de {total})",
    "deep attribute": "{time.__init__.__globals__}",
    "index": "Guardado {time[0]} ({answered} de {total})",
    "huge width": "Guardado a las {time:900000000} ({answered} de {total})",
    "nested width": "Guardado a las {time:{total}} ({answered} de {total})",
    "conversion": "Guardado a las {time!r} ({answered} de {total})",
    "unknown name": "Guardado a las {hora} ({answered} de {total})",
    "lone brace": "Guardado a las {time ({answered} de {total})",
    "closing brace": "Guardado a las time} ({answered} de {total})",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_every_hostile_field_is_named(name):
    problem = i18n.field_problem(ENGLISH, HOSTILE[name])
    assert problem is not None and problem.startswith(("the field", "it is not a valid template"))


@pytest.mark.parametrize(
    "english,translated",
    [
        (ENGLISH, "({answered} de {total}) guardado a las {time}."),
        ("{n} files", "{n} archivos"),
        (("{n} file", "{n} files"), "un archivo"),  # a singular may leave {n} out
        ("Width {n:>3}", "Ancho {n:>3}"),  # a format spec the English has
        ("No fields here.", "Sin campos, con {{llaves}}."),
        ("Braces { here are no template", "Llaves { aquí"),  # the English is never formatted
    ],
)
def test_a_safe_translation_passes(english, translated):
    assert i18n.field_problem(english, translated) is None


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="{}!:.[]0atimeAnswrd xyz9", max_size=30))
def test_a_translation_that_passes_formats_like_the_english(translated):
    """Whatever passes the check formats with the English's values, quickly, and shows no object internals."""
    if i18n.field_problem(ENGLISH, translated) is not None:
        return
    out = translated.format(time="9:05", answered=3, total=7)
    assert len(out) <= len(translated) + 20 and "<" not in out


def test_the_real_catalog_has_only_safe_fields():
    from babel.messages.pofile import read_po

    with open(i18n.catalog_path("es"), "rb") as f:
        po = read_po(f)
    bad = []
    for message in po:
        if message.id and message.string:
            for text in message.string if isinstance(message.string, tuple) else (message.string,):
                if text and (problem := i18n.field_problem(message.id, text)):
                    bad.append((message.id, problem))
    assert bad == []


@pytest.fixture
def tampered(tmp_path, monkeypatch):
    """A copy of the locale folder whose Spanish catalog has hostile translations of three entries."""
    locale = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE_DIR, locale)
    po = locale / "es" / "LC_MESSAGES" / "reconnect.po"
    text = po.read_text(encoding="utf-8")

    def swap(msgid: str, msgstr: str) -> None:
        nonlocal text
        head = f'msgid "{msgid}"\nmsgstr "'
        start = text.index(head) + len(head)
        end = text.index('"\n', start)
        text = text[:start] + msgstr + text[end:]

    swap(ENGLISH, "Guardado {0} a las {time.__class__}")
    swap("Already saved at {time}; nothing has changed since.", "Ya guardado a las {time:900000000}.")
    swap("Export my answers", "Exportar {x}")
    po.write_text(text, encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALE_DIR", locale)
    monkeypatch.setattr(errors, "_said", {})
    i18n._read_catalog.cache_clear()
    yield po
    i18n._read_catalog.cache_clear()


def test_a_hostile_entry_falls_back_to_english_at_run_time_and_is_reported_once(tampered):
    with i18n.language("es"):
        for _ in range(3):
            text = i18n._(ENGLISH)
            assert text == ENGLISH
            assert text.format(time="9:05", answered=3, total=7) == "Saved at 9:05 (3 of 7 answered)."
            assert i18n._(ALREADY) == ALREADY
            assert i18n._("Export my answers") == "Export my answers"
            assert i18n._("Save my answers") != "Save my answers"  # the good entries still translate
    said = [t for t in errors.reported() if "msgid" in t]
    assert len(said) == 3 and all(str(tampered) in t and "English is shown instead" in t for t in said)


def test_a_page_with_a_hostile_entry_still_shows_its_sentence(tampered, tmp_path, monkeypatch):
    """The form's saved message (the issue's example) on a Spanish page: the English sentence, no internals."""
    from helpers import make_submission  # noqa: F401  (the fixtures' module, for the bank)
    from reconnect.records import participant as pt
    from reconnect.ui.area import RatingForm

    monkeypatch.setenv("RECONNECT_HOME", str(tmp_path / "home"))
    with i18n.language("es"):
        pt.start_new(tmp_path / "home")
        form = RatingForm("self_esteem")
        for q in form.questions.values():
            q.value = 4
        form.save_button.click()
        shown = form.message.value
    pt.sign_out(tmp_path / "home")
    assert "Saved at" in shown and "__class__" not in shown and "<class" not in shown and "{" not in shown


def test_reconnect_translations_names_each_hostile_entry(tampered, monkeypatch):
    problems = catalogs.catalog_problems("es")
    reasons = [p for p in problems if p.reason.startswith(("the field", "it is not")) or "placeholders" in p.reason]
    assert len(reasons) == 3 and all(p.path == str(tampered) and p.fix for p in reasons), problems
    from reconnect.apps.translations import catalog_report

    lines, wrong = catalog_report("es")
    assert wrong and "3 placeholders" in lines[-1]


def test_the_command_fails_on_a_hostile_catalog(tampered, tmp_path):
    code = (
        "import sys; from reconnect.bank import i18n; from pathlib import Path;"
        f"i18n.LOCALE_DIR = Path({str(tampered.parents[2])!r});"
        "from reconnect.apps.cli import main; sys.exit(main(['translations', 'es']))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1 and "{0}" in proc.stdout and "900000000" in proc.stdout and "['x']" in proc.stdout
    assert "Traceback" not in proc.stderr


def test_html_format_never_fails_on_a_name_it_was_not_given():
    from reconnect.ui.common import html_format

    assert html_format("{a} and {b}", a="<b>x</b>") == "<b>x</b> and {b}"


def test_item_bank_texts_are_values_never_templates():
    """No bank text is ever the template of a format call: the code formats only its own (translated) sentences."""
    import re

    src = Path(i18n.__file__).parent
    pattern = re.compile(r"\b(?:bank|area|item|statement|s|suggestion)\.[a-z_]+\.format\(")
    found = [
        f"{p.name}:{n}"
        for p in src.rglob("*.py")
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert found == []
