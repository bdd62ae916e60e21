"""The fingerprint of the JupyterLab extension's source, kept beside its committed build.

`make labextension` builds ``src/reconnect/labextension`` from this folder and then runs
``python labextension/stamp.py --write``; ``tests/test_labextension.py`` recomputes the fingerprint and
fails when the source changed without a rebuild (the built files are committed so users need no node).
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BUILT = HERE.parent / "src" / "reconnect" / "labextension"
STAMP = BUILT / "source.sha256"
SOURCES = ("package.json", "package-lock.json", "tsconfig.json", "install.json", "src")


def fingerprint() -> str:
    """sha256 over the source files (path and bytes, in a fixed order)."""
    digest = hashlib.sha256()
    for name in SOURCES:
        path = HERE / name
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            digest.update(file.relative_to(HERE).as_posix().encode() + b"\0")
            digest.update(file.read_bytes().replace(b"\r\n", b"\n") + b"\0")
    return digest.hexdigest()


if __name__ == "__main__":
    if "--write" in sys.argv:
        STAMP.write_text(fingerprint() + "\n")
    print(fingerprint())
