# Kärki — `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3.11
PORT ?= 8000
UV_VERSION := 0.13.8
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := .venv
UV := .tools/bin/uv
PY := .venv/bin/python

.DEFAULT_GOAL := help

help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  %-16s %s\n", $$1, $$2}'

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet uv==$(UV_VERSION)

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

# The design system's stylesheet (Designsystemet, MIT) comes from the npm registry, as locked in
# package-lock.json; settings.STATICFILES_DIRS serves it from node_modules under static/vendor/.
node_modules/.synced: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	@touch $@

install: .venv/.synced node_modules/.synced ## Create the environment and install the locked dependencies (Python and front-end)

# The council's PDF reports are made by WeasyPrint, which needs Pango from the operating system and a
# font (DejaVu Sans). Installed with apt-get when missing and run as root (CI, fresh machines); otherwise
# `make` stops here and says what to install.
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core
system-libs: ## Check (or, as root on Debian, install) Pango and the DejaVu font needed for PDF reports
	@if ldconfig -p | grep -q 'libpango-1.0.so.0' && ldconfig -p | grep -q 'libpangoft2-1.0.so.0' \
	  && [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "Installing $(SYSTEM_PACKAGES) for PDF reports"; \
	  apt-get install -y -q $(SYSTEM_PACKAGES) >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q $(SYSTEM_PACKAGES) >/dev/null; }; \
	else \
	  echo "Kärki makes PDF reports with WeasyPrint, which needs Pango and the DejaVu fonts." >&2; \
	  echo "Install them first, for example: sudo apt-get install $(SYSTEM_PACKAGES)" >&2; exit 1; \
	fi

messages: install ## Compile the fi and sv translations
	$(PY) manage.py compilemessages --ignore=.venv --ignore=.tools -v0

migrate: messages ## Create or update the database (SQLite in var/ unless DATABASE_URL is set)
	$(PY) manage.py migrate --no-input -v0

demo: migrate ## Load the demo programmes and users (prints the logins)
	$(PY) manage.py load_demo

# `make run` serves as production does (gunicorn, DEBUG off, static files collected and served by whitenoise,
# a background worker beside it) in the local mode: plain HTTP on 127.0.0.1, a secret key made once into
# var/secret_key. KARKI_ENV=production make run keeps production's settings (HTTPS, DATABASE_URL...).
RUN_ENV := $(if $(filter production,$(KARKI_ENV)),production,local)
GUNICORN_WORKERS ?= 2
GUNICORN_THREADS ?= 4

static: install ## Collect the static files (hashed and compressed) for serving by whitenoise
	KARKI_ENV=$(RUN_ENV) $(PY) manage.py collectstatic --no-input -v0

run: system-libs demo static ## Set everything up, load the demo data and serve as production does at http://127.0.0.1:$(PORT), with a background worker
	@echo "Kärki: http://127.0.0.1:$(PORT)/ (gunicorn, DEBUG off; imports and reports run in a background worker beside it)"
	@export KARKI_ENV=$(RUN_ENV) PORT=$(PORT); \
	$(PY) manage.py db_worker --no-reload -v1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	.venv/bin/gunicorn config.wsgi --bind 127.0.0.1:$(PORT) --workers $(GUNICORN_WORKERS) \
	  --threads $(GUNICORN_THREADS) --no-control-socket --timeout 120 --graceful-timeout 10

dev: system-libs demo ## The development server (DEBUG on, reloads on code changes) at http://127.0.0.1:$(PORT), with a background worker
	@echo "Kärki (development): http://127.0.0.1:$(PORT)/"
	@export KARKI_ENV=development PORT=$(PORT); \
	$(PY) manage.py db_worker --no-reload -v0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

worker: system-libs migrate ## Run a background worker alone (imports, reports); production runs one or more beside the app
	$(PY) manage.py db_worker --no-reload

backup: install ## Copy the SQLite database while Kärki runs, to var/backups/ (on PostgreSQL: prints the pg_dump command)
	$(PY) manage.py backup $(FILE)

# The browser tests drive Debian's Chromium (never a browser downloaded by Playwright). CI runs as root;
# elsewhere sudo asks for the password once.
CHROMIUM := /usr/bin/chromium
APT := $(if $(filter 0,$(shell id -u)),,sudo) env DEBIAN_FRONTEND=noninteractive apt-get

$(CHROMIUM):
	@echo "Installing Debian's Chromium for the browser tests"
	$(APT) install -y -q chromium fonts-liberation || { $(APT) update -q && $(APT) install -y -q chromium fonts-liberation; }

browser: $(CHROMIUM) ## Install Debian's Chromium for the browser tests if it is missing

test: system-libs messages browser ## Set up and run the whole suite (on SQLite unless DATABASE_URL is set)
	$(PY) -m pytest

test-browser: messages browser ## Only the browser journeys, axe scans and screenshots
	$(PY) -m pytest karki/browser

check: messages ## Lint, migrations, translations and API schema up to date
	.venv/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) scripts/check_translations.py
	$(PY) manage.py spectacular --validate --fail-on-warn --file /tmp/karki-openapi.yml

lint: install ## Ruff lint
	.venv/bin/ruff check .

makemessages: install ## Update locale/*/django.po from the code
	$(PY) manage.py makemessages -l fi -l sv --ignore=.venv --ignore=.tools --no-obsolete

lock: $(UV) ## Re-resolve the dependencies into uv.lock
	$(UV) lock --python $(PYTHON)

clean: ## Remove the environment and the local database
	rm -rf .venv .tools var staticfiles node_modules

.PHONY: help install system-libs messages migrate demo static run dev worker backup test test-browser browser check lint makemessages lock clean
