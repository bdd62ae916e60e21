"""The printable profile report: a 1-3 page A4 PDF made with matplotlib's PDF backend.

Page 1: the profile chart, strengths / growth areas in words, where to get help. Page 2: ideas to
try and change over time. Page 3, only when both partners have chosen to share: the couple page.

Private journal reflections are **never** put in the PDF: a printout can be left on a desk or in a
printer tray, and a reflection may be something a person would not want their partner or anyone
else to read. They stay on screen, in the person's own notebook. The optional display name is left
out for the same reason, and the participant code is printed masked (``KM7-•••``): the code is the
only key to a person's answers, so a printout left on a desk must not carry it whole.
"""

from __future__ import annotations

import functools
import io
import textwrap
from datetime import datetime
from pathlib import Path

from ..bank.content import load_item_bank
from ..bank.help_lines import AFRAID_LINE, dv_line, is_dv_line
from ..bank.i18n import _, date
from ..bank.model import ItemBank
from ..core.errors import StoreError
from ..core.files import ensure_folder, random_id, replace_file, write_new
from ..records.participant import mask_code, session_label
from ..results.profile import ProfileSource
from ..results.profile_views import PARTNER, YOU, Change, CoupleView, Profile

A4 = (8.27, 11.69)  # inches
MARGIN = 0.7
BODY = 10.5  # points
LABEL_WIDTH = 1.95  # inches kept left of a chart for the area names
MAX_EXERCISE_AREAS = 2  # the lowest ones; the rest are named, so the report stays within 3 pages
MAX_COUPLE_QUESTIONS = 4


class _Pages:
    """Flows headings, wrapped paragraphs and charts down A4 pages, starting a new page when full."""

    def __init__(self, pdf, footer: str):
        self.pdf = pdf
        self.footer = footer
        self.fig = None
        self.y = 0.0  # inches from the top of the page
        self.pages = 0
        self.texts: list[str] = []

    def new_page(self) -> None:
        import matplotlib.pyplot as plt

        self.finish()
        self.fig = plt.figure(figsize=A4)
        self.pages += 1
        self.y = MARGIN
        footer = _("{footer} · page {n}").format(footer=self.footer, n=self.pages)
        self._put(MARGIN, A4[1] - 0.45, footer, size=8.5, color="#555555", top=False)

    def finish(self) -> None:
        if self.fig is not None:
            import matplotlib.pyplot as plt

            self.pdf.savefig(self.fig)
            plt.close(self.fig)
            self.fig = None

    def _room(self, inches: float) -> None:
        if self.fig is None or self.y + inches > A4[1] - 0.6:
            self.new_page()

    def _put(self, x_in, y_in, text, *, size, weight="normal", style="normal", color="#111111", top=True):
        self.fig.text(
            x_in / A4[0],
            1 - y_in / A4[1],
            text,
            fontsize=size,
            fontweight=weight,
            fontstyle=style,
            color=color,
            va="top" if top else "baseline",
            ha="left",
        )
        self.texts.append(text)

    def heading(self, text: str, *, size: float = 15, space: float = 0.18) -> None:
        self._room(space + size / 72 * 1.6 + 0.6)  # never leave a heading alone at the bottom
        self.y += space
        self._put(MARGIN, self.y, text, size=size, weight="bold", color="#003f63")
        self.y += size / 72 * 1.5

    def remaining(self) -> float:
        """Inches left on the current page."""
        return A4[1] - 0.6 - self.y if self.fig is not None else 0.0

    def _lines(self, text: str, size: float, indent: float, bullet: str, bold: bool = False) -> list[str]:
        width_in = A4[0] - 2 * MARGIN - indent - (0.2 if bullet else 0)
        return wrap_to_width(text, width_in * 72, size=size, bold=bold)

    def height(self, texts: list[str], *, size: float = BODY, indent: float = 0.0, bullet: str = "") -> float:
        """Inches that ``para`` would use for each of ``texts``."""
        n = sum(len(self._lines(t, size, indent, bullet)) for t in texts)
        return n * size / 72 * 1.38 + len(texts) * size / 72 * 0.35

    def para(self, text: str, *, size: float = BODY, indent: float = 0.0, bullet: str = "", **kw) -> None:
        lines = self._lines(text, size, indent, bullet, kw.get("weight") == "bold")
        line_h = size / 72 * 1.38
        for n, line in enumerate(lines):
            self._room(line_h)
            if bullet and n == 0:
                self._put(MARGIN + indent, self.y, bullet, size=size, **kw)
            self._put(MARGIN + indent + (0.2 if bullet else 0), self.y, line, size=size, **kw)
            self.y += line_h
        self.y += size / 72 * 0.35

    def chart(self, draw, height: float, *, left: float = LABEL_WIDTH, right: float = 0.2, below: float = 0.55) -> None:
        """Draw into an Axes placed at the current position; ``draw(ax)`` returns the Axes.

        ``height`` includes ``below`` inches under the axes for the x label (and a legend there).
        """
        self._room(height + 0.2)
        top = self.y + 0.35  # room for the band names above the axes
        bottom = self.y + height - below
        x0 = MARGIN + left
        w = A4[0] - MARGIN - right - x0
        ax = self.fig.add_axes([x0 / A4[0], 1 - bottom / A4[1], w / A4[0], (bottom - top) / A4[1]])
        draw(ax)
        for t in ax.texts:
            self.texts.append(t.get_text())
        self.y += height


@functools.lru_cache(maxsize=8)
def _char_widths(size: float, bold: bool):
    """Advance width in points of each character, measured once per font size (fast wrapping)."""
    from matplotlib.font_manager import FontProperties, findfont
    from matplotlib.ft2font import FT2Font

    font = FT2Font(findfont(FontProperties(family="DejaVu Sans", weight="bold" if bold else "normal")))
    font.set_size(size, 720)  # measured at high resolution: hinting at 72 dpi would overstate widths
    cache: dict[str, float] = {}

    def width(ch: str) -> float:
        if ch not in cache:
            cache[ch] = font.load_char(ord(ch)).linearHoriAdvance / 65536 / 10
        return cache[ch]

    return width


def wrap_to_width(text: str, width_pt: float, *, size: float, bold: bool = False) -> list[str]:
    """Split ``text`` into lines no wider than ``width_pt`` points, measured with the real font."""
    char = _char_widths(float(size), bool(bold))

    def width(s: str) -> float:
        return sum(char(c) for c in s)

    space = char(" ")
    lines: list[str] = []
    current, current_w = "", 0.0
    for word in text.split():
        w = width(word)
        if current and current_w + space + w > width_pt:
            lines.append(current)
            current, current_w = word, w
        else:
            current_w = current_w + (space if current else 0.0) + w
            current = f"{current} {word}" if current else word
    if current or not lines:
        lines.append(current)
    return lines


def _wrap_labels(frame, column: str = "label"):
    frame = frame.copy()
    frame[column] = [textwrap.fill(str(t), 20) for t in frame[column]]
    return frame


def render_pdf(
    profile: Profile, change: Change, couple: CoupleView, *, bank: ItemBank, made: datetime | None = None
) -> tuple[bytes, int]:
    """Lay out the report and return (PDF bytes, number of pages). Nothing is written to disk."""
    import matplotlib

    made = made or datetime.now().astimezone()
    buffer = io.BytesIO()
    # TrueType fonts (42) keep the text extractable and searchable; rc_context changes nothing globally.
    with matplotlib.rc_context({"pdf.fonttype": 42, "font.family": "DejaVu Sans"}):
        from matplotlib.backends.backend_pdf import PdfPages

        with PdfPages(buffer, metadata={"Title": _("Reconnect profile"), "Creator": "Reconnect"}) as pdf:
            shown = mask_code(profile.code)  # never the whole code on paper
            pages = _Pages(pdf, f"Reconnect · {shown} · {date(made, style='d MMM y')}")
            _profile_page(pages, profile, bank=bank, shown=shown, made=made)
            _ideas_and_change_page(pages, profile, change, bank=bank)
            if couple.ready:
                _couple_page(pages, couple, bank=bank)
            pages.finish()
            count = pages.pages
    return buffer.getvalue(), count


def _profile_page(pages: _Pages, profile: Profile, *, bank: ItemBank, shown: str, made: datetime) -> None:
    """Page 1: who and when, the five areas' chart, strengths and growth areas, and where to get help."""
    from .charts import score_bars

    pages.new_page()
    pages.heading(_("My Reconnect profile"), size=20, space=0.0)
    if profile.session:
        which = _("session '{session}'").format(session=session_label(profile.session))
    else:
        which = _("the newest answer in each area")
    pages.para(
        _("Participant {code} · {which} · made on {date}").format(code=shown, which=which, date=date(made)),
        color="#333333",
    )
    pages.para(bank.non_diagnostic, size=9.5, style="italic")
    pages.heading(_("My five areas"))
    pages.chart(
        lambda ax: score_bars(_wrap_labels(profile.chart_data()), bank=bank, ax=ax),
        0.55 * len(profile.table) + 1.25,
    )
    pages.heading(_("Strengths and growth areas"))
    for line in profile.summary_lines():
        pages.para(line, bullet="•")
    for note in profile.notes:
        pages.para(note, size=9.5, style="italic")
    _help(pages, bank)


def _ideas_and_change_page(pages: _Pages, profile: Profile, change: Change, *, bank: ItemBank) -> None:
    """Page 2: ideas to try in the growth areas and the change over time."""
    from .charts import change_dumbbell

    pages.new_page()
    exercises = profile.exercises()
    if exercises:
        pages.heading(_("Ideas to try"), space=0.0)
        pages.para(profile.exercises_intro())
        for title, ideas in exercises[:MAX_EXERCISE_AREAS]:
            pages.para(title, weight="bold")
            for idea in ideas:
                pages.para(idea, bullet="–", indent=0.15, size=10)
        if len(exercises) > MAX_EXERCISE_AREAS:
            rest = ", ".join(title for title, _ideas in exercises[MAX_EXERCISE_AREAS:])
            pages.para(_("More ideas, for {areas}, are in those areas' notebooks.").format(areas=rest), style="italic")
        if profile.has_together_exercises():
            pages.para(bank.together_line, size=8.5, style="italic")
    pages.heading(_("Change over time"), space=0.0 if not exercises else 0.18)
    if change.available:
        pages.para(change.message)
        pages.chart(
            lambda ax: change_dumbbell(_wrap_labels(change.long), bank=bank, sessions=change.sessions, ax=ax),
            0.4 * len(change.table) + 1.95,
            right=0.85,
            below=1.2,
        )
        words = change.short_lines()
        if pages.height(words, size=10, bullet="•") > pages.remaining():
            words = [" ".join(words)]  # one paragraph instead of bullets, so page 2 holds it
        for line in words:
            pages.para(line, bullet="•", size=10)
    else:
        pages.para(change.message)


def _couple_page(pages: _Pages, couple: CoupleView, *, bank: ItemBank) -> None:
    """Page 3, only with both partners' consent: the two of us side by side and what to talk about."""
    from .charts import couple_bars

    pages.new_page()
    pages.heading(_("The two of us"), space=0.0)
    pages.para(
        _("Keep this page between the two of you. Self-ratings, not a diagnosis; help lines are on page 1."),
        weight="bold",
    )
    # the first domestic-violence line only: every help line is on page 1, and the couple page stays one page
    first_dv = next((line for line in bank.help if is_dv_line(line)), dv_line(bank))
    pages.para(f"{_(AFRAID_LINE)} {first_dv}", size=9, style="italic")
    pages.para(couple.short_message(), size=10)
    pages.chart(
        lambda ax: couple_bars(
            _wrap_labels(couple.chart_data()), bank=bank, note="agreement", people=[YOU, PARTNER], ax=ax
        ),
        0.55 * len(couple.table) + 1.75,
        right=1.55,
        below=0.85,
    )
    strengths = couple.strength_lines()[:2]
    if strengths:
        pages.heading(_("Statements you both rate high"), size=12.5)
        for line in strengths:
            pages.para(line, bullet="•", size=10)
    diffs = couple.difference_lines()[: 3 - (1 if strengths else 0)]
    if diffs:
        pages.heading(_("Statements you answered most differently"), size=12.5)
        for line in diffs:
            pages.para(line, bullet="•", size=10)
    questions = couple.questions
    if len(questions) > MAX_COUPLE_QUESTIONS:
        questions = [*questions[: MAX_COUPLE_QUESTIONS - 1], questions[-1]]
    while len(questions) > 2 and pages.height(questions, size=10, bullet="•") + 0.6 > pages.remaining():
        questions = [*questions[:-2], questions[-1]]  # keep the couple page one page
    pages.heading(_("To talk about together"), size=12.5)
    for q in questions:
        pages.para(q, bullet="•", size=10)


#: Type sizes tried, largest first, so that "Where to get help" ends page 1 instead of spilling over
#: (a longer language, or a bank with more help lines, gets a slightly smaller type, never a 4th page).
HELP_SIZES = (10, 9.5, 9, 8.5, 8)


def _help(pages: _Pages, bank: ItemBank) -> None:
    pages.heading(_("Where to get help"))
    lines = list(bank.help)
    size = next((s for s in HELP_SIZES if pages.height(lines, size=s, bullet="•") <= pages.remaining()), HELP_SIZES[-1])
    for line in lines:
        pages.para(line, bullet="•", size=size)


def build_report(
    store: str | Path, code: str, *, bank: ItemBank | None = None, session: str | None = None
) -> tuple[bytes, int, bool]:
    """The report of ``code`` from the data folder ``store``: (PDF bytes, pages, has couple page)."""
    bank = bank or load_item_bank()
    source = ProfileSource(store, bank=bank)
    profile = source.profile(code, session=session)
    change = source.change(profile.code)
    couple = source.couple(profile.code)
    data, pages = render_pdf(profile, change, couple, bank=bank)
    return data, pages, couple.ready


def write_report(
    store: str | Path,
    code: str,
    out: str | Path,
    *,
    bank: ItemBank | None = None,
    session: str | None = None,
    force: bool = False,
) -> tuple[Path, int, bool]:
    """Write the report to ``out``; never replace an existing file unless ``force``.

    Returns (path, pages, has couple page). Raises :class:`~reconnect.core.errors.StoreError` with one
    plain sentence when ``out`` exists, its folder is missing, or it cannot be written.
    """
    out = Path(out)
    store = Path(store)
    if not store.is_dir():
        raise StoreError(
            _("There is no data folder at {folder}. Check the path given with --store.").format(folder=store)
        )
    if out.is_dir():
        raise StoreError(
            _("{path} is a folder. Give a file name for the PDF, e.g. {example}.").format(
                path=out, example=out / "profile.pdf"
            )
        )
    if out.exists() and not force:
        raise StoreError(
            _("{path} already exists and was left as it is. Choose another name, or add --force to replace it.").format(
                path=out
            )
        )
    if not out.parent.is_dir():
        raise StoreError(
            _("The folder {folder} does not exist. Create it first, or choose another place for the PDF.").format(
                folder=out.parent
            )
        )
    data, pages, couple = build_report(store, code, bank=bank, session=session)
    if force and out.exists():
        replace_file(out, data)
    else:
        write_new(out, data)
    return out, pages, couple


def new_report_path(home: str | Path, *, demo: bool = False) -> Path:
    """A fresh file name in ``<home>/reports/`` (time + random id: never an existing file)."""
    folder = ensure_folder(Path(home) / "reports")
    kind = "demo-profile" if demo else "profile"
    return folder / f"reconnect-{kind}-{datetime.now():%Y%m%d-%H%M%S}-{random_id(3)}.pdf"
