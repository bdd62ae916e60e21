"""Participants' servers forked from one prepared process, so the code they all run is in memory once.

Every participant's server is the same program (``python -m reconnect.hub.singleuser``: jupyter_server,
Voilà and JupyterHub's single-user layer). Started one by one, each imports all of it on its own: about
1.5 CPU-seconds and 100 MB (PSS) per participant before a page is open, nearly all of it the same code
and data in every server. The fork server is one process of the hub's (root, the servers' own Python
and environment) that has imported those modules once and then waits; for each server the spawner asks
it for a child, which becomes the participant and runs the server. The imported code and data stay
shared with the fork server, copy-on-write (``gc.freeze`` keeps the collector from writing to them), so
a server's own memory is only what it changes.

Why a participant gets nothing more than a server started with ``Popen`` would have:

- **The fork server holds no one's data.** It imports modules and reads requests from the hub on its
  standard input; it opens no file, account or token. A request's environment (with the server's API
  token) is given to the child only, after the fork, as ``Popen(env=...)`` gives it to its child.
- **The child gives up root before it runs any of the server**, the way the spawner's own ``preexec_fn``
  does (the same function, :func:`limits_preexec` around JupyterHub's
  ``set_user_setuid``): the ceilings (``RLIMIT_AS``, ``RLIMIT_NPROC``), the account's group, groups and
  user, its home folder as the working folder; then a new session (``start_new_session``).
- **The child cannot reach the fork server.** Its standard input is ``/dev/null``, its output goes to the
  fork server's standard error (the hub's log, where a ``Popen`` server's output goes), and every other
  descriptor is closed before the switch: the pipes to the hub are gone, so no participant's process
  can ask for a server as someone else.
- **Nothing random is shared.** ``random`` is seeded again in each child (tokens and secrets come from
  ``os.urandom`` anyway), and the signal handlers are back to Python's defaults.
- **The fork server forks from one thread** (it never starts another): a fork copies only the calling
  thread, and a lock held by another thread would stay held in the child for ever.
- **An ended server is gone at once**: the fork server ignores ``SIGCHLD``, so the system reaps its
  children and the hub's ``poll`` (``kill(pid, 0)``, as for a server of an earlier hub) sees them gone.

When the fork server cannot be started or does not answer, the spawner starts the server with ``Popen``
as before (``WorkshopSpawner.fork_servers``). ``python -m reconnect.hub.forkserver`` is the fork server
itself; :class:`ForkServer` is the hub's side of it.
"""

from __future__ import annotations

import gc
import json
import os
import pwd
import resource
import signal
import subprocess
import sys
import threading

MB = 1024 * 1024

#: What the fork server imports before it waits: what every participant's server imports when it starts.
PRELOAD = (
    "jupyterhub.singleuser",
    "jupyterhub.singleuser.extension",
    "jupyterhub.spawner",
    "jupyter_server.serverapp",
    "jupyter_server.services.kernels.kernelmanager",
    "jupyter_server.services.kernels.websocket",
    "jupyter_server.services.kernels.connection.channels",
    "jupyter_server.services.contents.largefilemanager",
    "jupyter_server.services.sessions.sessionmanager",
    "voila.server_extension",
    "voila.handler",
    "voila.app",
    "reconnect.hub.singleuser",
    "reconnect.hub.spawner",
    "reconnect.apps.spare_kernels",
    # imported by a server once it runs (its handlers, Voilà's first page, its kernels' specs): listed
    # from a server's sys.modules after it rendered 00, less what is above
    "IPython",
    "ipykernel.kernelspec",
    "anyio._backends._asyncio",
    "anyio.streams.memory",
    "anyio.streams.stapled",
    "anyio.streams.tls",
    "jupyter_server.kernelspecs.handlers",
    "jupyter_server.nbconvert.handlers",
    "jupyter_server.services.api.handlers",
    "jupyter_server.services.config.handlers",
    "jupyter_server.services.events.handlers",
    "jupyter_server.services.kernelspecs.handlers",
    "jupyter_server.services.nbconvert.handlers",
    "jupyter_server.services.security.handlers",
    "jupyter_server.services.sessions.handlers",
    "jupyter_server.services.shutdown",
    "jupyter_server.view.handlers",
    "mistune.plugins.def_list",
    "mistune.plugins.task_lists",
    "mistune.plugins.url",
    "jinja2.ext",
    "tornado.platform.asyncio",
    "codeop",
    "getopt",
    # what every kernel imports before its first cell (a server's kernels are forked from a kernel fork
    # server of its account, itself forked from here: apps/kernel_forks.py)
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.zmqshell",
    "ipykernel.comm",
    "reconnect.apps.kernel_forks",
    "reconnect.apps.preheat",
    "reconnect.bank.content",
    "reconnect.records.answers",
    "reconnect.records.participant",
    "reconnect.records.store",
    # ipywidgets registers the widget manager's comm targets when it is imported inside a kernel; imported
    # here, before any kernel, it has not, so every forked kernel registers them before its first cell
    # (kernel_forks._kernel; tests/hub and tests/test_kernel_forks.py open widget pages on forked kernels)
    "ipywidgets",
    "anywidget",
    "reconnect.notebook",
)
#: What a request may run in the child: the single-user server, or (for the tests) a description of itself.
ENTRIES = {
    "singleuser": ("reconnect.hub.singleuser", "main"),
    "describe": ("reconnect.hub.forkserver", "describe_self"),
    "kernels": ("reconnect.apps.kernel_forks", "serve_from_argv"),
}
#: Environment variables read while JupyterHub's single-user layer is imported (which server class it
#: makes): a request that sets them differently from the fork server cannot be served by it.
IMPORT_TIME_ENV = ("JUPYTERHUB_SINGLEUSER_EXTENSION", "JUPYTERHUB_SINGLEUSER_APP")


def limits_preexec(base, memory_mb: int, processes: int):
    """Wrap a preexec function: set the ceilings (as root, before dropping to the participant).

    The spawner's ``preexec_fn`` for a server started alone, and a forked server's first step.
    """

    def preexec():
        if memory_mb:
            resource.setrlimit(resource.RLIMIT_AS, (memory_mb * MB, memory_mb * MB))
        if processes:
            resource.setrlimit(resource.RLIMIT_NPROC, (processes, processes))
        base()

    return preexec



class ForkServerError(RuntimeError):
    """The fork server could not be started, or could not make a server."""


def _preload() -> None:
    sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type] - as reconnect.hub.singleuser does
    import importlib

    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError:  # another version of a package: the server imports what it needs itself
            continue
    gc.collect()
    gc.freeze()  # what is imported now is never touched by the collector: it stays shared with every child


def _child(request: dict) -> None:
    """In the forked child: become the participant, then run the entry; never returns."""
    from jupyterhub.spawner import set_user_setuid

    from ..apps.kernel_forks import run_child, start_child

    def steps() -> None:
        drop = limits_preexec(set_user_setuid(request["user"]), int(request["memory_mb"]), int(request["processes"]))
        start_child(request["env"], become=drop, output_to_stderr=True)  # the pipes to the hub are closed there
        module, function = ENTRIES[request["entry"]]
        sys.argv = [module, *[str(a) for a in request["argv"]]]
        import importlib

        getattr(importlib.import_module(module), function)()

    run_child(steps)


def serve(stdin=None, stdout=None) -> None:
    """The fork server's loop: one JSON request a line in, one JSON answer a line out, until the hub goes."""
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children reaped by the system: no zombie, poll sees them gone
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the hub stops it by closing its input
    _preload()
    stdout.write(json.dumps({"ready": True, "pid": os.getpid()}) + "\n")
    stdout.flush()
    for line in stdin:
        try:
            request = json.loads(line)
            if request.get("entry") not in ENTRIES:
                raise ValueError(f"unknown entry {request.get('entry')!r}")
            for key in ("user", "argv", "env", "memory_mb", "processes"):
                if key not in request:
                    raise ValueError(f"missing {key}")
            if pwd.getpwnam(request["user"]).pw_uid == 0:  # a server never runs as root
                raise ValueError("not for root")
        except (ValueError, AttributeError, KeyError) as exc:
            answer = {"error": f"bad request: {exc}"}
        else:
            sys.stdout.flush()
            sys.stderr.flush()
            try:
                pid = os.fork()
            except OSError as exc:
                answer = {"error": f"fork failed: {exc}"}
            else:
                if pid == 0:
                    _child(request)
                answer = {"pid": pid}
        stdout.write(json.dumps(answer) + "\n")
        stdout.flush()


def describe_self() -> None:
    """For the tests: what a child is, as JSON in the file named by ``argv[1]`` (written as the participant)."""
    import random
    import resource

    fds = {}
    for fd in os.listdir("/proc/self/fd"):
        try:
            fds[int(fd)] = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:  # the listing's own descriptor, closed by now
            continue
    info = {
        "uid": os.getuid(),
        "euid": os.geteuid(),
        "gid": os.getgid(),
        "groups": sorted(os.getgroups()),
        "cwd": os.getcwd(),
        "env": dict(os.environ),
        "fds": fds,
        "sid_is_pid": os.getsid(0) == os.getpid(),
        "rlimit_as": resource.getrlimit(resource.RLIMIT_AS)[0],
        "rlimit_nproc": resource.getrlimit(resource.RLIMIT_NPROC)[0],
        "random": random.random(),
        "sigint_default": signal.getsignal(signal.SIGINT) is signal.default_int_handler,
        "sigchld_default": signal.getsignal(signal.SIGCHLD) == signal.SIG_DFL,
        "argv": sys.argv[1:],
    }
    with open(sys.argv[1], "w", encoding="utf-8") as out:
        json.dump(info, out)


class ForkServer:
    """The hub's side: starts ``python -m reconnect.hub.forkserver`` and asks it for servers.

    Parameters
    ----------
    python : str
        The Python of the participants' servers (the fork server runs in it).
    env : dict
        The fork server's environment (the servers' base environment: ``Spawner.environment``'s ``PATH``).
    """

    def __init__(self, python: str, env: dict | None = None, *, timeout: float = 120):
        self.python = python
        self.env = dict(env or {"PATH": os.defpath})
        self.timeout = timeout
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None

    def _start(self) -> subprocess.Popen:
        process = subprocess.Popen(
            [self.python, "-s", "-m", "reconnect.hub.forkserver"],  # -s: no root's user site in the servers
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=self.env,
            cwd="/",
            start_new_session=True,  # Ctrl+C on the hub's terminal is for the hub
            text=True,
            bufsize=1,
        )
        answer = self._read(process)
        if not answer.get("ready"):
            process.kill()
            raise ForkServerError(f"the fork server did not start: {answer}")
        return process

    def _read(self, process: subprocess.Popen) -> dict:
        result: list[str] = []
        reader = threading.Thread(target=lambda: result.append(process.stdout.readline()), daemon=True)
        reader.start()
        reader.join(self.timeout)
        if not result or not result[0]:
            process.kill()
            raise ForkServerError("the fork server did not answer")
        return json.loads(result[0])

    def fork(self, *, user: str, argv: list[str], env: dict, memory_mb: int, processes: int, entry="singleuser") -> int:
        """A new server (``entry``) running as ``user``: its process id. Blocking: call it in a thread."""
        for key in IMPORT_TIME_ENV:
            if env.get(key, "") != self.env.get(key, ""):
                raise ForkServerError(f"{key} differs from the fork server's")
        request = {"entry": entry, "user": user, "argv": list(argv), "env": env}
        request.update(memory_mb=int(memory_mb), processes=int(processes))
        with self._lock:
            if self._process is None or self._process.poll() is not None:
                self._process = self._start()
            try:
                self._process.stdin.write(json.dumps(request) + "\n")
                self._process.stdin.flush()
            except OSError as exc:
                self._process = None
                raise ForkServerError(f"the fork server is gone: {exc}") from exc
            answer = self._read(self._process)
        if "pid" not in answer:
            raise ForkServerError(answer.get("error", "no answer"))
        return int(answer["pid"])

    def close(self) -> None:
        """Stop the fork server (its servers keep running, as ``Popen``'s do when the hub stops)."""
        with self._lock:
            if self._process is not None and self._process.poll() is None:
                self._process.stdin.close()
                try:
                    self._process.wait(10)
                except subprocess.TimeoutExpired:
                    self._process.kill()
            self._process = None


if __name__ == "__main__":
    serve()
