# wegweiser – the two commands a new developer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint fix bench bench-instructions install migrate demo clean system-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

migrate: install
	DEBUG=1 $(BIN)/wegweiser migrate --no-input

demo: migrate
	DEBUG=1 $(BIN)/wegweiser demo

## Start the app with the catalogue and demo data on SQLite at http://$(HOST):$(PORT)
run: demo
	DEBUG=1 $(BIN)/wegweiser runserver $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check wegweiser tests bench
	$(BIN)/ruff format --check wegweiser tests bench
	DEBUG=1 $(BIN)/wegweiser makemigrations --check --dry-run
	$(BIN)/lint-imports --no-cache

fix: install
	$(BIN)/ruff check --fix wegweiser tests bench
	$(BIN)/ruff format wegweiser tests bench

## What the tests need from the system (Chromium, gettext): installed as root, else the command
system-deps:
	@tools/system-deps

## Lint and the whole test suite (SQLite; PostgreSQL when DATABASE_URL is set)
test: system-deps lint
	$(BIN)/pytest -n auto --dist loadgroup

## Benchmarks: numbers go to bench/results/
bench: install
	$(BIN)/python bench/eligibility.py
	$(BIN)/python bench/directory.py
	$(BIN)/python bench/public_load.py
	$(BIN)/python bench/volunteers.py
	$(BIN)/python bench/funding.py
	$(BIN)/python bench/reporting.py
	$(BIN)/python bench/template_engines.py
	$(BIN)/python bench/audit.py
	$(BIN)/python bench/soak.py

## The public pages' instructions per request against the bare view (valgrind; repeatable)
bench-instructions: install
	$(BIN)/python bench/public_load.py --instructions

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm staticfiles .pytest_cache .ruff_cache .hypothesis
