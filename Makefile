# Two commands for a fresh machine: `make run` and `make test`. Every install step lives
# here, because CI runs on a clean clone with nothing installed by hand.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
DEMO_PORT ?= 8000
export FLASK_APP := consent_app
export DEMO_HOST_ORIGIN ?= http://127.0.0.1:$(DEMO_PORT)

.PHONY: run test install install-test build translations migrate seed lint check lock bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Installs come from the lock files, exact versions with their hashes, so a new release
# of any dependency cannot change what runs here or in CI. pyproject.toml keeps the
# ranges we accept; `make lock` resolves them again into requirements/*.txt.
$(VENV)/.installed: requirements/app.txt | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements/app.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-test: requirements/test.txt $(VENV)/.installed
	$(BIN)/pip install --quiet --require-hashes -r requirements/test.txt
	touch $@

# uv resolves; pip installs. Pinned so that the same ranges give the same lock.
UV_VERSION := 0.13.9
lock: | $(BIN)/python
	$(BIN)/pip install --quiet uv==$(UV_VERSION)
	$(BIN)/uv pip compile pyproject.toml --python-version 3.11 --generate-hashes --quiet \
	  -o requirements/app.txt
	$(BIN)/uv pip compile pyproject.toml --extra test --python-version 3.11 --generate-hashes \
	  --quiet -o requirements/test.txt

# The app and its locked dependencies; install-test adds the test, lint and type tools.
install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

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

test: check build translations /usr/bin/chromium
	npm test --silent
	$(BIN)/pytest

# What pre-commit runs too (.pre-commit-config.yaml): lint, format and types.
check lint: $(VENV)/.installed-test node_modules/.package-lock.json
	npm run --silent lint
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: $(VENV)/.installed-test build translations
	$(BIN)/python bench/ingest.py

clean:
	rm -rf $(VENV) node_modules static/js/dist instance
