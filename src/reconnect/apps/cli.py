"""The ``reconnect`` command: validate files and make the demo workshop.

Every failure is one plain line per problem (path, location, reason, fix) and an exit code:
0 all good, 1 problems found, 2 the command could not run. Never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..core.errors import Problem, ReconnectError, show


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reconnect",
        description="Reconnect: check answer files, make the demo workshop, collect and summarise a workshop, write printable reports.",
    )
    parser.add_argument(
        "--item-bank",
        type=Path,
        default=None,
        help="the item bank to check submissions against (default: data/item_bank.yaml)",
    )
    sub = parser.add_subparsers(dest="command", required=True)
    _add_validate(sub)
    _add_demo(sub)
    _add_collect(sub)
    _add_summary(sub)
    _add_report(sub)
    _add_collection_folder(sub)
    _add_translations(sub)
    _add_forget_workshop(sub)
    return parser


def _add_validate(sub: argparse._SubParsersAction) -> None:
    """Add the ``validate`` sub-command to ``sub``."""
    v = sub.add_parser("validate", help="check item-bank files, submission files and folders of them")
    v.add_argument("paths", nargs="+", type=Path, metavar="PATH")


def _add_demo(sub: argparse._SubParsersAction) -> None:
    """Add the ``demo`` sub-command to ``sub``."""
    d = sub.add_parser("demo", help="write the synthetic demo workshop into a new folder")
    d.add_argument("--out", type=Path, required=True, help="folder to create (must not hold submissions yet)")
    d.add_argument("--participants", type=int, default=28, help="how many made-up people (default 28)")
    d.add_argument("--couples", type=int, default=None, help="how many couples among them (default: about 30%%)")
    d.add_argument("--seed", type=int, default=2026, help="random seed (the same seed gives the same data)")
    d.add_argument("--workshops", type=int, default=1, help="spread the people over this many workshops (default 1)")
    d.add_argument(
        "--returning",
        type=float,
        default=0.85,
        help="share of people who come back for the 'after' session, 0 to 1 (default 0.85)",
    )


def _add_collect(sub: argparse._SubParsersAction) -> None:
    """Add the ``collect`` sub-command to ``sub``."""
    c = sub.add_parser("collect", help="import handed-in files, folders and zip archives into a store")
    c.add_argument("sources", nargs="+", type=Path, metavar="SOURCE")
    c.add_argument("--into", type=Path, required=True, metavar="STORE", help="the facilitator's store folder")
    c.add_argument("--workshop", default=None, help="only accept submissions of this workshop code")


def _add_summary(sub: argparse._SubParsersAction) -> None:
    """Add the ``summary`` sub-command to ``sub``."""
    s = sub.add_parser("summary", help="per area: n, mean, %% strength, %% growth area, strongest first")
    s.add_argument("store", type=Path, metavar="STORE")
    s.add_argument("--workshop", default=None, help="workshop code (needed when the store holds several)")
    s.add_argument("--session", default=None, help="session label (default: every session, one table each)")
    s.add_argument("--min-group", type=int, default=None, help="minimum group size (default 5, never below 5)")
    s.add_argument("--csv", type=Path, default=None, metavar="OUT", help="also write the table to a new CSV file")


def _add_report(sub: argparse._SubParsersAction) -> None:
    """Add the ``report`` sub-command to ``sub``."""
    r = sub.add_parser(
        "report",
        help="write a printable PDF: a participant's profile or a workshop's group handout",
        description="--participant: a 1-3 page PDF with the profile, ideas to try, change over time, help lines, and a "
        "couple page only when both partners chose to share (journal reflections are never included). "
        "--workshop: the anonymous group handout of a collected store.",
    )
    who = r.add_mutually_exclusive_group(required=True)
    who.add_argument("--participant", metavar="CODE", help="participant code, e.g. KM7-4TX")
    who.add_argument("--workshop", metavar="CODE", help="workshop code (group handout)")
    r.add_argument(
        "--store",
        type=Path,
        default=None,
        help="the answers: a participant's data folder (default: this computer's) or the collected store (--workshop)",
    )
    r.add_argument("--pdf", type=Path, required=True, metavar="OUT", help="the PDF file to write")
    r.add_argument("--session", default=None, help="one session only (default: the newest)")
    r.add_argument(
        "--min-group", type=int, default=None, help="group handout: minimum group size (default 5, never below 5)"
    )
    r.add_argument("--force", action="store_true", help="replace OUT if it exists (otherwise it is never overwritten)")


def _add_collection_folder(sub: argparse._SubParsersAction) -> None:
    """Add the ``collection-folder`` sub-command to ``sub``."""
    f = sub.add_parser("collection-folder", help="create a folder participants can add to but not read")
    f.add_argument("folder", type=Path, metavar="DIR")
    f.add_argument("--group", default=None, help="a group only facilitators belong to (files readable by it only)")


def _add_translations(sub: argparse._SubParsersAction) -> None:
    """Add the ``translations`` sub-command to ``sub``."""
    t = sub.add_parser(
        "translations",
        help="list what a language's item bank and page words lack or have in excess (docs/translating.md)",
        description="Compare data/item_bank.<LANG>.yaml with data/item_bank.yaml (missing or extra texts, ids, "
        "flags or version that differ, texts still in English), then the language's catalog of page words "
        "(src/reconnect/bank/locale/<LANG>/LC_MESSAGES/reconnect.po: strings missing, extra, or with other "
        "{placeholders}). Prints 'complete' only when both are; exit 1 otherwise.",
    )
    t.add_argument("language", nargs="?", default=None, metavar="LANG", help="e.g. es (default: every language)")
    t.add_argument(
        "--folder", type=Path, default=None, help="the folder holding the banks (default: this project's data/)"
    )


def _add_forget_workshop(sub: argparse._SubParsersAction) -> None:
    """Add the ``forget-workshop`` sub-command to ``sub``."""
    g = sub.add_parser(
        "forget-workshop",
        help="delete one workshop's collected answers from a store (asks you to type the workshop code)",
        description="Delete every answer of one workshop from a facilitator's store. Files holding only that "
        "workshop are deleted; batch files that also hold other workshops are never edited: the other "
        "workshops' answers are copied into new files first, then the old files are deleted. "
        "Handed-in copies elsewhere (USB sticks, the collection folder, e-mail) are not touched.",
    )
    g.add_argument("store", type=Path, metavar="STORE", help="the facilitator's store folder")
    g.add_argument("workshop", metavar="WORKSHOP", help="the workshop code whose answers to delete")
    g.add_argument(
        "--confirm",
        default=None,
        metavar="WORKSHOP",
        help="the workshop code typed again (otherwise you are asked for it); without it nothing is deleted",
    )


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "validate":
            return _validate(args)
        if args.command == "demo":
            return _demo(args)
        if args.command == "collect":
            return _collect(args)
        if args.command == "summary":
            return _summary(args)
        if args.command == "report":
            return _report(args)
        if args.command == "collection-folder":
            return _collection_folder(args)
        if args.command == "forget-workshop":
            return _forget_workshop(args)
        if args.command == "translations":
            return _translations(args)
    except ReconnectError as exc:
        print(f"reconnect: {_shown(exc)}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("reconnect: stopped; nothing already written was changed.", file=sys.stderr)
        return 2
    except Exception as exc:  # the promise is: never a traceback for a counselor
        print(
            f"reconnect: unexpected problem ({type(exc).__name__}: {_shown(exc)}). Nothing was changed. "
            "Please report this with the command you ran.",
            file=sys.stderr,
        )
        return 2
    return 2


def _shown(exc: BaseException) -> str:
    """A message with every control character written out, line by line (a message may have several lines)."""
    return "\n".join(show(line) for line in str(exc).split("\n"))


def _translations(args) -> int:
    from .translations import languages, translation_report

    wanted = [args.language] if args.language else languages(args.folder)[1:]
    if not wanted:
        print("Only the English item bank is here: no translation to check (docs/translating.md says how to add one).")
        return 0
    incomplete = False
    for language in wanted:
        lines, missing = translation_report(language, args.folder)
        lines += _catalog_lines(language)
        missing = missing or any(not line.endswith(": complete.") for line in _catalog_lines(language))
        incomplete = incomplete or missing
        for line in lines:
            print(show(line))
    return 1 if incomplete else 0


def _catalog_lines(language: str) -> list[str]:
    """The notebooks' text of ``language`` (``notebooks.po``): which markdown cells are missing or extra.

    (The bank and the catalog of page words are reported by :func:`reconnect.apps.translations.translation_report`.)
    """
    from ..bank.i18n import NOTEBOOKS_DOMAIN, catalog_path, normalise_language
    from .catalogs import notebook_catalog_problems

    lang = normalise_language(language)
    if lang == "en":
        return []
    problems = notebook_catalog_problems(lang)
    name = catalog_path(lang, NOTEBOOKS_DOMAIN).name
    return [str(p) for p in problems] + [
        f"{name}: {len(problems)} notebook cells to fix." if problems else f"{name}: complete."
    ]


def _validate(args) -> int:
    """Item banks are checked as banks; everything else goes through collect's own checks, writing nothing.

    So ``validate`` accepts exactly what ``collect`` would import: the same files, folders and zip
    archives, the same file-level and submission-level checks, the same item-bank version rule.
    """
    from ..bank.content import load_item_bank
    from ..records.collect import collect
    from .translations import check_translation, is_translation

    def validate_item_bank(bank_path: Path) -> list[Problem]:
        """The bank's own problems, and for item_bank.<lang>.yaml its differences from the English bank."""
        from ..bank.content import validate_item_bank as own_problems

        return own_problems(bank_path) + (check_translation(bank_path) if is_translation(bank_path) else [])

    problems: list[Problem] = []
    checked = 0
    sources: list[Path] = []
    for path in args.paths:
        if path.is_symlink() or not path.exists():
            sources.append(path)  # collect explains links and missing paths
        elif path.is_dir():
            found = [p for p in path.rglob("*") if p.is_file() and not p.is_symlink()]
            banks = sorted(p for p in found if p.suffix.lower() in (".yaml", ".yml"))
            for p in banks:
                checked += 1
                problems.extend(validate_item_bank(p))
            if len(banks) < len(found) or not banks:
                sources.append(path)
        elif path.suffix.lower() in (".yaml", ".yml"):
            checked += 1
            problems.extend(validate_item_bank(path))
        else:
            sources.append(path)
    if sources:
        try:
            bank = load_item_bank(args.item_bank)
        except ReconnectError as exc:
            problems.extend(
                exc.problems or [Problem(str(args.item_bank or "item bank"), "", str(exc), "fix the item bank first")]
            )
            bank = None
        if bank is not None:
            result = collect(sources, None, bank=bank, dry_run=True)
            checked += result.files
            problems.extend(result.rejected)
    for problem in problems:
        print(problem)
    bad_files = len({p.path for p in problems})
    summary = f"{checked} file(s) checked: {max(checked - bad_files, 0)} valid, {bad_files} with problems."
    print(summary if problems else f"{checked} file(s) checked: all valid.")
    return 1 if problems else 0


def _demo(args) -> int:
    from ..bank.content import load_item_bank
    from .demo import write_demo

    if args.participants < 2:
        raise ReconnectError("--participants must be at least 2.")
    couples = args.couples if args.couples is not None else round(args.participants * 0.3)
    if not 0 <= couples <= args.participants // 2:
        raise ReconnectError(
            f"--couples must be between 0 and {args.participants // 2} for {args.participants} participants."
        )
    if not 1 <= args.workshops <= args.participants:
        raise ReconnectError(f"--workshops must be between 1 and {args.participants}.")
    if not 0 <= args.returning <= 1:
        raise ReconnectError("--returning must be between 0 and 1, e.g. 0.85.")
    n = write_demo(
        args.out,
        workshops=args.workshops,
        returning=args.returning,
        participants=args.participants,
        couples=couples,
        seed=args.seed,
        bank=load_item_bank(args.item_bank),
        sync=False,
    )
    print(
        f"Wrote {n} synthetic submissions ({args.participants} made-up participants, {couples} couples"
        + (f", {args.workshops} workshops" if args.workshops > 1 else "")
        + f") into {show(args.out)}."
    )
    return 0


def _collect(args) -> int:
    from ..bank.content import load_item_bank
    from ..records.collect import collect
    from ..records.collect_progress import progress_stream

    result = collect(
        args.sources,
        args.into,
        bank=load_item_bank(args.item_bank),
        workshop=args.workshop,
        progress=progress_stream(),
    )
    for problem in result.rejected:
        print(f"rejected: {problem}")
    print(f"{result.summary()} (store: {show(args.into)})")
    return 0 if result.ok else 1


def _group_input(args):
    from ..bank.content import load_item_bank
    from ..records.store import load_store
    from ..results.group import workshops
    from ..results.group_privacy import check_min_group

    k = check_min_group(args.min_group)
    if not args.store.is_dir():
        raise ReconnectError(f"There is no store folder {args.store}. Check the path, or run reconnect collect first.")
    bank = load_item_bank(args.item_bank)
    data = load_store(args.store, bank=bank)
    for problem in data.problems:
        print(f"skipped: {problem}", file=sys.stderr)
    found = workshops(data.frame)
    if not found:
        raise ReconnectError(f"The store {args.store} holds no submissions yet. Collect some first.")
    workshop = args.workshop
    if workshop is None:
        if len(found) > 1:
            raise ReconnectError(
                f"The store holds several workshops ({', '.join(w or '(no code)' for w in found)}). "
                "Choose one with --workshop."
            )
        workshop = found[0]
    elif workshop not in found:
        raise ReconnectError(
            f"There is no workshop '{workshop}' in the store. It holds: {', '.join(w or '(no code)' for w in found)}."
        )
    return bank, data.frame, workshop, k


def _summary(args) -> int:
    import pandas as pd

    from ..results.group import sessions, summary, summary_text
    from ..results.group_csv import write_csv

    bank, frame, workshop, k = _group_input(args)
    chosen = [args.session] if args.session else sessions(frame, workshop=workshop)
    if args.session and args.session not in sessions(frame, workshop=workshop):
        raise ReconnectError(
            f"Workshop '{workshop}' has no session '{args.session}'. "
            f"It has: {', '.join(sessions(frame, workshop=workshop))}."
        )
    tables = []
    for session in chosen:
        table = summary(frame, bank, workshop=workshop, session=session, min_group=k)
        tables.append(table)
        print(
            f"Workshop {workshop or '(no code)'}, session {session} (minimum group size {k}; self-ratings, not a diagnosis):"
        )
        print(summary_text(table))
        print()
    if args.csv:
        write_csv(pd.concat(tables, ignore_index=True), args.csv)
        print(f"Wrote {show(args.csv)}.")
    return 0


def _report(args) -> int:
    if args.participant is not None:
        return _personal_report(args)
    from ..output.group_report import write_handout
    from ..results.group import sessions

    if args.store is None:
        raise ReconnectError("Give the store folder with --store DIR (where the answers were collected).")
    bank, frame, workshop_arg, k = _group_input(args)
    available = sessions(frame, workshop=workshop_arg)
    if not available:
        raise ReconnectError(f"There is no workshop '{workshop_arg}' in the store {args.store}.")
    session = args.session or available[-1]
    if session not in available:
        raise ReconnectError(f"Workshop '{workshop_arg}' has no session '{session}'. It has: {', '.join(available)}.")
    pages = write_handout(frame, bank, workshop=workshop_arg, session=session, out=args.pdf, min_group=k)
    print(f"Wrote the group handout for workshop {workshop_arg}, session {session}: {show(args.pdf)} ({pages} pages).")
    return 0


def _collection_folder(args) -> int:
    from ..records.drop_folder import make_drop_folder

    folder = make_drop_folder(args.folder, group=args.group)
    print(
        f"{show(folder)} is ready: participants can add files but cannot list or read them. "
        f"Set RECONNECT_COLLECT={show(folder)} for every participant (see docs/facilitator-guide.md)."
    )
    return 0


def _forget_workshop(args) -> int:
    from ..bank.content import load_item_bank
    from ..records.retention import forget_workshop, plan_forget

    if not args.store.is_dir():
        raise ReconnectError(f"There is no store folder {args.store}. Check the path; nothing was deleted.")
    plan = plan_forget(args.store, args.workshop)
    for line in plan.lines():
        print(line)
    if plan.empty:
        print(f"Nothing to delete: no answers of workshop '{plan.workshop}' in {args.store}.")
        return 1 if plan.skipped else 0
    typed = args.confirm
    if typed is None:
        if not sys.stdin.isatty():
            raise ReconnectError(
                "Nothing was deleted. To confirm, run the command in a terminal and type the workshop code when "
                "asked, or add --confirm WORKSHOP."
            )
        typed = input(f"This cannot be undone. Type the workshop code '{plan.workshop}' to delete its answers: ")
    result = forget_workshop(args.store, args.workshop, confirm=typed, bank=load_item_bank(args.item_bank))
    for line in result.lines():
        print(line)
    print(
        "Copies elsewhere are not touched: delete handed-in files (USB sticks, the collection folder, e-mail "
        "attachments), exported CSVs and printed handouts of this workshop yourself."
    )
    return 1 if result.problems else 0


def _personal_report(args) -> int:
    from ..bank.content import load_item_bank
    from ..core.paths import data_home
    from ..output.report import write_report

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
    print(
        f"Wrote a {pages}-page report for {show(args.participant.strip().upper())}{extra} to {show(path)}. Keep it private."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
