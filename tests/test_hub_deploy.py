"""The deployment files in deploy/: the hub configuration loads, the Helm values and image list agree."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

pytest.importorskip("jupyterhub", reason="the hub extra is not installed (pip install -e '.[hub]')")
tomllib = pytest.importorskip("tomllib", reason="tomllib is in Python 3.11+; CI runs 3.11")

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"


def _name(spec: str) -> str:
    return re.split(r"[<>=!~ \[;]", spec.strip(), maxsplit=1)[0].lower()


def test_jupyterhub_config_loads_and_sets_the_room_up(tmp_path, monkeypatch):
    from traitlets.config.loader import PyFileConfigLoader

    settings = {
        "state": str(tmp_path / "state"),
        "room": str(tmp_path / "room"),
        "homes": str(tmp_path / "homes"),
        "passcode": "hm7k-4tpx",
        "counselor_passcode": "c",
        "admin_token": "t" * 64,
        "port": 8123,
        "env": str(tmp_path / "env"),
    }
    (tmp_path / "hub.json").write_text(json.dumps(settings))
    monkeypatch.setenv("RECONNECT_HUB_SETTINGS", str(tmp_path / "hub.json"))
    c = PyFileConfigLoader("jupyterhub_config.py", path=str(DEPLOY)).load_config()
    assert c.JupyterHub.ip == "127.0.0.1" and c.JupyterHub.port == 8123
    assert c.JupyterHub.authenticator_class.__name__ == "WorkshopAuthenticator"
    assert c.JupyterHub.spawner_class.__name__ == "WorkshopSpawner"
    assert c.WorkshopAuthenticator.passcode == "hm7k-4tpx"
    assert c.Authenticator.admin_users == {"rc-counselor"}
    assert c.Spawner.cmd == [str(tmp_path / "env" / "bin" / "python"), "-m", "reconnect.hub.singleuser"]
    assert "--MappingKernelManager.cull_connected=False" in c.Spawner.args
    lab_settings = tmp_path / "env" / "share" / "reconnect" / "lab-settings" / "en"
    assert f"--LabApp.app_settings_dir={lab_settings}" in c.Spawner.args
    overrides = json.loads((lab_settings / "overrides.json").read_text())
    assert overrides["@jupyterlab/apputils-extension:kernels-settings"] == {"commsOverSubshells": "disabled"}
    services = {s["name"]: s for s in c.JupyterHub.services}
    assert "jupyterhub_idle_culler" in services["idle-culler"]["command"]
    assert services["workshop-admin"]["api_token"] == "t" * 64
    assert "ssl_cert" not in c.JupyterHub  # plain HTTP on loopback unless TLS files are given


def test_jupyterhub_config_without_settings_says_what_to_do(monkeypatch, tmp_path):
    from traitlets.config.loader import PyFileConfigLoader

    monkeypatch.setenv("RECONNECT_HUB_SETTINGS", str(tmp_path / "missing.json"))
    with pytest.raises(SystemExit, match="make hub"):
        PyFileConfigLoader("jupyterhub_config.py", path=str(DEPLOY)).load_config()


def test_helm_values_set_the_room_up():
    values = yaml.safe_load((DEPLOY / "z2jh" / "config.yaml").read_text())
    hub = values["hub"]["config"]
    assert hub["JupyterHub"]["authenticator_class"] == "reconnect.hub.auth.WorkshopAuthenticator"
    assert hub["Authenticator"]["admin_users"] == ["rc-counselor"]
    single = values["singleuser"]
    assert single["defaultUrl"] == "/voila/render/notebooks/00_start_here.ipynb"
    assert single["extraEnv"]["RECONNECT_COLLECT"] == single["storage"]["extraVolumeMounts"][0]["mountPath"]
    assert single["memory"]["limit"]
    assert values["cull"]["enabled"] is True
    culling = single["extraFiles"]["kernel-culling"]["data"]["MappingKernelManager"]
    assert culling["cull_idle_timeout"] > 0 and culling["cull_connected"] is False


def test_the_image_package_list_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_name(s): s.replace(" ", "") for s in project["dependencies"]}
    hub = {_name(s): s.replace(" ", "") for s in project["optional-dependencies"]["hub"]}
    wanted["jupyterhub"] = hub["jupyterhub"]  # jupyterhub-singleuser; the culler runs in the hub, not here
    lines = (DEPLOY / "z2jh" / "singleuser-requirements.txt").read_text().splitlines()
    image = {_name(s): s.replace(" ", "") for s in lines if s.strip() and not s.startswith("#")}
    assert image == wanted


def test_make_hub_listens_on_loopback_unless_told_and_warns_when_told(monkeypatch):
    from reconnect.hub.room import banner, parse

    for name in ("HUB_IP", "HUB_PORT", "HUB_PASSCODE"):
        monkeypatch.setenv(name, "")  # `make` exports unset variables as empty ones
    args = parse(["start"])
    assert (args.ip, args.port) == ("127.0.0.1", 8000)
    settings = {"ip": args.ip, "port": 8000, "passcode": "hm7k-4tpx", "counselor_passcode": "c", "workshop": "W"}
    text = banner(settings)
    assert "http://127.0.0.1:8000/" in text and "hm7k-4tpx" in text and "Ctrl+C" in text
    assert "WARNING" not in text
    monkeypatch.setenv("HUB_IP", "0.0.0.0")
    wide = banner({**settings, "ip": parse(["start"]).ip})
    assert "WARNING" in wide and "UNENCRYPTED" in wide and "HUB_TLS_CERT" in wide
    assert "UNENCRYPTED" not in banner({**settings, "ip": "0.0.0.0", "tls_cert": "/c.pem"})


def test_a_room_cannot_start_without_what_it_needs(tmp_path):
    from reconnect.hub.room import HubError, check_env

    with pytest.raises(HubError, match="make hub-setup"):
        check_env(tmp_path / "no-env")


def test_a_room_in_spanish_lands_on_the_spanish_pages(tmp_path, monkeypatch):
    """RECONNECT_LANG when `make hub` starts: every server gets it, lands on notebooks/es, lists the pages in it."""
    from traitlets.config.loader import PyFileConfigLoader

    from reconnect.hub.spawner import NOTEBOOKS, WorkshopSpawner, copy_notebooks

    room = tmp_path / "room"
    (room / NOTEBOOKS / "es").mkdir(parents=True)
    for name in ("00_start_here.ipynb", "07_group_discussion.ipynb"):
        (room / NOTEBOOKS / name).write_text("{}")
        (room / NOTEBOOKS / "es" / name).write_text('{"es": 1}')
    settings = {"state": str(tmp_path), "room": str(room), "passcode": "p", "counselor_passcode": "c", "language": "es"}
    (tmp_path / "hub.json").write_text(json.dumps(settings))
    monkeypatch.setenv("RECONNECT_HUB_SETTINGS", str(tmp_path / "hub.json"))
    c = PyFileConfigLoader("jupyterhub_config.py", path=str(DEPLOY)).load_config()
    assert c.WorkshopSpawner.language == "es"
    spawner = WorkshopSpawner(room=str(room), language="es")
    assert spawner._in_language(spawner.participant_url) == "/voila/render/notebooks/es/00_start_here.ipynb"
    assert spawner._in_language(spawner.counselor_url) == "/voila/render/notebooks/es/07_group_discussion.ipynb"
    assert WorkshopSpawner(room=str(room))._in_language(spawner.participant_url) == spawner.participant_url
    home = tmp_path / "home"
    home.mkdir()
    copy_notebooks(room / NOTEBOOKS, home)
    assert (home / NOTEBOOKS / "es" / "00_start_here.ipynb").read_text() == '{"es": 1}'
