"""The item bank: the project's bank is valid, and every kind of broken bank is refused with a message
that names the file, the place (area, statement) and says how to fix it."""

from __future__ import annotations

import re

import pytest
import yaml

from helpers import BANK_FILE, raw_bank
from reconnect.bank.content import load_item_bank, validate_item_bank
from reconnect.bank.model import AREA_IDS
from reconnect.core.errors import ItemBankError, ReconnectError

# An independent list (not the package's regex), so a gap in the package's list shows up here.
NEGATION_WORDS = re.compile(
    r"\b(not|no|never|nothing|nobody|none|neither|nor|without|hardly|cannot|barely|scarcely)\b|n['’]t\b", re.I
)


# -- the good bank ---------------------------------------------------------------------------------


def test_good_bank_has_five_areas_in_order(bank):
    assert [a.id for a in bank.areas] == list(AREA_IDS)
    assert [a.number for a in bank.areas] == [1, 2, 3, 4, 5]


def test_good_bank_items_follow_the_content_rules(bank):
    all_ids = []
    for area in bank.areas:
        assert 4 <= len(area.items) <= 6, area.id
        assert sum(item.reverse for item in area.items) <= 2, area.id
        for item in area.items:
            all_ids.append(item.id)
            assert item.text.strip() == item.text and item.text
            assert not NEGATION_WORDS.search(item.text), f"{area.id}/{item.id}: {item.text}"
            assert re.match(r"^I\b", item.text), f"first person: {item.text}"
        assert 2 <= len(area.reflection_prompts) <= 3
        assert 2 <= len(area.exercises) <= 3
    assert len(all_ids) == len(set(all_ids)), "statement ids are unique across areas"


def test_good_bank_scale_bands_version_and_safety(bank):
    assert [value for value, _ in bank.scale] == [1, 2, 3, 4, 5]
    labels = [label for _, label in bank.scale]
    assert all(label.strip() for label in labels) and len(set(labels)) == 5
    assert (bank.scale_min, bank.scale_max) == (1, 5)
    assert 0 < bank.growth_below < bank.strength_from <= 100
    assert bank.version.strip()
    help_text = " ".join(bank.help)
    assert "988" in help_text and "1-800-799-7233" in help_text
    assert "diagnosis" in bank.non_diagnostic


def test_validate_item_bank_finds_nothing_in_the_good_bank():
    assert validate_item_bank(BANK_FILE) == []


def test_min_answered_is_the_75_percent_rule(bank):
    for area in bank.areas:
        k = len(area.items)
        assert area.min_answered == -(-3 * k // 4)
        assert area.min_answered / k >= 0.75 > (area.min_answered - 1) / k


def test_unknown_area_lookup_says_which_areas_exist(bank):
    with pytest.raises(ItemBankError, match="self_esteem"):
        bank.area("friendship")


# -- broken banks --------------------------------------------------------------------------------


def _area(data, area_id):
    return next(a for a in data["areas"] if a["id"] == area_id)


def _dup_id(d):
    _area(d, "distrust")["items"][0]["id"] = "se1"


def _missing_area(d):
    d["areas"] = [a for a in d["areas"] if a["id"] != "foundation"]


def _unknown_area(d):
    _area(d, "foundation")["id"] = "friendship"


def _three_reverse(d):
    _area(d, "self_esteem")["items"][0]["reverse"] = True


def _negation(d):
    _area(d, "self_esteem")["items"][0]["text"] = "I do not feel good about who I am."


def _negation_contraction(d):
    _area(d, "insecurity")["items"][1]["text"] = "I don't feel present in our relationship."


def _negation_curly_apostrophe(d):
    # Word processors turn ' into ’; the rule must still catch the negation.
    _area(d, "insecurity")["items"][1]["text"] = "I don’t feel present in our relationship."


def _blank_text(d):
    _area(d, "communication")["items"][2]["text"] = "   "


def _three_items(d):
    _area(d, "distrust")["items"] = _area(d, "distrust")["items"][:3]


def _four_point_scale(d):
    d["scale"] = d["scale"][:4]


def _bands_reversed(d):
    d["bands"] = {"growth_below": 75, "strength_from": 50}


def _not_utf8(d):
    return BANK_FILE.read_bytes().replace(b"Standing", "Stand\xe9ing".encode("latin-1"))


def _empty(d):
    return b""


def _yaml_syntax(d):
    text = BANK_FILE.read_text(encoding="utf-8")
    # An unquoted ':' inside a value: the mistake the fix text warns about.
    return text.replace('title: "Trusting after past hurts"', "title: Trusting: after past hurts", 1)


def _missing_help(d):
    del d["safety"]["help"]


def _no_version(d):
    del d["version"]


# (mutation, fragments every message must contain besides the file name and "Fix:")
BROKEN = {
    "duplicate item id": (_dup_id, ["area distrust", "statement se1", "also used in area self_esteem"]),
    "missing area": (_missing_area, ["areas", "missing: foundation"]),
    "unknown area id": (_unknown_area, ["area friendship", "'friendship' is not one of the five areas", "foundation"]),
    "three reverse items": (_three_reverse, ["area self_esteem", "reverse", "se1", "se5", "se6"]),
    "negation": (_negation, ["area self_esteem", "statement se1", "negation 'not'"]),
    "negation n't": (_negation_contraction, ["area insecurity", "statement in2", "negation"]),
    "negation n’t": (_negation_curly_apostrophe, ["area insecurity", "statement in2", "negation"]),
    "blank text": (_blank_text, ["area communication", "statement cm3", "blank"]),
    "three items": (_three_items, ["area distrust", "items", "4 to 6", "found 3"]),
    "four-point scale": (_four_point_scale, ["scale", "five"]),
    "bands reversed": (_bands_reversed, ["bands", "75", "50", "growth_below < strength_from"]),
    "not UTF-8": (_not_utf8, ["byte ", "not UTF-8", "UTF-8"]),
    "empty file": (_empty, ["empty"]),
    "YAML syntax error": (_yaml_syntax, ["YAML", "line "]),
    "missing safety help": (_missing_help, ["safety.help", "domestic-violence"]),
    "missing version": (_no_version, ["version", "missing"]),
}


@pytest.mark.parametrize("case", list(BROKEN), ids=list(BROKEN))
def test_broken_bank_is_refused_with_a_fixable_message(broken_bank, case):
    mutate, fragments = BROKEN[case]
    path = broken_bank(mutate)
    before = path.read_bytes()
    with pytest.raises(ItemBankError) as info:
        load_item_bank(path)
    message = str(info.value)
    assert isinstance(info.value, ValueError) and isinstance(info.value, ReconnectError)
    assert str(path) in message
    assert "Fix:" in message
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in:\n{message}"
    assert info.value.problems, "the problems are listed one by one"
    for problem in info.value.problems:
        assert problem.path == str(path.resolve()) or problem.path == str(path)
        assert problem.reason and problem.fix
    assert path.read_bytes() == before, "validation never changes the file"
    # validate_item_bank reports the same problems without raising.
    found = validate_item_bank(path)
    assert found and [p.reason for p in found] == [p.reason for p in info.value.problems]


def test_yaml_error_gives_the_line_of_the_mistake(broken_bank):
    path = broken_bank(_yaml_syntax)
    (problem,) = validate_item_bank(path)
    bad_line = next(
        n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "Trusting: after past" in line
    )
    line = int(re.search(r"line (\d+)", problem.location).group(1))
    assert line == bad_line


def test_not_utf8_names_the_byte(broken_bank):
    path = broken_bank(_not_utf8)
    (problem,) = validate_item_bank(path)
    offset = int(problem.location.split()[-1])
    assert path.read_bytes()[offset] == 0xE9


def test_every_problem_is_reported_at_once(broken_bank):
    def two_things(d):
        _dup_id(d)
        _bands_reversed(d)

    problems = validate_item_bank(broken_bank(two_things))
    locations = " | ".join(p.location for p in problems)
    assert "bands" in locations and "statement se1" in locations


def test_missing_file_is_reported(tmp_path):
    with pytest.raises(ItemBankError, match="does not exist"):
        load_item_bank(tmp_path / "nope.yaml")


def test_editing_the_file_is_picked_up_without_restart(tmp_path):
    """Loading is cached, but a counselor's edit (new size/mtime) must be seen."""
    path = tmp_path / "bank.yaml"
    path.write_bytes(BANK_FILE.read_bytes())
    assert load_item_bank(path).area("self_esteem").items[0].id == "se1"
    data = raw_bank()
    data["areas"][0]["items"][0]["text"] = "I feel good about who I am, most days."
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    assert load_item_bank(path).area("self_esteem").items[0].text.endswith("most days.")


def test_sensitive_and_conversations_are_checked(broken_bank):
    from reconnect.bank.content import validate_item_bank

    def bad_sensitive(data):
        data["areas"][0]["items"][0]["sensitive"] = "yes"

    def bad_step(data):
        data["conversations"]["distrust"][0]["minutes"] = 0

    def unknown_area(data):
        data["conversations"]["romance"] = [dict(step) for step in data["conversations"]["distrust"]]  # no YAML alias

    for mutate, words in (
        (bad_sensitive, "sensitive is 'yes'"),
        (bad_step, "minutes (1-30)"),
        (unknown_area, "'romance'"),
    ):
        problems = validate_item_bank(broken_bank(mutate))
        assert any(words in p.reason for p in problems), problems


def test_a_bank_without_conversations_still_loads(broken_bank):
    from reconnect.bank.content import load_item_bank

    bank = load_item_bank(broken_bank(lambda data: data.pop("conversations") and None))
    assert bank.conversations == () and bank.conversation("distrust") is None
