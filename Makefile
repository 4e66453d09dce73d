# Spotizerr: `make run` starts the service, `make test` runs the test suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 7171

.PHONY: run test check install install-dev migrate lint clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(VENV)/bin/python pyproject.toml
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

migrate: install
	$(PY) manage.py migrate --noinput

run: migrate
	HOST=$(HOST) PORT=$(PORT) $(PY) manage.py serve --skip-migrate

test: install-dev
	SPOTIZERR_DATA_DIR=$(CURDIR)/.test-data $(PY) -m pytest $(PYTEST_ARGS)

# The conventions as a gate (CI runs it before the tests): lint rules, formatting, the layering, types.
check: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

lint: check

clean:
	rm -rf $(VENV) .test-data
