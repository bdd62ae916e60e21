"""JupyterHub's LocalProcessSpawner for a workshop room: one system account per participant.

What it adds to the stock spawner, in the order a first login meets it (as The Littlest JupyterHub
does for its users):

1. the system account is created (``useradd``; no password, no login shell) with a home folder of
   mode 0700, so no other participant can list or read anything in it;
2. ``~/notebooks`` is made, owned by root and read-only for the participant, holding a copy of the
   workshop's notebooks (refreshed at every start while it is still root's);
3. ``~/reconnect-data`` (``RECONNECT_HOME``) gets the participant's settings: their participant
   code (from the account name) and the workshop code, so 00 shows the code straight away and
   every Save drops a copy into the room's collection folder (``RECONNECT_COLLECT``);
4. every process of the server (and its kernels) starts with a memory ceiling (``RLIMIT_AS``) and
   a process-count ceiling (``RLIMIT_NPROC``, counted per account);
5. the server talks to its kernels over ZeroMQ's ``ipc`` transport (Unix sockets) in a runtime
   folder of the account's own (``/run/reconnect/<account>``, mode 0700), never over loopback TCP
   ports: kernels of different participants cannot race for a port, and no other account can
   even reach a kernel's sockets (docs/architecture.md).

The counselor's account works the same way, with ``RECONNECT_STORE`` (``~/workshop-store``) and the
collection folder readable by them alone (mode 1733, owned by the counselor).
"""

from __future__ import annotations

import asyncio
import json
import os
import pwd
import shutil
import subprocess
import time
from pathlib import Path

from jupyterhub.spawner import LocalProcessSpawner
from traitlets import Bool, Integer, List, Unicode

from ..bank.i18n import normalise_language
from ..records import participant as pt
from . import DEFAULT_PREFIX, code_for, counselor_name
from .forkserver import limits_preexec

NOTEBOOKS = "notebooks"
DATA = "reconnect-data"
STORE = "workshop-store"
_account_lock: asyncio.Lock | None = None
_fork_server = None  # the room's fork server (reconnect.hub.forkserver), made at the first start
# Servers get ports below Linux's ephemeral range (32768-60999), where kernels take theirs: a port
# picked from the ephemeral range can be taken by a starting kernel before the server binds it.
SERVER_PORTS = range(20000, 32000)
_given_ports: set[int] = set()
RUNTIME_BASE = "/run/reconnect"


def server_port(ports: range = SERVER_PORTS) -> int:
    """A free port for a participant's server, not handed to another server by this hub before.

    >>> server_port(range(20000, 20010)) in range(20000, 20010)
    True
    """
    import random
    import socket

    for _ in range(200):
        port = random.choice(ports)
        if port in _given_ports:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        _given_ports.add(port)
        if len(_given_ports) > len(ports) // 2:
            _given_ports.clear()  # ports of stopped servers come back into use
            _given_ports.add(port)
        return port
    raise RuntimeError(f"no free port for a participant's server in {ports.start}-{ports.stop - 1}")


def create_account(name: str, home_base: str | Path) -> pwd.struct_passwd:
    """Create the system account ``name`` (if missing) with a private home folder; return it."""
    try:
        user = pwd.getpwnam(name)
    except KeyError:
        Path(home_base).mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                "useradd",
                "--create-home",
                "--base-dir",
                str(home_base),
                "--shell",
                "/usr/sbin/nologin",
                "--user-group",
                "--comment",
                "Reconnect workshop participant",
                name,
            ],
            check=True,
            capture_output=True,
            text=True,
        )
        user = pwd.getpwnam(name)
    os.chmod(user.pw_dir, 0o700)
    return user


def copy_notebooks(source: Path, home: Path) -> None:
    """Put read-only copies of the workshop notebooks into ``home/notebooks`` (owned by root).

    The folder is made when the account is new. Later it is refreshed only while it is still a real
    folder owned by root: the participant owns their home and could have put a link there instead.
    """
    _copy_folder(Path(source), home / NOTEBOOKS)
    for translated in sorted(p for p in Path(source).iterdir() if p.is_dir() and not p.is_symlink()):
        if (home / NOTEBOOKS).is_dir() and not (home / NOTEBOOKS).is_symlink():  # notebooks/es, the same way
            _copy_folder(translated, home / NOTEBOOKS / translated.name)


def _copy_folder(source: Path, target: Path) -> None:
    if not target.exists() and not target.is_symlink():
        target.mkdir(mode=0o755)
    info = os.lstat(target)
    if not os.path.isdir(target) or os.path.islink(target) or info.st_uid != 0:
        return
    os.chmod(target, 0o755)
    for nb in sorted(Path(source).glob("*.ipynb")):
        dest = target / nb.name
        data = nb.read_bytes()
        if dest.is_file() and not dest.is_symlink() and dest.read_bytes() == data:
            continue
        tmp = target / f".{nb.name}.new"
        tmp.write_bytes(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, dest)


def first_settings(home: Path, user: pwd.struct_passwd, code: str, workshop: str) -> None:
    """Create ``~/reconnect-data`` with the participant's code and workshop, if it is not there yet.

    Only a folder that does not exist yet is written (as root, then handed over), so nothing the
    participant made can steer where root writes.
    """
    data = home / DATA
    if data.exists() or data.is_symlink():
        return
    data.mkdir(mode=0o700)
    try:
        pt.save_settings(data, pt.Settings(code=code, workshop=workshop, session=pt.DEFAULT_SESSION))
        # The account is this one person's (the hub's login said who they are): a personal device.
        pt.set_device(data, shared=False)
        pt.remember(data, code)
    finally:
        for root, dirs, files in os.walk(data):
            for name in [*dirs, *files]:
                os.lchown(os.path.join(root, name), user.pw_uid, user.pw_gid)
        os.lchown(data, user.pw_uid, user.pw_gid)


def runtime_folder(base: str | Path, user: pwd.struct_passwd) -> Path:
    """The account's own folder for kernel connection files and ``ipc`` sockets (mode 0700, theirs).

    ``base`` is made root's with mode 0711 (others may pass, not list). The folder is short on purpose:
    a Unix socket's path holds at most 107 bytes, and a home folder's ``.local/share/jupyter/runtime``
    with a kernel id would not fit. A folder that is not a real folder of this account is replaced.
    """
    base = Path(base)
    base.mkdir(parents=True, exist_ok=True)
    os.chown(base, 0, 0)
    os.chmod(base, 0o711)
    folder = base / user.pw_name
    info = os.lstat(folder) if folder.exists() or folder.is_symlink() else None
    if info is not None and (not os.path.isdir(folder) or os.path.islink(folder) or info.st_uid != user.pw_uid):
        if os.path.islink(folder) or not os.path.isdir(folder):
            folder.unlink()
        else:
            shutil.rmtree(folder)
        info = None
    if info is None:
        folder.mkdir(mode=0o700)
        os.lchown(folder, user.pw_uid, user.pw_gid)
    os.chmod(folder, 0o700)
    return folder


class WorkshopSpawner(LocalProcessSpawner):
    """LocalProcessSpawner + account creation, read-only notebooks, settings, limits."""

    room = Unicode("", config=True, help="The room folder: notebooks/, item_bank.yaml and collect/.")
    home_base = Unicode("/home", config=True, help="Where participants' home folders are made.")
    user_prefix = Unicode(DEFAULT_PREFIX, config=True, help="The authenticator's account-name prefix.")
    workshop = Unicode("ROOM", config=True, help="The workshop code written into every participant's settings.")
    memory_limit_mb = Integer(
        2048, config=True, help="Address-space ceiling (MB) of each process of a participant's server; 0: none."
    )
    process_limit = Integer(
        128, config=True, help="Most processes and threads one account may run (RLIMIT_NPROC); 0: no ceiling."
    )
    runtime_base = Unicode(
        RUNTIME_BASE, config=True, help="Where each account's kernel runtime folder (ipc sockets) is made."
    )
    spare_kernels = Integer(
        1,
        config=True,
        help="Kernels each participant's server keeps started ahead for their next page (reconnect.apps.spare_kernels); 0: none.",
    )
    spare_refill = Bool(False, config=True, help="Keep a spare kernel ready after every page, not only for the first.")
    fork_servers = Bool(
        True,
        config=True,
        help="Start each server as a child of one process that has imported what servers import "
        "(reconnect.hub.forkserver): their shared code is in memory once. Off: each server starts alone (Popen).",
    )
    participant_url = Unicode("/voila/render/notebooks/00_start_here.ipynb", config=True)
    participant_args = List(
        [
            # participants use app mode only: no JupyterLab, language servers or terminals to load
            # (a quarter less CPU per join; the counselor keeps them all)
            '--ServerApp.jpserver_extensions={"jupyterlab": False, "jupyter_lsp": False,'
            ' "jupyter_server_terminals": False, "notebook_shim": False}',
        ],
        config=True,
        help="Extra arguments for participants' servers (not the counselor's).",
    )
    counselor_url = Unicode("/voila/render/notebooks/07_group_discussion.ipynb", config=True)
    language = Unicode(
        "",
        config=True,
        help="The room's language (es): RECONNECT_LANG of every server, and its translated notebooks "
        "(notebooks/<lang>/) as the pages people land on. Empty: English.",
    )

    def _in_language(self, url: str) -> str:
        """The page ``url`` in the room's language, when the room has that translation of it."""
        lang = normalise_language(self.language) if self.language else "en"
        prefix = "/voila/render/notebooks/"
        if lang == "en" or not url.startswith(prefix):
            return url
        name = url[len(prefix) :]
        return prefix + f"{lang}/{name}" if (Path(self.room) / NOTEBOOKS / lang / name).is_file() else url

    @property
    def is_counselor(self) -> bool:
        return self.user.name == counselor_name(self.user_prefix)

    async def start(self):
        global _account_lock
        if _account_lock is None:
            _account_lock = asyncio.Lock()
        async with _account_lock:  # useradd locks /etc/passwd: one at a time
            user = await asyncio.to_thread(create_account, self.user.name, self.home_base)
        await asyncio.to_thread(self._prepare_home, user)
        await asyncio.to_thread(runtime_folder, self.runtime_base, user)
        self.default_url = self._in_language(self.counselor_url if self.is_counselor else self.participant_url)
        self.port = server_port()
        if self.fork_servers:
            started = await self._start_forked()
            if started is not None:
                return started
        return await super().start()

    async def _start_forked(self):
        """Start the server as a child of the room's fork server (:mod:`reconnect.hub.forkserver`), or ``None``.

        ``None`` (the caller then starts it with ``Popen``): another command than ours, or the fork server
        could not be started or did not answer (said in the log)."""
        from ..apps.kernel_forks import PROVISIONER, SOCKET_ENV
        from .forkserver import ForkServer, ForkServerError

        global _fork_server
        cmd = list(self.cmd)
        if cmd[1:] != ["-m", "reconnect.hub.singleuser"] or self.shell_cmd:
            return None
        env = self.get_env()
        if _fork_server is None or _fork_server.python != cmd[0]:
            base = {key: env[key] for key in ("PATH", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MALLOC_ARENA_MAX") if key in env}
            _fork_server = ForkServer(cmd[0], base)
        # the server's kernels come from a kernel fork server of the account (apps/kernel_forks.py)
        sockets = Path(self.runtime_base) / self.user.name / "kernel-forks.sock"
        env[SOCKET_ENV] = str(sockets)
        common = dict(user=self.user.name, env=env, memory_mb=self.memory_limit_mb, processes=self.process_limit)
        try:
            self.pid = await asyncio.to_thread(
                _fork_server.fork, argv=self.get_args() + [f"--KernelProvisionerFactory.default_provisioner_name={PROVISIONER}"], **common
            )
        except (ForkServerError, OSError) as exc:
            self.log.warning("Reconnect: the fork server could not start %s's server (%s); starting it alone", self.user.name, exc)
            return None
        self.proc = None  # not our child: poll and stop go by the process id, as for a server of an earlier hub
        try:
            kernels = await asyncio.to_thread(_fork_server.fork, entry="kernels", argv=[str(sockets), str(self.pid)], **common)
        except (ForkServerError, OSError) as exc:
            self.log.warning("Reconnect: no kernel fork server for %s (%s): their kernels start alone", self.user.name, exc)
        else:
            self.log.info("Reconnect: %s's server (pid %s) and kernel fork server (pid %s) forked", self.user.name, self.pid, kernels)
        return (self.ip or "127.0.0.1", self.port)

    def _prepare_home(self, user: pwd.struct_passwd) -> None:
        home = Path(user.pw_dir)
        room = Path(self.room)
        copy_notebooks(room / NOTEBOOKS, home)
        if self.is_counselor:
            store = home / STORE
            if not store.exists():
                store.mkdir(mode=0o700)
                os.lchown(store, user.pw_uid, user.pw_gid)
            return
        code = code_for(self.user.name, self.user_prefix)
        if code is not None:
            first_settings(home, user, code, self.workshop)

    def get_args(self):
        # Reconnect's app-mode template for everyone: its start page, and no font from a CDN (nothing
        # a page asks for leaves the room's machine).
        # Kernels over Unix sockets in the account's own runtime folder: no TCP port to race for.
        own = ["--VoilaConfiguration.template=reconnect", "--KernelManager.transport=ipc"]
        if self.language and normalise_language(self.language) != "en":  # the start page in the room's language
            lang = normalise_language(self.language)
            own.append("--ServerApp.jinja_template_vars=" + json.dumps({"reconnect_language": lang}))
        if self.is_counselor:
            return super().get_args() + own
        pages = self._in_language(self.participant_url).removeprefix("/voila/render/").rsplit("/", 1)[0]
        spare = [
            "--ServerApp.kernel_manager_class=reconnect.apps.spare_kernels.SpareKernelManager",
            f"--SpareKernelManager.spare_kernels={self.spare_kernels}",
            f"--SpareKernelManager.spare_path={pages}",
            f"--SpareKernelManager.refill={self.spare_refill}",
        ]
        return super().get_args() + own + spare + list(self.participant_args)

    def get_env(self):
        env = super().get_env()
        home = Path(pwd.getpwnam(self.user.name).pw_dir)
        room = Path(self.room)
        env.update(
            RECONNECT_HOME=str(home / DATA),
            RECONNECT_ITEM_BANK=str(room / "item_bank.yaml"),
            RECONNECT_COLLECT=str(room / "collect"),
            MPLBACKEND="module://matplotlib_inline.backend_inline",
            # fewer, smaller memory reservations per process, so the address-space ceiling is about real use
            MALLOC_ARENA_MAX="2",
            OPENBLAS_NUM_THREADS="1",
            OMP_NUM_THREADS="1",
            # connection files and ipc sockets of the server's kernels (see runtime_folder)
            JUPYTER_RUNTIME_DIR=str(Path(self.runtime_base) / self.user.name),
        )
        if self.language:
            env["RECONNECT_LANG"] = normalise_language(self.language)
        if self.is_counselor:
            env["RECONNECT_STORE"] = str(home / STORE)
            env["RECONNECT_ROOM_STATUS"] = str(room / "status" / "room.json")  # who is stuck, for 07
        return env

    def make_preexec_fn(self, name):
        return limits_preexec(super().make_preexec_fn(name), self.memory_limit_mb, self.process_limit)


def remove_account(name: str, runtime_base: str | Path = RUNTIME_BASE) -> None:
    """Delete a participant's system account and home folder (``userdel --remove``)."""
    try:
        home = pwd.getpwnam(name).pw_dir
    except KeyError:
        return
    for _attempt in range(5):
        # userdel refuses while a process of the account still runs (a kernel that outlived its
        # server by a moment): end them, then try again.
        if subprocess.run(["userdel", "--remove", name], check=False, capture_output=True).returncode == 0:
            break
        subprocess.run(["pkill", "-KILL", "-u", name], check=False, capture_output=True)
        time.sleep(0.5)
    try:
        pwd.getpwnam(name)
    except KeyError:  # the account is gone: make sure its home went with it
        if home and Path(home).is_dir() and not Path(home).is_symlink() and Path(home).name == name:
            shutil.rmtree(home, ignore_errors=True)
    shutil.rmtree(f"/var/mail/{name}", ignore_errors=True)
    folder = Path(runtime_base) / name
    if folder.is_dir() and not folder.is_symlink():
        shutil.rmtree(folder, ignore_errors=True)
