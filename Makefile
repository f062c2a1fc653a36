# Haumai — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install install-run run test test-sqlite test-postgres lint bench demo clean

# Two installs: what running needs (make run) and, on top, the test and lint tools (make install/test/lint).
$(BIN)/haumai: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e .
	touch $(BIN)/haumai

$(VENV)/.dev-installed: $(BIN)/haumai
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[dev]"
	touch $(VENV)/.dev-installed

install-run: $(BIN)/haumai  ## only what `haumai serve` needs

install: $(VENV)/.dev-installed  ## everything, with the test and lint tools (CI)

run: install-run  ## install, migrate, seed demo data and start web + worker on SQLite
	$(BIN)/haumai serve --demo --host $(HOST) --port $(PORT)

test: install  ## the whole suite (DATABASE_URL selects PostgreSQL; default SQLite)
	$(BIN)/pytest

test-sqlite: install
	env -u DATABASE_URL $(BIN)/pytest

test-postgres: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/haumai} $(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy src/haumai
	$(BIN)/lint-imports
	$(BIN)/haumai makemigrations --check --dry-run

bench: install  ## benchmarks on PostgreSQL; prints a table
	DATABASE_URL=$${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/haumai_bench} $(BIN)/python bench/run.py

demo: install-run
	$(BIN)/haumai migrate
	$(BIN)/haumai demo

clean:
	rm -rf var .pytest_cache
