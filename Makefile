# Regiepunt: `make up` runs the platform with demo data, `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PACKAGES := -e libs/common -e libs/contracts -e services/capacity -e services/intake -e services/matching
PY_SOURCES := libs/common/common libs/contracts/contracts services/capacity/capacity services/intake/intake services/matching/matching
PG_DSN ?= postgresql://postgres@127.0.0.1:5432/postgres
# The browser test drives Debian's Chromium; installing it needs root.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: axe messages install up test lint test-sqlite test-postgres format token clean bench browser identity-provider

$(STAMP): libs/common/pyproject.toml libs/contracts/pyproject.toml services/*/pyproject.toml requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet $(PACKAGES) -r requirements-dev.txt
	touch $(STAMP)

install: $(STAMP)

up: install
	$(PY) deploy/run_local.py

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy $(PY_SOURCES)

# Chromium for the dashboard's browser test (Playwright itself comes with requirements-dev.txt).
browser:
	@command -v chromium >/dev/null || ($(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium)

# The tests' OpenID Connect provider (npm's oidc-provider, run by Node) and its locked packages.
IDP_DIR := tests/oidc_provider/server
$(IDP_DIR)/node_modules/.package-lock.json: $(IDP_DIR)/package-lock.json
	cd $(IDP_DIR) && npm ci --no-audit --no-fund --silent

identity-provider: $(IDP_DIR)/node_modules/.package-lock.json

# axe-core, which the browser tests run in Chromium to check the pages against WCAG 2.1 AA.
AXE_DIR := tests/e2e/axe
$(AXE_DIR)/node_modules/.package-lock.json: $(AXE_DIR)/package-lock.json
	cd $(AXE_DIR) && npm ci --no-audit --no-fund --silent

axe: $(AXE_DIR)/node_modules/.package-lock.json

test-sqlite: install identity-provider axe
	REGIEPUNT_TEST_DATABASE=sqlite $(PY) -m pytest

test-postgres: install browser identity-provider axe
	REGIEPUNT_TEST_DATABASE=postgresql REGIEPUNT_TEST_PG_DSN=$(PG_DSN) $(PY) -m pytest

test: lint test-sqlite test-postgres

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# The national-scale benchmark on PostgreSQL (docs/performance.md); SIZES=small for the quick run.
bench: install
	$(PY) -m bench.national $(if $(SIZES),--sizes $(SIZES))

# The pages' words: extracts what the templates and the code mark (`_()`, `{% trans %}`, `N_()`) into
# the Dutch catalog, new words untranslated; services/intake/tests/test_page_language.py says what is missing.
INTAKE_CATALOG := services/intake/intake/i18n/locales
messages: install
	cd services/intake && ../../$(VENV)/bin/pybabel -q extract -F babel.cfg -k N_ --no-location --sort-output \
		--omit-header -o ../../$(VENV)/messages.pot .
	$(VENV)/bin/pybabel -q update -i $(VENV)/messages.pot -d $(INTAKE_CATALOG) -l nl --no-fuzzy-matching \
		--omit-header --ignore-obsolete -w 110

token: install
	@$(PY) -m common.tokens --role $(or $(ROLE),coordinator) $(ARGS)

clean:
	rm -rf $(VENV) data tests/artifacts $(IDP_DIR)/node_modules $(AXE_DIR)/node_modules
