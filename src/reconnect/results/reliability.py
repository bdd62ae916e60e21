"""How consistently an area's statements measure one thing (Cronbach's alpha), shown only where a room is large enough.

Alpha is worked out only from at least max(30, *k*) complete answers (`alpha_min_n`), and its n follows the
nested-group rule of :mod:`reconnect.results.group_privacy`.
"""

from __future__ import annotations

import math

import pandas as pd

from ..bank.content import ItemBank
from ..bank.i18n import _
from .group import scores, selection
from .group_privacy import check_min_group, gap_ok
from .scoring import keyed

ALPHA_MIN_N = 30


# -- reliability ------------------------------------------------------------------------------------
def cronbach_alpha(items: pd.DataFrame) -> float:
    """Cronbach's alpha of a people x statements table of (recoded) ratings, complete rows only.

    alpha = k / (k - 1) * (1 - sum of item variances / variance of the total), variances with n - 1.

    Examples
    --------
    >>> import pandas as pd
    >>> round(cronbach_alpha(pd.DataFrame({"a": [1, 2, 3, 4], "b": [2, 2, 4, 4], "c": [1, 3, 3, 5]})), 4)
    0.9333
    """
    data = items.dropna().astype(float)
    n_items = data.shape[1]
    if n_items < 2 or len(data) < 2:
        return float("nan")
    total_var = data.sum(axis=1).var(ddof=1)
    if total_var == 0:
        return float("nan")
    return float(n_items / (n_items - 1) * (1 - data.var(ddof=1).sum() / total_var))


def reliability(
    frame: pd.DataFrame,
    bank: ItemBank,
    *,
    workshop: str | None,
    session: str | None,
    min_n: int = ALPHA_MIN_N,
    min_group: int | None = None,
) -> pd.DataFrame:
    """Cronbach's alpha per area from the people who answered every statement.

    Worked out only when they are at least ``min_n`` and at least the minimum group size ``k``
    (:func:`alpha_min_n`). Their number is shown only when it is the area's n or at least ``k``
    below it (rule 4), else it would count the few who left a statement open.
    Columns: area, title, n_complete, alpha, note.
    """
    k = check_min_group(min_group)
    min_n = alpha_min_n(k, min_n)
    rows_all = selection(frame, workshop=workshop, session=session)
    sc = scores(frame, bank, workshop=workshop, session=session)
    rows = []
    for area in bank.areas:
        mine = rows_all[rows_all["area"] == area.id] if not rows_all.empty else rows_all
        rated = int((sc["area"] == area.id).sum()) if not sc.empty else 0
        n, alpha = 0, float("nan")
        if not mine.empty:
            work = mine[["participant", "item"]].copy()
            work["value"] = keyed(mine, bank)
            table = work.pivot_table(index="participant", columns="item", values="value", observed=True)
            table = table.reindex(columns=[i.id for i in area.items]).dropna()
            n = len(table)
            alpha = cronbach_alpha(table) if n >= min_n else float("nan")
        if n < min_n:
            note = (
                _(
                    "not worked out: fewer than {min_n} people answered every statement, and alpha needs at least "
                    "{min_n} to mean anything"
                )
                if n
                else _(
                    "not worked out: no people answered every statement, and alpha needs at least {min_n} to mean "
                    "anything"
                )
            ).format(min_n=min_n)
            shown_n = None
        else:
            note = _alpha_words(alpha)
            shown_n = n if gap_ok(rated, n, k) else None
        rows.append(
            {
                "area": area.id,
                "title": area.title,
                "n_complete": shown_n,
                "alpha": alpha if n >= min_n else None,
                "note": note,
            }
        )
    out = pd.DataFrame(rows)
    out["n_complete"] = out["n_complete"].astype("Int64")
    out["alpha"] = out["alpha"].astype("Float64")
    return out


def alpha_min_n(min_group: int | None = None, min_n: int = ALPHA_MIN_N) -> int:
    """How many complete answers alpha needs: ``min_n`` (30), or the minimum group size if larger.

    Examples
    --------
    >>> alpha_min_n(), alpha_min_n(40)
    (30, 40)
    """
    return max(int(min_n), check_min_group(min_group))


def _alpha_words(alpha: float) -> str:
    if math.isnan(alpha):
        return _("cannot be worked out: everybody gave the same total")
    if alpha >= 0.8:
        return _("the statements hang together well: people who agreed with one tended to agree with the others")
    if alpha >= 0.7:
        return _("the statements hang together acceptably")
    if alpha >= 0.6:
        return _("the statements hang together only loosely; read the area score with some care")
    return _("the statements do not hang together in this group; look at them one by one rather than at the score")
