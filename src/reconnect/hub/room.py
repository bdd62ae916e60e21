"""``make hub`` and ``make hub-end``: one workshop room's folders, secrets, start and end.

``make hub-status`` (the ``status`` command of ``python -m reconnect.hub``) is :mod:`.room_status`.

Layout of the hub folder (``.hub/`` in the project, git-ignored; a temporary folder in the tests)::

    .hub/node_modules/      configurable-http-proxy (npm; ``make hub-setup``)
    .hub/state/    0700     the hub's database, cookie secret, hub.json (settings) -- root only
    .hub/room/     0755     notebooks/ and item_bank.yaml (read by every participant's server)
    .hub/room/collect 1733  the collection folder: participants add copies, only the counselor reads

Participants' home folders are made under ``--homes`` (``/home`` by default, as The Littlest
JupyterHub does).
"""

from __future__ import annotations

import argparse
import ipaddress
import json
import os
import secrets
import shutil
import socket
import stat
import sys
import time
from pathlib import Path

from ..bank.content import item_bank_path
from ..bank.i18n import requested_language
from ..records.codes import CODE_ALPHABET
from ..records.drop_folder import make_drop_folder
from . import DEFAULT_PREFIX, counselor_name
from .seats import all_users, default_seats, seat_mb

ROOT = Path(__file__).resolve().parents[3]
CONFIG_FILE = ROOT / "deploy" / "jupyterhub_config.py"
PROXY_LOCAL = ROOT / ".hub" / "node_modules" / ".bin" / "configurable-http-proxy"
NO_NODE = (
    "configurable-http-proxy (JupyterHub's web proxy, from the npm registry) is not installed. "
    "Run `make hub-setup`. It needs Node.js 18 or newer with npm: on Debian or Ubuntu "
    "`apt-get install nodejs npm`, elsewhere see https://nodejs.org."
)


class HubError(SystemExit):
    """A reason the hub cannot start or end, with what to do (printed without a traceback)."""


def passcode() -> str:
    """A workshop passcode that is easy to read aloud and type on a phone, e.g. ``hm7k-4tpx``.

    >>> p = passcode(); len(p), p[4]
    (9, '-')
    """
    chars = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8)).lower()
    return f"{chars[:4]}-{chars[4:]}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _env_path(name: str):
    from ..core.settings_env import path

    return path(name)


def find_proxy(given: str | None = None) -> str:
    for candidate in (given, str(_env_path("RECONNECT_HUB_PROXY") or ""), str(PROXY_LOCAL)):
        if candidate and Path(candidate).is_file():
            return candidate
    found = shutil.which("configurable-http-proxy")
    if found:
        return found
    raise HubError(NO_NODE)


def unreachable_by_others(path: Path) -> Path | None:
    """The first folder on the way to ``path`` that other accounts cannot pass through, if any.

    Participants' servers run as their own accounts, with this project's Python environment: every
    folder above it must be passable (x) by others, as /opt, /srv and /home/<you> usually are.
    """
    for folder in [*reversed(path.resolve().parents), path.resolve()]:
        if not folder.stat().st_mode & stat.S_IXOTH:
            return folder
    return None


def _check_can_run(env: Path) -> None:
    if os.geteuid() != 0:
        raise HubError(
            "The workshop room must be started as root (`sudo make hub`): every participant gets their own "
            "system account, and only root can create accounts and start servers as them."
        )
    if shutil.which("node") is None and shutil.which("nodejs") is None:
        raise HubError(NO_NODE)
    if shutil.which("useradd") is None:
        raise HubError("`useradd` is missing; install the 'passwd' package (apt-get install passwd).")
    check_env(env)


def check_env(env: Path) -> None:
    """The participants' environment exists and every account can run it (else say what to do)."""
    python = env / "bin" / "python"
    single = env / "bin" / "jupyterhub-singleuser"
    if not (python.exists() and single.exists()):
        raise HubError(f"The participants' Python environment {env} is not set up. Run `make hub-setup`.")
    for path in (single, python.resolve()):
        blocked = unreachable_by_others(path)
        if blocked is not None:
            raise HubError(
                f"Participants' accounts cannot run {path}: {blocked} is closed to other accounts. "
                "Make the environment somewhere every account can read, e.g. "
                "`make hub-setup HUB_ENV=/opt/reconnect-hub/env HUB_PYTHON=/usr/bin/python3`, then start with the same HUB_ENV."
            )


def prepare(hub_dir: Path, args) -> dict:
    """Create the folders, the counselor's account and the secrets; return the settings (also written)."""
    from .spawner import create_account

    state, room = hub_dir / "state", hub_dir / "room"
    hub_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(hub_dir, os.stat(hub_dir).st_mode | 0o011)  # passable (not listable) by participants
    state.mkdir(exist_ok=True)
    os.chmod(state, 0o700)
    room.mkdir(exist_ok=True)
    os.chmod(room, 0o755)
    secrets_file = state / "secrets.json"
    kept = json.loads(secrets_file.read_text()) if secrets_file.is_file() else {}
    keep = {
        "passcode": args.passcode or kept.get("passcode") or passcode(),
        "counselor_passcode": kept.get("counselor_passcode") or secrets.token_urlsafe(9),
        "admin_token": kept.get("admin_token") or secrets.token_hex(32),
    }
    _write_private(secrets_file, keep)
    # the notebooks and item bank every server reads
    nbs = room / "notebooks"
    nbs.mkdir(exist_ok=True)
    os.chmod(nbs, 0o755)
    for nb in sorted((ROOT / "notebooks").glob("*.ipynb")):
        shutil.copyfile(nb, nbs / nb.name)
        os.chmod(nbs / nb.name, 0o644)
    for nb in sorted((ROOT / "notebooks").glob("*/*.ipynb")):  # the translated notebooks (notebooks/es)
        (nbs / nb.parent.name).mkdir(exist_ok=True)
        os.chmod(nbs / nb.parent.name, 0o755)
        shutil.copyfile(nb, nbs / nb.parent.name / nb.name)
        os.chmod(nbs / nb.parent.name / nb.name, 0o644)
    english = item_bank_path("en")
    for bank in [english, *sorted(english.parent.glob("item_bank.*.yaml"))]:  # every language's bank
        shutil.copyfile(bank, room / bank.name)
        os.chmod(room / bank.name, 0o644)
    counselor = create_account(counselor_name(args.prefix), args.homes)
    drop = make_drop_folder(room / "collect")
    os.chown(drop, counselor.pw_uid, counselor.pw_gid)
    os.chmod(drop, 0o1733)
    settings = {
        "ip": args.ip,
        "port": args.port,
        "hub_port": args.hub_port or free_port(),
        "proxy_api_port": args.proxy_api_port or free_port(),
        "state": str(state),
        "room": str(room),
        "homes": str(Path(args.homes).resolve()),
        "prefix": args.prefix,
        "workshop": args.workshop,
        "proxy": find_proxy(args.proxy),
        "python": sys.executable,
        "env": str(Path(args.env).resolve()),
        "cull_idle": args.cull_idle,
        "cull_kernels": args.cull_kernels,
        "memory_mb": args.memory_mb,
        "tls_cert": str(Path(args.tls_cert).resolve()) if args.tls_cert else "",
        "tls_key": str(Path(args.tls_key).resolve()) if args.tls_key else "",
        # the room's language (RECONNECT_LANG when `make hub` starts; English otherwise)
        "language": requested_language(),
        "seats": args.seats if args.seats >= 0 else default_seats(forked=args.fork_servers == "yes"),
        "spare_kernels": args.spare_kernels,
        "fork_servers": args.fork_servers == "yes",
        **keep,
    }
    _write_private(state / "hub.json", settings)
    return settings


def _write_private(path: Path, data: dict) -> None:
    tmp = path.with_name(path.name + ".new")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        json.dump(data, out, indent=2)
    os.replace(tmp, path)


def address(s: dict) -> str:
    scheme = "https" if s.get("tls_cert") else "http"
    host = s["ip"] if s["ip"] not in ("", "0.0.0.0") else socket.gethostname()
    return f"{scheme}://{host}:{s['port']}/"


def banner(s: dict) -> str:
    lines = [
        "",
        "Reconnect workshop room (JupyterHub)",
        f"  Address for participants: {address(s)}",
        f"  Workshop passcode (show it to the room): {s['passcode']}",
        f"  Counselor: participant code 'counselor', passcode {s['counselor_passcode']} (keep it to yourself)",
        f"  Workshop code on every answer: {s['workshop']}",
        (
            f"  Seats: {s['seats']} participants' accounts and servers are being made ready now (about "
            f"{s['seats'] * seat_mb(s.get('fork_servers', True))} MB while they wait, "
            f"{seat_mb(s.get('fork_servers', True))} MB each); the hub's log says when they are. "
            "HUB_SEATS=<n> for another number."
            if s.get("seats")
            else "  Seats: none made ready in advance (HUB_SEATS=0): each participant's server starts when they join."
        ),
        "  Stop: press Ctrl+C here (stopping takes up to half a minute). End the workshop (stop every",
        "        participant's server, keep the answers):",
        "        `make hub-end` in another terminal.",
    ]
    if not _loopback(s["ip"]):
        lines += [
            "",
            f"  WARNING: the room listens on {s['ip'] or 'every network'}, not only this computer. Answers cross the "
            "network"
            + (
                " encrypted (TLS)."
                if s.get("tls_cert")
                else " UNENCRYPTED: set HUB_TLS_CERT and HUB_TLS_KEY (docs/deploy.md)."
            ),
        ]
    return "\n".join(lines) + "\n"


def _loopback(ip: str) -> bool:
    try:
        return ipaddress.ip_address(ip).is_loopback
    except ValueError:
        return ip == "localhost"


def start(args) -> int:
    find_proxy(args.proxy)
    _check_can_run(Path(args.env).resolve())
    s = prepare(Path(args.dir).resolve(), args)
    print(banner(s), flush=True)
    env = dict(os.environ, RECONNECT_HUB_SETTINGS=str(Path(s["state"]) / "hub.json"))
    jupyterhub = str(Path(sys.executable).parent / "jupyterhub")
    os.chdir(s["state"])
    os.execve(jupyterhub, [jupyterhub, "-f", str(CONFIG_FILE), *(["--debug"] if args.debug else [])], env)
    return 0


# -- the end of the workshop -----------------------------------------------------------------------
class Api:
    """The hub's REST API with the ``workshop-admin`` service token from ``state/hub.json``."""

    def __init__(self, settings: dict):
        import requests

        scheme = "https" if settings.get("tls_cert") else "http"
        host = "127.0.0.1" if settings["ip"] in ("", "0.0.0.0") else settings["ip"]
        self.base = f"{scheme}://{host}:{settings['port']}/hub/api"
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"token {settings['admin_token']}"

    def __call__(self, method: str, path: str, **kwargs):
        response = self.session.request(method, self.base + path, timeout=60, **kwargs)
        response.raise_for_status()
        return response.json() if response.content else None


def end(hub_dir: Path, *, remove_accounts: bool = False, wait: float = 120, out=sys.stdout) -> dict:
    """Stop every participant's server; keep the collection folder and the counselor's store.

    With ``remove_accounts`` the participants' hub accounts and system accounts (with their home
    folders and everything in them) are deleted as well: do that only after the retention period
    (docs/deploy.md). Returns what was done: ``{"stopped": [...], "removed": [...]}``.
    """
    from .spawner import RUNTIME_BASE, remove_account

    settings_file = Path(hub_dir).resolve() / "state" / "hub.json"
    if not settings_file.is_file():
        raise HubError(f"There is no workshop room in {hub_dir} (no state/hub.json). Nothing was changed.")
    s = json.loads(settings_file.read_text())
    api = Api(s)
    counselor = counselor_name(s["prefix"])
    try:
        users = all_users(api)
    except Exception as exc:  # noqa: BLE001 - any failure to reach the hub gets the same advice
        raise HubError(f"The hub at {address(s)} does not answer ({exc}). Is it running (`make hub`)?") from None
    participants = [u for u in users if u["name"].startswith(s["prefix"]) and u["name"] != counselor]
    stopped = []
    for u in participants:
        if u.get("server") or u.get("pending"):
            api("DELETE", f"/users/{u['name']}/server")
            stopped.append(u["name"])
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        running = [u["name"] for u in all_users(api) if u["name"] in stopped and (u["server"] or u["pending"])]
        if not running:
            break
        time.sleep(1)
    else:
        raise HubError(f"{len(running)} server(s) did not stop within {wait:.0f} s; run `make hub-end` again.")
    removed = []
    if remove_accounts:
        for u in participants:
            api("DELETE", f"/users/{u['name']}")
            remove_account(u["name"], s.get("runtime") or RUNTIME_BASE)
            removed.append(u["name"])
    print(
        f"Stopped {len(stopped)} participant server(s). The answers handed in are kept in {s['room']}/collect "
        f"and in the counselor's store; the counselor's own server was left running."
        + (f" Removed {len(removed)} participant account(s) with their home folders." if removed else ""),
        file=out,
    )
    return {"stopped": stopped, "removed": removed}


#: What each text setting of ``make hub`` accepts (a value that does not fit: the default, said once).
_ACCEPTS = {
    "HUB_PREFIX": (r"[a-z][a-z0-9_-]{0,15}", "a short account-name prefix: lower-case letters, digits, - or _"),
    "HUB_WORKSHOP": (r"[A-Za-z0-9][A-Za-z0-9 _.\-]{0,39}", "a workshop code: up to 40 letters, digits, spaces, dots, dashes or underscores"),
    "HUB_IP": (r"[0-9A-Za-z.:\-]{1,253}", "an IP address or host name, e.g. 127.0.0.1 or 0.0.0.0"),
    "HUB_FORK": (r"yes|no", "yes (servers and kernels forked from prepared processes) or no (each started alone)"),
}


def _env(name: str, default):
    """A setting from the environment; unset and empty both mean the default (``make`` exports empty ones).

    Whole numbers are checked as such (``HUB_PORT=80a`` is said once and the default used), never a traceback.
    """
    from ..core.settings_env import integer, text

    if isinstance(default, int):
        low, high = (1, 65535) if name == "HUB_PORT" else (0, 10**7)
        return integer(name, default, low=low, high=high)
    pattern, accepts = _ACCEPTS.get(name, (None, ""))
    return text(name, default, pattern=pattern, accepts=accepts)


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    return _parser().parse_args(argv)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m reconnect.hub", description="A Reconnect workshop room on JupyterHub."
    )
    sub = parser.add_subparsers(dest="command", required=True)
    st = sub.add_parser("start", help="start the room (make hub)")
    st.add_argument("--dir", default=str(ROOT / ".hub"), help="the hub folder (state and room)")
    st.add_argument("--env", default=_env("HUB_ENV", str(ROOT / ".hub" / "env")))
    st.add_argument("--ip", default=_env("HUB_IP", "127.0.0.1"))
    st.add_argument("--port", type=int, default=_env("HUB_PORT", 8000))
    st.add_argument("--hub-port", type=int, default=0, help="the hub's internal port (default: a free one)")
    st.add_argument("--proxy-api-port", type=int, default=0)
    st.add_argument("--homes", default=_env("HUB_HOMES", "/home"))
    st.add_argument("--prefix", default=_env("HUB_PREFIX", DEFAULT_PREFIX))
    st.add_argument("--workshop", default=_env("HUB_WORKSHOP", time.strftime("ROOM-%Y-%m-%d")))
    st.add_argument("--passcode", default=_env("HUB_PASSCODE", ""))
    st.add_argument("--proxy", default=None, help="the configurable-http-proxy command")
    st.add_argument("--tls-cert", default=_env("HUB_TLS_CERT", ""))
    st.add_argument("--tls-key", default=_env("HUB_TLS_KEY", ""))
    st.add_argument("--cull-idle", type=int, default=int(_env("HUB_CULL_IDLE", 3600)))
    st.add_argument("--cull-kernels", type=int, default=int(_env("HUB_CULL_KERNELS", 600)))
    st.add_argument("--memory-mb", type=int, default=int(_env("HUB_MEMORY_MB", 2048)))
    st.add_argument(
        "--seats",
        type=int,
        default=int(_env("HUB_SEATS", -1)),
        help="participants' accounts and servers made ready before people arrive (default: 40, fewer when "
        "a third of the free memory cannot hold them; 0: none)",
    )
    st.add_argument(
        "--spare-kernels",
        type=int,
        default=1,
        help="kernels each participant's server keeps started ahead, so their next page needs no start (0: none)",
    )
    st.add_argument(
        "--fork-servers",
        choices=("yes", "no"),
        default=_env("HUB_FORK", "yes"),
        help="start participants' servers from one prepared process, so their shared code is in memory once "
        "(hub/forkserver.py; default yes); no: each server starts alone",
    )
    st.add_argument("--debug", action="store_true")
    en = sub.add_parser("end", help="end the workshop: stop every participant's server (make hub-end)")
    en.add_argument("--dir", default=str(ROOT / ".hub"))
    en.add_argument(
        "--remove-accounts",
        action="store_true",
        help="also delete the participants' accounts and home folders (after the retention period)",
    )
    status = sub.add_parser("status", help="who joined, and who is stuck (make hub-status)")
    status.add_argument("--dir", default=str(ROOT / ".hub"))
    status.add_argument(
        "--after",
        type=float,
        default=float(_env("HUB_STUCK", 60)),
        help="seconds after joining without a working page before someone counts as stuck (default 60)",
    )
    return parser
