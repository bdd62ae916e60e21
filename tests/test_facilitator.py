"""The facilitator dashboard: selectors, Refresh, minimum size, presentation mode, prompts, alpha."""

from _group_helpers import BANK, make_store, submission
from reconnect.records.drop_folder import make_drop_folder
from reconnect.records.store import save_submission
from reconnect.results import group as g
from reconnect.ui.facilitator import FacilitatorDashboard


def html(dash):
    def walk(widget):
        if isinstance(getattr(widget, "value", None), str):
            yield widget.value
        for output in getattr(widget, "outputs", ()):  # a chart: an Output widget holding an <img>
            yield output.get("data", {}).get("text/html", "")
        for child in getattr(widget, "children", ()):
            yield from walk(child)

    return " ".join(walk(dash.content))


def test_opens_on_demo_workshop(monkeypatch):
    monkeypatch.delenv("RECONNECT_STORE", raising=False)
    dash = FacilitatorDashboard(bank=BANK, show_charts=False, drop=None)
    assert dash.workshop.value == "DEMO"
    assert list(dash.session.options) == ["before", "after"]
    page = html(dash)
    assert "28 people answered" in page
    assert "To talk about: the room's two weakest areas" in page
    assert BANK.area("communication").discussion_prompts[0].replace("'", "&#x27;") in page
    assert "at least 30 people" in page  # alpha is not shown for 28
    assert "988" in page


def test_refresh_reads_new_answers_and_minimum_applies(tmp_path):
    store = make_store(tmp_path / "store", [5, 3, 1, 5])
    dash = FacilitatorDashboard(store=store, bank=BANK, show_charts=False, drop=None)
    assert "Fewer than 5 people have answered" in html(dash) and "4 people" not in html(dash)
    save_submission(store, submission(4, "self_esteem", 4), bank=BANK)
    dash.refresh_button.click()
    assert "5 people answered" in html(dash)
    dash.min_group.value = 6
    assert "Fewer than 6 people have answered" in html(dash)


def test_refresh_collects_from_the_collection_folder(tmp_path):
    store = make_store(tmp_path / "store", [5, 3, 1, 5, 4])
    drop = make_drop_folder(tmp_path / "drop")
    dash = FacilitatorDashboard(store=store, bank=BANK, show_charts=False, drop=drop)
    assert "5 people answered" in html(dash)
    sub = submission(5, "self_esteem", 2)
    (drop / f"sub-{sub.submission_id}.csv").write_bytes(sub.to_csv())
    dash.refresh_button.click()
    assert "6 people answered" in html(dash) and "1 imported" in dash.status.value


def test_presentation_mode_and_alpha_from_30(tmp_path):
    store = make_store(tmp_path / "store", [1, 2, 3, 4, 5] * 6)
    dash = FacilitatorDashboard(store=store, bank=BANK, show_charts=False, drop=None)
    assert "alpha 1.00 from 30 people" in html(dash)
    dash.present.value = True
    assert "rc-present" in dash.content._dom_classes
    dash.present.value = False
    assert "rc-present" not in dash.content._dom_classes


def test_no_codes_on_the_dashboard(tmp_path):
    couples = {i: "HIDDENPAIR" for i in range(2)}
    store = make_store(tmp_path / "store", [5, 3, 1, 5, 4, 2], couples=couples)
    dash = FacilitatorDashboard(store=store, bank=BANK, show_charts=False, drop=None)
    page = html(dash)
    frame = g.selection(dash.frame, workshop="TUE", session="before")
    for participant in frame["participant"].unique():
        assert participant not in page
    assert "HIDDENPAIR" not in page


def test_charts_grow_in_presentation_mode_without_being_drawn_again(tmp_path):
    import re

    store = make_store(tmp_path / "store", [5, 3, 1, 5, 4, 2])
    dash = FacilitatorDashboard(store=store, bank=BANK, show_charts=True, drop=None)
    titles = [t for t, _ in dash.shown]
    assert titles[0].startswith("Where the room sees") and any(t.startswith("How the scores spread") for t in titles)
    assert any(t.startswith("Couples") for t in titles) and len(titles) == 4  # no second session: no change chart
    page = html(dash)
    imgs = re.findall(r'<img class="rc-chart"[^>]*>', page)
    assert len(imgs) == 4
    for img in imgs:
        natural = int(re.search(r'width="(\d+)"', img).group(1))
        shown = int(re.search(r"max-width:(\d+)px", img).group(1))
        big = int(re.search(r"--rc-present-width:(\d+)px", img).group(1))
        assert big == natural and abs(shown * 1.3 - natural) <= 2  # the page shows it at 1/1.3 until presenting
    assert ".rc-present img.rc-chart{max-width:var(--rc-present-width) !important;}" in page
    on_page = dash.content.children
    dash.present.value = True
    assert "rc-present" in dash.content._dom_classes  # the charts grow: lettering 1.3 times larger
    assert dash.content.children is on_page and html(dash) == page  # nothing drawn again: the room sees it at once
    dash.present.value = False
    assert "rc-present" not in dash.content._dom_classes


def test_only_folder_names_are_projected(tmp_path, monkeypatch):
    home = tmp_path / "alex.morgan"
    monkeypatch.setenv("HOME", str(home))
    store = make_store(home / "workshops" / "tuesday-store", [5, 3, 1, 5, 4])
    dash = FacilitatorDashboard(store=store, bank=BANK, show_charts=False, drop=None)
    shown = dash.status.value + html(dash)
    assert "tuesday-store" in dash.status.value
    assert "alex.morgan" not in shown and str(tmp_path) not in shown
    assert dash.store.value == "~/workshops/tuesday-store"  # the box names no home folder either
    dash.refresh_button.click()  # and the ~ form is read back
    assert "5 people answered" in html(dash)
    dash.present.value = True
    assert dash.store.layout.display == "none"  # not on the projector at all
    empty = home / "empty-store"
    empty.mkdir()
    dash.store.value = str(empty)
    dash.refresh_button.click()
    assert "empty-store" in dash.status.value and "alex.morgan" not in dash.status.value


def test_room_size_withheld_beside_an_area_count_that_differs_by_a_few(tmp_path):
    store = make_store(tmp_path / "store", [5, 3, 1, 5, 4])
    save_submission(store, submission(5, "distrust", 3), bank=BANK)  # a 6th person, another area only
    dash = FacilitatorDashboard(store=store, bank=BANK, show_charts=False, drop=None)
    page = html(dash)
    assert "At least 5 people answered" in page and "6 people" not in page
    assert "would tell about fewer than 5 people" in page


def test_alpha_needs_the_chosen_minimum(tmp_path):
    store = make_store(tmp_path / "store", [1, 2, 3, 4, 5] * 7)  # 35 answered every statement
    for person in range(35, 40):  # 5 more left one statement open
        sub = submission(person, "self_esteem", 3)
        sub.ratings["se1"] = None
        save_submission(store, sub, bank=BANK)
    dash = FacilitatorDashboard(store=store, bank=BANK, show_charts=False, drop=None)
    assert "alpha 1.00 from 35 people" in html(dash)  # 40 rated the area, 35 of them every statement
    dash.min_group.value = 40
    page = html(dash)
    assert "40 people answered" in page
    assert "from 35 people" not in page and "alpha 1.00" not in page
    assert "when at least 40 people answered every statement" in page


def test_every_chart_is_an_image_with_its_first_sentence_as_alt(tmp_path):
    import re
    from html import unescape as html_unescape

    from reconnect.results import group as g
    from reconnect.results import group_chart_text as gt

    store = make_store(tmp_path / "store", [5, 3, 1, 5, 4, 2])
    dash = FacilitatorDashboard(store=store, bank=BANK, show_charts=True, drop=None)
    html = "".join(o["data"].get("text/html", "") for out in _outputs(dash.content) for o in out.outputs)
    alts = re.findall(r'<img class="rc-chart" [^>]*alt="([^"]*)"', html)
    assert len(alts) == 4 and all(alts), alts
    shares = g.band_shares(
        dash.frame, BANK, workshop=dash.workshop.value, session=dash.session.value, min_group=dash.min_group.value
    )
    assert html_unescape(alts[0]) == gt.band_chart_text(shares).split("\n")[0].rstrip(":") + "."


def _outputs(widget):
    import ipywidgets as w

    if isinstance(widget, w.Output):
        yield widget
    for child in getattr(widget, "children", ()):
        yield from _outputs(child)


def _turns(monkeypatch):
    """The steps the dashboard hands to the kernel's loop, kept to be run one by one (as turns)."""
    import reconnect.ui.facilitator as f

    queued = []
    monkeypatch.setattr(f, "in_turns", lambda steps: queued.extend(steps))
    return queued


def _count_calls(monkeypatch, *names):
    """Count the calls of these functions of the room's results (results.group, results.reliability)."""
    from reconnect.results import reliability as rb

    calls = []
    for name in names:
        module = g if hasattr(g, name) else rb
        real = getattr(module, name)

        def counted(*args, _real=real, _name=name, **kwargs):
            calls.append(_name)
            return _real(*args, **kwargs)

        monkeypatch.setattr(module, name, counted)
    return calls


def test_the_first_chart_is_drawn_before_the_sections_below_it_are_worked_out(tmp_path, monkeypatch):
    queued = _turns(monkeypatch)
    later = _count_calls(monkeypatch, "score_spread", "statement_counts", "change", "couple_agreement", "reliability")
    store = make_store(tmp_path / "store", [5, 3, 1, 5, 4, 2])
    for person, level in enumerate([4, 4, 2, 5, 4, 3]):  # the same people again, later: a change chart too
        save_submission(store, submission(person, "self_esteem", level, session="after", minute=60), bank=BANK)
    dash = FacilitatorDashboard(store=store, bank=BANK, show_charts=True, drop=None)
    dash.session.value = "before"
    queued[:] = queued[-7:]  # only the page on screen: the steps of the first one come to nothing (tested below)
    page = html(dash)
    assert "6 people answered" in page and "To talk about" in page
    assert "988" in dash.content.children[-1].value  # the safety line: at the bottom from the start
    assert '<img class="rc-chart"' not in page and later == [] and "rc-drawing" in dash.content._dom_classes
    queued.pop(0)()  # the next turn: the room's bands, and nothing else worked out yet
    assert len(dash.shown) == 1 and dash.shown[0][0].startswith("Where the room sees")
    assert html(dash).count('<img class="rc-chart"') == 1 and later == []
    queued.pop(0)()
    assert later == ["score_spread"] and html(dash).count('<img class="rc-chart"') == 2
    while queued:
        queued.pop(0)()
    assert later == ["score_spread", "statement_counts", "change", "couple_agreement", "reliability"]
    assert html(dash).count('<img class="rc-chart"') == 5 and "rc-drawing" not in dash.content._dom_classes
    page = html(dash)
    order = ["Who took part", "How the scores spread", "Every statement", "What changed", "Couples in", "About these"]
    assert [page.index(words) for words in order] == sorted(page.index(words) for words in order)
    assert "988" in dash.content.children[-1].value  # the safety line, still last


def test_a_choice_made_while_drawing_drops_what_was_left_of_the_old_page(tmp_path, monkeypatch):
    queued = _turns(monkeypatch)
    store = make_store(tmp_path / "store", [5, 3, 1, 5, 4, 2])
    dash = FacilitatorDashboard(store=store, bank=BANK, show_charts=True, drop=None)
    queued.pop(0)()  # the first chart
    old, queued[:] = list(queued), []
    dash.min_group.value = 6  # laid out again
    for step in old:  # what the old page still had to draw comes to nothing
        step()
    assert dash.shown == [] and '<img class="rc-chart"' not in html(dash) and "rc-drawing" in dash.content._dom_classes
    while queued:
        queued.pop(0)()
    assert len(dash.shown) == 4 and "rc-drawing" not in dash.content._dom_classes


def test_a_closed_dashboard_draws_nothing_more(tmp_path, monkeypatch):
    queued = _turns(monkeypatch)
    store = make_store(tmp_path / "store", [5, 3, 1, 5, 4, 2])
    dash = FacilitatorDashboard(store=store, bank=BANK, show_charts=True, drop=None)
    dash.close()  # its cell ran again
    while queued:
        queued.pop(0)()
    assert dash.shown == []
    dash.refresh_button.click()
    assert queued == [] and dash.shown == []


def test_a_section_that_fails_says_so_in_its_place_and_the_rest_is_drawn(tmp_path, monkeypatch):
    def broken(*_args, **_kwargs):
        raise RuntimeError("disk went away")

    monkeypatch.setattr(g, "score_spread", broken)
    store = make_store(tmp_path / "store", [5, 3, 1, 5, 4, 2])
    dash = FacilitatorDashboard(store=store, bank=BANK, show_charts=True, drop=None)
    page = html(dash)
    assert "Traceback" not in page and "rc-error" in page
    assert "How the scores spread" not in page and "Couples in the room" in page
    assert len(dash.shown) == 3 and "rc-drawing" not in dash.content._dom_classes


def _count(monkeypatch, module, name):
    calls = []
    real = getattr(module, name)

    def counted(*args, **kwargs):
        calls.append(name)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


def test_what_was_read_and_drawn_while_the_page_loaded_is_used_once(tmp_path, monkeypatch):
    import reconnect.output.group_charts as gc
    import reconnect.ui.facilitator as f

    store = make_store(tmp_path / "store", [5, 3, 1, 5, 4, 2])
    plain = FacilitatorDashboard(store=store, bank=BANK, show_charts=True, drop=None)
    reads, drawn = _count(monkeypatch, f, "load_store"), _count(monkeypatch, gc, "band_chart")
    dash = FacilitatorDashboard(store=store, bank=BANK, show_charts=True, drop=None, read_now=False)
    dash.prepare()  # without a kernel: at once (in a notebook, in a thread while the page loads)
    assert reads == ["load_store"] and drawn == ["band_chart"] and dash.content.children == ()
    dash.refresh()  # the page shows: nothing is read or drawn again for the first chart
    assert reads == ["load_store"] and drawn == ["band_chart"]
    assert html(dash) == html(plain) and dash.shown == plain.shown  # the same page, the same pictures
    dash.refresh_button.click()  # Refresh reads the folder again, and draws again
    assert reads == ["load_store"] * 2 and drawn == ["band_chart"] * 2 and html(dash) == html(plain)


def test_what_was_prepared_is_not_used_once_it_no_longer_fits(tmp_path, monkeypatch):
    import reconnect.output.group_charts as gc
    import reconnect.ui.facilitator as f

    first = make_store(tmp_path / "first", [5, 3, 1, 5, 4, 2])
    other = make_store(tmp_path / "other", [1, 1, 1, 1, 1])
    reads, drawn = _count(monkeypatch, f, "load_store"), _count(monkeypatch, gc, "band_chart")
    dash = FacilitatorDashboard(store=first, bank=BANK, show_charts=True, drop=None, read_now=False)
    dash.prepare()
    dash.min_group.value = 6  # chosen before the page had read anything: the chart drawn ahead is for 5
    dash.refresh()
    assert reads == ["load_store"] and drawn == ["band_chart"] * 2 and "6 people answered" in html(dash)
    dash = FacilitatorDashboard(store=first, bank=BANK, show_charts=True, drop=None, read_now=False)
    dash.prepare()
    dash.store.value = str(other)  # another folder typed in meanwhile: that one is read
    dash.refresh()
    assert "5 people answered" in html(dash) and "other" in dash.status.value


def test_a_folder_that_could_not_be_read_ahead_is_said_as_when_read_at_once(tmp_path, monkeypatch):
    import re

    import reconnect.ui.facilitator as f
    from reconnect.core.errors import ReconnectError

    store = make_store(tmp_path / "store", [5, 3, 1, 5, 4, 2])
    for failure in (ReconnectError("The folder store cannot be read. Fix: check it."), OSError("disk gone")):

        def broken(*_args, _failure=failure, **_kwargs):
            raise _failure

        monkeypatch.setattr(f, "load_store", broken)
        plain = FacilitatorDashboard(store=store, bank=BANK, show_charts=True, drop=None)
        dash = FacilitatorDashboard(store=store, bank=BANK, show_charts=True, drop=None, read_now=False)
        dash.prepare()
        dash.refresh()
        said, expected = (re.sub(r"[\w-]+-[0-9a-f]{6}\.txt", "<incident>", d.status.value) for d in (dash, plain))
        assert said == expected and "rc-error" in said  # an incident's own file name aside
        assert "Traceback" not in said and dash.content.children == ()
