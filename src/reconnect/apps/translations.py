"""Translated item banks: does a language's bank hold exactly what the English bank holds?

A translation (``data/item_bank.<lang>.yaml``) changes words only. Its area ids, statement ids
(current and retired), flags (``reverse``, ``sensitive``, ``fear``, ``guess``, ``together``), version, band cut points and
the number of prompts, exercises, "What can help" points and help lines must be those of the English
bank, because saved answers store ids, not words: an answer given in Spanish and one given in
English to the same id are added up as answers to the same statement (docs/architecture.md).

:func:`compare_banks` lists every difference as a :class:`~reconnect.core.errors.Problem`;
``reconnect validate`` runs it for every translated bank it checks, and ``reconnect translations``
also lists texts still in English, and then what the language's gettext catalog (the words around the
content: buttons, messages, charts, the PDF; :mod:`reconnect.apps.catalogs`) misses, has in excess or
translates with other placeholders. It says ``complete`` only when both are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..bank.content import bank_name, load_item_bank, validate_item_bank
from ..bank.i18n import normalise_language
from ..bank.model import ItemBank
from ..core.errors import Problem, ReconnectError
from ..core.paths import ITEM_BANK_NAME, english_bank_path

_TRANSLATED_NAME = re.compile(r"item_bank\.([a-z]{2,3})\.ya?ml", re.I)
#: Texts made only of things that read the same in every language (numbers, web addresses, names).
_LETTERS = re.compile(r"[^\W\d_]{4,}")


@dataclass(frozen=True)
class Entry:
    """One thing a bank holds: a text to translate, or a value every language keeps as it is."""

    kind: str  # "text" (translated) or "same" (ids, flags, numbers: equal in every language)
    value: object


def entries(bank: ItemBank) -> dict[str, Entry]:
    """Every text and every language-independent value of a bank, by a stable key.

    Examples
    --------
    >>> e = entries(load_item_bank())
    >>> e["areas.self_esteem.items.se6.sensitive"]
    Entry(kind='same', value=True)
    >>> e["areas.self_esteem.title"].kind
    'text'
    """
    out: dict[str, Entry] = {}

    def text(key: str, value: str) -> None:
        out[key] = Entry("text", value)

    def same(key: str, value: object) -> None:
        out[key] = Entry("same", value)

    same("version", bank.version)
    same("bands.growth_below", bank.growth_below)
    same("bands.strength_from", bank.strength_from)
    for value, label in bank.scale:
        text(f"scale.{value}", label)
    text("safety.non_diagnostic", bank.non_diagnostic)
    text("safety.together", bank.together_line)
    text("safety.afraid", bank.afraid_note)
    for n, line in enumerate(bank.help, start=1):
        text(f"safety.help.{n}", line)
    for area in bank.areas:
        a = f"areas.{area.id}"
        same(f"{a}.number", area.number)
        text(f"{a}.title", area.title)
        text(f"{a}.introduction", area.introduction)
        same(f"{a}.items.order", tuple(i.id for i in area.items))
        for group, items in (("items", area.items), ("retired", area.retired)):
            for item in items:
                k = f"{a}.{group}.{item.id}"
                text(f"{k}.text", item.text)
                same(f"{k}.reverse", item.reverse)
                same(f"{k}.sensitive", item.sensitive)
                same(f"{k}.fear", item.fear)
                same(f"{k}.guess", item.guess)
                if group == "retired":
                    same(f"{k}.retired_after", item.retired_after)
                    same(f"{k}.replaced_by", item.replaced_by)
        for n, s in enumerate(area.advice, start=1):
            text(f"{a}.advice.{n}.title", s.title)
            text(f"{a}.advice.{n}.text", s.text)
            same(f"{a}.advice.{n}.together", s.together)
        for n, s in enumerate(area.exercise_list, start=1):
            text(f"{a}.exercises.{n}", s.text)
            same(f"{a}.exercises.{n}.together", s.together)
        for n, prompt in enumerate(area.reflection_prompts, start=1):
            text(f"{a}.reflection_prompts.{n}", prompt)
        for n, prompt in enumerate(area.discussion_prompts, start=1):
            text(f"{a}.discussion_prompts.{n}", prompt)
    for talk in bank.conversations:  # the couple view's structured talks (06)
        c = f"conversations.{talk.area}"
        for n, step in enumerate(talk.steps, start=1):
            text(f"{c}.{n}.text", step.text)
            text(f"{c}.{n}.speaks", step.speaks)
            text(f"{c}.{n}.listens", step.listens)
            same(f"{c}.{n}.minutes", step.minutes)
    return out


@dataclass
class Comparison:
    """What a translated bank lacks, has in excess, holds differently, or still has in English."""

    path: str
    missing: list[str]
    extra: list[str]
    different: list[tuple[str, object, object]]  # (key, English value, translated value)
    untranslated: list[str]

    def problems(self, *, untranslated: bool = False) -> list[Problem]:
        """Each difference as a problem; texts still in English only when ``untranslated``."""
        out = [
            Problem(self.path, key, "this is in the English bank but missing here", "translate it and add it")
            for key in self.missing
        ]
        out += [
            Problem(self.path, key, "this is not in the English bank", "remove it, or add it to the English bank too")
            for key in self.extra
        ]
        out += [
            Problem(
                self.path,
                key,
                f"this is {mine!r} here but {theirs!r} in the English bank",
                "ids, flags, numbers and the version stay exactly as in English: copy them from data/item_bank.yaml",
            )
            for key, theirs, mine in self.different
        ]
        if untranslated:
            out += [
                Problem(self.path, key, "this text is still the English text", "translate it")
                for key in self.untranslated
            ]
        return out


def compare_banks(english: ItemBank, translated: ItemBank) -> Comparison:
    """Compare a translated bank with the English one (both already valid banks).

    Examples
    --------
    >>> bank = load_item_bank()
    >>> c = compare_banks(bank, bank)
    >>> (c.missing, c.extra, c.different, len(c.untranslated) > 50)
    ([], [], [], True)
    """
    ours, theirs = entries(english), entries(translated)
    missing = [k for k in ours if k not in theirs]
    extra = [k for k in theirs if k not in ours]
    different = [
        (k, ours[k].value, theirs[k].value)
        for k in ours
        if k in theirs and ours[k].kind == "same" and ours[k].value != theirs[k].value
    ]
    untranslated = [
        k
        for k in ours
        if k in theirs
        and ours[k].kind == "text"
        and ours[k].value == theirs[k].value
        and _LETTERS.search(str(ours[k].value))
    ]
    return Comparison(translated.path, missing, extra, different, untranslated)


def is_translation(path: Path) -> bool:
    """Whether a file name is that of a translated bank, ``item_bank.<lang>.yaml``."""
    return bool(_TRANSLATED_NAME.fullmatch(Path(path).name))


def check_translation(path: Path, english: Path | None = None) -> list[Problem]:
    """The consistency problems of ``item_bank.<lang>.yaml`` against the English bank beside it.

    Returns nothing when either bank has its own (validation) problems, which are reported on their
    own, or when there is no English bank beside it to compare with.
    """
    path = Path(path)
    english = Path(english) if english is not None else path.with_name(ITEM_BANK_NAME)
    if not english.is_file() or validate_item_bank(english) or validate_item_bank(path):
        return []
    return compare_banks(load_item_bank(english), load_item_bank(path)).problems()


def languages(folder: Path | None = None) -> list[str]:
    """The languages with a bank in the data folder or a catalog of page words, English first."""
    from ..bank.i18n import available_languages

    folder = Path(folder) if folder is not None else english_bank_path().parent
    names = (p.name for p in folder.glob("item_bank.*.y*ml"))
    found = {m.group(1).lower() for name in names if (m := _TRANSLATED_NAME.fullmatch(name))}
    return ["en", *sorted((found | set(available_languages())) - {"en"})]


def catalog_report(language: str) -> tuple[list[str], bool]:
    """Lines about a language's catalog of page words, and whether anything is missing or wrong.

    The catalog is ``src/reconnect/bank/locale/<lang>/LC_MESSAGES/reconnect.po`` (:mod:`reconnect.bank.i18n`);
    the strings it must hold are the ones the code wraps (:func:`reconnect.apps.catalogs.extract_messages`).
    """
    from ..bank.i18n import catalog_path
    from .catalogs import catalog_problems, extract_messages

    lang = normalise_language(language)
    problems = catalog_problems(lang)
    name = f"{lang}/LC_MESSAGES/{catalog_path(lang).name}"
    if not problems:
        total = len(extract_messages())
        return [f"{name}: all {total} page words and messages of the code are translated; none extra."], False
    lines = [str(p) for p in problems]
    kinds = {
        "missing": sum(p.reason.startswith("missing translation") for p in problems),
        "extra": sum(p.reason.startswith("extra entry") for p in problems),
        "placeholders": sum("placeholders" in p.reason or p.reason.startswith(("the field", "it is not a valid template")) for p in problems),
    }
    counts = ", ".join(f"{n} {kind}" for kind, n in kinds.items())
    return [*lines, f"{name}: {counts} (docs/translating.md: make translations, then translate)."], True


def translation_report(language: str, folder: Path | None = None) -> tuple[list[str], bool]:
    """Lines for ``reconnect translations LANG``, and whether anything is missing (exit 1).

    The item bank's check, then the catalog's (:func:`catalog_report`); the last line says
    ``complete`` only when both are.
    """
    lines, missing = _bank_report(language, folder)
    lang = normalise_language(language)
    ui_lines, ui_missing = catalog_report(lang)
    if missing or ui_missing:
        return [*lines, *ui_lines, f"{lang}: not complete yet."], True
    return [*lines, *ui_lines, f"{lang}: complete (the item bank and the page words)."], False


def _bank_report(language: str, folder: Path | None = None) -> tuple[list[str], bool]:
    """The item bank's part of :func:`translation_report`."""
    folder = Path(folder) if folder is not None else english_bank_path().parent
    lang = normalise_language(language)
    if lang == "en":
        raise ReconnectError(
            f"'{language}' is not a language to translate into. Give a two-letter code such as es "
            f"(the banks here: {', '.join(languages(folder))})."
        )
    english = folder / ITEM_BANK_NAME
    path = folder / bank_name(lang)
    if not path.is_file():
        return [
            f"There is no {path.name} in {folder} yet: nothing is translated into '{lang}'.",
            f"Copy {english.name} to {path.name}, add the line language: {lang}, and translate the texts "
            "(docs/translating.md).",
        ], True
    own = validate_item_bank(english)
    if own:
        return [str(p) for p in own] + ["Fix the English bank first."], True
    problems = validate_item_bank(path)
    if problems:
        return [str(p) for p in problems] + [f"{path.name}: fix these first, then run this again."], True
    comparison = compare_banks(load_item_bank(english), load_item_bank(path))
    lines = [str(p) for p in comparison.problems(untranslated=True)]
    total = len(entries(load_item_bank(english)))
    if not lines:
        return [f"{path.name}: all {total} entries match the English bank; nothing is missing or extra."], False
    counts = (
        f"{len(comparison.missing)} missing, {len(comparison.extra)} extra, {len(comparison.different)} different, "
        f"{len(comparison.untranslated)} still in English (of {total} entries)"
    )
    return [*lines, f"{path.name}: {counts}."], True
