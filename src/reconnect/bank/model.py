"""The item bank as Python objects: areas, statements, suggestions and conversations, read-only once loaded.

Built by :func:`reconnect.bank.content.load_item_bank` after every check passed; everything else reads
the bank through these classes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from types import MappingProxyType

from ..core.errors import ItemBankError
from .i18n import DEFAULT_LANGUAGE

AREA_IDS = ("self_esteem", "distrust", "insecurity", "communication", "foundation")


#: The fear rule: an answer of 4 or 5 ("Mostly" or "Completely true of me") on a ``fear: true``
#: statement counts as fear, whatever the statement's scoring direction.
FEAR_FROM = 4


def fear_answered(ratings, items) -> bool:
    """The fear rule, in one place: a ``fear: true`` statement among ``items`` answered :data:`FEAR_FROM` or more.

    ``ratings`` maps statement ids to answers (``None`` = open). Used by the rating form (the quiet
    help on screen) and by the partner's-view guesses (never offered, nothing shown, while it holds).

    >>> from reconnect.bank.content import load_item_bank
    >>> items = load_item_bank().area("distrust").items
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

    @cached_property
    def known_versions(self) -> tuple[str, ...]:
        """This bank's version and every earlier one whose statements it still knows (worked out once per bank)."""
        found = {self.version, *(i.retired_after for a in self.areas for i in a.retired)}
        return tuple(sorted(found, key=_version_key))

    def statements_of(self, version: str) -> Mapping[str, frozenset[str]]:
        """The statement ids each area asked in item-bank ``version`` (one of :attr:`known_versions`).

        A retired statement was asked up to its ``retired_after``; the statement that ``replaced_by``
        names was first asked in the version after that; every other current statement in every known
        version. So a 1.1 submission never holds a statement retired after 1.0, and a 1.0 submission
        never holds one new in 1.1.

        >>> from reconnect.bank.content import load_item_bank
        >>> bank = load_item_bank()
        >>> sorted(bank.statements_of("1.0")["self_esteem"]), sorted(bank.statements_of("1.1")["self_esteem"])
        (['se1', 'se2', 'se3', 'se4', 'se5', 'se6'], ['se1', 'se2', 'se4', 'se5', 'se6', 'se7'])
        """
        # A bank never changes (frozen), so each version's answer is worked out once and shared read-only:
        # every Save checks its answers against it.
        asked = self.__dict__.setdefault("_asked_in", {})
        found = asked.get(version)
        if found is None:
            found = asked[version] = self._asked(version)
        return MappingProxyType(found)

    def _asked(self, version: str) -> dict[str, frozenset[str]]:
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


@lru_cache(maxsize=256)
def _version_key(version: str) -> tuple:
    """Sort key for versions such as "1.0" < "1.1" < "1.10" (non-numeric parts sort first)."""
    return tuple((int(p), "") if p.isdigit() else (-1, p) for p in re.split(r"[.\-]", str(version)))
