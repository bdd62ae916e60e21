"""``python -m reconnect.hub start|end`` (``make hub``, ``make hub-end``)."""

import sys

from .room import main

if __name__ == "__main__":
    sys.exit(main())
