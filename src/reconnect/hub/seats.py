"""Seats made ready before people arrive: accounts and servers started at ``make hub``.

(The same service also writes the room's status for the counselor every 15 s: who is stuck,
:func:`.room_status.write_status_for_counselor`.)

A join with the passcode alone used to pay, while the person waited, for a system account, a home
folder and a single-user server (about 3 CPU-seconds each; 40 people in a minute queue behind each
other on 2 cores). A *seat* is all of that done beforehand: the ``seats`` service (started by the
hub, :func:`main`) makes ``HUB_SEATS`` participant accounts with fresh random codes through the
hub's REST API and starts their servers, one or two at a time, while the room is still empty. A
seat's server has run nothing but its own start: no page has been opened in it, no kernel started.

At the passcode join the login (:class:`.auth.WorkshopAuthenticator`) *claims* a seat whose server
is running: the claim is written down (``seats-claimed.json``) before the login returns, in one
step of the hub's event loop, so two joins never get the same seat, and a seat once claimed is never
handed out again (also after a restart of the hub). A seat nobody has claimed cannot be entered
with its code. When every seat is taken, joins make a fresh account as before.

Two files in the hub's state folder (root's, 0700), each written by one writer only:

``seats.json``
    ``{"seats": [names]}``: every seat the service made, written *before* the account is created,
    so a half-made seat is already known as a seat. Written by the service.
``seats-claimed.json``
    ``{"claimed": [names]}``: every seat handed to a participant. Written by the login only.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

SEATS_FILE = "seats.json"
CLAIMED_FILE = "seats-claimed.json"
#: What a waiting seat costs (its server and its kernel started ahead, PSS; `make bench room`): with the
#: servers forked from the room's fork server (``HUB_FORK``, the default), and started alone.
SEAT_MB = 70
SEAT_ALONE_MB = 130


def seat_mb(forked: bool = True) -> int:
    """What one waiting seat costs in memory (MB, PSS), with servers forked or started alone.

    >>> seat_mb(), seat_mb(False)
    (70, 130)
    """
    return SEAT_MB if forked else SEAT_ALONE_MB


def _read(path: Path, key: str) -> list[str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    names = data.get(key, []) if isinstance(data, dict) else []
    return [n for n in names if isinstance(n, str)]


def _write(path: Path, key: str, names: list[str], **more) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.new")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump({key: names, **more}, out, indent=1)
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, path)


def seat_names(state: str | Path) -> list[str]:
    """Every seat the service made for this room, in the order it made them."""
    return _read(Path(state) / SEATS_FILE, "seats")


def claimed_names(state: str | Path) -> list[str]:
    """Every seat already handed to a participant."""
    return _read(Path(state) / CLAIMED_FILE, "claimed")


def claim_times(state: str | Path) -> dict[str, float]:
    """When each seat was claimed (seconds since the epoch): the counselor's view of who is stuck."""
    try:
        times = json.loads((Path(state) / CLAIMED_FILE).read_text(encoding="utf-8")).get("times", {})
    except (OSError, ValueError, AttributeError):
        return {}
    return {k: float(v) for k, v in times.items() if isinstance(k, str) and isinstance(v, (int, float))}


class SeatRegistry:
    """The login's side: which seats are free, and claiming one (never the same one twice).

    >>> import tempfile
    >>> state = Path(tempfile.mkdtemp())
    >>> _write(state / SEATS_FILE, "seats", ["rc-aaa-aaa", "rc-bbb-bbb"])
    >>> seats = SeatRegistry(state)
    >>> seats.claim(lambda name: True), seats.claim(lambda name: True), seats.claim(lambda name: True)
    ('rc-aaa-aaa', 'rc-bbb-bbb', None)
    >>> SeatRegistry(state).claim(lambda name: True) is None  # a claim outlives the hub
    True
    """

    def __init__(self, state: str | Path):
        self.state = Path(state)
        self._claimed = set(claimed_names(self.state))
        self._times = claim_times(self.state)

    def unclaimed(self) -> list[str]:
        return [n for n in seat_names(self.state) if n not in self._claimed]

    def is_unclaimed_seat(self, name: str) -> bool:
        """A seat nobody has been given yet: its code opens nothing."""
        return name not in self._claimed and name in seat_names(self.state)

    def claim(self, ready) -> str | None:
        """Hand out a free seat whose server is running (``ready(name)``), else a free one still starting.

        Synchronous on purpose: the choice and the record happen with no ``await`` between them, so
        two logins in the hub's event loop can never pick the same seat. The record is on disk (fsync)
        before the name is returned.
        """
        free = self.unclaimed()
        if not free:
            return None
        ready_now = [n for n in free if ready(n)]
        name = (ready_now or free)[0]
        self._claimed.add(name)
        self._times[name] = time.time()
        _write(self.state / CLAIMED_FILE, "claimed", sorted(self._claimed), times=self._times)
        return name


def default_seats(available_bytes: int | None = None, *, forked: bool = True) -> int:
    """How many seats ``make hub`` prepares when ``HUB_SEATS`` is not given: 40, or fewer when a third
    of the free memory cannot hold them (:func:`seat_mb` each).

    >>> default_seats(64 * 1024**3), default_seats(1 * 1024**3), default_seats(1 * 1024**3, forked=False)
    (40, 4, 2)
    """
    if available_bytes is None:
        available_bytes = _available_memory()
    return max(0, min(40, int(available_bytes / 3 // (seat_mb(forked) * 1024**2))))


def _available_memory() -> int:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 8 * 1024**3


# -- the service ---------------------------------------------------------------------------------------
def pss_bytes(pids) -> int:
    """Proportional set size of the processes (shared pages split between sharers), from /proc."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1]) * 1024
                        break
        except OSError:
            continue
    return total


def _pss(uids: set[int]) -> int:
    """The proportional set size of every process of these accounts."""

    def owned(proc: Path) -> bool:
        try:
            return proc.stat().st_uid in uids
        except OSError:
            return False

    return pss_bytes(p.name for p in Path("/proc").iterdir() if p.name.isdigit() and owned(p))


def prepare_seats(api, state: Path, count: int, prefix: str, *, parallel: int = 2, log=print) -> list[str]:
    """Make ``count`` seats in all (accounts + running servers); return the names of those made.

    ``api(method, path, **kw)`` is the hub's REST API with the service's token. Seats already made
    (an earlier start of the same room) are counted; their servers are started again if unclaimed.
    """
    from concurrent.futures import ThreadPoolExecutor

    from ..records.codes import new_participant_code
    from . import system_user_exists, username_for

    names = seat_names(state)
    claimed = set(claimed_names(state))
    existing = {u["name"] for u in all_users(api)}
    while len(names) < count:
        name = username_for(new_participant_code(), prefix)
        if name in existing or name in names or system_user_exists(name):
            continue
        names.append(name)
    _write(state / SEATS_FILE, "seats", names)  # known as seats before any account exists
    todo = [n for n in names if n not in claimed]
    started = time.monotonic()

    def start(name: str) -> str:
        if name not in existing:
            api("POST", f"/users/{name}", ok=(201, 409))
        api("POST", f"/users/{name}/server", ok=(201, 202, 400))  # 400: already running
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            user = api("GET", f"/users/{name}")
            if user.get("server") and not user.get("pending"):
                return name
            time.sleep(1)
        raise TimeoutError(f"the seat {name} did not start within 10 minutes")

    done = 0
    with ThreadPoolExecutor(max(1, parallel)) as pool:
        for future in [pool.submit(start, n) for n in todo]:
            try:
                future.result()
                done += 1
            except Exception as exc:  # noqa: BLE001 - a seat that fails leaves the room working (cold joins)
                log(f"Reconnect seats: a seat did not start ({exc}); joins beyond the ready seats start cold")
    import pwd

    uids = set()
    for n in todo:
        try:
            uids.add(pwd.getpwnam(n).pw_uid)
        except KeyError:
            pass
    mb = _pss(uids) / 1024**2
    log(
        f"Reconnect seats: {done} of {len(todo)} seats ready in {time.monotonic() - started:.0f} s; waiting, they take "
        f"{mb:.0f} MB ({mb / max(1, done):.0f} MB each, PSS). The room can open."
    )
    return todo


def keep_warm(api, state: Path) -> None:
    """Tell the hub that unclaimed seats are in use, so the idle culler leaves them running."""
    from datetime import datetime, timezone

    now = datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")
    claimed = set(claimed_names(state))
    for name in seat_names(state):
        if name not in claimed:
            try:
                api("POST", f"/users/{name}/activity", json={"last_activity": now}, ok=(200, 204, 404))
            except Exception:  # noqa: BLE001, S110 - a failed activity note only risks a culled seat (cold join)
                pass


def all_users(api) -> list[dict]:
    """Every hub user: the API gives at most one page (50 by default) per request."""
    users: list[dict] = []
    while True:
        page = api("GET", f"/users?offset={len(users)}&limit=200")
        users.extend(page)
        if len(page) < 200:
            return users


def hub_api(url: str, token: str):
    """A small REST client: ``api(method, path, ok=(codes), **kw)`` -> JSON or None."""
    import requests

    session = requests.Session()
    session.headers["Authorization"] = f"token {token}"

    def api(method: str, path: str, ok=(200, 201, 204), **kwargs):
        r = session.request(method, url.rstrip("/") + path, timeout=60, **kwargs)
        if r.status_code not in ok:
            raise RuntimeError(f"{method} {path}: {r.status_code} {r.text[:200]}")
        try:
            return r.json() if r.content else None
        except ValueError:
            return None

    return api
