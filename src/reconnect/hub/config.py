"""The whole hub configuration from one settings file (``deploy/jupyterhub_config.py`` calls this).

``make hub`` (:mod:`.room`) writes the settings file and points ``RECONNECT_HUB_SETTINGS`` at it;
the tests do the same over a temporary folder. Keys (all strings unless said):

``ip``, ``port`` (int), ``hub_port`` (int), ``proxy_api_port`` (int), ``state`` (the hub's own
folder: database, cookie secret), ``room`` (notebooks, item bank, collection folder), ``homes``
(where participants' home folders are made), ``prefix``, ``workshop``, ``passcode``,
``counselor_passcode``, ``admin_token`` (the ``workshop-admin`` service: ``make hub-end``),
``proxy`` (the configurable-http-proxy command), ``tls_cert``/``tls_key`` (optional),
``cull_idle`` (int seconds: idle participant servers), ``cull_kernels`` (int seconds: kernels of
closed pages), ``memory_mb`` (int, per process), ``python`` (the hub's Python, for its services),
``env`` (the participants' Python environment, readable by every account), ``language`` (the room's
language, e.g. ``es``: ``RECONNECT_LANG`` of every server, the translated notebooks to land on),
``seats`` (int: participant accounts and servers made ready before people arrive, :mod:`.seats`),
``spare_kernels`` (int, default 1: kernels each participant's server starts ahead, :mod:`reconnect.apps.spare_kernels`),
``fork_servers`` (bool, default true: servers forked from one prepared process, :mod:`.forkserver`),
``runtime`` (where each account's kernel runtime folder is made; default ``/run/reconnect``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

SETTINGS_ENV = "RECONNECT_HUB_SETTINGS"


def load_settings(path: str | Path | None = None) -> dict:
    from ..core.settings_env import path as env_path

    path = Path(path or env_path(SETTINGS_ENV) or "")
    if not path.is_file():
        raise SystemExit(
            f"No hub settings file at '{path}'. Start the hub with `make hub` (it writes the settings), "
            f"or set {SETTINGS_ENV} to a settings file (docs/deploy.md)."
        )
    try:
        settings = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SystemExit(
            f"The hub settings file '{path}' ({SETTINGS_ENV}) cannot be read ({exc}). Start the hub again with "
            "`make hub`, which writes it (docs/deploy.md)."
        ) from None
    if not isinstance(settings, dict):
        raise SystemExit(f"The hub settings file '{path}' ({SETTINGS_ENV}) is not a settings object. Start the hub again with `make hub`.")
    if settings.get("language"):
        from ..bank.i18n import language_setting

        settings["language"] = language_setting(f"{path}: language", value=str(settings["language"]))
    return settings


def configure(c, s: dict) -> None:
    """Set JupyterHub's configuration object ``c`` from the settings ``s``, one part of the hub a step."""
    python = s.get("python") or sys.executable
    bindir = str(Path(s.get("env") or Path(python).parent.parent) / "bin")
    state = Path(s["state"])
    _hub_and_proxy(c, s, state)
    _authenticator(c, s, state)
    _spawner(c, s, bindir)
    _services(c, s, python, state)


def _hub_and_proxy(c, s: dict, state: Path) -> None:
    """Where the hub and its proxy listen, and the hub's own files in ``state``."""
    from .auth import TEMPLATES

    c.JupyterHub.ip = s.get("ip", "127.0.0.1")
    c.JupyterHub.port = int(s.get("port", 8000))
    c.JupyterHub.hub_ip = "127.0.0.1"
    c.JupyterHub.hub_port = int(s.get("hub_port", 8081))
    c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{int(s.get('proxy_api_port', 8001))}"
    c.ConfigurableHTTPProxy.command = [s.get("proxy") or "configurable-http-proxy"]
    c.ConfigurableHTTPProxy.pid_file = str(state / "proxy.pid")
    c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
    c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
    c.JupyterHub.pid_file = str(state / "jupyterhub.pid")
    c.JupyterHub.template_paths = [str(TEMPLATES)]
    c.JupyterHub.cleanup_servers = True
    if s.get("tls_cert") and s.get("tls_key"):
        c.JupyterHub.ssl_cert = s["tls_cert"]
        c.JupyterHub.ssl_key = s["tls_key"]


def _authenticator(c, s: dict, state: Path) -> None:
    """The passcode login (:mod:`.auth`): participants' and the counselor's passcodes, their accounts."""
    from .auth import WorkshopAuthenticator

    c.JupyterHub.authenticator_class = WorkshopAuthenticator
    c.WorkshopAuthenticator.passcode = s["passcode"]
    c.WorkshopAuthenticator.counselor_passcode = s["counselor_passcode"]
    c.WorkshopAuthenticator.user_prefix = s.get("prefix", "rc-")
    c.Authenticator.admin_users = {f"{s.get('prefix', 'rc-')}counselor"}
    c.WorkshopAuthenticator.seats_dir = str(state)
    c.Authenticator.any_allow_config = True  # check_allowed lets in exactly the accounts this room makes


def _spawner(c, s: dict, bindir: str) -> None:
    """Each person's server (:mod:`.spawner`): account and home, its command, kernel culling, how many at once."""
    from ..apps.servers import lab_settings_dir
    from .spawner import WorkshopSpawner

    c.JupyterHub.spawner_class = WorkshopSpawner
    c.WorkshopSpawner.room = s["room"]
    c.WorkshopSpawner.home_base = s.get("homes", "/home")
    c.WorkshopSpawner.user_prefix = s.get("prefix", "rc-")
    c.WorkshopSpawner.workshop = s.get("workshop", "ROOM")
    c.WorkshopSpawner.memory_limit_mb = int(s.get("memory_mb", 2048))
    c.WorkshopSpawner.language = s.get("language", "") or ""
    c.WorkshopSpawner.spare_kernels = int(s.get("spare_kernels", 1))
    c.WorkshopSpawner.fork_servers = bool(s.get("fork_servers", True))
    if s.get("runtime"):
        c.WorkshopSpawner.runtime_base = s["runtime"]
    # jupyterhub-singleuser, less 1.8 CPU-seconds of an unused grammar per server start (hub/singleuser.py)
    c.Spawner.cmd = [str(Path(bindir) / "python"), "-m", "reconnect.hub.singleuser"]
    c.Spawner.notebook_dir = "~"
    c.Spawner.http_timeout = 120  # a busy 2-core machine starting many servers at once
    c.Spawner.start_timeout = 180
    c.Spawner.environment = {"PATH": f"{bindir}:/usr/local/bin:/usr/bin:/bin"}
    cull_kernels = int(s.get("cull_kernels", 600))
    # The counselor's JupyterLab (participants run app mode only) gets the product's Lab settings: widget
    # messages to the kernel's main thread, not over a kernel subshell (servers.LAB_SETTINGS).
    lab_settings = lab_settings_dir(s.get("language", "") or "en", prefix=Path(bindir).parent)
    c.Spawner.args = [
        f"--LabApp.app_settings_dir={lab_settings}",
        "--ServerApp.terminals_enabled=False",
        "--ServerApp.port_retries=0",  # never move to another port than the hub was told
        f"--MappingKernelManager.cull_idle_timeout={cull_kernels}",
        f"--MappingKernelManager.cull_interval={max(10, min(60, cull_kernels // 2))}",
        "--MappingKernelManager.cull_connected=False",
    ]
    # Several people join at once: start their servers side by side, but not without bound.
    c.JupyterHub.concurrent_spawn_limit = int(s.get("concurrent_spawns", 50))
    c.JupyterHub.active_server_limit = int(s.get("max_servers", 0))


def _services(c, s: dict, python: str, state: Path) -> None:
    """The hub's services and their roles: the idle culler, the seats maker, ``make hub-end``'s admin token."""
    services = [
        {
            "name": "idle-culler",
            "command": [
                python,
                "-m",
                "jupyterhub_idle_culler",
                f"--timeout={int(s.get('cull_idle', 3600))}",
                f"--cull-every={max(10, min(300, int(s.get('cull_idle', 3600)) // 4))}",
            ],
        },
    ]
    roles = [
        {
            "name": "idle-culler",
            "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
            "services": ["idle-culler"],
        },
    ]
    # makes the room's seats (accounts + servers) before people arrive, and writes the room's
    # status for the counselor's 07 every 15 s: reconnect.hub.seats_service
    services.append(
        {
            "name": "seats",
            "command": [python, "-m", "reconnect.hub.seats_service"],
            "environment": {"RECONNECT_HUB_SETTINGS": str(state / "hub.json")},
        }
    )
    roles.append(
        {
            "name": "seats",
            "scopes": ["admin:users", "admin:servers", "users:activity", "list:users", "read:users"],
            "services": ["seats"],
        }
    )
    if s.get("admin_token"):
        services.append({"name": "workshop-admin", "api_token": s["admin_token"]})
        roles.append(
            {
                "name": "workshop-admin",
                "scopes": ["admin:users", "admin:servers", "tokens", "access:servers"],
                "services": ["workshop-admin"],
            }
        )
    c.JupyterHub.services = services
    c.JupyterHub.load_roles = roles
