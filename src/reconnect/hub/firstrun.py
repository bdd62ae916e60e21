"""Give a fresh participant server its settings: the participant code (from the account) and workshop.

For hubs whose spawner does not run :mod:`.spawner` (Zero to JupyterHub's KubeSpawner, The Littlest
JupyterHub's SystemdSpawner): run ``python -m reconnect.hub.firstrun`` as the participant when the
server starts (a ``postStart`` hook). Reads ``JUPYTERHUB_USER``, ``RECONNECT_HUB_PREFIX`` (default
``rc-``), ``RECONNECT_WORKSHOP`` and ``RECONNECT_HOME``; writes nothing when settings exist already.
"""

from __future__ import annotations

import os
import sys

from .. import participant as pt
from ..paths import data_home
from . import DEFAULT_PREFIX, code_for


def first_run(environ=os.environ) -> str:
    """Save the settings if this data folder has none; return what was done (one line)."""
    prefix = environ.get("RECONNECT_HUB_PREFIX", DEFAULT_PREFIX)
    code = code_for(environ.get("JUPYTERHUB_USER", ""), prefix)
    if code is None:
        return "not a participant account; nothing to do"
    home = data_home()
    if pt.current_settings(home) is not None:
        return f"{code}: settings already there"
    pt.save_settings(
        home, pt.Settings(code=code, workshop=environ.get("RECONNECT_WORKSHOP", ""), session=pt.DEFAULT_SESSION)
    )
    return f"{code}: settings saved"


if __name__ == "__main__":
    print(f"reconnect first run: {first_run()}")
    sys.exit(0)
