"""The prebuilt JupyterLab extension: committed build in step with its source, installed where Lab looks."""

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "labextension"
BUILT = ROOT / "src" / "reconnect" / "labextension"


def _stamp():
    spec = importlib.util.spec_from_file_location("labext_stamp", SOURCE / "stamp.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_build_matches_its_source():
    """Editing labextension/ without `make labextension` leaves users with the old behaviour: fail."""
    recorded = (BUILT / "source.sha256").read_text().strip()
    assert recorded == _stamp().fingerprint(), "the extension's source changed: run `make labextension`, commit"


def test_built_package_points_at_files_that_exist():
    meta = json.loads((BUILT / "package.json").read_text())
    assert meta["name"] == "reconnect-series"
    load = meta["jupyterlab"]["_build"]["load"]
    assert (BUILT / load).is_file(), f"{load} is missing: run `make labextension`"
    assert json.loads((BUILT / "install.json").read_text())["packageName"] == "reconnect"


@pytest.mark.skipif(sys.version_info < (3, 11), reason="tomllib is new in Python 3.11")
def test_pyproject_installs_every_built_file():
    import tomllib

    data_files = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["data-files"]
    shipped = {str(p.relative_to(ROOT)) for patterns in data_files.values() for pat in patterns for p in ROOT.glob(pat)}
    built = {str(p.relative_to(ROOT)) for p in BUILT.rglob("*") if p.is_file() and p.name != "source.sha256"}
    assert built <= shipped, f"not installed: {sorted(built - shipped)}"


def test_jupyter_lab_finds_the_extension():
    """What `make setup` promises: `jupyter labextension list` in this environment shows it, enabled."""
    jupyter = Path(sys.executable).parent / "jupyter"
    if not jupyter.exists():
        pytest.skip("no jupyter command beside this Python")
    out = subprocess.run(
        [str(jupyter), "labextension", "list"], capture_output=True, text=True, timeout=120, check=False
    )
    listing = out.stdout + out.stderr
    line = next((ln for ln in listing.splitlines() if "reconnect-series" in ln), "")
    assert line, f"reconnect-series not listed (run `make setup`):\n{listing}"
    assert "enabled" in line and "OK" in line, line


@pytest.mark.skipif(
    shutil.which("node") is None or not (SOURCE / "node_modules" / ".bin" / "tsc").exists(),
    reason="rebuilding needs node and `npm ci` in labextension/ (the committed build is checked above)",
)
def test_typescript_compiles():
    out = subprocess.run(
        [str(SOURCE / "node_modules" / ".bin" / "tsc"), "--noEmit", "-p", str(SOURCE)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert out.returncode == 0, out.stdout + out.stderr
