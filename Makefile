# Two commands for a fresh machine: `make run` and `make test`. Every install step lives
# here, because CI runs on a clean clone with nothing installed by hand.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
DEMO_PORT ?= 8000
export FLASK_APP := consent_app
export DEMO_HOST_ORIGIN ?= http://127.0.0.1:$(DEMO_PORT)

.PHONY: run test install install-test build translations migrate seed lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Re-install when the dependency list changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

static/js/dist/core.js: node_modules/.package-lock.json static/js/build.mjs $(wildcard static/js/src/* static/js/src/*/*)
	npm run --silent build

build: static/js/dist/core.js

translations: install
	$(BIN)/flask translate compile

migrate: install
	$(BIN)/flask db upgrade

seed: migrate
	$(BIN)/flask consent seed-demo

# The demo signs receipts with Ed25519 as well, with a key made once and kept in
# instance/ (never committed), so exports verify offline against /.well-known/jwks.json.
instance/ed25519.key: | $(VENV)/.installed
	mkdir -p instance
	$(BIN)/flask consent keygen | head -n 1 > $@

run: install build translations seed instance/ed25519.key
	RECEIPT_ED25519_KEYS="$${RECEIPT_ED25519_KEYS:-$$(cat instance/ed25519.key)}" \
	  $(BIN)/python -m consent_app.demo.serve --service-port $(PORT) --demo-port $(DEMO_PORT)

/usr/bin/chromium:
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null

test: $(VENV)/.installed-test build translations /usr/bin/chromium
	npm run --silent lint
	npm test --silent
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/pytest

lint: $(VENV)/.installed-test node_modules/.package-lock.json
	npm run --silent lint
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: $(VENV)/.installed-test build translations
	$(BIN)/python bench/ingest.py

clean:
	rm -rf $(VENV) node_modules static/js/dist instance
