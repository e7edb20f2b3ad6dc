# make run   the bot (a terminal chat when no TELEGRAM_BOT_TOKEN is set)
# make test  lint, types and every test; sets everything up on a fresh machine
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
OWN := tests/data/own-questions.jsonl
DEV := ../shared/eval/dev-questions.jsonl

.PHONY: install run chat test lint check eval bench clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -c constraints.txt -e '.[test,dev,bench]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(VENV)/bin/leafletbot run

chat: install
	$(VENV)/bin/leafletbot chat

lint: install
	$(PY) -m ruff check bot tests
	$(PY) -m ruff format --check bot tests
	$(PY) -m mypy

test: lint
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

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
