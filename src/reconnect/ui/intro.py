"""An area's heading and introduction, read from the item bank (the one place a counselor edits them)."""

from __future__ import annotations

import ipywidgets as w

from ..bank.content import load_item_bank
from ..bank.model import Area, ItemBank
from .common import esc


def area_heading(area: Area) -> str:
    """The notebook heading of an area, e.g. "1. Standing on your own confidence" (also used for navigation)."""
    return f"{area.number}. {area.title}"


def area_intro_html(area: Area) -> str:
    return (
        f'<div class="rc-area-intro"><h1 id="{esc(area.id)}">{esc(area_heading(area))}</h1>'
        f'<p style="font-size:16px;line-height:1.5;">{esc(area.introduction)}</p></div>'
    )


class AreaIntro:
    """Heading and introduction of one area, as the item bank words them."""

    def __init__(self, area_id: str, *, bank: ItemBank | None = None):
        self.bank = bank or load_item_bank()
        self.area = self.bank.area(area_id)
        self.widget = w.HTML(area_intro_html(self.area))
