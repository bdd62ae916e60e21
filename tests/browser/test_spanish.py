"""The series in Spanish in app mode: 00 (choose Español, create a code) → 01 (answer, save) → 06 → 07.

Every page is checked for Spanish words of its own text and of its content (the Spanish item bank);
the saved file says it was answered in Spanish. Screenshots at 1366×900 go to
``tests/browser/screenshots/`` (git-ignored).
"""

from __future__ import annotations

import re
from pathlib import Path

from browser_helpers import choose_with_keyboard, chosen_labels, open_voila, read_ratings, submission_files
from playwright.sync_api import expect

from reconnect.bank.content import load_item_bank
from reconnect.records import participant as pt

ROOT = Path(__file__).resolve().parents[2]
ES = load_item_bank(ROOT / "data" / "item_bank.es.yaml")
AREA = ES.area("self_esteem")
LABELS = {value: label for value, label in ES.scale}
WIDE = {"width": 1366, "height": 900}


def _words(page) -> str:
    return page.locator("body").inner_text()


def test_the_series_in_spanish_in_app_mode(page, voila, shot):
    page.set_viewport_size(WIDE)
    # The English start page offers the series in Spanish.
    page.goto(voila.url + "/")
    expect(page.get_by_role("link", name="Español")).to_have_attribute("href", re.compile(r"/voila/render/es/"))

    # 00 in English: choosing Español redraws the panel in Spanish and links to the Spanish pages.
    open_voila(page, voila, "00_start_here.ipynb")
    if page.locator(".rc-who .rc-code").count():  # someone an earlier test remembered: they leave first
        page.get_by_role("button", name=re.compile("I'm done|terminé")).first.click()
    page.locator(".rc-language").get_by_role("radio", name="Español").check()
    note = page.locator(".rc-ok", has_text="Idioma: Español")
    expect(note).to_be_visible()
    expect(page.locator(".rc-language")).to_contain_text("Idioma")
    page.get_by_role("checkbox", name=re.compile("Remember me|Recordarme")).check()
    page.locator(".rc-language").locator("xpath=..").get_by_role(
        "button", name=re.compile("Create my participant code|Crear mi código")
    ).click()
    expect(page.locator(".rc-who .rc-code")).to_be_visible()
    code = page.locator(".rc-who .rc-code").inner_text().strip()
    assert pt.load_settings(voila.home, code).language == "es"  # remembered with the settings

    # The message links to the Spanish 00 (in Spanish), where the person is remembered.
    link = page.locator(".rc-ok a.rc-language-link")
    expect(link).to_have_text("ábrela")
    expect(page.locator(".rc-ok", has_text="El texto de las páginas está en Español")).to_be_visible()
    link.click()
    expect(page).to_have_url(re.compile(r"/voila/render/es/00_start_here\.ipynb$"))
    open_voila(page, voila, None)
    expect(page.locator(".rc-who .rc-code")).to_have_text(code)
    assert page.evaluate("document.documentElement.lang") == "es"  # read aloud as Spanish
    text = _words(page)
    for words in ("Empieza aquí: cómo funciona Reconnect", "Tu código de participante", "Idioma", "Qué se guarda"):
        assert words in text, words
    assert "How each notebook works" not in text
    page.locator(".rc-language").scroll_into_view_if_needed()
    shot(page, "00-es")

    # 01 in Spanish: the Spanish statements; answer with the keyboard and save.
    page.get_by_role("link", name=re.compile(r"^1\. ")).first.click()
    expect(page).to_have_url(re.compile(r"/voila/render/es/01_self_esteem\.ipynb$"))
    open_voila(page, voila, None)
    expect(page.locator(".rc-choice-group")).to_have_count(len(AREA.items))
    text = _words(page)
    for words in (AREA.title, AREA.items[0].text, "Responde sobre ti", "Qué puede ayudar", LABELS[1]):
        assert words in text, words
    before = set(submission_files(voila.home))
    wanted = [4, 2, 5, 1, 3, 4][: len(AREA.items)]
    choose_with_keyboard(page, wanted)
    assert chosen_labels(page, len(AREA.items)) == [LABELS[v] for v in wanted]
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent").strip() == "Guardar mis respuestas"
    page.keyboard.press("Enter")
    expect(page.locator(".rc-ok").first).to_be_visible()
    expect(page.locator(".rc-score")).to_be_visible()
    files = sorted(set(submission_files(voila.home)) - before)
    assert len(files) == 1
    assert read_ratings(files[0]) == (code, {item.id: v for item, v in zip(AREA.items, wanted)})
    assert files[0].read_text(encoding="utf-8").splitlines()[1].endswith(",es")  # answered in Spanish
    page.locator(".rc-score").first.evaluate("e => e.scrollIntoView({block: 'center'})")
    shot(page, "01-es-saved")

    # 06 and 07 in Spanish.
    open_voila(page, voila, "es/06_my_profile.ipynb")
    text = _words(page)
    for words in ("6. Mi perfil: el panorama completo", "Mis cinco áreas", "Informe para imprimir"):
        assert words in text, words
    shot(page, "06-es")
    open_voila(page, voila, "es/07_group_discussion.ipynb")
    text = _words(page)
    for words in ("7. Conversación en grupo (para quien facilita)", "Antes de proyectar", "Cómo guiar la conversación"):
        assert words in text, words
    shot(page, "07-es")
    page.get_by_role("button", name=re.compile("I'm done|terminé")).count()  # 07 has no personal view
    pt.sign_out(voila.home)  # the next test on this server starts with nobody remembered


def test_make_lab_in_spanish_opens_the_spanish_pages_with_spanish_menus(page, project, tmp_path):
    """`make lab LANG=es` runs `reconnect.apps.servers lab`: JupyterLab on notebooks/es, its menus from the
    JupyterLab language pack (Archivo, Editar, Ver ...)."""
    import os
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    from browser_helpers import Server, server_env

    from reconnect.apps.servers import command, lab_locale

    if lab_locale("es") is None:
        raise AssertionError("the JupyterLab Spanish language pack is not installed: run make setup")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    token = os.urandom(8).hex()
    flags = ["--allow-root", "--no-browser", "--ip=127.0.0.1", f"--port={port}", "--ServerApp.port_retries=0"]
    flags.append(f"--IdentityProvider.token={token}")
    line = command("lab", flags, "es")
    assert "--LabApp.default_url=/lab/tree/es/00_start_here.ipynb" in line
    assert "--SpareKernelManager.spare_path=es" in line  # the Spanish pages get the kernel kept ready
    env = {**server_env(project, tmp_path / "home", tmp_path / "jupyter"), "RECONNECT_LANG": "es"}
    log = tmp_path / "lab.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "reconnect.apps.servers", "lab", *flags],
            cwd=project["root"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    server = Server("JupyterLab", f"http://127.0.0.1:{port}", tmp_path / "home", process, log, token=token)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None and time.monotonic() < deadline, log.read_text(errors="replace")[-2000:]
            try:
                with urllib.request.urlopen(f"{server.url}/api/status?token={token}", timeout=2):
                    break
            except OSError:
                time.sleep(0.3)
        page.set_viewport_size(WIDE)
        page.goto(f"{server.url}/?token={token}")  # the default page: the Spanish start page
        expect(page.locator(".lm-MenuBar-itemLabel").first).to_have_text("Archivo")
        labels = page.locator(".lm-MenuBar-itemLabel").all_inner_texts()
        assert {"Archivo", "Editar", "Ver", "Ayuda"} <= set(labels), labels
        expect(page).to_have_url(re.compile(r"/lab/tree/es/00_start_here\.ipynb"))
        expect(page.locator(".jp-RenderedMarkdown h1").first).to_contain_text("Empieza aquí")
    finally:
        server.stop()
