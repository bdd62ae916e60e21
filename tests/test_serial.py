"""Widget messages handled on two threads at once (JupyterLab's comms over kernel subshells, ipykernel 7):
each value and the number that goes with it change together, and the newest choice wins."""

from __future__ import annotations

import json
import threading
import time

from reconnect.apps import servers
from reconnect.ui.choice import RatingChoice

OPTIONS = [("No", 1), ("A little", 2), ("Somewhat", 3), ("Mostly", 4)]


def _race(first: dict, second: dict, *, slow: int) -> tuple[RatingChoice, list[tuple]]:
    """``first`` on one thread, which stays 0.3 s in the value's observers when the value is ``slow`` (the
    form writes the draft there: slow on a busy machine); ``second`` on another thread meanwhile. Returns
    the answer and each (value, number) the page was sent."""
    box = RatingChoice(statement="I trust easily.", number=1, options=OPTIONS)
    sent: list[tuple] = []
    box.send_state = lambda key=None: sent.append((box.value, box.ack))
    inside = threading.local()

    def slow_observer(change):
        started = getattr(inside, "started", None)
        if change["new"] == slow and started is not None:
            started.set()
            time.sleep(0.3)

    box.observe(slow_observer, names="value")

    def handle(message, started):
        inside.started = started
        box._on_frontend_message(box, message, [])

    started = threading.Event()
    one = threading.Thread(target=handle, args=(first, started))
    one.start()
    assert started.wait(5)
    two = threading.Thread(target=handle, args=(second, None))
    two.start()
    one.join(5)
    two.join(5)
    assert not one.is_alive() and not two.is_alive()
    return box, sent


def test_two_choices_on_two_threads_keep_each_value_with_its_number():
    box, sent = _race({"choose": 3, "seq": 20}, {"choose": 4, "seq": 21}, slow=3)
    assert (box.value, box.ack) == (4, 21)  # the newest choice, with its own number
    assert sent == [(3, 20), (4, 21)]  # every update the page got pairs a value with the choice that made it


def test_a_late_older_choice_on_another_thread_changes_nothing():
    box, _sent = _race({"choose": 4, "seq": 31}, {"choose": 3, "seq": 30}, slow=4)
    assert (box.value, box.ack) == (4, 31)


def test_every_jupyterlab_the_product_starts_sends_widget_messages_to_the_main_thread(tmp_path):
    for lang in ("en", "es"):
        folder = servers.lab_settings_dir(lang, prefix=tmp_path)
        overrides = json.loads((folder / "overrides.json").read_text(encoding="utf-8"))
        assert overrides["@jupyterlab/apputils-extension:kernels-settings"] == {"commsOverSubshells": "disabled"}
        assert (servers.TRANSLATION_PLUGIN in overrides) == (servers.lab_locale(lang) is not None)
    for lang in ("en", "es"):
        assert any(arg.startswith("--LabApp.app_settings_dir=") for arg in servers.lab_args(lang))
