# Two entry points for a fresh Debian/Ubuntu machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip
# Exact versions the project is tested with; pyproject.toml only gives compatible ranges.
CONSTRAINTS := constraints.txt
# `make run` installs the package alone, `make test` adds the test tools (the `test` extra).
RUN_STAMP := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test
PORT ?= 8501

.PHONY: run test lint validate bench assets browser-deps db-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(RUN_STAMP): pyproject.toml setup.py $(CONSTRAINTS) | $(BIN)/python
	$(PIP) install --quiet -c $(CONSTRAINTS) -e .
	touch $@

$(TEST_STAMP): pyproject.toml setup.py $(CONSTRAINTS) | $(BIN)/python
	$(PIP) install --quiet -c $(CONSTRAINTS) -e '.[test]'
	touch $@

# Copies (refreshes) Leaflet and friends from their PyPI packages into dashboard/static/vendor/, served
# by Streamlit. The editable install and the app at start copy missing ones too; this also refreshes
# copies after an upgrade of the xstatic packages.
assets: $(RUN_STAMP)
	$(BIN)/python -m dashboard assets

run: $(RUN_STAMP) assets
	$(BIN)/streamlit run dashboard/app.py --server.address 127.0.0.1 --server.port $(PORT)

# Chromium from Debian for the browser tests (never a downloaded browser build), nginx for the
# replicas test (scripts/replicas.py puts app servers behind it), and pdftotext for the PDF export test.
browser-deps:
	@{ command -v chromium >/dev/null 2>&1 && [ -x /usr/sbin/nginx ] && command -v pdftotext >/dev/null 2>&1; } || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium nginx-light poppler-utils >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium nginx-light poppler-utils >/dev/null; fi; }

# PostgreSQL 15 and PostGIS from Debian for the shared-store tests, which start a throw-away server of
# their own (tests/pgcluster.py); the dashboard itself needs neither unless DASHBOARD_DATABASE_URL is set.
db-deps:
	@{ [ -x /usr/lib/postgresql/15/bin/initdb ] && [ -f /usr/share/postgresql/15/extension/postgis.control ]; } || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq postgresql-15-postgis-3 >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq postgresql-15-postgis-3 >/dev/null; fi; }

lint: $(TEST_STAMP)
	$(BIN)/ruff check dashboard tests scripts bench setup.py

test: $(TEST_STAMP) browser-deps db-deps lint
	$(BIN)/python -m dashboard validate
	$(BIN)/python -m pytest

validate: $(RUN_STAMP)
	$(BIN)/python -m dashboard validate

bench: $(RUN_STAMP) browser-deps
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) dashboard/static/vendor build dist
