# bangban — the two commands: `make run` and `make test`. Both idempotent.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
RUN_HOST ?= 127.0.0.1:8000
# the suite runs on every core (pytest-xdist; each worker has its own test database);
# `make test PYTEST_ARGS=` runs it in one process
PYTEST_ARGS ?= -n auto

.PHONY: run test setup install lint format browser-deps test-postgres test-redis clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

## setup: virtualenv, packages, database schema and reference data (catalog, regions, routing)
setup: $(STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_reference

## run: set everything up, load demo data, serve on http://127.0.0.1:8000/
run: setup
	$(BIN)/python manage.py demo_data
	BANGBAN_DEBUG=$${BANGBAN_DEBUG:-1} $(BIN)/python manage.py runserver $(RUN_HOST)

## test: set everything up and run lint plus the whole test suite (SQLite)
test: $(STAMP) browser-deps
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## browser-deps: Debian's chromium and CJK fonts for the Playwright tests
browser-deps:
	@bash scripts/ensure-browser.sh

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format:
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var test-output .pytest_cache .ruff_cache
