"""A workshop room on JupyterHub: one hub, one system account per participant, no names.

The pieces (see ``docs/deploy.md`` and ``docs/architecture.md``):

* :mod:`.auth` -- the workshop passcode login: a new participant gets a fresh participant code and
  account; a returning one types the passcode and their code. Wrong passcodes are rate-limited.
* :mod:`.spawner` -- JupyterHub's LocalProcessSpawner, plus: the participant's system account is
  created at first login (home folder 0700), the notebooks are put there read-only, the server
  opens 00 in Voilà app mode, and every process has a memory ceiling.
* :mod:`.config` -- everything the hub needs, set from one settings file (``jupyterhub_config.py``).
* :mod:`.room` -- the room's folders and secrets, ``make hub`` and ``make hub-end``.
* :mod:`.room_status` -- ``make hub-status``: who joined, and who is stuck (also for the counselor's 07).

Account names: the hub user and the system user are the same name, the prefix followed by the
participant code in lower case, e.g. ``rc-km7-4tx`` for ``KM7-4TX``. The counselor is ``rc-counselor``.
"""

from __future__ import annotations

from ..records.codes import is_participant_code

DEFAULT_PREFIX = "rc-"
COUNSELOR = "counselor"


def username_for(code: str, prefix: str = DEFAULT_PREFIX) -> str:
    """The hub and system account name of a participant code.

    Examples
    --------
    >>> username_for("KM7-4TX")
    'rc-km7-4tx'
    """
    return f"{prefix}{code.lower()}"


def code_for(username: str, prefix: str = DEFAULT_PREFIX) -> str | None:
    """The participant code of an account name, or ``None`` for any other account (the counselor).

    Examples
    --------
    >>> code_for("rc-km7-4tx"), code_for("rc-counselor"), code_for("root")
    ('KM7-4TX', None, None)
    """
    if not username.startswith(prefix):
        return None
    code = username[len(prefix) :].upper()
    return code if is_participant_code(code) else None


def counselor_name(prefix: str = DEFAULT_PREFIX) -> str:
    """>>> counselor_name('rc-')
    'rc-counselor'
    """
    return f"{prefix}{COUNSELOR}"


def system_user_exists(name: str) -> bool:
    """Whether the machine has a system account called ``name`` (a participant's, or anyone else's)."""
    import pwd

    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True
