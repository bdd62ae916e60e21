"""The collection folder ("drop"): a folder participants can add their submissions to but not read.

:func:`make_drop_folder` sets one up (``reconnect collection-folder``, ``make hub``), and
:func:`drop_copy` is called after a participant's Save: when ``RECONNECT_COLLECT`` names a
collection folder and the participant has a workshop code, a copy of the submission (ratings only:
never reflections, never the display name) is written there. The facilitator later imports the
folder with ``reconnect collect`` (:mod:`reconnect.records.collect`).
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from ..bank.i18n import _
from ..core.errors import StoreError, show
from ..core.files import TEMP_PREFIX, random_id
from .collect import collection_folder

DROP_FILE_MODE = 0o644  # readable by the facilitator; others cannot list the folder nor guess the name
DROP_FILE_MODE_GROUP = 0o640  # when the folder is set-group-id: only the facilitators' group can read
DROP_FOLDER_MODE = 0o1733  # owner: all; others: add files only (no listing); sticky: no deleting others'
DROP_FOLDER_MODE_GROUP = 0o3733  # the same plus set-group-id, so new files belong to the facilitators' group


def _link_new(folder: Path, path: Path, data: bytes, mode: int) -> None:
    """Write ``data`` to ``path`` whole or not at all, never replacing a file, with exactly ``mode``."""
    tmp = folder / f"{TEMP_PREFIX}{random_id(6)}-{path.name}"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        try:
            os.fchmod(fd, mode)  # the umask must not decide who can read a dropped file
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(tmp, path)
        except OSError as exc:
            if isinstance(exc, FileExistsError) or exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV):
                raise
            if path.exists():
                raise FileExistsError(str(path)) from None
            os.replace(tmp, path)
    finally:
        try:
            tmp.unlink()
        except OSError:
            pass


def make_drop_folder(folder: str | Path, *, group: str | None = None) -> Path:
    """Create (or fix the modes of) a collection folder that participants can add to but not read.

    Mode 1733 (``drwx-wx-wt``): the owner (facilitator) reads everything; everyone else can add
    files but cannot list the folder, and the sticky bit stops them deleting or renaming others'
    files. With ``group`` (a group only facilitators belong to), the folder is also set-group-id
    (3733), so new files belong to that group and are written readable by it alone (0640).
    """
    folder = Path(folder)
    gid = -1
    if group is not None:  # checked before anything is created, so a failure leaves nothing behind
        import grp

        try:
            gid = grp.getgrnam(group).gr_gid
        except KeyError:
            raise StoreError(
                f"There is no group '{show(group)}' on this computer. Create it first, or leave out --group. "
                "Nothing was created."
            ) from None
    if folder.is_symlink():
        raise StoreError(
            f"{show(folder)} is a link. A collection folder must be a real folder (a link could point anywhere). "
            "Choose another path; nothing was changed."
        )
    created = not folder.exists()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)  # the folder itself, never a link
        try:
            if gid != -1:
                os.fchown(fd, -1, gid)
            os.fchmod(fd, DROP_FOLDER_MODE_GROUP if gid != -1 else DROP_FOLDER_MODE)
        finally:
            os.close(fd)
    except OSError as exc:
        if created:
            try:
                folder.rmdir()
            except OSError:
                pass
        raise StoreError(
            f"Could not set up {show(folder)} as a collection folder ({exc.strerror or exc}). "
            + ("Nothing was left behind." if created else "The folder was already there and is as it was.")
        ) from None
    return folder


def drop_file_mode(folder: Path) -> int:
    """0640 in a set-group-id folder (the facilitators' group reads), else 0644 (see the guide)."""
    try:
        return DROP_FILE_MODE_GROUP if folder.stat().st_mode & stat.S_ISGID else DROP_FILE_MODE
    except OSError:
        return DROP_FILE_MODE


def drop_copy(submission_csv, submission_id: str, *, workshop: str, folder: Path | None = None) -> str:
    """After a Save: drop a copy of the submission into the collection folder, if one is set up.

    Returns a sentence for the participant ('' when no collection folder or no workshop code).
    Never raises: the answers are already saved on this computer whatever happens here.
    """
    folder = folder if folder is not None else collection_folder()
    if folder is None or not workshop:
        return ""
    if not folder.is_dir():
        return _(
            "Your answers are saved on this computer, but the workshop collection folder {folder} does not "
            "exist, so no copy was handed in. Tell your facilitator, or use 'Export my answers' in 00 Start here."
        ).format(folder=folder)
    if callable(submission_csv):  # the bytes are made only when there is somewhere to drop them
        submission_csv = submission_csv()
    try:
        _link_new(folder, folder / f"sub-{submission_id}.csv", submission_csv, drop_file_mode(folder))
    except OSError as exc:
        return _(
            "Your answers are saved on this computer, but a copy could not be handed in to {folder} "
            "({reason}). Tell your facilitator, or use 'Export my answers' in 00 Start here."
        ).format(folder=folder, reason=exc.strerror or exc)
    return _("A copy of your ratings (no reflections, no name) was handed in to the workshop's collection folder.")
