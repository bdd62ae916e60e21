"""`make lab`: a port setting like `make app`'s, flags of your own added to (not replacing) `--allow-root`,
and JupyterLab's default address (the one it prints and opens) is the start page, not the Launcher."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from reconnect.apps import servers

ROOT = Path(__file__).resolve().parents[1]


def _make_lab(*args: str) -> str:
    if shutil.which("make") is None:
        pytest.skip("no make")
    done = subprocess.run(
        ["make", "-n", "--no-print-directory", "lab", *args], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return [line for line in done.stdout.splitlines() if "reconnect.apps.servers lab" in line][-1]


def test_lab_port_and_flags_add_to_what_make_lab_needs():
    line = _make_lab("LAB_PORT=8890", "LAB_FLAGS=--no-browser")
    assert "--ServerApp.port=8890" in line and line.endswith("--no-browser")
    if os.geteuid() == 0:  # as root Jupyter needs --allow-root, and LAB_FLAGS must not drop it
        assert "--allow-root" in line
    assert "--ServerApp.port=8888" in _make_lab()


def test_jupyterlab_opens_and_prints_the_start_page_in_every_language():
    for lang, page in (("en", "00_start_here.ipynb"), ("es", "es/00_start_here.ipynb")):
        args = servers.lab_args(lang, ROOT / "notebooks")
        assert f"--LabApp.default_url=/lab/tree/{page}" in args
        assert f"--ServerApp.root_dir={(ROOT / 'notebooks').resolve()}" in args


def test_no_news_question_in_any_jupyterlab_the_product_starts():
    for lang in ("en", "es"):
        notification = servers.lab_overrides(lang)["@jupyterlab/apputils-extension:notification"]
        assert notification == {"fetchNews": "false", "checkForUpdates": False}


def test_lab_keeps_the_next_pages_python_ready_unless_told_not_to():
    assert "RECONNECT_PREHEAT=1 " in _make_lab() and "RECONNECT_PREHEAT=0 " in _make_lab("PREHEAT=0")
    manager = "--ServerApp.kernel_manager_class=reconnect.apps.spare_kernels.SpareKernelManager"
    ready = servers.command("lab", [], "es", preheat=1)
    assert manager in ready and "--SpareKernelManager.spare_path=es" in ready
    assert "--SpareKernelManager.refill=True" in ready
    assert not any("SpareKernelManager" in arg for arg in servers.command("lab", [], "es", preheat=0))
