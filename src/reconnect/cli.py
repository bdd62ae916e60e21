"""The ``reconnect`` command: validate files and make the demo workshop.

Every failure is one plain line per problem (path, location, reason, fix) and an exit code:
0 all good, 1 problems found, 2 the command could not run. Never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import Problem, ReconnectError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reconnect",
        description="Reconnect: check answer files, make the demo workshop, write printable reports.",
    )
    parser.add_argument(
        "--item-bank",
        type=Path,
        default=None,
        help="the item bank to check submissions against (default: data/item_bank.yaml)",
    )
    sub = parser.add_subparsers(dest="command", required=True)

    v = sub.add_parser("validate", help="check item-bank files, submission files and folders of them")
    v.add_argument("paths", nargs="+", type=Path, metavar="PATH")

    d = sub.add_parser("demo", help="write the synthetic demo workshop into a new folder")
    d.add_argument("--out", type=Path, required=True, help="folder to create (must not hold submissions yet)")
    d.add_argument("--participants", type=int, default=28, help="how many made-up people (default 28)")
    d.add_argument("--couples", type=int, default=None, help="how many couples among them (default: about 30%%)")
    d.add_argument("--seed", type=int, default=2026, help="random seed (the same seed gives the same data)")

    r = sub.add_parser(
        "report",
        help="write a printable PDF report (one participant's profile)",
        description="Write a 1-3 page PDF: profile, ideas to try, change over time, help lines, and a couple "
        "page only when both partners chose to share. Journal reflections are never included.",
    )
    who = r.add_mutually_exclusive_group(required=True)
    who.add_argument("--participant", metavar="CODE", help="participant code, e.g. KM7-4TX")
    who.add_argument("--workshop", metavar="CODE", help="workshop code (group handout)")
    r.add_argument(
        "--store", type=Path, default=None, help="data folder with the answers (default: this computer's data folder)"
    )
    r.add_argument("--pdf", type=Path, required=True, metavar="OUT", help="the PDF file to write")
    r.add_argument("--session", default=None, help="one session only (default: newest answer in each area)")
    r.add_argument("--force", action="store_true", help="replace OUT if it exists (otherwise it is never overwritten)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "validate":
            return _validate(args)
        if args.command == "demo":
            return _demo(args)
        if args.command == "report":
            return _report(args)
    except ReconnectError as exc:
        print(f"reconnect: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("reconnect: stopped; nothing already written was changed.", file=sys.stderr)
        return 2
    except Exception as exc:  # the promise is: never a traceback for a counselor
        print(
            f"reconnect: unexpected problem ({type(exc).__name__}: {exc}). Nothing was changed. "
            "Please report this with the command you ran.",
            file=sys.stderr,
        )
        return 2
    return 2


def _validate(args) -> int:
    from .content import load_item_bank, validate_item_bank
    from .store import read_submission_file

    problems: list[Problem] = []
    checked = 0
    submission_files: list[Path] = []
    for path in args.paths:
        if not path.exists():
            problems.append(Problem(str(path), "", "there is no such file or folder", "check the spelling of the path"))
        elif path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
            for p in found:
                if p.suffix.lower() in (".yaml", ".yml"):
                    checked += 1
                    problems.extend(validate_item_bank(p))
                elif p.suffix.lower() == ".csv":
                    submission_files.append(p)
            if not found:
                problems.append(
                    Problem(
                        str(path),
                        "",
                        "the folder holds no files to check",
                        "point at a submission file, a store folder or an item bank",
                    )
                )
        elif path.suffix.lower() in (".yaml", ".yml"):
            checked += 1
            problems.extend(validate_item_bank(path))
        else:
            submission_files.append(path)
    if submission_files:
        try:
            bank = load_item_bank(args.item_bank)
        except ReconnectError as exc:
            problems.extend(
                exc.problems or [Problem(str(args.item_bank or "item bank"), "", str(exc), "fix the item bank first")]
            )
            bank = None
        if bank is not None:
            for path in submission_files:
                checked += 1
                problems.extend(read_submission_file(path, bank)[1])
    for problem in problems:
        print(problem)
    bad_files = len({p.path for p in problems})
    summary = f"{checked} file(s) checked: {checked - min(bad_files, checked)} valid, {bad_files} with problems."
    print(summary if problems else f"{checked} file(s) checked: all valid.")
    return 1 if problems else 0


def _demo(args) -> int:
    from .content import load_item_bank
    from .demo import write_demo

    if args.participants < 2:
        raise ReconnectError("--participants must be at least 2.")
    couples = args.couples if args.couples is not None else round(args.participants * 0.3)
    if not 0 <= couples <= args.participants // 2:
        raise ReconnectError(
            f"--couples must be between 0 and {args.participants // 2} for {args.participants} participants."
        )
    n = write_demo(
        args.out,
        participants=args.participants,
        couples=couples,
        seed=args.seed,
        bank=load_item_bank(args.item_bank),
        sync=False,
    )
    print(
        f"Wrote {n} synthetic submissions ({args.participants} made-up participants, {couples} couples) into {args.out}."
    )
    return 0


def _report(args) -> int:
    if args.workshop is not None:
        print("reconnect: the group handout is not part of this build yet", file=sys.stderr)
        return 2
    from .content import load_item_bank
    from .paths import data_home
    from .report import write_report

    store = args.store if args.store is not None else data_home()
    path, pages, couple = write_report(
        store,
        args.participant,
        args.pdf,
        bank=load_item_bank(args.item_bank),
        session=args.session,
        force=args.force,
    )
    extra = " with the couple page (both partners share)" if couple else ""
    print(f"Wrote a {pages}-page report for {args.participant.strip().upper()}{extra} to {path}. Keep it private.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
