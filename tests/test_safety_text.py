"""The safety text in both languages: readable, unambiguous, and only help lines from the dated list.

Readability: Flesch-Kincaid grade <= 8 (English); Szigriszt-Pazos perspicuity >= 65 (Spanish,
"bastante fácil" on the INFLESZ scale). Help lines: every number and web address in a help text is in
the table "Help lines (checked ...)" of docs/item-bank.md, for that language, with its date.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest

from reconnect.bank.content import load_item_bank

ROOT = Path(__file__).resolve().parents[1]
BANKS = {"en": ROOT / "data" / "item_bank.yaml", "es": ROOT / "data" / "item_bank.es.yaml"}
DOC = ROOT / "docs" / "item-bank.md"
START = {"en": ROOT / "notebooks" / "00_start_here.ipynb", "es": ROOT / "notebooks" / "es" / "00_start_here.ipynb"}

_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$)")
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


def _sentences_and_words(text: str) -> tuple[int, list[str]]:
    text = re.sub(r"\b[\w.-]+\.(?:org|com|net|gov)\b", "site", text)  # a web address is one word
    text = re.sub(r"\b(?:EE\. UU|U\.S)\.", "EEUU", text)
    sentences = max(1, len(_SENTENCE_END.findall(text)))
    return sentences, _WORD.findall(text)


def syllables_en(word: str) -> int:
    """English syllables by vowel groups (a silent final e dropped), at least one.

    >>> [syllables_en(w) for w in ("partner", "afraid", "line", "the", "someone", "every")]
    [2, 2, 1, 1, 2, 3]
    """
    w = word.lower()
    if len(w) > 2 and w.endswith("e") and not w.endswith(("le", "ee")):
        w = w[:-1]
    return max(1, len(re.findall(r"[aeiouy]+", w)))


def syllables_es(word: str) -> int:
    """Spanish syllables: vowel groups, split at two strong vowels (hiatus) and at an accented í/ú.

    >>> [syllables_es(w) for w in ("pareja", "miedo", "día", "ayuda", "seguro", "violencia", "país")]
    [3, 2, 2, 3, 3, 3, 2]
    """
    w = word.lower().replace("qu", "q").replace("gue", "ge").replace("gui", "gi")
    count = 0
    for group in re.findall(r"[aeiouáéíóúü]+", w):
        count += 1
        for a, b in zip(group, group[1:]):
            if (a in "aeoáéó" and b in "aeoáéó") or a in "íú" or b in "íú":
                count += 1  # hiatus
    return max(1, count)


def flesch_kincaid_grade(text: str) -> float:
    """0.39 (words/sentences) + 11.8 (syllables/words) - 15.59.

    >>> round(flesch_kincaid_grade("The cat sat on the mat. It was warm."), 1)
    -2.0
    """
    sentences, words = _sentences_and_words(text)
    syll = sum(syllables_en(w) for w in words)
    return 0.39 * len(words) / sentences + 11.8 * syll / len(words) - 15.59


def szigriszt_pazos(text: str) -> float:
    """Perspicuity: 206.835 - 62.3 (syllables/words) - (words/sentences); higher is easier.

    >>> szigriszt_pazos("Tengo miedo. Llama hoy.") > 80
    True
    """
    sentences, words = _sentences_and_words(text)
    syll = sum(syllables_es(w) for w in words)
    return 206.835 - 62.3 * syll / len(words) - len(words) / sentences


def _safety_texts(lang: str) -> dict[str, str]:
    from reconnect.bank import i18n
    from reconnect.bank.help_lines import AFRAID_LINE

    bank = load_item_bank(BANKS[lang])
    texts = {
        "safety.non_diagnostic": bank.non_diagnostic,
        "safety.together": bank.together_line,
        "safety.afraid": bank.afraid_note,
        "safety.help": " ".join(bank.help),
    }
    for n, line in enumerate(bank.help, start=1):
        texts[f"safety.help.{n}"] = line
    with i18n.language(lang):
        texts["AFRAID_LINE"] = i18n._(AFRAID_LINE)
    return texts


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_safety_text_is_easy_to_read(lang):
    for where, text in _safety_texts(lang).items():
        if lang == "en":
            grade = flesch_kincaid_grade(text)
            assert grade <= 8, f"{where}: Flesch-Kincaid grade {grade:.1f} > 8 — {text}"
        else:
            score = szigriszt_pazos(text)
            assert score >= 65, f"{where}: Szigriszt-Pazos {score:.0f} < 65 — {text}"
        sentences, words = _sentences_and_words(text)
        if not where.startswith("safety.help") or where == "safety.help":
            continue
        assert len(words) / sentences <= 20, f"{where}: sentences average over 20 words"


def test_the_old_long_sentence_would_have_failed():
    """The check can fail: the 1.1 `together` line (one sentence of about 50 words) is far above grade 8."""
    old = (
        "If you feel afraid of your partner, or they control, threaten or hurt you, skip the suggestions "
        "meant for the two of you and talk with someone on your own first, for example the US National "
        "Domestic Violence Hotline (1-800-799-7233, or text START to 88788), or a service near you listed "
        "at hotpeachpages.net."
    )
    assert flesch_kincaid_grade(old) > 15


#: "seguro/segura" reads as "certain" as easily as "safe": the Spanish safety wording says "a salvo".
AMBIGUOUS = re.compile(r"\b(?:in)?segur[oa]s?\b", re.I)


def _spanish_bank_texts() -> list[tuple[str, str]]:
    bank = load_item_bank(BANKS["es"])
    out = [("non_diagnostic", bank.non_diagnostic), ("together", bank.together_line), ("afraid", bank.afraid_note)]
    out += [(f"help {n}", line) for n, line in enumerate(bank.help, start=1)]
    for area in bank.areas:
        out += [(f"{area.id} title", area.title), (f"{area.id} introduction", area.introduction)]
        out += [(f"{area.id} {s.title}", f"{s.title} {s.text}") for s in (*area.advice, *area.exercise_list)]
        out += [(f"{area.id} {i.id}", i.text) for i in area.items]
        out += [(f"{area.id} prompt", p) for p in (*area.reflection_prompts, *area.discussion_prompts)]
    out += [(f"conversation {t.area}", step.text) for t in bank.conversations for step in t.steps]
    return out


def test_no_spanish_text_uses_the_ambiguous_word_for_safety():
    from babel.messages.pofile import read_po

    found = [f"{where}: {text}" for where, text in _spanish_bank_texts() if AMBIGUOUS.search(text)]
    for name in ("reconnect.po", "notebooks.po"):
        path = ROOT / "src" / "reconnect" / "bank" / "locale" / "es" / "LC_MESSAGES" / name
        with path.open("rb") as f:
            for m in read_po(f):
                strings = m.string if isinstance(m.string, tuple) else (m.string,)
                found += [f"{name}: {s[:80]}" for s in strings if s and AMBIGUOUS.search(s)]
    assert found == []
    assert "a salvo" in load_item_bank(BANKS["es"]).area("foundation").advice[2].text


def test_the_spanish_scale_anchors_are_clearly_ordered():
    labels = [label for _v, label in load_item_bank(BANKS["es"]).scale]
    assert labels[2] == "Medianamente cierto para mí"
    assert not any(label.startswith("Algo") for label in labels)  # "Un poco" and "Algo" read alike


# -- help lines: only the documented, dated list ------------------------------------------------------
_NUMBER = re.compile(r"\d(?:[\d -]*\d)?")
_ADDRESS = re.compile(r"\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:org|com|net|gov|es|info)\b", re.I)


def documented_lines() -> dict[str, set[str]]:
    """{language: {number or address}} from the dated table in docs/item-bank.md."""
    text = DOC.read_text(encoding="utf-8")
    m = re.search(r"### Help lines \(checked (\d{4}-\d{2}-\d{2})\)\n(.*?)\n\n(?!\|)", text, re.S)
    assert m, "docs/item-bank.md has no 'Help lines (checked YYYY-MM-DD)' table"
    checked = m.group(1)
    out: dict[str, set[str]] = {"en": set(), "es": set()}
    for row in m.group(2).splitlines():
        cells = [c.strip() for c in row.strip().strip("|").split("|")]
        if len(cells) < 5 or "`" not in cells[0]:
            continue
        assert cells[4] == checked, f"every line carries the date it was checked: {row[:60]}"
        assert "http" in cells[3], f"every line names its source: {row[:60]}"
        for lang in re.findall(r"\b(en|es)\b", cells[1]):
            out[lang].update(re.findall(r"`([^`]+)`", cells[0]))
    date.fromisoformat(checked)
    return out


def _contacts(text: str) -> set[str]:
    found = {a.lower() for a in _ADDRESS.findall(text)}
    text = _ADDRESS.sub(" ", text)
    found |= {n.strip() for n in _NUMBER.findall(text) if len(re.sub(r"\D", "", n)) >= 3}
    return found


def _start_page_help(lang: str) -> str:
    cells = json.loads(START[lang].read_text(encoding="utf-8"))["cells"]
    heading = {"en": "## Please keep in mind", "es": "## Ten presente"}[lang]
    (cell,) = [c for c in cells if c["cell_type"] == "markdown" and "".join(c["source"]).startswith(heading)]
    return "".join(cell["source"]).replace("**", "")


@pytest.mark.parametrize("lang", ["en", "es"])
def test_every_help_line_is_in_the_dated_list(lang):
    allowed = documented_lines()[lang]
    texts = dict(_safety_texts(lang))
    texts["00 Start here"] = _start_page_help(lang)
    for where, text in texts.items():
        unknown = _contacts(text) - allowed
        assert not unknown, f"{lang} {where}: {sorted(unknown)} not in the dated list of docs/item-bank.md"
    assert "hotpeachpages.net" not in " ".join(texts.values())


def test_the_contact_finder_finds_what_it_must():
    assert _contacts("Call 1-800-799-7233 or text START to 88788, see hotpeachpages.net; 00 Start here.") == {
        "1-800-799-7233",
        "88788",
        "hotpeachpages.net",
    }


def test_spanish_help_says_how_to_ask_for_spanish():
    help_text = " ".join(load_item_bank(BANKS["es"]).help)
    assert "marca 2 para hablar en español" in help_text and "AYUDA" in help_text
    assert "1-800-799-7233" in help_text and "pide hablar en español" in help_text


def test_both_banks_carry_the_same_ids_and_version():
    en, es = (load_item_bank(p) for p in BANKS.values())
    assert en.version == es.version

    def ids(bank):
        return [(a.id, [(i.id, i.reverse, i.sensitive, i.fear) for i in (*a.items, *a.retired)]) for a in bank.areas]

    assert ids(en) == ids(es)
