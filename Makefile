# Newsroom: `make run` to use it, `make test` to check it. Both set up .venv when missing.
# `PORT=8001 make run` serves on another port.
PYTHON ?= python3
PORT ?= 8000
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEV_ENV := DEBUG=1

BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/newsroom_bench
BENCH_ARTICLES ?= 100000

.PHONY: run test lint typecheck format check install clean bench

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	@touch $(STAMP)

# The demo data goes into an empty archive only, so that a restart never undoes editors'
# changes to demo records.
run: $(STAMP)
	$(DEV_ENV) $(PY) manage.py migrate --no-input
	$(DEV_ENV) $(PY) manage.py load_demo
	@$(DEV_ENV) $(PY) manage.py createlocaladmin --url http://127.0.0.1:$(PORT)/admin/
	$(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# The packages listed in pyproject.toml's [tool.mypy] `files`.
typecheck: $(STAMP)
	$(VENV)/bin/mypy

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# What CI runs: the linter, the type checker, migrations in step with the models, the deployment check with
# production settings (a throwaway key), and the whole suite.
check: lint typecheck $(STAMP)
	$(DEV_ENV) $(PY) manage.py makemigrations --check --dry-run
	DEBUG=0 HTTPS=1 ALLOWED_HOSTS=archive.example.org \
	  SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
	  $(PY) manage.py check --deploy --fail-level WARNING
	$(MAKE) test

# Not part of `make test`: builds (or reuses) a generated archive on PostgreSQL and measures.
bench: $(STAMP)
	$(PY) -m bench.search --articles $(BENCH_ARTICLES) --database-url $(BENCH_DATABASE_URL)
	$(PY) -m bench.http --articles $(BENCH_ARTICLES) --database-url $(BENCH_DATABASE_URL)

clean:
	rm -rf $(VENV) staticfiles
