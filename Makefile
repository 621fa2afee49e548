# Vetted: `make run` serves the demo, `make test` runs the whole suite. Both set everything up first.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
SYSTEM_PACKAGES := fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 chromium poppler-utils gettext
DEMO_PASSWORD ?= vetted-demo-2026
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# The suite runs in parallel, one process per CPU (pytest-xdist), each on its own test database; a test file
# stays in one process (--dist loadfile), so the tests that share the Redis broker never race each other.
TEST_WORKERS ?= auto
# `make run` serves with DEBUG off, as users meet the site (no settings dump on an error); DEBUG=1 turns it on.
DEBUG ?= 0
# Links in e-mails point where this server listens, unless SITE_URL says otherwise.
SITE_URL ?= http://$(HOST):$(PORT)
ALLOWED_HOSTS ?= $(HOST),127.0.0.1,localhost

.PHONY: install system-packages venv messages run worker test check bench clean

install: system-packages venv messages
	@mkdir -p var

# System packages: installed when missing and we are root; otherwise say what is missing.
system-packages:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then echo "Installing system packages:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else echo "Missing system packages (run as root or install them):$$missing" >&2; exit 1; fi; \
	fi

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	@touch $@

venv: $(VENV)/.installed

messages: venv
	@$(PY) manage.py compilemessages -v 0 --ignore '.venv/*'

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py dossier_signing_cert --if-missing
	DEBUG=1 $(PY) manage.py seed_demo --password '$(DEMO_PASSWORD)'
	@if [ -n "$$REDIS_URL" ]; then \
	  echo "REDIS_URL is set: starting a Celery worker with beat beside the web server"; \
	  SITE_URL='$(SITE_URL)' $(VENV)/bin/celery -A config worker -B --loglevel=INFO --concurrency=2 & \
	fi; \
	echo "Vetted on http://$(HOST):$(PORT)/  (demo logins: cmo, cmo2, security, legal, auditor, admin; password $(DEMO_PASSWORD))"; \
	export DEBUG='$(DEBUG)' SITE_URL='$(SITE_URL)' ALLOWED_HOSTS='$(ALLOWED_HOSTS)'; \
	$(PY) manage.py runserver --insecure $(HOST):$(PORT)

worker: install
	$(VENV)/bin/celery -A config worker -B --loglevel=INFO

# lint-imports first: the one-way rules of DESIGN.md (pyproject.toml [tool.importlinter]) are part of the suite.
test: install
	$(VENV)/bin/lint-imports
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing" >&2; exit 1; fi; exit $$status

check: install
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

bench: install
	$(PY) bench/dossier.py

clean:
	rm -rf var .pytest_cache
