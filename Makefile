# Two entry points for a fresh Debian/Ubuntu machine: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8501

.PHONY: run test lint validate bench assets browser-deps clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

# Copies Leaflet and friends from their PyPI packages into dashboard/static (served by Streamlit).
assets: $(STAMP)
	$(BIN)/python -m dashboard assets

run: $(STAMP) assets
	$(BIN)/streamlit run dashboard/app.py --server.address 127.0.0.1 --server.port $(PORT)

# Chromium from Debian for the browser tests (never a downloaded browser build).
browser-deps:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; fi; }

test: $(STAMP) browser-deps assets
	$(BIN)/ruff check dashboard tests scripts bench
	$(BIN)/python -m dashboard validate
	$(BIN)/python -m pytest

validate: $(STAMP)
	$(BIN)/python -m dashboard validate

bench: $(STAMP) browser-deps assets
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) dashboard/static/vendor
