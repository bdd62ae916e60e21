"""A synthetic demo workshop: realistic, deterministic, and clearly labelled as made up.

Nobody in it is real. Couples share a couple code and answer alike more often than strangers do;
most people come back for the "after" session and improve a little; a few leave statements open.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from pathlib import Path

from ..bank.content import load_item_bank
from ..bank.model import ItemBank
from ..core.errors import StoreError
from ..core.files import ensure_folder, write_new
from ..records.codes import CODE_ALPHABET
from ..records.store import Submission, submissions_folder

DEMO_WORKSHOP = "DEMO"
README = """SYNTHETIC DEMO DATA - nobody in this folder is a real person.

Made by `reconnect demo` (seed {seed}) for trying out Reconnect: {people} made-up participants,
{couples} couples among them, in workshop {workshop}, sessions "before" and "after".
Every made-up participant has a settings file in participants/; the couples have chosen to share
with each other, except in the last couple, where only one partner has (to show what then happens).
It is safe to delete this folder; `make lab` makes it again.
"""
DEMO_SETTINGS_TIME = datetime(2026, 10, 6, 18, 0, tzinfo=timezone.utc)
# How the made-up room leans in each area (mean of the latent 1-5 rating).
AREA_MEANS = {"self_esteem": 3.5, "distrust": 3.0, "insecurity": 3.2, "communication": 2.7, "foundation": 3.6}


def _code(rng: random.Random) -> str:
    chars = "".join(rng.choice(CODE_ALPHABET) for _ in range(6))
    return f"{chars[:3]}-{chars[3:]}"


def demo_submissions(
    *,
    participants: int = 28,
    couples: int = 8,
    seed: int = 2026,
    bank: ItemBank | None = None,
    workshop: str = DEMO_WORKSHOP,
    workshops: int = 1,
    returning: float = 0.85,
) -> list[Submission]:
    """Build the demo workshop's submissions in memory (deterministic for a given seed).

    ``workshops`` > 1 spreads the people over that many workshops (``DEMO-1``, ``DEMO-2``, ...), as
    in an agency's archive; ``returning`` is the share of people who come back for "after". With the
    defaults, the same seed always gives the same submissions.
    """
    bank = bank or load_item_bank()
    if couples * 2 > participants:
        raise StoreError(f"{couples} couples need at least {couples * 2} participants; ask for fewer couples.")
    rng = random.Random(seed)
    codes: list[str] = []
    seen: set[str] = set()
    while len(codes) < participants:
        code = _code(rng)
        if code not in seen:
            seen.add(code)
            codes.append(code)
    start = datetime(2026, 10, 6, 18, 30, tzinfo=timezone.utc)
    subs: list[Submission] = []
    couple_of = {}
    shared: dict[str, dict[str, float]] = {}
    for c in range(couples):
        label = f"DEMO-COUPLE-{c + 1}"
        couple_of[codes[2 * c]] = couple_of[codes[2 * c + 1]] = label
        shared[label] = {a: rng.gauss(0, 0.45) for a in AREA_MEANS}
    for index, person in enumerate(codes):
        couple = couple_of.get(person, "")
        shop = workshop if workshops <= 1 else f"{workshop}-{1 + index * workshops // participants}"
        base = {a: m + rng.gauss(0, 0.55) + (shared[couple][a] if couple else 0.0) for a, m in AREA_MEANS.items()}
        sessions = ["before"] + (["after"] if rng.random() < returning else [])
        for s_index, session in enumerate(sessions):
            moment = start + timedelta(days=28 * s_index, minutes=rng.randint(0, 80))
            for area in bank.areas:
                latent = base[area.id] + (0.3 + rng.gauss(0, 0.25)) * s_index
                ratings: dict[str, int | None] = {}
                for item in area.items:
                    value = latent + rng.gauss(0, 0.7)
                    if item.reverse:
                        value = bank.scale_min + bank.scale_max - value
                    ratings[item.id] = min(bank.scale_max, max(bank.scale_min, round(value)))
                # A few statements left open, never more than the 75% rule allows.
                open_slots = len(area.items) - area.min_answered
                for item in rng.sample(list(ratings), k=open_slots) if rng.random() < 0.12 else []:
                    ratings[item] = None
                moment += timedelta(minutes=rng.randint(3, 9))
                subs.append(
                    Submission(
                        participant=person,
                        area=area.id,
                        ratings=ratings,
                        session=session,
                        workshop=shop,
                        couple=couple,
                        bank_version=bank.version,
                        language=bank.language,
                        saved_at=moment,
                        submission_id=f"{rng.getrandbits(96):024x}",
                    )
                )
    return subs


def write_demo(
    out: str | Path,
    *,
    participants: int = 28,
    couples: int = 8,
    seed: int = 2026,
    bank: ItemBank | None = None,
    sync: bool = True,
    workshops: int = 1,
    returning: float = 0.85,
) -> int:
    """Write the demo workshop as a store into ``out``; refuse to touch an existing store."""
    out = Path(out)
    folder = submissions_folder(out)
    if folder.exists() and any(folder.iterdir()):
        raise StoreError(
            f"{folder} already holds submissions and was left as it is. Choose an empty folder "
            "for the demo, or delete that one yourself if it only holds demo data."
        )
    subs = demo_submissions(
        participants=participants, couples=couples, seed=seed, bank=bank, workshops=workshops, returning=returning
    )
    ensure_folder(folder)
    for sub in subs:
        write_new(folder / f"sub-{sub.submission_id}.csv", sub.to_csv(), sync=sync, mode=0o644)
    write_demo_settings(out, subs, sync=sync)
    shops = DEMO_WORKSHOP if workshops <= 1 else f"{DEMO_WORKSHOP}-1 to {DEMO_WORKSHOP}-{workshops}"
    readme = README.format(seed=seed, people=participants, couples=couples, workshop=shops)
    (out / "README-SYNTHETIC-DATA.txt").write_text(readme, encoding="utf-8")
    return len(subs)


def write_demo_settings(out: str | Path, subs: list[Submission] | None = None, *, sync: bool = False) -> int:
    """Write a settings file for every demo participant that has none yet; return how many were written.

    Workshop, couple code and newest session come from the participant's submissions (read from
    ``out`` when ``subs`` is not given). Couples share with each other, except the second partner of
    the last couple, so the demo also shows the view when only one partner has chosen to share. The
    files have a fixed time and name, so the same demo gives the same files.
    """
    import json

    out = Path(out)
    if subs is None:
        from ..records.store import load_store

        frame = load_store(out).frame
        latest = frame.sort_values("saved_at").drop_duplicates("participant", keep="last")
        people = [(r.participant, r.workshop, r.couple, r.session) for r in latest.itertuples()]
    else:
        newest: dict[str, Submission] = {}
        for sub in subs:
            if sub.participant not in newest or sub.saved_at >= newest[sub.participant].saved_at:
                newest[sub.participant] = sub
        people = [(s.participant, s.workshop, s.couple, s.session) for s in newest.values()]
    couples = sorted({str(c) for _p, _w, c, _s in people if c}, key=lambda c: (len(c), c))
    last_couple = couples[-1] if couples else None
    holdout = sorted(str(p) for p, _w, c, _s in people if c == last_couple)[-1:] if last_couple else []
    written = 0
    stamp = DEMO_SETTINGS_TIME.isoformat(timespec="milliseconds")
    for code, workshop, couple, session in sorted(people, key=lambda t: str(t[0])):
        folder = out / "participants" / str(code)
        if folder.is_dir() and any(folder.glob("settings-*.json")):
            continue
        record = {
            "format_version": 1,
            "code": str(code),
            "display_name": "",
            "workshop": str(workshop or ""),
            "couple": str(couple or ""),
            "session": str(session),
            "share_with_partner": bool(couple) and str(code) not in holdout,
            "saved_at": stamp,
        }
        name = f"settings-{DEMO_SETTINGS_TIME:%Y%m%dT%H%M%S%f}-demo.json"
        write_new(folder / name, json.dumps(record, indent=2).encode(), sync=sync, mode=0o644)
        written += 1
    return written
