# Two commands a newcomer needs: `make run` (demo on SQLite) and `make test`. Both set up .venv from scratch.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
PYTEST_ARGS ?=

.PHONY: install run test bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[test]"
	touch $@

install: $(VENV)/.installed

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
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install
	@for script in bench/[a-z]*.py; do echo "== $$script"; $(BIN)/python -m bench.$$(basename $$script .py) || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache test-artifacts
