# 汴学 Bianxue. `make run` sets everything up and serves the platform; `make test` runs every test.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
UV := $(VENV)/bin/uv
UV_VERSION := 0.13.8
HOST ?= 127.0.0.1
PORT ?= 8000
export PYTHONUNBUFFERED := 1

.PHONY: run dev setup install assets messages migrate demo serve test test-fast lint bench lock check-deploy clean browser-deps image-build

run: setup demo ## set up everything and serve the Kaifeng demo as residents see it (DEBUG off)
	@$(MAKE) --no-print-directory serve

dev: setup demo ## the same for development: DEBUG on (tracebacks, static files re-read on every request)
	@echo "==> serving 汴学 for development (DEBUG on) on http://$(HOST):$(PORT)/  (admin: /admin/)"
	DEBUG=1 $(PY) manage.py runserver --nostatic $(HOST):$(PORT)

setup: install assets messages migrate

$(VENV)/.installed: requirements-dev.lock pyproject.toml
	@echo "==> creating $(VENV) and installing the pinned dependencies (requirements-dev.lock)"
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) not found: install Python 3.11 or set PYTHON=/path/to/python3.11"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(UV) pip sync --python $(PY) requirements-dev.lock
	$(UV) pip install --python $(PY) --no-deps -e .
	touch $@

install: $(VENV)/.installed

assets: install ## front-end assets from the npm registry (pinned by frontend/design/package-lock.json)
	@if [ -f frontend/design/package-lock.json ]; then \
	  echo "==> building front-end assets (npm ci)"; \
	  (cd frontend/design && npm ci --no-audit --no-fund --loglevel=error) && $(PY) frontend/design/build_assets.py; \
	fi

messages: install ## compile translation catalogs
	@echo "==> compiling translations"
	$(PY) manage.py compilemessages -v0 --ignore ".venv/*" --ignore "*/node_modules/*"

migrate: install
	@echo "==> migrating the database"
	@mkdir -p var/static  # the SQLite file, media and beat state live here (not in git)
	$(PY) manage.py migrate --noinput -v0

demo: migrate ## load Kaifeng demo data (idempotent) and print the demo logins
	@echo "==> loading Kaifeng demo data"
	$(PY) manage.py load_demo

serve: ## serve without setting up: DEBUG off (the site's 404/500 pages), static files by WhiteNoise, media by the site
	@echo "==> serving 汴学 (HTTP and websockets, DEBUG off) on http://$(HOST):$(PORT)/  (admin: /admin/)"
	DEBUG=0 $(PY) manage.py runserver --nostatic $(HOST):$(PORT)

test: setup browser-deps ## the whole test suite (SQLite by default; PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set)
	@echo "==> running the test suite (DATABASE_URL=$${DATABASE_URL:-sqlite} REDIS_URL=$${REDIS_URL:-none})"
	$(PY) -m pytest $(PYTEST_ARGS)

test-fast: setup ## every test except the browser tests (no Chromium needed)
	@echo "==> running the test suite without the browser tests (DATABASE_URL=$${DATABASE_URL:-sqlite} REDIS_URL=$${REDIS_URL:-none})"
	$(PY) -m pytest -m "not browser" $(PYTEST_ARGS)

# Debian's headless Chromium and CJK fonts for the browser tests: installed here when this runs as root with
# apt-get; otherwise `make test` stops with the command to run (`make test-fast` needs neither).
BROWSER_PACKAGES := chromium fonts-noto-cjk
CHROMIUM ?= /usr/bin/chromium  # where tests/browser_harness.py launches it
browser-deps:
	@if [ -x $(CHROMIUM) ] && [ -d /usr/share/fonts/opentype/noto ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "==> installing headless Chromium and CJK fonts for the browser tests (apt-get install $(BROWSER_PACKAGES))"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(BROWSER_PACKAGES); \
	else \
	  echo "Headless Chromium (or its CJK fonts) is missing and cannot be installed here (needs root and apt-get)."; \
	  echo "Install it with: sudo apt-get install -y $(BROWSER_PACKAGES)   (or run make test-fast: no browser tests)"; \
	  exit 1; \
	fi

lint: install ## ruff (incl. function length, private imports) and the import contracts of pyproject.toml (layers, no cycles)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-logo

check-deploy: install ## production settings pass check --deploy with no warnings
	DJANGO_SETTINGS_MODULE=bianxue.settings.production \
	SECRET_KEY=$${SECRET_KEY:-check-deploy-$$(head -c 48 /dev/urandom | base64 | tr -d '/+=')} \
	PII_HASH_KEY=$${PII_HASH_KEY:-check-deploy-hash-key} \
	PII_ENCRYPTION_KEY=$${PII_ENCRYPTION_KEY:-$$($(PY) -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())')} \
	ALLOWED_HOSTS=bianxue.example.cn $(PY) manage.py check --deploy --fail-level WARNING

bench: setup ## benchmarks (import and indicator timings, page weights)
	$(PY) -m tests.bench

lock: ## re-resolve the locks from pyproject.toml: development (with the dev extra), then production within it
	$(UV) pip compile --python-version 3.11 --extra dev pyproject.toml -o requirements-dev.lock
	$(UV) pip compile --python-version 3.11 pyproject.toml -c requirements-dev.lock -o requirements.lock

image-build: ## the production image's build steps without Docker (deploy/build-image), into var/image
	deploy/build-image var/image

clean:
	rm -rf $(VENV) var
