"""The workshop passcode login (a JupyterHub Authenticator): no names, no e-mail addresses.

The login form asks for two things (``templates/login.html``):

* the workshop passcode the counselor shows on the screen (the form's password field), and
* the participant code, left empty the first time (the form's username field).

Passcode alone: a seat made ready before the room opened (:mod:`.seats`), claimed for this person
alone; when every seat is taken, a fresh participant code and a new account. Passcode and a known code: the same
account again, with its answers. ``counselor`` and the counselor's own passcode: the hub's admin.
Every refused attempt counts against the address it came from; after ``max_failures`` in
``failure_window`` seconds that address is refused outright until the window has passed. The log
says which address was refused and why, never what was typed.
"""

from __future__ import annotations

import hmac
import time
from collections import defaultdict, deque
from pathlib import Path

from jupyterhub.auth import Authenticator
from traitlets import Float, Integer, Unicode

from ..core.errors import InputError
from ..records.codes import new_participant_code, normalise_participant_code
from . import COUNSELOR, DEFAULT_PREFIX, counselor_name, system_user_exists, username_for
from .seats import SeatRegistry

TEMPLATES = Path(__file__).resolve().parent / "templates"


def same_secret(typed: str, secret: str) -> bool:
    """Compare in constant time; an empty secret never matches.

    >>> same_secret("abc", "abc"), same_secret("abd", "abc"), same_secret("", "")
    (True, False, False)
    """
    return bool(secret) and hmac.compare_digest(typed.encode(), secret.encode())


class FailureLimiter:
    """At most ``limit`` refused attempts per address in ``window`` seconds; then refuse everything.

    >>> f = FailureLimiter(limit=2, window=60)
    >>> f.blocked("10.0.0.5", now=0), f.record("10.0.0.5", now=1), f.record("10.0.0.5", now=2)
    (False, 1, 2)
    >>> f.blocked("10.0.0.5", now=3), f.blocked("10.0.0.6", now=3), f.blocked("10.0.0.5", now=62.5)
    (True, False, False)
    """

    def __init__(self, *, limit: int, window: float):
        self.limit, self.window = limit, window
        self._seen: dict[str, deque] = defaultdict(deque)

    def _trim(self, address: str, now: float) -> deque:
        times = self._seen[address]
        while times and times[0] <= now - self.window:
            times.popleft()
        return times

    def blocked(self, address: str, now: float | None = None) -> bool:
        return len(self._trim(address, time.monotonic() if now is None else now)) >= self.limit

    def record(self, address: str, now: float | None = None) -> int:
        now = time.monotonic() if now is None else now
        times = self._trim(address, now)
        times.append(now)
        return len(times)


class WorkshopAuthenticator(Authenticator):
    """Join with the workshop passcode; come back with the passcode and the participant code."""

    passcode = Unicode("", config=True, help="The workshop passcode the counselor shows to the room.")
    counselor_passcode = Unicode("", config=True, help="The counselor's own passcode (never shown to the room).")
    user_prefix = Unicode(DEFAULT_PREFIX, config=True, help="Account names are this prefix + the participant code.")
    max_failures = Integer(10, config=True, help="Refused attempts per address before it is refused outright.")
    failure_window = Float(60.0, config=True, help="Seconds over which refused attempts are counted.")
    seats_dir = Unicode(
        "", config=True, help="The hub's state folder holding the seats files (reconnect.hub.seats); empty: no seats."
    )

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.limiter = FailureLimiter(limit=self.max_failures, window=self.failure_window)
        self.seats = SeatRegistry(self.seats_dir) if self.seats_dir else None

    def _refuse(self, handler, why: str, data: dict | None = None) -> None:
        if data is not None:
            data["username"] = ""  # JupyterHub logs the typed name of a failed login: keep the code out of it
        address = handler.request.remote_ip if handler is not None else "?"
        count = self.limiter.record(address)
        self.log.warning(
            "Reconnect: refused a login from %s: %s (%d refused in the last %.0f s)",
            address,
            why,
            count,
            self.failure_window,
        )

    async def authenticate(self, handler, data):
        address = handler.request.remote_ip if handler is not None else "?"
        if self.limiter.blocked(address):
            data["username"] = ""
            self.log.warning("Reconnect: refused a login from %s: too many refused attempts, waiting", address)
            return None
        typed_code = (data.get("username") or "").strip()
        typed_pass = data.get("password") or ""
        if typed_code.lower() == COUNSELOR:
            if same_secret(typed_pass, self.counselor_passcode):
                return {"name": counselor_name(self.user_prefix), "admin": True}
            self._refuse(handler, "wrong counselor passcode", data)
            return None
        if not same_secret(typed_pass, self.passcode):
            self._refuse(handler, "wrong workshop passcode", data)
            return None
        if not typed_code:
            seat = self._claim_seat(handler)
            return {"name": seat if seat else await self._fresh_name(handler)}
        try:
            code = normalise_participant_code(typed_code)
        except InputError:
            self._refuse(handler, "the participant code is not written like a code", data)
            return None
        name = username_for(code, self.user_prefix)
        unclaimed_seat = self.seats is not None and self.seats.is_unclaimed_seat(name)
        if handler is None or handler.find_user(name) is None or unclaimed_seat:
            self._refuse(handler, "no participant has that code in this workshop", data)
            return None
        return {"name": name}

    def _claim_seat(self, handler) -> str | None:
        """A ready seat for this person alone (no ``await`` between choosing and recording it)."""
        if self.seats is None or handler is None:
            return None

        def ready(name: str) -> bool:
            user = handler.find_user(name)
            spawner = getattr(user, "spawner", None) if user is not None else None
            return bool(spawner is not None and spawner.ready)

        name = self.seats.claim(ready)
        if name is not None:
            self.log.info("Reconnect: a participant took a seat made ready in advance")
        return name

    async def _fresh_name(self, handler) -> str:
        while True:
            name = username_for(new_participant_code(), self.user_prefix)
            if (handler is None or handler.find_user(name) is None) and not system_user_exists(name):
                return name

    def check_allowed(self, username, authentication=None):
        return username.startswith(self.user_prefix)

    def get_custom_html(self, base_url):
        return ""

