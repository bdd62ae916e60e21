"""Fixtures shared by the unit tests: the real item bank, a private data folder, valid submissions,
and item banks broken on purpose. Plain helper functions live in helpers.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import broken_bank_file, make_submission
from reconnect.bank.content import load_item_bank
from reconnect.bank.model import ItemBank
from reconnect.records.store import save_submission


@pytest.fixture
def bank() -> ItemBank:
    return load_item_bank()


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """An empty data folder that every default path in the package points at."""
    folder = tmp_path / "home"
    folder.mkdir()
    monkeypatch.setenv("RECONNECT_HOME", str(folder))
    return folder


@pytest.fixture
def write_submission(bank):
    """``write_submission(store, **fields) -> Path``: save a valid submission the normal way."""

    def write(store: Path, **fields) -> Path:
        return save_submission(store, make_submission(bank, **fields), bank=bank)

    return write


@pytest.fixture
def broken_bank(tmp_path):
    """``broken_bank(mutate) -> Path``: the project's item bank with one thing broken, in tmp_path."""

    def make(mutate, name: str = "item_bank.yaml") -> Path:
        return broken_bank_file(tmp_path, mutate, name)

    return make
