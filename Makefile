# The two commands of the README. Both bootstrap .venv from pyproject.toml when it is missing or stale.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
# 1: seed demo data, 0: never, auto: outside production only.
DEMO_DATA ?= auto
INSTALLED := $(VENV)/.installed
# The branch-coverage floor of `make test`, a little below today's measure (99 %) so that new APIs have room.
COVERAGE_FLOOR ?= 95
# Parallel pytest workers (auto: one per core); each runs whole files, so a module's servers start once.
TEST_WORKERS ?= auto

.PHONY: run test docs bench

run: $(INSTALLED)
	mkdir -p -m 700 instance
	$(BIN)/apiary db upgrade
	@if [ "$(DEMO_DATA)" = "auto" ]; then $(BIN)/apiary seed-demo --if-empty --unless-production; \
	elif [ "$(DEMO_DATA)" != "0" ]; then $(BIN)/apiary seed-demo --if-empty; fi
	HOST=$(HOST) PORT=$(PORT) WEB_CONCURRENCY=$${WEB_CONCURRENCY:-1} exec $(BIN)/gunicorn --config gunicorn.conf.py "apiary:create_app()"

test: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	COVERAGE_FILE=$(VENV)/.coverage $(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile \
		--cov --cov-branch --cov-report=term-missing:skip-covered --cov-fail-under=$(COVERAGE_FLOOR)

# The README's pictures (docs/*.png), taken by the browser test.
docs: $(INSTALLED)
	APIARY_WRITE_SCREENSHOTS=1 $(BIN)/pytest -q tests/docs/test_browser.py

$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

# bench/README.md: Apiary against a bare Flask app at issue 14's volumes; writes bench/RESULTS.md and docs/bench.png.
BENCH_INSTALLED := $(VENV)/.bench-installed
bench: $(INSTALLED) $(BENCH_INSTALLED)
	$(BIN)/python bench/run.py

$(BENCH_INSTALLED): pyproject.toml
	$(BIN)/python -m pip install --quiet -e ".[dev,bench]"
	touch $@
