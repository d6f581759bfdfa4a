# Lantern: `make run` for the demo, `make test` for the whole suite.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export LANTERN_DATA_DIR ?= $(CURDIR)/var
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run demo test test-sqlite test-postgres lint format system-deps bench clean messages

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)  ## create .venv with the `lantern` command and everything it needs
	@echo "Installed: $(BIN)/lantern"

demo: install  ## migrate the embedded database and load the fictional demo review
	LANTERN_DEMO=1 $(BIN)/lantern migrate --no-input -v0
	LANTERN_DEMO=1 $(BIN)/lantern demo load

run: demo  ## set everything up and serve the demo on http://$(HOST):$(PORT), with the task worker
	@LANTERN_DEMO=1 LANTERN_DEMO_URL=http://$(HOST):$(PORT)/ $(BIN)/lantern demo logins
	@echo "Serving Lantern on http://$(HOST):$(PORT)/ (Ctrl-C stops the server and worker)"
	@trap 'kill 0' EXIT INT TERM; \
	  LANTERN_DEMO=1 $(BIN)/lantern worker --interval 1 & \
	  LANTERN_DEMO=1 $(BIN)/lantern runserver --noreload $(HOST):$(PORT)

test: install  ## lint, then the whole suite (DATABASE_URL picks the database; SQLite by default)
	$(BIN)/ruff check lantern
	$(BIN)/ruff format --check lantern
	$(BIN)/lantern makemigrations --check --dry-run -v0 --settings=lantern.config.settings.test
	$(BIN)/pytest -q -n 2 -p no:cacheprovider

test-sqlite:
	env -u DATABASE_URL $(MAKE) test

test-postgres:
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/lantern_test} $(MAKE) test

lint: install
	$(BIN)/ruff check lantern
	$(BIN)/ruff format --check lantern

format: install
	$(BIN)/ruff check --fix lantern
	$(BIN)/ruff format lantern

messages: install  ## extract translatable text for Welsh
	cd lantern && ../$(BIN)/lantern makemessages -l cy --ignore=static/*

system-deps:  ## Debian packages for PDF rendering and browser tests (needs root)
	@if [ "$$(id -u)" = "0" ]; then \
	  missing=""; for p in chromium fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fontconfig poppler-utils libreoffice-writer-nogui; do \
	    dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	  if [ -n "$$missing" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; fi; \
	else echo "system-deps: not root; skipping (install chromium poppler-utils by hand)"; fi

bench: install
	$(BIN)/python bench/run.py --write
	$(BIN)/python bench/library.py --write

clean:
	rm -rf $(VENV) var .ruff_cache
