"""Crash-safe file writing: a temporary name, flush + fsync, then a rename that never replaces.

A killed kernel leaves either the whole file or nothing (at most a hidden ``.tmp-*`` file, which
loaders skip). :func:`write_new` never replaces an existing file.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from pathlib import Path

from .errors import StoreError

TEMP_PREFIX = ".tmp-"
# What opening a new file in a folder that is missing or unusable fails with (never a write or an fsync).
_NO_FOLDER = frozenset({errno.ENOENT, errno.ENOTDIR, errno.EACCES, errno.ENAMETOOLONG, errno.ELOOP})


def random_id(nbytes: int = 12) -> str:
    """A random hexadecimal id for file names (never derived from anything a person typed)."""
    return secrets.token_hex(nbytes)


def ensure_folder(folder: Path, *, mode: int = 0o700) -> Path:
    """Create ``folder`` if needed; raise a :class:`StoreError` that says how to fix it."""
    try:
        if stat.S_ISDIR(os.stat(folder).st_mode):  # the usual case (every Save): one system call, not three
            return folder
    except OSError:
        pass
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=mode)
    except OSError as exc:
        raise StoreError(_explain(folder, exc, "create the folder")) from None
    if not folder.is_dir():
        raise StoreError(f"{folder} exists but is not a folder. Move that file away, or choose another data folder.")
    return folder


def write_new(path: Path, data: bytes, *, mode: int = 0o600, sync: bool = True, make_folder=ensure_folder) -> Path:
    """Write ``data`` to ``path`` atomically; fail rather than replace an existing file.

    ``sync=False`` skips the fsync calls; only for bulk copies that can be redone (demo data).
    The folder is made (``make_folder(path.parent)``, :func:`ensure_folder` unless told otherwise)
    when the first file goes into it; into an existing folder a write costs no extra system call.
    """
    tmp = path.parent / f"{TEMP_PREFIX}{random_id(6)}-{path.name}"
    renamed = False
    try:
        try:
            _write_synced(tmp, data, mode, sync)
        except OSError as exc:
            if exc.errno not in _NO_FOLDER:
                raise
            # No folder yet, or one that cannot be made or used: make_folder creates it or says what is
            # wrong (as it did before every write); the temporary file was never created, so retry once.
            make_folder(path.parent)
            _write_synced(tmp, data, mode, sync)
        try:
            renamed = _rename_noreplace(tmp, path)  # one step, refusing to replace: nothing left to clean up
            if not renamed:
                os.link(tmp, path)  # link() refuses to replace: an existing file is never touched
        except FileExistsError:
            raise StoreError(
                f"{path} already exists and was left as it is. Save again (a new name is chosen)."
            ) from None
        except OSError as exc:
            if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EXDEV, errno.EMLINK):
                raise
            if path.exists():  # file systems without hard links: check, then rename
                raise StoreError(f"{path} already exists and was left as it is. Save again.") from None
            os.replace(tmp, path)
        if sync:
            _fsync_folder(path.parent)
    except StoreError:
        raise
    except OSError as exc:
        raise StoreError(_explain(path.parent, exc, "save into the folder")) from None
    finally:
        if not renamed:
            try:
                tmp.unlink()
            except OSError:
                pass
    return path


def replace_file(path: Path, data: bytes, *, mode: int = 0o600, durable: bool = True) -> Path:
    """Atomically replace a small pointer file (e.g. which participant this machine is working as).

    Readers see the old content or the new, never a mix: the new content is written under a temporary
    name and renamed over the old. ``durable=False`` skips the two fsyncs: the file then survives a
    closed page, a restarted kernel or server, but not a power cut before the system writes it out
    (about 30 s). For drafts, written on every answer, which promise no more than that.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = replace_file(folder / "a.json", b"1"); _ = replace_file(folder / "a.json", b"2", durable=False)
    >>> (folder / "a.json").read_bytes(), sorted(p.name for p in folder.iterdir())
    (b'2', ['a.json'])
    """
    ensure_folder(path.parent)
    tmp = path.parent / f"{TEMP_PREFIX}{random_id(6)}-{path.name}"
    try:
        _write_synced(tmp, data, mode, durable)
        os.replace(tmp, path)
        if durable:
            _fsync_folder(path.parent)
    except OSError as exc:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise StoreError(_explain(path.parent, exc, "save into the folder")) from None
    return path


_RENAME_NOREPLACE = 1  # from <linux/fs.h>
_renameat2 = None


def _rename_noreplace(src: Path, dst: Path) -> bool:
    """Rename ``src`` to ``dst`` only if ``dst`` does not exist (Linux ``renameat2``); False where unsupported.

    One system call instead of link + unlink, with the same promise: an existing file is never
    replaced (``FileExistsError``). Anywhere it is not available, the caller links instead.
    """
    global _renameat2
    if _renameat2 is None:
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            _renameat2 = libc.renameat2
            _renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
        except (OSError, AttributeError):
            _renameat2 = False
    if _renameat2 is False:
        return False
    import ctypes

    at_fdcwd = -100
    if _renameat2(at_fdcwd, os.fsencode(src), at_fdcwd, os.fsencode(dst), _RENAME_NOREPLACE) == 0:
        return True
    err = ctypes.get_errno()
    if err == errno.EEXIST:
        raise FileExistsError(errno.EEXIST, os.strerror(err), str(dst))
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EPERM):
        return False  # this file system or kernel cannot do it: link instead
    raise OSError(err, os.strerror(err), str(dst))


def folded(name: str) -> str:
    """A file name as a case-insensitive file system (macOS, Windows) compares it: Unicode NFC, case folded,
    and without the trailing dots and spaces Windows drops. Two names that fold alike may be one file.

    >>> [folded(n) for n in ("Batch.CSV", "x.Csv. ", "KM7-4tx")]
    ['batch.csv', 'x.csv', 'km7-4tx']
    """
    import unicodedata

    return unicodedata.normalize("NFC", name).casefold().rstrip(". ")


def is_csv_name(name: str) -> bool:
    """Whether a file system may treat ``name`` as a CSV file: ``.csv``, ``.CSV``, ``.Csv``, ``.csv.`` ..."""
    return folded(name).endswith(".csv")


def entries_named(folder: Path, name: str) -> list[Path]:
    """The entries of ``folder`` whose name folds like ``name`` (``KM7-4TX``, ``km7-4tx`` ...), sorted."""
    try:
        with os.scandir(folder) as entries:
            return sorted(Path(e.path) for e in entries if folded(e.name) == folded(name))
    except OSError:
        return []


def csv_files_below(folder: Path) -> list[Path]:
    """Every CSV-kind file (any case of ``.csv``) in ``folder`` and below it, links never followed, sorted.

    Hidden files and unfinished saves (``.`` / temporary prefix) are left out: they are listed by :func:`leftovers`.
    """
    found = []
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            path = Path(root) / name
            if is_csv_name(name) and not name.startswith((TEMP_PREFIX, ".")) and not path.is_symlink():
                found.append(path)
    return sorted(found)


def leftovers(folder: Path) -> list[Path]:
    """The hidden temporary files in ``folder`` (not below it): what a save cut short leaves behind.

    They may hold answers, so they are listed and erased like any other personal file.
    """
    try:
        with os.scandir(folder) as entries:
            return sorted(
                Path(e.path) for e in entries if e.name.startswith(TEMP_PREFIX) and e.is_file(follow_symlinks=False)
            )
    except OSError:
        return []


def sweep_leftovers(folder: Path, *, older_than: float = 600.0) -> int:
    """Remove temporary files in ``folder`` older than ``older_than`` seconds; return how many.

    A save holds its temporary file for milliseconds, so one that is minutes old was cut short (a
    killed kernel, a full disk) and will never be finished. Its content is also in no submission.
    """
    import time

    removed = 0
    now = time.time()
    for path in leftovers(folder):
        try:
            if now - path.lstat().st_mtime > older_than:
                path.unlink()
                removed += 1
        except OSError:
            pass
    return removed


def _write_synced(tmp: Path, data: bytes, mode: int, sync: bool) -> None:
    # O_EXCL: a file (or a link planted by someone else) at the random name is never opened;
    # O_NOFOLLOW: belt and braces, a link is never followed.
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, mode)
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        if sync:
            os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _explain(folder: Path, exc: OSError, action: str) -> str:
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return (
            f"Could not {action} {folder}: it is read-only or you lack permission. Nothing was saved "
            "and nothing was lost. Ask whoever set up this computer to make it writable, or set "
            "RECONNECT_HOME to a folder you can write to."
        )
    if exc.errno == errno.ENOSPC:
        return f"Could not {action} {folder}: the disk is full. Free some space and save again; nothing was lost."
    return f"Could not {action} {folder}: {exc.strerror or exc}. Check that the folder exists and is writable, then try again."


def read_bytes_bounded(path: Path, limit: int) -> bytes:
    """The bytes of a regular file, at most ``limit + 1`` of them; never waits on a FIFO or a device.

    Raises :class:`OSError` (with ``errno.EINVAL`` for something that is not a regular file).
    """
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        chunks, left = [], limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)
