"""Give a fresh participant server its settings: the participant code (from the account) and workshop.

For hubs whose spawner does not run :mod:`.spawner` (Zero to JupyterHub's KubeSpawner, The Littlest
JupyterHub's SystemdSpawner): run ``python -m reconnect.hub.firstrun`` as the participant when the
server starts (a ``postStart`` hook, or systemd's ``ExecStartPre``). Reads ``JUPYTERHUB_USER``,
``RECONNECT_HUB_PREFIX`` (default ``rc-``), ``RECONNECT_WORKSHOP`` and ``RECONNECT_HOME``; writes no
settings when some exist already. With ``RECONNECT_NOTEBOOKS`` (a folder of the workshop's notebooks)
and no ``~/notebooks`` yet, copies them there and makes the copies read-only.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from ..core.paths import data_home
from ..records import participant as pt
from . import DEFAULT_PREFIX, code_for


def copy_notebooks(source: str, home: Path) -> bool:
    """Copy the notebooks into ``home/notebooks`` (read-only) if that folder does not exist yet."""
    target = home / "notebooks"
    if not source or target.exists() or target.is_symlink():
        return False
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    for path in [*target.iterdir(), target]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    return True


def first_run(environ=os.environ) -> str:
    """Save the settings if this data folder has none; return what was done (one line)."""
    from ..core import settings_env as env

    notebooks = env.path("RECONNECT_NOTEBOOKS", environ=environ)
    copied = copy_notebooks(str(notebooks or ""), Path.home())
    prefix = env.text(
        "RECONNECT_HUB_PREFIX", DEFAULT_PREFIX, pattern=r"[a-z][a-z0-9_-]{0,15}",
        accepts="a short account-name prefix: lower-case letters, digits, - or _", environ=environ,
    )
    code = code_for(env.text("JUPYTERHUB_USER", environ=environ), prefix)
    if code is None:
        return "not a participant account; " + ("notebooks copied" if copied else "nothing to do")
    home = data_home()
    if pt.current_settings(home) is not None:
        return f"{code}: settings already there"
    workshop = env.text(
        "RECONNECT_WORKSHOP", "", pattern=r"[A-Za-z0-9][A-Za-z0-9 _.\-]{0,39}",
        accepts="a workshop code: up to 40 letters, digits, spaces, dots, dashes or underscores", environ=environ,
    )
    settings = pt.Settings(code=code, workshop=workshop, session=pt.DEFAULT_SESSION)
    pt.save_settings(home, settings)
    pt.set_device(home, shared=False)  # one account, one person: the hub's login said who they are
    pt.remember(home, code)
    return f"{code}: settings saved" + (", notebooks copied" if copied else "")


if __name__ == "__main__":
    print(f"reconnect first run: {first_run()}")
    sys.exit(0)
