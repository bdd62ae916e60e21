"""The room's ``seats`` service (a process JupyterHub starts: ``python -m reconnect.hub.seats_service``).

It prepares the seats (:mod:`reconnect.hub.seats`) once the hub answers, keeps them from being culled,
and writes the room's status for the counselor's 07 every 15 s (:mod:`reconnect.hub.room_status`). The wiring
lives here, apart from the seats themselves, so that the login (:mod:`reconnect.hub.auth`) and the room
can read the seats without importing the service's settings and status.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from ..core.settings_env import raw
from .config import load_settings
from .room_status import room_status, write_status_for_counselor
from .seats import hub_api, keep_warm, prepare_seats


def main() -> int:
    """The ``seats`` service: prepare the room's seats, then keep them from being culled."""
    s = load_settings()
    count = int(s.get("seats", 0))
    api = hub_api(raw("JUPYTERHUB_API_URL"), raw("JUPYTERHUB_API_TOKEN"))  # set by JupyterHub for its service
    for _ in range(60):  # the hub answers its services a moment after it starts them
        try:
            api("GET", "/")
            break
        except Exception:  # noqa: BLE001
            time.sleep(1)
    state = Path(s["state"])
    if count > 0:
        prepare_seats(api, state, count, s.get("prefix", "rc-"), log=lambda m: print(m, file=sys.stderr, flush=True))
    last_warm = time.monotonic()
    while True:
        time.sleep(15)
        _report_status(s)
        if time.monotonic() - last_warm > 300:
            keep_warm(api, state)
            last_warm = time.monotonic()


def _report_status(s: dict) -> None:
    """The room's status for the counselor's 07 (who is stuck); a failure only leaves the last one."""
    try:
        write_status_for_counselor(s, room_status(None, settings=s, after=float(s.get("stuck_after", 60))))
    except Exception as exc:  # noqa: BLE001 - the status is a help, never a reason for the service to stop
        print(f"Reconnect seats: the room's status could not be written ({exc})", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
