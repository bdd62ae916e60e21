"""Test-wide set-up: notebooks executed by nbval never touch the real data folders.

Before any kernel starts, RECONNECT_HOME and RECONNECT_DEMO point at a fresh temporary folder
holding one participant with a saved area, and the synthetic demo workshop.
"""

import os
import shutil
import tempfile
from pathlib import Path

_made: list[Path] = []


def pytest_configure(config):
    # The suite runs in English whatever the shell says; tests of other languages set RECONNECT_LANG themselves.
    os.environ.pop("RECONNECT_LANG", None)
    if os.environ.get("RECONNECT_TEST_DATA_READY"):
        return
    root = Path(tempfile.mkdtemp(prefix="reconnect-test-"))
    _made.append(root)
    home, demo = root / "home", root / "demo"
    os.environ["RECONNECT_HOME"] = str(home)
    os.environ["RECONNECT_DEMO"] = str(demo)
    os.environ["RECONNECT_TEST_DATA_READY"] = "1"
    os.environ.setdefault("MPLBACKEND", "agg")

    from reconnect.apps.demo import write_demo
    from reconnect.bank.content import load_item_bank
    from reconnect.records.participant import Settings, save_settings
    from reconnect.records.store import Submission, save_submission

    bank = load_item_bank()
    write_demo(demo, bank=bank, sync=False)
    me = save_settings(home, Settings(code="KM7-4TX", workshop="DEMO", couple="DEMO-COUPLE-1", session="before"))
    area = bank.area("self_esteem")
    ratings = {item.id: 4 for item in area.items}
    save_submission(
        home, Submission(me.code, area.id, ratings, me.session, me.workshop, me.couple, bank.version), bank=bank
    )


def pytest_unconfigure(config):
    for root in _made:
        shutil.rmtree(root, ignore_errors=True)


def pytest_collection_modifyitems(config, items):
    """Every test in tests/browser/ is a real-browser test: ``pytest -m "not browser"`` is the fast lane."""
    import pytest

    for item in items:
        if "tests/browser/" in item.path.as_posix():
            item.add_marker(pytest.mark.browser)


def pytest_collect_file(file_path, parent):
    """Run the docstring examples of the package (only there: test folders hold conftest files)."""
    if file_path.suffix == ".py" and "src/reconnect" in file_path.as_posix():
        from _pytest.doctest import DoctestModule

        return DoctestModule.from_parent(parent, path=file_path)
    return None
