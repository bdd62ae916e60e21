"""Drawing in turns (reconnect.ui.turns): in a real kernel, a message sent while slow pieces are being
drawn is answered between two of them, not after the last; without a kernel the pieces run at once."""

from __future__ import annotations

import os
import time

from reconnect.ui.turns import in_background, in_turns, when_done


def test_without_a_kernel_every_piece_runs_at_once_in_order():
    done = []
    in_turns([lambda i=i: done.append(i) for i in range(5)])
    assert done == [0, 1, 2, 3, 4]


STEPS = 8
SLOW = f"""
import os
import time
from reconnect.ui.turns import in_background, in_turns
log = []
def slow(i):
    def step():
        start = time.perf_counter()
        while time.perf_counter() - start < 0.4:  # a chart's worth of work, holding the kernel
            pass
        log.append(i)
    return step
in_turns([slow(i) for i in range({STEPS})])
"""


def _run(kc, code: str) -> str:
    out = []
    reply = kc.execute_interactive(
        code,
        timeout=60,
        output_hook=lambda msg: out.append(msg["content"].get("text", "")) if msg["msg_type"] == "stream" else None,
    )
    assert reply["content"]["status"] == "ok", reply["content"]
    return "".join(out).strip()


def test_in_a_kernel_a_message_is_answered_between_two_pieces():
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name="python3", startup_timeout=120)
    try:
        _run(kc, SLOW)  # returns at once: the pieces are handed to the kernel's loop
        done_when_answered = int(_run(kc, "print(len(log))"))
        # One piece before the message, and one more as a margin for a busy machine (handed on without a
        # gap, the message waited for three or four).
        assert done_when_answered <= 2, f"answered only after {done_when_answered} of {STEPS} pieces"
        start = time.monotonic()
        while int(_run(kc, "print(len(log))")) < STEPS:
            assert time.monotonic() - start < 60, "the pieces stopped being drawn"
            time.sleep(0.2)
        assert _run(kc, "print(log)") == str(list(range(STEPS)))  # all of them, in order
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


BACKGROUND = """
import os
import time
from reconnect.ui.turns import in_background
done = []
def prepare():
    time.sleep(3)  # loading a library, say: nothing the page waits for
    done.append("ready")
wait = in_background(prepare)
"""


def test_in_a_kernel_preparation_runs_beside_the_page_and_wait_returns_once_it_is_done():
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name="python3", startup_timeout=120)
    try:
        _run(kc, BACKGROUND)
        assert _run(kc, "print(done)") == "[]"  # the kernel answers while the preparation runs
        assert _run(kc, "wait(); print(done)") == "['ready']"
        assert _run(kc, "wait(); print(done)") == "['ready']"  # waiting again returns at once
        _run(kc, "wait = in_background(lambda: 1 / 0); wait(); print('still here')")  # a failure is not raised
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_without_a_kernel_preparation_runs_at_once_and_a_failure_is_not_raised():
    done = []
    wait = in_background(lambda: done.append(1))
    assert done == [1]
    wait()
    in_background(lambda: 1 / 0)()


def test_running_07s_cell_again_closes_the_dashboard_it_replaces(tmp_path):
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(
        kernel_name="python3", startup_timeout=120, env={**os.environ, "RECONNECT_STORE": str(tmp_path)}
    )
    try:
        cell = "from reconnect import notebook; notebook.facilitator_dashboard()"
        _run(kc, cell + "; first = notebook._dashboard")
        _run(kc, cell)
        assert _run(kc, "print(first._closed, notebook._dashboard is not first, notebook._dashboard._closed)") == (
            "True True False"
        )
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_07_reads_and_draws_ahead_in_a_kernel_without_pyplot_or_a_stray_picture(tmp_path):
    from jupyter_client.manager import start_new_kernel

    from reconnect.apps.demo import write_demo

    write_demo(tmp_path / "demo")
    env = {**os.environ, "RECONNECT_STORE": str(tmp_path / "demo")}
    km, kc = start_new_kernel(kernel_name="python3", startup_timeout=120, env=env)
    try:
        shown = []

        def outputs(msg):
            if msg["msg_type"] in ("display_data", "execute_result"):
                shown.extend(msg["content"]["data"])

        reply = kc.execute_interactive(
            "from reconnect import notebook; notebook.facilitator_dashboard()", timeout=60, output_hook=outputs
        )
        assert reply["content"]["status"] == "ok"
        _run(kc, "import sys; board = notebook._dashboard; board._ready()")  # the thread is done
        assert _run(kc, "print('matplotlib.pyplot' in sys.modules, 'chart' in board._ahead)") == "False True"
        assert "image/png" not in shown  # the chart drawn ahead is the page's, not a picture under the cell
        _run(kc, "board.refresh()")  # as when the page shows: the chart drawn ahead goes on the page
        start = time.monotonic()
        while _run(kc, "print(len(board.shown))") == "0":  # in the kernel's next turn
            assert time.monotonic() - start < 30, "the first chart was never put on the page"
            time.sleep(0.1)
        assert _run(kc, "print(board.shown[0][0].startswith('Where the room sees'), board._ahead)") == "True {}"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


WHEN_DONE = """
import time
from reconnect.ui.turns import in_background, when_done
log = []
wait = in_background(lambda: time.sleep(3))
when_done(wait, lambda: log.append(("started", wait.done)))
"""


def test_in_a_kernel_work_waiting_for_a_preparation_does_not_hold_the_kernel():
    from jupyter_client.manager import start_new_kernel

    km, kc = start_new_kernel(kernel_name="python3", startup_timeout=120)
    try:
        _run(kc, WHEN_DONE)
        time.sleep(0.5)  # any turn that would wait for the thread has started by now
        # answered while the thread still runs: the kernel was not held waiting for it
        assert _run(kc, "print(wait.done, log)") == "False []"
        start = time.monotonic()
        while _run(kc, "print(log)") == "[]":
            assert time.monotonic() - start < 60, "the work never started"
            time.sleep(0.2)
        assert _run(kc, "print(log)") == "[('started', True)]"  # once, and only after the preparation
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_without_a_kernel_work_waits_for_the_preparation_and_runs_at_once():
    done = []
    when_done(in_background(lambda: done.append("read")), lambda: done.append("shown"))
    assert done == ["read", "shown"]
