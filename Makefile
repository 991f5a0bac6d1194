# Two commands do all set-up on a fresh machine:
#   make run    runs the platform on the embedded defaults (KAFKA=apache: on Apache Kafka)
#   make test   runs the whole test suite (lint, types, unit, integration, e2e)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint typecheck pytest test-unit test-integration test-e2e bench schemas \
	system-deps postgres kafka clean

# PyICU (rigour's transliteration, for names in every script) builds against Debian's ICU.
$(STAMP): pyproject.toml constraints.txt
	@pkg-config --exists icu-uc 2>/dev/null && command -v g++ >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libicu-dev pkg-config g++ >/dev/null; }
	python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c constraints.txt -e ".[dev]"
	touch $(STAMP)

# Debian's packages the suite uses: promtool (prometheus) checks and unit-tests the alert rules;
# kcat is the non-Python Kafka client of the Apache Kafka tests; Java 17 and Maven run and resolve
# the Apache Kafka broker (usually already on the machine); curl runs the "try it" block that
# `make run` prints (tests/e2e/test_try_it_and_crash.py follows it); chromium is the browser the
# console's tests drive headless (Playwright, no browser download).
SYSTEM_TOOLS := promtool:prometheus kcat:kcat java:openjdk-17-jre-headless mvn:maven curl:curl \
	chromium:chromium
system-deps:
	@missing=""; for pair in $(SYSTEM_TOOLS); do command -v $${pair%%:*} >/dev/null 2>&1 || missing="$$missing $${pair#*:}"; done; \
	if [ -n "$$missing" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; fi

# The pinned Apache Kafka broker (deploy/kafka/pom.xml): Maven resolves its jars once into
# var/kafka/<version>/libs; the suite's fixtures and `make run KAFKA=apache` start it from there.
kafka: $(STAMP)
	$(BIN)/python -m laborguard_platform.apache_kafka resolve

# The suite's PostgreSQL at 127.0.0.1:5432 (database `test`, trust on loopback): installed from
# Debian's packages and started when nothing answers there.
postgres:
	@bash scripts/ci/ensure-postgres.sh

# make run KAFKA=apache: the same stack on a local Apache Kafka (the pinned version) instead.
run: $(STAMP)
	$(BIN)/laborguard stack $(if $(KAFKA),--kafka $(KAFKA))

test: $(STAMP) system-deps postgres kafka lint typecheck pytest

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
