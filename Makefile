# Two commands a newcomer needs: `make run` (demo on SQLite) and `make test`. Both set up .venv from scratch.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
PYTEST_ARGS ?=
# pytest-xdist: one worker per core (the suite takes about half the time on two); PYTEST_WORKERS=0 runs in one process.
PYTEST_WORKERS ?= auto

.PHONY: install run test bench clean translations compile-translations

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[test]"
	touch $@

install: $(VENV)/.installed compile-translations

# Gettext catalogs (translations/<lang>/LC_MESSAGES/messages.po). `make translations` extracts every marked string
# (Python, Jinja, JS) into messages.pot, the JS ones also into js.pot (what /i18n/<lang>.json serves), merges them
# into each language's .po and compiles. Install compiles too, so a fresh checkout always has current .mo files.
translations: install
	$(BIN)/pybabel -q extract -F babel.cfg -k _l -k I18n.gettext --sort-by-file -o translations/messages.pot .
	$(BIN)/pybabel -q extract -F babel-js.cfg -k I18n.gettext --sort-by-file -o translations/js.pot .
	$(BIN)/pybabel -q update -i translations/messages.pot -d translations --no-fuzzy-matching
	$(BIN)/pybabel -q compile -d translations

compile-translations: $(VENV)/.installed
	$(BIN)/pybabel -q compile -d translations

# The clock process (reminders) runs beside the dev server and is stopped with it; localhost push services allowed.
run: install
	$(FLASK) db upgrade
	$(FLASK) seed-demo
	$(FLASK) vapid-keys
	export PUSH_ALLOW_INSECURE_HOSTS=127.0.0.1,localhost; \
	$(FLASK) scheduler & clock=$$!; \
	trap 'kill $$clock 2>/dev/null' EXIT INT TERM; \
	$(FLASK) run --host 127.0.0.1 --port 5000

test: install
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

bench: install
	@for script in bench/[a-z]*.py; do echo "== $$script"; $(BIN)/python -m bench.$$(basename $$script .py) || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts
