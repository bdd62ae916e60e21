"""A checked copy of each collected batch file, so that loading a large store does not check it again.

A batch file (``submissions/batch-*.csv``, written by ``reconnect collect``) is never rewritten: it is
created whole and only ever deleted (``forget-workshop`` writes a new one beside it). So its name, size,
times and inode tell its content apart, and what the validator found in it can be kept. After a batch
file passed every check with no problem at all, :func:`reconnect.records.store.load_raw` writes its good rows
here, and the next load takes them from here instead of reading and checking the CSV again.

What keeps the cache from ever deciding what a store holds:

- **Only clean files.** A batch file with any problem (a bad row, a cut-off line) is never cached: it
  is read and checked on every load, and its problems are reported every time.
- **Checked by the code that reads it** (:func:`read`): one key must match exactly (the file's name,
  size, modification and change times, inode and device; a fingerprint of the item bank's statements
  and scale; a fingerprint of the code that checks submissions), every array must have the expected
  type, length and range, and the zip container's CRC-32 must hold. Anything else, and the cache is
  ignored (and rewritten once the file is checked again). Editing a file changes its change time even
  when its size and modification time are put back.
- **Written whole or not at all** (:func:`reconnect.core.files.write_new`: temporary name, fsync, link), and
  never allowed to fail a load: a read-only store simply loads without a cache.
- **Never collected, exported or shared.** It lives in ``<store>/.batch-cache/`` (folder 0700, files
  0600, like the store), beside ``submissions/`` and never in it, so no loader, collect, export or
  group view meets it; ``collect`` also skips this folder when it walks a folder of handed-in files.
  It holds the same answers as the batch files, so it goes with them: a cache whose batch file is gone
  is removed on the next load, ``forget-workshop`` and ``erase`` remove the whole folder, and deleting
  the store deletes it.

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> store = Path(tempfile.mkdtemp())
>>> cache_folder(store).name, clear(store)
('.batch-cache', 0)
"""

from __future__ import annotations

import errno
import functools
import hashlib
import io
import json
import os
import shutil
import stat
from pathlib import Path

from ..bank.model import ItemBank
from ..core.errors import ReconnectError
from ..core.files import TEMP_PREFIX, ensure_folder, read_bytes_bounded, sweep_leftovers, write_new
from .submission import BATCH_PREFIX, COLUMNS

CACHE_FOLDER = ".batch-cache"
#: Bumped when the layout of a cache file changes.
CACHE_FORMAT = 1
SUFFIX = ".npz"
_ROW, _SRC, _TIME = "_row", "_src", "_time"  # as in reconnect.records.validate
#: The modules whose code decides what passes the checks: a change to any of them invalidates every cache.
_RULE_MODULES = ("validate", "column_checks", "values", "rows", "repeats", "codes", "submission", "batchcache")


def cache_folder(store: str | Path) -> Path:
    """Where a store's batch cache lives: ``<store>/.batch-cache/`` (beside ``submissions/``)."""
    return Path(store) / CACHE_FOLDER


def cacheable(name: str) -> bool:
    """Whether a file in ``submissions/`` is a batch file (the only files ever cached).

    >>> cacheable("batch-0a1b.csv"), cacheable("sub-0a1b.csv")
    (True, False)
    """
    return name.startswith(BATCH_PREFIX) and name.endswith(".csv")


def _cache_path(store: str | Path, name: str) -> Path:
    return cache_folder(store) / f"{name}{SUFFIX}"


@functools.lru_cache(maxsize=1)
def _rules_fingerprint() -> str:
    """A hash of the source of the code that checks submissions (read once per process)."""
    from importlib import import_module

    digest = hashlib.sha256()
    for name in _RULE_MODULES:
        module = import_module(f"{__package__}.{name}")
        digest.update(Path(module.__file__).read_bytes())
    return digest.hexdigest()


def _bank_fingerprint(bank: ItemBank) -> str:
    """What of the item bank the checks use: its version, its scale and every statement it knows."""
    known = sorted(f"{a}/{i}" for a, i in bank.item_index())
    text = json.dumps([bank.version, bank.scale_min, bank.scale_max, known])
    return hashlib.sha256(text.encode()).hexdigest()


def _key(path: Path, st: os.stat_result, bank: ItemBank) -> dict:
    return {
        "format": CACHE_FORMAT,
        "file": path.name,
        "size": st.st_size,
        "mtime_ns": st.st_mtime_ns,
        "ctime_ns": st.st_ctime_ns,
        "inode": st.st_ino,
        "device": st.st_dev,
        "bank": _bank_fingerprint(bank),
        "rules": _rules_fingerprint(),
    }


def read(store: str | Path, path: Path, st: os.stat_result, bank: ItemBank):
    """The checked rows of batch file ``path`` (``st``: its ``lstat``), or ``None`` if there is no valid cache.

    The frame has the columns of :func:`reconnect.records.validate.check_rows`'s good rows (``_src`` 0). Any
    doubt gives ``None``: the caller then reads and checks the file itself.
    """
    import numpy as np
    import pandas as pd

    if not cacheable(path.name) or not stat.S_ISREG(st.st_mode):
        return None
    where = _cache_path(store, path.name)
    try:
        data = _read_bounded(where, limit=4 * st.st_size + (1 << 20))
        if data is None:
            return None
        with np.load(io.BytesIO(data), allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in npz.files}  # reading each member checks its CRC-32
        key = json.loads(str(arrays.pop("key")[()]))
        if key != _key(path, st, bank):
            return None
        n = len(arrays[_ROW])
        out = {}
        for c in COLUMNS:
            uniques, codes = arrays[f"u:{c}"], arrays[f"c:{c}"]
            if uniques.ndim != 1 or uniques.dtype.kind != "U" or codes.ndim != 1 or codes.dtype.kind not in "iu":
                return None
            if len(codes) != n or (n and (codes.min() < 0 or codes.max() >= len(uniques))):
                return None
            # Each distinct value becomes text once; the rows take theirs by code. The column gets the dtype
            # pandas gives text ("str"), as it would after looking at every row, without that look.
            out[c] = pd.array(uniques.astype(object), dtype="str").take(codes)
        rows, times = arrays[_ROW], arrays[_TIME]
        if rows.shape != (n,) or rows.dtype.kind not in "iu" or times.shape != (n,) or times.dtype != np.int64:
            return None
        if n and (rows.min() < 2 or (times == np.iinfo(np.int64).min).any()):
            return None
    except Exception:  # any doubt at all (a damaged zip, a wrong type, a missing array): read the file
        return None
    frame = pd.DataFrame(out, copy=False)  # the arrays were made here: nothing to protect by copying
    frame[_ROW] = rows.astype(np.int64)
    frame[_SRC] = np.zeros(n, dtype=np.int64)
    frame[_TIME] = pd.DatetimeIndex(times.view("datetime64[ns]")).tz_localize("UTC")
    return frame


def _read_bounded(path: Path, *, limit: int) -> bytes | None:
    """The bytes of a regular file of at most ``limit`` bytes, never through a link; ``None`` if absent."""
    try:
        data = read_bytes_bounded(path, limit)
    except FileNotFoundError:
        return None
    except OSError as exc:
        if exc.errno == errno.EINVAL:  # not a regular file
            return None
        raise
    return data if len(data) <= limit else None


def write(store: str | Path, path: Path, st: os.stat_result, bank: ItemBank, good) -> bool:
    """Keep the good rows of batch file ``path``, which passed every check with no problem; never raises.

    ``good`` is :func:`reconnect.records.validate.check_rows`'s frame for this file alone. Returns whether a
    cache was written (a read-only store, a full disk or a second writer just leave it unwritten).
    """
    import numpy as np
    import pandas as pd

    if not cacheable(path.name):
        return False
    arrays = {}
    for c in COLUMNS:
        codes, uniques = pd.factorize(good[c].to_numpy(dtype=object))
        if any(not isinstance(u, str) or "\x00" in u for u in uniques):
            return False  # numpy's text arrays would not give it back as it was (never after validation)
        arrays[f"u:{c}"] = np.asarray(list(uniques), dtype=str) if len(uniques) else np.array([], "U1")
        arrays[f"c:{c}"] = codes.astype(np.int32)
    arrays[_ROW] = good[_ROW].to_numpy(dtype=np.int64)
    times = pd.DatetimeIndex(good[_TIME]).tz_convert("UTC").tz_localize(None).as_unit("ns")
    arrays[_TIME] = times.to_numpy().view(np.int64)
    arrays["key"] = np.array(json.dumps(_key(path, st, bank)))
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    target = _cache_path(store, path.name)
    try:
        ensure_folder(cache_folder(store), mode=0o700)
        try:
            target.unlink()  # a stale cache: the file it described changed
        except FileNotFoundError:
            pass
        write_new(target, buffer.getvalue(), mode=0o600)
    except (ReconnectError, OSError):
        return False
    return True


def sweep(store: str | Path, names: set[str]) -> int:
    """Remove cache files whose batch file is no longer in the store (``names``: the batch files there).

    They hold answers that are no longer in the store, so they must not outlive it. Returns how many.
    """
    folder = cache_folder(store)
    try:
        with os.scandir(folder) as entries:
            stale = [
                e.path for e in entries if not e.name.startswith(TEMP_PREFIX) and e.name[: -len(SUFFIX)] not in names
            ]
    except OSError:
        return 0
    removed = sweep_leftovers(folder)  # writes cut short long ago
    for p in stale:
        try:
            os.unlink(p)
            removed += 1
        except OSError:
            pass  # gone meanwhile, or a folder someone put there: it is not read either
    return removed


def clear(store: str | Path) -> int:
    """Remove a store's whole batch cache (``forget-workshop``, ``erase``); return how many files it held."""
    folder = cache_folder(store)
    if folder.is_symlink():
        folder.unlink()
        return 0
    if not folder.is_dir():
        return 0
    count = sum(1 for p in folder.iterdir() if p.is_file())
    shutil.rmtree(folder, ignore_errors=True)
    return count
