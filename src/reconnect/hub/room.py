"""``make hub`` and ``make hub-end``: one workshop room's folders, secrets, start and end.

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
from .seats import SEAT_MB, all_users, default_seats

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
        "seats": args.seats if args.seats >= 0 else default_seats(),
        "spare_kernels": args.spare_kernels,
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
            f"{s['seats'] * SEAT_MB} MB while they wait, {SEAT_MB} MB each); the hub's log says when they are. "
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
}


# -- who is stuck -------------------------------------------------------------------------------------
def _seconds_since(iso: str | None, now: float) -> float | None:
    from datetime import datetime

    if not iso:
        return None
    try:
        return now - datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def stuck_reason(joined_ago: float | None, server: dict | None, pending: str | None, kernels, after: float) -> str:
    """Why a participant who joined ``joined_ago`` seconds ago is stuck, or ``""`` when they are not.

    ``kernels`` is the server's kernel list (``None`` when it could not be asked). A page in app mode
    has a kernel while it is open; a joined participant with none after ``after`` seconds, or with
    only kernels that died or never got past starting, is waiting on a page that will not come.

    >>> stuck_reason(90, {"ready": True}, None, [], after=60)
    'no page has a kernel (00 never loaded): ask them to reload the page'
    >>> stuck_reason(90, {"ready": True}, None, [{"execution_state": "idle"}], after=60)
    ''
    >>> stuck_reason(30, None, "spawn", None, after=60)
    ''
    """
    if joined_ago is None or joined_ago < after:
        return ""
    if pending == "spawn" or (server is not None and not server.get("ready", True)):
        return "their server is still starting: ask them to wait a moment, then reload"
    if server is None:
        return "their server is not running: ask them to reload the page (it starts again)"
    if kernels is None:
        return "their server does not answer: ask them to reload the page"
    states = [k.get("execution_state") for k in kernels]
    if not states:
        return "no page has a kernel (00 never loaded): ask them to reload the page"
    if all(state in ("dead", "starting", "unknown", None) for state in states):
        return "the page's kernel died or never answered: ask them to reload the page"
    return ""


def room_status(hub_dir: Path | None, *, after: float = 60.0, settings: dict | None = None) -> dict:
    """The room as the counselor sees it: seats ready, who joined, and who is stuck (with what to do).

    Returns ``{"seats_free": n, "joined": n, "stuck": [{"code", "joined_seconds", "reason"}], "after": s}``.
    """
    from . import code_for
    from .seats import claim_times, claimed_names, seat_names

    if settings is None:
        settings_file = Path(hub_dir).resolve() / "state" / "hub.json"
        if not settings_file.is_file():
            raise HubError(f"There is no workshop room in {hub_dir} (no state/hub.json).")
        settings = json.loads(settings_file.read_text())
    s = settings
    state = Path(s["state"])
    api = Api(s)
    try:
        users = all_users(api)
    except Exception as exc:  # noqa: BLE001 - any failure to reach the hub gets the same advice
        raise HubError(f"The hub at {address(s)} does not answer ({exc}). Is it running (`make hub`)?") from None
    seats, claimed, times = set(seat_names(state)), set(claimed_names(state)), claim_times(state)
    now = time.time()
    joined, stuck = 0, []
    for u in users:
        code = code_for(u["name"], s["prefix"])
        if code is None or (u["name"] in seats and u["name"] not in claimed):
            continue  # the counselor, and seats nobody has taken yet
        joined += 1
        since = now - times[u["name"]] if u["name"] in times else _seconds_since(u.get("created"), now)
        server = (u.get("servers") or {}).get("")
        kernels = None
        if server and server.get("ready"):
            try:
                r = api.session.get(f"{api.base.rsplit('/hub/api', 1)[0]}/user/{u['name']}/api/kernels", timeout=10)
                kernels = r.json() if r.status_code == 200 else None
            except Exception:  # noqa: BLE001 - a server that does not answer is itself the finding
                kernels = None
        reason = stuck_reason(since, server, u.get("pending"), kernels, after)
        if reason:
            stuck.append({"code": code, "joined_seconds": round(since or 0), "reason": reason})
    return {"seats_free": len(seats - claimed), "joined": joined, "stuck": stuck, "after": after}


STATUS_FOLDER = "status"  # in the room folder: root's, group = the counselor's, 0750
STATUS_FILE = "room.json"


def write_status_for_counselor(s: dict, status: dict) -> Path:
    """Put the room's status where the counselor's 07 reads it, and nobody else can.

    ``<room>/status/room.json``: the folder is root's with the counselor's group (0750), the file 0640;
    participants are not in that group, so they cannot read who is stuck. Written with a new name and
    renamed over the old one (readers never see half a file).
    """
    import grp  # noqa: F401 - Unix only, as the hub is
    import pwd

    counselor = pwd.getpwnam(counselor_name(s["prefix"]))
    folder = Path(s["room"]) / STATUS_FOLDER
    folder.mkdir(exist_ok=True)
    os.chown(folder, 0, counselor.pw_gid)
    os.chmod(folder, 0o750)
    target = folder / STATUS_FILE
    tmp = folder / f".{STATUS_FILE}.new"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW, 0o640)
    with os.fdopen(fd, "w") as out:
        json.dump({**status, "written": time.time()}, out)
    os.chown(tmp, 0, counselor.pw_gid)
    os.chmod(tmp, 0o640)
    os.replace(tmp, target)
    return target


def print_status(status: dict, after: float, out=sys.stdout) -> None:
    print(
        f"{status['joined']} participant(s) joined; {status['seats_free']} seat(s) still ready for people to come.",
        file=out,
    )
    if not status["stuck"]:
        print(
            f"Nobody is stuck (everyone who joined over {after:.0f} s ago has a page with a working kernel).", file=out
        )
        return
    print(f"Stuck ({len(status['stuck'])}):", file=out)
    for row in status["stuck"]:
        print(f"  {row['code']}  joined {row['joined_seconds']} s ago: {row['reason']}", file=out)


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


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    try:
        if args.command == "start":
            return start(args)
        if args.command == "status":
            print_status(room_status(Path(args.dir), after=args.after), args.after)
            return 0
        end(Path(args.dir), remove_accounts=args.remove_accounts)
        return 0
    except HubError as exc:
        print(f"reconnect hub: {exc.code}", file=sys.stderr)
        return 2


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
