# Gonghui: `make run` starts everything locally; `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= python
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev
PORT ?= 8000
TEST_WORKERS ?= 2

.PHONY: run test e2e bench install install-dev npm lint migrate demo clean-db messages

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $(STAMP)

$(DEVSTAMP): $(STAMP) pyproject.toml
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(DEVSTAMP)

install: $(STAMP)
install-dev: $(DEVSTAMP)

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch node_modules/.installed

npm: node_modules/.installed

migrate: install
	GONGHUI_DEBUG=1 $(PY) manage.py migrate --no-input -v0

demo: migrate
	GONGHUI_DEBUG=1 $(PY) manage.py seed --demo

# One command: install, migrate, demo data if empty, then web + task worker + scheduler together.
run: install npm demo
	@echo "Gonghui on http://127.0.0.1:$(PORT)/  (workbench /work/, admin /admin/, API docs /api/v1/docs)"
	@trap 'kill 0' EXIT INT TERM; \
	GONGHUI_DEBUG=1 $(PY) manage.py db_worker --queue-name '*' & \
	GONGHUI_DEBUG=1 $(PY) manage.py run_scheduler & \
	GONGHUI_DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT) --noreload

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	GONGHUI_TESTING=1 $(PY) manage.py makemigrations --check --dry-run

test: lint
	$(BIN)/pytest -n $(TEST_WORKERS) -q

e2e: install-dev npm
	$(BIN)/pytest e2e -q -p no:xdist

bench: install-dev
	$(PY) bench/run.py
	$(PY) bench/hall.py
	$(PY) bench/matching.py
	$(PY) bench/employment.py
	$(PY) bench/quickmatch_web.py
	$(PY) bench/monitoring.py
	$(PY) bench/monitoring_ingest.py
	$(PY) bench/members.py
	$(PY) bench/join.py
	$(PY) bench/organizing_dashboard.py

# The project catalogue (gonghui/locale) covers every app except those that keep their own (monitoring, employment).
messages: install-dev
	cd gonghui && GONGHUI_TESTING=1 ../$(PY) ../manage.py makemessages -l zh_Hans --no-location --ignore 'tests/*' --ignore 'testing/*' --ignore 'monitoring/*' --ignore 'employment/*'
	for app in monitoring employment; do (cd gonghui/$$app && GONGHUI_TESTING=1 ../../$(PY) ../../manage.py makemessages -l zh_Hans --no-location --ignore 'tests/*') || exit 1; done
	cd gonghui && GONGHUI_TESTING=1 ../$(PY) ../manage.py compilemessages -l zh_Hans

clean-db:
	rm -f var/gonghui.sqlite3 var/gonghui.sqlite3-wal var/gonghui.sqlite3-shm
