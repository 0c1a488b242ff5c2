# The project's commands. `make report` builds the report (creating .venv first if it
# is missing or the pins changed); `make test` runs every test. See README.md.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
# The environment is rebuilt when, and only when, the pins or the package metadata change.
PINS   := $(shell cat requirements.txt pyproject.toml | sha256sum | cut -c1-16)
STAMP  := $(VENV)/.pins-$(PINS)

export JUPYTER_PLATFORM_DIRS := 1
export PYDEVD_DISABLE_FILE_VALIDATION := 1
export PYTHONHASHSEED := 0
export MPLBACKEND := Agg

.PHONY: help venv report check test test-slow lab clean bench lock

help: ## list the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 12

$(STAMP): requirements.txt pyproject.toml
	@echo "environment     creating $(VENV) from requirements.txt"
	@rm -rf $(VENV)
	@$(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check --no-input -r requirements.txt
	@$(PY) -m pip install --quiet --disable-pip-version-check --no-input --no-deps -e .
	@touch $(STAMP)

venv: $(STAMP) ## create the environment (.venv) from the pins

report: $(STAMP) ## check data/, run the notebooks, write figures/ and report/
	@$(PY) -m nkreport build

check: $(STAMP) ## validate data/ against data/datapackage.json
	@$(PY) -m nkreport check

test: $(STAMP) ## run the tests (unit, data, nbval over notebooks/, report checks)
	@$(PY) -m pytest -m "not slow"

test-slow: $(STAMP) ## the slow tests: whole builds in temporary copies of the project
	@$(PY) -m pytest -m slow tests

lab: $(STAMP) ## open JupyterLab on the notebooks
	@$(VENV)/bin/jupyter lab notebooks/

bench: $(STAMP) ## time the build against plain nbconvert; writes BENCHMARKS.md
	@$(PY) benchmarks/bench.py

clean: ## remove caches (the committed outputs stay)
	@rm -rf .cache .pytest_cache build src/*.egg-info
	@find . -name __pycache__ -not -path './.venv/*' -prune -exec rm -rf {} +
	@echo "caches removed; the next 'make report' is a clean build"

lock: ## re-resolve requirements.in into requirements.txt (needs the network)
	@rm -rf .cache/lock && $(PYTHON) -m venv .cache/lock
	@.cache/lock/bin/pip install --quiet -r requirements.in
	@.cache/lock/bin/pip freeze --exclude-editable | LC_ALL=C sort > requirements.txt
	@echo "requirements.txt updated; run make report && make test"
