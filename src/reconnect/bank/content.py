"""The item bank: areas, statements, the rating scale, prompts, exercises and band cut points.

The bank is a YAML file a counselor can edit (``data/item_bank.yaml``). Loading validates all of
it and reports every problem at once, naming the file, the area and the statement.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..core import settings_env
from ..core.errors import ItemBankError, Problem, show
from ..core.paths import ITEM_BANK_NAME, english_bank_path
from .i18n import DEFAULT_LANGUAGE, active_language, normalise_language

AREA_IDS = ("self_esteem", "distrust", "insecurity", "communication", "foundation")
NEGATIONS = re.compile(r"\b(not|no|never|nothing|nobody|none|neither|nor|without|hardly|cannot)\b|n['’]t\b", re.I)
#: Negation words that statements must avoid, per language of the bank (``language:``, default English).
#: A language not listed here is loaded without the negation check: add its words when adding it.
NEGATIONS_BY_LANGUAGE = {
    "en": NEGATIONS,
    "es": re.compile(r"\b(no|nunca|jamás|nada|nadie|ningún|ninguno|ninguna|ni|sin|tampoco|apenas)\b", re.I),
}
_BANK_FILE_LANG = re.compile(r"item_bank\.([a-z]{2,3})\.ya?ml", re.I)
_ID_RE = re.compile(r"^[a-z][a-z0-9_]{0,30}$")
#: An item-bank version: it is written into every submission, so it stays short and plain.
VERSION_RE = re.compile(r"[0-9A-Za-z][0-9A-Za-z._-]{0,31}")
# Bounds that keep a hostile or broken file from exhausting memory or the stack: the real bank is
# about 20 KB, 4 levels deep, with texts under 400 characters.
MAX_BANK_BYTES = 512 * 1024
MAX_DEPTH = 12
MAX_TEXT = 2000
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


#: The fear rule: an answer of 4 or 5 ("Mostly" or "Completely true of me") on a ``fear: true``
#: statement counts as fear, whatever the statement's scoring direction.
FEAR_FROM = 4


def fear_answered(ratings, items) -> bool:
    """The fear rule, in one place: a ``fear: true`` statement among ``items`` answered :data:`FEAR_FROM` or more.

    ``ratings`` maps statement ids to answers (``None`` = open). Used by the rating form (the quiet
    help on screen) and by the partner's-view guesses (never offered, nothing shown, while it holds).

    >>> bank = load_item_bank()
    >>> items = bank.area("distrust").items
    >>> fear_answered({"dt10": 4}, items), fear_answered({"dt10": 3, "dt1": 5}, items)
    (True, False)
    """
    fear_ids = {item.id for item in items if item.fear}
    return any(isinstance(v, int) and v >= FEAR_FROM for k, v in ratings.items() if k in fear_ids)


@dataclass(frozen=True)
class Item:
    id: str
    text: str
    reverse: bool
    #: About fear, bracing to be hurt or hiding parts of oneself: shown with extra care (never to a
    #: partner as a single answer). ``sensitive: true`` in the YAML.
    sensitive: bool = False
    #: Describes fear of the partner or being controlled by them (``fear: true`` in the YAML; also
    #: sensitive). An answer of :data:`FEAR_FROM` or more brings the same quiet help as "Yes" on the
    #: private safety check, on the person's own screen only (docs/item-bank.md, "The fear rule").
    fear: bool = False
    #: A partner may guess how this was answered (``guess: true``; the couple's "How well we read each
    #: other", docs/item-bank.md). Never together with ``sensitive`` or ``fear`` (the loader refuses it).
    guess: bool = False
    #: For a statement no longer asked: the last item-bank version that asked it ("" while current).
    #: Answers saved with it keep loading and scoring; see ``retired:`` in docs/item-bank.md.
    retired_after: str = ""
    #: For a retired statement: the id of the current statement that took its place, if any.
    replaced_by: str = ""


@dataclass(frozen=True)
class Suggestion:
    """One "What can help" point or one exercise; ``together`` when it involves the partner."""

    text: str
    together: bool = False
    title: str = ""


@dataclass(frozen=True)
class Step:
    """One step of a structured conversation: who speaks, who listens, for how long, about what."""

    speaks: str
    listens: str
    minutes: int
    text: str


@dataclass(frozen=True)
class Conversation:
    """A structured talk for a couple about one area (optional in the bank: ``conversations:``)."""

    area: str
    steps: tuple[Step, ...]

    @property
    def minutes(self) -> int:
        return sum(s.minutes for s in self.steps)


@dataclass(frozen=True)
class Area:
    id: str
    number: int
    title: str
    introduction: str
    items: tuple[Item, ...]
    reflection_prompts: tuple[str, ...]
    exercise_list: tuple[Suggestion, ...]
    discussion_prompts: tuple[str, ...]
    advice: tuple[Suggestion, ...] = ()
    retired: tuple[Item, ...] = ()

    @property
    def exercises(self) -> tuple[str, ...]:
        """The texts of the exercises (``exercise_list`` also says which involve the partner)."""
        return tuple(e.text for e in self.exercise_list)

    @property
    def min_answered(self) -> int:
        """Fewest answered statements that still give a score (the 75% rule)."""
        return -(-3 * len(self.items) // 4)


@dataclass(frozen=True)
class ItemBank:
    version: str
    scale: tuple[tuple[int, str], ...]
    growth_below: float
    strength_from: float
    non_diagnostic: str
    help: tuple[str, ...]
    areas: tuple[Area, ...]
    path: str = ""
    #: The calm line every list of partner-involving suggestions carries (``safety.together``).
    together_line: str = ""
    #: Shown when someone answers "yes" to the private check "Do you ever feel afraid of your partner?".
    afraid_note: str = ""
    conversations: tuple[Conversation, ...] = ()
    #: The language of the texts (``language:`` in the file; ``en`` when absent). Ids, flags and
    #: version are the same in every language (see docs/translating.md).
    language: str = DEFAULT_LANGUAGE

    @property
    def scale_min(self) -> int:
        return self.scale[0][0]

    @property
    def scale_max(self) -> int:
        return self.scale[-1][0]

    def area(self, area_id: str) -> Area:
        for area in self.areas:
            if area.id == area_id:
                return area
        raise ItemBankError(f"There is no area '{area_id}' in the item bank. Use one of: {', '.join(AREA_IDS)}.")

    def item_index(self) -> dict[tuple[str, str], Item]:
        """Every statement the bank knows, current and retired, by (area, id).

        Retired statements stay known so that answers saved with an earlier version still load and
        score; a new save accepts only the current ones (:attr:`Area.items`).
        """
        index = {(a.id, i.id): i for a in self.areas for i in a.retired}
        index.update({(a.id, i.id): i for a in self.areas for i in a.items})
        return index

    @property
    def known_versions(self) -> tuple[str, ...]:
        """This bank's version and every earlier one whose statements it still knows."""
        found = {self.version, *(i.retired_after for a in self.areas for i in a.retired)}
        return tuple(sorted(found, key=_version_key))

    def statements_of(self, version: str) -> dict[str, frozenset[str]]:
        """The statement ids each area asked in item-bank ``version`` (one of :attr:`known_versions`).

        A retired statement was asked up to its ``retired_after``; the statement that ``replaced_by``
        names was first asked in the version after that; every other current statement in every known
        version. So a 1.1 submission never holds a statement retired after 1.0, and a 1.0 submission
        never holds one new in 1.1.

        >>> bank = load_item_bank()
        >>> sorted(bank.statements_of("1.0")["self_esteem"]), sorted(bank.statements_of("1.1")["self_esteem"])
        (['se1', 'se2', 'se3', 'se4', 'se5', 'se6'], ['se1', 'se2', 'se4', 'se5', 'se6', 'se7'])
        """
        key = _version_key(version)
        out = {}
        for area in self.areas:
            first_asked = {
                old.replaced_by: _version_key(old.retired_after) for old in area.retired if old.replaced_by
            }
            ids = {i.id for i in area.items if i.id not in first_asked or key > first_asked[i.id]}
            ids |= {i.id for i in area.retired if key <= _version_key(i.retired_after)}
            out[area.id] = frozenset(ids)
        return out

    def conversation(self, area_id: str) -> Conversation | None:
        """The structured conversation for an area, or ``None`` when the bank has none for it."""
        return next((c for c in self.conversations if c.area == area_id), None)


def _version_key(version: str) -> tuple:
    """Sort key for versions such as "1.0" < "1.1" < "1.10" (non-numeric parts sort first)."""
    return tuple((int(p), "") if p.isdigit() else (-1, p) for p in re.split(r"[.\-]", str(version)))


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
    import yaml

    p = str(path)

    def problem(location: str, reason: str, fix: str) -> list[Problem]:
        return [Problem(p, location, reason, fix)]

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

    problems: list[Problem] = []
    add = problems.extend

    version = data.get("version")
    if not isinstance(version, (str, int, float)) or not str(version).strip():
        add(problem("version", "the version is missing", 'add a line such as version: "1.0"'))
    elif not VERSION_RE.fullmatch(str(version)):
        add(
            problem(
                "version",
                f"'{show(str(version)[:40])}' is not a plain version: it is written into every saved answer",
                'use letters, digits, dots and dashes only, at most 32, e.g. version: "1.1"',
            )
        )
    add(_text_problems(data, p))
    language = _parse_language(data.get("language"), path, problem, problems)

    scale = _parse_scale(data.get("scale"), problem, problems)
    growth, strength = _parse_bands(data.get("bands"), problem, problems)

    safety = data.get("safety") if isinstance(data.get("safety"), dict) else {}
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

    areas_raw = data.get("areas")
    areas: list[Area] = []
    if not isinstance(areas_raw, list):
        add(problem("areas", "the list of areas is missing", f"add the five areas: {', '.join(AREA_IDS)}"))
        areas_raw = []
    seen_items: dict[str, str] = {}
    seen_areas: set[str] = set()
    for index, raw in enumerate(areas_raw, start=1):
        area = _parse_area(index, raw, problem, problems, seen_items, seen_areas, str(version).strip(), language)
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

    conversations = _parse_conversations(data.get("conversations"), problem, problems)

    if problems:
        return None, problems
    return (
        ItemBank(
            version=str(version).strip(),
            scale=scale,
            growth_below=growth,
            strength_from=strength,
            non_diagnostic=str(non_diag).strip(),
            help=tuple(str(h).strip() for h in help_lines),
            areas=tuple(areas),
            path=p,
            together_line=str(together_line).strip(),
            afraid_note=str(afraid_note).strip(),
            conversations=conversations,
            language=language,
        ),
        [],
    )


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


def _nonblank(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


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


def _text_list(raw, where, what, problem, problems, lo=2, hi=3) -> tuple[str, ...]:
    if not isinstance(raw, list) or not (lo <= len(raw) <= hi) or not all(_nonblank(x) for x in raw):
        n = len(raw) if isinstance(raw, list) else 0
        problems.extend(
            problem(
                where,
                f"{what} should be a list of {lo}-{hi} non-blank lines (found {n})",
                f"write {lo} to {hi} {what}, one per line starting with '- '",
            )
        )
        return ()
    return tuple(x.strip() for x in raw)


def _suggestions(raw, where, what, problem, problems, lo, hi, *, titled: bool) -> tuple[Suggestion, ...]:
    """A list of suggestions: plain lines, or ``{text: ..., together: true}`` (and ``title:`` for advice)."""
    shape = '- {title: "...", text: "...", together: false}' if titled else '"..." or - {text: "...", together: true}'
    if not isinstance(raw, list) or not lo <= len(raw) <= hi:
        n = len(raw) if isinstance(raw, list) else 0
        problems.extend(
            problem(where, f"{what} should be a list of {lo}-{hi} entries (found {n})", f"write {lo} to {hi}: {shape}")
        )
        return ()
    out = []
    for n, entry in enumerate(raw, start=1):
        if isinstance(entry, str) and not titled and entry.strip():
            out.append(Suggestion(entry.strip()))
            continue
        ok = isinstance(entry, dict) and _nonblank(entry.get("text")) and (not titled or _nonblank(entry.get("title")))
        together = entry.get("together", False) if isinstance(entry, dict) else False
        if not ok or not isinstance(together, bool):
            problems.extend(
                problem(
                    f"{where} {n}",
                    "this entry is blank, lacks a title, or its 'together' is not true/false",
                    f"write it as {shape}; together: true when it involves the partner",
                )
            )
            continue
        out.append(Suggestion(entry["text"].strip(), together, str(entry.get("title") or "").strip()))
    return tuple(out)


def _parse_area(index, raw, problem, problems, seen_items, seen_areas, version="", language="en") -> Area | None:
    if not isinstance(raw, dict):
        problems.extend(
            problem(
                f"area {index}",
                "this entry is not an area",
                "each area starts with '- id:' and has title, introduction, items, ...",
            )
        )
        return None
    area_id = raw.get("id")
    where = f"area {area_id}" if isinstance(area_id, str) else f"area {index}"
    before = len(problems)
    if area_id not in AREA_IDS:
        problems.extend(
            problem(where, f"the id {area_id!r} is not one of the five areas", f"use one of: {', '.join(AREA_IDS)}")
        )
    elif area_id in seen_areas:
        problems.extend(problem(where, "this area appears twice", "keep one copy of it"))
    else:
        seen_areas.add(area_id)
    number = raw.get("number")
    if not isinstance(number, int) or isinstance(number, bool) or not 1 <= number <= 5:
        problems.extend(
            problem(f"{where}, number", "the number is missing or not 1-5", "give the area its notebook number, 1 to 5")
        )
    for field in ("title", "introduction"):
        if not _nonblank(raw.get(field)):
            problems.extend(problem(f"{where}, {field}", f"the {field} is blank", f"write a {field}"))
    items_raw = raw.get("items")
    items: list[Item] = []
    if not isinstance(items_raw, list) or not 4 <= len(items_raw) <= 6:
        n = len(items_raw) if isinstance(items_raw, list) else 0
        problems.extend(
            problem(f"{where}, items", f"an area needs 4 to 6 statements (found {n})", "add or remove statements")
        )
        items_raw = items_raw if isinstance(items_raw, list) else []
    for n, item in enumerate(items_raw, start=1):
        parsed = _parse_item(where, n, item, problem, problems, seen_items, language=language)
        if parsed:
            items.append(parsed)
    reversed_ids = [i.id for i in items if i.reverse]
    if len(reversed_ids) > 2:
        problems.extend(
            problem(
                f"{where}, items",
                f"more than two statements are marked reverse: true ({', '.join(reversed_ids)})",
                "keep at most two reverse-worded statements per area",
            )
        )
    prompts = _text_list(
        raw.get("reflection_prompts"), f"{where}, reflection_prompts", "reflection prompts", problem, problems
    )
    exercises = _suggestions(
        raw.get("exercises"), f"{where}, exercise", "exercises", problem, problems, 2, 3, titled=False
    )
    advice = _suggestions(
        raw.get("advice"), f"{where}, advice", "'What can help' points (advice)", problem, problems, 2, 4, titled=True
    )
    retired = _parse_retired(where, raw.get("retired"), problem, problems, seen_items, version, {i.id for i in items})
    discussion = _text_list(
        raw.get("discussion_prompts"), f"{where}, discussion_prompts", "discussion prompts", problem, problems
    )
    if len(problems) > before:
        return None
    return Area(
        area_id,
        number,
        raw["title"].strip(),
        raw["introduction"].strip(),
        tuple(items),
        prompts,
        exercises,
        discussion,
        advice,
        retired,
    )


def _parse_retired(where, raw, problem, problems, seen_items, version, current_ids) -> tuple[Item, ...]:
    """Statements earlier versions asked: kept so their answers still load and score."""
    if raw is None:
        return ()
    shape = '- {id: se3, text: "...", reverse: false, retired_after: "1.0", replaced_by: se7}'
    if not isinstance(raw, list):
        problems.extend(problem(f"{where}, retired", "retired: is not a list", f"write each as {shape}"))
        return ()
    out = []
    for n, entry in enumerate(raw, start=1):
        item = _parse_item(f"{where}, retired", n, entry, problem, problems, seen_items, check_wording=False)
        if item is None:
            continue
        after = entry.get("retired_after")
        label = f"{where}, retired statement {item.id}"
        if not isinstance(after, (str, int, float)) or not str(after).strip():
            problems.extend(
                problem(label, "retired_after is missing", f"name the last version that asked it, e.g. {shape}")
            )
            continue
        if str(after).strip() == version:
            problems.extend(
                problem(
                    label,
                    f"it is marked retired after {after}, which is this bank's own version",
                    "retire a statement after the version that last asked it, and raise the bank's version",
                )
            )
            continue
        replaced_by = entry.get("replaced_by") or ""
        if replaced_by and replaced_by not in current_ids:
            problems.extend(
                problem(
                    label,
                    f"replaced_by names {replaced_by!r}, which is not a current statement of this area",
                    "use the id of the statement that took its place, or leave replaced_by out",
                )
            )
            continue
        out.append(dataclasses.replace(item, retired_after=str(after).strip(), replaced_by=str(replaced_by)))
    return tuple(out)


def _parse_item(
    where, n, item, problem, problems, seen_items, *, check_wording: bool = True, language: str = DEFAULT_LANGUAGE
) -> Item | None:
    if not isinstance(item, dict):
        problems.extend(
            problem(
                f"{where}, statement {n}",
                "this entry is not a statement",
                'write it as - {id: se1, text: "...", reverse: false}',
            )
        )
        return None
    item_id = item.get("id")
    label = f"{where}, statement {item_id if isinstance(item_id, str) else n}"
    ok = True
    if not isinstance(item_id, str) or not _ID_RE.match(item_id):
        problems.extend(
            problem(
                label, f"the id {item_id!r} is missing or not usable", "use lower-case letters, digits and _, e.g. se1"
            )
        )
        ok = False
    elif item_id in seen_items:
        problems.extend(
            problem(label, f"the id {item_id} is also used in {seen_items[item_id]}", "give every statement its own id")
        )
        ok = False
    else:
        seen_items[item_id] = where
    text = item.get("text")
    if not _nonblank(text):
        problems.extend(problem(label, "the statement text is blank", "write the statement"))
        ok = False
    elif check_wording and language in NEGATIONS_BY_LANGUAGE and NEGATIONS_BY_LANGUAGE[language].search(text):
        word = NEGATIONS_BY_LANGUAGE[language].search(text).group(0)
        problems.extend(
            problem(
                label,
                f"the statement contains the negation '{word}'",
                "reword it positively, or with an antonym and reverse: true",
            )
        )
        ok = False
    reverse = item.get("reverse", False)
    if not isinstance(reverse, bool):
        problems.extend(problem(label, f"reverse is {reverse!r}", "write reverse: true or reverse: false"))
        ok = False
    sensitive = item.get("sensitive", False)
    if not isinstance(sensitive, bool):
        problems.extend(problem(label, f"sensitive is {sensitive!r}", "write sensitive: true or leave it out"))
        ok = False
    fear = item.get("fear", False)
    if not isinstance(fear, bool):
        problems.extend(problem(label, f"fear is {fear!r}", "write fear: true or leave it out"))
        ok = False
    elif fear and sensitive is not True:
        problems.extend(
            problem(label, "a statement about fear or control must also be sensitive", "add sensitive: true")
        )
        ok = False
    guess = item.get("guess", False)
    if not isinstance(guess, bool):
        problems.extend(problem(label, f"guess is {guess!r}", "write guess: true or leave it out"))
        ok = False
    elif guess and (sensitive is True or fear is True):
        problems.extend(
            problem(
                label,
                "a statement marked sensitive or fear may never be guessed by a partner",
                "remove guess: true from this statement",
            )
        )
        ok = False
    return Item(item_id, text.strip(), reverse, sensitive, fear, guess) if ok else None


def _parse_conversations(raw, problem, problems) -> tuple[Conversation, ...]:
    """``conversations: {area id: [{speaks, listens, minutes, text}, ...]}``; optional as a whole."""
    if raw is None:
        return ()
    fix = "write conversations: then per area id a list of steps - {speaks: A, listens: B, minutes: 4, text: ...}"
    if not isinstance(raw, dict):
        problems.extend(problem("conversations", "this is not a set of areas", fix))
        return ()
    out = []
    for area_id, steps in raw.items():
        where = f"conversations, {area_id}"
        if area_id not in AREA_IDS:
            problems.extend(
                problem(where, f"{area_id!r} is not one of the five areas", f"use one of: {', '.join(AREA_IDS)}")
            )
            continue
        if not isinstance(steps, list) or not 2 <= len(steps) <= 8:
            problems.extend(problem(where, "a conversation needs 2 to 8 steps", fix))
            continue
        parsed = []
        for n, step in enumerate(steps, start=1):
            ok = isinstance(step, dict) and all(_nonblank(step.get(k)) for k in ("speaks", "listens", "text"))
            minutes = step.get("minutes") if isinstance(step, dict) else None
            if not ok or not isinstance(minutes, int) or isinstance(minutes, bool) or not 1 <= minutes <= 30:
                problems.extend(
                    problem(f"{where}, step {n}", "a step needs speaks, listens, minutes (1-30) and text", fix)
                )
                continue
            parsed.append(Step(step["speaks"].strip(), step["listens"].strip(), minutes, step["text"].strip()))
        out.append(Conversation(area_id, tuple(parsed)))
    return tuple(out)


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
