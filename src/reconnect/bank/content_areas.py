"""The checks of one area of the item bank: its statements (current and retired), suggestions and conversations.

:func:`reconnect.bank.content._parse` checks the bank as a whole and calls these for each area; like it,
they collect every problem (`problem(where, what, fix)`) instead of stopping at the first.
"""

from __future__ import annotations

import dataclasses
import re

from .i18n import DEFAULT_LANGUAGE
from .model import AREA_IDS, Area, Conversation, Item, Step, Suggestion

NEGATIONS = re.compile(r"\b(not|no|never|nothing|nobody|none|neither|nor|without|hardly|cannot)\b|n['’]t\b", re.I)


#: Negation words that statements must avoid, per language of the bank (``language:``, default English).
#: A language not listed here is loaded without the negation check: add its words when adding it.
NEGATIONS_BY_LANGUAGE = {
    "en": NEGATIONS,
    "es": re.compile(r"\b(no|nunca|jamás|nada|nadie|ningún|ninguno|ninguna|ni|sin|tampoco|apenas)\b", re.I),
}


_ID_RE = re.compile(r"^[a-z][a-z0-9_]{0,30}$")


def _nonblank(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


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
