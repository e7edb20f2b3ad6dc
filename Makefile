# make run   the bot (a terminal chat when no TELEGRAM_BOT_TOKEN is set)
# make test  lint, types and every test; sets everything up on a fresh machine
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
OWN := tests/data/own-questions.jsonl
DEV := ../shared/eval/dev-questions.jsonl

E2E_STAMP := tests/e2e/node_modules/.package-lock.json

.PHONY: install run chat test lint check eval bench bench-store bench-telegram stress e2e-install clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -c constraints.txt -e '.[test,dev,bench]'
	touch $(STAMP)

install: $(STAMP)

# The Bot API emulator for the end-to-end tests (skipped with a reason where npm is missing,
# except under CI=true, where they must run).
$(E2E_STAMP): tests/e2e/package.json tests/e2e/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --prefix tests/e2e --no-audit --no-fund --loglevel=error; \
	else echo "npm not found: the end-to-end tests will be skipped"; fi

e2e-install: $(E2E_STAMP)

run: install
	$(VENV)/bin/leafletbot run

chat: install
	$(VENV)/bin/leafletbot chat

lint: install
	$(PY) -m ruff check bot tests benchmarks
	$(PY) -m ruff format --check bot tests benchmarks
	$(PY) -m mypy

test: lint e2e-install
	$(VENV)/bin/leafletbot check
	$(PY) -m pytest -q

check: install
	$(VENV)/bin/leafletbot check

eval: install
	$(VENV)/bin/leafletbot eval $(OWN)
	@if [ -f $(DEV) ]; then $(PY) $(DEV:dev-questions.jsonl=score.py) $(DEV) --cmd "$(VENV)/bin/leafletbot ask --json"; \
	else echo "$(DEV) not found: scored the own set only"; fi

bench: install
	$(PY) -m benchmarks

bench-store: install
	$(PY) -m benchmarks.store_bench

bench-telegram: install e2e-install
	$(PY) -m benchmarks.telegram_e2e

# Load (1,000 chats x 5) and a soak (20,000 messages) through the emulator: about 2 minutes.
stress: install e2e-install
	$(PY) -m benchmarks.stress

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache tests/e2e/node_modules
