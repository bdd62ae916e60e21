"""Values from the environment are input: one validated reader per kind of value.

Every variable Reconnect reads (``RECONNECT_*``, ``HUB_*``, and through ``make … LANG=`` the
language) is read here, never with a bare ``os.environ.get`` elsewhere (a test greps the package).
A value that cannot be used is never fatal: the reader returns the safe default (English for a
language, "shared" for the device, "not set" for a folder) and reports the problem **once per
variable and value**, as one line naming the variable, the value and what it accepts, on standard
error and in the log (:func:`problems` lists them, e.g. for a page or a test).

Examples
--------
>>> env = {"RECONNECT_SHARED": "maybe", "HUB_PORT": "80a"}
>>> flag("RECONNECT_SHARED", environ=env, default=True)
True
>>> integer("HUB_PORT", 8000, low=1, high=65535, environ=env)
8000
>>> [p.split(":")[0] for p in problems()][-2:]
['RECONNECT_SHARED', 'HUB_PORT']
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

from .errors import report_once, show

# C0/C1 control characters (a NUL in a path stops every file call with ValueError), DEL.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
TRUE = ("1", "true", "yes", "on")
FALSE = ("0", "false", "no", "off")


def report(name: str, value: str, accepts: str, using: str) -> str:
    """Say once (per variable and value) that ``name=value`` cannot be used, what it accepts and what is used instead."""
    shown = value if len(value) <= 80 else value[:77] + "..."
    text = f"{name}: the value '{shown}' cannot be used; it accepts {accepts}. Using {using} instead (set {name} to one of those, or unset it)."
    return report_once(f"env:{name}={value}", text)


def problems() -> list[str]:
    """Every problem with a value from the environment reported in this process, oldest first."""
    from .errors import _said

    return [text for key, text in _said.items() if key.startswith("env:")]


def raw(name: str, environ: Mapping[str, str] | None = None) -> str:
    """The variable's value stripped of surrounding spaces; unset and empty both give ``""`` (``make`` exports empty ones)."""
    return (environ if environ is not None else os.environ).get(name, "").strip()


def text(name: str, default: str = "", *, pattern: str | None = None, accepts: str = "", environ=None) -> str:
    """A plain text setting (no control characters; matching ``pattern`` when given), else ``default``."""
    value = raw(name, environ)
    if not value:
        return default
    if _CONTROL.search(value) or (pattern is not None and not re.fullmatch(pattern, value)):
        report(name, show(value), accepts or "plain text without control characters", repr(default) if default else "nothing")
        return default
    return value


def path(name: str, *, environ=None) -> Path | None:
    """A folder or file named by a variable (``~`` expanded), or ``None`` when unset or unusable."""
    value = raw(name, environ)
    if not value:
        return None
    if _CONTROL.search(value) or len(value) > 4096:
        report(name, show(value), "a path to a folder or file (no control characters)", "the default place")
        return None
    try:
        return Path(value).expanduser()
    except RuntimeError:  # "~nobody/x": a user that does not exist
        report(name, show(value), "a path to a folder or file (a '~user' that exists)", "the default place")
        return None


def flag(name: str, *, default: bool | None = None, environ=None) -> bool | None:
    """``1/true/yes/on`` or ``0/false/no/off`` (any case); unset gives ``None``, anything else ``default``."""
    value = raw(name, environ).lower()
    if not value:
        return None
    extra = {"RECONNECT_SHARED": ("shared", "personal")}.get(name, ())
    if value in TRUE or (extra and value == extra[0]):
        return True
    if value in FALSE or (extra and value == extra[1]):
        return False
    words = "/".join(TRUE[:3]) + (f"/{extra[0]}" if extra else "") + " or " + "/".join(FALSE[:3]) + (f"/{extra[1]}" if extra else "")
    report(name, show(value), words, {True: "yes", False: "no", None: "the default"}[default])
    return default


def integer(name: str, default: int, *, low: int, high: int, environ=None) -> int:
    """A whole number from ``low`` to ``high`` (ASCII digits), else ``default``."""
    value = raw(name, environ)
    if not value:
        return default
    if re.fullmatch(r"[0-9]{1,9}", value) and low <= int(value) <= high:
        return int(value)
    report(name, show(value), f"a whole number from {low} to {high}", str(default))
    return default
