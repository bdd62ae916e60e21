# Reconnect: `make lab` to explore, `make app` for app mode (no code), `make test` to check everything. Needs Python 3.10+ and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
LABEXT_DIR := $(VENV)/share/jupyter/labextensions
VOILA_TEMPLATES := $(VENV)/share/jupyter/voila/templates
DEMO   := data/demo
# Jupyter refuses to run as root without this flag (containers, CI machines).
LAB_FLAGS ?= $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: setup lab app demo test lint format nav bench clean-venv labextension

setup: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "Reconnect needs Python 3.10 or newer; found " + sys.version.split()[0])'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
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

demo: setup
	@test -d $(DEMO)/submissions || $(BIN)/reconnect demo --out $(DEMO)
	@test -d $(DEMO)/participants || $(BIN)/python -c 'from reconnect.demo import write_demo_settings as w; w("$(DEMO)")'

lab: setup demo
	$(BIN)/jupyter lab $(LAB_FLAGS) notebooks/00_start_here.ipynb

# App mode: the notebooks as web pages with no code (Voilà), on this computer only. Ctrl+C stops it.
APP_PORT ?= 8866
app: setup demo
	@echo "Reconnect in app mode: open http://localhost:$(APP_PORT)/ (the start page)."
	@echo "Press Ctrl+C here to stop."
	$(BIN)/voila notebooks --template=reconnect --Voila.ip=127.0.0.1 --port=$(APP_PORT) \
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
