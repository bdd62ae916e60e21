"""Where the keyboard goes after "This is me": the kernel names the first control the sign-in opened (the
page then waits for that widget, not for whichever control is drawn first; see ui/focus.py)."""

from __future__ import annotations

import ipywidgets as w

from reconnect.records import participant as pt
from reconnect.ui import identity
from reconnect.ui.choice import RatingChoice
from reconnect.ui.focus import first_control


def test_first_control_skips_text_hidden_and_disabled_widgets_in_page_order():
    hidden = w.Button(layout=w.Layout(display="none"))
    choice = RatingChoice(statement="I like who I am.", number=1, options=[("No", 1), ("Yes", 2)])
    form = w.VBox([w.HTML("Answering as ..."), w.VBox([hidden, w.Button(disabled=True)]), choice, w.Button()])
    assert first_control(form) is choice
    assert first_control(w.VBox([w.HTML("only words")])) is None
    assert first_control(w.VBox([w.Text()], layout=w.Layout(display="none"))) is None


def test_sign_in_names_the_first_answer_of_the_first_gate_or_the_who_line(tmp_path):
    home = tmp_path
    bar = identity.IdentityBar(home=home)

    def form(_gate):  # built again at each sign-in, as a page's form is
        answers = RatingChoice(statement="1", number=1, options=[("No", 1), ("Yes", 2)])
        return w.VBox([w.HTML("intro"), answers, w.Button(description="Save my answers")])

    identity.Gate("test-focus-form", form, what="x", home=home)
    code = pt.start_new(home).code
    pt.sign_out(home)

    bar.code.value = code
    bar._on_sign_in()
    assert pt.current_code(home) == code
    built = identity.next_after_sign_in(home)
    assert isinstance(built, RatingChoice) and first_control(built) is built  # the answers, not "Save"
    assert bar.focus.target_id == built.model_id
    assert bar.focus.targets == [".rc-identity .rc-who"]  # only if the answers are never drawn

    # a page whose gates show no control: straight to the line saying who is answering
    identity._registry.pop("test-focus-form", None)
    pt.sign_out(home)
    bar.code.value = code
    bar._on_sign_in()
    assert bar.focus.target_id == "" and bar.focus.targets == [".rc-identity .rc-who"]
