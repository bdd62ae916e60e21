"""ipywidgets views. Each is a plain class holding its widgets, so tests can set ``.value`` and
call ``.click()`` without a browser; ``.widget`` is what a notebook displays."""
