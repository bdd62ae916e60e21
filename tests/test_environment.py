"""environment.yml (conda) and pyproject.toml (pip) must list the same packages."""

import re
from pathlib import Path

import pytest
import yaml

tomllib = pytest.importorskip("tomllib", reason="tomllib is in Python 3.11+; CI runs 3.11")

ROOT = Path(__file__).resolve().parents[1]
# PyPI and conda-forge spell a few names differently.
CONDA_TO_PYPI = {}


def _name(spec: str) -> str:
    return re.split(r"[<>=!~ \[;]", spec.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pip_packages() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    specs = project["dependencies"] + sum(project["optional-dependencies"].values(), [])
    return {_name(s): s.replace(" ", "") for s in specs}


def _conda_packages() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    specs = [d for d in env["dependencies"] if isinstance(d, str)]
    # packages conda-forge does not carry come from PyPI through the pip section, with the same spec
    specs += [s for d in env["dependencies"] if isinstance(d, dict) for s in d.get("pip", [])]
    out = {}
    for spec in specs:
        name = CONDA_TO_PYPI.get(_name(spec), _name(spec))
        if name not in ("python", "pip"):
            out[name] = spec.replace(" ", "")
    return out


def test_same_packages_in_conda_and_pip():
    pip, conda = _pip_packages(), _conda_packages()
    assert sorted(pip) == sorted(conda), f"only in pip: {set(pip) - set(conda)}; only in conda: {set(conda) - set(pip)}"


def test_same_minimum_versions():
    pip, conda = _pip_packages(), _conda_packages()
    for name, spec in pip.items():
        assert spec[len(name) :] == conda[name][len(name) :], f"{name}: pip says {spec}, conda says {conda[name]}"


def test_user_required_packages_are_listed():
    for required in ("jupyterlab", "ipywidgets", "pandas", "matplotlib", "nbval"):
        assert required in _pip_packages()


def test_python_floor_matches():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert project["requires-python"] == ">=3.10"
    assert "python>=3.10" in env["dependencies"]
