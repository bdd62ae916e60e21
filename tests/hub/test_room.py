"""Journeys through a real workshop room: join, save, come back, stay apart, the counselor, the end.

The tests share one hub (``room`` in conftest.py) and run in file order: participants joined by an
earlier test are used by later ones (``PEOPLE``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import hubclient as hc

from reconnect.hub import code_for
from reconnect.hub.seats import claimed_names, seat_names

ROOT = Path(__file__).resolve().parents[2]
GROUP = 5  # the product's default minimum group size: enough people for the room's chart
PEOPLE: list[hc.Participant] = []
SAVED: dict[str, dict] = {}
LATER: list[hc.Participant] = []  # joined after every seat was taken



def _kernel_processes(account: str) -> list[int]:
    """The process ids of the kernels running in ``account``, from /proc: its processes whose parent is one of
    its own too (a kernel's parent is the account's server, or its kernel fork server; theirs is root's)."""
    import pwd

    uid = pwd.getpwnam(account).pw_uid
    owner, parent = {}, {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            owner[int(proc.name)] = proc.stat().st_uid
            parent[int(proc.name)] = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):  # a process that ended meanwhile
            continue
    return [pid for pid, who in owner.items() if who == uid and owner.get(parent.get(pid)) == uid]


def test_wrong_passcode_is_refused_and_logged_without_the_typed_value(room):
    before = set(room.users())
    typed = "not-the-" + room.passcode
    r = hc.login(room.base, typed)
    assert r.status_code == 403
    assert set(room.users()) == before  # no account was made
    r = hc.login(room.base, room.passcode, code="KKK-KKK")  # right passcode, nobody has that code
    assert r.status_code == 403
    assert set(room.users()) == before
    log = room.log.read_text(errors="replace")
    assert "wrong workshop passcode" in log
    assert "no participant has that code" in log
    assert typed not in log and "KKK-KKK" not in log
    refusals = [line for line in log.splitlines() if "refused a login" in line]
    assert len(refusals) == 2 and not any(room.passcode in line for line in refusals)


def _state(room) -> Path:
    return room.dir / "hub" / "state"


def test_seats_are_ready_before_anyone_joins_and_their_codes_open_nothing(room):
    seats = seat_names(_state(room))
    free = [n for n in seats if n not in claimed_names(_state(room))]  # the browser journey may have taken one
    assert len(seats) == hc.TEST_SEATS and len(free) >= 2
    users = room.users()
    for name in free:
        assert code_for(name, room.prefix), name  # an ordinary participant account with a random code
        assert users[name]["server"] and not users[name]["pending"], f"{name}'s server is not running"
        assert oct(os.stat(room.homes / name).st_mode & 0o777) == "0o700"
    # nobody has been given a seat yet: typing its code is refused like any unknown code
    r = hc.login(room.base, room.passcode, code=code_for(free[0], room.prefix))
    assert r.status_code == 403
    assert free[0] not in claimed_names(_state(room))
    # a seat's server has opened no page: it lists no kernel (a spare is nobody's page yet, and is not listed),
    # and its only kernels are the ones started ahead, running in the seat's own account
    token = room.settings["admin_token"]
    kernels = hc.requests.get(
        f"{room.base}/user/{free[0]}/api/kernels", headers={"Authorization": f"token {token}"}, timeout=60
    )
    assert kernels.status_code == 200 and kernels.json() == []
    assert len(_kernel_processes(free[0])) == hc.TEST_SPARES


def test_participants_join_with_the_passcode_and_save_in_01(room):
    free = set(seat_names(_state(room))) - set(claimed_names(_state(room)))
    with ThreadPoolExecutor(GROUP) as pool:
        joined = list(pool.map(lambda _: hc.join(room.base, room.passcode), range(GROUP)))
    names = [p.name for p in joined]
    assert len(set(names)) == GROUP, "every participant gets their own account"
    # the seats went first, each to one person; the rest of the group got fresh accounts
    seats = seat_names(_state(room))
    assert free and free <= set(names)
    assert sorted(claimed_names(_state(room))) == sorted(seats)
    for p in joined:
        code = code_for(p.name, room.prefix)
        assert code is not None, f"{p.name} is not a participant account"
        assert "00_start_here" in p.page and "voila" in p.page.lower()  # app mode on 00
        p.token = hc.user_token(room, p.name)
    users = room.users()
    assert all(users[n]["server"] for n in names)

    def save(pair):
        n, p = pair
        return p.name, json.loads(hc.run_in_kernel(room.base, p.name, p.token, hc.save_code("self_esteem", n)))

    with ThreadPoolExecutor(GROUP) as pool:
        results = dict(pool.map(save, enumerate(joined)))
    for p in joined:
        assert results[p.name]["saved"], results[p.name]["message"]
        assert "handed in" in results[p.name]["message"]
        SAVED[p.name] = results[p.name]["ratings"]
    PEOPLE.extend(joined)
    # each participant's settings carry their code (from the account) and the room's workshop code
    first = PEOPLE[0]
    shown = json.loads(hc.run_in_kernel(room.base, first.name, first.token, hc.saved_code("self_esteem")))
    assert shown["code"] == first.code


def test_a_participant_comes_back_with_their_code_and_finds_their_answers(room):
    assert PEOPLE, "needs the participants of the test before"
    back = PEOPLE[1]
    count = len(room.users())
    again = hc.join(room.base, room.passcode, code=back.code.lower().replace("-", " "))  # typed loosely
    assert again.name == back.name
    assert len(room.users()) == count, "coming back never makes a second account"
    shown = json.loads(hc.run_in_kernel(room.base, back.name, back.token, hc.saved_code("self_esteem")))
    assert shown["code"] == back.code
    assert shown["ratings"] == SAVED[back.name]
    # reloading the page with the same browser session stays in the same server
    r = again.session.get(f"{room.base}/user/{back.name}{hc.PAGE_00}", timeout=120)
    assert r.status_code == 200 and f"/user/{back.name}/" in r.url


def test_participant_a_cannot_open_b_s_files(room):
    a, b = PEOPLE[0], PEOPLE[2]
    # by URL, with A's own token: B's server refuses A
    for path in ("/api/contents/reconnect-data", "/files/reconnect-data/participants", "/lab"):
        r = a.session.get(f"{room.base}/user/{b.name}{path}", timeout=60, allow_redirects=True)
        assert r.status_code in (403, 404) or f"/user/{b.name}/" not in r.url, (path, r.status_code, r.url)
        r = hc.requests.get(
            f"{room.base}/user/{b.name}{path}", headers={"Authorization": f"token {a.token}"}, timeout=60
        )
        assert r.status_code in (403, 404), (path, r.status_code)
    # from A's kernel: the file system refuses
    b_home = room.homes / b.name
    code = f"""
import json, os
tries = {{}}
for label, path in [("home", {str(b_home)!r}), ("data", {str(b_home / "reconnect-data")!r}),
                    ("collect", {str(room.dir / "hub" / "room" / "collect")!r}),
                    ("hub state", {str(room.dir / "hub" / "state")!r})]:
    try:
        os.listdir(path)
        tries[label] = "listed"
    except PermissionError:
        tries[label] = "refused"
print(json.dumps({{"tries": tries, "me": os.getuid(), "nproc": __import__("resource").getrlimit(__import__("resource").RLIMIT_NPROC)[0],
                  "as": __import__("resource").getrlimit(__import__("resource").RLIMIT_AS)[0]}}))
"""
    seen = json.loads(hc.run_in_kernel(room.base, a.name, a.token, code))
    assert seen["tries"] == {"home": "refused", "data": "refused", "collect": "refused", "hub state": "refused"}
    assert seen["me"] != 0
    assert seen["as"] > 0 and seen["nproc"] > 0  # the ceilings are in force in the kernel too
    assert oct(os.stat(b_home).st_mode & 0o777) == "0o700"


def test_a_seat_one_person_used_is_never_handed_to_someone_else(room):
    seats = set(seat_names(_state(room)))
    assert seats and seats <= set(claimed_names(_state(room)))
    newcomer = hc.join(room.base, room.passcode)
    newcomer.token = hc.user_token(room, newcomer.name)
    LATER.append(newcomer)
    assert newcomer.name not in seats and newcomer.name not in {p.name for p in PEOPLE}
    assert code_for(newcomer.name, room.prefix)
    assert newcomer.name not in claimed_names(_state(room))  # a fresh account, not a seat


def test_kernels_talk_over_unix_sockets_in_the_participant_s_own_folder(room):
    a, b = PEOPLE[0], PEOPLE[2]
    code = f"""
import json, os, pwd
from ipykernel.connect import get_connection_file
info = json.load(open(get_connection_file()))
folder = os.path.dirname(get_connection_file())
st = os.stat(folder)
try:
    os.listdir(os.path.join(os.path.dirname(folder), {b.name!r}))
    other = "listed"
except PermissionError:
    other = "refused"
import stat
channels = [k for k in info if k.endswith("_port")]
sockets = all(stat.S_ISSOCK(os.stat(info["ip"] + "-" + str(info[k])).st_mode) for k in channels)
print(json.dumps({{"transport": info["transport"], "ip": info["ip"], "folder": folder, "mode": oct(st.st_mode & 0o777),
                  "owner": st.st_uid == os.getuid(), "other": other, "sockets": sockets, "channels": len(channels)}}))
"""
    seen = json.loads(hc.run_in_kernel(room.base, a.name, a.token, code))
    assert seen["transport"] == "ipc"
    assert seen["ip"].startswith(seen["folder"] + "/")
    assert seen["folder"].endswith("/" + a.name) and seen["mode"] == "0o700" and seen["owner"]
    assert seen["other"] == "refused"  # B's kernel sockets cannot even be reached
    assert seen["sockets"] and seen["channels"] == 5  # shell, iopub, stdin, control, heartbeat: Unix sockets


def test_a_kernel_started_ahead_has_seen_no_one_and_a_used_one_is_never_handed_out(room):
    # the tests' room keeps two kernels ahead per server (hc.TEST_SPARES): 00 took one, this takes the other
    assert LATER, "needs the newcomer of the test before"
    a = LATER[0]
    first = json.loads(
        hc.run_in_kernel(
            room.base,
            a.name,
            a.token,
            """
import json, os, sys
ip = get_ipython()
seen = {"ready": "reconnect.notebook" in sys.modules, "count": ip.execution_count, "inputs": list(ip.user_ns["In"]),
        "kernel": os.path.basename(__import__("ipykernel.connect").connect.get_connection_file())}
the_answer_of_a = "private"
print(json.dumps(seen))
""",
        )
    )
    assert first["ready"], "the page's kernel was started ahead, with the product's modules imported"
    assert first["count"] == 1 and first["inputs"] == [""], "it had run no cell before this one"
    second = json.loads(
        hc.run_in_kernel(
            room.base,
            a.name,
            a.token,
            """
import json, os
print(json.dumps({"kernel": os.path.basename(__import__("ipykernel.connect").connect.get_connection_file()),
                  "leftover": "the_answer_of_a" in globals(), "count": get_ipython().execution_count}))
""",
        )
    )
    assert second["kernel"] != first["kernel"] and not second["leftover"] and second["count"] == 1


def test_the_room_status_shows_who_is_stuck(room):
    from reconnect.hub.room_status import room_status

    stuck = PEOPLE[3]
    headers = {"Authorization": f"token {room.settings['admin_token']}"}
    api = f"{room.base}/user/{stuck.name}/api/kernels"
    for kernel in hc.requests.get(api, headers=headers, timeout=60).json():  # their 00 page's kernel dies
        hc.requests.delete(f"{api}/{kernel['id']}", headers=headers, timeout=60)
    status = room_status(room.dir / "hub", after=0)
    rows = {row["code"]: row for row in status["stuck"]}
    assert stuck.code in rows and "reload" in rows[stuck.code]["reason"]
    assert status["joined"] >= GROUP and status["seats_free"] == 0
    done = subprocess.run(
        [sys.executable, "-m", "reconnect.hub", "status", "--dir", str(room.dir / "hub"), "--after", "0"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert stuck.code in done.stdout and "Stuck" in done.stdout


def test_the_counselor_sees_the_room_after_refresh(room):
    counselor = hc.join(room.base, room.settings["counselor_passcode"], code="counselor")
    assert counselor.name == f"{room.prefix}counselor"
    assert "07_group_discussion" in counselor.page or "Group discussion" in counselor.page
    assert room.users()[counselor.name]["admin"]
    token = hc.user_token(room, counselor.name)
    code = """
import json
from reconnect.ui.facilitator import FacilitatorDashboard
board = FacilitatorDashboard(show_charts=False)
board.refresh()
frame = board.frame
people = sorted(frame[frame["workshop"] == "HUBTEST"]["participant"].unique())
print(json.dumps({"people": people, "status": board.status.value, "workshop": board.workshop.value}))
"""
    seen = json.loads(hc.run_in_kernel(room.base, counselor.name, token, code))
    assert seen["workshop"] == "HUBTEST"
    assert {p.code for p in PEOPLE} <= set(seen["people"])  # (plus anyone another test module let in)
    assert len(seen["people"]) >= GROUP
    assert "From the collection folder" in seen["status"]


def test_ending_the_workshop_stops_every_participant_server_and_keeps_the_answers(room):
    names = [p.name for p in PEOPLE]
    assert any(room.users()[n]["server"] for n in names)
    done = subprocess.run(
        [sys.executable, "-m", "reconnect.hub", "end", "--dir", str(room.dir / "hub")],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert "Stopped" in done.stdout
    users = room.users()
    assert not any(users[n]["server"] or users[n]["pending"] for n in names)
    assert users[f"{room.prefix}counselor"]["server"], "the counselor keeps their dashboard"
    kept = list((room.dir / "hub" / "room" / "collect").glob("sub-*.csv"))
    assert len(kept) >= len(names)
    # after the retention period: the accounts and their files go
    from reconnect.hub.room import end

    participants = [n for n in room.users() if code_for(n, room.prefix)]
    result = end(room.dir / "hub", remove_accounts=True, out=open(os.devnull, "w"))
    assert sorted(result["removed"]) == sorted(participants) and set(names) <= set(participants)
    assert not any((room.homes / n).exists() for n in participants)
    assert not set(participants) & set(room.users())
    assert not set(participants) & set(hc.accounts(room.prefix))  # the system accounts are gone too
    assert len(list((room.dir / "hub" / "room" / "collect").glob("sub-*.csv"))) == len(kept)
