"""The item bank: areas, statements, the rating scale, prompts, exercises and band cut points.

The bank is a YAML file a counselor can edit (``data/item_bank.yaml``). Loading validates all of
it and reports every problem at once, naming the file, the area and the statement.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from ..core import settings_env
from ..core.errors import ItemBankError, Problem, show
from ..core.paths import ITEM_BANK_NAME, english_bank_path
from .content_areas import _nonblank, _parse_area, _parse_conversations
from .i18n import DEFAULT_LANGUAGE, active_language, normalise_language
from .model import AREA_IDS, Area, ItemBank

_BANK_FILE_LANG = re.compile(r"item_bank\.([a-z]{2,3})\.ya?ml", re.I)
#: An item-bank version: it is written into every submission, so it stays short and plain.
VERSION_RE = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]{0,31}")
# Bounds that keep a hostile or broken file from exhausting memory or the stack: the real bank is
# about 20 KB, 4 levels deep, with texts under 400 characters.
MAX_BANK_BYTES = 512 * 1024
MAX_DEPTH = 12
MAX_TEXT = 2000
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def load_item_bank(path: str | Path | None = None) -> ItemBank:
    """Load and validate the item bank; raise :class:`ItemBankError` listing every problem.

    Examples
    --------
    >>> bank = load_item_bank()
    >>> [a.id for a in bank.areas][:2]
    ['self_esteem', 'distrust']
    """
    path = Path(path) if path is not None else item_bank_path()
    resolved = path.resolve() if path.exists() else path
    stat = path.stat() if path.exists() else None
    return _load_cached(str(resolved), stat.st_mtime_ns if stat else 0, stat.st_size if stat else 0)


@lru_cache(maxsize=8)
def _load_cached(path: str, _mtime: int, _size: int) -> ItemBank:
    bank, problems = _parse(Path(path))
    if problems:
        raise ItemBankError(f"The item bank {path} has {len(problems)} problem(s); nothing was changed.", problems)
    return bank  # type: ignore[return-value]  # no problems means a bank was built


def validate_item_bank(path: str | Path) -> list[Problem]:
    """Every problem in an item bank file (empty when it is valid)."""
    return _parse(Path(path))[1]


def _parse(path: Path) -> tuple[ItemBank | None, list[Problem]]:
    p = str(path)

    def problem(location: str, reason: str, fix: str) -> list[Problem]:
        return [Problem(p, location, reason, fix)]

    data, unreadable = _read_yaml(path, problem)
    if data is None:
        return None, unreadable

    problems: list[Problem] = []
    add = problems.extend

    version = data.get("version")
    _check_version(version, problem, problems)
    add(_text_problems(data, p))
    language = _parse_language(data.get("language"), path, problem, problems)

    scale = _parse_scale(data.get("scale"), problem, problems)
    growth, strength = _parse_bands(data.get("bands"), problem, problems)

    safety = data.get("safety") if isinstance(data.get("safety"), dict) else {}
    _check_safety(safety, problem, problems)
    areas = _parse_areas(data.get("areas"), problem, problems, str(version).strip(), language)
    conversations = _parse_conversations(data.get("conversations"), problem, problems)

    if problems:
        return None, problems
    return (
        ItemBank(
            version=str(version).strip(),
            scale=scale,
            growth_below=growth,
            strength_from=strength,
            non_diagnostic=str(safety.get("non_diagnostic")).strip(),
            help=tuple(str(h).strip() for h in safety.get("help")),
            areas=tuple(areas),
            path=p,
            together_line=str(safety.get("together")).strip(),
            afraid_note=str(safety.get("afraid")).strip(),
            conversations=conversations,
            language=language,
        ),
        [],
    )


def _read_yaml(path: Path, problem) -> tuple[dict | None, list[Problem]]:
    """The bank file's top-level fields, or ``None`` and the one problem that stops it being read."""
    import yaml

    try:
        raw_bytes = path.read_bytes()
    except FileNotFoundError:
        return None, problem(
            "", "the file does not exist", "check the path, or restore data/item_bank.yaml from the project"
        )
    except OSError as exc:
        return None, problem("", f"the file cannot be read ({exc.strerror})", "check its permissions")
    if len(raw_bytes) > MAX_BANK_BYTES:
        return None, problem(
            "",
            f"the file is {len(raw_bytes):,} bytes; an item bank is far smaller (at most {MAX_BANK_BYTES:,})",
            "check that this is the item bank, or restore data/item_bank.yaml from the project",
        )
    try:
        text = raw_bytes.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, problem(
            f"byte {exc.start}", "the file is not UTF-8 text", "save it again as UTF-8 in your text editor"
        )
    if not text.strip():
        return None, problem("", "the file is empty", "restore it from the project or a backup")
    try:
        data = _bounded_yaml(text)
    except _TooDeep:
        return None, problem(
            "", f"the file nests lists or sections more than {MAX_DEPTH} levels deep", "start from data/item_bank.yaml"
        )
    except _Alias as exc:
        return None, problem(
            str(exc),
            "the file uses YAML anchors or aliases (& or *), which an item bank never needs",
            "write each text out in full",
        )
    except (ValueError, OverflowError, RecursionError, MemoryError):
        return None, problem(
            "",
            "a value in the file cannot be read (for example a number thousands of digits long)",
            "compare the file with data/item_bank.yaml in the project and put versions in quotes",
        )
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        return None, problem(
            where,
            f"the YAML cannot be read ({getattr(exc, 'problem', None) or exc})",
            "check indentation and put text containing ':' or '#' in quotes",
        )
    if not isinstance(data, dict):
        return None, problem(
            "", "the top level is not a set of named fields", "start from data/item_bank.yaml in the project"
        )
    return data, []


def _check_version(version, problem, problems) -> None:
    """``version:`` present and plain, since it is written into every saved answer."""
    if not isinstance(version, (str, int, float)) or not str(version).strip():
        problems.extend(problem("version", "the version is missing", 'add a line such as version: "1.0"'))
    elif not VERSION_RE.fullmatch(str(version)):
        problems.extend(
            problem(
                "version",
                f"'{show(str(version)[:40])}' is not a plain version: it is written into every saved answer",
                'use letters, digits, dots and dashes only, at most 32, e.g. version: "1.1"',
            )
        )


def _check_safety(safety: dict, problem, problems) -> None:
    """The ``safety:`` texts every page relies on: the note, the help lines, the lines for the afraid."""
    add = problems.extend
    non_diag = safety.get("non_diagnostic")
    if not _nonblank(non_diag):
        add(
            problem(
                "safety.non_diagnostic",
                "the note that results are not a diagnosis is missing",
                "write one or two sentences under safety: non_diagnostic:",
            )
        )
    help_lines = safety.get("help")
    if not isinstance(help_lines, list) or not help_lines or not all(_nonblank(h) for h in help_lines):
        add(
            problem(
                "safety.help",
                "the list of help resources is missing or has blank lines",
                "list crisis and domestic-violence resources under safety: help:",
            )
        )
    together_line = safety.get("together")
    if not _nonblank(together_line):
        add(
            problem(
                "safety.together",
                "the line for people who may be afraid of their partner is missing",
                "write it under safety: together: (skip the exercises done together, talk to someone on your own "
                "first, with a domestic-violence line)",
            )
        )
    afraid_note = safety.get("afraid")
    if not _nonblank(afraid_note):
        add(
            problem(
                "safety.afraid",
                "the note shown after 'yes' to 'Do you ever feel afraid of your partner?' is missing",
                "write one or two calm sentences under safety: afraid:",
            )
        )


def _parse_areas(areas_raw, problem, problems, version: str, language: str) -> list[Area]:
    """``areas:``: each area (its statements and suggestions), all five, in their order."""
    add = problems.extend
    areas: list[Area] = []
    if not isinstance(areas_raw, list):
        add(problem("areas", "the list of areas is missing", f"add the five areas: {', '.join(AREA_IDS)}"))
        areas_raw = []
    seen_items: dict[str, str] = {}
    seen_areas: set[str] = set()
    for index, raw in enumerate(areas_raw, start=1):
        area = _parse_area(index, raw, problem, problems, seen_items, seen_areas, version, language)
        if area is not None:
            areas.append(area)
    ids = [a.id for a in areas]
    missing = [a for a in AREA_IDS if a not in seen_areas]
    if areas_raw and missing:
        add(problem("areas", f"area(s) missing: {', '.join(missing)}", "add them back; the notebooks need all five"))
    if not problems and ids != list(AREA_IDS):
        add(
            problem(
                "areas",
                f"the areas are in the order {', '.join(ids)}",
                f"put them in this order: {', '.join(AREA_IDS)}",
            )
        )
    return areas


def _parse_language(raw, path: Path, problem, problems) -> str:
    """``language:`` (optional, English when absent); a bank named ``item_bank.<lang>.yaml`` must declare it."""
    named = _BANK_FILE_LANG.fullmatch(path.name)
    if raw is None and not named:
        return DEFAULT_LANGUAGE
    if not isinstance(raw, str) or normalise_language(raw) != raw.strip() or raw.strip() == "":
        problems.extend(
            problem(
                "language",
                f"the language {show(str(raw)[:40])!r} is missing or not a two- or three-letter code",
                f"write language: {named.group(1).lower() if named else 'es'} (lower case) at the top of the file",
            )
        )
        return DEFAULT_LANGUAGE
    language = raw.strip()
    if named and named.group(1).lower() != language:
        problems.extend(
            problem(
                "language",
                f"the file is named for '{named.group(1).lower()}' but says language: {language}",
                f"name the file item_bank.{language}.yaml, or correct the language line",
            )
        )
    return language


class _TooDeep(Exception):
    pass


class _Alias(Exception):
    pass


def _bounded_yaml(text: str):
    """``yaml.safe_load`` with bounds: no anchors or aliases (no alias bombs), at most MAX_DEPTH levels."""
    import yaml

    class Loader(yaml.SafeLoader):
        depth = 0

        def compose_node(self, parent, index):
            if self.check_event(yaml.AliasEvent):
                mark = self.peek_event().start_mark
                raise _Alias(f"line {mark.line + 1}")
            event = self.peek_event()
            if getattr(event, "anchor", None):
                raise _Alias(f"line {event.start_mark.line + 1}")
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise _TooDeep
            try:
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1

    return yaml.load(text, Loader=Loader)  # noqa: S506  (a SafeLoader subclass)


def _text_problems(data, path: str, where: str = "") -> list[Problem]:
    """Texts that are too long or hold control characters (which could rewrite a terminal or a spreadsheet)."""
    out: list[Problem] = []
    if isinstance(data, dict):
        for key, value in data.items():
            out.extend(_text_problems(value, path, f"{where}.{key}" if where else str(key)))
    elif isinstance(data, list):
        for n, value in enumerate(data, start=1):
            out.extend(_text_problems(value, path, f"{where}[{n}]"))
    elif isinstance(data, str):
        if len(data) > MAX_TEXT:
            out.append(Problem(path, where, f"the text is {len(data):,} characters long", f"keep it under {MAX_TEXT}"))
        if _CONTROL.search(data):
            out.append(
                Problem(
                    path,
                    where,
                    "the text holds a control character (such as a carriage return or an escape code)",
                    "type the text again in a plain text editor",
                )
            )
    return out


def _parse_scale(raw, problem, problems) -> tuple[tuple[int, str], ...]:
    fix = 'use five points with values 1 to 5, each with a label, e.g. - {value: 1, label: "Not at all true of me"}'
    if not isinstance(raw, list) or len(raw) != 5:
        problems.extend(problem("scale", "the scale must have exactly five labelled points", fix))
        return ()
    points = []
    for n, point in enumerate(raw, start=1):
        if not isinstance(point, dict) or point.get("value") != n or isinstance(point.get("value"), bool):
            problems.extend(problem(f"scale point {n}", f"the value should be {n}", fix))
        elif not _nonblank(point.get("label")):
            problems.extend(problem(f"scale point {n}", "the label is blank", "give every point a label"))
        else:
            points.append((n, point["label"].strip()))
    return tuple(points)


def _parse_bands(raw, problem, problems) -> tuple[float, float]:
    fix = "write bands: {growth_below: 50, strength_from: 75} with 0 < growth_below < strength_from <= 100"
    if not isinstance(raw, dict):
        problems.extend(problem("bands", "the band cut points are missing", fix))
        return 0.0, 0.0
    growth, strength = raw.get("growth_below"), raw.get("strength_from")
    numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (growth, strength))
    if not numbers or not (0 < growth < strength <= 100):
        problems.extend(problem("bands", f"the cut points {growth!r} and {strength!r} are not usable", fix))
        return 0.0, 0.0
    return float(growth), float(strength)


def bank_name(language: str) -> str:
    """The file name of a language's item bank: ``item_bank.yaml`` for English, ``item_bank.es.yaml`` ..."""
    language = normalise_language(language)
    return ITEM_BANK_NAME if language == DEFAULT_LANGUAGE else f"item_bank.{language}.yaml"


def item_bank_path(language: str | None = None) -> Path:
    """The item bank in use: ``RECONNECT_ITEM_BANK``, else the bank of ``language`` (default
    ``RECONNECT_LANG``) beside the English one when it exists, else the English bank.

    ``RECONNECT_LANG`` (``es``, ``es_MX``, ``es_MX.UTF-8`` all mean Spanish) picks ``item_bank.<lang>.yaml``
    next to the English bank when that file exists; any other value, or a language without a bank, gives
    the English bank. ``RECONNECT_ITEM_BANK`` still wins over both, except that a bank it names
    ``item_bank.yaml`` (a hub's room folder) is an English bank whose translations ``item_bank.<lang>.yaml``
    beside it serve the other languages.
    """
    env = settings_env.path("RECONNECT_ITEM_BANK")
    if env and env.name != ITEM_BANK_NAME:
        return env
    english = env if env else english_bank_path()
    if language is not None:
        lang = normalise_language(language)
    else:
        lang = active_language()  # this page's language (a participant's choice), else RECONNECT_LANG
    translated = english.with_name(bank_name(lang))
    return translated if translated != english and translated.is_file() else english
