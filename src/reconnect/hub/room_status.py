"""``make hub-status``: who joined the workshop room, and who is stuck (with what to do).

The same report is written every 15 s for the counselor's 07 (:func:`write_status_for_counselor`, run by
:mod:`.seats_service`). It asks the hub's REST API with the room's admin token (:class:`.room.Api`).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from . import counselor_name
from .room import Api, HubError, address
from .seats import all_users


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
