# The only commands anyone needs. Every target installs what it lacks, idempotently.
SHELL := /bin/bash
PY := .venv/bin/python
PIP := .venv/bin/pip
BUN_VERSION := 1.4.5
AXE_VERSION := 4.14.1
export PATH := $(CURDIR)/.tools/node_modules/.bin:$(PATH)
export REFLEX_USE_SYSTEM_BUN := 1
export PYTHONPATH := $(CURDIR)
N ?= 200
# Compiled message catalogs (build output, not in git): one .mo beside each translated .po.
LOCALES := customer_app/locales
CATALOGS := $(patsubst %.po,%.mo,$(wildcard $(LOCALES)/*/LC_MESSAGES/*.po))

.PHONY: run dev admin demo test unit e2e bench migrate lint install install-dev browser nginx fonts pdftotext pgclient clean catalogs messages backup restore

.venv/.installed: requirements.txt
	test -x $(PY) || python3.11 -m venv .venv || python3 -m venv .venv
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -r requirements.txt
	touch $@

.venv/.installed-dev: .venv/.installed requirements-dev.txt
	$(PIP) install -q -r requirements-dev.txt
	touch $@

.tools/node_modules/.bin/bun:
	npm install --prefix .tools --no-save --no-audit --no-fund bun@$(BUN_VERSION)

# axe-core, which the browser tests run against the main pages: a prefix of its own, because an npm install with
# --no-save prunes what an earlier one put beside it (bun). The version is in the path, so a new pin installs anew.
AXE := .tools/axe-$(AXE_VERSION)/node_modules/axe-core/axe.min.js
$(AXE):
	npm install --prefix .tools/axe-$(AXE_VERSION) --no-save --no-audit --no-fund axe-core@$(AXE_VERSION)

$(LOCALES)/%.mo: $(LOCALES)/%.po .venv/.installed
	.venv/bin/pybabel -q compile -i $< -o $@

catalogs: $(CATALOGS)  ## compile the translations the portal and its e-mails read at start

messages: install  ## update the .po files from the messages marked in the code, list what is left to translate
	$(PY) scripts/messages.py
	$(MAKE) --no-print-directory catalogs

install: .venv/.installed .tools/node_modules/.bin/bun catalogs fonts pgclient
install-dev: install .venv/.installed-dev $(AXE) browser pdftotext nginx

browser:  ## Chromium from Debian's packages; tests drive it with Playwright (never `playwright install`)
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null; \
	  else echo "Chromium is missing: run 'sudo apt-get install chromium chromium-driver'"; exit 1; fi; }

fonts:  ## what documents' PDFs are drawn with: pango for WeasyPrint, DejaVu (Latin, Greek), Droid fallback (CJK)
	@{ ldconfig -p | grep -q libpangoft2 && [ -n "$$(fc-list :lang=el)" ] && [ -n "$$(fc-list :lang=ja)" ]; } || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && \
	    apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fonts-droid-fallback >/dev/null; \
	  else echo "Fonts for PDFs are missing: run 'sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fonts-droid-fallback'"; exit 1; fi; }

nginx:  ## Debian's nginx: tests/e2e_proxy start their own, on a free port, in front of the workspace (deploy/nginx.conf)
	@{ command -v nginx || test -x /usr/sbin/nginx; } >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq nginx >/dev/null; \
	  else echo "nginx is missing: run 'sudo apt-get install nginx' (until then the tests behind it skip)"; fi; }

pdftotext:  ## poppler's pdftotext: the tests read documents' PDFs back as text
	@command -v pdftotext >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq poppler-utils >/dev/null; \
	  else echo "pdftotext is missing: run 'sudo apt-get install poppler-utils'"; exit 1; fi; }

pgclient:  ## pg_dump, pg_restore and psql, which backups of a PostgreSQL database use (only when DATABASE_URL is one)
	@case "$${REFLEX_DB_URL:-$$DATABASE_URL}" in postgres*) command -v pg_dump >/dev/null && command -v pg_restore >/dev/null \
	  && command -v psql >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq postgresql-client >/dev/null; \
	  else echo "pg_dump is missing: run 'sudo apt-get install postgresql-client'"; exit 1; fi; };; esac

migrate: install  ## apply database migrations (SQLite at data/customers.db unless DATABASE_URL is set)
	mkdir -p data
	.venv/bin/alembic -c alembic/alembic.ini upgrade head

run: migrate  ## production build on http://localhost:3000 (GRANIAN_WORKERS=4 with REFLEX_REDIS_URL for several workers)
	$(PY) scripts/preflight.py
	.venv/bin/reflex run --env prod --loglevel warning

backup: install  ## one archive of the database, pictures and import files: make backup [TO=path]; safe while running
	$(PY) scripts/backup.py backup $(TO)

restore: install  ## replace everything with a backup (app stopped): make restore FROM=path CONFIRM=yes
	@test -n "$(FROM)" || { echo "Say which backup: make restore FROM=backups/customers-....tar.gz"; exit 2; }
	$(PY) scripts/backup.py restore "$(FROM)" $(if $(filter yes,$(CONFIRM)),--yes)

dev: migrate  ## hot reload on http://localhost:3000
	.venv/bin/reflex run

admin: migrate  ## first admin from the shell: make admin EMAIL=ada@example.com NAME="Ada Lovelace"
	$(PY) scripts/admin.py "$(EMAIL)" "$(NAME)"

demo: migrate  ## load N demo customers (make demo N=1000000)
	$(PY) scripts/demo.py $(N)

unit: install-dev
	$(PY) -m pytest tests/unit -q

e2e: install-dev  ## browser tests (with axe-core's checks); then on Reflex's Redis state manager with a redis-server of their own; then two workers behind nginx
	AXE_SCRIPT=$(CURDIR)/$(AXE) $(PY) -m pytest tests/e2e -q -x
	$(PY) -m pytest tests/e2e_redis -q -x
	$(PY) -m pytest tests/e2e_proxy -q -x

test: unit e2e  ## unit tests, then end-to-end tests in headless Chromium (a separate run)

bench: install-dev  ## benchmarks; each prints ratios against a baseline from the same run
	$(PY) bench/bench_picture.py
	$(PY) bench/bench_list.py
	$(PY) bench/bench_customer_page.py
	$(PY) bench/bench_live.py
	$(PY) bench/bench_portal.py
	$(PY) bench/bench_export.py
	$(PY) bench/bench_import.py --million
	$(PY) bench/bench_trash.py
	$(PY) bench/bench_pdf.py
	$(PY) bench/bench_documents.py

lint: install-dev  ## ruff's rules and formatting, then pyright's type checks (settings in pyproject.toml)
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/pyright

clean:
	rm -rf .web .states
	rm -f $(CATALOGS)
