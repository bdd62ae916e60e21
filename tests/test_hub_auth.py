"""The workshop passcode login (reconnect.hub.auth) without a running hub: who gets in, as whom."""

from __future__ import annotations

import asyncio
import logging
from concurrent.futures import ThreadPoolExecutor

import pytest

pytest.importorskip("jupyterhub", reason="the hub extra is not installed (pip install -e '.[hub]')")

from reconnect.hub import code_for, counselor_name, username_for  # noqa: E402
from reconnect.hub.auth import WorkshopAuthenticator  # noqa: E402
from reconnect.records.codes import is_participant_code  # noqa: E402


class _Request:
    def __init__(self, ip):
        self.remote_ip = ip


class FakeHandler:
    """What the authenticator uses of JupyterHub's login handler: the address and the user table."""

    def __init__(self, known=(), ip="10.0.0.5"):
        self.known = set(known)
        self.request = _Request(ip)

    def find_user(self, name):
        return object() if name in self.known else None


@pytest.fixture
def auth():
    a = WorkshopAuthenticator(passcode="hm7k-4tpx", counselor_passcode="secret-c", max_failures=3)
    records = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record.getMessage())

    a.log = logging.getLogger("test-hub-auth")
    a.log.addHandler(Keep())
    a.records = records
    return a


def login(auth, handler, code, passcode):
    """Run the login as the hub would; in a thread of its own, because a session-wide Playwright (the
    browser tests) keeps an event loop running in the main thread."""
    data = {"username": code, "password": passcode}
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, auth.authenticate(handler, data)).result(), data


def test_passcode_alone_gives_a_fresh_participant_account(auth):
    names = {login(auth, FakeHandler(), "", "hm7k-4tpx")[0]["name"] for _ in range(20)}
    assert len(names) == 20
    for name in names:
        assert name.startswith("rc-") and is_participant_code(code_for(name))


def test_passcode_and_a_known_code_give_the_same_account_back(auth):
    name = username_for("KM7-4TX")
    handler = FakeHandler(known={name})
    for typed in ("KM7-4TX", " km7 4tx ", "km74tx"):
        assert login(auth, handler, typed, "hm7k-4tpx")[0] == {"name": name}


def test_unknown_code_and_wrong_passcode_are_refused_and_logged_without_what_was_typed(auth):
    handler = FakeHandler(known={username_for("KM7-4TX")})
    result, data = login(auth, handler, "KM7-4TA", "hm7k-4tpx")
    assert result is None and data["username"] == ""  # JupyterHub's own log line cannot show it
    result, _ = login(auth, handler, "KM7-4TX", "hm7k-4tpX")
    assert result is None
    assert any("wrong workshop passcode" in r for r in auth.records)
    assert not any("KM7" in r or "hm7k" in r or "4tpX" in r for r in auth.records)
    assert all("10.0.0.5" in r for r in auth.records)


def test_too_many_refusals_block_the_address_but_not_others(auth):
    bad = FakeHandler()
    for _ in range(3):
        assert login(auth, bad, "", "wrong")[0] is None
    assert login(auth, bad, "", "hm7k-4tpx")[0] is None  # even the right passcode, for a while
    assert login(auth, FakeHandler(ip="10.0.0.6"), "", "hm7k-4tpx")[0] is not None


def test_the_counselor_signs_in_with_their_own_passcode_as_admin(auth):
    assert login(auth, FakeHandler(), "counselor", "secret-c")[0] == {"name": counselor_name(), "admin": True}
    assert login(auth, FakeHandler(), "counselor", "hm7k-4tpx")[0] is None  # the room's passcode is not enough


def test_an_empty_passcode_setting_lets_nobody_in():
    a = WorkshopAuthenticator(passcode="", counselor_passcode="")
    assert login(a, FakeHandler(), "", "")[0] is None
    assert login(a, FakeHandler(), "counselor", "")[0] is None


def test_only_this_room_s_accounts_are_allowed(auth):
    assert auth.check_allowed("rc-km7-4tx") and not auth.check_allowed("root")


def test_first_run_gives_a_kubernetes_or_tljh_server_its_settings_once(tmp_path, monkeypatch):
    from reconnect.hub.firstrun import first_run
    from reconnect.records import participant as pt

    nbs = tmp_path / "nbs"
    nbs.mkdir()
    (nbs / "00_start_here.ipynb").write_text("{}")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    env = {
        "JUPYTERHUB_USER": "rc-km7-4tx",
        "RECONNECT_WORKSHOP": "TUESDAY",
        "RECONNECT_NOTEBOOKS": str(nbs),
    }
    monkeypatch.setenv("RECONNECT_HOME", str(tmp_path / "home" / "reconnect-data"))
    assert first_run(env) == "KM7-4TX: settings saved, notebooks copied"
    settings = pt.current_settings(tmp_path / "home" / "reconnect-data")
    assert (settings.code, settings.workshop) == ("KM7-4TX", "TUESDAY")
    assert not (tmp_path / "home" / "notebooks" / "00_start_here.ipynb").stat().st_mode & 0o222
    assert first_run(env) == "KM7-4TX: settings already there"
    assert first_run({"JUPYTERHUB_USER": "rc-counselor"}).startswith("not a participant account")


# -- seats made ready before the room opens (reconnect.hub.seats) ---------------------------------------
class _Spawner:
    def __init__(self, ready):
        self.ready = ready


class _User:
    def __init__(self, ready):
        self.spawner = _Spawner(ready)


class SeatHandler(FakeHandler):
    """The user table with seats whose servers are running (``ready``) or still starting."""

    def __init__(self, ready=(), starting=(), known=(), ip="10.0.0.5"):
        super().__init__(known=set(known) | set(ready) | set(starting), ip=ip)
        self.ready, self.starting = set(ready), set(starting)

    def find_user(self, name):
        if name in self.ready or name in self.starting:
            return _User(name in self.ready)
        return super().find_user(name)


def _seated(tmp_path, names):
    from reconnect.hub.seats import SEATS_FILE, _write

    _write(tmp_path / SEATS_FILE, "seats", list(names))
    a = WorkshopAuthenticator(passcode="hm7k-4tpx", counselor_passcode="secret-c", seats_dir=str(tmp_path))
    a.log = logging.getLogger("test-hub-seats")
    return a


def test_simultaneous_joins_never_get_the_same_seat_and_ready_seats_go_first(tmp_path):
    seats = [username_for(c) for c in ("AAA-AAA", "BBB-BBB", "CCC-CCC", "DDD-DDD")]
    a = _seated(tmp_path, seats)
    handler = SeatHandler(ready=seats[1:], starting=seats[:1])

    async def many():
        return await asyncio.gather(
            *[a.authenticate(handler, {"username": "", "password": "hm7k-4tpx"}) for _ in range(7)]
        )

    with ThreadPoolExecutor(1) as pool:
        names = [r["name"] for r in pool.submit(asyncio.run, many()).result()]
    assert len(set(names)) == 7, "every join gets an account of its own"
    assert names[:3] == seats[1:]  # the seats whose servers run, first
    assert names[3] == seats[0]  # then the one still starting, then fresh accounts
    assert not set(names[4:]) & set(seats)


def test_a_claimed_seat_is_never_handed_out_again_even_after_a_restart(tmp_path):
    from reconnect.hub.seats import claimed_names

    seats = [username_for("AAA-AAA"), username_for("BBB-BBB")]
    first = _seated(tmp_path, seats)
    handler = SeatHandler(ready=seats)
    taken = login(first, handler, "", "hm7k-4tpx")[0]["name"]
    assert taken == seats[0] and claimed_names(tmp_path) == [seats[0]]
    again = WorkshopAuthenticator(passcode="hm7k-4tpx", seats_dir=str(tmp_path))  # the hub restarted
    again.log = logging.getLogger("test-hub-seats")
    names = [login(again, handler, "", "hm7k-4tpx")[0]["name"] for _ in range(3)]
    assert names[0] == seats[1] and seats[0] not in names and len(set(names)) == 3
    # the person who got the seat comes back with its code: their own account again
    assert login(again, handler, "AAA-AAA", "hm7k-4tpx")[0] == {"name": seats[0]}


def test_the_code_of_a_seat_nobody_took_opens_nothing(tmp_path):
    seats = [username_for("AAA-AAA")]
    a = _seated(tmp_path, seats)
    result, data = login(a, SeatHandler(ready=seats), "AAA-AAA", "hm7k-4tpx")
    assert result is None and data["username"] == ""
