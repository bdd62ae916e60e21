# Reconnect: `make lab` to explore, `make app` for app mode (no code), `make test` to check everything;
# `make app LANG=es` / `make lab LANG=es` for the content in Spanish. Needs Python 3.10+ and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
DEMO   := data/demo
# Jupyter refuses to run as root without this flag (containers, CI machines).
LAB_FLAGS ?= $(if $(filter 0,$(shell id -u)),--allow-root,)
# The language of the content: `make app LANG=es` (or RECONNECT_LANG=es) serves data/item_bank.es.yaml.
# LANG is also the locale variable, so when it is given on make's command line it only picks the content
# language: the servers get RECONNECT_LANG=es and a locale that exists (C.UTF-8, or LANG itself when it
# is a full locale name such as es_MX.UTF-8). Your shell's own LANG is never changed.
ifeq ($(origin LANG),command line)
SERVER_ENV := env LANG='$(if $(findstring .,$(LANG)),$(LANG),C.UTF-8)' RECONNECT_LANG='$(LANG)'
else
SERVER_ENV := $(if $(RECONNECT_LANG),env RECONNECT_LANG='$(RECONNECT_LANG)',)
endif

.PHONY: setup lab app demo test lint format nav bench clean-venv

setup: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "Reconnect needs Python 3.10 or newer; found " + sys.version.split()[0])'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

demo: setup
	@test -d $(DEMO)/submissions || $(BIN)/reconnect demo --out $(DEMO)
	@test -d $(DEMO)/participants || $(BIN)/python -c 'from reconnect.demo import write_demo_settings as w; w("$(DEMO)")'

lab: setup demo
	$(SERVER_ENV) $(BIN)/jupyter lab $(LAB_FLAGS) notebooks/00_start_here.ipynb

# App mode: the notebooks as web pages with no code (Voilà), on this computer only. Ctrl+C stops it.
APP_PORT ?= 8866
app: setup demo
	@echo "Reconnect in app mode: open http://localhost:$(APP_PORT)/voila/render/00_start_here.ipynb"
	@echo "(the page lists every notebook at http://localhost:$(APP_PORT)/). Press Ctrl+C here to stop."
	$(SERVER_ENV) $(BIN)/voila notebooks --Voila.ip=127.0.0.1 --port=$(APP_PORT) \
	  --MappingKernelManager.cull_idle_timeout=300 --MappingKernelManager.cull_interval=60

test: setup
	$(BIN)/ruff check src tests conftest.py
	$(BIN)/python -m reconnect.navigation --check notebooks
	$(BIN)/pytest

lint: setup
	$(BIN)/ruff check src tests conftest.py
	$(BIN)/ruff format --check src tests conftest.py

format: setup
	$(BIN)/ruff format src tests conftest.py

# Timing scripts (not part of `make test`): one table, each figure against its target. ~4 minutes.
bench: setup
	$(BIN)/python benchmarks/bench.py --markdown $(BENCH_ARGS)

nav: setup
	$(BIN)/python -m reconnect.navigation notebooks

clean-venv:
	rm -rf $(VENV)
