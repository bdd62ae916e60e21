"""Where Reconnect finds its item bank and keeps answers.

Resolution order, so that tests, a workshop laptop and JupyterHub can each point elsewhere:
1. environment variables ``RECONNECT_HOME`` (answers) and ``RECONNECT_ITEM_BANK`` (content);
2. the project folder found by walking up from the working directory (a checkout: notebooks run
   from ``notebooks/``), giving ``data/responses`` and ``data/item_bank.yaml``;
3. next to the installed package source (an editable install), then ``~/reconnect-data``.

Which language's bank is in use is decided a layer up, where the languages are known
(:func:`reconnect.bank.content.item_bank_path`); this module knows no language.
"""

from __future__ import annotations

from pathlib import Path

from . import settings_env

ITEM_BANK_NAME = "item_bank.yaml"


def project_root(start: Path | None = None) -> Path | None:
    """Return the nearest folder at or above ``start`` holding ``data/item_bank.yaml``."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "data" / ITEM_BANK_NAME).is_file():
            return folder
    source_root = Path(__file__).resolve().parents[3]
    if (source_root / "data" / ITEM_BANK_NAME).is_file():
        return source_root
    return None


def english_bank_path() -> Path:
    """``data/item_bank.yaml`` of this project: the reference every translation is checked against."""
    root = project_root()
    if root is None:
        return Path(__file__).resolve().parents[3] / "data" / ITEM_BANK_NAME
    return root / "data" / ITEM_BANK_NAME


def data_home() -> Path:
    """The folder where this person's answers, journal and settings are kept."""
    env = settings_env.path("RECONNECT_HOME")
    if env:
        return env
    root = project_root()
    if root is not None:
        return root / "data" / "responses"
    return Path.home() / "reconnect-data"


def demo_store() -> Path:
    """The synthetic demo workshop made by ``reconnect demo`` (``make lab`` creates it)."""
    env = settings_env.path("RECONNECT_DEMO")
    if env:
        return env
    root = project_root()
    return (root / "data" / "demo") if root else Path.home() / "reconnect-demo"
