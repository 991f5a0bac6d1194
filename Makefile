# Two commands do all set-up on a fresh machine:
#   make run    runs the platform on the embedded defaults
#   make test   runs the whole test suite (lint, types, unit, integration, e2e)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck pytest test-unit test-integration test-e2e bench schemas \
	system-deps postgres clean

$(STAMP): pyproject.toml constraints.txt
	python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c constraints.txt -e ".[dev]"
	touch $(STAMP)

# promtool (Debian's prometheus package) checks and unit-tests the alert rules; curl runs the
# "try it" block that `make run` prints (tests/e2e/test_try_it_and_crash.py follows it).
system-deps:
	@command -v promtool >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus >/dev/null; }
	@command -v curl >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq curl >/dev/null; }

# The suite's PostgreSQL at 127.0.0.1:5432 (database `test`, trust on loopback): installed from
# Debian's packages and started when nothing answers there.
postgres:
	@bash scripts/ci/ensure-postgres.sh

run: $(STAMP)
	$(BIN)/laborguard stack

test: $(STAMP) system-deps postgres lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP)
	$(BIN)/pytest

# One target per marker: unit needs nothing running; integration the broker (started by the
# suite) and PostgreSQL; e2e the whole stack and promtool/Prometheus.
test-unit: $(STAMP)
	$(BIN)/pytest -m unit

test-integration: $(STAMP) postgres
	$(BIN)/pytest -m integration

test-e2e: $(STAMP) system-deps postgres
	$(BIN)/pytest -m e2e

# Every bench with its defaults (long), or one: make bench BENCH="screening quality";
# the list: make bench BENCH=--list
bench: $(STAMP) postgres
	$(BIN)/python -m bench $(BENCH)

schemas: $(STAMP)
	$(BIN)/laborguard schemas

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
