"""Starting JupyterLab and Voilà in the installation's language (``make lab LANG=es``, ``make app LANG=es``).

The language is ``RECONNECT_LANG`` (``make`` sets it from ``LANG=`` on its command line). For a
language other than English:

- **JupyterLab** opens the translated start page (``notebooks/es/00_start_here.ipynb``) and shows its
  own menus in that language through the JupyterLab language pack (``jupyterlab-language-pack-es-ES``,
  a dependency): a settings override ``@jupyterlab/translation-extension:plugin`` → ``locale: es_ES`` in
  an application settings folder of this installation (``.venv/share/reconnect/lab-settings/es``),
  passed with ``--LabApp.app_settings_dir``. A language chosen by hand in JupyterLab's own
  *Settings → Language* menu is a user setting and still wins.
- **Voilà**'s start page (``src/reconnect/app_template/tree-lab.html``) is told the language in Voilà's
  settings file (a template variable, :func:`app_settings`), so ``http://localhost:8866/`` lists the
  translated pages with their translated titles.

In every language, ``make app`` gives Voilà a settings file (``.venv/share/reconnect/app-settings/<lang>/
voila.json``) that keeps its log free of what the product can avoid: the series' JupyterLab extension is
not asked for (app mode needs none of it), kernels talk over local sockets (no "unencrypted TCP" warning),
and the notebooks are signed in that folder's own store (no "not trusted" warning for every page). And
``make lab`` prints and opens the start page's own address, with JupyterLab's news question turned off.

App mode's speed settings are in one place, :func:`voila_speed_args` (``make app`` uses them; so can a
room's single-user servers): every page of the series in the installation's language is kept ready ahead
(Voilà's preheated kernels, ``PREHEAT`` pages each), and the browser loads only the widget manager and
anywidget, not every installed JupyterLab extension.

In every language, JupyterLab sends widget messages to the kernel's main thread, in the order they were
made, never over *kernel subshells* (``LAB_SETTINGS``: ``commsOverSubshells`` → ``disabled``, in the same
settings folder; ``lab-settings/en`` for English). JupyterLab's default sends them over a subshell, and
ipykernel 7 then runs one widget's messages on two threads at once: an answer chosen with quick arrow keys
came back as the one before (see :mod:`reconnect.ui.serial`).

Examples
--------
>>> lab_locale("es"), lab_locale("en"), lab_locale("xx")
('es_ES', None, None)
>>> sorted(lab_overrides("en"))
['@jupyterlab/apputils-extension:kernels-settings', '@jupyterlab/apputils-extension:notification']
>>> voila_args("es", prefix=getfixture("tmp_path"))[0].endswith("/share/reconnect/app-settings/es")
True
>>> voila_speed_args("es", pool_size=1)[:2]
['--VoilaConfiguration.preheat_kernel=True', '--VoilaConfiguration.default_pool_size=1']
>>> voila_speed_args("en", pool_size=0)  # doctest: +NORMALIZE_WHITESPACE
['--VoilaConfiguration.extension_allowlist=@voila-dashboards/widgets-manager8',
 '--VoilaConfiguration.extension_allowlist=@jupyter-widgets/jupyterlab-manager',
 '--VoilaConfiguration.extension_allowlist=anywidget', '--KernelRestarter.restart_limit=0']
"""

from __future__ import annotations

import json
import os
import re
import sys
from importlib.util import find_spec
from pathlib import Path

from ..bank.i18n import DEFAULT_LANGUAGE, normalise_language, requested_language

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
LAB_SETTINGS = {
    "@jupyterlab/apputils-extension:kernels-settings": {"commsOverSubshells": "disabled"},
    # no toast asking whether JupyterLab may fetch its news, nor checks for its updates (nothing leaves the machine)
    "@jupyterlab/apputils-extension:notification": {"fetchNews": "false", "checkForUpdates": False},
}


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
    folder is the one JupyterLab serves (so the other languages' pages stay reachable), and its default
    address, the one it prints and opens, is the start page of ``lang``.

    >>> lab_args("en")[1:] == [f"--ServerApp.root_dir={Path('notebooks').resolve()}",
    ...                        "--LabApp.default_url=/lab/tree/00_start_here.ipynb"]
    True
    """
    page = start_page(lang, notebooks)
    # The start page is JupyterLab's default address, so the address it prints opens it (not the Launcher).
    return [
        f"--LabApp.app_settings_dir={lab_settings_dir(lang)}",
        f"--ServerApp.root_dir={Path(notebooks).resolve()}",
        f"--LabApp.default_url=/lab/tree/{page.relative_to(notebooks).as_posix()}",
    ]


#: The series' JupyterLab extension is for JupyterLab only: app mode's page marks toggle buttons itself
#: (``app_template/index.html.j2``), and Voilà refuses (403, with a traceback in its log) to serve the
#: extension that ``make setup`` links into the environment.
APP_EXTENSION_DENYLIST = ["reconnect-series"]
#: App mode's identity provider: Voilà's own, that also sends every page with its ``_xsrf`` cookie
#: (:mod:`reconnect.apps.app_cookies`).
IDENTITY_PROVIDER = "reconnect.apps.app_cookies.PageCookieIdentityProvider"


def app_settings(lang: str, *, folder: str | Path) -> dict:
    """Voilà's settings for ``make app`` (written to ``voila.json``): the start page's language (a template
    variable), no JupyterLab-only extension, kernels over local sockets rather than TCP, the notebooks'
    signatures in this installation's own store (:func:`sign_notebooks`), and every page sent with its own
    ``_xsrf`` cookie (:mod:`reconnect.apps.app_cookies`), so the log stays free of warnings.

    >>> s = app_settings("es", folder="/x")
    >>> s["Voila"]["identity_provider_class"]
    'reconnect.apps.app_cookies.PageCookieIdentityProvider'
    >>> s["Voila"]["tornado_settings"], s["VoilaConfiguration"], s["KernelManager"]
    ({'jinja_template_vars': {'reconnect_language': 'es'}}, {'extension_denylist': ['reconnect-series'], 'multi_kernel_manager_class': 'reconnect.apps.app_culler.AppKernelManager'}, {'transport': 'ipc'})
    >>> "tornado_settings" in app_settings("en", folder="/x")["Voila"]
    False
    """
    folder = Path(folder)
    settings: dict = {
        # a page opened directly carries the _xsrf cookie its "stop my Python" request on leaving needs
        "Voila": {"identity_provider_class": IDENTITY_PROVIDER},
        # a page's kernel stopped while the idle culler goes round is skipped, not an ERROR (apps.app_culler)
        "VoilaConfiguration": {
            "extension_denylist": list(APP_EXTENSION_DENYLIST),
            "multi_kernel_manager_class": "reconnect.apps.app_culler.AppKernelManager",
        },
        # a kernel on TCP warns in the log that its messages travel unencrypted; local sockets stay on this computer
        "KernelManager": {"transport": "ipc"},
        "NotebookNotary": {"db_file": str(folder / "signatures.db"), "secret_file": str(folder / "notebook_secret")},
    }
    lang = normalise_language(lang)
    if lang != DEFAULT_LANGUAGE:
        settings["Voila"]["tornado_settings"] = {"jinja_template_vars": {"reconnect_language": lang}}
    return settings


def app_settings_dir(lang: str, *, prefix: str | Path = sys.prefix) -> Path:
    """Write Voilà's settings for ``lang`` (:func:`app_settings`) into a folder of this installation; return it."""
    folder = Path(prefix) / "share" / "reconnect" / "app-settings" / normalise_language(lang)
    folder.mkdir(parents=True, exist_ok=True)
    text = json.dumps(app_settings(lang, folder=folder), indent=2) + "\n"
    path = folder / "voila.json"
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")  # the installation's own settings file, rewritten as a whole
    return folder


def sign_notebooks(notebooks: str | Path, folder: str | Path) -> int:
    """Mark the series' notebooks as trusted in the signature store of :func:`app_settings` (Voilà runs them
    anyway; an unsigned notebook only adds "Notebook ... is not trusted" to the log for every page).
    Returns how many were signed."""
    import nbformat
    from nbformat.sign import NotebookNotary

    folder = Path(folder)
    notary = NotebookNotary(db_file=str(folder / "signatures.db"), secret_file=str(folder / "notebook_secret"))
    count = 0
    for path in sorted(Path(notebooks).rglob("*.ipynb")):
        if ".ipynb_checkpoints" in path.parts:
            continue
        try:
            nb = nbformat.read(path, as_version=4)
        except Exception:  # not a notebook Voilà could show either; it says so itself
            continue
        if not notary.check_signature(nb):
            notary.sign(nb)
        count += 1
    return count


def voila_args(lang: str, *, prefix: str | Path = sys.prefix) -> list[str]:
    """The arguments that give Voilà its settings (:func:`app_settings_dir`), read before Voilà's usual places
    (the working folder, then Jupyter's configuration folders)."""
    from jupyter_core.paths import jupyter_config_path

    places = [app_settings_dir(lang, prefix=prefix), Path.cwd(), *jupyter_config_path()]
    return [f"--Voila.config_file_paths={place}" for place in places]


#: The environment variable of ``make app PREHEAT=n``: pages kept ready ahead for each page (0: none).
PREHEAT_ENV = "RECONNECT_PREHEAT"
#: Pages kept ready for each page of the series unless ``PREHEAT`` says otherwise.
DEFAULT_PREHEAT = 1
#: The JupyterLab extensions app mode's pages load in the browser: Voilà's widget manager (ipywidgets 8),
#: the ipywidgets controls it draws (registered by JupyterLab's widget extension: without it no widget
#: shows) and anywidget (the answer choices, 06's switch). Not the series' Lab extension (Lab only: its
#: request answers 403 in Voilà), nor the code highlighting's styles (no code is shown).
APP_EXTENSIONS = ("@voila-dashboards/widgets-manager8", "@jupyter-widgets/jupyterlab-manager", "anywidget")


def preheat_count(env: dict | None = None) -> int:
    """Pages kept ready per page: ``RECONNECT_PREHEAT`` (``make app PREHEAT=n``), else :data:`DEFAULT_PREHEAT`.

    >>> preheat_count({}), preheat_count({"RECONNECT_PREHEAT": "0"}), preheat_count({"RECONNECT_PREHEAT": "x"})
    (1, 0, 1)
    """
    from ..core.settings_env import integer

    return integer(PREHEAT_ENV, DEFAULT_PREHEAT, low=0, high=64, environ=env)


def voila_speed_args(lang: str, pool_size: int = DEFAULT_PREHEAT, *, root: str | Path = "notebooks") -> list[str]:
    """Voilà's arguments that make app mode's pages quick to open (``make app``; reusable for a room's servers).

    - **Pages ready ahead** (``pool_size`` > 0): Voilà starts, for every page of the series in ``lang``
      (``root/00_...`` to ``root/07_...``, or ``root/es/00_...``; ``root`` is the folder Voilà serves),
      ``pool_size`` kernels and runs the page in them before anyone asks; a request takes one (it is never
      given to a second request) and Voilà prepares the next one a second later. Other notebooks (the
      other languages' pages, the benchmark's) start cold, when opened. A preheated page reads nothing
      personal before it is requested (:mod:`reconnect.apps.preheat`): who is remembered, and what they
      saved, is read when the page is opened. Each ready page holds a kernel's memory (``make app``
      prints the total).
    - **Less JavaScript**: only :data:`APP_EXTENSIONS` are loaded in the browser.
    - **A page whose kernel dies is not restarted behind its back** (``KernelRestarter.restart_limit=0``):
      a restarted kernel has none of the page's widgets, so the page would look alive and do nothing.
      The kernel is dropped instead, and the page, which asks every few seconds whether its kernel is
      still there (``app_template/index.html.j2``), reloads once, then says what to do.

    Voilà's deny list is matched against each notebook's absolute path (and Voilà keeps a pool for every
    notebook it does not deny), hence the one negative pattern: deny all but the series' pages.

    >>> import re
    >>> deny = voila_speed_args("es", root="/srv/nb")[2].split("=", 1)[1]
    >>> [bool(re.match(deny, p)) for p in ("/srv/nb/es/01_a.ipynb", "/srv/nb/01_a.ipynb", "/srv/nb/x/01_a.ipynb")]
    [False, True, True]
    """
    lang = normalise_language(lang)
    prefix = "" if lang == DEFAULT_LANGUAGE else lang + "/"
    folder = re.escape(Path(root).resolve().as_posix())
    args = []
    if pool_size > 0:
        args = [
            "--VoilaConfiguration.preheat_kernel=True",
            f"--VoilaConfiguration.default_pool_size={pool_size}",
            f"--VoilaKernelManager.preheat_denylist=(?!(?:{folder}/)?{prefix}[0-9][0-9]_[^/]*$)",
        ]
    return [
        *args,
        *(f"--VoilaConfiguration.extension_allowlist={name}" for name in APP_EXTENSIONS),
        "--KernelRestarter.restart_limit=0",
    ]


#: What a JupyterLab spare kernel runs while it waits: the imports the pages make (preheat.WARM), and
#: nothing left behind in the page's namespace.
LAB_SPARE_IMPORTS = ('__import__("reconnect.apps.preheat", fromlist=["warm"]).warm()',)


def lab_speed_args(lang: str, spares: int = DEFAULT_PREHEAT) -> list[str]:
    """JupyterLab's arguments that make the series' pages quick to open (``make lab``; the browser tests' Lab).

    ``spares`` kernels (``PREHEAT``, default 1) are kept started ahead by the server, with what the pages
    import already imported (:data:`LAB_SPARE_IMPORTS`, :mod:`reconnect.apps.spare_kernels`), for the
    series' pages in ``lang`` (the folder JupyterLab serves, or its ``es/``): a page opened gets one at
    once, and the next one is started a moment later. A spare has run no cell and read no one's data;
    other notebooks start their own kernel as before. Each spare holds a kernel's memory while it waits.

    >>> args = lab_speed_args("es")
    >>> args[0].split("=")[1], args[2], args[3]
    ('reconnect.apps.spare_kernels.SpareKernelManager', '--SpareKernelManager.spare_path=es', '--SpareKernelManager.refill=True')
    >>> lab_speed_args("en")[2], lab_speed_args("en", 0)
    ('--SpareKernelManager.spare_path=', [])
    """
    if spares <= 0:
        return []
    lang = normalise_language(lang)
    folder = "" if lang == DEFAULT_LANGUAGE else lang
    return [
        "--ServerApp.kernel_manager_class=reconnect.apps.spare_kernels.SpareKernelManager",
        f"--SpareKernelManager.spare_kernels={spares}",
        f"--SpareKernelManager.spare_path={folder}",
        "--SpareKernelManager.refill=True",
        *(f"--SpareKernelManager.spare_imports={line}" for line in LAB_SPARE_IMPORTS),
    ]


def command(what: str, flags: list[str], lang: str, *, preheat: int | None = None) -> list[str]:
    """The command line ``make lab`` / ``make app`` runs: ``jupyter lab ...`` or ``voila notebooks ...``.

    >>> command("app", ["--port=8866"], "es", preheat=0)[1:3]
    ['notebooks', '--port=8866']
    >>> command("app", ["--port=8866"], "es", preheat=0)[-1]
    '--KernelRestarter.restart_limit=0'
    """
    bindir = Path(sys.executable).parent
    pool = preheat_count() if preheat is None else preheat
    if what == "lab":
        return [str(bindir / "jupyter"), "lab", *flags, *lab_args(lang), *lab_speed_args(lang, pool)]
    return [str(bindir / "voila"), "notebooks", *flags, *voila_args(lang), *voila_speed_args(lang, pool)]


def main(argv: list[str] | None = None) -> int:
    """``python -m reconnect.apps.servers lab|app [FLAGS...]``: run JupyterLab or Voilà in ``RECONNECT_LANG``."""
    args = sys.argv[1:] if argv is None else argv
    if args[:1] not in (["lab"], ["app"]):
        print("usage: python -m reconnect.apps.servers lab|app [FLAGS...]", file=sys.stderr)
        return 2
    lang = requested_language()
    if args[0] == "app":
        sign_notebooks("notebooks", app_settings_dir(lang))
    line = command(args[0], args[1:], lang)
    os.execv(line[0], line)
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main())
