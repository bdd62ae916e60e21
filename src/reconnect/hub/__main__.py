import sys

from .room import main

sys.exit(main())
