"""Property-based tests (hypothesis): the file format round-trips, scores obey their rules, and
whatever a person types is either refused or made safe."""

from __future__ import annotations

import math
import uuid
from datetime import timedelta, timezone

import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from reconnect.bank.content import load_item_bank
from reconnect.bank.model import AREA_IDS
from reconnect.core.errors import InputError
from reconnect.records.codes import CODE_ALPHABET, is_participant_code, normalise_label, normalise_participant_code
from reconnect.records.store import Submission, read_submission_file, to_frame
from reconnect.results.scoring import BANDS, NOT_RATED, area_scores, band_for, score_ratings, to_100

BANK = load_item_bank()
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

codes = st.text(alphabet=CODE_ALPHABET, min_size=6, max_size=6).map(lambda s: f"{s[:3]}-{s[3:]}")
labels = st.from_regex(r"\A[A-Za-z0-9]([A-Za-z0-9 _.\-]{0,38}[A-Za-z0-9_.\-])?\Z")
ZONES = [timezone.utc, timezone(timedelta(hours=-5)), timezone(timedelta(hours=5, minutes=30))]
ratings_value = st.one_of(st.none(), st.integers(min_value=1, max_value=5))


@st.composite
def area_ratings(draw, min_items=1):
    area = BANK.area(draw(st.sampled_from(AREA_IDS)))
    ids = draw(st.permutations([i.id for i in area.items]))
    chosen = ids[: draw(st.integers(min_value=min_items, max_value=len(ids)))]
    return area.id, {item: draw(ratings_value) for item in chosen}


# -- file format ---------------------------------------------------------------------------------


@FAST
@given(
    data=area_ratings(),
    participant=codes,
    session=labels,
    workshop=st.one_of(st.just(""), labels),
    couple=st.one_of(st.just(""), labels),
    when=st.datetimes(
        min_value=pd.Timestamp("2000-01-01").to_pydatetime(),
        max_value=pd.Timestamp("2100-01-01").to_pydatetime(),
        timezones=st.sampled_from(ZONES),
    ),
)
def test_to_csv_then_read_gives_the_same_submission(tmp_path, data, participant, session, workshop, couple, when):
    area, ratings = data
    sub = Submission(participant, area, ratings, session, workshop, couple, BANK.version, saved_at=when)
    path = tmp_path / f"sub-{uuid.uuid4().hex}.csv"
    path.write_bytes(sub.to_csv())
    rows, problems = read_submission_file(path, BANK)
    assert problems == []
    assert {r["item"]: r["rating"] for r in rows} == ratings
    assert [r["item"] for r in rows] == list(ratings), "row order is the order of the statements"
    for r in rows:
        assert (r["participant"], r["session"], r["workshop"], r["couple"], r["area"]) == (
            participant,
            session,
            workshop,
            couple,
            area,
        )
        assert r["submission_id"] == sub.submission_id
    frame = to_frame(rows)
    stamp = frame["saved_at"].iloc[0]
    assert abs(stamp - pd.Timestamp(when)) < pd.Timedelta(milliseconds=1)


# -- scoring -------------------------------------------------------------------------------------


@FAST
@given(data=area_ratings(min_items=0))
def test_score_is_0_to_100_or_missing_by_the_75_percent_rule(data):
    area_id, ratings = data
    k = len(BANK.area(area_id).items)
    answered = sum(v is not None for v in ratings.values())
    score, band = score_ratings(ratings, area=area_id, bank=BANK)
    if answered < math.ceil(0.75 * k):
        assert math.isnan(score) and band == NOT_RATED
    else:
        assert 0 <= score <= 100 and band in BANDS
        assert band == band_for(score, BANK)


@FAST
@given(data=area_ratings(min_items=0))
def test_area_scores_agrees_with_the_single_form_score(data):
    area_id, ratings = data
    rows = [
        dict(
            format_version=1,
            submission_id="s1",
            participant="KM7-4TX",
            workshop="",
            couple="",
            session="before",
            area=area_id,
            item=item.id,
            rating=ratings.get(item.id),
            saved_at="2026-11-26T18:30:00.000+00:00",
            bank_version="1.0",
            source="x",
        )
        for item in BANK.area(area_id).items
    ]
    (row,) = area_scores(to_frame(rows), BANK).itertuples()
    score, band = score_ratings(ratings, area=area_id, bank=BANK)
    assert row.n_answered == sum(v is not None for v in ratings.values())
    assert row.band == band
    assert (math.isnan(row.score) and math.isnan(score)) or row.score == pytest.approx(score)


@FAST
@given(area_id=st.sampled_from(AREA_IDS), value=st.integers(min_value=1, max_value=5))
def test_reverse_keying_of_a_constant_answer(area_id, value):
    items = BANK.area(area_id).items
    n_rev = sum(i.reverse for i in items)
    expected_mean = ((len(items) - n_rev) * value + n_rev * (6 - value)) / len(items)
    score, _ = score_ratings({i.id: value for i in items}, area=area_id, bank=BANK)
    assert score == pytest.approx(100 * (expected_mean - 1) / 4)


@pytest.mark.parametrize(
    ("area_id", "expected"),
    [
        ("self_esteem", 100 * (22 / 6 - 1) / 4),  # 4 items at 5, two reverse items count as 1: mean 22/6
        ("distrust", 100 * (26 / 6 - 1) / 4),  # 5 at 5, one reverse at 1: mean 26/6
        ("insecurity", 100 * (22 / 6 - 1) / 4),
        ("communication", 100 * (26 / 6 - 1) / 4),
    ],
)
def test_all_fives_with_reverse_items_hand_computed(area_id, expected):
    score, _ = score_ratings({i.id: 5 for i in BANK.area(area_id).items}, area=area_id, bank=BANK)
    assert score == pytest.approx(expected)
    assert score < 100, "agreeing with a reverse-worded statement lowers the score"


scores = st.floats(min_value=0, max_value=100, allow_nan=False)


@FAST
@given(a=scores, b=scores)
def test_band_is_monotone_in_the_score(a, b):
    low, high = sorted((a, b))
    assert BANDS.index(band_for(low, BANK)) <= BANDS.index(band_for(high, BANK))


@FAST
@given(mean=st.floats(min_value=1, max_value=5, allow_nan=False))
def test_to_100_maps_the_scale_onto_0_100(mean):
    value = to_100(mean)
    assert 0 <= value <= 100
    assert to_100(1) == 0 and to_100(5) == 100


# -- what people type ------------------------------------------------------------------------------


@st.composite
def typed_codes(draw):
    """A code as a person might type it: any case, spaces anywhere, dash or not."""
    code = draw(codes)
    chars = []
    for ch in code.replace("-", ""):
        chars.append(draw(st.sampled_from([ch, ch.lower()])))
    pieces = []
    for n, ch in enumerate(chars):
        pieces.append(draw(st.sampled_from(["", " ", "  ", "\t"])))
        if n == 3:
            pieces.append(draw(st.sampled_from(["", "-", " - "])))
        pieces.append(ch)
    pieces.append(draw(st.sampled_from(["", " ", "\n"])))
    return code, "".join(pieces)


@FAST
@given(typed=typed_codes())
def test_typed_codes_are_accepted(typed):
    code, text = typed
    assert normalise_participant_code(text) == code
    assert is_participant_code(code)


ALLOWED_IN_CODES = set(CODE_ALPHABET) | set(CODE_ALPHABET.lower()) | {"-"}


@FAST
@given(typed=typed_codes(), bad=st.characters(), where=st.integers(min_value=0, max_value=20), replace=st.booleans())
def test_codes_with_any_other_character_are_refused(typed, bad, where, replace):
    assume(bad not in ALLOWED_IN_CODES and not bad.isspace())
    _, text = typed
    where = min(where, len(text))
    broken = text[:where] + bad + text[where + (1 if replace else 0) :]
    with pytest.raises(InputError, match="not a participant code"):
        normalise_participant_code(broken)


@FAST
@given(text=st.text(max_size=60))
@example(text="ﬀA-4CD")  # a ligature that upper-cases to 'FF'
@example(text="KM7-4TX\u0130")
def test_arbitrary_text_is_a_code_only_when_it_really_is_one(text):
    has_other = any(ch not in ALLOWED_IN_CODES and not ch.isspace() for ch in text)
    try:
        code = normalise_participant_code(text)
    except InputError:
        return
    assert not has_other, f"{text!r} was accepted as {code}"
    assert is_participant_code(code)
    squeezed = "".join(ch for ch in text if not ch.isspace() and ch != "-").upper()
    assert squeezed == code.replace("-", "")


@FAST
@given(text=st.one_of(st.text(max_size=60), st.text(alphabet="ab/\\<>.. -_\n\t\x00'\"=&;", max_size=30)))
def test_labels_are_refused_or_safe(text):
    try:
        value = normalise_label(text, what="workshop code")
    except InputError as exc:
        assert "workshop code" in str(exc)
        return
    assert not any(ch in value for ch in "/\\<>\"'&;\n\r\t\x00")
    assert value == value.strip()
    assert len(value) <= 40
    assert value == "" or value[0].isascii() and value[0].isalnum()
