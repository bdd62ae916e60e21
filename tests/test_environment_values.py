"""Issue 22, class 1: every value from the environment is input.

Unknown or malformed values of every variable the product reads get one message naming the variable
and what it accepts, and a safe default (English for a language); never a traceback, never a page
that stops working.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reconnect.bank import content, i18n
from reconnect.core import errors, paths, settings_env

SRC = Path(__file__).resolve().parents[1] / "src" / "reconnect"
BAD_LANGUAGES = ["zz", "zz_ZZ.UTF-8", "xx-YY", "fr", "qaa", "../etc", "es\nzz", "español", "e", "en_US;rm", "9x"]
GOOD_LANGUAGES = {"es": "es", "es_MX": "es", "ES-mx": "es", "es_MX.UTF-8": "es", "en_GB.UTF-8": "en", "C.UTF-8": "en", "POSIX": "en"}


@pytest.fixture(autouse=True)
def _fresh(monkeypatch):
    monkeypatch.setattr(i18n, "_requested", {})
    monkeypatch.setattr(errors, "_said", {})
    i18n.use_language(None)
    i18n.set_page_language(None)
    yield
    i18n.use_language(None)
    i18n.set_page_language(None)


def _cli(*args, env: dict, cwd=None):
    import os

    full = {k: v for k, v in os.environ.items() if not k.startswith("RECONNECT_")}
    full.update(env)
    return subprocess.run(
        [sys.executable, "-m", "reconnect.apps.cli", *args], capture_output=True, text=True, env=full, cwd=cwd, timeout=300
    )


def test_no_module_reads_the_environment_past_the_validated_readers():
    """Every os.environ / getenv read goes through reconnect.core.settings_env (a copy to pass on is fine)."""
    pattern = re.compile(r"os\.environ\.get\(|os\.environ\[|os\.getenv\(|environ\.get\(")
    found = [
        f"{path.relative_to(SRC)}:{n}: {line.strip()}"
        for path in SRC.rglob("*.py")
        if path.name != "settings_env.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert found == []


@pytest.mark.parametrize("value", BAD_LANGUAGES)
def test_an_unknown_language_is_english_and_said_once_naming_the_variable(monkeypatch, value):
    monkeypatch.setenv("RECONNECT_LANG", value)
    for _ in range(3):
        assert i18n.requested_language() == "en"
        assert i18n.active_language() == "en"
        assert i18n.number(1234.5, digits=1) == "1,234.5"
        assert "11/28/26" in i18n.date_time(__import__("datetime").datetime(2026, 11, 28, 9, 5))
    (said,) = settings_env.problems()
    assert said.startswith("RECONNECT_LANG:") and "en, es" in said and "English" in said


@pytest.mark.parametrize("value,lang", sorted(GOOD_LANGUAGES.items()))
def test_a_language_reconnect_speaks_is_used_without_a_word(monkeypatch, value, lang):
    monkeypatch.setenv("RECONNECT_LANG", value)
    assert i18n.requested_language() == lang
    assert settings_env.problems() == []


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.text(alphabet=st.characters(blacklist_characters="\x00", max_codepoint=0x2FF), max_size=20))
def test_any_language_value_gives_a_language_that_formats(monkeypatch, value):
    monkeypatch.setenv("RECONNECT_LANG", value)
    i18n._requested.clear()
    lang = i18n.requested_language()
    assert lang in i18n.supported_languages()
    i18n.number(3.25, digits=2), i18n.percent(0.4), i18n.date(__import__("datetime").datetime(2026, 1, 2))
    _ = i18n._("Save my answers")


@pytest.mark.parametrize("value", ["zz", "xx_YY", "../../x", "{n.__class__}", "e"])
def test_a_language_from_a_page_a_block_or_a_settings_file_falls_back_to_english(value):
    assert i18n.set_page_language(value) == "en"
    assert i18n.use_language(value) == "en"
    with i18n.language(value) as active:
        assert active == "en" and i18n.format_locale() == "en_US"
    from reconnect.records.participant import checked_language

    assert checked_language(value) == ""


@pytest.mark.parametrize("value", ["zz", "fr_FR.UTF-8", "../x"])
def test_the_cli_with_an_unknown_language_works_in_english_and_says_so_once(tmp_path, value):
    from reconnect.apps.demo import write_demo

    write_demo(tmp_path / "demo", participants=12, couples=3, seed=3)
    proc = _cli("summary", str(tmp_path / "demo"), env={"RECONNECT_LANG": value})
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr and "UnknownLocale" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if "RECONNECT_LANG" in line]
    assert len(lines) == 1 and "accepts en, es" in lines[0], proc.stderr
    assert "Workshop DEMO" in proc.stdout


@pytest.mark.parametrize("value", ["zz", "xx_YY.UTF-8"])
def test_every_page_entry_point_works_in_english_with_an_unknown_language(tmp_path, monkeypatch, value):
    from reconnect import notebook

    monkeypatch.setenv("RECONNECT_LANG", value)
    monkeypatch.setenv("RECONNECT_HOME", str(tmp_path / "home"))
    calls = [
        notebook.start_panel,
        notebook.who_is_answering,
        notebook.done_button,
        lambda: notebook.area_intro("self_esteem"),
        lambda: notebook.what_can_help("foundation"),
        notebook.safety_check,
        lambda: notebook.rating_form("self_esteem"),
        lambda: notebook.area_result("self_esteem"),
        lambda: notebook.reflection("self_esteem"),
        notebook.export_button,
        notebook.facilitator_dashboard,
        notebook.profile_view,
        notebook.change_view,
        notebook.couple_view,
        notebook.report_button,
        notebook.my_data,
    ]
    for call in calls:
        widget = call()
        text = repr(getattr(widget, "value", "")) + repr(widget)
        assert "Something went wrong" not in text and "Traceback" not in text
    assert [p.split(":")[0] for p in settings_env.problems()] == ["RECONNECT_LANG"]


def test_shared_device_value_that_cannot_be_read_counts_as_shared(tmp_path, monkeypatch):
    from reconnect.records import participant as pt

    for value, shared in [("1", True), ("Shared", True), ("no", False), ("personal", False)]:
        monkeypatch.setenv("RECONNECT_SHARED", value)
        assert pt.is_shared_device(tmp_path) is shared
    assert settings_env.problems() == []
    for value in ["maybe", "2", "yes please", "ja"]:
        monkeypatch.setenv("RECONNECT_SHARED", value)
        assert pt.is_shared_device(tmp_path) is True and pt.can_remember(tmp_path) is False
    assert [p.split(":")[0] for p in settings_env.problems()] == ["RECONNECT_SHARED"] * 4


@pytest.mark.parametrize("name", ["RECONNECT_HOME", "RECONNECT_DEMO", "RECONNECT_ITEM_BANK", "RECONNECT_STORE", "RECONNECT_COLLECT"])
@pytest.mark.parametrize("value", ["/tmp/x\ny", "~no-such-user-here/x", "a\x1b[2Jb", "/" + "x" * 5000])
def test_a_folder_variable_that_cannot_name_a_folder_is_the_default_and_said(monkeypatch, tmp_path, name, value):
    from reconnect.records.collect import collection_folder
    from reconnect.ui.facilitator import default_store

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(name, value)
    readers = {
        "RECONNECT_HOME": paths.data_home,
        "RECONNECT_DEMO": paths.demo_store,
        "RECONNECT_ITEM_BANK": lambda: content.item_bank_path("en"),
        "RECONNECT_STORE": default_store,
        "RECONNECT_COLLECT": collection_folder,
    }
    got = readers[name]()
    assert got is None or (value not in str(got) and "\n" not in str(got))
    (said,) = settings_env.problems()
    assert said.startswith(name + ":") and "\n" not in said and "\x1b" not in said


@pytest.mark.parametrize(
    "name,value,default",
    [("HUB_PORT", "80a", 8000), ("HUB_PORT", "70000", 8000), ("HUB_PORT", "-1", 8000), ("HUB_CULL_IDLE", "1e3", 3600),
     ("HUB_MEMORY_MB", "２０４８", 2048), ("HUB_CULL_KERNELS", "", 600)],
)
def test_hub_numbers_that_are_not_numbers_are_the_default_and_said(monkeypatch, name, value, default):
    from reconnect.hub import room

    monkeypatch.setenv(name, value)
    args = room.parse(["start"])
    assert getattr(args, name.removeprefix("HUB_").lower().replace("cull_kernels", "cull_kernels")) == default
    if value:
        (said,) = settings_env.problems()
        assert said.startswith(name + ":") and "whole number" in said


@pytest.mark.parametrize("name,value", [("HUB_PREFIX", "RC/../"), ("HUB_WORKSHOP", "-x\n"), ("HUB_IP", "1.2.3.4; rm")])
def test_hub_texts_that_do_not_fit_are_the_default_and_said(monkeypatch, name, value):
    from reconnect.hub import room

    monkeypatch.setenv(name, value)
    args = room.parse(["start"])
    assert value not in vars(args).values()
    (said,) = settings_env.problems()
    assert said.startswith(name + ":")


def test_first_run_with_a_hostile_workshop_or_prefix_still_saves_the_code(tmp_path, monkeypatch):
    from reconnect.hub.firstrun import first_run
    from reconnect.records import participant as pt

    monkeypatch.setenv("RECONNECT_HOME", str(tmp_path / "data"))
    monkeypatch.setattr(Path, "home", lambda: tmp_path)
    env = {"JUPYTERHUB_USER": "rc-km7-4tx", "RECONNECT_WORKSHOP": "=cmd|' /C calc'!A0", "RECONNECT_HUB_PREFIX": "rc-"}
    assert first_run(env) == "KM7-4TX: settings saved"
    assert pt.load_settings(tmp_path / "data", "KM7-4TX").workshop == ""
    assert [p.split(":")[0] for p in settings_env.problems()] == ["RECONNECT_WORKSHOP"]


def test_a_hub_settings_file_with_an_unknown_language_is_english(tmp_path, monkeypatch):
    import json

    from reconnect.hub.config import load_settings

    path = tmp_path / "hub.json"
    path.write_text(json.dumps({"language": "zz"}))
    assert load_settings(path)["language"] == "en"
    path.write_text("{not json")
    with pytest.raises(SystemExit) as exc:
        load_settings(path)
    assert "cannot be read" in str(exc.value)
