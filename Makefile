# Thin wrappers over `python -m pipeline`; see README.md.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp

.PHONY: all setup system build dist import translate check stats serve merge-driver test test-all test-slow lint bench clean

all: build

system:
	@scripts/ensure-system-packages

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test,cluster]'
	touch $@

setup: system $(STAMP)

# A transcript as received -> seeds/<slug>.txt + .meta.toml, with a report to review:
#   make import FILE=briefing.txt [ARGS='--outlet "The White House" --force']
import: setup
	@test -n "$(FILE)" || { echo "make import: say which file, e.g. make import FILE=transcript.txt"; exit 2; }
	$(BIN)/python -m pipeline import "$(FILE)" $(ARGS)

translate: setup
	$(BIN)/python -m pipeline translate

build: setup
	$(BIN)/python -m pipeline build

# The briefs, index pages, manifest.json, SHA256SUMS and one archive per locale: `build` writes them all.
dist: build

check: setup
	$(BIN)/python -m pipeline check

stats: setup
	$(BIN)/python -m pipeline stats

# Live bilingual preview on http://127.0.0.1:8000/: pages reload when a catalog, source or template is saved.
serve: setup
	$(BIN)/python -m pipeline serve

# This clone's git merges locale/**/*.po entry by entry (.gitattributes), keeping both sides' translations.
merge-driver: setup
	git config merge.pipeline-po.name "gettext catalogs: keep both sides' translations"
	git config merge.pipeline-po.driver "$(CURDIR)/$(BIN)/python -m pipeline merge-driver %O %A %B %P"

# `test` leaves out the tests marked slow (random catalogs against msgcat and polib, the Nu HTML
# checker, Dask, whole rebuilds compared byte for byte); `test-slow` runs only those; CI runs both.
test: setup
	$(BIN)/python -m pytest -q -n auto -m "not slow"

test-all: setup
	$(BIN)/python -m pytest -q

test-slow: setup
	$(BIN)/python -m pytest -q -m slow

lint: setup
	$(BIN)/ruff check pipeline tests bench
	$(BIN)/ruff format --check pipeline tests bench
	$(BIN)/mypy pipeline
	$(BIN)/lint-imports   # the stages' import contracts in pyproject.toml

bench: setup
	$(BIN)/python bench/run.py

clean:
	rm -rf dist .cache
