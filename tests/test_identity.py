"""Who is answering, per page: the gate in front of personal views, sign-out, shared devices, and the
new-code confirmation. Driven from Python as a participant would (set ``.value``, ``.click()``).

A "page" is a kernel; :func:`new_page` forgets this process's page state, as opening the next
notebook (or reloading a Voilà page) does.
"""

from __future__ import annotations

import json
import re

import pytest

from helpers import OTHER_CODE
from reconnect import notebook as nb
from reconnect.records import participant as pt
from reconnect.records.journal import save_reflection
from reconnect.records.store import Submission, save_submission
from reconnect.ui.identity import DonePanel, IdentityBar
from reconnect.ui.profile import ProfileView
from reconnect.ui.start import StartPanel

CODE = "QX3-7KM"  # not the placeholder's example code, so a leak cannot hide behind it
SECRET = "my very private note about last night"


def new_page() -> None:
    """What a new kernel starts with: nobody answering on this page."""
    pt._answering.clear()
    pt._signed_out.clear()


def everything(widget) -> str:
    """All text a widget tree holds (values, descriptions, options), as the browser could get it."""
    parts = []
    for name in ("value", "description", "placeholder", "options", "statement"):
        value = getattr(widget, name, None)
        if value is not None and not callable(value):
            parts.append(str(value))
    for out in getattr(widget, "outputs", ()) or ():
        parts.append(json.dumps(out))
    for child in getattr(widget, "children", ()) or ():
        parts.append(everything(child))
    return "\n".join(parts)


@pytest.fixture(autouse=True)
def fresh_page():
    new_page()
    yield
    new_page()


@pytest.fixture
def personal(monkeypatch):
    monkeypatch.delenv("RECONNECT_SHARED", raising=False)


@pytest.fixture
def shared(monkeypatch):
    monkeypatch.setenv("RECONNECT_SHARED", "1")


@pytest.fixture
def person_a(home, bank):
    """Someone who used this computer before: settings, a saved area, a journal note."""
    s = pt.save_settings(
        home, pt.Settings(code=CODE, display_name="Robin", workshop="TUESDAY", couple="SMITHS"), make_current=False
    )
    area = bank.area("self_esteem")
    save_submission(home, Submission(CODE, area.id, {i.id: 2 for i in area.items}, "before"), bank=bank)
    save_reflection(home, participant=CODE, area="self_esteem", prompt="p", text=SECRET)
    return s


# -- the device -------------------------------------------------------------------------------------


def test_device_mode_from_env_and_from_the_data_folder(home, personal, monkeypatch):
    assert not pt.is_shared_device(home) and pt.can_remember(home)
    pt.set_device(home, shared=True)
    assert pt.is_shared_device(home) and not pt.can_remember(home)
    monkeypatch.setenv("RECONNECT_SHARED", "0")  # the environment decides first
    assert not pt.is_shared_device(home)
    monkeypatch.delenv("RECONNECT_SHARED")
    (home / "device.json").write_text("not json")
    assert pt.is_shared_device(home)  # unreadable: the safe side


def test_remember_me_only_on_a_personal_computer(home, person_a, personal):
    pt.sign_in(home, CODE, remember=True)
    assert json.loads((home / "current.json").read_text()) == {"participant": CODE, "remember": True}
    new_page()
    assert pt.current_code(home) == CODE  # remembered: the next page starts as this person
    pt.sign_out(home)
    assert pt.current_code(home) is None and pt.remembered_code(home) is None
    new_page()
    assert pt.current_code(home) is None  # forgotten on this computer too


def test_a_shared_computer_never_remembers_and_ignores_an_old_current_json(home, person_a, shared):
    (home / "current.json").write_text(json.dumps({"participant": CODE, "remember": True}))
    assert pt.current_code(home) is None
    pt.sign_in(home, CODE, remember=True)  # asked for, but not possible here
    assert pt.current_code(home) == CODE
    assert pt.remembered_code(home) is None
    new_page()
    assert pt.current_code(home) is None


def test_an_old_pointer_without_remember_is_not_a_sign_in(home, person_a, personal):
    (home / "current.json").write_text(json.dumps({"participant": CODE}))  # written by earlier versions
    assert pt.current_code(home) is None


# -- the gate in front of personal views ----------------------------------------------------------


def test_area_notebook_shows_nothing_personal_until_the_code_is_typed(home, person_a, shared):
    form = nb.rating_form("self_esteem")
    result = nb.area_result("self_esteem")
    note = nb.reflection("self_esteem")
    page = "\n".join(everything(x) for x in (form, result, note))
    assert SECRET not in page and "Your earlier notes" not in page and CODE not in page
    assert "type your participant code at the top of this page" in page
    assert "Answering as" not in page and "are shown again" not in page

    bar = IdentityBar(home=home)
    assert "Who is answering?" in bar.status.value and CODE not in everything(bar.widget)
    assert "Robin" not in everything(bar.widget)
    assert bar.remember.disabled  # shared computer: no "remember me"
    bar.code.value = "qx3 7km"
    bar.sign_in_button.click()
    assert f'Answering as <b class="rc-code">{CODE}</b> (Robin)' in bar.status.value
    page = "\n".join(everything(x) for x in (form, result, note))
    assert SECRET in page and "Your earlier notes on this area" in page
    assert "are shown again" in page and "Answering as QX3-7KM" in page
    assert "of 100" in page  # the restored result

    DonePanel(home=home).button.click()
    page = "\n".join(everything(x) for x in (form, result, note, bar.widget))
    assert SECRET not in page and CODE not in page and "Robin" not in page
    assert "type your participant code" in page


def test_a_typed_code_unknown_here_is_refused(home, person_a, shared):
    bar = IdentityBar(home=home)
    bar.code.value = OTHER_CODE
    bar.sign_in_button.click()
    assert pt.current_code(home) is None
    assert "There is no participant HJK-679 on this computer" in bar.message.value
    bar.code.value = "<script>"
    bar.sign_in_button.click()
    assert "rc-error" in bar.message.value and "<script>" not in bar.message.value


def test_a_second_person_on_the_same_page_gets_fresh_views(home, person_a, bank, shared):
    form = nb.rating_form("self_esteem")
    pt.sign_in(home, CODE)
    assert "are shown again" in everything(form)
    pt.sign_out(home)
    other = pt.start_new(home)  # the next person creates a code on this page
    text = everything(form)
    assert "are shown again" not in text and CODE not in text and other.code in text


def test_profile_page_follows_who_is_answering(home, person_a, shared, tmp_path):
    save = {"share_with_partner": True}
    pt.save_settings(home, pt.Settings(code=CODE, couple="SMITHS", **save), make_current=False)
    view = ProfileView(home=home, demo=tmp_path / "no-demo")
    assert "Nobody is signed in" in view.header.value
    assert view.share.value is False and view.share.disabled and view.report_button.disabled
    pt.sign_in(home, CODE)
    view.follow_identity()
    assert CODE in view.header.value and view.share.value is True
    assert SECRET in view.profile_text.value
    pt.sign_out(home)
    view.follow_identity()
    text = everything(view.widget)
    assert SECRET not in text and CODE not in text
    assert view.share.value is False and view.share.disabled  # never the last person's choice


def test_notebook_06_entry_points_follow_a_sign_out(home, person_a, shared, monkeypatch, tmp_path):
    monkeypatch.setenv("RECONNECT_DEMO", str(tmp_path / "no-demo"))
    pt.sign_in(home, CODE)
    cells = [nb.profile_view(), nb.change_view(), nb.couple_view(), nb.report_button()]
    assert SECRET in everything(cells[0])
    nb.done_button()
    DonePanel(home=home).button.click()
    text = "\n".join(everything(c) for c in cells)
    assert SECRET not in text and CODE not in text


# -- 00 Start here ----------------------------------------------------------------------------------


def test_start_here_opens_empty_on_a_shared_computer(home, person_a, shared):
    pt.sign_in(home, CODE)  # the last person, on their page
    new_page()  # the next person opens 00
    panel = StartPanel(home=home)
    text = everything(panel.widget)
    assert CODE not in text and "Robin" not in text and "TUESDAY" not in text and "SMITHS" not in text
    assert "Nobody is signed in on this page" in panel.status.value
    assert panel.new_button.button_style == "primary"
    assert panel.remember.disabled


def test_creating_a_second_code_asks_first_and_names_the_old_one(home, personal):
    panel = StartPanel(home=home)
    panel.display_name.value = "Robin"
    panel.couple.value = "SMITHS"
    panel.workshop.value = "TUESDAY"
    panel.new_button.click()
    first = pt.current_code(home)
    assert first and panel.new_button.button_style == "" and "instead" in panel.new_button.description
    panel.new_button.click()  # a second click: asks, creates nothing
    assert pt.current_code(home) == first
    assert panel.confirm_box.layout.display == "" and first in panel.confirm_text.value
    assert len(list((home / "participants").iterdir())) == 1
    panel.confirm_no.click()
    assert pt.current_code(home) == first and panel.confirm_box.layout.display == "none"
    panel.new_button.click()
    panel.confirm_yes.click()
    second = pt.current_code(home)
    assert second != first and len(list((home / "participants").iterdir())) == 2
    new = pt.load_settings(home, second)
    assert new.display_name == "" and new.couple == ""  # nothing personal of the old code is copied
    assert pt.load_settings(home, first).display_name == "Robin"


def test_remember_me_in_start_here_on_a_personal_computer(home, personal):
    panel = StartPanel(home=home)
    assert not panel.remember.disabled
    panel.remember.value = True
    panel.new_button.click()
    code = pt.current_code(home)
    new_page()
    assert pt.current_code(home) == code
    assert code in StartPanel(home=home).status.value


def test_done_at_the_bottom_of_00_clears_the_panel_above(home, personal):
    panel = StartPanel(home=home)
    panel.display_name.value = "Robin"
    panel.new_button.click()
    code = pt.current_code(home)
    data = nb.my_data()
    export = nb.export_button()
    assert "Show what is stored about me" in everything(data) and "Export my answers" in everything(export)
    DonePanel(home=home).button.click()
    text = "\n".join(everything(w) for w in (panel.widget, data, export))
    assert code not in text and "Robin" not in text
    assert "Show what is stored about me" not in text
    assert panel.sign_out_row.layout.display == "none"


def test_erasing_signs_out_and_says_what_was_erased(home, person_a, shared):
    pt.sign_in(home, CODE)
    cell = nb.my_data()
    gate_panel = cell.children[0].children[0]
    confirm = next(w for w in gate_panel.children[1].children if getattr(w, "description", "").startswith("Type"))
    erase = next(w for w in gate_panel.children[1].children if getattr(w, "description", "").startswith("Erase"))
    confirm.value = CODE
    erase.click()
    assert pt.current_code(home) is None
    assert re.search(r"Erased \d+ file\(s\)", everything(cell))
