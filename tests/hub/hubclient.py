"""Drive a Reconnect workshop room from Python, as participants and the counselor would.

Used by the hub tests (``tests/hub``) and by ``make bench`` (the 40-participant room). Everything
goes through the hub's front door: its login form, its REST API and each participant's own
single-user server API (a kernel over a WebSocket), never around them.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
PAGE_00 = "/voila/render/notebooks/00_start_here.ipynb"
TEST_SPARES = 2  # kernels each server starts ahead (make hub: 1): 00 takes one, a test the other
TEST_SEATS = 3  # the tests' room: fewer seats than its first group of joiners, so seated and cold joins both happen


@dataclass
class Room:
    """A running hub started by :func:`start_room` over a temporary folder."""

    base: str
    dir: Path
    homes: Path
    prefix: str
    settings: dict
    process: subprocess.Popen
    log: Path

    @property
    def passcode(self) -> str:
        return self.settings["passcode"]

    def api(self, method: str, path: str, **kwargs):
        headers = {"Authorization": f"token {self.settings['admin_token']}"}
        r = requests.request(method, f"{self.base}/hub/api{path}", headers=headers, timeout=60, **kwargs)
        r.raise_for_status()
        return r.json() if r.content else None

    def users(self) -> dict[str, dict]:
        return {u["name"]: u for u in self.api("GET", "/users")}

    def stop(self) -> None:
        """Stop the hub and everything it started (its process group), then wait for it."""
        if self.process.poll() is None:
            self.process.terminate()  # the hub stops the participants' servers and its proxy itself
            try:
                self.process.wait(timeout=45)
            except subprocess.TimeoutExpired:
                pass
        try:
            os.killpg(self.process.pid, signal.SIGKILL)  # the proxy and services, if still there
        except (ProcessLookupError, PermissionError):
            pass
        self.process.wait(timeout=10)
        _kill_accounts(self.prefix)

    def remove_accounts(self) -> None:
        """Delete every system account with this room's prefix, with its home folder."""
        _kill_accounts(self.prefix)
        import shutil

        from reconnect.hub.spawner import RUNTIME_BASE

        for name in accounts(self.prefix):
            subprocess.run(["userdel", "--remove", name], capture_output=True)
        for folder in Path(RUNTIME_BASE).glob(f"{self.prefix}*"):  # the accounts' kernel runtime folders
            shutil.rmtree(folder, ignore_errors=True)


def accounts(prefix: str) -> list[str]:
    import pwd

    return sorted(p.pw_name for p in pwd.getpwall() if p.pw_name.startswith(prefix))


def _kill_accounts(prefix: str) -> None:
    """Participant servers run in their own sessions: end any left by a hub that died (by account)."""
    import pwd

    uids = {pwd.getpwnam(n).pw_uid for n in accounts(prefix)}
    if not uids:
        return
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if proc.stat().st_uid in uids:
                    os.kill(int(proc.name), signal.SIGKILL)
            except (OSError, ProcessLookupError):
                pass


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def hub_env_dir() -> Path:
    return Path(os.environ.get("HUB_ENV") or ROOT / ".hub" / "env").absolute()


def start_room(workdir: Path, *, prefix: str, passcode: str = "", timeout: float = 90, **options) -> Room:
    """Start ``python -m reconnect.hub start`` on a free loopback port over ``workdir``; wait until ready."""
    workdir.mkdir(parents=True, exist_ok=True)
    os.chmod(workdir, 0o755)  # participants' accounts pass through to their home folders
    port = free_port()
    log = workdir / "hub.log"
    cmd = [
        sys.executable,
        "-m",
        "reconnect.hub",
        "start",
        "--dir",
        str(workdir / "hub"),
        "--env",
        str(hub_env_dir()),
        "--ip",
        "127.0.0.1",
        "--port",
        str(port),
        "--homes",
        str(workdir / "homes"),
        "--prefix",
        prefix,
        "--workshop",
        options.pop("workshop", "HUBTEST"),
    ]
    if passcode:
        cmd += ["--passcode", passcode]
    for key, value in options.items():
        cmd += [f"--{key.replace('_', '-')}", str(value)]
    with open(log, "wb") as out:
        process = subprocess.Popen(
            cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True, cwd=ROOT
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        try:
            if requests.get(f"{base}/hub/api", timeout=2).status_code == 200:
                settings = json.loads((workdir / "hub" / "state" / "hub.json").read_text())
                return Room(base, workdir, workdir / "homes", prefix, settings, process, log)
        except requests.RequestException:
            pass
        time.sleep(0.5)
    tail = log.read_text(errors="replace")[-3000:]
    room = Room(base, workdir, workdir / "homes", prefix, {}, process, log)
    room.stop()
    raise RuntimeError(f"the hub did not start within {timeout:.0f} s; its log ends with:\n{tail}")


def wait_for_seats(room: Room, count: int, timeout: float = 300) -> list[str]:
    """Wait until the room's ``count`` seats (made by its ``seats`` service) have running servers."""
    from reconnect.hub.seats import seat_names

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        names = seat_names(room.dir / "hub" / "state")
        if len(names) >= count:
            users = room.users()
            if all(users.get(n, {}).get("server") and not users[n].get("pending") for n in names):
                return names
        time.sleep(1)
    raise TimeoutError(f"the room's {count} seats did not start within {timeout:.0f} s")


# -- participants ---------------------------------------------------------------------------------
@dataclass
class Participant:
    name: str
    session: requests.Session
    page_seconds: float  # from pressing Sign in until the 00 page has arrived
    page: str = field(repr=False, default="")
    token: str = ""

    @property
    def code(self) -> str:
        return self.name.split("-", 1)[1].upper() if "-" in self.name else self.name


def login(base: str, passcode: str, code: str = "") -> requests.Response:
    """Fill in the hub's login form (participant code, passcode) and press Sign in (no redirects)."""
    s = requests.Session()
    s.get(f"{base}/hub/login", timeout=60)
    r = s.post(
        f"{base}/hub/login",
        data={"username": code, "password": passcode, "_xsrf": s.cookies.get("_xsrf", "")},
        allow_redirects=False,
        timeout=120,
    )
    r.session = s
    return r


def join(base: str, passcode: str, code: str = "", *, timeout: float = 180) -> Participant:
    """Sign in and follow the hub until the participant's 00 page (Voilà) has been rendered."""
    started = time.monotonic()
    r = login(base, passcode, code)
    s = r.session
    if r.status_code != 302:
        raise PermissionError(f"the hub refused the login ({r.status_code})")
    url = requests.compat.urljoin(base, r.headers["Location"])
    deadline = started + timeout
    while True:
        r = s.get(url, timeout=max(5, deadline - time.monotonic()))
        if "/voila/render/" in r.url and r.status_code == 200:
            break
        if time.monotonic() > deadline:
            raise TimeoutError(f"no 00 page after {timeout:.0f} s (last: {r.status_code} {r.url})")
        url = r.url
        time.sleep(0.5)
    name = r.url.split("/user/", 1)[1].split("/", 1)[0]
    return Participant(name, s, time.monotonic() - started, r.text)


def user_token(room: Room, name: str) -> str:
    """A token for ``name`` (issued through the admin service), carrying that person's own rights only."""
    return room.api("POST", f"/users/{name}/tokens", json={"note": "reconnect hub test", "expires_in": 3600})["token"]


def run_in_kernel(base: str, name: str, token: str, code: str, *, timeout: float = 120) -> str:
    """Start a kernel in ``name``'s server (as that participant), run ``code``, return what it printed."""
    import websocket

    headers = {"Authorization": f"token {token}"}
    api = f"{base}/user/{name}/api"
    r = requests.post(f"{api}/kernels", json={"name": "python3", "path": "notebooks"}, headers=headers, timeout=60)
    r.raise_for_status()
    kernel = r.json()["id"]
    try:
        ws = websocket.create_connection(
            f"{api.replace('http', 'ws', 1)}/kernels/{kernel}/channels",
            header=[f"Authorization: token {token}"],
            timeout=timeout,
        )
        try:
            msg_id = uuid.uuid4().hex
            ws.send(
                json.dumps(
                    {
                        "header": {
                            "msg_id": msg_id,
                            "username": name,
                            "session": uuid.uuid4().hex,
                            "msg_type": "execute_request",
                            "version": "5.3",
                        },
                        "parent_header": {},
                        "metadata": {},
                        "content": {"code": code, "silent": False, "store_history": False},
                        "channel": "shell",
                    }
                )
            )
            out, error = [], None
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                msg = json.loads(ws.recv())
                if msg.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind = msg["header"]["msg_type"]
                if kind == "stream":
                    out.append(msg["content"]["text"])
                elif kind == "error":
                    error = f"{msg['content']['ename']}: {msg['content']['evalue']}"
                elif kind == "status" and msg["content"]["execution_state"] == "idle":
                    break
            else:
                raise TimeoutError(f"the kernel of {name} did not finish within {timeout:.0f} s")
        finally:
            ws.close()
    finally:
        requests.delete(f"{api}/kernels/{kernel}", headers=headers, timeout=60)
    if error:
        raise RuntimeError(f"the code failed in {name}'s kernel: {error}")
    return "".join(out)


def save_code(area: str, seed: int) -> str:
    """Kernel code: open the area's rating form, choose answers, press Save; print what happened as JSON."""
    return f"""
import json
from reconnect.ui.area import RatingForm
form = RatingForm({area!r})
for n, box in enumerate(form.questions.values()):
    values = [v for _label, v in box.options]
    box.value = values[({seed} + n) % len(values)]
form.save_button.click()
print(json.dumps({{"saved": form.saved_at is not None, "ratings": form.ratings, "message": form.message.value}}))
"""


def saved_code(area: str) -> str:
    """Kernel code: what a fresh rating form shows as saved answers (JSON)."""
    return f"""
import json
from reconnect.ui.area import RatingForm
form = RatingForm({area!r})
print(json.dumps({{"code": form.settings.code if form.settings else None, "ratings": form.saved_ratings}}))
"""
