"""``python -m reconnect.hub start|end|status`` (``make hub``, ``make hub-end``, ``make hub-status``)."""

import sys
from pathlib import Path

from .room import HubError, end, parse, start
from .room_status import print_status, room_status


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    try:
        if args.command == "start":
            return start(args)
        if args.command == "status":
            print_status(room_status(Path(args.dir), after=args.after), args.after)
            return 0
        end(Path(args.dir), remove_accounts=args.remove_accounts)
        return 0
    except HubError as exc:
        print(f"reconnect hub: {exc.code}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
