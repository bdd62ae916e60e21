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

from .. import participant as pt
from ..paths import data_home
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
    copied = copy_notebooks(environ.get("RECONNECT_NOTEBOOKS", ""), Path.home())
    prefix = environ.get("RECONNECT_HUB_PREFIX", DEFAULT_PREFIX)
    code = code_for(environ.get("JUPYTERHUB_USER", ""), prefix)
    if code is None:
        return "not a participant account; " + ("notebooks copied" if copied else "nothing to do")
    home = data_home()
    if pt.current_settings(home) is not None:
        return f"{code}: settings already there"
    settings = pt.Settings(code=code, workshop=environ.get("RECONNECT_WORKSHOP", ""), session=pt.DEFAULT_SESSION)
    pt.save_settings(home, settings)
    pt.set_device(home, shared=False)  # one account, one person: the hub's login said who they are
    pt.remember(home, code)
    return f"{code}: settings saved" + (", notebooks copied" if copied else "")


if __name__ == "__main__":
    print(f"reconnect first run: {first_run()}")
    sys.exit(0)
