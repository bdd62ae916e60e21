"""Issue 22, class 6: sign out leaves nothing behind, page by page, with a second person at the keyboard.

Every page 00-06 is run as its notebook runs it (its code cells, in order, in this process: one page
is one kernel). Person A signs in and then uses *every* control the page shows: types a secret into
every text box, picks another option in every choice (the private safety check on 05 included),
ticks every box and presses every button (except erasing). Then A presses the page's "I'm done —
sign out". What the page holds afterwards (every open widget's value, options, words and outputs) must
be what the page showed the second person when it was first drawn for nobody — apart from the
"Signed out" confirmation — and hold nothing of A's.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import ipywidgets as w
import pytest

from reconnect.bank import i18n
from reconnect.records import participant as pt
from reconnect.records.journal import save_reflection
from reconnect.records.store import Submission, save_submission
from reconnect.ui.identity import DONE_LABEL, DONE_MESSAGE

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
PAGES = sorted(p.name for p in NOTEBOOKS.glob("0[0-6]_*.ipynb"))
CODE = "QX3-7KM"
SECRET = "Zyx secret of person A"
SKIP_BUTTONS = ("Erase", "sign out", "Yes, create")  # erasing is its own test; the sign-out comes last


def new_page() -> None:
    pt._answering.clear()
    pt._signed_out.clear()
    i18n.use_language(None)


@pytest.fixture(autouse=True)
def _page(monkeypatch, home):
    monkeypatch.setenv("RECONNECT_SHARED", "1")
    monkeypatch.chdir(NOTEBOOKS)
    new_page()
    yield
    new_page()


def run_page(name: str) -> list:
    """Run a notebook's code cells as its kernel would; return what each cell shows."""
    shown = []
    namespace: dict = {}
    for cell in json.loads((NOTEBOOKS / name).read_text(encoding="utf-8"))["cells"]:
        if cell["cell_type"] != "code":
            continue
        tree = ast.parse("".join(cell["source"]))
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        exec(compile(tree, name, "exec"), namespace)
        if last is not None:
            value = eval(compile(ast.Expression(last.value), name, "eval"), namespace)
            if value is not None:
                shown.append(value)
    return shown


def is_open(widget) -> bool:
    return getattr(widget, "comm", None) is not None or not hasattr(widget, "comm")


def walk(widget):
    if not isinstance(widget, w.Widget) or not is_open(widget):
        return
    yield widget
    for child in getattr(widget, "children", ()) or ():
        yield from walk(child)


def state(widgets) -> list:
    """What a browser could get from the page's widgets: values, options, words, outputs, what is hidden."""
    out = []
    for top in widgets:
        for widget in walk(top):
            row = [type(widget).__name__]
            for name in ("value", "description", "placeholder", "options", "statement", "disabled", "index"):
                if widget.has_trait(name):
                    row.append(repr(getattr(widget, name)))
            if widget.has_trait("outputs"):
                row.append(json.dumps(widget.outputs))
            layout = getattr(widget, "layout", None)
            row.append(getattr(layout, "display", None) if layout is not None else None)
            out.append(" | ".join(str(x) for x in row))
    return out


def use_everything(widgets) -> None:
    """Person A touches every control the page shows, twice over (a press may show more controls)."""
    for _round in range(2):
        controls = [x for top in widgets for x in walk(top) if not getattr(x, "disabled", False)]
        for x in controls:
            if isinstance(x, (w.Text, w.Textarea, w.Combobox)) and is_open(x):
                x.value = SECRET
            elif isinstance(x, w.Checkbox) and is_open(x):
                x.value = not x.value
            elif x.has_trait("options") and x.has_trait("value") and is_open(x):
                values = [o[1] if isinstance(o, (tuple, list)) else o for o in x.options]
                others = [v for v in values if v != x.value]
                if others:
                    x.value = others[0]
            elif type(x).__name__ == "RatingChoice" and is_open(x):
                x.value = 4
        for x in controls:
            if isinstance(x, w.Button) and is_open(x) and not any(s in x.description for s in SKIP_BUTTONS):
                x.click()


def sign_out_at_the_bottom(widgets) -> None:
    buttons = [x for top in widgets for x in walk(top) if isinstance(x, w.Button) and x.description == DONE_LABEL]
    assert buttons, "every page ends with I'm done"
    buttons[-1].click()


def without_sign_out_words(rows: list[str]) -> list[str]:
    """The rows, with the "Signed out" confirmation (the one thing a sign-out adds) read as an empty message."""
    import re

    done = re.compile(r"'<div class=\"rc-msg rc-ok\"[^']*" + re.escape(i18n._(DONE_MESSAGE)[:40]) + r"[^']*'")
    return [done.sub("''", r) for r in rows]


@pytest.fixture
def person_a(home, bank):
    pt.save_settings(home, pt.Settings(code=CODE, display_name="Robin", workshop="TUESDAY", couple="SMITHS"), make_current=False)
    for area in bank.areas:
        save_submission(home, Submission(CODE, area.id, {i.id: 2 for i in area.items}, "before"), bank=bank)
    save_reflection(home, participant=CODE, area="self_esteem", prompt="p", text=SECRET + " note")


@pytest.mark.parametrize("name", PAGES)
def test_after_sign_out_the_page_is_as_the_next_person_first_saw_it(name, person_a, home):
    fresh = run_page(name)  # the second person's view of the page, drawn for nobody
    first_seen = state(fresh)
    assert not any(SECRET in r or CODE in r for r in first_seen)
    new_page()
    widgets = run_page(name)  # the page as person A opens it
    assert state(widgets) == first_seen
    pt.sign_in(home, CODE)
    use_everything(widgets)
    sign_out_at_the_bottom(widgets)
    after = without_sign_out_words(state(widgets))
    leaked = [r for r in after if SECRET in r or CODE in r or "Robin" in r or "SMITHS" in r]
    assert leaked == []
    expected = without_sign_out_words(first_seen)
    differ = [(i, a[:300], b[:300]) for i, (a, b) in enumerate(zip(after, expected)) if a != b]
    assert len(after) == len(expected) and differ == []


def test_the_safety_check_clears_itself_wherever_it_is_shown(home):
    """Any number of checks on a page, signed in or not: each is unanswered again after a sign-out."""
    from reconnect.ui.safety import PageSafety, PrivateSafetyCheck, WhatCanHelp

    page = PageSafety()
    checks = [PrivateSafetyCheck(page=page) for _ in range(3)]
    helps = WhatCanHelp("foundation", page=page)
    together = helps.widget.value
    for check in checks:
        check.choice.value = "yes"
    assert "rc-afraid-help" in checks[0].response.value and helps.widget.value != together
    pt.sign_out(home)  # nobody had signed in: what they chose goes all the same
    assert all(c.answer is None and c.response.value == "" for c in checks)
    assert page.afraid is False and helps.widget.value == together


def test_a_second_person_signing_in_does_not_inherit_the_check(home, person_a):
    from reconnect.ui.safety import PrivateSafetyCheck

    other = pt.save_settings(home, pt.Settings(code=pt.new_participant_code()), make_current=False)
    pt.sign_in(home, CODE)
    check = PrivateSafetyCheck()
    check.choice.value = "yes"
    pt.sign_in(home, other.code)
    assert check.answer is None and check.response.value == ""
    check.choice.value = "no"
    pt.sign_in(home, other.code)  # the same person again: their answer stays
    assert check.answer == "no"
