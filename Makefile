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

# The exact versions `make install` installs, with their hashes: every package of pyproject.toml's dependencies
# and its `dev` extra, resolved from their ranges by `make lock`.
LOCK := requirements.lock
# `make lock` keeps every pin it can and resolves what pyproject.toml adds; LOCK_ARGS=--upgrade moves every pin to
# the newest release in range, LOCK_ARGS="--upgrade-package django" one package.
LOCK_ARGS ?=

.PHONY: install system-packages venv messages run serve serve-migrate serve-env worker test check bench clean lock

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

$(VENV)/.installed: pyproject.toml $(LOCK)
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q --require-hashes -r $(LOCK)
	$(PY) -m pip install -q --no-deps -e .
	@$(PY) -m pip check >/dev/null || { $(PY) -m pip check >&2; \
	  echo "$(LOCK) does not hold what pyproject.toml asks for: run make lock" >&2; exit 1; }
	@touch $@

venv: $(VENV)/.installed

messages: venv
	@$(PY) manage.py compilemessages -v 0 --ignore '.venv/*'

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py dossier_signing_cert --if-missing
	DEBUG=1 $(PY) manage.py seed_demo --password '$(DEMO_PASSWORD)'
	$(PY) manage.py portfolio_snapshot
	@if [ -n "$$REDIS_URL" ]; then \
	  echo "REDIS_URL is set: starting a Celery worker with beat beside the web server"; \
	  SITE_URL='$(SITE_URL)' $(VENV)/bin/celery -A config worker -B --loglevel=INFO --concurrency=2 & \
	fi; \
	echo "Vetted on http://$(HOST):$(PORT)/  (demo logins: cmo, cmo2, security, legal, auditor, admin; password $(DEMO_PASSWORD))"; \
	export DEBUG='$(DEBUG)' SITE_URL='$(SITE_URL)' ALLOWED_HOSTS='$(ALLOWED_HOSTS)'; \
	$(PY) manage.py runserver --insecure $(HOST):$(PORT)

# `make serve`: the production settings on the real PostgreSQL and Redis, in one of the process roles of
# docs/operations.md "Process roles": ROLE=web (gunicorn, config/gunicorn.conf.py, GUNICORN_BIND; static files
# collected and served by WhiteNoise), ROLE=worker (Celery: dossiers, signed with the key only this role
# needs, and mail), ROLE=beat (the scheduler: exactly one in a deployment, config/beat.py refuses a second),
# or ROLE=all (the default: one host running the three). Settings come from the environment, or from
# $(SERVE_ENV) when that file exists; it stops naming what is missing. ROLE=all applies the migrations first;
# with several hosts `make serve-migrate` does it once per release. `make serve-env` writes a file for a
# local trial (README "Serving it").
SERVE_ENV ?= var/serve.env
ROLE ?= all
# Two database roles (docs/operations.md "Database roles"): DATABASE_OWNER_URL owns the tables and runs the
# migrations; DATABASE_URL, which every process serves with, owns nothing, so the audit log's triggers are out
# of its reach.
SERVE_REQUIRED := SECRET_KEY ALLOWED_HOSTS SITE_URL VETTED_AUDIT_KEY DATABASE_URL REDIS_URL
# The superuser connection `make serve-env` creates the trial's database and roles with; never written to the file.
PG_ADMIN_URL ?= postgres://postgres@127.0.0.1:5432/postgres
SERVE_DATABASE ?= vetted
SERVE_DB_OWNER ?= vetted_owner
SERVE_DB_APP ?= vetted_app
# Reads $(SERVE_ENV), checks what role $(1) needs, and exports the production settings.
define serve_settings
case '$(1)' in web|worker|beat|all|migrate) ;; *) echo "ROLE must be web, worker, beat or all, got '$(1)'" >&2; exit 1;; esac; \
	set -a; if [ -f '$(SERVE_ENV)' ]; then . '$(SERVE_ENV)'; fi; set +a; \
	missing=""; for v in $(SERVE_REQUIRED); do [ -n "$${!v}" ] || missing="$$missing $$v"; done; \
	case '$(1)' in all|migrate) [ -n "$$DATABASE_OWNER_URL" ] || missing="$$missing DATABASE_OWNER_URL";; esac; \
	case '$(1)' in all|worker) [ -n "$$VETTED_SIGNING_PKCS12$$VETTED_SIGNING_KEY" ] || missing="$$missing VETTED_SIGNING_PKCS12 (or VETTED_SIGNING_KEY and VETTED_SIGNING_CERT)";; esac; \
	if [ -n "$$missing" ]; then \
	  echo "make serve ROLE=$(1) runs the production settings; not set:$$missing" >&2; \
	  echo "Set them in the environment or in $(SERVE_ENV); 'make serve-env' writes one for a local trial." >&2; \
	  exit 1; \
	fi; \
	export DJANGO_SETTINGS_MODULE=config.settings.production VETTED_ROLE='$(1)'; \
	[ '$(1)' = migrate ] && export VETTED_ROLE=beat
endef

serve: venv messages
	@$(call serve_settings,$(ROLE)); \
	if [ '$(ROLE)' = all ]; then $(MAKE) --no-print-directory serve-migrate || exit 1; fi; \
	case '$(ROLE)' in \
	  web) $(PY) manage.py collectstatic --noinput -v 0 && exec $(VENV)/bin/gunicorn -c config/gunicorn.conf.py config.wsgi;; \
	  worker) exec $(VENV)/bin/celery -A config worker --loglevel=INFO --concurrency=$${CELERY_CONCURRENCY:-2};; \
	  beat) exec $(VENV)/bin/celery -A config beat --loglevel=INFO --schedule $${CELERY_BEAT_SCHEDULE_FILE:-var/celerybeat-schedule};; \
	esac; \
	$(PY) manage.py collectstatic --noinput -v 0 || exit 1; \
	$(VENV)/bin/celery -A config worker --loglevel=INFO --concurrency=$${CELERY_CONCURRENCY:-2} & worker=$$!; \
	$(VENV)/bin/celery -A config beat --loglevel=INFO --schedule var/celerybeat-schedule & beat=$$!; \
	trap 'kill $$worker $$beat 2>/dev/null; wait $$worker $$beat 2>/dev/null' EXIT; \
	$(VENV)/bin/gunicorn -c config/gunicorn.conf.py config.wsgi

# Once per release, from any one host: the migrations (as the owner), the app role's grants, and a checkpoint
# of the audit chain. Web hosts report the migrations pending (/health/ fails) until it has run.
serve-migrate: venv messages
	@$(call serve_settings,migrate); \
	app_role=$$($(PY) -c 'import sys, urllib.parse; print(urllib.parse.urlsplit(sys.argv[1]).username or "")' "$$DATABASE_URL"); \
	DATABASE_URL="$$DATABASE_OWNER_URL" $(PY) manage.py migrate --noinput && \
	DATABASE_URL="$$DATABASE_OWNER_URL" $(PY) manage.py db_app_role "$$app_role" && \
	$(PY) manage.py audit_checkpoint --reason "make serve-migrate: release"

# A local trial of `make serve`: generated secrets, a self-signed dossier signing key, plain HTTP on this
# machine (SECURE_SSL_REDIRECT off). Never for a real deployment. An existing file is left as it is.
# The database (SERVE_DATABASE, `vetted`) is created with two roles through PG_ADMIN_URL (a superuser's, used
# only here): vetted_owner owns it and runs the migrations (DATABASE_OWNER_URL); the site serves as vetted_app
# (DATABASE_URL), which owns no table and so cannot switch off the audit log's triggers.
serve-env: venv
	@if [ -f '$(SERVE_ENV)' ]; then echo "$(SERVE_ENV) exists: left as it is"; exit 0; fi; \
	mkdir -p var/signing; umask 077; \
	gen() { $(PY) -c 'import secrets; print(secrets.token_urlsafe(48))'; }; \
	passphrase=$$(gen); \
	database=$$($(PY) manage.py serve_database --admin-url '$(PG_ADMIN_URL)' --database '$(SERVE_DATABASE)' \
	  --owner '$(SERVE_DB_OWNER)' --app '$(SERVE_DB_APP)') || exit 1; \
	{ echo "# A local trial of make serve (make serve-env): generated secrets; not for a real deployment."; \
	  echo "SECRET_KEY=$$(gen)"; echo "VETTED_AUDIT_KEY=$$(gen)"; \
	  echo "ALLOWED_HOSTS=127.0.0.1,localhost"; echo "SITE_URL=http://localhost:8000"; \
	  echo "SECURE_SSL_REDIRECT=0"; echo "SECURE_HSTS_SECONDS=0"; \
	  echo "# The site serves as a role that owns no table; migrations run as the owner."; \
	  echo "$$database"; \
	  echo "REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0}"; \
	  echo "VETTED_SIGNING_PKCS12=$(CURDIR)/var/signing/serve-signing.p12"; \
	  echo "VETTED_SIGNING_PASSPHRASE=$$passphrase"; } > '$(SERVE_ENV)'; \
	VETTED_SIGNING_PASSPHRASE=$$passphrase $(PY) manage.py dossier_signing_cert --out var/signing/serve-signing.p12 --force; \
	echo "wrote $(SERVE_ENV): the database $(SERVE_DATABASE), owned by $(SERVE_DB_OWNER) (migrations); the site serves as $(SERVE_DB_APP). Check REDIS_URL in it, then make serve"

worker: install
	$(VENV)/bin/celery -A config worker -B --loglevel=INFO

# ruff (lint and formatting), lint-imports and mypy first: the import contracts (docs/architecture.md "Import
# contracts") and the types of the checked modules (pyproject.toml [tool.mypy]) are part of the suite. The same
# four run as pre-commit hooks (.pre-commit-config.yaml).
test: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing" >&2; exit 1; fi; exit $$status

check: install
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

bench: install
	$(PY) bench/dossier.py
	$(PY) bench/activity_record.py

# Regenerate the lock after changing a dependency in pyproject.toml (commit both together).
# It needs pip-tools only, not an installed venv: the venv may be what the lock is behind.
lock:
	@test -x $(VENV)/bin/pip-compile || { test -x $(PY) || $(PYTHON) -m venv $(VENV); $(PY) -m pip install -q pip-tools; }
	CUSTOM_COMPILE_COMMAND="make lock" $(VENV)/bin/pip-compile -q --generate-hashes --allow-unsafe --strip-extras \
	  --extra dev --no-emit-index-url --no-emit-find-links $(LOCK_ARGS) --output-file $(LOCK) pyproject.toml

clean:
	rm -rf var .pytest_cache
