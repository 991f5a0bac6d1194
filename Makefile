# Two commands do all set-up on a fresh machine:
#   make run    runs the platform on the embedded defaults
#   make test   runs the whole test suite (lint, types, unit, integration, e2e)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck pytest bench schemas system-deps postgres clean

$(STAMP): pyproject.toml constraints.txt
	python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c constraints.txt -e ".[dev]"
	touch $(STAMP)

# promtool (Debian's prometheus package) checks and unit-tests the alert rules; Debian's chromium
# is the browser the console's tests drive headless (Playwright, no browser download).
system-deps:
	@command -v promtool >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus >/dev/null; }
	@test -x /usr/bin/chromium || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# The suite's PostgreSQL at 127.0.0.1:5432 (database `test`, trust on loopback): installed from
# Debian's packages and started when nothing answers there.
postgres:
	@bash scripts/ci/ensure-postgres.sh

run: $(STAMP)
	$(BIN)/laborguard-stack

test: $(STAMP) system-deps postgres lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python -m bench

schemas: $(STAMP)
	$(BIN)/laborguard-schemas

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
