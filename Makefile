# CareLead: the commands of docs/operator-guide.md. Everything installs into .venv and node_modules.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
CARELEAD := $(BIN)/carelead
DATA_DIR ?= $(or $(CARELEAD_DATA_DIR),$(CURDIR)/var)
PG_URL ?= postgres://postgres@127.0.0.1:5432/carelead
PYTEST_WORKERS ?= 2

.PHONY: install run test audit test-sqlite test-postgres browser bench load lint worker clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(UV): $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==0.13.9

$(VENV)/.installed: $(UV) requirements/lock.txt pyproject.toml
	$(UV) pip install --python $(BIN)/python --quiet -r requirements/lock.txt
	$(UV) pip install --python $(BIN)/python --quiet --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

## install: Python packages, front-end assets and collected static files; starts nothing
install: $(VENV)/.installed node_modules/.installed
	$(BIN)/python -m carelead.core.assets
	$(CARELEAD) collectstatic --noinput --verbosity 0

## run: install, migrate the embedded database, load the region demo once, serve on 127.0.0.1:8000 with a worker
run: install
	$(CARELEAD) migrate --noinput --verbosity 0
	$(CARELEAD) demo --size region --if-empty --logins-json $(DATA_DIR)/demo-logins.json
	@$(CARELEAD) logins $(DATA_DIR)/demo-logins.json
	@echo "Serving CareLead on http://127.0.0.1:8000 (Ctrl+C stops it)"
	@trap 'kill $$worker 2>/dev/null' EXIT; \
	  $(CARELEAD) db_worker --queue-name '*' >$(DATA_DIR)/worker.log 2>&1 & worker=$$!; \
	  $(CARELEAD) serve --bind 127.0.0.1:8000

## browser: Debian's Chromium for the browser tests (needs root; skipped with a reason where it cannot install)
browser:
	@command -v chromium >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && \
	  (apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || echo "Chromium is not installed and could not be installed: browser tests will be skipped"; }

## test: install everything including test tools and run the whole suite (SQLite, and PostgreSQL when it answers)
test: install browser audit test-sqlite
	@if $(BIN)/python -c "import psycopg; psycopg.connect('$(PG_URL)'.rsplit('/',1)[0] + '/postgres', connect_timeout=3).close()" 2>/dev/null; then \
	  $(MAKE) --no-print-directory test-postgres; \
	elif [ -n "$${CI:-}" ]; then echo "PostgreSQL is not answering at $(PG_URL): CI needs it"; exit 1; \
	else echo "PostgreSQL is not answering at $(PG_URL): the PostgreSQL run was skipped (.ci/run starts it)"; fi

## audit: the static security scan (bandit, failing on any high-severity finding) and the dependency audit
audit: install
	$(BIN)/bandit -q -r carelead config tools -x '*/tests/*' --severity-level high
	$(BIN)/python tools/dependency_audit.py

test-sqlite:
	env -u DATABASE_URL $(BIN)/python -m pytest -n $(PYTEST_WORKERS) -q

test-postgres:
	DATABASE_URL=$(PG_URL) $(BIN)/python -m pytest -n $(PYTEST_WORKERS) -q -m "not browser"

## bench: the benchmarks in bench/, a table on screen and bench/results/latest.json
bench: install
	$(BIN)/python -m bench.run

LOAD_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/carelead_national

## load: the load test of docs/load-test.md (Locust) against the national demo in LOAD_DATABASE_URL
load: install
	$(UV) pip install --python $(BIN)/python --quiet -r requirements/bench-lock.txt
	DATABASE_URL=$(LOAD_DATABASE_URL) $(BIN)/python -m bench.load.run

lint:
	$(BIN)/ruff check carelead config bench tests tools

clean:
	rm -rf $(VENV) node_modules staticfiles build
