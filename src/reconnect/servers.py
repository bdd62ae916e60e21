"""Starting JupyterLab and Voilà in the installation's language (``make lab LANG=es``, ``make app LANG=es``).

The language is ``RECONNECT_LANG`` (``make`` sets it from ``LANG=`` on its command line). For a
language other than English:

- **JupyterLab** opens the translated start page (``notebooks/es/00_start_here.ipynb``) and shows its
  own menus in that language through the JupyterLab language pack (``jupyterlab-language-pack-es-ES``,
  a dependency): a settings override ``@jupyterlab/translation-extension:plugin`` → ``locale: es_ES`` in
  an application settings folder of this installation (``.venv/share/reconnect/lab-settings/es``),
  passed with ``--LabApp.app_settings_dir``. A language chosen by hand in JupyterLab's own
  *Settings → Language* menu is a user setting and still wins.
- **Voilà**'s start page (``src/reconnect/app_template/tree-lab.html``) is told the language with
  ``--Voila.tornado_settings`` (a template variable), so ``http://localhost:8866/`` lists the
  translated pages with their translated titles.

In every language, JupyterLab sends widget messages to the kernel's main thread, in the order they were
made, never over *kernel subshells* (``LAB_SETTINGS``: ``commsOverSubshells`` → ``disabled``, in the same
settings folder; ``lab-settings/en`` for English). JupyterLab's default sends them over a subshell, and
ipykernel 7 then runs one widget's messages on two threads at once: an answer chosen with quick arrow keys
came back as the one before (see :mod:`reconnect.ui.serial`).

Examples
--------
>>> lab_locale("es"), lab_locale("en"), lab_locale("xx")
('es_ES', None, None)
>>> lab_overrides("en")
{'@jupyterlab/apputils-extension:kernels-settings': {'commsOverSubshells': 'disabled'}}
>>> voila_args("es")
['--Voila.tornado_settings={"jinja_template_vars": {"reconnect_language": "es"}}']
>>> voila_args("en")
[]
"""

from __future__ import annotations

import json
import os
import sys
from importlib.util import find_spec
from pathlib import Path

from .paths import DEFAULT_LANGUAGE, normalise_language, requested_language

#: Reconnect's language → the JupyterLab language pack's locale (and its Python package).
LAB_LOCALES = {"es": ("es_ES", "jupyterlab_language_pack_es_ES")}
TRANSLATION_PLUGIN = "@jupyterlab/translation-extension:plugin"
START = "00_start_here.ipynb"


def lab_locale(lang: str) -> str | None:
    """The JupyterLab locale of ``lang`` when its language pack is installed (else ``None``: English menus)."""
    found = LAB_LOCALES.get(normalise_language(lang))
    if found is None or find_spec(found[1]) is None:
        return None
    return found[0]


#: Settings of every JupyterLab the product starts (and of the browser tests' servers): widget messages go
#: to the kernel's main thread in the order they were made, not over a kernel subshell, where ipykernel 7
#: runs one widget's messages on two threads at once (:mod:`reconnect.ui.serial`).
LAB_SETTINGS = {"@jupyterlab/apputils-extension:kernels-settings": {"commsOverSubshells": "disabled"}}


def lab_overrides(lang: str) -> dict:
    """JupyterLab's settings overrides for ``lang``: :data:`LAB_SETTINGS`, and the menus' language if not English."""
    overrides = {plugin: dict(values) for plugin, values in LAB_SETTINGS.items()}
    locale = lab_locale(lang)
    if locale is not None:
        overrides[TRANSLATION_PLUGIN] = {"locale": locale}
    return overrides


def lab_settings_dir(lang: str, *, prefix: str | Path = sys.prefix) -> Path:
    """Write JupyterLab's settings overrides for ``lang`` (:func:`lab_overrides`); return their folder."""
    folder = Path(prefix) / "share" / "reconnect" / "lab-settings" / normalise_language(lang)
    folder.mkdir(parents=True, exist_ok=True)
    text = json.dumps(lab_overrides(lang), indent=2) + "\n"
    path = folder / "overrides.json"
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")  # the installation's own settings file, rewritten as a whole
    return folder


def start_page(lang: str, notebooks: str | Path = "notebooks") -> Path:
    """The notebook JupyterLab opens first: the translated start page when there is one."""
    lang = normalise_language(lang)
    translated = Path(notebooks) / lang / START
    return translated if lang != DEFAULT_LANGUAGE and translated.is_file() else Path(notebooks) / START


def lab_args(lang: str, notebooks: str | Path = "notebooks") -> list[str]:
    """The arguments of ``jupyter lab`` for ``lang`` (after any of the caller's own flags): the notebooks
    folder is the one JupyterLab serves (so the other languages' pages stay reachable), and it opens on
    the start page of ``lang``."""
    own = [f"--LabApp.app_settings_dir={lab_settings_dir(lang)}"]
    page = start_page(lang, notebooks)
    if page.parent == Path(notebooks):
        return [*own, str(page)]  # English: as before, the folder of the page is served
    return [
        *own,
        f"--ServerApp.root_dir={Path(notebooks).resolve()}",
        f"--LabApp.default_url=/lab/tree/{page.relative_to(notebooks).as_posix()}",
    ]


def voila_args(lang: str) -> list[str]:
    """The arguments that tell Voilà's start page the installation's language."""
    lang = normalise_language(lang)
    if lang == DEFAULT_LANGUAGE:
        return []
    return ["--Voila.tornado_settings=" + json.dumps({"jinja_template_vars": {"reconnect_language": lang}})]


def command(what: str, flags: list[str], lang: str) -> list[str]:
    """The command line ``make lab`` / ``make app`` runs: ``jupyter lab ...`` or ``voila notebooks ...``.

    >>> command("app", ["--port=8866"], "es")[1:]
    ['notebooks', '--port=8866', '--Voila.tornado_settings={"jinja_template_vars": {"reconnect_language": "es"}}']
    """
    bindir = Path(sys.executable).parent
    if what == "lab":
        return [str(bindir / "jupyter"), "lab", *flags, *lab_args(lang)]
    return [str(bindir / "voila"), "notebooks", *flags, *voila_args(lang)]


def main(argv: list[str] | None = None) -> int:
    """``python -m reconnect.servers lab|app [FLAGS...]``: run JupyterLab or Voilà in ``RECONNECT_LANG``."""
    args = sys.argv[1:] if argv is None else argv
    if args[:1] not in (["lab"], ["app"]):
        print("usage: python -m reconnect.servers lab|app [FLAGS...]", file=sys.stderr)
        return 2
    line = command(args[0], args[1:], requested_language())
    os.execv(line[0], line)
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main())
