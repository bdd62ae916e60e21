"""A server's kernels forked from one prepared process of the same account, so each starts at once.

A kernel started the usual way (``python -m ipykernel_launcher``) starts Python and imports ipykernel,
IPython, ipywidgets and the package: about a second of CPU and 50 MB (PSS) for every page a person
opens. In a workshop room every participant's server gets a **kernel fork server** of its own
(:func:`serve`): a process of the participant's account, itself forked from the room's fork server
(``hub/forkserver.py``) with all of that imported, listening on a Unix socket in the account's own
runtime folder. The server's kernels are started by :class:`ForkedKernelProvisioner` (jupyter_client's
local provisioner, with only the launch changed): it asks that socket for a kernel, and a child of the
kernel fork server becomes the kernel (``ipykernel``'s own launcher, with the connection file, the
environment and the folder jupyter_client prepared). The imports are shared, copy-on-write, so a kernel
starts in milliseconds and its own memory is what it changes.

Why a kernel gets nothing more than one started with ``Popen``:

- the kernel fork server runs as the participant and nobody else can reach it: its socket is in the
  account's runtime folder (mode 0700), is itself mode 0600, and every connection's peer is checked
  to be the same account (``SO_PEERCRED``);
- it opens no file and holds no one's data: it imports modules, then waits; the kernel gets its
  environment, folder and arguments only after the fork, as ``Popen(env=..., cwd=...)`` gives them;
- the kernel closes every descriptor but 0-2 (the socket among them), starts a session of its own (as
  jupyter_client's launcher does), has Python's default signal handlers and its own random state;
- only ``ipykernel_launcher`` in this same Python is run; any other command is refused, and the
  provisioner then starts it the usual way;
- a kernel ends with its fork server: ``JPY_PARENT_PID`` names the fork server, so ipykernel's parent
  poller stops the kernel if it goes; the fork server stops when the server it was made for has gone.

Anything that goes wrong (no socket, no answer) is said in the server's log and the kernel is started
the usual way.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import struct
import sys
import time

from jupyter_client.provisioning import LocalProvisioner

from ..core.settings_env import raw

#: The environment variable naming a server's kernel fork server socket (set by the room's spawner).
SOCKET_ENV = "RECONNECT_KERNEL_FORKS"
#: The provisioner's name (entry point ``jupyter_client.kernel_provisioners``).
PROVISIONER = "reconnect-forked"
LAUNCHER = ["-m", "ipykernel_launcher"]
#: Run in a forked kernel before its first cell when ipywidgets was imported before the kernel existed.
WIDGETS_HOOK = '__import__("ipywidgets")._handle_ipython()'


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _read_line(conn: socket.socket, limit: int = 1 << 20) -> bytes:
    data = b""
    while not data.endswith(b"\n"):
        chunk = conn.recv(65536)
        if not chunk:
            break
        data += chunk
        if len(data) > limit:
            raise ValueError("request too long")
    return data


def start_child(env: dict, *, become=None, output_to_stderr: bool = False) -> None:
    """The first steps of a forked child, before it runs anything of its own.

    A session of its own; standard input ``/dev/null`` (and, with ``output_to_stderr``, standard output
    where standard error goes); every other descriptor closed, so nothing the parent held (its pipes, its
    sockets) stays reachable; Python's default signal handlers; ``become()`` (e.g. dropping to an account),
    then exactly ``env`` as the environment and a random state of its own. Used by the room's fork server
    (``hub/forkserver.py``) and the kernel fork servers here.
    """
    os.setsid()
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    if output_to_stderr:
        os.dup2(2, 1)
    os.closerange(3, 1 << 16)
    for sig in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP, signal.SIGUSR1):
        signal.signal(sig, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    if become is not None:
        become()
    os.environ.clear()
    os.environ.update({str(k): str(v) for k, v in env.items()})
    import random

    random.seed()


def run_child(steps) -> None:
    """Run ``steps()`` in a forked child and end the process there with its exit status, whatever happens.

    The child never returns into its parent's code (a fork server's loop): an exception is printed and
    the process ends with status 1; ``SystemExit`` gives its own status.
    """
    code = 1
    try:
        try:
            steps()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except BaseException:  # noqa: BLE001 - the child must end here, whatever happened
        import traceback

        traceback.print_exc()
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def _kernel(request: dict) -> None:
    """In the forked child: become the kernel the request describes; never returns."""

    def steps() -> None:
        # JPY_PARENT_PID names the kernel fork server: the kernel stops if it goes
        start_child({**request["env"], "JPY_PARENT_PID": str(os.getppid())})
        os.chdir(request["cwd"])
        sys.argv = ["ipykernel_launcher", *[str(a) for a in request["argv"]]]
        # no IPython history file: a room's pages run the notebooks' own code, and the file (with its thread and
        # its cache) would be one more thing each page writes and holds (about 1.4 MB a kernel)
        sys.argv.append("--HistoryManager.enabled=False")
        if "ipywidgets" in sys.modules:
            # imported before this kernel existed (the room's fork server imports it once for everyone), so it
            # has not registered the widget manager's comm targets, as it does on import inside a kernel
            sys.argv.append(f"--IPKernelApp.exec_lines={WIDGETS_HOOK}")
        sys.path[0] = os.getcwd()  # as `python -m ipykernel_launcher` started here would have it
        from ipykernel import kernelapp

        kernelapp.launch_new_instance()

    run_child(steps)


def _answer(conn: socket.socket) -> None:
    uid = struct.unpack("3i", conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i")))[1]
    if uid != os.getuid():
        conn.sendall(b'{"error": "not this account"}\n')
        return
    try:
        request = json.loads(_read_line(conn))
        if os.path.realpath(request["python"]) != os.path.realpath(sys.executable):
            raise ValueError("another Python")
        if not isinstance(request["argv"], list) or not isinstance(request["env"], dict):
            raise ValueError("argv must be a list, env a mapping")
        if not os.path.isdir(request["cwd"]):
            raise ValueError("no such folder")
    except (ValueError, KeyError, TypeError) as exc:
        conn.sendall(json.dumps({"error": f"bad request: {exc}"}).encode() + b"\n")
        return
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        _kernel(request)
    conn.sendall(json.dumps({"pid": pid}).encode() + b"\n")


def serve(path: str, watch: int) -> None:
    """The kernel fork server: listen on ``path`` and fork kernels until process ``watch`` has gone."""
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # kernels reaped by the system: no zombie
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    old = os.umask(0o077)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(path)
    finally:
        os.umask(old)
    os.chmod(path, 0o600)
    server.listen(16)
    server.settimeout(2.0)
    try:
        while _alive(watch):
            try:
                conn, _ = server.accept()
            except TimeoutError:
                continue
            with conn:
                conn.settimeout(10)
                try:
                    _answer(conn)
                except OSError:  # the asking server went away meanwhile
                    continue
    finally:
        server.close()
        try:
            os.unlink(path)
        except FileNotFoundError:
            pass


def serve_from_argv() -> None:
    """``serve(argv[1], int(argv[2]))``: how the room's fork server starts a kernel fork server."""
    serve(sys.argv[1], int(sys.argv[2]))


def ask(path: str, *, python: str, argv: list[str], env: dict, cwd: str, timeout: float = 10) -> int:
    """Ask the kernel fork server at ``path`` for a kernel; its process id. Blocking."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.settimeout(timeout)
        conn.connect(path)
        request = {"python": python, "argv": list(argv), "env": dict(env), "cwd": cwd}
        conn.sendall(json.dumps(request).encode() + b"\n")
        answer = json.loads(_read_line(conn) or b"{}")
    if "pid" not in answer:
        raise ValueError(answer.get("error", "no answer"))
    return int(answer["pid"])


class ForkedProcess:
    """What jupyter_client's local provisioner needs of a ``Popen``, for a kernel that is not our child."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None and not _alive(self.pid):
            self.returncode = 0  # its exit status went to its parent, the kernel fork server
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                import subprocess

                raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout)
            time.sleep(0.05)
        return self.returncode  # type: ignore[return-value]

    def send_signal(self, signum: int) -> None:
        try:
            os.kill(self.pid, signum)
        except ProcessLookupError:
            pass

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


class ForkedKernelProvisioner(LocalProvisioner):
    """jupyter_client's local provisioner, launching through the server's kernel fork server when it has one."""

    async def launch_kernel(self, cmd: list[str], **kwargs):
        path = raw(SOCKET_ENV)
        if path and cmd[1:3] == LAUNCHER:
            for _ in range(50):  # the fork server may still be starting beside a server that just started
                if os.path.exists(path):
                    break
                await asyncio.sleep(0.1)
            try:
                pid = await asyncio.to_thread(
                    ask,
                    path,
                    python=cmd[0],
                    argv=cmd[3:],
                    env=kwargs.get("env") or dict(os.environ),
                    cwd=str(kwargs.get("cwd") or os.getcwd()),
                )
            except (OSError, ValueError) as exc:
                self.log.warning("Reconnect: no kernel from the kernel fork server (%s); starting one alone", exc)
            else:
                self.process = ForkedProcess(pid)
                self.pid = pid
                self.pgid = pid  # a session of its own, as jupyter_client's launcher makes
                return self.connection_info
        return await super().launch_kernel(cmd, **kwargs)
