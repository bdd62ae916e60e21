"""Reconnect: a workshop notebook series on emotional intimacy in couples.

The notebooks call into this package; everything a notebook shows is built here so that it can be
tested without a browser. Heavy libraries (matplotlib, ipywidgets) are imported only where needed.
"""

__version__ = "0.1.0"
