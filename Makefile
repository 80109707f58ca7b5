# argmap's set-up. Two commands are all a newcomer needs:
#   make demo   a virtual environment with argmap and Graphviz, then the example map rendered to SVG
#   make test   the same plus the test tools and the Argdown CLI, then ruff, mypy and pytest
# Every step is skipped when its result is already there (stamp files in $(VENV)/).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
ARGDOWN_VERSION := 1.7.5
ARGDOWN_PREFIX := .cache/argdown
ARGDOWN_PACKAGE_JSON := $(ARGDOWN_PREFIX)/node_modules/@argdown/cli/package.json
# Mermaid's own parser (with jsdom for the DOM it loads with) checks the mermaid exporter's output in the tests
MERMAID_VERSION := 11.17.2
JSDOM_VERSION := 29.1.1
MERMAID_PREFIX := .cache/mermaid
EXAMPLE := examples/north-korea.arg
DEMO_SVG := build/north-korea.svg
# apt-get needs root; sudo only when we are not root already
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_GET := $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get

.DEFAULT_GOAL := help
.PHONY: help demo test golden lint typecheck graphviz argdown mermaid chromium clean distclean

help:
	@echo "make demo       install argmap and Graphviz, render $(EXAMPLE) to $(DEMO_SVG)"
	@echo "make test       install the test tools too, then ruff, mypy and pytest"
	@echo "make golden     rewrite the golden files from the current output"
	@echo "make docs       build the documentation site into $(DOCS_SITE) (mkdocs --strict: a broken link fails it)"
	@echo "make fuzz       mutation-fuzz the readers for FUZZ_SECONDS (600) with a random seed (FUZZ_SEED=N replays)"
	@echo "make fuzz-atheris  coverage-guided fuzzing of the notation reader with atheris for FUZZ_SECONDS"
	@echo "make bench      time argmap against the Argdown CLI on generated maps up to 100,000 statements (BENCH_FLAGS=...)"
	@echo "make bench-quick  the same up to 10,000 statements, 3 runs each"
	@echo "make clean      remove $(VENV), build/ and tool caches (distclean also removes .cache/)"

demo: $(VENV)/.stamp-install graphviz
	@mkdir -p $(dir $(DEMO_SVG))
	$(BIN)/argmap render $(EXAMPLE) -f svg -o $(DEMO_SVG)
	@echo "The map is at $(abspath $(DEMO_SVG))"

test: $(VENV)/.stamp-test graphviz argdown mermaid chromium
	$(BIN)/ruff check argmap tests
	$(BIN)/mypy
	$(BIN)/pytest

golden: $(VENV)/.stamp-test graphviz argdown mermaid chromium
	$(BIN)/pytest --update-golden

# the documentation site (mkdocs.yml, docs/): --strict, so a broken link, a missing page or a docstring the API
# reference cannot read fails the build; docs/hooks.py draws the diagrams with argmap, hence Graphviz
DOCS_SITE := build/site
.PHONY: docs

docs: $(VENV)/.stamp-docs graphviz
	env NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict -d $(DOCS_SITE)
	@echo "The site is at $(abspath $(DOCS_SITE))/index.html"

# docs/fuzzing.md: what the fuzzers check and how to replay what they find
FUZZ_SECONDS ?= 600
FUZZ_SEED ?= random
FUZZ_FLAGS ?=
FUZZ_OUT := tests/artifacts/fuzz
.PHONY: fuzz fuzz-atheris

fuzz: $(VENV)/.stamp-test
	$(BIN)/python tests/fuzz/run.py run --target all --seed $(FUZZ_SEED) --seconds $(FUZZ_SECONDS) --out $(FUZZ_OUT) $(FUZZ_FLAGS)

fuzz-atheris: $(VENV)/.stamp-test
	$(BIN)/python -m pip install --quiet atheris
	@mkdir -p $(FUZZ_OUT)/atheris
	cd $(FUZZ_OUT)/atheris && $(abspath $(BIN))/python $(abspath tests/fuzz/atheris_harness.py) \
	  -max_total_time=$(FUZZ_SECONDS) -timeout=20 -rss_limit_mb=4096 $(FUZZ_FLAGS) corpus

# benchmarks/README.md: what is timed and the targets; BENCH_FLAGS passes options (--json FILE, --no-argdown...)
BENCH_FLAGS ?=
.PHONY: bench bench-quick

# argmap is byte-compiled first, as pip does when it installs a wheel: the editable install leaves that to the first
# import, which cannot save it where PYTHONDONTWRITEBYTECODE is set, and every run would compile argmap again
bench: $(VENV)/.stamp-install argdown
	$(BIN)/python -m compileall -q argmap
	$(BIN)/python -m benchmarks.run $(BENCH_FLAGS)

bench-quick: $(VENV)/.stamp-install argdown
	$(BIN)/python -m compileall -q argmap
	$(BIN)/python -m benchmarks.run --quick $(BENCH_FLAGS)

lint: $(VENV)/.stamp-test
	$(BIN)/ruff check argmap tests

typecheck: $(VENV)/.stamp-test
	$(BIN)/mypy

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 10))' || \
	  { echo "argmap needs Python 3.10 or newer; $(PYTHON) is $$($(PYTHON) --version 2>&1)" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV) || \
	  { echo "creating the virtual environment failed; on Debian/Ubuntu: apt-get install python3-venv" >&2; exit 1; }

# hatchling (argmap's build backend, with editables for -e) lives in the venv, so installs build without fetching anything
# and the plugin test can build its tiny distributions offline
$(VENV)/.stamp-install: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet 'hatchling>=1.21' editables
	$(BIN)/python -m pip install --quiet --no-build-isolation -e .
	@touch $@

$(VENV)/.stamp-docs: pyproject.toml $(VENV)/.stamp-install
	$(BIN)/python -m pip install --quiet --no-build-isolation -e '.[docs]'
	@touch $@

$(VENV)/.stamp-test: pyproject.toml $(VENV)/.stamp-install
	$(BIN)/python -m pip install --quiet --no-build-isolation -e '.[test]'
	@touch $@

graphviz:
	@command -v dot >/dev/null 2>&1 || { \
	  command -v apt-get >/dev/null 2>&1 || { echo "Graphviz's dot is missing: install Graphviz with your package manager" >&2; exit 1; }; \
	  echo "Installing Graphviz (dot)"; \
	  $(APT_GET) update && $(APT_GET) install -y graphviz; }

# the browser the HTML view's tests drive (tests/test_html_view.py): Debian's package, as playwright downloads none
# here; ARGMAP_CHROMIUM=/path/to/chrome uses another
chromium:
	@[ -n "$${ARGMAP_CHROMIUM:-}" ] || command -v chromium >/dev/null 2>&1 || { \
	  command -v apt-get >/dev/null 2>&1 || { echo "Chromium is missing: install it with your package manager (or set ARGMAP_CHROMIUM)" >&2; exit 1; }; \
	  echo "Installing Chromium (for the HTML view's browser tests)"; \
	  $(APT_GET) update && $(APT_GET) install -y chromium; }

argdown:
	@grep -Eqs '"version": *"$(ARGDOWN_VERSION)"' $(ARGDOWN_PACKAGE_JSON) || { \
	  command -v npm >/dev/null 2>&1 || { \
	    command -v apt-get >/dev/null 2>&1 || { echo "npm is missing: install Node.js and npm" >&2; exit 1; }; \
	    echo "Installing Node.js and npm"; \
	    $(APT_GET) update && $(APT_GET) install -y nodejs npm; }; \
	  echo "Installing the Argdown CLI $(ARGDOWN_VERSION) into $(ARGDOWN_PREFIX)"; \
	  mkdir -p $(ARGDOWN_PREFIX) && \
	  npm install --prefix $(ARGDOWN_PREFIX) --no-audit --no-fund --loglevel=error @argdown/cli@$(ARGDOWN_VERSION); }

mermaid:
	@grep -Eqs '"version": *"$(MERMAID_VERSION)"' $(MERMAID_PREFIX)/node_modules/mermaid/package.json || { \
	  command -v npm >/dev/null 2>&1 || { \
	    command -v apt-get >/dev/null 2>&1 || { echo "npm is missing: install Node.js and npm" >&2; exit 1; }; \
	    echo "Installing Node.js and npm"; \
	    $(APT_GET) update && $(APT_GET) install -y nodejs npm; }; \
	  echo "Installing Mermaid $(MERMAID_VERSION) (its parser checks the mermaid exporter) into $(MERMAID_PREFIX)"; \
	  mkdir -p $(MERMAID_PREFIX) && \
	  npm install --prefix $(MERMAID_PREFIX) --no-audit --no-fund --loglevel=error \
	    mermaid@$(MERMAID_VERSION) jsdom@$(JSDOM_VERSION); }

clean:
	rm -rf $(VENV) build dist .mypy_cache .ruff_cache .pytest_cache tests/artifacts benchmarks/.data
	find argmap tests -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf .cache
