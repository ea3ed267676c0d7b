# The two commands of the README. Both bootstrap .venv from pyproject.toml when it is missing or stale.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
# 1: seed demo data, 0: never, auto: outside production only.
DEMO_DATA ?= auto
INSTALLED := $(VENV)/.installed

.PHONY: run test

run: $(INSTALLED)
	mkdir -p -m 700 instance
	$(BIN)/apiary db upgrade
	@if [ "$(DEMO_DATA)" = "auto" ]; then $(BIN)/apiary seed-demo --if-empty --unless-production; \
	elif [ "$(DEMO_DATA)" != "0" ]; then $(BIN)/apiary seed-demo --if-empty; fi
	exec $(BIN)/gunicorn --bind "$(HOST):$(PORT)" "apiary:create_app()"

test: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest

$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@
