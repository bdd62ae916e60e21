"""A series notebook whose Python never comes up says so in JupyterLab, starts it again, then asks for a reload.

The server here has a "Python 3" kernel that starts a process and never connects (as a kernel stuck on a
busy machine does), and a short stall limit (page_config ``reconnectStallSeconds``) so the test is quick.
"""

from __future__ import annotations

import json
import os
import re
import time

import pytest
from browser_helpers import (
    CURRENT_PANEL,
    Server,
    free_port,
    lab_command,
    lab_settings,
    server_env,
    start_process,
    wait_ready,
)
from playwright.sync_api import expect

NOTICE = "data-reconnect-notice"


@pytest.fixture
def stuck_lab(project, tmp_path):
    jupyter = tmp_path / "jupyter"
    spec = jupyter / "path" / "kernels" / "python3"  # JUPYTER_PATH comes before the environment's own kernels
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        json.dumps({"argv": ["sleep", "600"], "display_name": "Python 3 (ipykernel)", "language": "python"})
    )
    labconfig = jupyter / "config" / "labconfig"
    labconfig.mkdir(parents=True)
    (labconfig / "page_config.json").write_text(json.dumps({"reconnectStallSeconds": 4}))
    settings = lab_settings(tmp_path / "lab-settings")
    token, port = os.urandom(12).hex(), free_port()
    log = tmp_path / "lab.log"
    env = server_env(project, tmp_path / "home", jupyter)
    env["JUPYTER_PATH"] = str(jupyter / "path")
    server = Server(
        "JupyterLab (stuck kernel)",
        f"http://127.0.0.1:{port}",
        tmp_path / "home",
        start_process(
            lab_command(project, port=port, token=token, settings=settings),
            cwd=project["notebooks"],
            env=env,
            log=log,
        ),
        log,
        token=token,
    )
    try:
        wait_ready(server, "/api/status", {"Authorization": f"token {token}"}, time.monotonic() + 60)
        yield server
    finally:
        server.stop()


def test_a_page_whose_python_never_starts_says_so_retries_and_asks_for_a_reload(page, stuck_lab, shot):
    page.goto(f"{stuck_lab.url}/lab/tree/01_self_esteem.ipynb?reset&token={stuck_lab.token}")
    panel = page.locator(CURRENT_PANEL)
    expect(panel).to_have_attribute(NOTICE, re.compile("taking much longer than it should to start"), timeout=60_000)
    expect(page.get_by_role("alert").filter(has_text="taking much longer")).to_be_visible()
    expect(panel).to_have_attribute(NOTICE, re.compile("did not start after 3 tries. Reload it"), timeout=90_000)
    expect(page.get_by_role("alert").filter(has_text="did not start after 3 tries")).to_be_visible()
    expect(page.get_by_role("alert").filter(has_text="taking much longer")).to_have_count(0)
    shot(page, "stalled")
    expect(page.locator(CURRENT_PANEL + '[data-reconnect-autorun="stalled"]')).to_have_count(1)
    restarts = stuck_lab.log.read_text(errors="replace").count("Kernel restarted")
    assert restarts >= 1, "the page never started its Python again"
