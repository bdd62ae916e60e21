"""A module imported on first use, so a page that shows no table or chart never pays for pandas or numpy.

A kernel of 01–05 showed its controls after importing pandas (about half a second of its first second)
for scoring that runs only once answers are saved or shown. ``pd = lazy("pandas")`` at the top of a module
keeps the familiar ``pd.DataFrame(...)`` spelling; the real import happens at the first attribute read.
Type annotations are not evaluated (``from __future__ import annotations``), so they import nothing.

Example
-------
>>> import sys
>>> json_lazy = lazy("json")
>>> json_lazy.dumps([1])
'[1]'
>>> json_lazy
<module 'json' (imported on first use)>
"""

from __future__ import annotations

import importlib
from types import ModuleType


class _Lazy:
    __slots__ = ("_name",)

    def __init__(self, name: str) -> None:
        self._name = name

    def __getattr__(self, attr: str):
        return getattr(importlib.import_module(self._name), attr)

    def __repr__(self) -> str:
        return f"<module {self._name!r} (imported on first use)>"


def lazy(name: str) -> ModuleType:
    """A stand-in for module ``name`` that imports it on the first attribute read (then it costs a dict look-up)."""
    return _Lazy(name)  # type: ignore[return-value]
