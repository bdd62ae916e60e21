"""06 My profile as widgets (no browser): who is shown, consent switch, demo choice, PDF button, charts."""

import matplotlib
import pandas as pd
import pytest

from _profile_fixtures import BANK, ME, PARTNER, couple_folder, rate, settings
from reconnect.apps.demo import write_demo
from reconnect.output.charts import change_dumbbell, couple_bars, score_bars
from reconnect.records.journal import save_reflection
from reconnect.records.participant import load_settings, set_current
from reconnect.results.chart_text import change_dumbbell_text, couple_bars_text
from reconnect.results.scoring import NOT_RATED
from reconnect.ui.profile import DEMO, ProfileView

matplotlib.use("agg")


def _bars(ax):
    return [p for p in ax.patches if (p.get_gid() or "").startswith("bar:")]


def _bands(ax):
    return sorted(p.get_gid() for p in ax.patches if (p.get_gid() or "").startswith("band:"))


def _texts(ax):
    return [t.get_text() for t in ax.texts]


@pytest.fixture
def no_demo(tmp_path):
    return tmp_path / "no-demo"


def test_no_participant_code_says_where_to_start(tmp_path, no_demo):
    view = ProfileView(home=tmp_path, demo=no_demo, bank=BANK)
    assert "Nobody is signed in on this page" in view.header.value and "00 Start here" in view.header.value
    assert view.report_button.disabled and view.share.disabled
    assert view.source not in view.chooser_widget.children  # no demo installed: no choice offered


def test_own_profile_with_reflections_and_escaping(tmp_path, no_demo):
    settings(tmp_path, ME)
    set_current(tmp_path, ME)
    rate(tmp_path, ME, "distrust", [2] * 6)  # 25: growth area
    rate(tmp_path, ME, "foundation", [4] * 6)  # 75: strength
    save_reflection(tmp_path, participant=ME, area="distrust", prompt="p", text="<b>my old fear</b>")
    view = ProfileView(home=tmp_path, demo=no_demo, bank=BANK)
    html = view.profile_text.value
    assert "Looking at the foundation (75, rank 1)" in html
    assert "Trusting after past hurts (25, rank 2)" in html
    assert "&lt;b&gt;my old fear&lt;/b&gt;" in html and "<b>my old fear</b>" not in html
    assert "only you see these" in html
    # the chart: five rows, two bars with the scores, three named bands, "not yet rated" for the rest
    ax = view.axes["profile"]
    assert [t.get_text() for t in ax.get_yticklabels()] == [a.title for a in BANK.areas]
    widths = sorted(p.get_width() for p in ax.patches if p.get_zorder() == 2)
    assert widths == [25.0, 75.0]
    assert _texts(ax).count(NOT_RATED) == 3
    assert _bands(ax) == ["band:growth area", "band:in between", "band:strength"]
    assert "two sessions" in view.change_text.value
    assert "You have not entered a couple code" in view.couple_text.value
    assert "988" in view.safety.value


def test_consent_switch_saves_and_shows_the_couple_view_only_when_both_share(tmp_path, no_demo):
    couple_folder(tmp_path, me_share=False, partner_share=True)
    set_current(tmp_path, ME)
    view = ProfileView(home=tmp_path, demo=no_demo, bank=BANK)
    assert view.share.value is False
    assert "couple" not in view.axes and view.couple_details.value == ""
    assert "only when both of you" in view.couple_text.value
    view.share.value = True
    assert load_settings(tmp_path, ME).share_with_partner is True
    assert load_settings(tmp_path, ME).couple == "OURS" and load_settings(tmp_path, ME).display_name == "Alex"
    assert "Saved: you share" in view.share_message.value
    ax = view.axes["couple"]
    assert sorted(round(p.get_width()) for p in _bars(ax)) == sorted([100, 25, 50, 75, 75, 75, 0, 100, 50, 75])
    assert "far apart" in _texts(ax) and "shared growth area" in _texts(ax)
    assert "Statements you answered most differently" in view.couple_details.value
    view.share.value = False
    assert load_settings(tmp_path, ME).share_with_partner is False
    assert "couple" not in view.axes and view.couple_details.value == ""
    shown = view.couple_text.value + view.couple_details.value + view.profile_text.value + view.header.value
    assert PARTNER not in shown and "Your partner 0" not in shown


def test_report_button_writes_a_new_file_each_time(tmp_path, no_demo):
    couple_folder(tmp_path, me_share=True, partner_share=True)
    set_current(tmp_path, ME)
    view = ProfileView(home=tmp_path, demo=no_demo, bank=BANK)
    view.report_button.click()
    first = view.last_report
    assert first.is_file() and first.parent == tmp_path / "reports"
    assert first.name in view.report_message.value and "couple page" in view.report_message.value
    assert str(first.parent) not in view.report_message.value  # the file's name, never the server's path
    view.report_button.click()
    assert view.last_report != first and first.is_file() and view.last_report.is_file()


def test_report_is_offered_as_a_download_of_the_same_bytes(tmp_path, no_demo):
    """App mode cannot open the data folder: the page itself hands the PDF to the browser."""
    import base64
    import re

    couple_folder(tmp_path, me_share=True, partner_share=True)
    set_current(tmp_path, ME)
    view = ProfileView(home=tmp_path, demo=no_demo, bank=BANK)
    view.report_button.click()
    link = re.search(
        r'<a class="rc-download" download="([^"]+)" href="data:application/pdf;base64,([^"]+)"',
        view.report_message.value,
    )
    assert link, view.report_message.value[:300]
    assert link.group(1) == view.last_report.name
    assert base64.b64decode(link.group(2)) == view.last_report.read_bytes()


def test_demo_participant_can_be_explored(tmp_path):
    demo = tmp_path / "demo"
    write_demo(demo, bank=BANK, sync=False)
    home = tmp_path / "home"
    view = ProfileView(home=home, demo=demo, bank=BANK)
    assert view.source in view.chooser_widget.children
    view.source.value = DEMO
    code = view.demo_code.options[0][1]
    assert view.code == code and "synthetic" in view.header.value
    assert "profile" in view.axes and "change" in view.axes and "couple" in view.axes
    assert view.share.disabled and view.share.value is True
    assert [label for label, _ in view.session.options] == [
        "newest answer in each area",
        "session 'before'",
        "session 'after'",
    ]
    view.session.value = "before"
    assert view.profile.session == "before"
    assert set(view.profile.table["session"]) == {"before"}
    view.report_button.click()
    assert "demo-profile" in view.last_report.name and view.last_report.parent == home / "reports"


def test_change_dumbbell_data():
    d = pd.DataFrame(
        {
            "label": ["A", "A", "B", "B", "C", "C"],
            "session": ["before", "after"] * 3,
            "score": [40.0, 62.5, 80.0, None, None, None],
        }
    )
    ax = change_dumbbell(d, bank=BANK)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["A", "B", "C"]
    assert list(ax.get_yticks()) == [2, 1, 0]  # first row on top
    texts = _texts(ax)
    assert "+22" in texts and "only 'before'" in texts and NOT_RATED in texts
    assert "40" in texts and "62" in texts  # value labels (62.5 shown as 62)
    points = {line.get_gid(): line.get_xdata()[0] for line in ax.lines if line.get_gid()}
    assert points == {"point:A:before": 40.0, "point:A:after": 62.5, "point:B:before": 80.0}
    assert _bands(ax) == ["band:growth area", "band:in between", "band:strength"]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["before", "after"]
    text = change_dumbbell_text(d, bank=BANK)
    assert "- A: before 40, after 62; change +22 (higher)" in text
    assert f"- C: before {NOT_RATED}, after {NOT_RATED}" in text


def test_couple_bars_data():
    d = pd.DataFrame(
        {
            "label": ["A", "A", "B", "B"],
            "person": ["You", "Your partner"] * 2,
            "score": [80.0, 40.0, None, 60.0],
            "agreement": ["far apart", "far apart", "not rated by both", "not rated by both"],
        }
    )
    ax = couple_bars(d, bank=BANK, note="agreement")
    bars = {p.get_gid(): p.get_width() for p in _bars(ax)}
    assert bars == {"bar:A:You": 80.0, "bar:A:Your partner": 40.0, "bar:B:Your partner": 60.0}
    hatches = {p.get_gid(): p.get_hatch() for p in _bars(ax)}
    assert not hatches["bar:A:You"] and hatches["bar:A:Your partner"] == "//"  # not colour alone
    assert f"{NOT_RATED} (You)" in _texts(ax) and "far apart" in _texts(ax)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["You", "Your partner"]
    text = couple_bars_text(d, bank=BANK, note="agreement")
    assert "- A: You 80, Your partner 40 (far apart)" in text and f"- B: You {NOT_RATED}, Your partner 60" in text


def test_score_bars_still_names_its_bands():
    ax = score_bars(pd.DataFrame({"label": ["A", "B"], "score": [50.0, None]}), bank=BANK)
    assert _bands(ax) == ["band:growth area", "band:in between", "band:strength"]
    assert {"growth area", "in between", "strength", NOT_RATED, "50"} <= set(_texts(ax))


def test_notebook_entry_points_share_one_view(tmp_path, monkeypatch):
    from reconnect import notebook

    home = tmp_path / "home"
    couple_folder(home, me_share=True, partner_share=True)
    set_current(home, ME)
    monkeypatch.setenv("RECONNECT_HOME", str(home))
    monkeypatch.setenv("RECONNECT_DEMO", str(tmp_path / "no-demo"))
    top = notebook.profile_view()
    view = notebook._profile
    assert view.chooser_widget in top.children and view.profile_widget in top.children
    assert notebook.change_view() is view.change_widget
    assert notebook.couple_view() is view.couple_widget
    assert notebook.report_button() is view.report_widget
    assert "Standing on your own confidence (100, rank 1)" in view.profile_text.value
    assert "shared growth area" in view.couple_details.value
    notebook.profile_view()  # running the first cell again reads the folder afresh
    assert notebook._profile is not view


def test_notebook_06_has_its_parts():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "notebooks" / "06_my_profile.ipynb").read_text(encoding="utf-8")
    for call in ("profile_view()", "change_view()", "couple_view()", "report_button()"):
        assert call in text
    assert "**both** of you" in text and "never put in it" in text


def test_consent_says_what_the_partner_sees_and_sensitive_needs_a_second_tick(tmp_path, no_demo):
    couple_folder(tmp_path, me_share=True, partner_share=True, sensitive=False)
    set_current(tmp_path, ME)
    view = ProfileView(home=tmp_path, demo=no_demo, bank=BANK)
    what = view.share_what.value
    assert "What your partner sees" in what and "Never shown to your partner" in what
    for item in (i for a in BANK.areas for i in a.items if i.sensitive):
        assert item.text in what
    assert "journal" in what
    assert not view.share_sensitive.disabled and view.share_sensitive.value is False
    view.share_sensitive.value = True
    assert load_settings(tmp_path, ME).share_sensitive is True and load_settings(tmp_path, ME).share_with_partner
    assert "only if your partner also ticks" in view.share_message.value
    assert "Statements you both rate high" in view.couple_details.value
    assert "speaks: <b>Partner A</b> · listens: <b>Partner B</b>" in view.couple_details.value
    view.share.value = False
    assert view.share_sensitive.disabled


def test_change_and_couple_views_carry_the_short_safety_note(tmp_path, no_demo):
    couple_folder(tmp_path, me_share=True, partner_share=True)
    set_current(tmp_path, ME)
    view = ProfileView(home=tmp_path, demo=no_demo, bank=BANK)
    for part in (view.change_widget, view.couple_widget):
        html = "".join(c.value for c in part.children if isinstance(getattr(c, "value", None), str))
        assert "rc-safety-short" in html and "1-800-799-7233" in html and "afraid of your partner" in html


def test_a_switch_numbers_every_change_and_sends_its_state_again_on_request(monkeypatch):
    """06's "Show" and 00's language are a Switch: every change of its value gets a higher number, in the
    same update, so a page can tell an older picture of the state from the current one and ask again."""
    from reconnect.ui.switch import Switch

    box = Switch(label="Show", options=[("Me", "me"), ("A demo participant", "demo")], value="me")
    start = box.version
    box._on_frontend_message(box, {"choose": "demo"}, [])
    assert (box.value, box.version) == ("demo", start + 1)
    box._on_frontend_message(box, {"choose": "nobody"}, [])  # not an option: nothing changes
    box.value = "me"  # set from Python: numbered too
    assert (box.value, box.version) == ("me", start + 2)
    sent = []
    monkeypatch.setattr(box, "send_state", lambda key=None: sent.append(sorted(key or [])))
    box._on_frontend_message(box, {"resync": True}, [])
    assert sent == [["value", "version"]] and (box.value, box.version) == ("me", start + 2)
