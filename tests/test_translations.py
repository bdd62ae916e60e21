"""Translated item banks: the Spanish bank, choosing a language with RECONNECT_LANG, the consistency
check against the English bank, `reconnect translations`, and mixed-language rooms."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import pytest
import yaml

from _group_helpers import code
from helpers import BANK_FILE
from reconnect.apps.cli import main
from reconnect.apps.translations import check_translation, compare_banks, entries, translation_report
from reconnect.bank.content import item_bank_path, load_item_bank, validate_item_bank
from reconnect.records.store import Submission, load_store, save_submission
from reconnect.results.group import band_shares, statement_counts, summary

ES_FILE = BANK_FILE.with_name("item_bank.es.yaml")


def raw_es() -> dict:
    return copy.deepcopy(yaml.safe_load(ES_FILE.read_text(encoding="utf-8")))


def _banks_in(tmp_path: Path, mutate=None) -> Path:
    """A data folder with the English bank and the Spanish bank after ``mutate(data)``; returns the Spanish file."""
    folder = tmp_path / "data"
    folder.mkdir(exist_ok=True)
    shutil.copy(BANK_FILE, folder / "item_bank.yaml")
    data = raw_es()
    if mutate is not None:
        mutate(data)
    path = folder / "item_bank.es.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


# -- the Spanish bank ---------------------------------------------------------------------------------


def test_the_spanish_bank_is_valid_and_spanish():
    assert validate_item_bank(ES_FILE) == []
    es = load_item_bank(ES_FILE)
    assert es.language == "es" and load_item_bank(BANK_FILE).language == "en"
    assert es.area("self_esteem").title == "Apoyarte en tu propia confianza"
    assert "nunca un veredicto" in es.area("foundation").introduction
    help_text = " ".join(es.help)
    for needed in ("988 y marca 2", "AYUDA", "1-800-799-7233", "pide hablar en español", "findahelpline.com", "016"):
        assert needed in help_text
    for unverified in ("hotpeachpages.net", "988lineadevida.org", "chat en español en thehotline"):
        assert unverified not in help_text  # docs/item-bank.md: only lines checked with the service
    assert "diagnóstico" in es.non_diagnostic


def test_the_spanish_bank_matches_the_english_one_entry_for_entry():
    english, spanish = load_item_bank(BANK_FILE), load_item_bank(ES_FILE)
    comparison = compare_banks(english, spanish)
    assert (comparison.missing, comparison.extra, comparison.different) == ([], [], [])
    assert comparison.untranslated == [], "every text is translated"
    assert check_translation(ES_FILE) == []
    # The same statements in the same order, with the same flags, current and retired.
    for a_en, a_es in zip(english.areas, spanish.areas):
        assert [(i.id, i.reverse, i.sensitive) for i in a_en.items] == [
            (i.id, i.reverse, i.sensitive) for i in a_es.items
        ]
        assert [(i.id, i.retired_after, i.replaced_by) for i in a_en.retired] == [
            (i.id, i.retired_after, i.replaced_by) for i in a_es.retired
        ]
        assert [s.together for s in a_en.exercise_list] == [s.together for s in a_es.exercise_list]
        assert [s.together for s in a_en.advice] == [s.together for s in a_es.advice]
    assert english.item_index().keys() == spanish.item_index().keys()


def test_spanish_statements_carry_no_negation(tmp_path):
    """The Spanish bank is held to the no-negation rule in Spanish words; a 'no' is refused."""
    path = _banks_in(tmp_path, lambda d: d["areas"][0]["items"][0].update(text="No me siento bien conmigo."))
    problems = validate_item_bank(path)
    assert any("negation 'No'" in p.reason and "se1" in p.location for p in problems)


@pytest.mark.parametrize(
    "declared, reason",
    [(None, "missing"), ("fr", "named for 'es'"), ("es_MX", "not a two- or three-letter code")],
)
def test_a_translated_bank_declares_its_language(tmp_path, declared, reason):
    def mutate(d):
        if declared is None:
            d.pop("language")
        else:
            d["language"] = declared

    problems = validate_item_bank(_banks_in(tmp_path, mutate))
    assert [p.location for p in problems] == ["language"] and reason in problems[0].reason


# -- choosing the language ------------------------------------------------------------------------------


@pytest.mark.parametrize("setting", ["es", "es_MX", "es-419", "es_MX.UTF-8", "ES"])
def test_reconnect_lang_picks_the_spanish_bank(monkeypatch, setting):
    monkeypatch.delenv("RECONNECT_ITEM_BANK", raising=False)
    monkeypatch.setenv("RECONNECT_LANG", setting)
    assert item_bank_path() == ES_FILE
    assert load_item_bank().language == "es"


@pytest.mark.parametrize("setting", ["", "en", "en_US.UTF-8", "fr", "C", "../../etc/passwd", "español", "x" * 300])
def test_other_languages_fall_back_to_english_without_a_crash(monkeypatch, setting):
    monkeypatch.delenv("RECONNECT_ITEM_BANK", raising=False)
    monkeypatch.setenv("RECONNECT_LANG", setting)
    assert item_bank_path() == BANK_FILE
    assert load_item_bank().language == "en"


def test_reconnect_item_bank_wins_over_the_language(monkeypatch, tmp_path):
    own = tmp_path / "my_bank.yaml"
    shutil.copy(BANK_FILE, own)
    monkeypatch.setenv("RECONNECT_ITEM_BANK", str(own))
    monkeypatch.setenv("RECONNECT_LANG", "es")
    assert item_bank_path() == own


def test_a_room_folder_bank_named_item_bank_yaml_keeps_its_translations(monkeypatch, tmp_path):
    """A hub's room: RECONNECT_ITEM_BANK names room/item_bank.yaml, and the Spanish bank sits beside it."""
    shutil.copy(BANK_FILE, tmp_path / "item_bank.yaml")
    monkeypatch.setenv("RECONNECT_ITEM_BANK", str(tmp_path / "item_bank.yaml"))
    monkeypatch.setenv("RECONNECT_LANG", "es")
    assert item_bank_path() == tmp_path / "item_bank.yaml"  # no translation there yet: the English bank
    shutil.copy(ES_FILE, tmp_path / "item_bank.es.yaml")
    assert item_bank_path() == tmp_path / "item_bank.es.yaml"
    assert item_bank_path("en") == tmp_path / "item_bank.yaml"


# -- the consistency check: every kind of difference is found ----------------------------------------

_EN = yaml.safe_load(BANK_FILE.read_text(encoding="utf-8"))


def _statement_variants():
    """Remove each statement (current and retired) in turn: a translation that lost one is caught."""
    for a, area in enumerate(_EN["areas"]):
        for group in ("items", "retired"):
            for n, item in enumerate(area.get(group) or []):
                if group == "items" and len(area["items"]) == 4:
                    continue

                def drop(d, a=a, group=group, n=n):
                    del d["areas"][a][group][n]
                    if group == "items":  # a retired statement may point at it: keep the bank valid
                        gone = _EN["areas"][a]["items"][n]["id"]
                        for r in d["areas"][a].get("retired") or []:
                            if r.get("replaced_by") == gone:
                                r.pop("replaced_by")

                yield pytest.param(drop, f"areas.{area['id']}.{group}.{item['id']}.text", id=f"drop-{item['id']}")


def _list_variants():
    """Drop or add one entry of each list of texts, in every area where the bank stays valid."""
    limits = {"reflection_prompts": (2, 3), "discussion_prompts": (2, 3), "exercises": (2, 3), "advice": (2, 4)}
    for a, area in enumerate(_EN["areas"]):
        for field, (lo, hi) in limits.items():
            count = len(area[field])
            suffix = ".text" if field == "advice" else ""
            key = f"areas.{area['id']}.{field}.{count}{suffix}"
            if count > lo:
                yield pytest.param(lambda d, a=a, f=field: d["areas"][a][f].pop(), key, id=f"drop-{area['id']}-{field}")
            if count < hi:
                extra = copy.deepcopy(area[field][0])
                yield pytest.param(
                    lambda d, a=a, f=field, e=extra: d["areas"][a][f].append(e),
                    f"areas.{area['id']}.{field}.{count + 1}{suffix}",
                    id=f"add-{area['id']}-{field}",
                )


def _flip(area_id, group, item_id, flag):
    def mutate(d):
        area = next(x for x in d["areas"] if x["id"] == area_id)
        item = next(x for x in area[group] if x["id"] == item_id)
        item[flag] = not item.get(flag, False)

    return mutate


def _set_together(area_index, field, n):
    def mutate(d):
        entry = d["areas"][area_index][field][n]
        if isinstance(entry, str):
            d["areas"][area_index][field][n] = {"text": entry, "together": True}
        else:
            entry["together"] = not entry.get("together", False)

    return mutate


def _other_variants():
    yield pytest.param(lambda d: d.update(version="1.2"), "version", id="version")
    yield pytest.param(lambda d: d["safety"]["help"].pop(), "safety.help.7", id="help-line-dropped")
    yield pytest.param(lambda d: d["safety"]["help"].append("Línea extra."), "safety.help.8", id="help-line-added")
    yield pytest.param(
        _flip("self_esteem", "items", "se6", "sensitive"), "areas.self_esteem.items.se6.sensitive", id="sensitive"
    )
    yield pytest.param(_flip("distrust", "items", "dt10", "reverse"), "areas.distrust.items.dt10.reverse", id="reverse")
    yield pytest.param(
        _flip("distrust", "retired", "dt6", "sensitive"), "areas.distrust.retired.dt6.sensitive", id="retired-flag"
    )
    yield pytest.param(
        _set_together(0, "exercises", 0), "areas.self_esteem.exercises.1.together", id="together-exercise"
    )
    yield pytest.param(_set_together(2, "advice", 2), "areas.insecurity.advice.3.together", id="together-advice")
    yield pytest.param(lambda d: d["bands"].update(growth_below=40), "bands.growth_below", id="band-cut-point")

    def renamed(d):
        d["areas"][3]["items"][0]["id"] = "cm9"

    yield pytest.param(renamed, "areas.communication.items.cm9.text", id="renamed-id")

    def reordered(d):
        items = d["areas"][0]["items"]
        items[0], items[1] = items[1], items[0]

    yield pytest.param(reordered, "areas.self_esteem.items.order", id="reordered")

    def retired_elsewhere(d):
        d["areas"][0]["retired"][0]["retired_after"] = "0.9"

    yield pytest.param(retired_elsewhere, "areas.self_esteem.retired.se3.retired_after", id="retired-after")


@pytest.mark.parametrize("mutate, key", [*_statement_variants(), *_list_variants(), *_other_variants()])
def test_the_consistency_check_names_every_difference(tmp_path, mutate, key):
    path = _banks_in(tmp_path, mutate)
    assert validate_item_bank(path) == [], "the variant is a valid bank on its own: only the comparison catches it"
    problems = check_translation(path)
    assert key in [p.location for p in problems], [str(p) for p in problems]
    assert all(p.path == str(path) and p.fix for p in problems)
    # The command a translator runs says the same, and fails.
    lines, missing = translation_report("es", path.parent)
    assert missing and any(key in line for line in lines)
    assert main(["translations", "es", "--folder", str(path.parent)]) == 1
    assert main(["validate", str(path)]) == 1


def test_entries_cover_every_text_of_the_bank():
    """The comparison sees every string of the English file (so nothing can be left untranslated unseen)."""
    texts = {e.value for e in entries(load_item_bank(BANK_FILE)).values() if e.kind == "text"}

    def strings(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if k not in ("id", "replaced_by", "retired_after", "version", "language"):
                    yield from strings(v)
        elif isinstance(node, list):
            for v in node:
                yield from strings(v)
        elif isinstance(node, str):
            yield node.strip()

    assert set(strings(_EN)) <= texts


# -- the command for translators ------------------------------------------------------------------------


def test_translations_command_is_happy_with_the_spanish_bank(capsys):
    assert main(["translations", "es"]) == 0
    assert "complete" in capsys.readouterr().out
    assert main(["translations"]) == 0


def test_translations_command_lists_the_page_words_a_catalog_lacks_or_has_extra(tmp_path, monkeypatch, capsys):
    from reconnect.bank import i18n

    locale = tmp_path / "locale"
    shutil.copytree(i18n.LOCALE_DIR, locale)
    po = locale / "es" / "LC_MESSAGES" / "reconnect.po"
    text = po.read_text(encoding="utf-8")
    assert 'msgstr "Guardar mis respuestas"' in text
    text = text.replace('msgstr "Guardar mis respuestas"', 'msgstr ""')
    po.write_text(text + '\nmsgid "Gone from the code"\nmsgstr "Ya no está"\n', encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALE_DIR", locale)
    assert main(["translations", "es"]) == 1
    out = capsys.readouterr().out
    assert "missing translation: 'Save my answers'" in out
    assert "extra entry no longer in the code: 'Gone from the code'" in out
    assert "1 missing, 1 extra, 0 placeholders" in out
    assert "complete (" not in out and "es: not complete yet." in out


def test_translations_command_lists_texts_still_in_english(tmp_path, capsys):
    folder = tmp_path / "data"
    folder.mkdir()
    shutil.copy(BANK_FILE, folder / "item_bank.yaml")
    english = yaml.safe_load(BANK_FILE.read_text(encoding="utf-8"))
    english = {"version": english["version"], "language": "pt", **{k: v for k, v in english.items() if k != "version"}}
    (folder / "item_bank.pt.yaml").write_text(yaml.safe_dump(english, sort_keys=False), encoding="utf-8")
    assert main(["translations", "pt", "--folder", str(folder)]) == 1
    out = capsys.readouterr().out
    assert "areas.self_esteem.title: this text is still the English text" in out
    assert "0 missing, 0 extra, 0 different" in out
    # No language at all, and an unusable one: a plain message, exit 1.
    assert main(["translations", "fr", "--folder", str(folder)]) == 1
    assert "nothing is translated into 'fr'" in capsys.readouterr().out
    assert main(["translations", "en", "--folder", str(folder)]) == 1
    assert "not a language to translate into" in capsys.readouterr().err


def test_validate_reports_a_translation_that_lost_a_statement(tmp_path, capsys):
    def drop_se5(d):
        d["areas"][0]["items"] = [i for i in d["areas"][0]["items"] if i["id"] != "se5"]

    path = _banks_in(tmp_path, drop_se5)
    assert main(["validate", str(path.parent)]) == 1
    out = capsys.readouterr().out
    assert "areas.self_esteem.items.se5.text: this is in the English bank but missing here" in out
    assert "2 file(s) checked: 1 valid, 1 with problems." in out


# -- a mixed room is one room -------------------------------------------------------------------------


def _room(store: Path, languages: list[str]) -> Path:
    """Eight people answer every area with fixed ratings; person i saves with the bank of languages[i]."""
    banks = {"en": load_item_bank(BANK_FILE), "es": load_item_bank(ES_FILE)}
    for person, lang in enumerate(languages):
        bank = banks[lang]
        for a, area in enumerate(bank.areas):
            ratings = {item.id: 1 + (person * 3 + a * 2 + n) % 5 for n, item in enumerate(area.items)}
            sub = Submission(code(person), area.id, ratings, "before", "MIXED", "", bank.version, language=lang)
            save_submission(store, sub, bank=bank)
    return store


def test_a_mixed_room_gives_the_numbers_of_an_all_english_room(tmp_path):
    english = load_item_bank(BANK_FILE)
    spanish = load_item_bank(ES_FILE)
    people = ["es", "en", "es", "es", "en", "en", "es", "en"]
    mixed = load_store(_room(tmp_path / "mixed", people), bank=english)
    plain = load_store(_room(tmp_path / "plain", ["en"] * len(people)), bank=english)
    assert mixed.problems == [] and plain.problems == []
    assert sorted(set(mixed.frame["language"])) == ["en", "es"]  # each submission says its language
    kw = {"workshop": "MIXED", "session": "before", "min_group": 5}
    assert summary(mixed.frame, english, **kw).equals(summary(plain.frame, english, **kw))
    assert band_shares(mixed.frame, english, **kw).equals(band_shares(plain.frame, english, **kw))
    # A Spanish-speaking facilitator sees the same numbers, with the titles of the Spanish bank.
    in_spanish = summary(mixed.frame, spanish, **kw)
    numbers = ["area", "n", "mean_score", "pct_strength", "pct_growth_area", "status"]
    assert in_spanish[numbers].equals(summary(plain.frame, english, **kw)[numbers])
    assert set(in_spanish["title"]) == {a.title for a in spanish.areas}
    assert summary(mixed.frame, english, **kw)["n"].tolist() == [8] * 5
    # Statement by statement too (the discussion prompts of 07 and the handout come from these).
    for area in english.areas:
        by_statement = {"area": area.id, **kw}
        assert statement_counts(mixed.frame, english, **by_statement).equals(
            statement_counts(plain.frame, english, **by_statement)
        )


# -- make app LANG=es -----------------------------------------------------------------------------------


def _server_line(*args: str, env_lang: str = "en_US.UTF-8") -> str:
    import os
    import subprocess

    env = {**os.environ, "LANG": env_lang}
    env.pop("RECONNECT_LANG", None)
    out = subprocess.run(
        ["make", "-n", "--no-print-directory", *args],
        cwd=BANK_FILE.parents[1],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return next(line for line in out.splitlines() if "reconnect.apps.servers" in line)


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_lang_sets_the_content_language_and_keeps_a_real_locale():
    assert "env LANG='C.UTF-8' RECONNECT_LANG='es' " in _server_line("app", "LANG=es")
    assert "env LANG='C.UTF-8' RECONNECT_LANG='es' " in _server_line("lab", "LANG=es")
    assert "LANG='es_MX.UTF-8' RECONNECT_LANG='es_MX.UTF-8'" in _server_line("app", "LANG=es_MX.UTF-8")
    assert "env RECONNECT_LANG='es' " in _server_line("app", "RECONNECT_LANG=es")
    # The shell's own locale alone does not switch the content: English unless asked for.
    plain = _server_line("app", env_lang="es_MX.UTF-8")
    assert "RECONNECT_LANG" not in plain and "LANG=" not in plain
