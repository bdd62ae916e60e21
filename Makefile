# Reconnect: `make lab` to explore, `make app` for app mode (no code), `make test` to check everything;
# `make app LANG=es` / `make lab LANG=es` for the content in Spanish. Needs Python 3.10+ and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
LABEXT_DIR := $(VENV)/share/jupyter/labextensions
VOILA_TEMPLATES := $(VENV)/share/jupyter/voila/templates
DEMO   := data/demo
comma  := ,
# Jupyter refuses to run as root without this flag (containers, CI machines); it is always given as root.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
# `make lab LAB_PORT=8890` if 8888 is taken; `make lab LAB_FLAGS=--no-browser` adds JupyterLab flags of your own.
LAB_PORT ?= 8888
LAB_FLAGS ?=
# The language of the content: `make app LANG=es` (or RECONNECT_LANG=es) serves data/item_bank.es.yaml.
# LANG is also the locale variable, so when it is given on make's command line it only picks the content
# language: the servers get RECONNECT_LANG=es and a locale that exists (C.UTF-8, or LANG itself when it
# is a full locale name such as es_MX.UTF-8). Your shell's own LANG is never changed.
ifeq ($(origin LANG),command line)
SERVER_ENV := env LANG='$(if $(findstring .,$(LANG)),$(LANG),C.UTF-8)' RECONNECT_LANG='$(LANG)'
else
SERVER_ENV := $(if $(RECONNECT_LANG),env RECONNECT_LANG='$(RECONNECT_LANG)',)
endif

.PHONY: setup lab app demo test lint format nav bench pictures clean-venv labextension translations

setup: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "Reconnect needs Python 3.10 or newer; found " + sys.version.split()[0])'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,hub]'
	@# An editable install skips pyproject's data-files: link the prebuilt JupyterLab extension in by hand.
	@mkdir -p $(LABEXT_DIR) && ln -sfn $(CURDIR)/src/reconnect/labextension $(LABEXT_DIR)/reconnect-series
	@mkdir -p $(VOILA_TEMPLATES) && ln -sfn $(CURDIR)/src/reconnect/app_template $(VOILA_TEMPLATES)/reconnect
	@touch $(STAMP)

# Rebuild the JupyterLab extension from labextension/src (needs node and npm; only after editing that source).
# The built files are committed in src/reconnect/labextension, so `make setup` and users need no node.
labextension: setup
	cd labextension && npm ci --no-audit --no-fund && npx tsc
	cd labextension && node_modules/.bin/build-labextension --core-path \
	  "$$($(CURDIR)/$(BIN)/python -c 'import jupyterlab, os; print(os.path.join(os.path.dirname(jupyterlab.__file__), "staging"))')" .
	cp labextension/install.json src/reconnect/labextension/install.json
	$(BIN)/python labextension/stamp.py --write

# The catalogs of page words (src/reconnect/bank/locale/<lang>/LC_MESSAGES/reconnect.po): add every string the code
# wraps in _() that a catalog lacks (untranslated) and drop the ones the code no longer has, for every language
# with a catalog, or for LANGS (`make translations LANGS=pt` starts a new one); then list what is left to do.
translations: setup
	@$(BIN)/python -c 'import sys; from reconnect.apps import catalogs; from reconnect.bank import i18n; \
	  [print("updated", catalogs.update_catalog(lang)) for lang in (sys.argv[1:] or i18n.available_languages()[1:])]' $(LANGS)
	@for lang in $(if $(LANGS),$(LANGS),$$($(BIN)/python -c 'from reconnect.bank import i18n; print(*i18n.available_languages()[1:])')); do \
	  $(BIN)/reconnect translations $$lang || true; done

demo: setup
	@test -d $(DEMO)/submissions || $(BIN)/reconnect demo --out $(DEMO)
	@test -d $(DEMO)/participants || $(BIN)/python -c 'from reconnect.apps.demo import write_demo_settings as w; w("$(DEMO)")'

# In another language (LANG=es): the translated notebooks (notebooks/es) and JupyterLab's menus in it
# (the language pack); see src/reconnect/apps/servers.py.
# The next page's Python is kept started ahead (PREHEAT kernels, default 1, about 120 MB each; they have
# imported what the pages need and run nothing else: servers.lab_speed_args). `make lab PREHEAT=0` to save it.
lab: setup demo
	@echo "$(if $(filter 0,$(PREHEAT)),No Python kept ready ahead (PREHEAT=0): each page starts its own when it is opened.,The next page's Python is kept ready ahead ($(PREHEAT)$(comma) about $$(( $(PREHEAT) * 120 )) MB of memory while JupyterLab runs; make lab PREHEAT=0 to save it).)"
	RECONNECT_PREHEAT=$(PREHEAT) $(SERVER_ENV) $(BIN)/python -m reconnect.apps.servers lab $(ROOT_FLAG) --ServerApp.port=$(LAB_PORT) $(LAB_FLAGS)

# App mode: the notebooks as web pages with no code (Voilà), on this computer only. Ctrl+C stops it.
# A laptop handed round is the usual case, so app mode is SHARED unless told otherwise: it never
# remembers anyone and every page asks who is answering. `make app SHARED=0` on a computer that is yours alone.
# Each of the 8 pages is kept ready ahead, so it opens at once (Voilà's preheated kernels, PREHEAT per page,
# about 100 MB of memory each; src/reconnect/apps/servers.py, voila_speed_args). `make app PREHEAT=0` to save it.
APP_PORT ?= 8866
SHARED ?= 1
PREHEAT ?= 1
app: setup demo
	@echo "Reconnect in app mode: open http://localhost:$(APP_PORT)/ (the start page)."
	@echo "Press Ctrl+C here to stop."
	@echo "$(if $(filter 1,$(SHARED)),Shared computer: nobody is remembered; each person signs in with their code on each page.,Personal computer: people may tick Remember me.)"
	@echo "$(if $(filter 0,$(PREHEAT)),Pages are not kept ready (PREHEAT=0): each page starts its own Python when it is opened (a few seconds).,Pages kept ready ahead: $(PREHEAT) for each of the 8 pages$(comma) about $$(( $(PREHEAT) * 8 * 100 )) MB of memory while app mode runs (make app PREHEAT=0 to save it$(comma) pages then open slower).)"
	RECONNECT_SHARED=$(SHARED) RECONNECT_PREHEAT=$(PREHEAT) $(SERVER_ENV) $(BIN)/python -m reconnect.apps.servers app --template=reconnect \
	  --Voila.ip=127.0.0.1 --port=$(APP_PORT) --MappingKernelManager.cull_idle_timeout=300 --MappingKernelManager.cull_interval=60

# The hub tests (tests/hub) use `make hub-setup`; without npm they are skipped (CI installs it: .ci/run).
test: setup $(if $(shell command -v npm 2>/dev/null),hub-setup,)
	$(BIN)/ruff check src tests conftest.py
	$(BIN)/python -m reconnect.apps.navigation --check notebooks
	$(BIN)/pytest

lint: setup
	$(BIN)/ruff check src tests conftest.py
	$(BIN)/ruff format --check src tests conftest.py

format: setup
	$(BIN)/ruff format src tests conftest.py

# Timing scripts (not part of `make test`): one table, each figure against its target. ~4 minutes, plus
# about 10 for the browser part (every notebook opened in JupyterLab and app mode; runs when Chromium and
# Playwright are there, as for the browser tests). Only some: `make bench BENCH_ARGS="browser"`.
bench: setup
	$(BIN)/python benchmarks/bench.py --markdown $(BENCH_ARGS)

# Retake the documentation's pictures (docs/images) from the current product, in a real browser.
pictures: setup
	$(BIN)/python tests/browser/docs_pictures.py $(PICTURES_ARGS)

nav: setup
	$(BIN)/python -m reconnect.apps.navigation notebooks

clean-venv:
	rm -rf $(VENV)

# -- A workshop room on JupyterHub (docs/deploy.md) ---------------------------------------------------
# JupyterHub comes from PyPI (the `hub` extra, installed by `make setup`); its web proxy,
# configurable-http-proxy, from the npm registry into .hub/node_modules (needs Node.js 18+ and npm).
HUB_DIR   ?= .hub
HUB_PROXY := $(HUB_DIR)/node_modules/.bin/configurable-http-proxy
# The participants' Python environment: their servers run as their own accounts, so it must be readable by
# every account (a pyenv Python under /root is not). Debian's python3 by default; HUB_ENV=/opt/... if this
# project sits in a folder other accounts cannot enter.
HUB_ENV    ?= $(HUB_DIR)/env
HUB_PYTHON ?= $(shell test -x /usr/bin/python3 && echo /usr/bin/python3 || echo $(PYTHON))
HUB_SOURCES := $(shell find src -name '*.py' -o -name '*.html' 2>/dev/null)
export HUB_ENV
export HUB_IP HUB_PORT HUB_PASSCODE HUB_WORKSHOP HUB_HOMES HUB_PREFIX HUB_TLS_CERT HUB_TLS_KEY HUB_CULL_IDLE HUB_CULL_KERNELS HUB_MEMORY_MB HUB_SEATS HUB_STUCK HUB_FORK

.PHONY: hub hub-setup hub-end hub-remove-accounts hub-status

hub-setup: setup $(HUB_PROXY) $(HUB_ENV)/.installed-stamp

$(HUB_ENV)/.installed-stamp: pyproject.toml $(HUB_SOURCES)
	@test -x $(HUB_ENV)/bin/python || $(HUB_PYTHON) -m venv $(HUB_ENV)
	$(HUB_ENV)/bin/python -m pip install --quiet --upgrade pip
	$(HUB_ENV)/bin/python -m pip install --quiet '.[hub]'
	@chmod -R go+rX $(HUB_ENV)
	@touch $@

$(HUB_PROXY):
	@command -v npm >/dev/null 2>&1 || { echo "make hub-setup: npm (Node.js 18 or newer) is missing. Install it: on Debian/Ubuntu 'apt-get install nodejs npm', elsewhere https://nodejs.org; then run make hub again." >&2; exit 2; }
	@mkdir -p $(HUB_DIR)
	npm install --prefix $(HUB_DIR) --no-audit --no-fund --loglevel=error configurable-http-proxy@^4.6

# Starts the room on http://127.0.0.1:8000 (HUB_PORT=...); HUB_IP=0.0.0.0 serves the room's network (read the
# warning it prints). Prints the address and the passcode. Must run as root (one account per participant).
hub: hub-setup
	$(SERVER_ENV) $(BIN)/python -m reconnect.hub start --dir $(HUB_DIR) --env $(HUB_ENV)

# Ends the workshop: stops every participant's server; the collected answers stay.
hub-end: setup
	$(BIN)/python -m reconnect.hub end --dir $(HUB_DIR)

# During the workshop: who has joined, and who is stuck (joined HUB_STUCK=60 s ago, and no working page).
hub-status: setup
	$(BIN)/python -m reconnect.hub status --dir $(HUB_DIR)

# After the retention period (docs/deploy.md): delete the participants' accounts and home folders.
hub-remove-accounts: setup
	$(BIN)/python -m reconnect.hub end --dir $(HUB_DIR) --remove-accounts
