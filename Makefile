# Gremienportal: the two everyday commands are `make run` and `make test`.
# Everything runs from the project's own virtualenv in .venv, installed from
# requirements.lock (scripts/bootstrap.sh skips the install when nothing changed).

VENV        := .venv
PY          := $(VENV)/bin/python
PYTEST_ARGS ?=
# Apps whose strings are translated (makemessages walks the tree from here).
MSG_IGNORE  := --ignore=.venv --ignore=node_modules --ignore=var --ignore=tests \
               --ignore=bench --ignore=docs --ignore=scripts

.DEFAULT_GOAL := help
.PHONY: help venv compilemessages run test lint format bench messages screenshots clean distclean lock

help:
	@echo "make run       start the development server (Daphne) and the task worker"
	@echo "make test      run the whole test suite (SQLite; PostgreSQL/Redis if DATABASE_URL/REDIS_URL)"
	@echo "make lint      ruff format --check and ruff check"
	@echo "make format    ruff format and ruff check --fix"
	@echo "make bench     run the benchmarks in bench/"
	@echo "make messages  update the gettext catalogues in locale/ (de, en)"
	@echo "make screenshots  pictures of the admin screens into docs/screenshots"
	@echo "make lock      re-resolve requirements.lock from pyproject.toml"
	@echo "make clean     remove caches and build output (keeps .venv and var/)"
	@echo "make distclean clean, and remove .venv, node_modules and var/ (database!)"

venv:
	@scripts/bootstrap.sh

compilemessages: venv
	@scripts/compilemessages.sh

run: venv compilemessages
	@scripts/run.sh

test: venv compilemessages
	@mkdir -p var
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

format: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: venv compilemessages
	@mkdir -p var
	$(PY) bench/run.py

screenshots: venv compilemessages
	@mkdir -p docs/screenshots
	GREMIEN_SCREENSHOTS=docs/screenshots $(VENV)/bin/pytest tests/browser -q

messages: venv
	@mkdir -p locale
	$(PY) manage.py makemessages -l de -l en $(MSG_IGNORE)

lock: venv
	@test -x $(VENV)/bin/uv || $(PY) -m pip install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --generate-hashes \
		--python-version 3.11 -o requirements.lock

clean:
	find . -path ./.venv -prune -o -path ./node_modules -prune -o \
		\( -name __pycache__ -o -name '*.egg-info' \) -type d -print0 \
		| xargs -0 rm -rf
	find locale -name '*.mo' -delete 2>/dev/null || true
	rm -rf .pytest_cache .ruff_cache build var/static var/test-media

distclean: clean
	rm -rf $(VENV) node_modules var
