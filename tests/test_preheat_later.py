"""Issue 21: a page Voilà prepares ahead runs all its cells before anyone opens it, and reads no one.

Page 01 is run as its kernel runs it (code cells in order, in this process) with ``VOILA_PREHEAT=True``,
and Voilà's handshake replaced by a gate the test opens: that is the moment a browser asks for the page.
Person A is remembered on this (personal) computer while the page is prepared; B is remembered when the
page is opened. Before the gate opens every view is an empty box; after, the views are B's, with nothing
of A's anywhere in the page's widgets.
"""

from __future__ import annotations

import importlib
import threading
import time

import ipywidgets as w
import pytest

from reconnect.apps import preheat
from reconnect.records import participant as pt
from test_sign_out_clears import new_page, run_page, state

PAGE = "01_self_esteem.ipynb"


@pytest.fixture
def prepared(monkeypatch, home, tmp_path):
    """A preheated kernel's preheat module, its handshake held until ``open_page(info)`` is called."""
    monkeypatch.setenv("RECONNECT_SHARED", "0")
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.chdir(tmp_path)
    importlib.reload(preheat)  # a fresh kernel: not yet handed to anyone
    gate = threading.Event()
    info = {}
    asked = []

    def request_info(url):
        asked.append(url)
        gate.wait()
        return dict(info)

    monkeypatch.setattr(preheat, "_request_info", request_info)

    def open_page(details: dict) -> None:
        info.update(details)
        gate.set()
        deadline = time.monotonic() + 10
        while not preheat._arrived.is_set():
            assert time.monotonic() < deadline, "the handshake's answer never reached the page"
            time.sleep(0.01)
        preheat.flush()  # what the kernel's loop does when the watching thread hands it over

    from test_sign_out_clears import NOTEBOOKS

    monkeypatch.chdir(NOTEBOOKS)
    new_page()
    yield open_page, asked
    gate.set()
    new_page()
    monkeypatch.delenv("VOILA_PREHEAT")
    importlib.reload(preheat)


def _words(widgets) -> str:
    return "\n".join(state(widgets))


def test_a_prepared_page_shows_empty_boxes_then_the_visitors_views(prepared, home):
    open_page, asked = prepared
    a = pt.start_new(home, remember=True).code  # A is remembered while the page is prepared
    shown = [x for x in run_page(PAGE) if isinstance(x, w.Widget)]
    boxes = [x for x in shown if "rc-later" in x._dom_classes]
    assert boxes and len(boxes) == len(shown), "every view of a prepared page waits for its visitor"
    assert all(box.children == () for box in boxes), "a prepared page holds nothing before it is opened"
    assert not preheat.waited() and asked, "the page waits for Voilà's handshake"
    assert a not in _words(shown)

    b = pt.start_new(home, remember=True).code  # B is remembered when the page is opened
    open_page({"QUERY_STRING": "x=1"})
    assert preheat.waited()
    assert all(len(box.children) == 1 for box in boxes), "every view is built once the page is opened"
    words = _words(shown)
    assert b in words
    assert a not in words and a.replace("-", "") not in words
    assert len(asked) == 1, "one handshake per kernel"


def test_views_built_after_the_visitor_came_are_built_at_once(prepared, home):
    open_page, _asked = prepared
    built = []
    assert preheat.later(lambda: built.append("first")) is True
    open_page({})
    assert built == ["first"]
    assert preheat.later(lambda: built.append("second")) is False  # the caller builds now
    assert built == ["first"]


def test_views_left_for_the_visitor_are_built_in_page_order(prepared):
    open_page, _asked = prepared
    built = []
    for name in ("top", "form", "result", "sign out"):
        preheat.later(lambda name=name: built.append(name))
    time.sleep(0.2)
    assert built == [], "nothing is built before someone opens the page"
    open_page({})
    assert built == ["top", "form", "result", "sign out"]


def test_a_view_that_fails_does_not_keep_the_others_from_being_built(prepared):
    open_page, _asked = prepared
    built = []
    preheat.later(lambda: 1 / 0)
    preheat.later(lambda: built.append("next"))
    open_page({})
    assert built == ["next"]
