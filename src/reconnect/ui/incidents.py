"""When something unexpected breaks: a calm message for the person, the details in a log file.

No traceback ever reaches a page. The details go to ``logs/`` in the data folder (a new file each
time, written like every other file: never replacing one), so whoever helps can read them later.

Examples
--------
>>> import tempfile
>>> home = tempfile.mkdtemp()
>>> try:
...     raise RuntimeError("boom")
... except RuntimeError as exc:
...     text = calm_text(exc, home=home)
>>> "Nothing you saved was lost" in text and "logs/error-" in text
True
"""

from __future__ import annotations

import functools
import traceback
from datetime import datetime, timezone
from pathlib import Path

LOGS = "logs"


def record(exc: BaseException, *, home: str | Path | None = None) -> str:
    """Write the details of ``exc`` to a new file in ``<home>/logs/``; return its name relative to home ('' if impossible)."""
    from ..core.files import random_id, write_new
    from ..core.paths import data_home

    try:
        folder = Path(home) if home is not None else data_home()
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")
        name = f"error-{stamp}-{random_id(3)}.txt"
        details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        write_new(folder / LOGS / name, details.encode("utf-8", "replace"), sync=False)
        return f"{LOGS}/{name}"
    except Exception:  # a log that cannot be written must not become a second problem
        return ""


def calm_text(exc: BaseException, *, home: str | Path | None = None) -> str:
    """What the person reads instead of a traceback."""
    from ..bank.i18n import _

    where = record(exc, home=home)
    parts = [_("Something went wrong while showing this part of the page. Nothing you saved was lost.")]
    if where:
        parts.append(_("The details were written to {where} in your Reconnect data folder.").format(where=where))
    parts.append(
        _("Reload the page and try again; if it happens again, tell your facilitator or whoever set up Reconnect.")
    )
    return " ".join(parts)


def calm_html(exc: BaseException, *, home: str | Path | None = None) -> str:
    """:func:`calm_text` as the page's error box, for a view to show in place of what failed."""
    from .common import error_message

    return error_message(calm_text(exc, home=home))


def guarded(message_attr: str):
    """Decorate a widget's event handler: any unexpected exception becomes a calm message in ``self.<message_attr>``."""

    def wrap(handler):
        @functools.wraps(handler)
        def inner(self, *args, **kwargs):
            try:
                return handler(self, *args, **kwargs)
            except Exception as exc:
                getattr(self, message_attr).value = calm_html(exc, home=getattr(self, "home", None))
                return None

        return inner

    return wrap
