# Two commands on a fresh machine:  make serve  |  make test
# Every target sets up what it needs; stamps make re-runs fast when nothing changed.

VENV    := .venv
BIN     := $(VENV)/bin
PY      := $(BIN)/python
HOST    ?= 127.0.0.1
PORT    ?= 8000
CHROMIUM ?= /usr/bin/chromium

PYODIDE_FILES := src/brickbybrick/pyodide/.vendored

.PHONY: help setup serve build dist test lint typecheck unit pyodide-test browser-test bench lock chromium clean

help:
	@echo "make serve   set up and serve the site on http://$(HOST):$(PORT) with live reload"
	@echo "make test    set up (Chromium included) and run every test"
	@echo "make build   mkdocs build --strict into site/"
	@echo "make bench   measure the scorer against a bare Pyodide baseline"
	@echo "make dist    build the installable plugin wheel (Pyodide included) into dist/"

setup: $(VENV)/.installed node_modules/.installed $(PYODIDE_FILES)

$(VENV)/.installed: requirements.txt pyproject.toml
	@python=$$(scripts/find-python) || exit 1; \
	if [ ! -x $(PY) ] || ! $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then \
	  rm -rf $(VENV) && echo "creating $(VENV) with $$python" && "$$python" -m venv $(VENV); fi
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes --only-binary=:all: -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

# Pyodide's core files go into the package (as package data), checked against MANIFEST.json.
$(PYODIDE_FILES): node_modules/.installed src/brickbybrick/pyodide/MANIFEST.json $(VENV)/.installed scripts/vendor_pyodide.py scripts/trace-stdlib.mjs scripts/engine-files.mjs src/brickbybrick/engine.py
	$(PY) scripts/vendor_pyodide.py node_modules/pyodide
	@touch $@

dist: setup
	rm -rf dist build
	$(PY) -m pip wheel --quiet --disable-pip-version-check --no-deps --no-build-isolation -w dist .
	@ls -l dist/*.whl

chromium:
	@if [ -x "$(CHROMIUM)" ] && command -v pdftotext >/dev/null && command -v chromium-headless-shell >/dev/null; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ]; then \
	  echo "installing Debian chromium, chromium-headless-shell (prints the worksheet PDF) and poppler-utils"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-headless-shell poppler-utils >/dev/null; \
	elif [ -x "$(CHROMIUM)" ] && command -v pdftotext >/dev/null; then \
	  echo "note: without chromium-headless-shell the build prints the worksheet PDF with chromium (slower)"; \
	else \
	  echo "error: browser tests need Debian's chromium and poppler-utils: sudo apt-get install chromium chromium-headless-shell poppler-utils" >&2; exit 1; \
	fi

serve: setup
	$(BIN)/mkdocs serve --strict --dev-addr $(HOST):$(PORT) --livereload

build: setup
	$(BIN)/mkdocs build --strict

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check src tests benchmarks examples
	node_modules/.bin/tsc -p tsconfig.json

typecheck: setup
	$(BIN)/mypy

unit: setup
	$(BIN)/pytest -m "not browser and not pyodide"

pyodide-test: setup
	$(BIN)/pytest -m pyodide

browser-test: setup chromium
	$(BIN)/pytest -m browser

# Two test processes (pytest-xdist), a test file each at a time: most browser tests wait on the
# browser or a clock, so two share the machine's cores well. mypy runs alongside them; the target
# fails if either does.
test: setup chromium lint
	@$(BIN)/mypy > .mypy.out 2>&1 & mypy=$$!; \
	$(BIN)/pytest -n 2 --dist loadfile; tests=$$?; \
	wait $$mypy; typed=$$?; echo "$(BIN)/mypy"; cat .mypy.out; rm -f .mypy.out; \
	exit $$(( tests || typed ))

bench: setup chromium
	$(PY) -m benchmarks.run

lock:
	$(PY) -m pip freeze --all --exclude-editable | grep -v '^pip==' > requirements.txt
	$(PY) scripts/lock.py requirements.txt

clean:
	rm -rf site dist build .pytest_cache .mypy_cache .ruff_cache
