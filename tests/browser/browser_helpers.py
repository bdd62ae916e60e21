"""Helpers the browser tests share: open a notebook in JupyterLab or Voilà, run it, read files.

Imported by the tests as ``from browser_helpers import ...`` (pytest puts this folder on the path).
"""

from __future__ import annotations

import os
import signal
import subprocess
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Server:
    """A running JupyterLab or Voilà server over the temporary project copy."""

    kind: str
    url: str
    home: Path
    process: subprocess.Popen
    log: Path
    token: str = ""
    extra: dict = field(default_factory=dict)

    def stop(self) -> None:
        """SIGTERM to the server's own process group (its kernels too), SIGKILL if it lingers."""
        if self.process.poll() is not None:
            return
        for sig, wait in ((signal.SIGTERM, 8), (signal.SIGKILL, 5)):
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                return
            try:
                self.process.wait(wait)
                return
            except subprocess.TimeoutExpired:
                continue


def open_lab(page, lab: Server, notebook: str) -> None:
    """Open a notebook in JupyterLab (forgetting any remembered layout) and wait for an idle kernel."""
    from playwright.sync_api import expect

    page.goto(f"{lab.url}/lab/tree/{notebook}?reset&token={lab.token}")
    expect(page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook")).to_be_visible()
    wait_idle(page)


def wait_idle(page) -> None:
    from playwright.sync_api import expect

    expect(page.locator("#jp-main-statusbar")).to_contain_text("| Idle")


def menu(page, top: str, item: str) -> None:
    page.locator(".lm-MenuBar-itemLabel", has_text=top).first.click()
    page.locator(".lm-Menu-itemLabel", has_text=item).first.click()


def run_all(page) -> None:
    """Run → Run All Cells, then wait until the kernel is idle again."""
    menu(page, "Run", "Run All Cells")
    page.wait_for_timeout(300)  # let the status bar leave "Idle" before waiting for it
    wait_idle(page)


def restart_and_run_all(page) -> None:
    """Kernel → Restart Kernel and Run All Cells…, confirm, and wait until idle."""
    menu(page, "Kernel", "Restart Kernel and Run All Cells")
    page.locator(".jp-Dialog").get_by_role("button", name="Restart", exact=True).click()
    page.wait_for_timeout(500)
    wait_idle(page)


def open_voila(page, voila: Server, notebook: str) -> None:
    """Open a notebook in app mode and wait until Voilà has run it (its spinner is gone)."""
    from playwright.sync_api import expect

    page.goto(f"{voila.url}/voila/render/{notebook}")
    expect(page.locator("#rendered_cells, .jp-Notebook, body")).not_to_have_count(0)
    expect(page.locator("#loading")).to_have_count(0)


def submission_files(home: Path) -> list[Path]:
    folder = home / "submissions"
    return sorted(folder.glob("sub-*.csv")) if folder.is_dir() else []


def new_participant(home: Path, **fields) -> str:
    """Make a fresh participant current in ``home`` (as 00 Start here would) and return its code."""
    from reconnect import participant as pt

    return pt.start_new(home, **fields).code
